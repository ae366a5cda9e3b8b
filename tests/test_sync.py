"""`prepplan sync` as a user runs it, against three real CalDAV servers on 127.0.0.1 (Radicale
with default settings, Radicale with strict path validation, Xandikos), a refusing proxy and a
misbehaving server. The servers are started once per module; each test syncs a calendar of its
own (`--calendar`)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import caldav
import icalendar
import pytest

from prepplan.app import calendar_objects
from prepplan.ics import build_calendar, event_objects
from prepplan.store import Store
from support.caldav_servers import (CALENDAR_NAME, CALENDAR_PATH, MISBEHAVIOURS, PASSWORD,
                                    SERVER_KINDS, USER, MisbehavingServer, RefusingProxy,
                                    start_server)
from support.caldav_servers import Phone as BasePhone

MARKER = "MARKER"  # part of PASSWORD: no output or file may ever hold it
# 35 weeks from 2026-03-02 at 10 h/week; the phases' maximum is 33 weeks, so weeks 34-35 are
# the final block: 6 phases + the final block + 38 topic bars + the target + the check-in = 47,
# + 26 single-round mocks (each Sunday from week 9, after phase 1's weeks 1-8, to week 33, and
# Thu 2026-10-29 in week 35, the 3 days before the target Mon 2026-11-02 being kept free)
# + the full mock loop of week 34
PLAN_EVENTS = 74


@pytest.fixture(scope="module", params=SERVER_KINDS)
def server(request, tmp_path_factory):
    running = start_server(request.param, tmp_path_factory.mktemp(request.param))
    yield running
    running.stop()


@pytest.fixture
def user(run, monkeypatch):
    """A user with a plan begun in the past and the CalDAV password in the environment."""
    monkeypatch.setenv("PREPPLAN_CALDAV_PASSWORD", PASSWORD)
    result = run("generate", "--start", "2026-03-02", "--tz", "UTC")
    assert result.exit_code == 0, result.output
    return run


def calendar_for(request) -> str:
    return f"Plan {request.node.name}"[:60]


def plan_events(home: Path) -> dict[str, icalendar.Event]:
    """The current plan's events, as prepplan builds them."""
    store = Store.open(home)
    objects = calendar_objects(store, store.require_current(), datetime.now(timezone.utc))
    return {uid: icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
            for uid, body in objects.items()}


class Phone(BasePhone):
    """A phone on the calendar named `name`, listing events as icalendar items."""

    def __init__(self, server, name: str) -> None:
        client = caldav.DAVClient(url=server.url, username=USER, password=PASSWORD)
        super().__init__(next(c for c in client.principal().calendars()
                              if c.get_display_name() == name))

    def events(self) -> dict[str, icalendar.Event]:
        found = {}
        for resource in self.calendar.events():
            (item, *_) = icalendar.Calendar.from_ical(resource.data).walk("VEVENT")
            found[str(item["UID"])] = item
        return found

    def summaries(self) -> dict[str, str]:
        return {uid: str(item["SUMMARY"]) for uid, item in self.events().items()}



def counts(created=0, updated=0, deleted=0, unchanged=0, name="") -> str:
    return (f"CalDAV calendar {name!r}: {created} created, {updated} updated, {deleted} "
            f"deleted, {unchanged} unchanged\n")


def one_line(result) -> str:
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("prepplan: "), \
        result.stderr
    assert MARKER not in result.stdout + result.stderr
    return result.stderr[len("prepplan: "):-1]


def first_sync(run, server, name: str):
    result = run("sync", "--url", server.url, "--user", USER, "--calendar", name)
    assert result.exit_code == 0, result.output
    assert result.stdout == counts(created=PLAN_EVENTS, name=name)
    return Phone(server, name)


def assert_server_holds_the_plan(phone: Phone, home: Path, except_uids=()) -> None:
    local = plan_events(home)
    ours = {uid: item for uid, item in phone.events().items() if uid.endswith("@prepplan")}
    assert set(ours) == set(local)
    for uid, item in local.items():
        if uid in except_uids:
            continue
        for name in ("SUMMARY", "DTSTART", "DTEND", "SEQUENCE"):
            assert ours[uid].get(name) == item.get(name) or \
                ours[uid][name].dt == item[name].dt, (uid, name)


# ---------------------------------------------------------------- the everyday cycle

def test_first_sync_replan_and_an_idempotent_second_sync(user, server, request, prepplan_home):
    name = calendar_for(request)
    phone = first_sync(user, server, name)
    assert len(plan_events(prepplan_home)) == PLAN_EVENTS
    assert_server_holds_the_plan(phone, prepplan_home)
    again = user("sync")  # the settings are remembered
    assert (again.exit_code, again.stdout) == (0, counts(unchanged=PLAN_EVENTS, name=name))

    assert user("log", "12", "--date", "2026-03-10").exit_code == 0
    assert user("done", "1.1", "--date", "2026-03-10").exit_code == 0
    assert user("replan", "--as-of", "2026-03-10", "--hours", "12").exit_code == 0
    replanned = user("sync")
    assert replanned.exit_code == 0, replanned.output
    created, updated, deleted, unchanged = map(int, re.search(
        r": (\d+) created, (\d+) updated, (\d+) deleted, (\d+) unchanged\n$",
        replanned.stdout).groups())
    assert updated > 0 and created + updated + unchanged == len(plan_events(prepplan_home))
    assert_server_holds_the_plan(phone, prepplan_home)
    assert user("sync").stdout == counts(unchanged=len(plan_events(prepplan_home)), name=name)


def test_timed_sessions_in_a_zone_with_dst_sync_once_then_stay_unchanged(run, server, request,
                                                                          monkeypatch,
                                                                          prepplan_home):
    """Sessions carry a TZID and its VTIMEZONE, which servers may store in their own way:
    a second sync still finds every event unchanged, and a conflict-free one exits 0."""
    monkeypatch.setenv("PREPPLAN_CALDAV_PASSWORD", PASSWORD)
    assert run("generate", "--start", "2026-03-02", "--days", "mon,wed,sat", "--at", "19:00",
               "--tz", "Europe/Berlin").exit_code == 0
    name = calendar_for(request)
    local = plan_events(prepplan_home)
    sessions = [uid for uid in local if uid.startswith("session-")]
    assert len(sessions) >= 33 * 3  # three a week, in every study week at least
    assert len(local) == PLAN_EVENTS + len(sessions)
    first = run("sync", "--url", server.url, "--user", USER, "--calendar", name)
    assert (first.exit_code, first.stdout) == (0, counts(created=len(local), name=name))
    again = run("sync")
    assert (again.exit_code, again.stdout) == (0, counts(unchanged=len(local), name=name))


def test_someone_elses_event_is_left_alone(user, server, request, prepplan_home):
    name = calendar_for(request)
    phone = first_sync(user, server, name)
    phone.calendar.add_event("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//phone//EN\r\n"
                             "BEGIN:VEVENT\r\nUID:dentist@phone\r\nDTSTAMP:20260301T000000Z\r\n"
                             "DTSTART;VALUE=DATE:20260305\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\n"
                             "END:VCALENDAR\r\n")
    result = user("sync", "--force")
    assert result.exit_code == 0, result.output
    assert result.stdout == (counts(unchanged=PLAN_EVENTS, name=name)
                             + "Left alone: 1 event prepplan did not make.\n")
    assert phone.summaries()["dentist@phone"] == "Dentist"


# ---------------------------------------------------------------- conflicts are remembered

def test_an_edit_survives_every_sync_and_a_replan_until_force(user, server, request,
                                                               prepplan_home):
    name = calendar_for(request)
    phone = first_sync(user, server, name)
    local = plan_events(prepplan_home)
    uid = next(uid for uid in local if uid.startswith("topic-1.1."))
    title = str(local[uid]["SUMMARY"])
    phone.edit(uid, "Moved by phone")
    conflict = (f"Conflicts: 1 event changed on the server since prepplan wrote it, left as is "
                f"(`prepplan sync --force` writes the plan's version):\n"
                f"  {title}: edited on the server\n")
    refusal = f"the calendar {name!r} is not yet equal to the plan: 1 conflict (see above)"
    for _ in range(2):  # reported again, and left again
        result = user("sync")
        assert result.exit_code == 1
        assert result.stdout == counts(unchanged=PLAN_EVENTS - 1, name=name) + conflict
        assert one_line(result) == refusal
        assert phone.summaries()[uid] == "Moved by phone"

    assert user("replan", "--as-of", "2026-03-10", "--hours", "12").exit_code == 0
    replanned = user("sync")
    assert replanned.exit_code == 1
    assert replanned.stdout.endswith(conflict) and one_line(replanned) == refusal
    assert phone.summaries()[uid] == "Moved by phone"
    assert_server_holds_the_plan(phone, prepplan_home, except_uids={uid})

    forced = user("sync", "--force")
    assert forced.exit_code == 0, forced.output
    assert forced.stdout == counts(updated=1, unchanged=len(plan_events(prepplan_home)) - 1,
                                   name=name)
    assert phone.summaries()[uid] == title
    assert_server_holds_the_plan(phone, prepplan_home)


def test_an_event_deleted_on_the_server_stays_deleted_until_force(user, server, request,
                                                                  prepplan_home):
    name = calendar_for(request)
    phone = first_sync(user, server, name)
    local = plan_events(prepplan_home)
    uid = next(uid for uid in local if uid.startswith("phase-networking."))
    title = str(local[uid]["SUMMARY"])
    phone.delete(uid)
    result = user("sync")
    assert result.exit_code == 1
    assert result.stdout == (counts(unchanged=PLAN_EVENTS - 1, name=name)
                             + f"Conflicts: 1 event changed on the server since prepplan wrote "
                               f"it, left as is (`prepplan sync --force` writes the plan's "
                               f"version):\n  {title}: deleted on the server\n")
    assert one_line(result) == (f"the calendar {name!r} is not yet equal to the plan: "
                                f"1 conflict (see above)")
    assert uid not in phone.summaries()
    assert user("sync").exit_code == 1 and uid not in phone.summaries()
    forced = user("sync", "--force")
    assert (forced.exit_code, forced.stdout) == (
        0, counts(created=1, unchanged=PLAN_EVENTS - 1, name=name))
    assert phone.summaries()[uid] == title


# ---------------------------------------------------------------- a store of an older prepplan

def test_a_calendar_synced_by_an_older_prepplan_is_taken_over_by_uid(user, server, request,
                                                                    prepplan_home):
    """The older prepplan named each event `{UID}.ics` and kept only its ETag (what migration
    004 carries over: no href, no calendar): the events are found by UID, a replan updates
    them where they are, nothing is duplicated or taken for an edit."""
    from prepplan.sync import EventRecord, SyncState

    name = calendar_for(request)
    client = caldav.DAVClient(url=server.url, username=USER, password=PASSWORD)
    calendar = client.principal().make_calendar(name=name)
    store = Store.open(prepplan_home)
    current = store.require_current()
    bodies = event_objects(build_calendar(current.plan, plan_id=current.plan_id, sequence=0,
                                          stamp=datetime(2026, 3, 1, tzinfo=timezone.utc),
                                          tz_name=current.tz))
    etags = {}
    for uid, body in bodies.items():
        answer = client.put(str(calendar.url).rstrip("/") + f"/{uid}.ics", body.decode(),
                            {"Content-Type": "text/calendar; charset=utf-8"})
        assert answer.status == 201, answer.status
        etags[uid] = answer.headers["ETag"]
    store.set_caldav_state(current.plan_id, SyncState(None, {uid: EventRecord(None, etag)
                                                     for uid, etag in etags.items()}))
    assert user("sync", "--url", server.url, "--user", USER, "--calendar", name).stdout == \
        counts(unchanged=PLAN_EVENTS, name=name)

    assert user("replan", "--as-of", "2026-03-10", "--hours", "12").exit_code == 0
    replanned = user("sync")
    assert replanned.exit_code == 0, replanned.output
    added = set(plan_events(prepplan_home)) - set(bodies)  # a mock moved to another day
    dropped = set(bodies) - set(plan_events(prepplan_home))
    assert f"{name!r}: {len(added)} created, " in replanned.stdout  # the rest updated in place
    assert f" updated, {len(dropped)} deleted, " in replanned.stdout
    phone = Phone(server, name)
    assert len(list(phone.calendar.events())) == len(plan_events(prepplan_home))
    assert_server_holds_the_plan(phone, prepplan_home)


# ---------------------------------------------------------------- one refusal, the rest done

def test_a_refused_event_is_reported_and_the_rest_still_happens(user, server, request,
                                                                prepplan_home):
    name = calendar_for(request)
    local = plan_events(prepplan_home)
    refused = next(uid for uid in local if uid.startswith("topic-3.2."))
    with RefusingProxy(server.url) as proxy:
        proxy.refuse_uid = refused
        result = user("sync", "--url", proxy.url, "--user", USER, "--calendar", name)
        assert result.exit_code == 1
        assert result.stdout == (
            counts(created=PLAN_EVENTS - 1, name=name)
            + "Not written: 1 event the server refused (the next sync tries again):\n"
            + f"  {local[refused]['SUMMARY']}: 400 Bad Request: this server does not accept "
              f"that event\n")
        assert one_line(result) == (f"the calendar {name!r} is not yet equal to the plan: "
                                    f"1 refused write (see above)")
        phone = Phone(server, name)
        assert set(phone.summaries()) == set(local) - {refused}

        proxy.refuse_uid = None  # accepted now: the next sync finishes the job
        retried = user("sync")
        assert (retried.exit_code, retried.stdout) == (
            0, counts(created=1, unchanged=PLAN_EVENTS - 1, name=name))
    assert_server_holds_the_plan(phone, prepplan_home)


# ---------------------------------------------------------------- a server trusted for nothing

@pytest.mark.parametrize("mode", [m for m in MISBEHAVIOURS if m != "echo-password"])
def test_a_misbehaving_server_ends_in_one_line_within_the_deadline(user, mode, monkeypatch,
                                                                   prepplan_home):
    monkeypatch.setenv("PREPPLAN_SYNC_DEADLINE", "3")
    with MisbehavingServer(mode, trickle_seconds=0.5) as server, \
            MisbehavingServer() as elsewhere:
        server.redirect_to = elsewhere.url.replace("127.0.0.1", "localhost").rstrip("/")
        result = user("sync", "--url", server.url, "--user", USER, "--calendar", CALENDAR_NAME)
        assert (result.exit_code, result.stdout) == (1, "")
        message = one_line(result)
        assert message.isprintable() and len(message) < 400, message
        expected = {"redirect-away": "sent prepplan to another server (localhost:",
                    "endless": "sent a reply larger than 32 MB", "huge": "larger than 32 MB",
                    "trickle": "did not finish within 3 s: run `prepplan sync` again later",
                    "trickle-headers": "did not finish within 3 s",
                    "error-500": "500", "garbage": "not valid XML",
                    "invalid-xml": "not valid XML"}
        assert expected[mode] in message, message
        assert server.writes() == [] and elsewhere.requests == []
    assert Store.open(prepplan_home).caldav_state(
        Store.open(prepplan_home).require_current().plan_id).events == {}


def test_a_deadline_that_is_not_a_number_is_a_usage_error(user, monkeypatch):
    monkeypatch.setenv("PREPPLAN_SYNC_DEADLINE", "soon")
    result = user("sync", "--url", "http://127.0.0.1:9/", "--user", USER)
    assert result.exit_code == 2
    assert one_line(result) == "PREPPLAN_SYNC_DEADLINE (seconds) must be a number, not 'soon'"


def test_events_listed_outside_the_calendar_are_never_touched(user, prepplan_home):
    plan_id = Store.open(prepplan_home).require_current().plan_id
    birthday = (f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nBEGIN:VEVENT\r\n"
                f"UID:birthday.{plan_id}@prepplan\r\nDTSTAMP:20260301T000000Z\r\n"
                f"DTSTART;VALUE=DATE:20260305\r\nSUMMARY:Birthday\r\nEND:VEVENT\r\n"
                f"END:VCALENDAR\r\n")
    with MisbehavingServer() as server:
        server.extra_listing = [("/tester/personal2/birthday.ics", birthday),
                                ("/tester/cal/../personal2/up.ics", birthday)]
        result = user("sync", "--url", server.url, "--user", USER, "--calendar", CALENDAR_NAME)
        assert result.exit_code == 0, result.output
        assert result.stdout == (counts(created=PLAN_EVENTS, name=CALENDAR_NAME)
                                 + "Ignored: 2 events the server listed outside this "
                                   "calendar.\n")
        assert [method for method, _ in server.writes()] == ["PUT"] * PLAN_EVENTS
        assert all(path.startswith(CALENDAR_PATH) for _, path in server.writes())


# ---------------------------------------------------------------- the password

def test_credentials_in_the_url_are_refused_before_anything_is_stored(user, prepplan_home):
    before = (prepplan_home / "prepplan.db").read_bytes()
    result = user("sync", "--url", f"http://{USER}:{PASSWORD}@127.0.0.1:9/", "--user", USER)
    assert result.exit_code == 1
    assert one_line(result) == ("the CalDAV address must not contain a user name or password: "
                                "use http://127.0.0.1:9/… with --user NAME, and the password in "
                                "PREPPLAN_CALDAV_PASSWORD")
    assert (prepplan_home / "prepplan.db").read_bytes() == before


def test_plain_http_to_another_computer_needs_insecure(user, prepplan_home):
    result = user("sync", "--url", "http://calendar.example.com/dav/", "--user", USER)
    assert result.exit_code == 1
    assert one_line(result) == ("refusing to send the CalDAV password unencrypted (http://) to "
                                "calendar.example.com: use https://, or --insecure if you must")
    assert Store.open(prepplan_home).setting("caldav_url") is None


def test_the_password_is_nowhere_after_failures(user, server, request, tmp_path,
                                                prepplan_home):
    """Conflict, refusal, a misbehaving server and a wrong password in one store: the marker is
    in no output and no file (the database included)."""
    name = calendar_for(request)
    phone = first_sync(user, server, name)
    phone.edit(next(uid for uid in plan_events(prepplan_home) if "topic-2.1." in uid), "Mine")
    outputs = [user("sync")]
    with MisbehavingServer("echo-password") as echoing:
        outputs.append(user("sync", "--url", echoing.url, "--calendar", CALENDAR_NAME))
    with MisbehavingServer("invalid-xml") as broken:
        outputs.append(user("sync", "--url", broken.url))
    assert [result.exit_code for result in outputs] == [1, 1, 1]
    for result in outputs:
        one_line(result)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path
            assert MARKER.encode() not in path.read_bytes(), path


def test_the_password_is_not_in_the_process_arguments(tmp_path, prepplan_home):
    """A real process, held by a trickling server: its argv (what `ps` shows) lacks it."""
    environment = dict(os.environ, PREPPLAN_HOME=str(prepplan_home),
                       PREPPLAN_CALDAV_PASSWORD=PASSWORD, PREPPLAN_SYNC_DEADLINE="30")
    prepplan = [sys.executable, "-m", "prepplan"]
    subprocess.run([*prepplan, "generate", "--start", "2026-03-02", "--tz", "UTC", "--out",
                    str(tmp_path / "plan.ics")], env=environment, check=True,
                   capture_output=True)
    with MisbehavingServer("trickle", trickle_seconds=0.5) as server:
        process = subprocess.Popen([*prepplan, "sync", "--url", server.url, "--user", USER,
                                    "--calendar", CALENDAR_NAME], env=environment,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(300):  # until the listing has begun: the password has been used
            if any(method == "REPORT" for method, _ in server.requests):
                break
            time.sleep(0.1)
        argv = Path(f"/proc/{process.pid}/cmdline").read_bytes()
        process.kill()
        out, err = process.communicate()
    assert any(method == "REPORT" for method, _ in server.requests)
    assert b"sync" in argv and server.url.encode() in argv
    assert MARKER.encode() not in argv + out + err


# ---------------------------------------------------------------- the report

def test_the_report_names_every_conflict_and_refusal_with_its_reason():
    import io

    from prepplan.app import SyncOutcome, refuse_unfinished
    from prepplan.errors import RefusedError
    from prepplan.sync import Conflict, Failure, SyncResult, SyncState
    from prepplan.text import Out, sync_summary

    result = SyncResult("http://h/u/c/", SyncState(), created=1, updated=2, deleted=3,
                        unchanged=4, foreign=5, kept=6, outside=7,
                        conflicts=(Conflict("a", "edited", "1.1 Python"),
                                   Conflict("b", "deleted", "")),
                        failures=(Failure("c", "403 Forbidden: read-only", "2.1 Processes"),),
                        complete=False)
    stream = io.StringIO()
    sync_summary(Out(stream, terminal=False), SyncOutcome("Plan", result))
    assert stream.getvalue() == (
        "CalDAV calendar 'Plan': 1 created, 2 updated, 3 deleted, 4 unchanged\n"
        "Left alone: 5 events prepplan did not make.\n"
        "Left alone: 6 events the plan no longer has, changed on the server.\n"
        "Ignored: 7 events the server listed outside this calendar.\n"
        "Conflicts: 2 events changed on the server since prepplan wrote them, left as is "
        "(`prepplan sync --force` writes the plan's version):\n"
        "  1.1 Python: edited on the server\n"
        "  b: deleted on the server\n"
        "Not written: 1 event the server refused (the next sync tries again):\n"
        "  2.1 Processes: 403 Forbidden: read-only\n")
    with pytest.raises(RefusedError) as refused:
        refuse_unfinished(SyncOutcome("Plan", result))
    assert refused.value.message == ("the calendar 'Plan' is not yet equal to the plan: "
                                     "2 conflicts and 1 refused write (see above)")
    refuse_unfinished(SyncOutcome("Plan", SyncResult("http://h/u/c/", SyncState())))  # ok: quiet


# ---------------------------------------------------------------- failing, and what stays

def test_a_sync_cut_short_is_finished_by_the_next(user, server, request, prepplan_home):
    """The connection drops after 10 writes (every later PUT unanswered): the sync stops after
    three unanswered writes in a row, remembers the 10, and the next sync does the rest."""
    name = calendar_for(request)
    with RefusingProxy(server.url) as proxy:
        proxy.hang_up_after = 10
        cut = user("sync", "--url", proxy.url, "--user", USER, "--calendar", name)
        assert (cut.exit_code, cut.stdout) == (1, "")
        assert one_line(cut).startswith(f"the CalDAV server at 127.0.0.1:{proxy.port} stopped "
                                        f"answering after 13 of {PLAN_EVENTS} changes (no "
                                        f"answer (")
        assert one_line(cut).endswith(")): run `prepplan sync` again to finish")
        phone = Phone(server, name)
        assert len(phone.summaries()) == 10
        proxy.hang_up_after = None
        finished = user("sync")
        assert (finished.exit_code, finished.stdout) == (
            0, counts(created=PLAN_EVENTS - 10, unchanged=10, name=name))
    assert_server_holds_the_plan(phone, prepplan_home)


def test_another_plans_event_is_not_ours(user, server, request):
    name = calendar_for(request)
    phone = first_sync(user, server, name)
    phone.calendar.add_event("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//prepplan//EN\r\n"
                             "BEGIN:VEVENT\r\nUID:target.0123456789abcdef@prepplan\r\n"
                             "DTSTAMP:20260301T000000Z\r\nDTSTART;VALUE=DATE:20261101\r\n"
                             "SUMMARY:Another plan\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    assert user("generate", "--start", "2026-03-02", "--hours", "12", "--tz", "UTC",
                "--force").exit_code == 0
    result = user("sync")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("\nLeft alone: 1 event prepplan did not make.\n")
    assert phone.summaries()["target.0123456789abcdef@prepplan"] == "Another plan"


def test_wrong_password_and_stopped_server(user, tmp_path, monkeypatch, run_json):
    own = start_server("radicale", tmp_path / "own-radicale")  # this test stops it
    try:
        assert user("sync", "--url", own.url, "--user", USER).exit_code == 0
        before = run_json("show")
        monkeypatch.setenv("PREPPLAN_CALDAV_PASSWORD", "not-the-password")
        wrong = user("sync", "--url", own.url, "--user", USER)
        assert wrong.exit_code == 1
        assert one_line(wrong) == (f"the CalDAV server at {own.url} refused user 'tester' and "
                                   f"this password (401): check PREPPLAN_CALDAV_PASSWORD "
                                   f"(iCloud and Fastmail want an app-specific password)")
        monkeypatch.setenv("PREPPLAN_CALDAV_PASSWORD", PASSWORD)
    finally:
        own.stop()
    stopped = user("sync")
    assert stopped.exit_code == 1
    assert one_line(stopped) == f"cannot reach the CalDAV server at {own.url}: Connection refused"
    assert run_json("show") == before  # the local plan is untouched
    failed = user("generate", "--start", "2026-03-02", "--hours", "12", "--tz", "UTC",
                  "--force", "--sync")  # keeps the new plan when the sync fails
    assert failed.exit_code == 1
    assert one_line(failed).endswith(" — your plan is saved; run `prepplan sync` to retry")
    assert run_json("show")["hours_per_week"] == 12


def test_not_a_caldav_server(user):
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # keep the test's stderr for prepplan's message
            pass

    web = http.server.HTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=web.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{web.server_address[1]}/"
        result = user("sync", "--url", url, "--user", "someone")
    finally:
        web.shutdown()
        web.server_close()
    assert result.exit_code == 1
    message = one_line(result)
    assert message.startswith(f"{url} does not answer as a CalDAV server (")
    assert message.endswith("): use the address of your CalDAV account or calendar home")


def test_sync_without_settings_or_password(run, monkeypatch, prepplan_home):
    monkeypatch.delenv("PREPPLAN_CALDAV_PASSWORD", raising=False)
    assert run("generate", "--start", "2026-03-02", "--tz", "UTC").exit_code == 0
    unset = run("sync")
    assert (unset.exit_code, unset.stderr) == (
        1, "prepplan: no CalDAV calendar set up yet: run `prepplan sync --url URL --user NAME` "
           "once\n")
    before = (prepplan_home / "prepplan.db").read_bytes()
    no_password = run("sync", "--url", "http://127.0.0.1:9/", "--user", "me")
    assert (no_password.exit_code, no_password.stderr) == (
        1, "prepplan: no CalDAV password: set PREPPLAN_CALDAV_PASSWORD (prepplan never stores "
           "it)\n")
    # a refused sync remembers nothing (SPEC: a refusal leaves every file byte-identical)
    assert run("sync").stderr == unset.stderr
    assert (prepplan_home / "prepplan.db").read_bytes() == before


def test_a_long_server_error_is_shortened_at_a_word_never_mid_word():
    from prepplan.sync import _reason

    words = ("HTTPConnectionPool(host='caldav.example.com', port=443): Max retries exceeded "
             "with url: /dav/ (Caused by NewConnectionError('Failed to establish a new "
             "connection: [Errno 111] Connection refused'))")
    reason = _reason(ValueError(words + " " + words))
    assert len(reason) <= 200 and reason.endswith(" …")
    kept = reason[:-2].split(" ")
    assert kept == (words + " " + words).split(" ")[:len(kept)]  # whole words only
