"""Keep one CalDAV calendar equal to the plan, with the caldav library.

prepplan touches only events whose UID it made (`is_ours`), and only at hrefs inside the synced
calendar's collection. It overwrites or deletes only the version it wrote itself: the ETag it
last wrote is kept per UID in `SyncState`, and an event whose ETag differs (edited on the
server, or never written by this store) or that is gone (deleted on the server) is a
*conflict* — reported, left alone, and remembered until `force`, until the plan no longer has
that event, or until the server holds the plan's version again. Every write is
conditional (If-None-Match: * to create, If-Match to change or delete) and stands alone: one
refusal is reported with the server's reason and the rest still happen; the next sync retries
whatever is left.

The network side (`connect`, `find_or_create`, the listing and the writes) runs under one
overall deadline and a cap on reply size (see caldav_transport); whatever goes wrong there
ends in one `SyncError` line that never contains the password.

Storage: the caller keeps `SyncState` between syncs (the store keeps it per plan:
`Store.caldav_state`, `Store.set_caldav_state`).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import logging
import re
import ssl
from dataclasses import dataclass, field
from typing import Callable, Iterator, Mapping, NamedTuple
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

from .caldav_transport import (Deadline, GuardedSession, SyncError, origin_of,
                               printable)

__all__ = ["SyncError", "Deadline", "EventRecord", "SyncState", "Conflict", "Failure",
           "SyncResult", "Connection", "check_url", "connect", "find_or_create",
           "sync_calendar", "href_name"]

TIMEOUT_SECONDS = 30  # one socket read
DEADLINE_SECONDS = 120  # one whole sync
MAX_RESPONSE_BYTES = 32 * 1024 * 1024  # one reply; a plan of 2,000 events lists in ~4 MB
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
EDITED, DELETED = "edited", "deleted"
# A run of transport failures (no HTTP answer at all) this long means the server is gone:
# stop instead of reporting every remaining event.
MAX_TRANSPORT_FAILURES_IN_A_ROW = 3
# Properties a server or a client may rewrite or add without anyone changing the event (and
# X- properties, which servers add on store; prepplan writes none on an event).
VOLATILE_PROPERTIES = frozenset({"DTSTAMP", "LAST-MODIFIED", "CREATED"})
UNSAFE_HREF_CHARACTERS = re.compile(r"[^A-Za-z0-9._-]")


# ---------------------------------------------------------------- state and result

@dataclass(frozen=True)
class EventRecord:
    """What prepplan remembers of one of its events on the server."""

    href: str | None  # path of the event as the server names it; None: not known (older store)
    etag: str | None  # ETag of the version prepplan last wrote; None: none written/known
    conflict: str | None = None  # None, EDITED or DELETED: reported until force or dropped


@dataclass(frozen=True)
class SyncState:
    """Everything the store keeps between syncs. `calendar_url` None: written by an older
    prepplan, taken to be the calendar being synced."""

    calendar_url: str | None = None
    events: Mapping[str, EventRecord] = field(default_factory=dict)

    @property
    def conflicts(self) -> dict[str, str]:
        return {uid: r.conflict for uid, r in self.events.items() if r.conflict}

    def to_rows(self) -> list[tuple[str, str | None, str | None, str | None]]:
        return [(uid, r.href, r.etag, r.conflict) for uid, r in sorted(self.events.items())]

    @classmethod
    def from_rows(cls, calendar_url: str | None, rows) -> "SyncState":
        return cls(calendar_url, {uid: EventRecord(href or None, etag or None, conflict or None)
                                  for uid, href, etag, conflict in rows})


class Conflict(NamedTuple):
    uid: str
    kind: str  # EDITED or DELETED (on the server)
    title: str  # the plan's SUMMARY of the event


class Failure(NamedTuple):
    uid: str
    reason: str  # the server's answer, e.g. "400 Bad Request: ..."
    title: str


@dataclass(frozen=True)
class SyncResult:
    calendar_url: str
    state: SyncState  # to store, in one transaction
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    foreign: int = 0  # events in the calendar prepplan did not make (or cannot read): untouched
    kept: int = 0  # prepplan's events the plan dropped, changed on the server: left as they are
    outside: int = 0  # listed hrefs outside the calendar's collection: ignored
    conflicts: tuple[Conflict, ...] = ()
    failures: tuple[Failure, ...] = ()
    complete: bool = True  # every change attempted was made (conflicts aside)

    @property
    def ok(self) -> bool:
        """The calendar now equals the plan: exit 0."""
        return self.complete and not self.conflicts and not self.failures


# ---------------------------------------------------------------- connecting

def check_url(url: str, insecure: bool = False) -> str:
    """The CalDAV address, refused when it carries credentials or would send the password
    unencrypted to another computer. Messages never repeat what stood before the '@'."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise SyncError("the CalDAV address is not a valid URL: give it as "
                        "https://host/path") from None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in ("http", "https") or not host:
        raise SyncError("the CalDAV address must start with https:// (or http:// for a server "
                        "on this computer)")
    netloc = parts.netloc.rpartition("@")[2]
    if "@" in parts.netloc:
        raise SyncError(f"the CalDAV address must not contain a user name or password: use "
                        f"{scheme}://{printable(netloc, 80)}/… with --user NAME, and the "
                        f"password in PREPPLAN_CALDAV_PASSWORD")
    if scheme == "http" and host not in LOCAL_HOSTS and not insecure:
        raise SyncError(f"refusing to send the CalDAV password unencrypted (http://) to "
                        f"{printable(host, 80)}: use https://, or --insecure if you must")
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


class Connection(NamedTuple):
    client: object  # caldav.DAVClient, its session guarded
    principal: object  # caldav.Principal


def connect(url: str, user: str, password: str, *, insecure: bool = False,
            timeout: float = TIMEOUT_SECONDS, deadline: Deadline | None = None,
            max_response_bytes: int = MAX_RESPONSE_BYTES) -> Connection:
    """Log in and find the user's principal; every later request of this client is held to
    `deadline` (default: DEADLINE_SECONDS from now) and `max_response_bytes`."""
    import caldav
    from caldav.lib import error as dav_error

    url = check_url(url, insecure)
    _quiet_caldav_logger()
    deadline = deadline or Deadline(DEADLINE_SECONDS)
    secrets = _secrets(user, password)
    options = dict(url=url, username=user, password=password, timeout=timeout,
                   ssl_verify_cert=True)
    try:
        try:  # caldav >= 2 would look the host up in DNS (RFC 6764) outside our session
            client = caldav.DAVClient(enable_rfc6764=False, **options)
        except TypeError:  # caldav 1.x: no such option, and no such lookup
            client = caldav.DAVClient(**options)
    except Exception as exc:
        raise SyncError(_scrub(f"cannot use the CalDAV address {url}: {_reason(exc)}",
                               secrets)) from None
    session = GuardedSession(client.session, url, deadline, timeout, max_response_bytes)
    client.session = session
    with _one_line(session, secrets, url, "log in"):
        try:
            principal = client.principal()
            principal.url  # noqa: B018 - discovery happens here, under the guard
        except dav_error.AuthorizationError as exc:
            if getattr(exc, "status", None) == 403:
                raise
            raise SyncError(f"the CalDAV server at {url} refused user {user!r} and this "
                            f"password (401): check PREPPLAN_CALDAV_PASSWORD (iCloud and "
                            f"Fastmail want an app-specific password)") from None
        return Connection(client, principal)


def _quiet_caldav_logger() -> None:
    """caldav logs its doubts about a server as warnings; without a handler Python prints
    them on stderr, and a refusal must stay one line."""
    caldav_logger = logging.getLogger("caldav")
    if not any(isinstance(h, logging.NullHandler) for h in caldav_logger.handlers):
        caldav_logger.addHandler(logging.NullHandler())


def find_or_create(principal, name: str):
    """The principal's calendar named `name`, made when missing."""
    session = _guarded_session(principal.client, None)
    with _one_line(session, _secrets_of(principal.client), str(principal.client.url),
                   f"open the calendar {name!r}"):
        for calendar in principal.calendars():
            if calendar.get_display_name() == name:
                return calendar
        return principal.make_calendar(name=name)


# ---------------------------------------------------------------- the sync

def sync_calendar(calendar, desired: Mapping[str, bytes], is_ours: Callable[[str], bool],
                  state: SyncState, *, force: bool = False,
                  deadline: Deadline | None = None) -> SyncResult:
    """Make `calendar` hold exactly `desired` (UID -> calendar object) among the events that
    `is_ours`, conflicts aside. Raises SyncError when the calendar cannot be listed or the
    server stops answering; its `state` then holds what was done."""
    strangers = [uid for uid in desired if not is_ours(uid)]
    if strangers:  # they would be written, then seen as someone else's and never again
        raise ValueError(f"desired events that is_ours disowns: {strangers[:3]}")
    client = calendar.client
    session = _guarded_session(client, deadline)
    secrets = _secrets_of(client)
    collection = _collection_url(calendar)
    prior = _prior_records(state, collection)
    with _one_line(session, secrets, collection, "sync the calendar"):
        listing = _list_events(client, session, collection, is_ours)
        plan = _decide(desired, listing, prior, force)
        untouched = {uid: record for uid, record in prior.items() if not is_ours(uid)}
        done = _apply(client, session, collection, plan, desired, prior, untouched, secrets)
        return _result(collection, listing, plan, done, prior, untouched, desired)


def href_name(uid: str) -> str:
    """The resource name of a new event: only A-Z a-z 0-9 . _ - whatever the UID, readable,
    and distinct for distinct UIDs (a hash of the UID ends it)."""
    readable = UNSAFE_HREF_CHARACTERS.sub("_", uid)[:60].lstrip(".") or "event"
    return f"{readable}-{hashlib.sha256(uid.encode('utf-8')).hexdigest()[:16]}.ics"


# -- listing

@dataclass
class _ServerEvent:
    url: str  # absolute, inside the collection: where to write
    href: str  # the path, as the server spells it
    etag: str | None
    data: str


@dataclass
class _Listing:
    ours: dict[str, _ServerEvent] = field(default_factory=dict)
    foreign: int = 0
    outside: int = 0


def _list_events(client, session: GuardedSession, collection: str, is_ours) -> _Listing:
    """Every VEVENT object in the collection with its ETag and data, in one REPORT."""
    from caldav.elements import cdav, dav
    from lxml import etree

    query = cdav.CalendarQuery() + [
        dav.Prop() + [dav.GetEtag(), cdav.CalendarData()],
        cdav.Filter() + (cdav.CompFilter("VCALENDAR") + cdav.CompFilter("VEVENT"))]
    body = etree.tostring(query.xmlelement(), encoding="utf-8", xml_declaration=True)
    response = client.report(collection, body.decode("utf-8"), depth=1)
    if response.status != 207 or response.tree is None \
            or response.tree.tag != "{DAV:}multistatus":
        raise SyncError(f"listing the calendar at {_host(collection)} failed: "
                        f"{_answer(response)}")
    listing = _Listing()
    for entry in response.tree.iter("{DAV:}response"):
        session.check_deadline()  # thousands of events take a while to read
        _add_entry(listing, entry, collection, is_ours)
    return listing


def _add_entry(listing: _Listing, entry, collection: str, is_ours) -> None:
    href = (entry.findtext("{DAV:}href") or "").strip()
    url = urljoin(collection, href)
    if not _inside(url, collection):
        listing.outside += 1
        return
    etag = entry.findtext(".//{DAV:}getetag")
    data = entry.findtext(".//{urn:ietf:params:xml:ns:caldav}calendar-data")
    uid = _uid_of(data) if data else None
    if uid is None or not is_ours(uid):
        listing.foreign += 1
    elif uid in listing.ours:  # the same UID twice: touch neither copy but the first
        listing.foreign += 1
    else:
        listing.ours[uid] = _ServerEvent(url, urlsplit(url).path, etag or None, data)


def _inside(url: str, collection: str) -> bool:
    """`url` names a member of the collection itself: same origin, one path segment below,
    and no '..', '%2F' or other way out."""
    if origin_of(url) != origin_of(collection) or urlsplit(url).query:
        return False
    base = unquote(urlsplit(collection).path)
    path = unquote(urlsplit(url).path)
    if not path.startswith(base):
        return False
    name = path[len(base):]
    return name not in ("", ".", "..") and "/" not in name and "\\" not in name


# -- deciding (no network)

class _Change(NamedTuple):
    kind: str  # "create", "update" or "delete"
    uid: str
    url: str
    etag: str | None  # If-Match for update/delete


@dataclass
class _Plan:
    changes: list[_Change] = field(default_factory=list)
    records: dict[str, EventRecord] = field(default_factory=dict)  # settled without a write
    unchanged: int = 0
    kept: int = 0


def _decide(desired, listing: _Listing, prior: dict[str, EventRecord], force: bool) -> _Plan:
    """What to write, what to leave, what is in conflict. Overwrite or delete only the version
    prepplan wrote itself (anything under force). A conflict stays until force, or until the
    server holds the plan's version again (nothing left to protect)."""
    plan = _Plan()
    for uid, body in desired.items():
        record, server = prior.get(uid), listing.ours.get(uid)
        if server is not None and _same_event(server.data, body):
            plan.records[uid] = EventRecord(server.href, server.etag)
            plan.unchanged += 1
        elif server is not None and (force or _wrote_this_version(record, server)):
            plan.changes.append(_Change("update", uid, server.url, server.etag))
        elif server is not None:
            plan.records[uid] = _conflict(record, EDITED, server.href)
        elif force or record is None or (record.etag is None and record.conflict is None):
            plan.changes.append(_Change("create", uid, "", None))
        else:  # prepplan wrote it (or it was in conflict), and it is gone
            plan.records[uid] = _conflict(record, DELETED, record.href)
    for uid, server in listing.ours.items():
        if uid in desired:
            continue
        if force or _wrote_this_version(prior.get(uid), server):
            plan.changes.append(_Change("delete", uid, server.url, server.etag))
        else:  # the plan dropped it but someone changed it: theirs now, and forgotten
            plan.kept += 1
    return plan


def _wrote_this_version(record: EventRecord | None, server: _ServerEvent) -> bool:
    return (record is not None and record.conflict is None and record.etag is not None
            and record.etag == server.etag)


def _conflict(record: EventRecord | None, kind: str, href: str | None) -> EventRecord:
    """The record of a conflict keeps the ETag prepplan last wrote, never the server's: the
    server's version is someone else's edit."""
    etag = record.etag if record else None
    return EventRecord(href or (record.href if record else None), etag, kind)


def _same_event(data: str | bytes, body: bytes) -> bool:
    try:
        return _fingerprint(data) == _fingerprint(body)
    except Exception:  # an object icalendar cannot read differs from the plan's
        return False


def _fingerprint(data: str | bytes) -> tuple[str, ...]:
    """The event's content lines, sorted, without the properties servers rewrite freely."""
    import icalendar

    (event, *_) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    lines = event.to_ical().decode("utf-8").replace("\r\n ", "").split("\r\n")
    names = [re.split(r"[;:]", line, maxsplit=1)[0].upper() for line in lines]
    return tuple(sorted(line for line, name in zip(lines, names)
                        if name not in VOLATILE_PROPERTIES and not name.startswith("X-")))


def _uid_of(data: str) -> str | None:
    """The UID of a calendar object; None when unreadable or holding several UIDs."""
    import icalendar

    try:
        uids = {str(event["UID"]) for event in icalendar.Calendar.from_ical(data).walk("VEVENT")
                if "UID" in event}
    except Exception:
        return None
    return uids.pop() if len(uids) == 1 else None


# -- writing

@dataclass
class _Done:
    records: dict[str, EventRecord] = field(default_factory=dict)  # written, or now in conflict
    forgotten: set[str] = field(default_factory=set)  # deleted, or left to whoever changed it
    created: int = 0
    updated: int = 0
    deleted: int = 0
    kept: int = 0
    failures: list[Failure] = field(default_factory=list)
    complete: bool = True


def _apply(client, session: GuardedSession, collection: str, plan: _Plan, desired,
           prior: dict[str, EventRecord], untouched: dict[str, EventRecord],
           secrets: tuple[str, ...]) -> _Done:
    """Each change on its own: a refusal is noted and the next change goes ahead. Only a
    server that has stopped answering (deadline, size, another host, or several transport
    failures in a row) ends the sync, with what was done in the error's state."""
    done = _Done()
    in_a_row = 0
    for number, change in enumerate(plan.changes):
        try:
            _apply_one(client, collection, change, desired, prior, done)
            in_a_row = 0
        except _Refused as refused:
            done.failures.append(Failure(change.uid, _scrub(refused.reason, secrets),
                                         _title(desired.get(change.uid))))
            in_a_row = in_a_row + 1 if refused.transport else 0
        if session.aborted is not None or in_a_row >= MAX_TRANSPORT_FAILURES_IN_A_ROW:
            done.complete = False
            partial = _result(collection, _Listing(), plan, done, prior, untouched, desired)
            raise SyncError(_stopped(session, collection, done, number, len(plan.changes)),
                            state=partial.state)
    return done


class _Refused(Exception):
    def __init__(self, reason: str, transport: bool = False) -> None:
        super().__init__(reason)
        self.reason, self.transport = reason, transport


def _apply_one(client, collection: str, change: _Change, desired, prior, done: _Done) -> None:
    if change.kind == "delete":
        status, _ = _send(client, change.url, "DELETE", None, {"If-Match": change.etag or "*"})
        if status == 412:  # changed since the listing: someone's now, and the plan dropped it
            done.kept += 1
        else:
            done.deleted += 1
        done.forgotten.add(change.uid)
        return
    url = change.url or collection + href_name(change.uid)
    if change.kind == "create":
        condition = {"If-None-Match": "*"}
    else:
        condition = {"If-Match": change.etag} if change.etag else {}
    status, etag = _send(client, url, "PUT", desired[change.uid], condition)
    if status != 412 and etag is None:
        etag = _etag_of(client, url)
    href = urlsplit(url).path
    if status == 412:  # changed (or made) on the server since the listing
        done.records[change.uid] = _conflict(prior.get(change.uid), EDITED, href)
        return
    done.records[change.uid] = EventRecord(href, etag)
    if change.kind == "create":
        done.created += 1
    else:
        done.updated += 1


def _send(client, url: str, method: str, body: bytes | None, condition: dict):
    """One conditional write: (status, ETag or None). A refusal raises _Refused with the
    server's words; 412 (precondition failed) is an answer, and so is 404 to a DELETE."""
    from caldav.lib import error as dav_error

    headers = dict(condition)
    if body is not None:
        headers["Content-Type"] = "text/calendar; charset=utf-8"
    try:
        response = client.request(url, method, body.decode("utf-8") if body else "", headers)
    except SyncError:
        raise _Refused("no answer: the sync was stopped", transport=True) from None
    except dav_error.DAVError as exc:  # 401/403, 429/503 and the like, raised by caldav
        raise _Refused(_dav_reason(exc)) from None
    except Exception as exc:  # connection reset, read timeout: no HTTP answer at all
        raise _Refused(f"no answer ({_reason(exc)})", transport=True) from None
    if response.status >= 300 and response.status != 412 \
            and not (method == "DELETE" and response.status == 404):
        raise _Refused(_answer(response))
    return response.status, (response.headers.get("ETag") or None)


def _etag_of(client, url: str) -> str | None:
    """The ETag of what the server now holds at `url`. A server that stores an event other
    than as sent answers a PUT without one (RFC 4791 5.3.4); recording the stored version's
    ETag keeps the next sync from taking that rewrite for someone's edit."""
    body = ('<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop>'
            '<d:getetag/></d:prop></d:propfind>')
    try:
        response = client.request(url, "PROPFIND", body, {"Depth": "0"})
        tree = response.tree if response.status == 207 else None
        return (tree.findtext(".//{DAV:}getetag") or None) if tree is not None else None
    except Exception:  # no ETag known: the next sync compares the bodies instead
        return None


def _stopped(session, collection: str, done: _Done, number: int, total: int) -> str:
    if session.aborted is not None:
        return session.aborted.message
    return (f"the CalDAV server at {_host(collection)} stopped answering after {number + 1} "
            f"of {total} changes ({done.failures[-1].reason}): run `prepplan sync` again to "
            f"finish")


def _result(collection: str, listing: _Listing, plan: _Plan, done: _Done, prior,
            untouched: dict[str, EventRecord], desired) -> SyncResult:
    """The outcome, and the state to store: a change not made (refused, or not reached)
    keeps the record it had, so the next sync sees the event exactly as this one did."""
    records = dict(untouched)
    records.update((c.uid, prior[c.uid]) for c in plan.changes if c.uid in prior)
    records.update(plan.records)
    records.update(done.records)
    for uid in done.forgotten:
        records.pop(uid, None)
    conflicts = tuple(Conflict(uid, record.conflict, _title(desired.get(uid)))
                      for uid, record in sorted(records.items())
                      if record.conflict and uid in desired)
    return SyncResult(collection, SyncState(collection, records), done.created, done.updated,
                      done.deleted, plan.unchanged, listing.foreign, plan.kept + done.kept,
                      listing.outside, conflicts, tuple(done.failures),
                      done.complete and not done.failures)


# ---------------------------------------------------------------- errors and plumbing

def _guarded_session(client, deadline: Deadline | None) -> GuardedSession:
    """The client's guarded session, installed here when the client came from elsewhere."""
    session = client.session
    if not isinstance(session, GuardedSession):
        session = GuardedSession(session, str(client.url), deadline or Deadline(
            DEADLINE_SECONDS), client.timeout or TIMEOUT_SECONDS, MAX_RESPONSE_BYTES)
        client.session = session
    elif deadline is not None:
        session.deadline = deadline
    return session


def _collection_url(calendar) -> str:
    url = str(calendar.url)
    return url if url.endswith("/") else url + "/"


def _prior_records(state: SyncState, collection: str) -> dict[str, EventRecord]:
    """The records of this calendar; none when the state describes another calendar (the
    user moved to another server or calendar name): nothing there was written by prepplan."""
    if state.calendar_url not in (None, collection):
        return {}
    return dict(state.events)


def _secrets(user: str | None, password: str | None) -> tuple[str, ...]:
    """The password in every form a message could carry it: as is, URL-quoted, and inside a
    Basic Authorization header."""
    if not password:
        return ()
    basic = base64.b64encode(f"{user or ''}:{password}".encode("utf-8")).decode("ascii")
    return tuple({password, quote(password, safe=""), basic})


def _secrets_of(client) -> tuple[str, ...]:
    password = getattr(client, "password", None)
    if isinstance(password, bytes):
        password = password.decode("utf-8", "replace")
    return _secrets(getattr(client, "username", None), password)


def _scrub(text: str, secrets: tuple[str, ...]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


@contextlib.contextmanager
def _one_line(session: GuardedSession, secrets, url: str, doing: str) -> Iterator[None]:
    """Whatever goes wrong inside becomes one SyncError line without the password; a refusal
    of the guarded session (deadline, size, another host) wins over what it caused."""
    try:
        yield
    except Exception as exc:
        if session.aborted is not None and not isinstance(exc, SyncError):
            exc = session.aborted
        message = exc.message if isinstance(exc, SyncError) else _explain(exc, url, doing)
        raise SyncError(_scrub(message, secrets), state=getattr(exc, "state", None)) from None


def _explain(exc: Exception, url: str, doing: str) -> str:
    from caldav.lib import error as dav_error
    from lxml import etree

    host = _host(url)
    if isinstance(exc, dav_error.AuthorizationError):
        return f"the CalDAV server at {host} refused to {doing}: {_dav_reason(exc)}"
    if isinstance(exc, etree.XMLSyntaxError):
        return f"cannot {doing} at {host}: the server's reply is not valid XML ({_reason(exc)})"
    if isinstance(exc, (dav_error.DAVError, AssertionError, ValueError, KeyError)):
        if doing == "log in":
            return (f"{url} does not answer as a CalDAV server ({_reason(exc)}): use the "
                    f"address of your CalDAV account or calendar home")
        return f"cannot {doing} at {host}: {_reason(exc)}"
    if doing == "log in":
        return f"cannot reach the CalDAV server at {url}: {_reason(exc)}"
    return f"cannot {doing} at {host}: {_reason(exc)}"


def _host(url: str) -> str:
    return printable(urlsplit(url).netloc, 80)


def _reason(exc: BaseException) -> str:
    """An exception in a few words: a DAV error's status, or the root cause of a network
    error ("Connection refused", "certificate verify failed: …"), not urllib3's wrapping."""
    from caldav.lib import error as dav_error

    if isinstance(exc, dav_error.DAVError):
        return _dav_reason(exc)
    root = _root_cause(exc)
    if isinstance(root, ssl.SSLCertVerificationError) and root.verify_message:
        text = f"certificate verify failed: {root.verify_message}"
    elif isinstance(root, OSError) and root.strerror and not isinstance(root, ssl.SSLError):
        text = root.strerror
    else:
        text = re.sub(r"<[^>]* object at 0x[0-9a-f]+>: ", "", str(root)).strip()
    return printable(text.splitlines()[0] if text else type(root).__name__, 200)


def _root_cause(exc: BaseException) -> BaseException:
    """Down the chain requests, niquests and urllib3 wrap around a socket error."""
    for _ in range(10):
        inner = getattr(exc, "reason", None)
        if not isinstance(inner, BaseException):
            inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) \
                else exc.__cause__ or exc.__context__
        if inner is None or inner is exc:
            break
        exc = inner
    return exc


def _dav_reason(exc) -> str:
    status = getattr(exc, "status", None)
    words = f"{status or ''} {getattr(exc, 'reason', '') or type(exc).__name__}".strip()
    return printable(words, 200)


def _answer(response) -> str:
    """The server's answer in its own words: status, reason phrase, and the gist of the
    body (text of an error page or of a DAV:error element)."""
    reason = str(getattr(response, "reason", "") or "")
    words = f"{response.status} {reason}".strip()
    detail = printable(_body_text(response), 160)
    if reason and detail.lower().startswith(reason.lower()):  # "Bad Request: Bad Request…"
        detail = detail[len(reason):].lstrip(" :-")
    if detail:
        words += f": {detail}"
    return printable(words, 200)


def _body_text(response) -> str:
    tree = getattr(response, "tree", None)
    if tree is not None:
        names = [element.tag.rpartition("}")[2] for element in tree.iter()
                 if isinstance(element.tag, str)][1:]
        return " ".join(["".join(tree.itertext()).strip(), *names]).strip()
    raw = getattr(response, "_raw", b"") or b""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return re.sub(r"<[^>]*>", " ", text)


def _title(body: bytes | None) -> str:
    """The event's SUMMARY, for the report."""
    if not body:
        return ""
    import icalendar

    try:
        (event, *_) = icalendar.Calendar.from_ical(body).walk("VEVENT")
        return str(event.get("SUMMARY", ""))
    except Exception:
        return ""
