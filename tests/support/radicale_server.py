"""A real Radicale CalDAV server for the tests: 127.0.0.1, a free port, temporary storage,
htpasswd authentication with one test user. Started and stopped by a fixture."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

USER = "tester"
PASSWORD = "s3cret-pass"


@dataclass
class RadicaleServer:
    url: str
    user: str
    password: str
    storage: Path
    process: subprocess.Popen | None = None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_radicale(folder: Path) -> RadicaleServer:
    folder.mkdir(parents=True, exist_ok=True)
    htpasswd = folder / "users"
    htpasswd.write_text(f"{USER}:{PASSWORD}\n")
    storage = folder / "collections"
    port = free_port()
    log = open(folder / "radicale.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--server-hosts", f"127.0.0.1:{port}",
         "--storage-filesystem-folder", str(storage), "--auth-type", "htpasswd",
         "--auth-htpasswd-filename", str(htpasswd), "--auth-htpasswd-encryption", "plain",
         "--rights-type", "owner_only", "--logging-level", "warning"],
        stdout=log, stderr=subprocess.STDOUT)
    server = RadicaleServer(f"http://127.0.0.1:{port}/", USER, PASSWORD, storage, process)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # bounded: wait for the port to answer, then go on
        if process.poll() is not None:
            raise RuntimeError("radicale exited: " + (folder / "radicale.log").read_text())
        try:
            urllib.request.urlopen(server.url, timeout=1)
            return server
        except urllib.error.HTTPError:
            return server  # it answers (401 or a redirect): it is up
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError("radicale did not start within 30 s")
