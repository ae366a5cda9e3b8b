"""Helpers shared by the calendar tests: build a plan's calendar and lint the raw text."""

from __future__ import annotations

import re
from pathlib import Path

import icalendar
from datetime import date, datetime, timezone

from prepplan.ics import calendar_bytes

from .plans import make_plan

STAMP = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)


def build(start=date(2026, 12, 7), hours=10, months=8, days=(), at=None, tz="UTC", skip=(),
          plan_id="testplan", sequence=0, previous=None, curriculum=None):
    plan = make_plan(start, hours, months, days=days, at=at, skip=skip, curriculum=curriculum)
    data = calendar_bytes(plan, plan_id=plan_id, sequence=sequence, stamp=STAMP, tz_name=tz,
                          previous=previous)
    return plan, data


def lint(data: bytes) -> list[str]:
    """RFC 5545 text rules a strict importer checks: CRLF, 75-octet folding, every TZID
    defined by a VTIMEZONE, unique UIDs. Returns the problems found."""
    problems = []
    if not data.endswith(b"\r\n"):
        problems.append("does not end with CRLF")
    physical = data.split(b"\r\n")[:-1]
    for number, line in enumerate(physical, start=1):
        if b"\n" in line or b"\r" in line:
            problems.append(f"line {number}: bare LF or CR")
        if len(line) > 75:
            problems.append(f"line {number}: {len(line)} octets")
    text = data.decode("utf-8")
    unfolded = re.sub(r"\r\n[ \t]", "", text).replace("\r\n", "\n")
    defined = set(re.findall(r"^TZID:(.+)$", unfolded, flags=re.M))
    used = set(re.findall(r";TZID=([^:;]+)[:;]", unfolded))
    problems += [f"TZID {zone} has no VTIMEZONE" for zone in sorted(used - defined)]
    uids = re.findall(r"^UID:(.+)$", unfolded, flags=re.M)
    if len(uids) != len(set(uids)):
        problems.append("duplicate UIDs")
    return problems


def calendar_events(path: Path) -> dict:
    """The VEVENTs of a calendar file by UID."""
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(path.read_bytes())
            .walk("VEVENT")}
