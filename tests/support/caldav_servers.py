"""CalDAV servers for the sync tests, all on 127.0.0.1 with a free port and a temporary folder.

Real servers (subprocesses):
- `start_server("radicale", folder)`: Radicale with its default settings, htpasswd (plain)
  authentication for USER / PASSWORD.
- `start_server("radicale-strict", folder)`: the same with Radicale's own strict path
  validation (`[server] validate_path_value = strict`): any request path outside
  `A-Z a-z 0-9 @ . - _ / ~` is answered 400 Bad Request — an href holding `+` among them.
- `start_server("xandikos", folder)`: Xandikos with `--defaults` (it makes
  /user/calendars/calendar). Xandikos has no password check over plain HTTP (its
  --htpasswd needs TLS): the credentials are sent and ignored.

In-process servers (threads):
- `RefusingProxy(backend_url)`: a plain forwarding proxy in front of any of them that refuses
  the PUT of one chosen UID with `refusal` (status, reason, body), and records requests.
- `MisbehavingServer(mode)`: a minimal CalDAV server (one user, one calendar `/tester/cal/`)
  that answers discovery properly and misbehaves as `mode` says on the requests named by
  `misbehave_on`; it records every request, and can list extra entries (`extra_listing`).
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import os
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

USER = "tester"
# A marker no message may ever contain: tests look for it in every exception they see.
PASSWORD = "pw-MARKER-9c41e7"
SERVER_KINDS = ("radicale", "radicale-strict", "xandikos")
START_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class RunningServer:
    kind: str
    url: str  # the address to give connect()
    user: str
    password: str
    folder: Path
    process: subprocess.Popen

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def log(self) -> str:
        return (self.folder / "server.log").read_text(errors="replace")


def start_server(kind: str, folder: Path) -> RunningServer:
    starters = {"radicale": lambda: _radicale(folder, strict_paths=False),
                "radicale-strict": lambda: _radicale(folder, strict_paths=True),
                "xandikos": lambda: _xandikos(folder)}
    folder.mkdir(parents=True, exist_ok=True)
    command, url = starters[kind]()
    log = open(folder / "server.log", "w")
    # Xandikos keeps server state under $XDG_DATA_HOME: the temporary folder, not the home
    environment = dict(os.environ, XDG_DATA_HOME=str(folder / "state"))
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=environment)
    log.close()
    server = RunningServer(kind, url, USER, PASSWORD, folder, process)
    _wait_until_up(server)
    return server


def _radicale(folder: Path, strict_paths: bool) -> tuple[list[str], str]:
    htpasswd = folder / "users"
    htpasswd.write_text(f"{USER}:{PASSWORD}\n")
    port = free_port()
    command = [sys.executable, "-m", "radicale", "--server-hosts", f"127.0.0.1:{port}",
               "--storage-filesystem-folder", str(folder / "collections"),
               "--auth-type", "htpasswd", "--auth-htpasswd-filename", str(htpasswd),
               "--auth-htpasswd-encryption", "plain", "--rights-type", "owner_only",
               "--logging-level", "warning",
               "--auth-delay", "0"]  # the delay after a failed login: only slows the tests
    if strict_paths:
        command += ["--server-validate-path-value", "strict"]
    return command, f"http://127.0.0.1:{port}/"


def _xandikos(folder: Path) -> tuple[list[str], str]:
    port = free_port()
    command = [sys.executable, "-m", "xandikos", "serve", "-d", str(folder / "data"),
               "--defaults", "-l", "127.0.0.1", "-p", str(port)]
    return command, f"http://127.0.0.1:{port}/"


def _wait_until_up(server: RunningServer) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:  # bounded: wait for the port to answer, then go on
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.kind} exited: {server.log()}")
        try:
            urllib.request.urlopen(server.url, timeout=1).close()
            return
        except urllib.error.HTTPError:
            return  # it answers (401, 404, a redirect): it is up
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"{server.kind} did not start within {START_SECONDS} s")


# ---------------------------------------------------------------- in-process servers

class _ThreadedServer:
    """A ThreadingHTTPServer on 127.0.0.1 in a daemon thread; a context manager."""

    handler_class: type

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []  # (method, path) in arrival order
        self.stopping = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self.handler_class)
        self.httpd.daemon_threads = True
        self.httpd.owner = self
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()  # ends the endless and trickling replies
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def writes(self) -> list[tuple[str, str]]:
        return [(m, p) for m, p in self.requests
                if m in ("PUT", "DELETE", "MKCALENDAR", "MKCOL", "PROPPATCH", "MOVE", "COPY")]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # headers and body leave in two writes: without this, Nagle's algorithm and the
        # client's delayed ACK hold every other reply for tens of milliseconds
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args) -> None:  # keep the test output for the tests
        pass

    @property
    def owner(self):
        return self.server.owner

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def reply(self, status: int, body: bytes = b"", content_type: str = "text/plain",
              headers: dict | None = None, reason: str | None = None) -> None:
        self.send_response(status, reason)
        self.send_header("Content-Length", str(len(body)))
        if body:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self) -> None:
        raise NotImplementedError

    do_GET = do_HEAD = do_PUT = do_DELETE = do_OPTIONS = do_PROPFIND = do_PROPPATCH = \
        do_REPORT = do_MKCALENDAR = do_MKCOL = do_MOVE = do_COPY = do_POST = \
        lambda self: self.handle_any()


class _ProxyHandler(_Handler):
    HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host",
                  "proxy-authorization", "te", "trailer", "upgrade"}

    def handle_any(self) -> None:
        body = self.read_body()
        owner = self.owner
        owner.requests.append((self.command, self.path))
        if self.command == "PUT" and owner.hang_up_after is not None:
            owner.puts += 1
            if owner.puts > owner.hang_up_after:  # the connection drops without an answer
                self.close_connection = True
                return
        unfolded = body.replace(b"\r\n ", b"").replace(b"\n ", b"")
        if (self.command == "PUT" and owner.refuse_uid
                and f"UID:{owner.refuse_uid}\r".encode() in unfolded.replace(b"\n", b"\r")):
            status, reason, text = owner.refusal
            self.reply(status, text.encode(), reason=reason)
            return
        status, reason, headers, answer = owner.forward(self.command, self.path,
                                                        dict(self.headers), body)
        kept = {k: v for k, v in headers if k.lower() not in self.HOP_BY_HOP}
        self.reply(status, answer, kept.pop("Content-Type", "text/plain"), kept, reason)


class RefusingProxy(_ThreadedServer):
    """Forwards everything to `backend_url`, except the PUT of event `refuse_uid` (None:
    refuse nothing), answered with `refusal` = (status, reason phrase, body). With
    `hang_up_after` = N, every PUT after the first N gets its connection closed unanswered."""

    handler_class = _ProxyHandler

    def __init__(self, backend_url: str) -> None:
        self.backend = urllib.parse.urlsplit(backend_url)
        self.refuse_uid: str | None = None
        self.refusal = (400, "Bad Request", "this server does not accept that event")
        self.hang_up_after: int | None = None
        self.puts = 0
        super().__init__()

    def forward(self, method: str, path: str, headers: dict, body: bytes):
        connection = http.client.HTTPConnection(self.backend.hostname, self.backend.port,
                                                timeout=30)
        try:
            sent = {k: v for k, v in headers.items()
                    if k.lower() not in _ProxyHandler.HOP_BY_HOP}
            connection.request(method, path, body or None, sent)
            response = connection.getresponse()
            return response.status, response.reason, response.getheaders(), response.read()
        finally:
            connection.close()


# -- the misbehaving server

CALENDAR_PATH = "/tester/cal/"
CALENDAR_NAME = "Plan"
MISBEHAVIOURS = ("garbage", "invalid-xml", "error-500", "redirect-away", "endless", "huge",
                 "trickle", "trickle-headers", "echo-password")
_MULTISTATUS = ('<?xml version="1.0" encoding="utf-8"?>\n'
                '<d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">'
                '{}</d:multistatus>')


def _response(href: str, props: str) -> str:
    return (f"<d:response><d:href>{escape(href)}</d:href><d:propstat><d:prop>{props}"
            f"</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>")


class _FakeCalDAVHandler(_Handler):
    def handle_any(self) -> None:
        owner = self.owner
        body = self.read_body()
        owner.requests.append((self.command, self.path))
        expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            self.reply(401, b"log in", headers={"WWW-Authenticate": 'Basic realm="fake"'})
            return
        if owner.mode != "ok" and (owner.misbehave_on == "*"
                                   or self.command in owner.misbehave_on.split(",")):
            self.close_connection = True
            getattr(self, "misbehave_" + owner.mode.replace("-", "_"))()
            return
        getattr(self, "serve_" + self.command.lower(), self.serve_other)(body)

    # -- a minimal, well-behaved CalDAV server

    def serve_propfind(self, body: bytes) -> None:
        path, depth = self.path.split("?")[0], self.headers.get("Depth", "0")
        home = ("<d:current-user-principal><d:href>/tester/</d:href></d:current-user-principal>"
                "<c:calendar-home-set><d:href>/tester/</d:href></c:calendar-home-set>")
        calendar = (f"<d:resourcetype><d:collection/><c:calendar/></d:resourcetype>"
                    f"<d:displayname>{CALENDAR_NAME}</d:displayname>"
                    f"<c:supported-calendar-component-set><c:comp name=\"VEVENT\"/>"
                    f"</c:supported-calendar-component-set>")
        responses = []
        if path in ("/", "/tester/"):
            responses.append(_response(path, home + "<d:resourcetype><d:collection/>"
                                             "<d:principal/></d:resourcetype>"))
            if depth == "1" and path == "/tester/":
                responses.append(_response(CALENDAR_PATH, calendar))
        elif path == CALENDAR_PATH:
            responses.append(_response(path, calendar))
            if depth == "1":
                responses += [_response(href, f"<d:getetag>{escape(etag)}</d:getetag>")
                              for href, (etag, _) in self.owner.events.items()]
        elif path in self.owner.events:
            responses.append(_response(path, f"<d:getetag>{escape(self.owner.events[path][0])}"
                                             f"</d:getetag>"))
        else:
            self.reply(404, b"not found")
            return
        self.reply(207, _MULTISTATUS.format("".join(responses)).encode(), "text/xml")

    def serve_report(self, body: bytes) -> None:
        entries = [(href, etag, data) for href, (etag, data) in self.owner.events.items()]
        entries += [(href, '"extra"', data) for href, data in self.owner.extra_listing]
        responses = "".join(_response(href, f"<d:getetag>{escape(etag)}</d:getetag>"
                                            f"<c:calendar-data>{escape(data)}</c:calendar-data>")
                            for href, etag, data in entries)
        self.reply(207, _MULTISTATUS.format(responses).encode(), "text/xml")

    def serve_put(self, body: bytes) -> None:
        events, path = self.owner.events, self.path
        current = events.get(path)
        if self.headers.get("If-None-Match") == "*" and current is not None:
            self.reply(412, b"exists")
            return
        if "If-Match" in self.headers and (current is None
                                           or current[0] != self.headers["If-Match"]):
            self.reply(412, b"changed")
            return
        data = body.decode("utf-8")
        if self.owner.rewrite_on_put:  # as some servers do: the stored event is not as sent
            data = data.replace("END:VEVENT", "X-STORED-BY:fake\r\nEND:VEVENT")
        etag = '"' + hashlib.sha256(data.encode()).hexdigest()[:20] + '"'
        events[path] = (etag, data)
        self.reply(201 if current is None else 204,
                   headers={"ETag": etag} if self.owner.etag_on_put else {})

    def serve_delete(self, body: bytes) -> None:
        found = self.owner.events.pop(self.path, None)
        self.reply(204 if found else 404)

    def serve_mkcalendar(self, body: bytes) -> None:
        self.reply(201)

    def serve_other(self, body: bytes) -> None:
        self.reply(200, headers={"DAV": "1, 2, calendar-access"})

    # -- the misbehaviours, one per mode

    def misbehave_garbage(self) -> None:
        noise = random.Random(7).randbytes(4000)
        self.reply(207, noise, "text/xml; charset=utf-8")

    def misbehave_invalid_xml(self) -> None:
        data = "BEGIN:VCALENDAR\r\nUID:x\x01\x02\x1b[31mred\r\nEND:VCALENDAR\r\n"
        body = _MULTISTATUS.format(_response(CALENDAR_PATH + "x.ics",
                                             f"<c:calendar-data>{data}</c:calendar-data>"))
        self.reply(207, body.encode(), "text/xml; charset=utf-8")

    def misbehave_error_500(self) -> None:
        self.reply(500, b"Internal Server Error: the database is on fire", reason="Oops")

    def misbehave_redirect_away(self) -> None:
        self.reply(307, b"", headers={"Location": self.owner.redirect_to + self.path})

    def misbehave_endless(self) -> None:
        self._stream_forever({"Connection": "close"}, b"<d:response><d:href>/tester/cal/x.ics"
                                                      b"</d:href></d:response>" * 500)

    def misbehave_huge(self) -> None:
        self._stream_forever({"Content-Length": str(300 * 1024 * 1024)},
                             b"<d:response><d:href>/x</d:href></d:response>" * 500)

    def misbehave_trickle(self) -> None:
        body = _MULTISTATUS.format("").encode()
        self.send_response(207)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self._trickle(body)

    def misbehave_trickle_headers(self) -> None:
        self.wfile.write(b"HTTP/1.1 207 Multi-Status\r\n")
        self._trickle(b"X-Slow: " + b"z" * 10000)

    def misbehave_echo_password(self) -> None:
        sent = self.headers.get("Authorization", "")
        decoded = base64.b64decode(sent.split()[-1]).decode() if sent else ""
        self.reply(400, f"you sent {sent} ({decoded}) and {PASSWORD}".encode(),
                   reason=f"Bad {PASSWORD}")

    def _stream_forever(self, headers: dict, chunk: bytes) -> None:
        self.send_response(207)
        self.send_header("Content-Type", "text/xml")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(_MULTISTATUS.split("{}")[0].encode())
            while not self.owner.stopping.is_set():
                self.wfile.write(chunk)
        except OSError:  # the client hung up: what it should do
            pass

    def _trickle(self, data: bytes) -> None:
        try:
            for byte in data:
                if self.owner.stopping.wait(self.owner.trickle_seconds):
                    return
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
        except OSError:
            pass


class MisbehavingServer(_ThreadedServer):
    """A fake CalDAV server. `mode` "ok" behaves; any of MISBEHAVIOURS misbehaves on the
    methods in `misbehave_on` ("REPORT": the listing; "*": every request, discovery too)."""

    handler_class = _FakeCalDAVHandler

    def __init__(self, mode: str = "ok", misbehave_on: str = "REPORT",
                 trickle_seconds: float = 1.0) -> None:
        assert mode == "ok" or mode in MISBEHAVIOURS, mode
        self.mode = mode
        self.misbehave_on = misbehave_on
        self.trickle_seconds = trickle_seconds
        self.redirect_to = "http://localhost:9"  # another host; tests point it somewhere
        self.events: dict[str, tuple[str, str]] = {}  # path -> (etag, data)
        self.extra_listing: list[tuple[str, str]] = []  # (href, data) listed, not stored
        self.etag_on_put = True  # False: PUT answers carry no ETag header
        self.rewrite_on_put = False  # True: an X- property is added to every stored event
        self.user, self.password = USER, PASSWORD
        super().__init__()


class Phone:
    """Another CalDAV client (a phone, say) on a calendar prepplan syncs: it edits, deletes and
    adds events as a user's other device would, through plain caldav."""

    def __init__(self, calendar) -> None:
        self.calendar = calendar

    def edit(self, uid: str, summary: str) -> None:
        resource = self.calendar.event_by_uid(uid)
        resource.icalendar_component["SUMMARY"] = summary
        resource.save()

    def delete(self, uid: str) -> None:
        self.calendar.event_by_uid(uid).delete()

    def add(self, body: bytes):
        return self.calendar.add_event(body.decode())

