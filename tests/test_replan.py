"""replan, plan versions and exports (SPEC.md: replan, history, export)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from prepplan.curriculum import load_curriculum
from prepplan.errors import RefusedError, UsageError
from prepplan.model import PARTIAL_CREDIT_CAP
from prepplan.pace import compute_status
from support.plans import in_range_placement_exists, make_plan
from prepplan.replan import replan
from support.icsutil import calendar_events

CURRICULUM = load_curriculum()
START = date(2026, 3, 2)  # a Monday in the past: log and done accept these dates


def behind_at_week_ten():
    """A user three weeks behind at the end of week 10: they finished what was planned to end
    by week 7 (1.1-1.5, 66.7 h) and logged those hours."""
    plan = make_plan(START, 10, 8)
    as_of = START + timedelta(days=69)  # Sunday, end of week 10
    marks = {t.id: as_of for t in plan.topics if t.end <= START + timedelta(days=48)}
    logged = sum(t.hours for t in plan.topics if t.id in marks)
    return plan, as_of, marks, logged


def test_three_weeks_behind_at_week_ten_replans_onto_the_remaining_weeks():
    plan, as_of, marks, logged = behind_at_week_ten()
    assert sorted(marks) == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    before = compute_status(plan, [(as_of, logged)], marks, as_of)
    # 1.5 ends on day 47 (2026-04-17), 23 days before as-of
    assert before.verdict == "behind" and before.days_ahead == -23
    new = replan(CURRICULUM, plan, marks, logged, as_of, hours_per_week=10,
                 target=plan.target, study_weekdays=(), skip_ranges=(), session_time=None)
    # done topics keep their dates and hours
    old_topics = {t.id: t for t in plan.topics}
    for topic in new.topics:
        if topic.id in marks:
            assert topic == old_topics[topic.id]
    # the remaining phases fill weeks 11..35 exactly, in order, without overlap
    assert new.weeks == 35 and new.target == plan.target
    assert new.phases[0].first_week == 1
    for before_phase, after_phase in zip(new.phases, new.phases[1:]):
        assert after_phase.first_week == before_phase.last_week + 1
    end_week = new.buffer.last_week if new.buffer else new.phases[-1].last_week
    assert end_week == 35
    # 1.6 is laid out from the day after as-of; phase 1 still holds it
    topic_1_6 = next(t for t in new.topics if t.id == "1.6")
    assert topic_1_6.start == as_of + timedelta(days=1)
    assert new.phases[0].last_week >= 11
    # phase 2 onwards: 25 weeks x 10 h = 250 h left for at least 13.3 + 200 h of minimum
    # effort: the stretch regime, capacity fully used
    assert new.regime == "stretch"
    assert sum(t.hours for t in new.topics if t.id not in marks) == pytest.approx(250)
    after = compute_status(new, [(as_of, logged)], marks, as_of)
    assert (after.verdict, after.days_ahead) == ("on_pace", 0)
    assert after.earned_hours == pytest.approx(before.earned_hours)


def test_replan_with_partial_credit_is_on_pace_the_same_day():
    plan, as_of, marks, logged = behind_at_week_ten()
    logged += 7  # seven hours into 1.6 without finishing it
    new = replan(CURRICULUM, plan, marks, logged, as_of, hours_per_week=12,
                 target=plan.target, study_weekdays=(1, 3, 6), skip_ranges=(),
                 session_time=None)
    current = next(t for t in new.topics if t.id == "1.6")
    assert current.carried_hours == pytest.approx(7) and current.carried_on == as_of
    status = compute_status(new, [(as_of, logged)], marks, as_of)
    assert (status.verdict, status.days_ahead) == ("on_pace", 0)
    assert status.earned_hours == pytest.approx(logged)
    # from the day after, 12 h a week on tue/thu/sun
    assert new.schedule.day_hours(as_of + timedelta(days=2)) == pytest.approx(4)  # Tuesday
    assert new.schedule.day_hours(as_of - timedelta(days=6)) == pytest.approx(10 / 7)


def test_replan_that_cannot_fit_names_both_remedies():
    plan, as_of, marks, logged = behind_at_week_ten()
    with pytest.raises(RefusedError) as caught:
        replan(CURRICULUM, plan, marks, logged, as_of, hours_per_week=5, target=plan.target,
               study_weekdays=(), skip_ranges=(), session_time=None)
    # 25 weeks x 5 h = 125 h left; the minimum left is 1/6 of phase 1's 60 h (1.6 undone)
    # plus 180 h (phases 2-6) = 190 h: 190 / 25 weeks = 7.6 h/week, or 38 weeks at 5 h/week
    # from 2026-05-11 = 2027-02-01
    message = caught.value.message
    assert message == ("not enough time: 125.0 h of study time left before 2026-11-02, the "
                       "rest of the roadmap needs at least 190.0 h; study 7.6 h/week to finish "
                       "by 2026-11-02, or move the target to 2027-02-01 or later at 5 h/week "
                       "(outside the window, which ends 2027-01-02)")


@pytest.mark.parametrize("as_of, message", [
    (date(2026, 2, 27), "--as-of 2026-02-27 is before the plan starts (2026-03-02): nothing "
                        "to replan yet"),
    (date(2026, 11, 2), "target 2026-11-02 leaves no study time after 2026-11-02: give a "
                        "later --target"),
])
def test_replan_as_of_outside_the_plan(as_of, message):
    plan = make_plan(START, 10, 8)
    with pytest.raises(UsageError) as caught:
        replan(CURRICULUM, plan, {}, 0, as_of, hours_per_week=10, target=plan.target,
               study_weekdays=(), skip_ranges=(), session_time=None)
    assert caught.value.message == message


def test_a_later_phase_finished_before_an_earlier_one_replans():
    """The weekly flow that crashed: phase 3 done on 2026-11-01 with phase 1 not begun, replan
    on 2026-11-20. Phase 3 keeps its done topics (on their done day) and one week in order."""
    start, as_of = date(2026, 9, 7), date(2026, 11, 20)
    plan = make_plan(start, 10, 8)
    marks = {f"3.{n}": date(2026, 11, 1) for n in range(1, 8)}
    new = replan(CURRICULUM, plan, marks, 0, as_of, hours_per_week=10, target=plan.target,
                 study_weekdays=(), skip_ranges=(), session_time=None)
    # from Sat 2026-11-21: 2/7 of week 11 and weeks 12-34, 232.9 h for phases 1, 2, 4, 5, 6
    # (200-290 h): t = 0.365, efforts 67.3, 47.3, 0 (phase 3), 67.3, 33.7, 23.7 h; phase 1 takes
    # weeks 11-17 (62.9 h), phase 3 the one week its order demands
    assert [(p.first_week, p.last_week) for p in new.phases] == [
        (1, 17), (18, 21), (22, 22), (23, 28), (29, 32), (33, 34)]
    # planned in December, done in November: moved back to the replan day, hours kept
    old_topics = {t.id: t for t in plan.topics}
    for topic in new.phases[2].topics:
        assert (topic.start, topic.end) == (as_of, as_of)
        assert topic.hours == old_topics[topic.id].hours
    assert new.phases[2].hours == pytest.approx(40)
    status = compute_status(new, [], marks, as_of)
    assert (status.verdict, status.done_topics) == ("on_pace", 7)


@settings(max_examples=60, deadline=None)
@given(order=st.permutations(range(6)), finished=st.integers(1, 5),
       as_of_week=st.integers(8, 20))
def test_every_order_of_finished_phases_replans(order, finished, as_of_week):
    """Any phases finished in any order (one a week up to as-of): replan never crashes, keeps
    every done topic done by as-of, lays the phases out contiguously in curriculum order and
    starts on pace; or it refuses in one line."""
    plan = make_plan(START, 10, 8)
    as_of = START + timedelta(days=7 * as_of_week - 1)
    marks = {}
    for position, phase_index in enumerate(order[:finished]):
        day = as_of - timedelta(days=7 * (finished - 1 - position))
        marks.update({t.id: day for t in plan.phases[phase_index].topics})
    logged = sum(t.hours for t in plan.topics if t.id in marks)
    try:
        new = replan(CURRICULUM, plan, marks, logged, as_of, hours_per_week=10,
                     target=plan.target, study_weekdays=(), skip_ranges=(), session_time=None)
    except RefusedError as refused:
        assert "\n" not in refused.message and refused.message.startswith("not enough time")
        return
    assert [p.number for p in new.phases] == [1, 2, 3, 4, 5, 6]
    assert new.phases[0].first_week == 1
    for earlier, later in zip(new.phases, new.phases[1:]):
        assert later.first_week == earlier.last_week + 1
    assert all(t.end <= as_of for t in new.topics if t.id in marks)
    assert all(t.start > as_of for t in new.topics if t.id not in marks)
    status = compute_status(new, [(as_of, logged)], marks, as_of)
    assert status.verdict == "on_pace"
    assert status.earned_hours == pytest.approx(logged)


# ---------------------------------------------------------------- through the CLI

def test_replan_keeps_uids_raises_sequence_and_cancels_what_went(behind, run_json):
    run = behind
    before = calendar_events(Path("prepplan.ics"))
    # 5 h a day: two blocks and a break from 18:00 end at 23:30 (from 19:00 they would not fit)
    new_plan = run_json("replan", "--as-of", "2026-05-10", "--days", "tue,thu", "--at", "18:00")
    assert new_plan["ics"] == str(Path.cwd() / "prepplan.ics")
    after = calendar_events(Path("prepplan.ics"))
    assert {int(e["SEQUENCE"]) for e in before.values()} == {0}
    assert {int(e["SEQUENCE"]) for e in after.values()} == {1}
    cancelled = {uid for uid, e in after.items() if e.get("STATUS") == "CANCELLED"}
    live = set(after) - cancelled
    # phases, the check-in and the target keep their UIDs
    for key in ("phase-systems-coding", "phase-culture-behavioral", "checkin", "target",
                "topic-1.1", "topic-2.1"):
        assert any(uid.startswith(key + ".") for uid in live), key
    assert {uid.split(".")[0] for uid in before if uid.startswith("phase-")} <= \
        {uid.split(".")[0] for uid in live}
    # sessions before the replan stay; mon/wed/sat sessions after it are cancelled
    sessions_before = {uid for uid in before if uid.startswith("session-")}
    for uid in sessions_before:
        day = date.fromisoformat(uid[len("session-"):len("session-") + 10])
        if day <= date(2026, 5, 10):
            assert uid in live, uid
        else:
            assert uid in cancelled, uid
    new_sessions = [e for uid, e in after.items() if uid.startswith("session-") and uid in live
                    and e["DTSTART"].dt.date() > date(2026, 5, 10)]
    assert new_sessions and {e["DTSTART"].dt.weekday() for e in new_sessions} == {1, 3}
    # 2:30 from 18:00, a break, 2:30 from 20:30 (America/New_York); on a Thursday with a
    # single-round mock (18:00-18:45) the other 4:15 follow it: 2:15, a break, 2:00
    mock_days = {e["DTSTART"].dt.date() for uid, e in after.items()
                 if uid.startswith("mock-") and uid in live
                 and e["DTSTART"].dt.date() > date(2026, 5, 10)}
    assert mock_days and {day.weekday() for day in mock_days} == {3}

    def clock(e):
        return (e["DTSTART"].dt.hour, e["DTSTART"].dt.minute, e["DTEND"].dt.hour,
                e["DTEND"].dt.minute)

    assert {clock(e) for e in new_sessions if e["DTSTART"].dt.date() not in mock_days} == {
        (18, 0, 20, 30), (21, 0, 23, 30)}
    assert {clock(e) for e in new_sessions if e["DTSTART"].dt.date() in mock_days} == {
        (18, 45, 21, 0), (21, 30, 23, 30)}
    assert {clock(e) for uid, e in after.items() if uid.startswith("mock-") and uid in live
            and e["DTSTART"].dt.date() > date(2026, 5, 10)} == {(18, 0, 18, 45)}
    status = run_json("status", "--as-of", "2026-05-10")
    assert status["verdict"] == "on_pace" and status["days_ahead"] == 0


def test_replan_bad_input_changes_nothing(behind, run, run_json, tmp_path):
    run = behind
    future = date.today() + timedelta(days=1)  # the clock the CLI reads
    cases = [
        (["--as-of", "2026-02-01"], 2, "--as-of 2026-02-01 is before the plan starts"),
        (["--as-of", "2026-11-01"], 2, "target 2026-11-02 leaves no study time after "
                                       "2026-11-01: give a later --target"),
        (["--as-of", future.isoformat()], 2, f"--as-of {future.isoformat()} is in the future: "
                                             "replan from what is done by today"),
        (["--as-of", "2026-05-10", "--hours", "0"], 2, "hours per week must be more than 0"),
        (["--as-of", "2026-05-10", "--target", "2026-08-01"], 2, "target 2026-08-01 is "
                                                                  "outside the roadmap's"),
        (["--as-of", "2026-05-10", "--hours", "2"], 1, "not enough time: "),
        (["--as-of", "2026-05-10", "--out", str(tmp_path / "missing" / "p.ics")], 2,
         "cannot write"),
    ]
    for args, code, message in cases:
        result = run("replan", *args)
        assert result.exit_code == code, args
        assert result.stderr.startswith(f"prepplan: {message}"), result.stderr
    assert len(run_json("history")) == 1


def test_replan_without_a_plan(run):
    result = run("replan")
    assert result.exit_code == 1
    assert result.stderr.startswith("prepplan: no plan yet: make one with `prepplan generate`")


# ---------------------------------------------------------------- exports


from hypothesis import HealthCheck, assume, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(hours=16, months=7, day=40, done_count=7, extra=1e-09, new_hours=None, weekdays=())
@example(hours=8, months=7, day=62, done_count=0, extra=1.1125369292536007e-308, new_hours=14,
         weekdays=())  # a pool of one subnormal week: the forecast's week counts overflowed
@given(hours=st.sampled_from([8, 10, 12.5, 16]), months=st.integers(7, 10),
       day=st.integers(0, 200), done_count=st.integers(0, 30), extra=st.floats(0, 20),
       new_hours=st.sampled_from([None, 9, 14, 20]),
       weekdays=st.sampled_from([(), (0, 2, 5), (5, 6)]))
def test_status_right_after_any_replan_is_on_pace(hours, months, day, done_count, extra,
                                                  new_hours, weekdays):
    plan = make_plan(START, hours, months)
    as_of = START + timedelta(days=day)
    done_ids = [t.id for t in plan.topics][:done_count]
    marks = {topic_id: as_of for topic_id in done_ids}
    logged = sum(t.hours for t in plan.topics if t.id in marks) + extra
    if len(done_ids) == len(plan.topics):
        return
    try:
        new = replan(CURRICULUM, plan, marks, logged, as_of,
                     hours_per_week=new_hours or hours, target=plan.target,
                     study_weekdays=weekdays, skip_ranges=(), session_time=None)
    except RefusedError as refused:
        assert refused.message.startswith("not enough time")
        return
    status = compute_status(new, [(as_of, logged)], marks, as_of)
    assert (status.verdict, status.days_ahead) == ("on_pace", 0)
    # the credit earned on the current topic survives (earned hours do not drop at a replan)
    # whenever what is left of its phase holds twice the credit's uncapped hours
    earned_before = compute_status(plan, [(as_of, logged)], marks, as_of).earned_hours
    credit = earned_before - sum(t.hours for t in plan.topics if t.id in marks)
    current = next(t for t in new.topics if t.id not in marks)
    left = sum(t.hours for phase in new.phases for t in phase.topics
               if t.id not in marks and phase.number == int(current.id.split(".")[0]))
    if left >= 2 * credit / PARTIAL_CREDIT_CAP:
        assert status.earned_hours >= earned_before - 1e-9
    for before, after in zip(new.phases, new.phases[1:]):
        assert after.first_week == before.last_week + 1
    assert (new.buffer.last_week if new.buffer else new.phases[-1].last_week) == new.weeks
    undone = [t for t in new.topics if t.id not in marks]
    assert all(t.start > as_of for t in undone)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hours=st.sampled_from([7.5, 8, 10, 12, 15, 20]), months=st.integers(6, 10),
       day=st.integers(0, 200), done_count=st.integers(0, 30), extra=st.floats(0, 20),
       new_hours=st.sampled_from([None, 6, 9, 14, 25]),
       weekdays=st.sampled_from([(), (1, 3), (0, 2, 5), (5, 6)]),
       skip_offset=st.integers(1, 60), skip_length=st.integers(0, 30))
def test_replan_keeps_the_ranges(hours, months, day, done_count, extra, new_hours, weekdays,
                                 skip_offset, skip_length):
    try:
        plan = make_plan(START, hours, months)
    except RefusedError:
        return
    as_of = START + timedelta(days=day)
    assume(as_of < plan.target - timedelta(days=7))  # a week at least left to replan
    marks = {topic.id: as_of for topic in plan.topics[:done_count]}
    logged = sum(t.hours for t in plan.topics if t.id in marks) + extra
    skip = ((as_of + timedelta(days=skip_offset),
             as_of + timedelta(days=skip_offset + skip_length)),)
    try:
        new = replan(CURRICULUM, plan, marks, logged, as_of,
                     hours_per_week=new_hours or hours, target=plan.target,
                     study_weekdays=weekdays, skip_ranges=skip, session_time=None)
    except (RefusedError, UsageError) as refused:
        assert refused.message.startswith(("not enough time", f"{new_hours or hours:g} h/week"))
        return
    reference = CURRICULUM.reference_hours_per_week
    resume = as_of + timedelta(days=1)
    named = {outside.number for outside in new.outside_range}
    lows, highs, held, first_week = [], [], [], None
    for phase, spec in zip(new.phases, CURRICULUM.phases):
        undone = [t for t in phase.topics if t.id not in marks]
        if not undone:
            continue
        first_week = first_week or phase.first_week
        share = sum(t.weight for t in undone) / sum(t.weight for t in phase.topics)
        credit = sum(t.carried_hours for t in undone)
        # the hours of its weeks from the replan on, against its range scaled to what is left
        lows.append(max(0.0, reference * spec.min_weeks * share - credit))
        highs.append(max(0.0, reference * spec.max_weeks * share - credit))
        held.append(sum(t.hours for t in undone) - credit)
        inside = (held[-1] >= highs[-1] - 1e-6 if new.regime == "buffer"
                  else lows[-1] - 1e-6 <= held[-1] <= highs[-1] + 1e-6)
        assert inside == (phase.number not in named), (phase.number, held[-1], lows[-1],
                                                       highs[-1])
    if new.regime == "stretch" and named:  # whole weeks allow no better
        unit_hours = [sum(new.schedule.day_hours(d) for d in new.schedule.week_days(week)
                          if d >= resume) for week in range(first_week, new.weeks + 1)]
        assert not in_range_placement_exists(unit_hours, lows, highs)


# ---------------------------------------------------------------- topics done out of order

MON_WED_SAT = (0, 2, 5)


def trial_plan():
    """8 h/week on mon/wed/sat from 2026-03-02 for 9 months (W = 39): phases on weeks 1-9,
    10-16, 17-21, 22-31, 32-36, 37-39; phase 1's six topics 12 h each."""
    plan = make_plan(START, 8, 9, days=MON_WED_SAT)
    assert [(p.first_week, p.last_week) for p in plan.phases] == [
        (1, 9), (10, 16), (17, 21), (22, 31), (32, 36), (37, 39)]
    return plan


def done_on_planned_ends(plan, ids):
    marks = {t.id: t.end for t in plan.topics if t.id in ids}
    return marks, sum(t.hours for t in plan.topics if t.id in ids)


@pytest.mark.parametrize("target, buffer_weeks", [
    (date(2026, 12, 14), None),  # W = 41: weeks 40-41 hold 16 h, no final block
    (date(2027, 1, 11), (42, 45)),  # W = 45: the weeks after 41 form the final block
])
def test_a_topic_forgotten_in_phase_one_is_laid_in_the_last_phase_begun(target, buffer_weeks):
    """Every topic done but 1.5, replan on 2026-11-29: the finished phases stay on their weeks;
    1.5 (1/6 of phase 1's 60-80 h: 10-13.3 h) is laid from Mon 11-30 in the weeks of phase 6,
    the last phase begun, which grows from 37-39 to 37-41 (the fewest whole weeks of 8 h holding
    13.3 h: two)."""
    plan = trial_plan()
    marks, logged = done_on_planned_ends(plan, {t.id for t in plan.topics} - {"1.5"})
    assert logged == pytest.approx(300)
    as_of = date(2026, 11, 29)
    new = replan(CURRICULUM, plan, marks, logged, as_of, hours_per_week=8, target=target,
                 study_weekdays=MON_WED_SAT, skip_ranges=(), session_time=None)
    assert [(p.first_week, p.last_week) for p in new.phases] == [
        (1, 9), (10, 16), (17, 21), (22, 31), (32, 36), (37, 41)]
    assert ((new.buffer.first_week, new.buffer.last_week) if new.buffer else None) == buffer_weeks
    topic = next(t for t in new.topics if t.id == "1.5")
    assert (topic.start, topic.end, topic.hours) == (date(2026, 11, 30), date(2026, 12, 12),
                                                    pytest.approx(16))
    old = {t.id: t for t in plan.topics}
    assert all(t == old[t.id] for t in new.topics if t.id != "1.5")
    assert new.phases[5].end == date(2026, 12, 13)
    status = compute_status(new, [(as_of, logged)], marks, as_of)
    assert (status.verdict, status.days_ahead) == ("on_pace", 0)


def test_a_topic_left_in_phase_one_while_phase_two_runs_keeps_phase_two_where_it_is():
    """1.1-1.5 and 2.1-2.4 done on their planned days, 1.6 not; replan on Sun 2026-06-14 at
    10 h/week. Phase 2 (begun 05-04) keeps its first weeks and carries 1.6 first: its range is
    60/6-80/6 for 1.6 plus 2/6 of 40-60 for 2.5-2.6 = 23.3-33.3 h. 24 weeks of 10 h (16-39)
    exceed the 223.3 h of maxima: each phase gets the fewest whole weeks holding its maximum,
    phase 2 weeks 10-19 (4 new weeks, 40 h), 3 on 20-23, 4 on 24-31, 5 on 32-35, 6 on 36-38,
    the final block week 39. The 40 h are shared 10 : 6.67 : 6.67 (each topic's part of its
    phase's minimum): 1.6 17.14 h, 2.5 and 2.6 11.43 h."""
    plan = trial_plan()
    marks, logged = done_on_planned_ends(
        plan, {"1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "2.3", "2.4"})
    as_of = date(2026, 6, 14)
    new = replan(CURRICULUM, plan, marks, logged, as_of, hours_per_week=10, target=plan.target,
                 study_weekdays=MON_WED_SAT, skip_ranges=(), session_time=None)
    assert [(p.first_week, p.last_week) for p in new.phases] == [
        (1, 9), (10, 19), (20, 23), (24, 31), (32, 35), (36, 38)]
    assert (new.buffer.first_week, new.buffer.last_week) == (39, 39)
    hours = {t.id: t.hours for t in new.topics}
    assert (hours["1.6"], hours["2.5"], hours["2.6"]) == (
        pytest.approx(120 / 7), pytest.approx(80 / 7), pytest.approx(80 / 7))
    topic_1_6 = next(t for t in new.topics if t.id == "1.6")
    assert topic_1_6.start == date(2026, 6, 15)
    # done topics of phase 2 lie inside phase 2's dates; status on as-of names phase 2
    phase_2 = new.phases[1]
    assert all(phase_2.start <= t.start and t.end <= phase_2.end for t in phase_2.topics)
    status = compute_status(new, [(as_of, logged)], marks, as_of)
    assert status.phase.number == 2 and (status.verdict, status.days_ahead) == ("on_pace", 0)


def test_too_few_study_weeks_for_the_phases_left_says_so_and_names_a_target_that_works():
    """Every topic but 1.6 done by Thu 2026-08-20 (10 h/week, phases 5 and 6 planned from
    08-31 and 09-28: done ahead of their dates). Phase 4 (begun 07-06) carries 1.6 (10-13.3 h);
    5 and 6 need a week each. Target 2026-09-02 gives W = 26: Fri-Sun of week 25 (4.3 h) and
    week 26, 14.3 h, more than the 10 h needed, but 2 study weeks for 3 phases. Week 27 is the
    third: the earliest target is its end + 1 day, 2026-09-07, which replan accepts."""
    plan = make_plan(START, 10, 8)
    as_of = date(2026, 8, 20)
    marks = {t.id: as_of for t in plan.topics if t.id != "1.6"}
    logged = sum(t.hours for t in plan.topics if t.id in marks)
    with pytest.raises(RefusedError) as caught:
        replan(CURRICULUM, plan, marks, logged, as_of, hours_per_week=10,
               target=date(2026, 9, 2), study_weekdays=(), skip_ranges=(), session_time=None)
    assert caught.value.message == (
        "too few study weeks: the 3 phases left need a study week each, and only 2 study weeks "
        "remain before 2026-09-02; move the target to 2026-09-07 or later at 10 h/week (inside "
        "the window)")
    new = replan(CURRICULUM, plan, marks, logged, as_of, hours_per_week=10,
                 target=date(2026, 9, 7), study_weekdays=(), skip_ranges=(), session_time=None)
    assert [(p.first_week, p.last_week) for p in new.phases][3:] == [(19, 25), (26, 26), (27, 27)]


def test_a_replan_to_a_nearer_target_keeps_the_credit_on_the_current_topic(run, run_json):
    """10 h/week every day from Mon 2026-03-02. 1.1 (13.33 h) done 03-10; 30 h logged by Sun
    03-22: 16.67 h beyond it, credited to 1.2 up to 90% of its 13.33 h = 12 h, so EV = 25.33.
    A replan as of 03-22 to 2026-09-02 gives phase 1 the 28 days 03-23..04-19: 40 h, plus the
    12 h of credit = 52 h for 1.2-1.6, 10.4 h each by weight. 1.2 then could hold only
    9.36 h of credit; it gets 12 / 0.9 = 13.33 h instead (2.93 h more), and 1.3-1.6 give that
    up in proportion: 10.4 x (1 - 2.93/41.6) = 9.67 h each. EV stays 25.33, all 40 h of the
    phase's weeks are future work, and the rate needed is the plan's 10 h/week."""
    assert run("generate", "--start", "2026-03-02", "--hours", "10").exit_code == 0
    assert run("log", "15", "--date", "2026-03-15").exit_code == 0
    assert run("log", "15", "--date", "2026-03-22").exit_code == 0
    assert run("done", "1.1", "--date", "2026-03-10").exit_code == 0
    before = run_json("status", "--as-of", "2026-03-22")
    assert before["earned_hours"] == pytest.approx(25 + 1 / 3, abs=0.005)
    assert run("replan", "--as-of", "2026-03-22", "--target", "2026-09-02").exit_code == 0
    topics = run_json("show")["phases"][0]["topics"]
    assert [t["hours"] for t in topics] == pytest.approx(
        [40 / 3, 40 / 3] + [10.4 * (1 - (40 / 3 - 10.4) / 41.6)] * 4, abs=0.005)
    assert sum(t["hours"] for t in topics[1:]) == pytest.approx(40 + 12, abs=0.02)
    after = run_json("status", "--as-of", "2026-03-22")
    assert after["earned_hours"] == pytest.approx(25 + 1 / 3, abs=0.005)
    assert (after["verdict"], after["days_ahead"]) == ("on_pace", 0)
    assert after["hours_per_week_needed"] == pytest.approx(10, abs=0.005)
