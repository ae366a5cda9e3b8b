"""The HTTP underneath `prepplan sync`: the caldav library's own session, held on a short leash.

caldav sends every request through `DAVClient.session.request(...)` and reads whole replies
into memory, with one timeout per socket read and no limit on size or total time. A server
that trickles a byte every few seconds, streams without end, or redirects elsewhere would hold
or flood prepplan. `GuardedSession` replaces that session attribute and keeps caldav's
behaviour otherwise (auth negotiation, XML parsing, URL handling):

- every request runs against one overall `Deadline` for the whole sync;
- the reply body is read in chunks and refused past `max_bytes`;
- requests go only to the origin (scheme, host, port) the user named; redirects are followed
  only for reads and only on that origin;
- the first of these refusals is kept (`aborted`) and every later request fails with it, so a
  library that catches broad exceptions and tries another URL cannot bury it.
"""

from __future__ import annotations

import threading
import time
from urllib.parse import urljoin, urlsplit

from .errors import PrepplanError

REDIRECT_STATUSES = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5
# Methods that only read: following a redirect cannot make them write somewhere else.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PROPFIND", "REPORT"})
CHUNK_BYTES = 64 * 1024


class SyncError(PrepplanError):
    """A sync that could not be done or finished, said in one line.

    `state`, when not None, is the sync state to store even so: what was done before the
    failure, so that the next sync neither repeats nor forgets it."""

    exit_code = 1

    def __init__(self, message: str, state=None) -> None:
        super().__init__(message)
        self.state = state


class Deadline:
    """One overall time limit, shared by every request of a sync."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def expired(self) -> bool:
        return self.remaining() <= 0


def origin_of(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the default port filled in: what 'the same server' means."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


def printable(text: str, limit: int = 160) -> str:
    """Server-supplied text made safe for one terminal line: no control characters or escape
    sequences, whitespace collapsed, cut to `limit` characters at a word (mid-word only when
    the first word alone is longer)."""
    import textwrap

    cleaned = "".join(ch if ch.isprintable() else " " for ch in text)
    cleaned = " ".join(cleaned.split())
    if len(cleaned) <= limit:
        return cleaned
    shortened = textwrap.shorten(cleaned, width=limit, placeholder=" …")
    return shortened if shortened != "…" else cleaned[:limit - 1] + "…"


class _TooLarge(Exception):
    pass


class _Cancelled(Exception):
    pass


class GuardedSession:
    """Stands in for caldav's `DAVClient.session` (niquests or requests): same `request`
    signature, bounded in time, size and place. Anything else is the real session's."""

    def __init__(self, inner, base_url: str, deadline: Deadline, timeout: float,
                 max_bytes: int) -> None:
        self.inner = inner
        self.origin = origin_of(base_url)
        self.host = printable(urlsplit(base_url).netloc, 80)
        self.deadline = deadline
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.aborted: SyncError | None = None

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def close(self) -> None:
        self.inner.close()

    def abort(self, message: str) -> SyncError:
        """Remember the first refusal; every later request repeats it."""
        if self.aborted is None:
            self.aborted = SyncError(message)
        return self.aborted

    def check_deadline(self) -> None:
        """For work between requests that may be long (reading a big listing)."""
        if self.deadline.expired():
            raise self.abort(self._too_slow())

    def request(self, method, url, **kwargs):
        if self.aborted is not None:
            raise self.aborted
        for _ in range(MAX_REDIRECTS + 1):
            self._check_origin(url)
            response = self._bounded(method, url, kwargs)
            location = response.headers.get("Location")
            if (response.status_code not in REDIRECT_STATUSES or not location
                    or method.upper() not in READ_METHODS):
                return response
            url = urljoin(url, location)
        raise self.abort(f"the CalDAV server at {self.host} redirected more than "
                         f"{MAX_REDIRECTS} times")

    def _check_origin(self, url: str) -> None:
        if origin_of(url) != self.origin:
            elsewhere = printable(urlsplit(url).netloc or url, 80)
            raise self.abort(f"the CalDAV server at {self.host} sent prepplan to another "
                             f"server ({elsewhere}): refused")

    def _bounded(self, method, url, kwargs):
        """One request in a worker thread, so that the deadline holds even while the server
        trickles headers or body: the socket timeout alone restarts with every byte."""
        remaining = self.deadline.remaining()
        if remaining <= 0:
            raise self.abort(self._too_slow())
        kwargs = dict(kwargs, stream=True, allow_redirects=False,
                      timeout=max(0.05, min(self.timeout, remaining)))
        outcome: dict = {}
        cancelled = threading.Event()

        def work() -> None:
            try:
                outcome["response"] = self._fetch(method, url, kwargs, cancelled)
            except BaseException as exc:  # handed to the caller's thread, raised there
                outcome["error"] = exc

        # a daemon: a server that never stops sending cannot keep prepplan from exiting
        worker = threading.Thread(target=work, name="prepplan-caldav", daemon=True)
        worker.start()
        worker.join(remaining)
        if worker.is_alive():
            cancelled.set()
            raise self.abort(self._too_slow())
        if isinstance(outcome.get("error"), _TooLarge):
            raise self.abort(f"the CalDAV server at {self.host} sent a reply larger than "
                             f"{self.max_bytes // (1024 * 1024)} MB: refused")
        if "error" in outcome:
            raise outcome["error"]
        return outcome["response"]

    def _too_slow(self) -> str:
        return (f"the CalDAV server at {self.host} did not finish within "
                f"{self.deadline.seconds:g} s: run `prepplan sync` again later")

    def _fetch(self, method, url, kwargs, cancelled: threading.Event):
        response = self.inner.request(method, url, **kwargs)
        try:
            body = _read_capped(response, self.max_bytes, cancelled)
        finally:
            response.close()
        # what `response.content` would have read, now read under our limits
        response._content = body
        response._content_consumed = True
        return response


def _read_capped(response, limit: int, cancelled: threading.Event) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > limit:
        raise _TooLarge()
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=CHUNK_BYTES):
        if cancelled.is_set():
            raise _Cancelled()
        size += len(chunk)
        if size > limit:  # counted after decompression: a small gzip cannot blow up
            raise _TooLarge()
        chunks.append(chunk)
    return b"".join(chunks)
