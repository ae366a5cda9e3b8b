"""The pace model (SPEC.md "Progress and pace") on hand-computed cases."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from prepplan.curriculum import load_curriculum
from prepplan.pace import PlannedValue, compute_status, tolerance_days
from support.plans import make_plan as build_plan

CURRICULUM = load_curriculum()
START = date(2026, 12, 7)


def make_plan(days=(), skip=(), hours=10, months=8, start=START):
    return build_plan(start, hours, months, days=days, skip=skip,
                      at=time(19) if days else None)


def on_plan_progress(plan):
    """A user who logs exactly the planned hours every day and marks each topic done on its
    planned end date."""
    pv = PlannedValue(plan)
    log = []
    previous = 0.0
    for day, cumulative in zip(pv.days, pv.cumulative):
        log.append((day, cumulative - previous))
        previous = cumulative
    marks = {topic.id: topic.end for topic in plan.topics}
    return log, marks


@pytest.mark.parametrize("options", [
    {},
    {"days": (0, 2, 5)},
    {"skip": ((date(2026, 12, 24), date(2027, 1, 1)), (date(2027, 4, 5), date(2027, 4, 5)))},
    {"days": (5, 6), "skip": ((date(2027, 2, 1), date(2027, 2, 14)),), "hours": 14,
     "months": 6},
    {"days": (6,), "hours": 20, "months": 10},  # one study day a week: topics share days
    {"hours": 7.5, "months": 10},
])
def test_exactly_on_plan_is_on_pace_every_day(options):
    """...and finishes on pace, on the last topic's planned end."""
    plan = make_plan(**options)
    log, marks = on_plan_progress(plan)
    finish = max(topic.end for topic in plan.topics)
    day = plan.start - timedelta(days=3)
    while day <= plan.target + timedelta(days=3):
        status = compute_status(plan, log, marks, day, plan_id="on-plan")
        assert status.verdict == "on_pace", (day, status.days_ahead, status.tolerance_days)
        assert status.earned_hours == pytest.approx(
            min(status.planned_hours, status.earned_hours), abs=1e-6)
        assert status.overdue_topics == ()
        if day >= finish:
            assert (status.state, status.finished_on, status.projected_finish) == (
                "finished", finish, finish)
        elif day >= plan.start:
            assert status.state == "in_progress"
        day += timedelta(days=1)


def test_nothing_done_four_weeks_in_is_four_weeks_behind():
    plan = make_plan()
    as_of = START + timedelta(days=28)  # 2027-01-04
    status = compute_status(plan, [], {}, as_of)
    assert status.earned_hours == 0
    assert status.earned_schedule == START
    assert status.days_ahead == -28
    assert status.verdict == "behind"
    # four complete weeks of 0 h: at that rate nothing is ever done
    assert status.forecast.basis == "history" and status.forecast.history_weeks == 4
    assert (status.forecast.p50, status.forecast.chance_on_time) == (None, 0)
    assert status.projected_finish is None
    # 1.1-1.3 (40 h) end on day 28; day 29 is the first of 1.4s nine days
    assert status.planned_hours == pytest.approx(40 + (80 / 6) / 9)
    # 34 weeks, the last ending 2027-08-01 (S + 237): days S+29..S+237 = 209 days of 10/7 h
    # are left, so 10 x 330 / (209 x 10 / 7) = 330 x 7 / 209 = 11.05 h/week
    assert status.hours_per_week_needed == pytest.approx(330 * 7 / 209)
    assert status.reachable
    assert (status.week, status.phase.number) == (5, 1)


def test_topics_done_eight_weeks_ahead():
    plan = make_plan()
    as_of = date(2027, 1, 3)  # end of week 4
    # everything planned through week 12 is done: phase 1 (80 h) and 2.1-2.4 (40 h)
    done_ids = ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2.1", "2.2", "2.3", "2.4"]
    marks = {topic_id: as_of for topic_id in done_ids}
    status = compute_status(plan, [(as_of, 120)], marks, as_of, plan_id="meta-pe")
    assert status.earned_hours == pytest.approx(120)
    assert status.earned_schedule == date(2027, 2, 28)  # 2.4 ends with week 12
    assert status.days_ahead == 56
    assert status.verdict == "ahead"
    # history: weeks of 0, 0, 0 and 120 h (mean 30); 210 h left at r = 120 / 120 = 1. A run
    # finishes in the week of its second 120 (one gives 120 < 210), on that week's 6th day
    # (90 h of 120/7 a day). Weeks to the 2nd hit at p = 1/4: P(<= 6) = 0.466, P(<= 7) = 0.555;
    # P(<= 12) = 0.842, P(<= 13) = 0.873. So p50 is week 7 (6 with sampling noise), day
    # 6 * 7 + 6 = 48 after as-of, and p85 week 13 (or 12).
    cast = status.forecast
    assert (cast.basis, cast.history_weeks, cast.hours_per_week) == ("history", 4, 30.0)
    assert cast.p50 in (as_of + timedelta(days=41), as_of + timedelta(days=48))
    assert cast.p85 in (as_of + timedelta(days=83), as_of + timedelta(days=90))
    assert status.projected_finish == cast.p50 < status.target
    assert cast.chance_on_time >= 0.99  # 30 weeks to the target: P(<= 30) = 0.998
    # (330 - 120) h over days S+28..S+237 (210 days of 10/7 h = 300 h): 10 x 210 / 300
    assert status.hours_per_week_needed == pytest.approx(7.0)


def test_partial_credit_caps_at_nine_tenths_of_the_current_topic():
    plan = make_plan()
    topic = plan.topics[0]
    assert topic.hours == pytest.approx(80 / 6)
    as_of = START + timedelta(days=6)
    capped = compute_status(plan, [(START, 20)], {}, as_of)
    assert capped.earned_hours == pytest.approx(0.9 * 80 / 6)  # 12.0, not 20
    below = compute_status(plan, [(START, 5)], {}, as_of)
    assert below.earned_hours == pytest.approx(5)


def test_behind_projects_past_the_target():
    plan = make_plan()
    as_of = date(2027, 1, 31)  # end of week 8, day 55
    marks = {"1.1": as_of, "1.2": as_of, "1.3": as_of}
    status = compute_status(plan, [(date(2027, 1, 30), 40)], marks, as_of, plan_id="meta-pe")
    assert status.earned_hours == pytest.approx(40)
    # 1.1-1.3 take 28 days of 10/7 h: ES = 2027-01-03, 27 days after the start
    assert status.earned_schedule == date(2027, 1, 3)
    assert status.days_ahead == -28
    assert status.verdict == "behind"
    # history: seven weeks of 0 and one of 40 (mean 5 h/week); 290 h left need eight weeks of
    # 40 h, one week in eight: 64 weeks on average, far past the target (27 weeks away)
    cast = status.forecast
    assert (cast.basis, cast.history_weeks, cast.hours_per_week) == ("history", 8, 5.0)
    assert status.projected_finish == cast.p50 > status.target + timedelta(days=180)
    assert cast.chance_on_time < 0.05
    # 290 h over days S+56..S+237: 182 days of 10/7 h = 260 h
    assert status.hours_per_week_needed == pytest.approx(10 * 290 / 260)


def test_tolerance_scales_with_the_topic_and_is_never_zero():
    plan = make_plan()
    assert tolerance_days(plan.topics[0]) == 3  # 9 days
    assert tolerance_days(None) == 2
    long_plan = make_plan(days=(6,), hours=20, months=10)
    longest = max(long_plan.topics, key=lambda t: (t.end - t.start).days)
    assert tolerance_days(longest) == -(-((longest.end - longest.start).days + 1) // 4)


def test_before_the_start():
    plan = make_plan()
    status = compute_status(plan, [], {}, START - timedelta(days=5))
    assert (status.state, status.week, status.days_ahead, status.verdict) == (
        "not_started", 0, 0, "on_pace")
    # before the start the projection is the plan's own: 1.1-6.x end with week 33, S + 230
    assert status.planned_hours == 0 and status.forecast is None
    assert status.projected_finish == START + timedelta(days=230) == date(2027, 7, 25)
    assert [t.id for t in status.this_week_topics] == ["1.1"]


def test_on_the_start_date():
    plan = make_plan()
    status = compute_status(plan, [], {}, START)
    assert (status.state, status.week, status.days_ahead, status.verdict) == (
        "in_progress", 1, 0, "on_pace")
    assert status.planned_hours == pytest.approx((80 / 6) / 9)  # 1.1 spans 9 days


def test_on_the_last_day():
    plan = make_plan()
    last = plan.target - timedelta(days=1)
    log, marks = on_plan_progress(plan)
    finished = compute_status(plan, log, marks, last)
    assert (finished.state, finished.done_topics, finished.verdict) == ("finished", 38,
                                                                        "on_pace")
    assert finished.finished_on == finished.projected_finish == date(2027, 7, 25)
    assert (finished.days_ahead, finished.forecast, finished.reachable) == (0, None, True)
    idle = compute_status(plan, [], {}, last)
    assert idle.days_ahead == -(last - START).days == -242
    # the last week ended 2027-08-01: no study time is left before the target
    assert (idle.hours_per_week_needed, idle.reachable) == (None, False)


def test_after_the_target():
    plan = make_plan()
    as_of = plan.target + timedelta(days=10)
    marks = {topic.id: date(2027, 3, 1) for topic in plan.topics[:19]}
    status = compute_status(plan, [(date(2027, 3, 1), 150)], marks, as_of)
    assert status.state == "past_target"
    assert status.week == plan.weeks
    assert status.hours_per_week_needed is None
    assert status.verdict == "behind"
    assert status.done_topics == 19 and status.planned_topics == 38
