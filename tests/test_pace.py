"""The pace model (SPEC.md "Progress and pace") on hand-computed cases."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from prepplan.curriculum import load_curriculum
from prepplan.model import most_hours_per_week
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
    {"days": (6,), "hours": 12, "months": 10},  # one study day a week: topics share days
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
    long_plan = make_plan(days=(6,), hours=12, months=10)
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


# ---------------------------------------------------------------- a messy term, case by case
# Plan A: from Mon 2026-03-02 at 8 h/week for 9 months: T = 2026-12-02, 39 weeks (the last
# ends Sun 2026-11-29), 312 h < 330 h: the stretch regime, no buffer, 8/7 h a day.
# Plan B: from Mon 2026-03-02 at 10 h/week for 8 months: T = 2026-11-02, 35 weeks, every
# phase at its maximum (330 h), weeks 34-35 the buffer (20 h); 1.1-1.4 of 13.33 h end on days
# 9, 19, 28 and 37 (03-10, 03-20, 03-29, 04-07).

from prepplan.text import Out, status_report  # noqa: E402

TERM_START = date(2026, 3, 2)


def plan_a(**options):
    return build_plan(TERM_START, 8, 9, **options)


def plan_b():
    return build_plan(TERM_START, 10, 8)


def report(plan, status) -> list[str]:
    import io

    stream = io.StringIO()
    status_report(Out(stream, terminal=False), status, plan)
    return stream.getvalue().splitlines()


def test_a_finish_after_the_target_is_behind_and_says_after():
    plan = plan_a()
    assert (plan.target, max(t.end for t in plan.topics)) == (date(2026, 12, 2),
                                                              date(2026, 11, 29))
    marks = {topic.id: date(2026, 12, 10) for topic in plan.topics}
    status = compute_status(plan, [(date(2026, 12, 10), 312)], marks, date(2026, 12, 14))
    assert (status.state, status.finished_on, status.projected_finish) == (
        "finished", date(2026, 12, 10), date(2026, 12, 10))
    assert (status.days_ahead, status.verdict, status.forecast) == (-11, "behind", None)
    lines = report(plan, status)
    assert "Pace: finished 11 days behind the plan" in lines
    assert "Finish: done Thu 2026-12-10, 8 days after the target Wed 2026-12-02" in lines
    assert not any("before the target" in line for line in lines)


def test_a_finish_one_day_late_is_behind_even_within_the_tolerance():
    # --target 2026-11-30: the topic work ends the day before the target. Done 12-01: two days
    # after the planned finish (inside the ±2 days of on pace), but one after the target.
    plan = build_plan(TERM_START, 8, target=date(2026, 11, 30))
    marks = {topic.id: date(2026, 12, 1) for topic in plan.topics}
    status = compute_status(plan, [], marks, date(2026, 12, 1))
    assert (status.days_ahead, status.tolerance_days, status.verdict) == (-2, 2, "behind")
    assert "Finish: done Tue 2026-12-01, 1 day after the target Mon 2026-11-30" in report(
        plan, status)
    early = compute_status(plan, [], {t.id: date(2026, 11, 28) for t in plan.topics},
                           date(2026, 12, 1))
    assert (early.days_ahead, early.verdict) == (1, "on_pace")
    assert "Finish: done Sat 2026-11-28, 2 days before the target Mon 2026-11-30" in report(
        plan, early)


def test_days_off_do_not_count_as_days_behind():
    # --skip 2026-07-01..07-10; on plan (logging the planned hours each day) up to Tue 06-30
    # but one 3-hour session short, 3.2 (06-27..06-30, 1.306 h a day) not yet ticked: EV =
    # PV(06-30) - 3 h, reached on 06-28. Two plan days behind on 06-30 and on every day off;
    # the first study day after them, 07-11, is the third.
    plan = plan_a(skip=((date(2026, 7, 1), date(2026, 7, 10)),))
    pv = PlannedValue(plan)
    log = [(day, hours) for day, hours in zip(pv.days, [pv.cumulative[0]] + [
        b - a for a, b in zip(pv.cumulative, pv.cumulative[1:])]) if day <= date(2026, 6, 30)]
    log.append((date(2026, 6, 29), -3))
    marks = {t.id: t.end for t in plan.topics if t.end < date(2026, 6, 30)}
    current = next(t for t in plan.topics if t.id not in marks)
    assert (current.id, current.start, current.end) == ("3.2", date(2026, 6, 27),
                                                        date(2026, 6, 30))
    for day in [date(2026, 6, 30)] + [date(2026, 7, 1) + timedelta(days=n) for n in range(10)]:
        status = compute_status(plan, log, marks, day)
        assert (status.earned_schedule, status.days_ahead) == (date(2026, 6, 28), -2), day
        assert status.verdict == "on_pace"  # 3.2 is 4 days long: within ±2 days
    assert compute_status(plan, log, marks, date(2026, 7, 11)).days_ahead == -3


def test_hours_needed_count_the_days_off():
    # Nothing done two weeks in (as-of S + 13): capacity C = 312 - 10 x 8/7 h; the days left,
    # S+14 .. S+272, are 259 less the 10 days off: 8 x C / (249 x 8/7) = 2104 / 249
    plan = plan_a(skip=((date(2026, 7, 1), date(2026, 7, 10)),))
    status = compute_status(plan, [], {}, TERM_START + timedelta(days=13))
    assert status.total_hours == pytest.approx(312 - 80 / 7)
    assert status.hours_per_week_needed == pytest.approx(2104 / 249) == pytest.approx(8.45,
                                                                                      abs=0.01)


def test_on_pace_today_and_a_late_forecast_say_why():
    # Plan B, weeks of 10, 10, 10, 8 h, 1.1 and 1.2 ticked: EV = 26.67 + 11.33 = 38 h, PV(03-29)
    # = 40. PV passes 38 on 03-28 (1.3: 1.48 h a day from 03-21): one day behind, on pace. The
    # forecast runs at the history's 9.5 h/week; needed: 10 x 292 / 310 h (03-30..11-01).
    plan = plan_b()
    as_of = date(2026, 3, 29)
    log = [(date(2026, 3, 8), 10), (date(2026, 3, 15), 10), (date(2026, 3, 22), 10),
           (as_of, 8)]
    marks = {"1.1": date(2026, 3, 10), "1.2": date(2026, 3, 20)}
    status = compute_status(plan, log, marks, as_of, plan_id="meta-pe")
    assert (status.days_ahead, status.verdict, status.earned_hours) == (-1, "on_pace",
                                                                       pytest.approx(38))
    assert status.hours_per_week_needed == pytest.approx(10 * 292 / 310)
    lines = report(plan, status)
    assert "Pace: on pace (1 day behind, within ±3 days)" in lines
    # 292 h at 9.5 h/week: 30.7 weeks, 215 days: ~10-30/31. The target, 218 days away, holds
    # 295.8 h on average; the weekly draws (10, 10, 10, 8: sd 0.87) spread 31 weeks by ~4.8 h,
    # so 3.8 h of slack is about 0.8 sd: a ~75% chance.
    cast = status.forecast
    assert date(2026, 10, 30) <= cast.p50 <= date(2026, 10, 31) < status.target <= cast.p85
    assert 0.65 <= cast.chance_on_time <= 0.85
    finish = next(line for line in lines if line.startswith("Finish: "))
    assert finish == (f"Finish: at your last 4 weeks' 9.5 h/week: most likely "
                      f"{cast.p50:%a %Y-%m-%d}, 85%: {cast.p85:%a %Y-%m-%d} — "
                      f"{cast.chance_on_time:.0%} chance of making Mon 2026-11-02")
    assert "Needed: 9.4 h/week from now to the target (planned: 10)" in lines
    assert not any(line.startswith("Catch up") for line in lines)


def test_the_buffer_sentence_only_when_a_buffer_covers_the_slip():
    # Plan A has no buffer: nothing done at the end of week 4 needs 8 x 312 / 280 h/week
    # (days S+28..S+272: 245 days of 8/7 h).
    plan = plan_a()
    status = compute_status(plan, [], {}, date(2026, 3, 29))
    assert (status.buffer_covers, status.verdict) == (False, "behind")
    assert "Catch up: 8.9 h/week from now makes the target (planned: 8)" in report(plan, status)
    # Plan B's 20 h of buffer do not cover 40 h behind: 10 x 330 / 310 h/week
    plan = plan_b()
    status = compute_status(plan, [], {}, date(2026, 3, 29))
    assert (status.hours_behind, status.buffer_covers) == (pytest.approx(40), False)
    assert "Catch up: 10.6 h/week from now makes the target (planned: 10)" in report(
        plan, status)
    # ...but they do cover 14.67 h: 1.1-1.3 done (40 h) at the end of week 5, 11.33 h of 1.4
    # logged after them; PV(04-05) = 40 + 7 x 1.48 = 50.37 h, EV = 40 + 11.33 = 51.33: not
    # behind. Two weeks later nothing more: 1.5 ended 04-17 (66.67 h), 1.6 adds 1.48 h a day
    # from 04-18: PV(04-19) = 69.63, 18.3 h behind, inside the 20 h of buffer.
    log = [(date(2026, 3, 29), 40), (date(2026, 4, 5), 11.33)]
    marks = {"1.1": date(2026, 3, 10), "1.2": date(2026, 3, 20), "1.3": date(2026, 3, 29)}
    status = compute_status(plan, log, marks, date(2026, 4, 19))
    assert status.hours_behind == pytest.approx(66.667 + 2 * 13.333 / 9 - 51.33, abs=0.01)
    assert (status.verdict, status.buffer_covers) == ("behind", True)
    assert any(line.endswith("(planned: 10) — the buffer absorbs the slip")
               for line in report(plan, status))


def test_a_forgotten_topic_is_listed_with_the_command_that_ticks_it():
    # Plan B at the end of week 5 (04-05), 50 h logged, 1.1 and 1.3 ticked, 1.2 forgotten:
    # EV = 26.67 + 0.9 x 13.33 (the cap on 1.2) = 38.67, reached on 03-29: 7 days behind.
    plan = plan_b()
    as_of = date(2026, 4, 5)
    log = [(as_of, 50)]
    marks = {"1.1": date(2026, 3, 10), "1.3": date(2026, 3, 29)}
    status = compute_status(plan, log, marks, as_of)
    assert [t.id for t in status.overdue_topics] == ["1.2"]
    assert (status.earned_schedule, status.days_ahead, status.verdict) == (
        date(2026, 3, 29), -7, "behind")
    assert ("Overdue: 1.2 Socket programming — TCP client/server — if it is done: "
            "`prepplan done 1.2`") in report(plan, status)
    # ticked: EV = 40 + 10 h into 1.4 (1.48 h a day from 03-30) = 50, reached on 04-05
    ticked = compute_status(plan, log, {**marks, "1.2": date(2026, 3, 20)}, as_of)
    assert (ticked.overdue_topics, ticked.days_ahead, ticked.verdict) == ((), 0, "on_pace")


def test_the_forecast_is_a_range_that_holds_still_early_on():
    # Plan B, uneven weeks (10, 4, 14, 6, 12, 8 h), topics ticked as their hours are logged.
    # Weeks 1-2: too little history, the plan's 10 h/week; from week 3 the user's own mean.
    plan = plan_b()
    hours = [10, 4, 14, 6, 12, 8]
    log = [(TERM_START + timedelta(days=7 * week + 6), h) for week, h in enumerate(hours)]
    marks, logged = {}, 0.0
    for day, h in log:
        logged += h
        for topic in plan.topics:
            if topic.id not in marks and sum(t.hours for t in plan.topics[:plan.topics.index(
                    topic) + 1]) <= logged + 1e-9:
                marks[topic.id] = day
    medians = []
    for week in range(1, 7):
        status = compute_status(plan, log, marks, plan.schedule.week_end(week), plan_id="b")
        cast = status.forecast
        assert cast.basis == ("plan" if week < 3 else "history")
        assert cast.hours_per_week == pytest.approx(10 if week < 3 else sum(hours[:week]) / week)
        assert cast.p50 <= cast.p85 and 0 <= cast.chance_on_time <= 1
        medians.append(cast.p50)
    # a week's news moves the median by weeks, not by months
    assert max(abs((b - a).days) for a, b in zip(medians, medians[1:])) <= 28, medians


# ---------------------------------------------------------------- properties over random plans

from hypothesis import HealthCheck, assume, given, settings  # noqa: E402

from prepplan.errors import RefusedError  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from prepplan.pace import capacity_between  # noqa: E402

WEEKDAY_SETS = [(), (0, 2, 5), (5, 6), (1, 3)]


@st.composite
def random_plans(draw):
    hours = draw(st.sampled_from([8, 10, 12.5, 16]))
    months = draw(st.integers(7, 10))
    days = draw(st.sampled_from(WEEKDAY_SETS))
    first = TERM_START + timedelta(days=draw(st.integers(20, 150)))
    skip = ((first, first + timedelta(days=draw(st.integers(0, 13)))),)
    try:
        return build_plan(TERM_START, hours, months, days=days, skip=skip)
    except RefusedError:  # too little time for the roadmap: not a plan
        assume(False)


@st.composite
def random_progress(draw, plan, through):
    """Log entries and marks dated from the start up to `through`."""
    span = max(0, (through - plan.start).days)
    log = [(plan.start + timedelta(days=draw(st.integers(0, span))),
            draw(st.floats(0.5, 20))) for _ in range(draw(st.integers(0, 25)))]
    count = draw(st.integers(0, len(plan.topics)))
    marks = {t.id: plan.start + timedelta(days=draw(st.integers(0, span)))
             for t in plan.topics[:count]}
    return log, marks


PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.data_too_large])


@PROPERTY
@given(data=st.data())
def test_days_ahead_holds_still_across_days_off_with_nothing_logged(data):
    plan = data.draw(random_plans())
    (first, last), = plan.skip_ranges
    before = first - timedelta(days=1)
    log, marks = data.draw(random_progress(plan, before))
    expected = compute_status(plan, log, marks, before).days_ahead
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        assert compute_status(plan, log, marks, day).days_ahead == expected, day


@PROPERTY
@given(data=st.data())
def test_a_finish_after_the_target_is_never_on_pace_nor_before_it(data):
    plan = data.draw(random_plans())
    late = plan.target + timedelta(days=data.draw(st.integers(1, 60)))
    log, marks = data.draw(random_progress(plan, late))
    marks = {t.id: marks.get(t.id, late) for t in plan.topics}
    marks[plan.topics[data.draw(st.integers(0, len(plan.topics) - 1))].id] = late
    as_of = late + timedelta(days=data.draw(st.integers(0, 30)))
    status = compute_status(plan, log, marks, as_of)
    assert (status.state, status.finished_on, status.verdict) == ("finished", late, "behind")
    assert status.days_ahead < 0 and status.reachable  # nothing is left to do
    lines = report(plan, status)
    assert not any("before the target" in line or "on pace" in line for line in lines)


@PROPERTY
@given(data=st.data())
def test_forecast_and_hours_needed_on_any_progress(data):
    plan = data.draw(random_plans())
    as_of = plan.start + timedelta(days=data.draw(st.integers(0, (plan.target - plan.start).days)))
    log, marks = data.draw(random_progress(plan, as_of))
    status = compute_status(plan, log, marks, as_of, plan_id="p")
    if status.state == "finished":
        return
    assert compute_status(plan, log, marks, as_of, plan_id="p").forecast == status.forecast
    cast = status.forecast
    assert 0 <= cast.chance_on_time <= 1
    assert cast.p50 is None or cast.p85 is None or cast.p50 <= cast.p85
    capacity_left = capacity_between(plan.schedule, as_of + timedelta(days=1),
                                     plan.schedule.week_end(plan.weeks))
    if capacity_left > 0:
        assert status.hours_per_week_needed * capacity_left / plan.hours_per_week == \
            pytest.approx(status.total_hours - status.earned_hours)
        assert status.reachable == (status.hours_per_week_needed
                                        <= most_hours_per_week(plan.schedule.study_weekdays))
    else:
        assert (status.hours_per_week_needed, status.reachable) == (None, False)


@PROPERTY
@given(data=st.data())
def test_exactly_the_planned_hours_every_week_forecasts_the_planned_finish(data):
    """Every study day logs its planned hours (H a week), every topic is ticked on its planned
    end; at each weekly check-in the forecast finds the plan's own finish."""
    plan = data.draw(random_plans())
    schedule = plan.schedule
    log = [(day, schedule.day_hours(day))
           for day in schedule.study_days(plan.start, schedule.week_end(plan.weeks))]
    marks = {topic.id: topic.end for topic in plan.topics}
    finish = max(topic.end for topic in plan.topics)
    week = data.draw(st.integers(1, schedule.week_of(finish)))
    as_of = schedule.week_end(week)
    status = compute_status(plan, log, marks, as_of, plan_id="p")
    if status.state == "finished":
        return
    cast = status.forecast
    assert cast.chance_on_time >= 0.85, (as_of, cast)
    assert abs((cast.p50 - finish).days) <= 7, (as_of, cast, finish)


@pytest.mark.parametrize("days, reachable", [((0, 2, 5), False), ((), True)])
def test_a_catch_up_rate_over_what_the_study_days_hold_is_out_of_reach(days, reachable):
    """8 h/week from 2026-03-02 for 9 months (W = 39, 312 h of topics), nothing done by Sun
    2026-10-04, the end of week 31: weeks 32-39 hold 64 h, so 8 x 312 / 64 = 39 h/week are
    needed. On mon/wed/sat that is 13 h a study day, over the 12 h one holds (36 h/week at
    most): replan would refuse it, so it is out of reach; on every day (80 h/week at most) it
    is a rate replan accepts."""
    plan = build_plan(date(2026, 3, 2), 8, 9, days=days)
    assert plan.weeks == 39 and plan.total_hours == pytest.approx(312)
    status = compute_status(plan, [], {}, date(2026, 10, 4))
    assert status.hours_per_week_needed == pytest.approx(39)
    assert status.reachable is reachable
