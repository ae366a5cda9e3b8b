"""prepplan.sync against real CalDAV servers on 127.0.0.1 (Radicale with default settings and
with strict path validation, Xandikos) and against a misbehaving one, through its Python API:
connect, find_or_create, sync_calendar and the SyncState the store keeps between syncs."""

from __future__ import annotations

import re
import subprocess
import time
from datetime import date, datetime, timezone
from urllib.parse import quote, unquote, urlsplit

import caldav
import icalendar
import pytest

from prepplan import sync
from prepplan.ics import build_calendar, event_objects
from prepplan.sync import Deadline, EventRecord, SyncError, SyncState
from support.plans import make_plan
from support.caldav_servers import (CALENDAR_PATH, MISBEHAVIOURS, PASSWORD, SERVER_KINDS,
                                    MisbehavingServer, RefusingProxy, start_server)
from support.caldav_servers import Phone as BasePhone

PLAN_ID = "5eed5eed5eed5eed"
SUFFIX = f".{PLAN_ID}@prepplan"
START = date(2026, 3, 2)
SAFE_NAME = re.compile(r"^[A-Za-z0-9._-]+$")
# UIDs a server would choke on in an href: '+' (strict path validation), '/', '%', space
AWKWARD_UIDS = (f"session-2026-03-02+1{SUFFIX}", f"mock/loop 1%{SUFFIX}")


def is_ours(uid: str) -> bool:
    return uid.endswith(SUFFIX)


def event(uid: str, summary: str, day: date = START) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//prepplan//prepplan//EN")
    calendar.add("version", "2.0")
    item = icalendar.Event()
    item.add("uid", uid)
    item.add("summary", summary)
    item.add("dtstart", day)
    item.add("dtstamp", datetime(2026, 3, 1, tzinfo=timezone.utc))
    item.add("sequence", 0)
    calendar.add_component(item)
    return calendar.to_ical()


def plan_events(hours: float = 10, stamp_day: int = 1) -> dict[str, bytes]:
    """A real plan's events (74: phases, the final block, topic bars, mocks, target, check-in)
    and two with UIDs no href could carry as they are."""
    plan = make_plan(START, hours, 8)
    objects = event_objects(build_calendar(
        plan, plan_id=PLAN_ID, sequence=0, tz_name="Europe/Berlin",
        stamp=datetime(2026, 3, stamp_day, tzinfo=timezone.utc)))
    objects.update({uid: event(uid, f"Awkward {n}") for n, uid in enumerate(AWKWARD_UIDS)})
    return objects


def summary_of(body: bytes | str) -> str:
    (item,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    return str(item["SUMMARY"])


def with_summary(body: bytes, summary: str) -> bytes:
    calendar = icalendar.Calendar.from_ical(body)
    (item,) = calendar.walk("VEVENT")
    item["SUMMARY"] = icalendar.vText(summary)
    return calendar.to_ical()


def no_password_in(*texts: str) -> None:
    for text in texts:
        assert PASSWORD not in text and "MARKER" not in text, text


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module", params=SERVER_KINDS)
def server(request, tmp_path_factory):
    running = start_server(request.param, tmp_path_factory.mktemp(request.param))
    yield running
    running.stop()


class Phone(BasePhone):
    """A phone on the calendar at `calendar_url`, listing events with their hrefs."""

    def __init__(self, server, calendar_url: str) -> None:
        self.client = caldav.DAVClient(url=server.url, username=server.user,
                                       password=server.password)
        super().__init__(self.client.calendar(url=calendar_url))

    def events(self) -> dict[str, tuple[str, str]]:
        """UID -> (href path, data) of everything on the calendar."""
        found = {}
        for resource in self.calendar.events():
            (item, *_) = icalendar.Calendar.from_ical(resource.data).walk("VEVENT")
            found[str(item["UID"])] = (urlsplit(str(resource.url)).path, resource.data)
        return found

    def summaries(self) -> dict[str, str]:
        return {uid: summary_of(data) for uid, (_, data) in self.events().items()}



@pytest.fixture
def calendar(server, request):
    """A fresh calendar of its own on the module's server, opened through prepplan.sync."""
    client, principal = sync.connect(server.url, server.user, server.password,
                                     deadline=Deadline(60))
    return sync.find_or_create(principal, f"Plan {request.node.name}"[:60])


@pytest.fixture
def phone(server, calendar):
    return Phone(server, str(calendar.url))


def run_sync(calendar, desired, state, force=False):
    result = sync.sync_calendar(calendar, desired, is_ours, state, force=force,
                                deadline=Deadline(60))
    no_password_in(*(failure.reason for failure in result.failures))
    return result


# ---------------------------------------------------------------- real servers

def test_first_sync_creates_everything_then_nothing_changes(calendar, phone):
    desired = plan_events()
    first = run_sync(calendar, desired, SyncState())
    assert (first.created, first.updated, first.deleted, first.unchanged) == (76, 0, 0, 0)
    assert (first.conflicts, first.failures, first.complete, first.ok) == ((), (), True, True)
    on_server = phone.events()
    assert set(on_server) == set(desired)
    for uid, (href, data) in on_server.items():
        assert summary_of(data) == summary_of(desired[uid])
        assert SAFE_NAME.match(href.rsplit("/", 1)[1]), href  # '+', '/', '%', ' ' never
        assert first.state.events[uid] == EventRecord(href, first.state.events[uid].etag)
        assert first.state.events[uid].etag
    assert summary_of(on_server[AWKWARD_UIDS[0]][1]) == "Awkward 0"

    second = run_sync(calendar, desired, first.state)
    assert (second.created, second.updated, second.deleted, second.unchanged) == (0, 0, 0, 76)
    assert second.state == first.state and second.ok
    # a new DTSTAMP alone is no change
    third = run_sync(calendar, plan_events(stamp_day=5), second.state)
    assert (third.updated, third.unchanged) == (0, 76)


def test_the_strict_server_refuses_plus_in_an_href(server, calendar, phone):
    """The fixtures are what they claim: only strict Radicale answers 400 to an href with
    '+' (the href an older prepplan made from such a UID)."""
    url = phone.calendar.url.join(quote("a+b@example.com", safe="") + ".ics")
    response = phone.client.put(str(url), event("a+b@example.com", "x").decode(),
                                {"Content-Type": "text/calendar"})
    assert response.status == (400 if server.kind == "radicale-strict" else 201)


def test_changes_and_someone_elses_events(calendar, phone):
    desired = plan_events()
    state = run_sync(calendar, desired, SyncState()).state
    phone.add(event("dentist-42@example.com", "Dentist"))
    phone.add(event("target.0123456789abcdef@prepplan", "Another plan"))  # not this plan's
    dentist_before = phone.events()["dentist-42@example.com"][1]
    changed = dict(desired)
    dropped = [uid for uid in desired if uid.startswith("topic-6.")]
    for uid in dropped:
        del changed[uid]
    changed[f"topic-1.1{SUFFIX}"] = with_summary(desired[f"topic-1.1{SUFFIX}"], "Renamed")
    changed[f"extra{SUFFIX}"] = event(f"extra{SUFFIX}", "Extra")

    result = run_sync(calendar, changed, state)
    assert (result.created, result.updated, result.deleted) == (1, 1, len(dropped))
    assert result.unchanged == len(desired) - len(dropped) - 1
    assert (result.foreign, result.kept, result.ok) == (2, 0, True)
    summaries = phone.summaries()
    assert summaries[f"topic-1.1{SUFFIX}"] == "Renamed" and summaries[f"extra{SUFFIX}"] == "Extra"
    assert not set(dropped) & set(summaries)
    assert phone.events()["dentist-42@example.com"][1] == dentist_before
    assert summaries["target.0123456789abcdef@prepplan"] == "Another plan"
    assert set(result.state.events) == set(changed)


def test_an_edit_on_the_server_is_a_conflict_until_force(calendar, phone):
    desired = plan_events()
    checkin = f"checkin{SUFFIX}"
    state = run_sync(calendar, desired, SyncState()).state
    phone.edit(checkin, "Check-in (moved by me)")

    first = run_sync(calendar, desired, state)
    assert first.conflicts == (sync.Conflict(checkin, "edited", "prepplan weekly check-in"),)
    assert (first.updated, first.unchanged, first.complete, first.ok) == (0, 75, True, False)
    assert first.state.conflicts == {checkin: "edited"}
    assert first.state.events[checkin].etag == state.events[checkin].etag  # ours, not theirs
    assert phone.summaries()[checkin] == "Check-in (moved by me)"

    again = run_sync(calendar, desired, first.state)
    assert [c.uid for c in again.conflicts] == [checkin] and again.updated == 0
    assert phone.summaries()[checkin] == "Check-in (moved by me)"

    replanned = {uid: with_summary(body, summary_of(body) + " (v2)")
                 for uid, body in desired.items()}
    after_replan = run_sync(calendar, replanned, again.state)
    assert [c.uid for c in after_replan.conflicts] == [checkin]
    assert after_replan.conflicts[0].title == "prepplan weekly check-in (v2)"
    assert (after_replan.updated, after_replan.unchanged) == (75, 0)
    summaries = phone.summaries()
    assert summaries[checkin] == "Check-in (moved by me)"
    assert summaries[f"target{SUFFIX}"].endswith(" (v2)")

    forced = run_sync(calendar, replanned, after_replan.state, force=True)
    assert (forced.updated, forced.unchanged, forced.conflicts) == (1, 75, ())
    assert phone.summaries()[checkin] == "prepplan weekly check-in (v2)"
    assert forced.state.conflicts == {}
    assert run_sync(calendar, replanned, forced.state).unchanged == 76


def test_a_deletion_on_the_server_is_not_undone_without_force(calendar, phone):
    desired = plan_events()
    target = f"target{SUFFIX}"
    state = run_sync(calendar, desired, SyncState()).state
    phone.delete(target)

    first = run_sync(calendar, desired, state)
    assert [(c.uid, c.kind) for c in first.conflicts] == [(target, "deleted")]
    assert first.conflicts[0].title == summary_of(desired[target])
    assert (first.created, first.unchanged) == (0, 75)
    assert target not in phone.events()
    again = run_sync(calendar, desired, first.state)
    assert [(c.uid, c.kind) for c in again.conflicts] == [(target, "deleted")]
    assert again.created == 0 and target not in phone.events()

    forced = run_sync(calendar, desired, again.state, force=True)
    assert (forced.created, forced.conflicts) == (1, ())
    assert phone.summaries()[target] == summary_of(desired[target])
    assert run_sync(calendar, desired, forced.state).unchanged == 76


def test_an_edited_event_the_plan_drops_is_left_and_forgotten(calendar, phone):
    desired = plan_events()
    topic = f"topic-6.1{SUFFIX}"
    state = run_sync(calendar, desired, SyncState()).state
    phone.edit(topic, "My own notes now")
    conflicted = run_sync(calendar, desired, state)
    assert [c.uid for c in conflicted.conflicts] == [topic]

    without = {uid: body for uid, body in desired.items() if uid != topic}
    dropped = run_sync(calendar, without, conflicted.state)
    assert (dropped.conflicts, dropped.deleted, dropped.kept, dropped.ok) == ((), 0, 1, True)
    assert topic not in dropped.state.events
    assert phone.summaries()[topic] == "My own notes now"
    assert run_sync(calendar, without, dropped.state).kept == 1
    assert phone.summaries()[topic] == "My own notes now"


def test_one_refused_event_does_not_stop_the_rest(server):
    with RefusingProxy(server.url) as proxy:
        client, principal = sync.connect(proxy.url, server.user, server.password)
        calendar = sync.find_or_create(principal, "Plan refused")
        phone = Phone(server, str(calendar.url).replace(proxy.url, server.url))
        desired = plan_events()
        state = run_sync(calendar, {u: b for u, b in desired.items() if "topic-6." not in u},
                         SyncState()).state
        refused = AWKWARD_UIDS[0]
        proxy.refuse_uid = refused
        changed = {uid: with_summary(body, "v2") if uid.startswith("topic-2.") else body
                   for uid, body in desired.items() if not uid.startswith("topic-5.")}
        changed[refused] = with_summary(desired[refused], "Awkward changed")

        result = run_sync(calendar, changed, state)
        dropped = [uid for uid in desired if uid.startswith("topic-5.")]
        added = [uid for uid in desired if uid.startswith("topic-6.")]
        renamed = [uid for uid in desired if uid.startswith("topic-2.")]
        assert (result.created, result.updated, result.deleted) == (
            len(added), len(renamed), len(dropped))
        assert result.failures == (sync.Failure(
            refused, "400 Bad Request: this server does not accept that event",
            "Awkward changed"),)
        assert (result.complete, result.ok, result.conflicts) == (False, False, ())
        summaries = phone.summaries()
        assert summaries[refused] == "Awkward 0"  # the old version stays
        assert {summaries[uid] for uid in renamed} == {"v2"}
        assert set(added) <= set(summaries) and not set(dropped) & set(summaries)

        proxy.refuse_uid = None  # the server accepts it now: the next sync finishes the job
        retried = run_sync(calendar, changed, result.state)
        assert (retried.updated, retried.failures, retried.conflicts, retried.ok) == (
            1, (), (), True)
        assert phone.summaries()[refused] == "Awkward changed"


def test_a_sync_cut_short_is_finished_by_the_next(server):
    with RefusingProxy(server.url) as proxy:
        client, principal = sync.connect(proxy.url, server.user, server.password)
        calendar = sync.find_or_create(principal, "Plan cut short")
        desired = plan_events()
        proxy.hang_up_after = 10  # puts; then it drops every connection without an answer
        with pytest.raises(SyncError) as cut:
            run_sync(calendar, desired, SyncState())
        assert cut.value.message.startswith(
            "the CalDAV server at 127.0.0.1:")
        assert " stopped answering after 13 of 76 changes (no answer (" in cut.value.message
        assert "\n" not in cut.value.message
        assert len(cut.value.state.events) == 10
        proxy.hang_up_after = None
        finished = run_sync(calendar, desired, cut.value.state)
        assert (finished.created, finished.unchanged, finished.ok) == (66, 10, True)


def test_a_calendar_synced_by_an_older_prepplan_keeps_working(server, calendar, phone):
    """Older prepplan put events at quote(uid) + ".ics" and stored only ETags (migrated into
    records without href); events are found by UID, wherever they are."""
    desired = plan_events()
    old = {uid: body for uid, body in desired.items() if uid not in AWKWARD_UIDS}
    base = phone.calendar.url
    etags = {}  # what the older prepplan recorded: the ETag of each PUT's answer
    for uid, body in old.items():
        response = phone.client.put(str(base.join(quote(uid, safe="") + ".ics")),
                                    body.decode(), {"Content-Type": "text/calendar"})
        assert response.status in (201, 204), response.status
        etags[uid] = response.headers["ETag"]
    legacy = SyncState.from_rows(None, [(uid, None, etag, None) for uid, etag in etags.items()])
    changed = {uid: with_summary(body, "v2") if uid.startswith("topic-1.") else body
               for uid, body in desired.items()}

    result = run_sync(calendar, changed, legacy)
    renamed = [uid for uid in changed if uid.startswith("topic-1.")]
    assert (result.created, result.updated, result.unchanged, result.conflicts) == (
        2, len(renamed), 74 - len(renamed), ())
    on_server = phone.events()
    assert len(on_server) == 76  # no second copy of any event
    for uid in old:  # still where the older prepplan put them
        assert unquote(on_server[uid][0].rsplit("/", 1)[1]) == uid + ".ics"
        assert unquote(result.state.events[uid].href) == unquote(on_server[uid][0])
    assert {summary_of(on_server[uid][1]) for uid in renamed} == {"v2"}
    assert all(SAFE_NAME.match(on_server[uid][0].rsplit("/", 1)[1]) for uid in AWKWARD_UIDS)
    assert run_sync(calendar, changed, result.state).unchanged == 76


def test_a_state_for_another_calendar_is_not_applied(calendar, phone):
    """Records made for another calendar say nothing about this one: no false 'deleted'."""
    desired = plan_events()
    elsewhere = SyncState("http://127.0.0.1:1/other/cal/", {
        uid: EventRecord("/other/cal/x.ics", '"abc"') for uid in desired})
    result = run_sync(calendar, desired, elsewhere)
    assert (result.created, result.conflicts) == (76, ())


def test_a_wrong_password(server):
    if server.kind == "xandikos":
        pytest.skip("Xandikos checks no password over plain HTTP")
    with pytest.raises(SyncError) as wrong:
        sync.connect(server.url, server.user, "not-it-" + PASSWORD)
    assert wrong.value.message == (
        f"the CalDAV server at {server.url} refused user 'tester' and this password (401): "
        f"check PREPPLAN_CALDAV_PASSWORD (iCloud and Fastmail want an app-specific password)")


# ---------------------------------------------------------------- misbehaving servers

DEADLINE_SECONDS = 3


@pytest.mark.parametrize("stage", ["REPORT", "*"], ids=["listing", "discovery"])
@pytest.mark.parametrize("mode", MISBEHAVIOURS)
def test_a_misbehaving_server_ends_in_one_line(mode, stage):
    with MisbehavingServer(mode, stage, trickle_seconds=0.5) as server, \
            MisbehavingServer() as elsewhere:
        server.redirect_to = elsewhere.url.replace("127.0.0.1", "localhost").rstrip("/")
        started = time.monotonic()
        deadline = Deadline(DEADLINE_SECONDS)
        with pytest.raises(SyncError) as failed:
            client, principal = sync.connect(server.url, server.user, server.password,
                                             deadline=deadline)
            calendar = sync.find_or_create(principal, "Plan")
            sync.sync_calendar(calendar, plan_events(), is_ours, SyncState(),
                               deadline=deadline)
        elapsed = time.monotonic() - started
        message = failed.value.message
        assert elapsed < DEADLINE_SECONDS + 1.5, elapsed
        assert "\n" not in message and len(message) < 400, message
        assert message.isprintable(), message
        no_password_in(message, str(failed.value))
        assert server.writes() == [] and elsewhere.requests == []
        expected = {"redirect-away": "sent prepplan to another server (localhost:",
                    "endless": "sent a reply larger than 32 MB", "huge": "larger than 32 MB",
                    "trickle": f"did not finish within {DEADLINE_SECONDS} s",
                    "trickle-headers": f"did not finish within {DEADLINE_SECONDS} s"}
        assert expected.get(mode, "") in message
        if mode == "echo-password" and stage == "REPORT":
            assert message.endswith(": you sent Basic *** (tester:***) and ***"), message


def test_hrefs_outside_the_calendar_are_never_touched():
    desired = plan_events()
    topic = f"topic-1.1{SUFFIX}"
    planted = {  # href -> UID: listed by the server as if in the calendar
        "/tester/personal2/birthday.ics": f"birthday{SUFFIX}",
        "/tester/personal2/topic.ics": topic,
        "http://localhost:1/tester/cal/evil.ics": f"evil{SUFFIX}",
        "/tester/cal/../personal2/up.ics": f"up{SUFFIX}",
        "/tester/cal/%2e%2e/personal2/enc.ics": f"enc{SUFFIX}",
        "/tester/cal/sub%2Fdir.ics": f"slash{SUFFIX}",
        "/tester/cal/": f"itself{SUFFIX}"}
    with MisbehavingServer() as server:
        server.extra_listing = [(href, event(uid, "Not yours").decode())
                                for href, uid in planted.items()]
        # a state that claims prepplan wrote the ones the plan no longer has, with the ETags
        # listed: the older prepplan deleted such events
        state = SyncState(None, {uid: EventRecord(href, '"extra"')
                                 for href, uid in planted.items() if uid != topic})
        client, principal = sync.connect(server.url, server.user, server.password)
        calendar = sync.find_or_create(principal, "Plan")
        result = sync.sync_calendar(calendar, desired, is_ours, state)
        assert (result.outside, result.created, result.deleted) == (len(planted), 76, 0)
        written = [path for method, path in server.writes()]
        assert [method for method, _ in server.writes()] == ["PUT"] * 76
        for path in written:
            assert path.startswith(CALENDAR_PATH)
            assert SAFE_NAME.match(path[len(CALENDAR_PATH):]), path
        assert summary_of(next(data for etag, data in server.events.values()
                               if f"UID:{topic}" in data)) == summary_of(desired[topic])


def test_a_server_that_rewrites_events_and_answers_puts_without_etag():
    """The ETag of the stored version is read back; the server's own additions are no edit,
    a real edit still is."""
    desired = plan_events()
    with MisbehavingServer() as server:
        server.etag_on_put, server.rewrite_on_put = False, True
        client, principal = sync.connect(server.url, server.user, server.password)
        calendar = sync.find_or_create(principal, "Plan")
        first = sync.sync_calendar(calendar, desired, is_ours, SyncState())
        assert first.created == 76
        stored = {path: etag for path, (etag, _) in server.events.items()}
        assert {record.etag for record in first.state.events.values()} == set(stored.values())
        second = sync.sync_calendar(calendar, desired, is_ours, first.state)
        assert (second.unchanged, second.updated, second.conflicts) == (76, 0, ())
        target = first.state.events[f"target{SUFFIX}"].href
        etag, data = server.events[target]
        server.events[target] = ('"edited"', data.replace("SUMMARY:", "SUMMARY:Moved: "))
        third = sync.sync_calendar(calendar, plan_events(hours=12), is_ours, second.state)
        assert [(c.uid, c.kind) for c in third.conflicts] == [(f"target{SUFFIX}", "edited")]
        assert server.events[target][0] == '"edited"'


def test_credentials_inside_the_url_are_refused():
    for url in (f"http://tester:{PASSWORD}@127.0.0.1:5232/", f"https://tester:{PASSWORD}@"
                f"cal.example.com/dav/", "https://tester@cal.example.com/"):
        with pytest.raises(SyncError) as refused:
            sync.connect(url, "tester", PASSWORD)
        assert refused.value.message.startswith("the CalDAV address must not contain a user "
                                                "name or password: use ")
        no_password_in(refused.value.message)


def test_a_password_over_plain_http_goes_only_to_this_computer():
    with pytest.raises(SyncError) as refused:
        sync.check_url("http://cal.example.com/dav/")
    assert refused.value.message == ("refusing to send the CalDAV password unencrypted "
                                     "(http://) to cal.example.com: use https://, or "
                                     "--insecure if you must")
    assert sync.check_url("http://cal.example.com/dav/", insecure=True) == \
        "http://cal.example.com/dav/"
    for local in ("http://localhost:5232/", "http://127.0.0.1/", "http://[::1]:8/x/",
                  "https://cal.example.com/dav/"):
        assert sync.check_url(local) == local
    with pytest.raises(SyncError):
        sync.check_url("ftp://cal.example.com/")


def test_tls_certificates_are_verified(tmp_path):
    """A self-signed certificate is refused: one line, nothing sent past the handshake."""
    import http.server
    import ssl
    import threading

    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    made = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                           "-keyout", str(key), "-out", str(cert), "-days", "2",
                           "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                          capture_output=True)
    if made.returncode:
        pytest.skip("openssl cannot make a test certificate here")
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_PROPFIND(self):
            hits.append(self.path)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with pytest.raises(SyncError) as refused:
            sync.connect(f"https://127.0.0.1:{httpd.server_address[1]}/", "tester", PASSWORD,
                         deadline=Deadline(10))
    finally:
        httpd.shutdown()
    assert refused.value.message == (f"cannot reach the CalDAV server at https://127.0.0.1:"
                                     f"{httpd.server_address[1]}/: certificate verify failed: "
                                     f"self-signed certificate")
    assert hits == []
    no_password_in(refused.value.message)


def test_a_server_that_is_not_there():
    with MisbehavingServer() as gone:
        url = gone.url
    with pytest.raises(SyncError) as refused:
        sync.connect(url, "tester", PASSWORD, deadline=Deadline(10))
    assert refused.value.message == f"cannot reach the CalDAV server at {url}: Connection refused"


# ---------------------------------------------------------------- without a server

def test_href_names_use_the_safe_alphabet_and_stay_distinct():
    uids = ["a+b@x", "a_b@x", "a b@x", "a/b@x", "..@x", ".hidden@x", "ü" * 200 + "@x", ""]
    names = [sync.href_name(uid) for uid in uids]
    assert len(set(names)) == len(names)
    for name in names:
        assert SAFE_NAME.match(name) and name.endswith(".ics") and not name.startswith(".")
        assert len(name) <= 100
    assert sync.href_name("topic-1.1.5eed@prepplan") == sync.href_name("topic-1.1.5eed@prepplan")
