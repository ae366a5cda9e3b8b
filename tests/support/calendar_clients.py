"""Real calendar parsers as test tools: ical.js (Thunderbird), libical (Evolution) and the
Python package recurring-ical-events, each reading the same iCalendar bytes.

Every reader returns the occurrences of every VEVENT as `Occurrence(uid, start_utc, end_utc,
status)` tuples, sorted by (uid, start_utc), with aware UTC datetimes. DATE values and floating
times have no instant of their own; all three readers report them as their wall-clock value
read as UTC, so the lists compare equal item by item when the parsers agree.

The tools are installed by `.ci/run` (libical-dev, pkg-config, `npm ci` in tests/clients/js).
A missing tool raises `CalendarClientMissing` with the command that installs it: a test that
needs a parser must not pass without it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import NamedTuple

import icalendar
import recurring_ical_events

CLIENTS = Path(__file__).resolve().parent.parent / "clients"
ICALJS_FOLDER = CLIENTS / "js"
ICALJS_SCRIPT = ICALJS_FOLDER / "occurrences.mjs"
LIBICAL_SOURCE = CLIENTS / "libical_check.c"

# recurring-ical-events needs a window and has no cap: this one holds any plan; a rule without
# end would be expanded up to 2200.
RIE_WINDOW = (date(1900, 1, 1), date(2200, 1, 1))
TOOL_TIMEOUT_SECONDS = 120


class Occurrence(NamedTuple):
    uid: str
    start_utc: datetime
    end_utc: datetime
    status: str  # "" when the event has no STATUS


class CalendarClientMissing(RuntimeError):
    """A parser the tests need is not installed."""


class CalendarClientFailed(RuntimeError):
    """A parser ran but did not read the file."""


def icaljs_occurrences(ics_bytes: bytes) -> list[Occurrence]:
    """Every occurrence as ical.js expands it (RRULE, RDATE, EXDATE, RECURRENCE-ID), with the
    file's VTIMEZONEs registered in ICAL.TimezoneService."""
    node = _require_node()
    with _ics_file(ics_bytes) as path:
        output = _run([node, str(ICALJS_SCRIPT), str(path)], cwd=ICALJS_FOLDER)
    return _sorted(Occurrence(item["uid"], _utc(item["start_utc"]), _utc(item["end_utc"]),
                              item["status"])
                   for item in json.loads(output))


def libical_errors(ics_bytes: bytes) -> list[str]:
    """The X-LIC-ERROR properties libical leaves in the tree after parsing the file and running
    the restriction checks (icalcomponent_check_restrictions), one string per error:
    "COMPONENT [UID] ERRORTYPE: text", e.g.
    "VEVENT session@example.com INVALID-ITIP: Failed iTIP restrictions for ORGANIZER ...".
    libical checks a VCALENDAR's components only up to the first that fails: restriction
    errors name at most one component per VCALENDAR, so none means all passed."""
    with _ics_file(ics_bytes) as path:
        output = _run([str(libical_check_program()), "errors", str(path)])
    return [_error_text(line) for line in output.splitlines()]


def libical_occurrences(ics_bytes: bytes) -> list[Occurrence]:
    """Every occurrence as libical's recurrence iterator expands it, TZIDs resolved with the
    file's own VTIMEZONEs (a TZID without one fails rather than using a built-in zone)."""
    with _ics_file(ics_bytes) as path:
        output = _run([str(libical_check_program()), "occurrences", str(path)])
    return _sorted(_occurrence_from_tsv(line) for line in output.splitlines())


def rie_occurrences(ics_bytes: bytes) -> list[Occurrence]:
    """Every occurrence recurring-ical-events finds between 1900 and 2200."""
    calendar = icalendar.Calendar.from_ical(ics_bytes)
    events = recurring_ical_events.of(calendar, components=["VEVENT"]).between(*RIE_WINDOW)
    return _sorted(Occurrence(str(event["UID"]), _instant(event.start), _instant(event.end),
                              str(event.get("STATUS", "")))
                   for event in events)


@functools.cache
def libical_check_program() -> Path:
    """The C checker, built once per source version: the binary lives in the temporary folder
    under the hash of its source and of the libical version, so later runs reuse it."""
    gcc = shutil.which("gcc")
    if gcc is None:
        raise CalendarClientMissing("gcc not found; install it: apt-get install -y gcc")
    flags = _libical_flags()
    source = LIBICAL_SOURCE.read_bytes()
    key = hashlib.sha256(source + " ".join(flags).encode()
                         + _libical_version().encode()).hexdigest()[:16]
    program = Path(tempfile.gettempdir()) / f"prepplan-libical-check-{key}" / "libical_check"
    if program.exists():
        return program
    program.parent.mkdir(parents=True, exist_ok=True)
    # Built under a private name and renamed: parallel test processes never run half a file.
    partial = program.with_name(f"libical_check.{os.getpid()}")
    _run([gcc, "-O1", "-Wall", "-o", str(partial), str(LIBICAL_SOURCE), *flags])
    partial.replace(program)
    return program


def _libical_flags() -> list[str]:
    pkg_config = shutil.which("pkg-config")
    if pkg_config is None or subprocess.run([pkg_config, "--exists", "libical"]).returncode:
        raise CalendarClientMissing(
            "libical (3.x) not found by pkg-config; install it: "
            "apt-get install -y libical-dev pkg-config")
    return _run([pkg_config, "--cflags", "--libs", "libical"]).split()


def _libical_version() -> str:
    return _run(["pkg-config", "--modversion", "libical"]).strip()


def _require_node() -> str:
    node = shutil.which("node")
    if node is None:
        raise CalendarClientMissing("node not found; install Node.js (18 or later)")
    if not (ICALJS_FOLDER / "node_modules" / "ical.js" / "package.json").exists():
        raise CalendarClientMissing(
            f"ical.js is not installed; run: npm ci --prefix {ICALJS_FOLDER}")
    return node


@contextmanager
def _ics_file(ics_bytes: bytes) -> Iterator[Path]:
    """The bytes in a temporary .ics file, removed afterwards: the tools read paths."""
    with tempfile.TemporaryDirectory(prefix="prepplan-client-") as folder:
        path = Path(folder) / "calendar.ics"
        path.write_bytes(ics_bytes)
        yield path


def _run(command: list[str], cwd: Path | None = None) -> str:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True,
                            timeout=TOOL_TIMEOUT_SECONDS)
    if result.returncode != 0:
        raise CalendarClientFailed(
            f"{' '.join(command)} exited with {result.returncode}:\n{result.stderr}")
    return result.stdout


def _error_text(tsv_line: str) -> str:
    component, uid, error_type, text = tsv_line.split("\t", 3)
    where = " ".join(part for part in (component, uid, error_type) if part)
    return f"{where}: {text}"


def _occurrence_from_tsv(line: str) -> Occurrence:
    uid, start, end, status = line.split("\t")
    return Occurrence(uid, _utc(start), _utc(end), status)


def _utc(iso_text: str) -> datetime:
    return datetime.fromisoformat(iso_text).astimezone(timezone.utc)


def _instant(value: date | datetime) -> datetime:
    """An aware UTC datetime; DATE and floating values read as UTC wall clock."""
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def _sorted(occurrences) -> list[Occurrence]:
    return sorted(occurrences, key=lambda item: (item.uid, item.start_utc, item.end_utc))
