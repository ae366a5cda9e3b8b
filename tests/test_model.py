"""The schedule's rules (model.py): which days carry hours, and how many."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from prepplan.model import Schedule, Segment

# Mon/Wed/Fri at 6 h a week, then from Monday 2026-03-16 every day at 7 h a week; Wednesday
# 2026-03-04 and Tuesday 2026-03-17 off.
REPLANNED = Schedule(start=date(2026, 3, 2), weeks=4,
                     segments=(Segment(date(2026, 3, 2), 6, (0, 2, 4)),
                               Segment(date(2026, 3, 16), 7, ())),
                     days_off=frozenset({date(2026, 3, 4), date(2026, 3, 17)}))


def test_study_days_follow_each_segment_and_skip_days_off():
    days = REPLANNED.study_days(date(2026, 3, 1), date(2026, 3, 20))
    assert [day.isoformat() for day in days] == [
        "2026-03-02", "2026-03-06", "2026-03-09", "2026-03-11", "2026-03-13",
        "2026-03-16", "2026-03-18", "2026-03-19", "2026-03-20"]
    assert [REPLANNED.day_hours(day) for day in (date(2026, 3, 2), date(2026, 3, 4),
                                                 date(2026, 3, 5), date(2026, 3, 18))] == [
        2.0, 0.0, 0.0, 1.0]
    assert REPLANNED.study_days(date(2026, 3, 20), date(2026, 3, 19)) == []


@st.composite
def schedules(draw):
    """Schedules as generate and replan make them: segments beginning in order."""
    start = date(2026, 1, 5) + timedelta(days=draw(st.integers(0, 6)))
    gaps = draw(st.lists(st.integers(1, 60), max_size=3))
    firsts = [start]
    for gap in gaps:
        firsts.append(firsts[-1] + timedelta(days=gap))
    segments = tuple(Segment(first, draw(st.sampled_from([0.0, 3.0, 10.0])),
                             tuple(sorted(draw(st.sets(st.integers(0, 6), max_size=4)))))
                     for first in firsts)
    off = draw(st.sets(st.integers(-10, 200), max_size=15))
    return Schedule(start=start, weeks=30, segments=segments,
                    days_off=frozenset(start + timedelta(days=day) for day in off))


@settings(max_examples=200, deadline=None)
@given(schedule=schedules(), first=st.integers(-20, 220), length=st.integers(-3, 120))
def test_study_days_are_the_days_with_planned_hours(schedule, first, length):
    begin = schedule.start + timedelta(days=first)
    end = begin + timedelta(days=length)
    every_day = [begin + timedelta(days=offset) for offset in range(max(0, length + 1))]
    assert schedule.study_days(begin, end) == [day for day in every_day
                                               if schedule.day_hours(day) > 0]
