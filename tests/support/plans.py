"""The one plan builder the tests share: a plan of the bundled roadmap (or a given curriculum)
from a start date, hours, months or a target, study weekdays, days off and a session time."""

from __future__ import annotations

from datetime import date, time

from prepplan.allocate import allocate, target_from_months
from prepplan.curriculum import load_curriculum
from prepplan.inputs import parse_at

BUNDLED = load_curriculum()
PAST_START = "2026-03-02"  # a plan begun in the past: log and done refuse future dates


def make_plan(start: date = date(2026, 12, 7), hours: float = 10, months: int = 8, *,
              target: date | None = None, days: tuple[int, ...] = (),
              skip: tuple[tuple[date, date], ...] = (), at: str | time | None = None,
              curriculum=None):
    """`prepplan generate` in the core: `at` takes what --at takes ("19:00",
    "mon=19:00,sat=09:00") or a time."""
    session_time, weekday_times = parse_at(at) if isinstance(at, str) else (at, ())
    return allocate(curriculum or BUNDLED, start, hours,
                    target or target_from_months(start, months), study_weekdays=days,
                    skip_ranges=skip, session_time=session_time, weekday_times=weekday_times)
