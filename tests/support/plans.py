"""The one plan builder the tests share: a plan of the bundled roadmap (or a given curriculum)
from a start date, hours, months or a target, study weekdays, days off and a session time."""

from __future__ import annotations

from datetime import date, time

from prepplan.allocate import allocate, target_from_months
from prepplan.curriculum import load_curriculum
from prepplan.inputs import parse_at

BUNDLED = load_curriculum()
# The bundled roadmap without its interview loop: no mocks, for the tests of session mechanics
# (the mocks have their own tests, and move a mock day's sessions past the mock).
WITHOUT_LOOP = BUNDLED._replace(loop=())
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


def in_range_placement_exists(unit_hours: list[float], lows: list[float],
                              highs: list[float]) -> bool:
    """Whether some whole-unit placement, every unit used, gives each segment hours within its
    [low, high]: an exhaustive search over every boundary each segment can end on (reachable
    boundaries, segment by segment), independent of prepplan.placement."""
    cumulative = [0.0]
    for hours in unit_hours:
        cumulative.append(cumulative[-1] + hours)
    reachable = {0}
    for low, high in zip(lows, highs):
        reachable = {end for start in reachable for end in range(start + 1, len(unit_hours) + 1)
                     if unit_hours[end - 1] >= 0
                     and low - 1e-6 <= cumulative[end] - cumulative[start] <= high + 1e-6
                     and any(hours > 1e-9 for hours in unit_hours[start:end])}
    return len(unit_hours) in reachable
