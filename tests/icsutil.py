"""Helpers shared by the calendar tests: build a plan's calendar and lint the raw text."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timezone

from prepplan.curriculum import load_curriculum
from prepplan.ics import calendar_bytes
from prepplan.schedule import allocate, target_from_months

STAMP = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)


def build(start=date(2026, 12, 7), hours=10, months=8, days=(), at=None, tz="UTC", skip=(),
          plan_id="testplan", sequence=0, previous=None, curriculum=None):
    plan = allocate(curriculum or load_curriculum(), start, hours,
                    target_from_months(start, months), study_weekdays=days,
                    session_time=time.fromisoformat(at) if at else None, skip_ranges=skip)
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
