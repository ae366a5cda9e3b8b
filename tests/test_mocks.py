"""Mock interviews (SPEC.md, "Mocks and review"): where the plan puts them, what the calendar
shows, and `prepplan mock` / `prepplan mocks`."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

from prepplan.cadence import study_sessions
from prepplan.curriculum import parse_curriculum
from prepplan.mocks import loop_count, planned_mocks

from support.icsutil import build, calendar_events, lint
from support.plans import WITHOUT_LOOP, make_plan

START = date(2026, 12, 7)  # a Monday
MON_WED_SAT = (0, 2, 5)


def dated(plan) -> list[tuple[date, str, str | None]]:
    return [(mock.day, mock.kind, mock.round.id if mock.round else None)
            for mock in planned_mocks(plan)]


# ---------------------------------------------------------------- placement

def test_the_done_when_plan_mocks_weekly_from_the_end_of_phase_1_and_loops_in_the_final_block():
    # 12 h/week over 9 months on mon, wed, sat: the phases take 7, 5, 4, 7, 4 and 3 weeks
    # (the fewest whole weeks of 12 h holding each one's maximum), so phase 1 is weeks 1-7 (to
    # Sun 2027-01-24) and the final block weeks 31-39; the target is Tue 2027-09-07
    plan = make_plan(START, 12, 9, days=MON_WED_SAT)
    assert [phase.last_week for phase in plan.phases] == [7, 12, 16, 23, 27, 30]
    assert plan.phases[0].end == date(2027, 1, 24)
    assert (plan.buffer.first_week, plan.buffer.last_week) == (31, 39)
    mocks = dated(plan)
    # the first: coding, on the last study day (Saturday) of week 8, the week after phase 1
    assert mocks[0] == (date(2027, 1, 30), "single", "coding")
    # one a week from then on: 32 weeks (8-39), 4 of them with a full loop instead
    assert [plan.schedule.week_of(day) for day, _, _ in mocks] == list(range(8, 40))
    # coding alone while system design's phase 4 is not planned done (to week 23)
    assert {round_id for _, _, round_id in mocks[:16]} == {"coding"}
    # then the rotation in the curriculum's order, skipping the rounds not ready: production
    # engineering from week 28 (phase 5 ends in week 27), behavioral from week 31 (phase 6:
    # 30); the final block's weeks 1, 3, 5, 7 hold full loops and no single-round mock
    assert mocks[16:] == [
        (date(2027, 5, 22), "single", "system-design"),  # week 24
        (date(2027, 5, 29), "single", "coding"),
        (date(2027, 6, 5), "single", "system-design"),
        (date(2027, 6, 12), "single", "coding"),
        (date(2027, 6, 19), "single", "system-design"),
        (date(2027, 6, 26), "single", "production-engineering"),  # week 29
        (date(2027, 7, 3), "single", "coding"),  # behavioral: phase 6 ends this week
        (date(2027, 7, 10), "loop", None),  # week 31, the final block's first
        (date(2027, 7, 17), "single", "system-design"),
        (date(2027, 7, 24), "loop", None),
        (date(2027, 7, 31), "single", "production-engineering"),
        (date(2027, 8, 7), "loop", None),
        (date(2027, 8, 14), "single", "behavioral"),
        (date(2027, 8, 21), "loop", None),
        (date(2027, 8, 28), "single", "coding"),
        # week 39's Saturday 2027-09-04 is in the last 3 days before the target: Wednesday
        (date(2027, 9, 1), "single", "system-design"),
    ]


@pytest.mark.parametrize("block_weeks, loops", [(1, 1), (2, 1), (5, 2), (12, 6), (0, 0)])
def test_one_loop_per_two_weeks_of_the_final_block_and_at_least_one(block_weeks, loops):
    assert loop_count(block_weeks) == loops


@pytest.mark.parametrize("weeks, block, expected", [
    # 10 h/week, every day: the phases take 8, 6, 4, 8, 4, 3 weeks (to week 33); the target is
    # the start + W weeks, so the last week's last 3 days (Fri-Sun) may hold no mock. The
    # rotation by then: system design from week 27, production engineering from 31,
    # behavioral from 34
    (34, 1, [(date(2027, 7, 29), "loop", None)]),  # the one week's latest allowed day: Thu
    (35, 2, [(date(2027, 8, 1), "loop", None),
             (date(2027, 8, 5), "single", "system-design")]),
    (38, 5, [(date(2027, 8, 1), "loop", None), (date(2027, 8, 8), "single", "system-design"),
             (date(2027, 8, 15), "loop", None),
             (date(2027, 8, 22), "single", "production-engineering"),
             (date(2027, 8, 26), "single", "behavioral")]),
])
def test_loops_in_final_blocks_of_1_2_and_5_weeks(weeks, block, expected):
    plan = make_plan(START, 10, target=START + timedelta(days=7 * weeks))
    assert plan.buffer.weeks == block
    in_block = [m for m in dated(plan) if m[0] >= plan.buffer.start]
    assert in_block == expected
    # every single-round mock before the final block is on its week's last day (Sunday)
    assert {m[0].weekday() for m in dated(plan) if m[0] < plan.buffer.start} == {6}


def test_a_12_week_final_block_has_6_loops_on_the_day_with_the_most_study_time():
    # 16 h/week over 8 months on mon, wed, sat: the final block is weeks 23-34 (from Mon
    # 2027-05-10); loops in its weeks 1, 3, 5, 7, 9, 11
    plan = make_plan(START, 16, 8, days=MON_WED_SAT)
    assert (plan.buffer.first_week, plan.buffer.weeks) == (23, 12)
    loops = [day for day, kind, _ in dated(plan) if kind == "loop"]
    assert loops == [date(2027, 5, 15), date(2027, 5, 29), date(2027, 6, 12), date(2027, 6, 26),
                     date(2027, 7, 10), date(2027, 7, 24)]
    # mon, wed and sat hold 16/3 h each: the tie goes to the latest, Saturday
    assert {plan.schedule.day_hours(day) for day in loops} == {16 / 3}


@pytest.mark.parametrize("options", [
    dict(start=START, hours=12, months=9, days=MON_WED_SAT),
    dict(start=START, hours=10, months=8),
    dict(start=date(2026, 3, 2), hours=10, months=8, days=MON_WED_SAT),  # target on a Monday
    dict(start=START, hours=15, months=10, days=(5, 6)),
])
def test_no_mock_in_the_last_3_days_before_the_target(options):
    plan = make_plan(**options)
    mocks = planned_mocks(plan)
    assert mocks and max(mock.day for mock in mocks) <= plan.target - timedelta(days=4)
    assert len({mock.day for mock in mocks}) == len(mocks)  # one a day at most


def test_the_last_week_s_mock_moves_before_the_quiet_days():
    # 2026-03-02 + 8 months: target Mon 2026-11-02; week 35's Saturday 10-31 is 2 days before
    plan = make_plan(date(2026, 3, 2), 10, 8, days=MON_WED_SAT)
    assert planned_mocks(plan)[-1].day == date(2026, 10, 28)  # Wednesday


def test_a_mock_comes_out_of_its_day_s_session_and_the_day_s_total_is_unchanged():
    plan = make_plan(START, 12, 9, days=MON_WED_SAT)
    sessions = {session.day: session for session in study_sessions(plan)}
    saturday = sessions[date(2027, 1, 30)]  # 12 h over 3 days: 4 h, the first coding mock
    assert (saturday.minutes, saturday.mock.minutes, saturday.study_minutes) == (240, 45, 195)
    assert saturday.blocks == [195]
    loop_day = sessions[date(2027, 7, 10)]  # the loop replaces the session
    assert (loop_day.minutes, loop_day.mock.minutes, loop_day.study_minutes) == (240, 285, 0)
    assert loop_day.blocks == []
    # every week's time (mock included) is still its 12 h
    week_minutes = {}
    for session in sessions.values():
        week = plan.schedule.week_of(session.day)
        week_minutes[week] = week_minutes.get(week, 0) + session.minutes
    assert set(week_minutes.values()) == {720}


def test_a_full_loop_is_every_round_with_15_minute_breaks():
    (loop,) = [mock for mock in planned_mocks(make_plan(START, 10, 8)) if mock.kind == "loop"]
    assert loop.parts == [("Coding 1", 45), ("Break", 15), ("Coding 2", 45), ("Break", 15),
                          ("System design", 45), ("Break", 15),
                          ("Production engineering", 45), ("Break", 15), ("Behavioral", 45)]
    assert loop.minutes == 5 * 45 + 4 * 15 == 285


def test_a_curriculum_without_a_loop_plans_no_mock():
    plan = make_plan(START, 12, 9, days=MON_WED_SAT, curriculum=WITHOUT_LOOP)
    assert planned_mocks(plan) == []
    assert all(session.mock is None for session in study_sessions(plan))


# ---------------------------------------------------------------- the calendar

def occurrences(data: bytes) -> list:
    return recurring_ical_events.of(icalendar.Calendar.from_ical(data)).between(
        date(2026, 1, 1), date(2028, 1, 1))


def test_mock_events_right_before_the_shortened_session():
    plan, data = build(START, 12, 9, days=MON_WED_SAT, at="18:00", tz="America/New_York")
    assert lint(data) == []
    on_day = {}
    for event in occurrences(data):
        start = event["DTSTART"].dt
        on_day.setdefault(start.date() if isinstance(start, datetime) else start, []).append(
            (str(event["SUMMARY"]), event["DTSTART"].dt.strftime("%H:%M"),
             event["DTEND"].dt.strftime("%H:%M")) if isinstance(event["DTSTART"].dt, datetime)
            else (str(event["SUMMARY"]),))
    # Saturday 2027-01-30: the coding mock at --at, then the rest of the 4 h; the check-in
    # follows the latest end of a check-in day's sessions, a full loop's (18:00 + 4:45)
    timed = sorted(item for item in on_day[date(2027, 1, 30)] if len(item) == 3)
    assert timed == [("Mock interview: Coding", "18:00", "18:45"),
                     ("Study: Process lifecycle — states, scheduling, context switching",
                      "18:45", "22:00"),
                     ("prepplan weekly check-in", "22:45", "23:15")]
    # Saturday 2027-07-10: the full loop, 18:00 + 4:45, and no study session
    timed = sorted(item for item in on_day[date(2027, 7, 10)] if len(item) == 3)
    assert timed == [("Mock loop: Coding ×2, System design, Production engineering, Behavioral",
                      "18:00", "22:45"), ("prepplan weekly check-in", "22:45", "23:15")]
    loop = [e for e in occurrences(data) if str(e["UID"]).startswith("mockloop-2027-07-10.")][0]
    assert str(loop["DESCRIPTION"]).splitlines()[:3] == [
        "18:00 Coding 1 (45 min)", "18:45 Break (15 min)", "19:00 Coding 2 (45 min)"]
    # the final block's other sessions name the reviews due
    titles = [item[0] for day, items in on_day.items() if day >= plan.buffer.start
              for item in items if item[0].startswith("Study: ")]
    assert titles and sum(title.startswith("Study: Review ") for title in titles) > len(titles) / 2


def test_a_loop_that_would_end_after_midnight_is_an_all_day_item_naming_its_rounds():
    # Saturday's 4 h from 20:00 end at midnight; the 4:45 loop would not
    plan, data = build(START, 12, 9, days=MON_WED_SAT, at="mon=18:00,wed=18:00,sat=20:00",
                       tz="Europe/Berlin")
    loop = [e for e in occurrences(data) if str(e["UID"]).startswith("mockloop-2027-07-10.")][0]
    assert (loop["DTSTART"].dt, loop["DTEND"].dt) == (date(2027, 7, 10), date(2027, 7, 11))
    assert str(loop["SUMMARY"]) == ("Mock loop: Coding ×2, System design, Production "
                                    "engineering, Behavioral")
    assert not [e for e in occurrences(data) if str(e["SUMMARY"]).startswith("Study: ")
                and e["DTSTART"].dt.date() == date(2027, 7, 10)]


def test_without_days_mocks_are_all_day_items():
    plan, data = build(START, 10, 8)
    mocks = [e for e in occurrences(data) if str(e["UID"]).startswith("mock")]
    assert len(mocks) == len(planned_mocks(plan)) == 26
    first = min(mocks, key=lambda e: e["DTSTART"].dt)
    # phase 1 is weeks 1-8; week 9's last day is Sunday 2027-02-07
    assert (first["DTSTART"].dt, first["DTEND"].dt) == (date(2027, 2, 7), date(2027, 2, 8))
    assert str(first["SUMMARY"]) == "Mock interview: Coding"


def test_mock_uids_survive_a_replan_and_the_dropped_ones_are_cancelled(run, run_json):
    assert run("generate", "--start", "2026-03-02", "--days", "mon,wed,sat", "--at", "19:00",
               "--tz", "UTC").exit_code == 0
    before = calendar_events(Path("prepplan.ics"))
    mocks_before = {uid for uid in before if uid.startswith("mock")}
    assert len(mocks_before) == 27
    # from 2026-05-10 on, tue and thu: the Saturday mocks after it go, Thursday's come
    assert run("replan", "--as-of", "2026-05-10", "--days", "tue,thu", "--at", "18:00"
               ).exit_code == 0
    after = calendar_events(Path("prepplan.ics"))
    live = {uid for uid, e in after.items() if e.get("STATUS") != "CANCELLED"}
    cancelled = set(after) - live
    past = {uid for uid in mocks_before if before[uid]["DTSTART"].dt.date() <= date(2026, 5, 10)}
    assert past and past <= live  # same UIDs, now SEQUENCE 1
    assert {int(after[uid]["SEQUENCE"]) for uid in past} == {1}
    assert mocks_before - past == {uid for uid in cancelled if uid.startswith("mock")}
    new = [after[uid] for uid in live - mocks_before if uid.startswith("mock-")]
    assert new and {e["DTSTART"].dt.weekday() for e in new} == {3}  # the week's last: Thursday
    # the calendar and `show` carry the same mocks
    assert sorted(e["DTSTART"].dt.date().isoformat() for uid, e in after.items()
                  if uid in live and uid.startswith("mock")) == [
        mock["date"] for mock in run_json("show")["mocks"]]


# ---------------------------------------------------------------- mock and mocks

@pytest.fixture
def loop_plan(run):
    assert run("generate", "--start", "2026-03-02", "--hours", "10", "--months", "8",
               "--days", "mon,wed,sat", "--tz", "UTC").exit_code == 0
    return run


def test_record_mocks_and_see_them_in_status_and_mocks(loop_plan, run_json):
    run = loop_plan
    result = run("mock", "coding", "--score", "3", "--date", "2026-05-02", "--note", "slow")
    assert (result.exit_code, result.stdout) == (0, "Recorded mock 1: Coding, 3/4 on 2026-05-02\n")
    assert run("mock", "Coding", "--score", "2", "--date", "2026-05-09").exit_code == 0
    status = run_json("status", "--as-of", "2026-05-10")
    assert status["mocks"][0] == {"round": "coding", "last_score": 2, "last_date": "2026-05-09",
                                  "next": "2026-05-16"}
    # system design's phase 4 ends in week 26 (2026-08-30): its first mock is Sat 09-05
    assert status["mocks"][1] == {"round": "system-design", "last_score": None,
                                  "last_date": None, "next": "2026-09-05"}
    assert [entry["round"] for entry in status["mocks"]] == [
        "coding", "system-design", "production-engineering", "behavioral"]
    listing = run_json("mocks")
    assert listing["done"] == [
        {"id": 1, "round": "coding", "date": "2026-05-02", "score": 3, "note": "slow"},
        {"id": 2, "round": "coding", "date": "2026-05-09", "score": 2, "note": ""}]
    assert listing["planned"][0] == {"round": "coding", "date": "2026-05-02", "kind": "single",
                                     "rounds": ["coding"], "minutes": 45}
    assert listing["planned"] == run_json("show")["mocks"]
    text = run("status", "--as-of", "2026-05-10").stdout
    assert "Mocks: coding                  last 2/4 on 2026-05-09 · next Sat 2026-05-16\n" in text


@pytest.mark.parametrize("args, message", [
    (["frontend", "--score", "3"], "no round 'frontend': the rounds are coding, system-design, "
                                   "production-engineering, behavioral"),
    (["coding", "--score", "5"], "--score must be a whole number from 1 (no hire) to 4 "
                                 "(strong hire), not '5'"),
    (["coding", "--score", "0"], "--score must be a whole number from 1 (no hire) to 4 "
                                 "(strong hire), not '0'"),
    (["coding", "--score", "three"], "--score must be a whole number from 1 (no hire) to 4 "
                                     "(strong hire), not 'three'"),
    (["coding", "--score", "3", "--date", "2099-01-01"],
     "2099-01-01 is in the future: record a mock on the day it happened (today or earlier)"),
    (["coding", "--score", "3", "--date", "2026-03-01"],
     "2026-03-01 is before the plan's start (2026-03-02)"),
])
def test_mock_bad_inputs_one_line_exit_2_nothing_recorded(loop_plan, run_json, args, message):
    result = loop_plan("mock", *args)
    assert (result.exit_code, result.stderr) == (2, f"prepplan: {message}\n")
    assert run_json("mocks")["done"] == []


def test_a_curriculum_without_a_loop_has_no_mocks_and_review_still_works(run, run_json,
                                                                        tmp_path):
    source = (Path(__file__).resolve().parent.parent / "curriculum.toml").read_text()
    no_loop = tmp_path / "no-loop.toml"
    no_loop.write_text(source[:source.index("# The interview loop")])
    assert parse_curriculum(no_loop.read_text(), "x").loop == ()
    assert run("generate", "--start", "2026-03-02", "--days", "mon,wed,sat", "--tz", "UTC",
               "--curriculum", str(no_loop)).exit_code == 0
    assert run_json("show")["mocks"] == []
    assert not [uid for uid in calendar_events(Path("prepplan.ics")) if uid.startswith("mock")]
    assert run_json("status", "--as-of", "2026-03-20")["mocks"] == []
    result = run("mock", "coding", "--score", "3", "--date", "2026-03-20")
    assert (result.exit_code, result.stderr) == (
        1, "prepplan: this plan's curriculum describes no interview loop ([[loop]]): there are "
           "no mock rounds to record\n")
    assert run("done", "1.1", "--date", "2026-03-10").exit_code == 0
    assert [r["id"] for r in run_json("review", "--as-of", "2026-03-12")] == ["1.1"]
    assert run_json("status", "--as-of", "2026-03-12")["reviews_due"] == 1
