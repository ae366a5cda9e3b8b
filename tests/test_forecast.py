"""The finish forecast (SPEC.md, "Progress and pace", Forecast), with hand-worked figures.

Most examples use a plan that starts on Monday 2026-01-05 and studies every day (each day 1/7
of a full week), so plan weeks run Monday to Sunday and 2026-03-01 is the last day of week 8.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prepplan.forecast import (
    Forecast,
    forecast,
    forecast_seed,
    horizon,
    planned_hour_cost,
    week_history,
    work_left,
)

START = date(2026, 1, 5)  # a Monday
SUNDAY = date(2026, 3, 1)  # the last day of week 8
TARGET = date(2026, 9, 4)


def every_day(day: date) -> float:
    return 1 / 7


def days_off(*off: date, weekdays: tuple[int, ...] = ()):
    """A day-share function: study on `weekdays` (every day when empty), none on `off`."""
    def share(day: date) -> float:
        if day in off:
            return 0.0
        if not weekdays:
            return 1 / 7
        return 1 / len(weekdays) if day.weekday() in weekdays else 0.0
    return share


def run(history, left, *, as_of=SUNDAY, target=TARGET, hours=10.0, day_share=every_day,
        plan_id="meta-pe", runs=1000) -> Forecast:
    return forecast(plan_id=plan_id, as_of=as_of, start=START, target=target,
                    history=history, hours_per_week=hours, work_left=left,
                    day_share=day_share, runs=runs)


# --- the walk, by hand -----------------------------------------------------------------------

def test_constant_weeks_from_a_sunday_evening():
    # 8 h every week, 40 h left: five whole weeks, Mon 2 Mar .. Sun 5 Apr.
    result = run([8, 8, 8, 8], 40)
    assert result == Forecast("history", 4, 8.0, date(2026, 4, 5), date(2026, 4, 5), 1.0)


def test_last_week_is_linear_over_its_days():
    # 36 h: four weeks give 32 h; the fifth gives 8/7 h a day, so 4 h take 3.5 -> 4 days:
    # Mon 30 Mar .. Thu 2 Apr.
    assert run([8, 8, 8], 36).p50 == date(2026, 4, 2)


def test_mid_week_walks_the_rest_of_the_current_week_first():
    # As of Wed 4 Mar: Thu-Sun give 4 x 8/7 = 32/7 h, four weeks 32 h, and the 24/7 h left
    # take three days of the next week (Mon 6 .. Wed 8 Apr): 40 h at 8 h/week, 35 days.
    result = run([8, 8, 8], 40, as_of=date(2026, 3, 4))
    assert result.p50 == result.p85 == date(2026, 4, 8)


def test_a_future_day_off_delays_the_finish():
    # Wed 1 Apr off: the week of 30 Mar gives 6 x 8/7 = 48/7 h after 32 h, leaving 8/7 h,
    # one day of the next week: Mon 6 Apr instead of Sun 5 Apr.
    result = run([8, 8, 8], 40, day_share=days_off(date(2026, 4, 1)))
    assert result.p50 == date(2026, 4, 6)


def test_study_days_only_carry_the_last_week():
    # Mondays and Thursdays, 5 h each: 15 h from Sunday 1 Mar are week 9 (10 h) and Mon 9 Mar.
    result = run([10, 10, 10], 15, day_share=days_off(weekdays=(0, 3)))
    assert result.p50 == date(2026, 3, 9)


def test_chance_on_time_against_a_deterministic_finish():
    assert run([8, 8, 8], 40, target=date(2026, 4, 5)).chance_on_time == 1.0
    assert run([8, 8, 8], 40, target=date(2026, 4, 4)).chance_on_time == 0.0


def test_the_walk_goes_past_the_target_at_the_current_hours():
    result = run([8, 8, 8], 400, target=date(2026, 6, 1))
    assert result.p50 == SUNDAY + timedelta(days=350)  # 50 weeks
    assert result.chance_on_time == 0.0


def test_no_work_left_finishes_as_of():
    result = run([8, 8, 8], 0)
    assert (result.p50, result.p85, result.chance_on_time) == (SUNDAY, SUNDAY, 1.0)


# --- basis ----------------------------------------------------------------------------------

def test_fewer_than_three_weeks_draws_the_plans_hours():
    result = run([3, 4], 20, hours=10)
    assert (result.basis, result.history_weeks, result.hours_per_week) == ("plan", 2, 10)
    assert result.p50 == SUNDAY + timedelta(days=14)


def test_three_weeks_make_a_history_and_its_mean_is_reported():
    result = run([6, 9, 12], 40)
    assert (result.basis, result.history_weeks, result.hours_per_week) == ("history", 3, 9.0)


def test_only_the_last_twelve_weeks_are_drawn():
    result = run([100] * 5 + [8] * 12, 40)
    assert (result.history_weeks, result.hours_per_week) == (12, 8.0)
    assert result.p85 == date(2026, 4, 5)


# --- never ----------------------------------------------------------------------------------

def test_a_history_of_zeros_never_finishes():
    result = run([0, 0, 0, 0], 40)
    assert (result.p50, result.p85, result.chance_on_time) == (None, None, 0.0)
    assert result.as_json()["p50"] is None


def test_too_slow_for_ten_years_never_finishes():
    # 0.05 h a week at best: 26 h in ten years, 40 h needed.
    assert run([0.05, 0.0, 0.05], 40).p50 is None


def test_a_vanishing_rate_never_finishes():
    """Weeks of 1e-308 h (a float below the normal range): the weeks a run would need
    overflow a float, and the forecast still answers "never", as for a week of zeros."""
    for history in ([1.1125369292536007e-308] * 3, [1e-308, 0.0, 5e-324, 1e-300]):
        result = run(history, 40)
        assert (result.p50, result.p85, result.chance_on_time) == (None, None, 0.0), history


def test_p85_null_while_p50_is_a_date():
    # One week in twelve at 10 h: about 43 such weeks in ten years; 38 needed, so roughly
    # four runs in five finish -- p50 is a date, p85 "not at this rate".
    result = run([0.0] * 11 + [10.0], 380)
    assert result.p50 is not None
    assert result.p85 is None


def test_horizon_is_ten_calendar_years():
    assert horizon(date(2026, 3, 1)) == date(2036, 3, 1)
    assert horizon(date(2028, 2, 29)) == date(2038, 2, 28)


# --- the seed ---------------------------------------------------------------------------------

VARIED = [5, 12, 0, 9, 10, 7, 11, 3, 8, 10]


def test_same_inputs_same_figures():
    assert run(VARIED, 200) == run(VARIED, 200)


def test_the_seed_is_the_plan_id_and_as_of():
    assert forecast_seed("meta-pe", date(2026, 3, 1)) == "meta-pe:2026-03-01"
    assert forecast_seed("meta-pe", date(2026, 3, 1)) != forecast_seed("meta-pe",
                                                                         date(2026, 3, 2))
    assert forecast_seed("meta-pe", date(2026, 3, 1)) != forecast_seed("other",
                                                                         date(2026, 3, 1))


def test_the_seed_is_stable_across_processes():
    # str seeds go through SHA-512, not the per-process salted hash(): another interpreter,
    # with another hash seed, prints the same figures.
    code = ("from datetime import date; from prepplan.forecast import forecast; "
            "print(forecast(plan_id='meta-pe', as_of=date(2026, 3, 1), start=date(2026, 1, 5),"
            " target=date(2026, 9, 4), history=[5, 12, 0, 9, 10, 7, 11, 3, 8, 10],"
            " hours_per_week=10, work_left=200, day_share=lambda d: 1 / 7))")
    printed = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True, env={**os.environ, "PYTHONHASHSEED": str(salt)}).stdout
               for salt in (1, 2)}
    assert printed == {repr(run(VARIED, 200)) + "\n"}


def test_the_draws_vary_the_finish():
    result = run(VARIED, 200)
    assert result.basis == "history"
    assert result.p50 < result.p85  # a spread, not one run repeated


# --- history ----------------------------------------------------------------------------------

def test_history_is_the_complete_weeks_oldest_first():
    log = [(START, 3.0), (START + timedelta(days=6), 2.0),  # week 1: 5 h
           (START + timedelta(days=7), 7.0),                 # week 2: 7 h
           (START + timedelta(days=14), 9.0)]                # week 3: not complete by as-of
    assert week_history(log, START, START + timedelta(days=15), every_day) == [5.0, 7.0]


def test_a_week_with_half_its_capacity_off_is_scaled_up():
    # Mondays and Thursdays; Thursday of week 2 off: 4 h logged there count as 8.
    share = days_off(date(2026, 1, 15), weekdays=(0, 3))
    log = [(date(2026, 1, 12), 4.0), (date(2026, 1, 5), 6.0)]
    assert week_history(log, START, date(2026, 1, 18), share) == [6.0, 8.0]


def test_weeks_wholly_off_are_left_out():
    holiday = [date(2026, 1, 12) + timedelta(days=offset) for offset in range(7)]
    log = [(date(2026, 1, 5), 5.0), (date(2026, 1, 13), 1.0), (date(2026, 1, 20), 6.0)]
    assert week_history(log, START, date(2026, 1, 25), days_off(*holiday)) == [5.0, 6.0]


def test_history_keeps_the_twelve_most_recent_weeks_with_capacity():
    log = [(START + timedelta(days=7 * week), float(week + 1)) for week in range(15)]
    holiday = [START + timedelta(days=7 * 13 + offset) for offset in range(7)]  # week 14
    as_of = START + timedelta(days=7 * 15 - 1)
    history = week_history(log, START, as_of, days_off(*holiday))
    assert history == [float(hours) for hours in range(3, 14)] + [15.0]  # not 14: off


def test_nothing_complete_before_the_first_sunday_or_the_start():
    assert week_history([(START, 4.0)], START, START + timedelta(days=5), every_day) == []
    assert week_history([], START, START - timedelta(days=3), every_day) == []


# --- work left ---------------------------------------------------------------------------------

@pytest.mark.parametrize("logged, earned, ratio", [
    (30, 10, 2.0),   # L/EV = 3, clamped
    (15, 10, 1.5),
    (4, 10, 0.5),    # L/EV = 0.4, clamped
    (0, 10, 1.0),    # nothing logged
    (12, 0, 1.0),    # nothing earned
])
def test_planned_hour_cost(logged, earned, ratio):
    assert planned_hour_cost(logged, earned) == ratio


def test_work_left_in_the_users_hours():
    assert work_left(total_planned=100, earned=10, logged=30) == 180  # 90 x 2
    assert work_left(total_planned=100, earned=0, logged=0) == 100


# --- properties ----------------------------------------------------------------------------

histories = st.lists(st.floats(min_value=0, max_value=40, allow_nan=False), max_size=14)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=histories, left=st.floats(min_value=0.5, max_value=600),
       as_of=st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)),
       target_days=st.integers(min_value=-30, max_value=400))
def test_forecast_properties(history, left, as_of, target_days):
    target = as_of + timedelta(days=target_days)
    result = run(history, left, as_of=as_of, target=target, runs=200)
    assert result == run(history, left, as_of=as_of, target=target, runs=200)
    assert 0.0 <= result.chance_on_time <= 1.0
    assert result.basis == ("history" if len(history) >= 3 else "plan")
    if result.p50 is None:
        assert result.p85 is None
    else:
        assert as_of < result.p50 <= horizon(as_of)
        # nearest rank: p50 on time <=> at least half the runs on time
        assert (result.p50 <= target) == (result.chance_on_time >= 0.5)
    if result.p85 is not None:
        assert result.p50 <= result.p85
        assert (result.p85 <= target) == (result.chance_on_time >= 0.85)


@settings(max_examples=60, deadline=None)
@given(hours=st.sampled_from([5.0, 7.5, 10.0, 14.0, 20.0]),
       weekdays=st.sampled_from([(), (0, 2, 5), (5, 6), (1,)]),
       weeks_done=st.integers(min_value=3, max_value=30),
       extra_days=st.integers(min_value=0, max_value=6),
       off=st.lists(st.integers(min_value=0, max_value=40 * 7), max_size=20))
def test_a_user_exactly_on_plan_is_forecast_to_finish_on_plan(hours, weekdays, weeks_done,
                                                              extra_days, off):
    """Every past week logged exactly H, and the work left is the plan's remaining capacity:
    on time, and the median finish within a week of the planned end."""
    share = days_off(*(START + timedelta(days=day) for day in off), weekdays=weekdays)
    target = START + timedelta(days=40 * 7 - 1)
    as_of = START + timedelta(days=7 * weeks_done + extra_days - 1)
    remaining_days = [as_of + timedelta(days=n) for n in range(1, (target - as_of).days + 1)]
    study_days = [day for day in remaining_days if share(day) > 0]
    if not study_days:
        return
    plan_end = study_days[-1]  # the last day that carries planned hours
    capacity_left = hours * sum(share(day) for day in study_days)
    history = week_history([(START + timedelta(days=7 * week), hours * sum(
        share(START + timedelta(days=7 * week + day)) for day in range(7)))
        for week in range(weeks_done)], START, as_of, share)
    result = run(history, capacity_left, as_of=as_of, target=target, hours=hours,
                 day_share=share)
    assert result.chance_on_time >= 0.85
    assert plan_end - timedelta(days=7) <= result.p50 <= plan_end
    assert result.p50 == result.p85 == plan_end  # every week drawn is H: one exact walk


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=st.lists(st.sampled_from([0.0, 0.0, 0.5, 2.0, 3.25, 4.9, 7.3, 30.0]), min_size=3,
                        max_size=12),
       weeks_of_work=st.sampled_from([0.5, 30, 480, 505, 515, 520, 530, 560, 2000]),
       weekdays=st.sampled_from([(), (0, 2, 5), (6,)]),
       off=st.lists(st.integers(min_value=-20, max_value=900), max_size=8),
       as_of_days=st.integers(min_value=55, max_value=62))
def test_the_shortcuts_give_the_figures_of_walking_every_run_week_by_week(
        history, weeks_of_work, weekdays, off, as_of_days):
    """Runs that cannot finish are told apart by counting their draws, a run years from the
    target passes over weeks by counting them, weeks of one share gain the pool's values times
    it, and repeating weeks are laid out at once: the figures are those of walking each run
    week by week. The work left
    is the mean week's hours times about as many weeks as ten years hold (522), so runs end
    on both sides of the horizon."""
    from unittest import mock

    from prepplan.forecast import _Draws, _FutureWeeks

    left = weeks_of_work * max(sum(history) / len(history), 0.5)
    as_of = START + timedelta(days=as_of_days)
    days = [as_of + timedelta(days=day) for day in off]
    share = days_off(*days, weekdays=weekdays)
    arguments = dict(plan_id="meta-pe", as_of=as_of, start=START, target=TARGET,
                     history=history, hours_per_week=10.0, work_left=left, day_share=share,
                     runs=300)
    quick = forecast(**arguments, repeats_from=max([START, *(day + timedelta(days=1)
                                                             for day in days)]))
    with mock.patch.object(_Draws, "runs_falling_short", lambda *args: 0), \
            mock.patch("prepplan.forecast._pass_over",
                       lambda weeks, draws, week, done, target: (done, week, False)), \
            mock.patch.object(_FutureWeeks, "_extend_uniform", lambda *args: None):
        walked = forecast(**arguments)  # each week's share times its draw, one by one
    assert quick == walked


def test_weeks_of_one_share_gain_exactly_each_share_times_its_draw():
    """From Thursday 2026-03-05, studying Mon/Wed/Sat with Saturday 2026-03-21 off: the rest
    of the week holds one study day (1/3), the next week all three, the week of 03-16 two
    (2/3), and every week from 03-23 on shares one layout."""
    from prepplan.forecast import _Draws, _FutureWeeks, _gains

    off = date(2026, 3, 21)
    weeks = _FutureWeeks(date(2026, 3, 5), START, days_off(off, weekdays=(0, 2, 5)),
                         repeats_from=off + timedelta(days=1))
    while weeks.extend() and len(weeks.shares) < 40:
        pass
    assert weeks.shares[:4] == [1 / 3, 1.0, 2 / 3, 1.0]
    assert (weeks.uniform_start, weeks.uniform_end) == (3, len(weeks.shares))
    draws = _Draws([4.0, 5.1, 6.2, 7.3], "meta-pe:2026-03-05")
    indices = draws.take(40)
    for week, end in ((0, 40), (2, 40), (3, 40), (5, 12), (6, 7), (2, 3)):
        assert list(_gains(weeks, draws, week, end, indices[week:end])) == [
            share * draws.pool[index]
            for share, index in zip(weeks.shares[week:end], indices[week:end])], (week, end)


def test_a_rate_that_never_gets_there_counts_every_run_as_never():
    """One week in six holds 3 h; 380 h would take about 14 years: no run finishes in ten."""
    result = run([3.0, 0.0, 0.0, 0.0, 0.0, 0.0], 380.0)
    assert (result.p50, result.p85, result.chance_on_time) == (None, None, 0.0)
    assert result.hours_per_week == 0.5


# --- start-up cost ---------------------------------------------------------------------------

def test_import_is_light():
    code = ("import sys, prepplan.forecast; "
            "print(sorted({'numpy', 'statistics', 'hashlib', 'fsrs'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_a_small_gap_between_logged_and_earned_is_noise():
    # 100 h planned, 30 earned, 34 logged: with 5 h of noise the gap counts for nothing (r = 1);
    # with 2 h, r = (34 - 2) / 30 on the 70 h left
    assert work_left(total_planned=100, earned=30, logged=34, noise=5) == 70
    assert work_left(total_planned=100, earned=30, logged=34, noise=2) == pytest.approx(
        70 * 32 / 30)
    assert work_left(total_planned=100, earned=30, logged=20, noise=2) == pytest.approx(
        70 * 22 / 30)
