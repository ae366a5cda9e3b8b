"""Keep a CalDAV calendar equal to the current plan, with the caldav library.

prepplan touches only events whose UID it made for this plan (`<key>.<plan id>@prepplan`);
everything else on the calendar is left alone. Every write is conditional: a new event is
created with If-None-Match: *, a change or a deletion carries If-Match with the ETag just read,
and an event whose ETag differs from the one prepplan last wrote was edited on the server since
— it is reported, not overwritten (unless `force`). Each change stands alone, so a sync cut
short is completed by the next one.
"""

from __future__ import annotations

from typing import Callable, NamedTuple
from urllib.parse import quote

from .words import plural
from .errors import PrepplanError

TIMEOUT_SECONDS = 30


class SyncError(PrepplanError):
    exit_code = 1


class SyncResult(NamedTuple):
    calendar: str
    created: int
    updated: int
    deleted: int
    unchanged: int
    conflicts: tuple[str, ...]  # UIDs edited on the server and left as they are
    foreign: int  # events prepplan did not make, left alone
    etags: dict  # UID -> ETag now on the server, for the next sync


def _event_without_stamp(data: bytes | str) -> bytes:
    """The VEVENT without DTSTAMP: what decides whether an event changed."""
    import icalendar

    calendar = icalendar.Calendar.from_ical(data)
    (event,) = calendar.walk("VEVENT")
    event.pop("DTSTAMP", None)
    return event.to_ical()


def _uid_of(data: str) -> str | None:
    import icalendar

    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    return str(events[0]["UID"]) if events else None


def connect(url: str, user: str, password: str, timeout: int = TIMEOUT_SECONDS):
    """A caldav principal, with the errors a user meets turned into one clear line."""
    import caldav
    from caldav.lib import error as dav_error

    try:
        client = caldav.DAVClient(url=url, username=user, password=password, timeout=timeout)
        return client, client.principal()
    except dav_error.AuthorizationError:
        raise SyncError(f"the CalDAV server at {url} refused user {user!r} and this password "
                        f"(401): check PREPPLAN_CALDAV_PASSWORD (iCloud and Fastmail want an "
                        f"app-specific password)") from None
    except dav_error.DAVError as exc:
        raise SyncError(f"{url} does not answer as a CalDAV server ({_reason(exc)}): use the "
                        f"address of your CalDAV account or calendar home") from None
    except Exception as exc:  # connection refused, DNS, TLS, timeouts: the network's words
        raise SyncError(f"cannot reach the CalDAV server at {url}: {_reason(exc)}") from None


def _reason(exc: Exception) -> str:
    """The first line of an error, shortened at a word boundary, never mid-word."""
    import textwrap

    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return textwrap.shorten(text, width=200, placeholder=" …")


def find_or_create(principal, name: str):
    for calendar in principal.calendars():
        if calendar.get_display_name() == name:
            return calendar
    return principal.make_calendar(name=name)


def sync_calendar(client, calendar, desired: dict[str, bytes], is_ours: Callable[[str], bool],
                  known_etags: dict[str, str], force: bool = False,
                  progress: Callable[[str], None] | None = None) -> SyncResult:
    """Make `calendar` hold exactly `desired` (UID -> calendar object) among the events that
    `is_ours`. Raises SyncError, carrying what was done so far in `partial`."""
    server: dict[str, tuple[str, str, str]] = {}  # uid -> (url, etag, data)
    foreign = 0
    for resource in calendar.events():
        uid = _uid_of(resource.data)
        if uid is None or not is_ours(uid):
            foreign += 1
            continue
        etag = (resource.props or {}).get("{DAV:}getetag", "")
        server[uid] = (str(resource.url), etag, resource.data)

    created = updated = deleted = unchanged = 0
    conflicts: list[str] = []
    etags = {uid: etag for uid, (_, etag, _) in server.items()}
    base = str(calendar.url).rstrip("/") + "/"
    todo = len(desired) + len([uid for uid in server if uid not in desired])
    done = 0

    def edited_elsewhere(uid: str) -> bool:
        known = known_etags.get(uid)
        return not force and known is not None and known != server[uid][1]

    try:
        for uid, body in desired.items():
            text = body.decode("utf-8")
            if uid not in server:
                response = client.put(base + quote(uid, safe="") + ".ics", text,
                                      {"Content-Type": "text/calendar; charset=utf-8",
                                       "If-None-Match": "*"})
                if response.status == 412:  # appeared since we listed: someone else's copy
                    conflicts.append(uid)
                else:
                    _check(response, uid)
                    created += 1
                    etags[uid] = response.headers.get("ETag", "")
            else:
                url, etag, data = server[uid]
                if _event_without_stamp(data) == _event_without_stamp(body):
                    unchanged += 1
                elif edited_elsewhere(uid):
                    conflicts.append(uid)
                else:
                    response = client.put(url, text, {"Content-Type": "text/calendar; "
                                                      "charset=utf-8", "If-Match": etag})
                    if response.status == 412:
                        conflicts.append(uid)
                    else:
                        _check(response, uid)
                        updated += 1
                        etags[uid] = response.headers.get("ETag", "")
            done += 1
        for uid in [uid for uid in server if uid not in desired]:
            url, etag, _ = server[uid]
            if edited_elsewhere(uid):
                conflicts.append(uid)
            else:
                response = client.request(url, "DELETE", "", {"If-Match": etag})
                if response.status == 412:
                    conflicts.append(uid)
                else:
                    _check(response, uid)
                    deleted += 1
                    etags.pop(uid, None)
            done += 1
    except SyncError:
        raise
    except Exception as exc:
        error = SyncError(f"the CalDAV server stopped answering after {done} of "
                          f"{plural(todo, 'event')} "
                          f"({_reason(exc)}): run `prepplan sync` again to finish")
        error.partial_etags = etags
        raise error from None
    missing = [uid for uid, etag in etags.items() if not etag]
    if missing:  # servers may omit the ETag on PUT: read them back once
        for resource in calendar.events():
            uid = _uid_of(resource.data)
            if uid in etags:
                etags[uid] = (resource.props or {}).get("{DAV:}getetag", "")
    return SyncResult(str(calendar.get_display_name()), created, updated, deleted, unchanged,
                      tuple(conflicts), foreign, etags)


def _check(response, uid: str) -> None:
    if response.status >= 300:
        raise SyncError(f"the CalDAV server answered {response.status} for event {uid}: "
                        f"run `prepplan sync` again, or check the calendar's permissions")
