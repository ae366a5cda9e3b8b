"""`prepplan sync` against a real Radicale server on 127.0.0.1 (started by the fixture)."""

from __future__ import annotations

from datetime import date

import icalendar
import pytest

from prepplan.ics import build_calendar, event_objects
from prepplan.store import Store

@pytest.fixture
def synced_plan(run, radicale, monkeypatch):
    monkeypatch.setenv("PREPPLAN_CALDAV_PASSWORD", radicale.password)
    result = run("generate", "--start", "2026-03-02", "--days", "mon,wed,sat", "--at", "19:00",
                 "--tz", "Europe/Berlin")
    assert result.exit_code == 0, result.output
    return run


def server_events(radicale, name="Meta Production Engineer Roadmap"):
    import caldav

    client = caldav.DAVClient(url=radicale.url, username=radicale.user,
                              password=radicale.password)
    calendar = next(c for c in client.principal().calendars() if c.get_display_name() == name)
    events = {}
    for resource in calendar.events():
        (event,) = icalendar.Calendar.from_ical(resource.data).walk("VEVENT")
        events[str(event["UID"])] = event
    return calendar, events


def plan_events(store: Store):
    current = store.require_current()
    calendar = build_calendar(current.plan, plan_id=current.plan_id,
                              sequence=current.version - 1,
                              stamp=__import__("datetime").datetime.now(
                                  __import__("datetime").timezone.utc), tz_name=current.tz)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def assert_server_matches_plan(radicale, home):
    store = Store.open(home)
    _, on_server = server_events(radicale)
    ours = {uid: e for uid, e in on_server.items() if uid.endswith("@prepplan")}
    local = plan_events(store)
    assert set(ours) == set(local)
    for uid, event in local.items():
        assert ours[uid]["DTSTART"].dt == event["DTSTART"].dt, uid
        assert ours[uid]["DTEND"].dt == event["DTEND"].dt, uid
        assert int(ours[uid]["SEQUENCE"]) == int(event["SEQUENCE"]), uid
    return ours


def test_first_sync_creates_the_plan_then_nothing_changes(synced_plan, radicale,
                                                          prepplan_home):
    run = synced_plan
    first = run("sync", "--url", radicale.url, "--user", radicale.user)
    assert first.exit_code == 0, first.output
    local = plan_events(Store.open(prepplan_home))
    assert first.stdout == (f"CalDAV calendar 'Meta Production Engineer Roadmap': {len(local)} "
                            f"created, 0 updated, 0 deleted, 0 unchanged\n")
    ours = assert_server_matches_plan(radicale, prepplan_home)
    # 6 phases + buffer + 38 topic bars + target + check-in + 105 sessions (35 weeks x 3 days:
    # 33 weeks of topics and 2 of the final block)
    assert len(ours) == len(local) == 152
    again = run("sync")  # settings remembered, password from the environment
    assert again.exit_code == 0
    assert again.stdout == (f"CalDAV calendar 'Meta Production Engineer Roadmap': 0 created, "
                            f"0 updated, 0 deleted, {len(local)} unchanged\n")


def test_replan_then_sync_updates_deletes_and_keeps_uids(synced_plan, radicale,
                                                         prepplan_home, run_json):
    run = synced_plan
    assert run("sync", "--url", radicale.url, "--user", radicale.user).exit_code == 0
    _, before = server_events(radicale)
    run("log", "12", "--date", "2026-03-10")
    run("done", "1.1", "--date", "2026-03-10")
    # 5 h a day: two blocks and a break from 18:00 end at 23:30 (from 19:00 they would not fit)
    replanned = run("replan", "--as-of", "2026-03-15", "--days", "tue,thu", "--at", "18:00",
                    "--sync")
    assert replanned.exit_code == 0, replanned.output
    line = replanned.stdout.splitlines()[-1]
    assert line.startswith("CalDAV calendar 'Meta Production Engineer Roadmap': ")
    counts = dict(part.split(" ")[::-1] for part in line.split(": ")[1].split(", "))
    ours_after = assert_server_matches_plan(radicale, prepplan_home)
    dropped = set(before) - set(ours_after)
    added = set(ours_after) - set(before)
    # mon/wed/sat sessions after the replan day are gone, tue/thu sessions came
    assert dropped and all(uid.startswith("session-") for uid in dropped)
    assert all(date.fromisoformat(uid[8:18]) > date(2026, 3, 15) for uid in dropped)
    assert added and all(uid.startswith("session-") for uid in added)
    assert int(counts["deleted"]) == len(dropped) and int(counts["created"]) == len(added)
    assert int(counts["updated"]) > 0
    kept = set(before) & set(ours_after)
    assert {uid.split(".")[0] for uid in kept} >= {"checkin", "target", "phase-systems-coding"}
    assert {int(ours_after[uid]["SEQUENCE"]) for uid in ours_after} == {1}
    again = run("sync")
    assert again.stdout.endswith(f"0 created, 0 updated, 0 deleted, {len(ours_after)} "
                                 f"unchanged\n")


def test_someone_elses_event_survives_every_sync(synced_plan, radicale):
    run = synced_plan
    assert run("sync", "--url", radicale.url, "--user", radicale.user).exit_code == 0
    calendar, _ = server_events(radicale)
    calendar.add_event("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//someone//EN\r\n"
                       "BEGIN:VEVENT\r\nUID:dentist-42@example.com\r\nDTSTAMP:20260301T000000Z"
                       "\r\nDTSTART:20260312T090000Z\r\nDTEND:20260312T100000Z\r\n"
                       "SUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    # an event of another prepplan plan (another database) is not ours either
    calendar.add_event("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//prepplan//EN\r\n"
                       "BEGIN:VEVENT\r\nUID:target.0123456789abcdef@prepplan\r\n"
                       "DTSTAMP:20260301T000000Z\r\nDTSTART;VALUE=DATE:20261101\r\n"
                       "SUMMARY:Another plan\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    run("generate", "--start", "2026-03-02", "--tz", "Europe/Berlin")  # no more sessions
    result = run("sync")
    assert result.exit_code == 0
    assert "Left alone: 2 events prepplan did not make." in result.stdout
    _, events = server_events(radicale)
    assert str(events["dentist-42@example.com"]["SUMMARY"]) == "Dentist"
    assert "target.0123456789abcdef@prepplan" in events
    assert not [uid for uid in events if uid.startswith("session-")]
    assert run("sync").exit_code == 0
    assert "dentist-42@example.com" in server_events(radicale)[1]


def test_an_event_edited_on_the_server_is_not_overwritten(synced_plan, radicale):
    run = synced_plan
    assert run("sync", "--url", radicale.url, "--user", radicale.user).exit_code == 0
    calendar, events = server_events(radicale)
    uid = next(uid for uid in events if uid.startswith("checkin."))
    resource = next(r for r in calendar.events() if uid in r.data)
    resource.data = resource.data.replace("prepplan weekly check-in", "Check-in (moved by me)")
    resource.save(increase_seqno=False)
    run("generate", "--start", "2026-03-02", "--days", "mon,wed,sat", "--at", "20:00",
        "--tz", "Europe/Berlin")  # the plan changes every session and the check-in
    result = run("sync")
    assert result.exit_code == 1
    assert result.stderr == ("prepplan: edited on the server since the last sync and left as "
                             "is: 1 event; `prepplan sync --force` overwrites them with the "
                             "plan\n")
    assert str(server_events(radicale)[1][uid]["SUMMARY"]) == "Check-in (moved by me)"
    forced = run("sync", "--force")
    assert forced.exit_code == 0
    assert str(server_events(radicale)[1][uid]["SUMMARY"]) == "prepplan weekly check-in"


def test_wrong_password_and_stopped_server(synced_plan, radicale, monkeypatch, run_json):
    run = synced_plan
    assert run("sync", "--url", radicale.url, "--user", radicale.user).exit_code == 0
    before = run_json("show")
    monkeypatch.setenv("PREPPLAN_CALDAV_PASSWORD", "not-the-password")
    wrong = run("sync", "--url", radicale.url, "--user", radicale.user)
    assert wrong.exit_code == 1
    assert wrong.stderr == (f"prepplan: the CalDAV server at {radicale.url} refused user "
                            f"'tester' and this password (401): check PREPPLAN_CALDAV_PASSWORD "
                            f"(iCloud and Fastmail want an app-specific password)\n")
    monkeypatch.setenv("PREPPLAN_CALDAV_PASSWORD", radicale.password)
    radicale.stop()
    stopped = run("sync")
    assert stopped.exit_code == 1
    assert stopped.stderr.startswith(f"prepplan: cannot reach the CalDAV server at "
                                     f"{radicale.url}: ")
    assert stopped.stderr.count("\n") == 1
    assert run_json("show") == before  # the local plan is untouched
    # a generate with --sync keeps the new plan when the sync fails
    failed = run("generate", "--start", "2026-03-02", "--hours", "12", "--tz", "Europe/Berlin",
                 "--sync")
    assert failed.exit_code == 1
    assert failed.stderr.endswith(" — your plan is saved; run `prepplan sync` to retry\n")
    assert run_json("show")["hours_per_week"] == 12


def test_not_a_caldav_server(synced_plan, tmp_path):
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # keep the test's stderr for prepplan's message
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        result = synced_plan("sync", "--url", url, "--user", "someone")
    finally:
        server.shutdown()
    assert result.exit_code == 1
    assert result.stderr.startswith(f"prepplan: {url} does not answer as a CalDAV server (")
    assert result.stderr.endswith("): use the address of your CalDAV account or calendar "
                                  "home\n")


def test_sync_without_settings_or_password(run, monkeypatch):
    monkeypatch.delenv("PREPPLAN_CALDAV_PASSWORD", raising=False)
    run("generate", "--start", "2026-03-02", "--tz", "UTC")
    unset = run("sync")
    assert (unset.exit_code, unset.stderr) == (
        1, "prepplan: no CalDAV calendar set up yet: run `prepplan sync --url URL --user NAME` "
           "once\n")
    no_password = run("sync", "--url", "http://127.0.0.1:9/", "--user", "me")
    assert (no_password.exit_code, no_password.stderr) == (
        1, "prepplan: no CalDAV password: set PREPPLAN_CALDAV_PASSWORD (prepplan never stores "
           "it)\n")
    # a refused sync remembers nothing (SPEC: a refusal leaves every file byte-identical)
    assert run("sync").stderr == unset.stderr


def test_a_sync_cut_short_is_completed_by_the_next(synced_plan, radicale, prepplan_home):
    """The connection drops after a few writes; the next sync finishes the job."""
    import caldav

    from prepplan.sync import SyncError, sync_calendar

    run = synced_plan
    store = Store.open(prepplan_home)
    current = store.require_current()
    desired = event_objects(build_calendar(current.plan, plan_id=current.plan_id, sequence=0,
                                           stamp=current.created_at, tz_name=current.tz))
    client = caldav.DAVClient(url=radicale.url, username=radicale.user,
                              password=radicale.password)
    calendar = client.principal().make_calendar(name="Meta Production Engineer Roadmap")

    class Flaky:
        def __init__(self, inner, failing_after):
            self.inner, self.left = inner, failing_after

        def put(self, *args):
            if self.left == 0:
                raise ConnectionError("connection reset by peer")
            self.left -= 1
            return self.inner.put(*args)

        def request(self, *args):
            return self.inner.request(*args)

    with pytest.raises(SyncError) as cut:
        sync_calendar(Flaky(client, 10), calendar, desired,
                      lambda uid: uid.endswith("@prepplan"), {})
    assert cut.value.message == ("the CalDAV server stopped answering after 10 of 152 events "
                                 "(connection reset by peer): run `prepplan sync` again to "
                                 "finish")
    assert len(calendar.events()) == 10
    result = run("sync", "--url", radicale.url, "--user", radicale.user)
    assert result.exit_code == 0
    assert result.stdout == ("CalDAV calendar 'Meta Production Engineer Roadmap': 142 created, "
                             "0 updated, 0 deleted, 10 unchanged\n")
    assert_server_matches_plan(radicale, prepplan_home)


def test_a_long_server_error_is_shortened_at_a_word_never_mid_word():
    from prepplan.sync import _reason

    words = ("HTTPConnectionPool(host='caldav.example.com', port=443): Max retries exceeded "
             "with url: /dav/ (Caused by NewConnectionError('Failed to establish a new "
             "connection: [Errno 111] Connection refused'))")
    reason = _reason(OSError(words + " " + words))
    assert len(reason) <= 200 and reason.endswith(" …")
    kept = reason[:-2].split(" ")
    assert kept == (words + " " + words).split(" ")[:len(kept)]  # whole words only
