"""Study sessions and the check-in (SPEC.md, "The calendar file"): blocks and breaks, --at per
weekday, nothing past midnight, at most 12 h a study day, exact durations across clock changes,
and the refusals that name what would do."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from prepplan.cadence import (check_times, checkin_days, split_into_blocks, study_sessions,
                              topic_on)
from prepplan.curriculum import parse_curriculum
from prepplan.errors import UsageError

from support.icsutil import build
from support.plans import WITHOUT_LOOP

# one phase of 1–40 weeks at 2 h/week, so a single 2-hour session a week is a feasible plan
SMALL = parse_curriculum("""
title = "Small"
reference_hours_per_week = 2
min_months = 1
max_months = 12
[[phases]]
id = "p"
title = "Practice"
min_weeks = 1
max_weeks = 40
topics = ["One", "Two"]
""", "small.toml")


def timed(data: bytes):
    """Every timed event not cancelled, expanded, as (summary, start, end) in UTC."""
    calendar = icalendar.Calendar.from_ical(data)
    found = []
    for event in recurring_ical_events.of(calendar).between(date(2020, 1, 1), date(2030, 1, 1)):
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        if isinstance(start, datetime) and event.get("STATUS") != "CANCELLED":
            found.append((str(event["SUMMARY"]), start.astimezone(timezone.utc),
                          end.astimezone(timezone.utc)))
    return sorted(found, key=lambda item: item[1])


def sessions(data: bytes):
    return [item for item in timed(data) if item[0].startswith("Study: ")]


def checkins(data: bytes):
    return [item for item in timed(data) if item[0] == "prepplan weekly check-in"]


@pytest.mark.parametrize("minutes, blocks", [
    (60, [60]), (240, [240]),  # up to 4 h: one block
    (255, [135, 120]),  # 4:15 -> two blocks, the longer first
    (300, [150, 150]),
    (480, [165, 165, 150]),  # 8 h -> 2:45, 2:45, 2:30
    (720, [180, 180, 180, 180]),  # 12 h -> four blocks of 3 h
])
def test_split_into_blocks(minutes, blocks):
    assert split_into_blocks(minutes) == blocks
    assert sum(blocks) == minutes and max(blocks) <= (240 if len(blocks) == 1 else 180)


def test_eight_hours_on_one_day_are_three_blocks_with_breaks_and_the_checkin_after():
    plan, data = build(days=(5,), hours=8, at="09:00", tz="UTC")
    first_saturday = [item for item in sessions(data) if item[1].date() == date(2026, 12, 12)]
    assert [(start.time(), end.time()) for _, start, end in first_saturday] == [
        (time(9, 0), time(11, 45)), (time(12, 15), time(15, 0)), (time(15, 30), time(18, 0))]
    assert sum((end - start for _, start, end in first_saturday), timedelta()) == \
        timedelta(hours=8)
    title = topic_on(plan, date(2026, 12, 12))[1].title
    assert [summary for summary, _, _ in first_saturday] == [
        f"Study: {title} (1/3)", f"Study: {title} (2/3)", f"Study: {title} (3/3)"]
    # the check-in starts when Saturday's last block ends, every week
    assert {(start.weekday(), start.time()) for _, start, _ in checkins(data)} == {(5, time(18))}
    assert checkins(data)[0][1] == datetime(2026, 12, 12, 18, 0, tzinfo=timezone.utc)


def test_at_per_weekday_is_honoured():
    plan, data = build(days=(2, 5), hours=6, months=10, at="sat=09:00,wed=19:00",
                       tz="Europe/Berlin", curriculum=WITHOUT_LOOP)
    berlin = ZoneInfo("Europe/Berlin")
    local = {(start.astimezone(berlin).weekday(), start.astimezone(berlin).time(),
              end.astimezone(berlin).time()) for _, start, end in sessions(data)}
    assert local == {(2, time(19), time(22)), (5, time(9), time(12))}
    # Saturday is the week's last study day: the check-in follows its session
    assert {start.astimezone(berlin).time() for _, start, _ in checkins(data)} == {time(12)}


def test_a_time_for_every_day_and_one_for_saturday():
    plan, data = build(days=(0, 5), hours=6, months=10, at="07:00,sat=10:00", tz="UTC",
                       curriculum=WITHOUT_LOOP)
    assert {(start.weekday(), start.time()) for _, start, _ in sessions(data)} == {
        (0, time(7)), (5, time(10))}


def test_sessions_continue_through_the_final_block():
    plan, data = build(days=(0, 2, 5), at="19:00", tz="UTC")  # 8 months: week 34 is the buffer
    assert plan.buffer.first_week == plan.buffer.last_week == 34
    in_buffer = [item for item in sessions(data)
                 if plan.buffer.start <= item[1].date() <= plan.buffer.end]
    # 10 h over Mon, Wed, Sat in 15-minute steps, the rounding carried: 195, 210, 195 minutes;
    # Saturday goes to the full mock loop (the latest of the week's days with the most study
    # time, tied at 10/3 h; 4 days before the target 2027-08-07), which replaces its session
    assert [start.date() for _, start, _ in in_buffer] == [date(2027, 7, 26), date(2027, 7, 28)]
    assert all(summary.startswith("Study: ") for summary, _, _ in in_buffer)
    assert sum((end - start for _, start, end in in_buffer), timedelta()) == timedelta(
        minutes=195 + 210)
    loops = [item for item in timed(data) if item[0].startswith("Mock loop: ")]
    assert loops == [("Mock loop: Coding ×2, System design, Production engineering, Behavioral",
                      datetime(2027, 7, 31, 19, tzinfo=timezone.utc),
                      datetime(2027, 7, 31, 23, 45, tzinfo=timezone.utc))]


def test_a_two_hour_block_from_01_30_is_two_hours_on_both_berlin_change_days():
    plan, data = build(start=date(2027, 3, 1), hours=2, months=8, days=(6,), at="01:30",
                       tz="Europe/Berlin", curriculum=SMALL)
    berlin = ZoneInfo("Europe/Berlin")
    by_day = {start.astimezone(berlin).date(): (start, end) for _, start, end in sessions(data)}
    # 2027-03-28: 01:30 CET (00:30 UTC) + 2 h = 02:30 UTC = 04:30 CEST (02:00–03:00 never was)
    start, end = by_day[date(2027, 3, 28)]
    assert (start, end) == (datetime(2027, 3, 28, 0, 30, tzinfo=timezone.utc),
                            datetime(2027, 3, 28, 2, 30, tzinfo=timezone.utc))
    assert end.astimezone(berlin).time() == time(4, 30)
    # 2027-10-31: 01:30 CEST (23:30 UTC) + 2 h = 01:30 UTC = the second 02:30, in CET
    start, end = by_day[date(2027, 10, 31)]
    assert end - start == timedelta(hours=2)
    assert end == datetime(2027, 10, 31, 1, 30, tzinfo=timezone.utc)
    assert (end.astimezone(berlin).time(), end.astimezone(berlin).utcoffset()) == (
        time(2, 30), timedelta(hours=1))
    # an ordinary Sunday: 01:30–03:30 on the wall
    start, end = by_day[date(2027, 5, 2)]
    assert (start.astimezone(berlin).time(), end.astimezone(berlin).time()) == (
        time(1, 30), time(3, 30))
    # blocks the clocks change in are written in UTC: no reader takes the first 02:30 or adds
    # the 2 h on the wall clock
    assert b"DTSTART:20271030T233000Z\r\nDTEND:20271031T013000Z" in data
    assert b"DTSTART;TZID=Europe/Berlin:20270502T013000" in data


# ---------------------------------------------------------------- refusals, through the CLI

def test_thirty_hours_on_one_day_is_refused_with_the_days_that_would_do(run):
    result = run("generate", "--start", "2026-12-07", "--days", "sat", "--hours", "30",
                 "--at", "20:00", "--tz", "UTC")
    assert result.exit_code == 2
    assert result.stderr == ("prepplan: 30 h/week on 1 study day (--days sat) is 30 h a day, "
                             "more than the 12 h a study day holds: study on at least 3 days "
                             "a week\n")
    assert not list(Path.cwd().glob("*.ics"))


def test_twelve_hours_a_day_is_allowed(run):
    result = run("generate", "--start", "2026-12-07", "--days", "sat", "--hours", "12",
                 "--at", "09:00", "--tz", "UTC")
    assert result.exit_code == 0, result.output


def test_blocks_past_midnight_are_refused_naming_the_latest_at_that_fits(run):
    # 8 h a day: 2:45 + 0:30 + 2:45 + 0:30 + 2:30 = 9 h, so 15:00 is the latest start
    result = run("generate", "--start", "2026-12-07", "--days", "sat,sun", "--hours", "16",
                 "--at", "20:00", "--tz", "UTC")
    assert result.exit_code == 2
    assert result.stderr == ("prepplan: --at 20:00: the 8 h of study on Sat 2026-12-12 "
                             "(3 blocks with 30-minute breaks) would run past midnight; the "
                             "latest --at that fits is 15:00\n")
    assert run("generate", "--start", "2026-12-07", "--days", "sat,sun", "--hours", "16",
               "--at", "15:00", "--tz", "UTC").exit_code == 0


def test_a_weekday_time_past_midnight_is_named_as_given(run):
    # Monday: 20 h over mon,wed,sat = 6:45 on Mondays (cumulative quarter hours: 6:45, 6:30,
    # 6:45); three blocks of 2:15 and two breaks = 7:45, so 16:15 at the latest
    result = run("generate", "--start", "2026-12-07", "--days", "mon,wed,sat", "--hours", "20",
                 "--at", "mon=19:00,sat=09:00", "--tz", "UTC")
    assert result.exit_code == 2
    assert result.stderr == ("prepplan: --at mon=19:00: the 6.75 h of study on Mon 2026-12-07 "
                             "(3 blocks with 30-minute breaks) would run past midnight; the "
                             "latest --at that fits is 16:15\n")


def test_at_naming_a_day_without_study_is_refused(run):
    result = run("generate", "--start", "2026-12-07", "--days", "mon,wed,sat",
                 "--at", "mon=19:00,sun=09:00", "--tz", "UTC")
    assert result.exit_code == 2
    assert result.stderr == "prepplan: --at names sun, not a study day (--days mon,wed,sat)\n"


@pytest.mark.parametrize("text, message", [
    ("mon=7pm", "invalid time '7pm' for --at: use HH:MM between 00:00 and 23:59"),
    ("moon=19:00", "unknown weekday 'moon' in --at: use HH:MM or weekday=HH:MM pairs, e.g. "
                   "mon=19:00,sat=09:00"),
    ("mon=19:00,monday=08:00", "--at 'mon=19:00,monday=08:00' names monday twice"),
    ("19:00,08:00", "--at '19:00,08:00' gives two times for every day: name the weekday of "
                    "each, e.g. mon=19:00,sat=09:00"),
])
def test_bad_at_is_a_usage_error(run, text, message):
    result = run("generate", "--start", "2026-12-07", "--days", "mon,sat", "--at", text,
                 "--tz", "UTC")
    assert result.exit_code == 2
    assert result.stderr == f"prepplan: {message}\n"


@pytest.mark.parametrize("zone, at, message", [
    # 2027-03-28, a Sunday: Berlin's clocks jump from 02:00 to 03:00
    ("Europe/Berlin", "02:30", "--at 02:30 does not exist on 2027-03-28 in Europe/Berlin "
                               "(clocks go forward from 02:00 to 03:00)"),
    # 2027-04-04: Lord Howe's clocks go back half an hour, 01:30–02:00 happens twice
    ("Australia/Lord_Howe", "01:45", "--at 01:45 occurs twice on 2027-04-04 in "
                                     "Australia/Lord_Howe (clocks go back from 02:00 to 01:30)"),
])
def test_an_at_inside_a_clock_change_is_refused_with_the_date(run, zone, at, message):
    result = run("generate", "--start", "2026-12-07", "--days", "mon,wed,sat", "--at", at,
                 "--tz", zone)
    assert result.exit_code == 2
    assert result.stderr == f"prepplan: {message}: choose another --at\n"
    assert not list(Path.cwd().glob("*.ics"))


def test_a_refused_at_writes_nothing(run, prepplan_home):
    result = run("generate", "--start", "2027-06-07", "--tz", "Australia/Lord_Howe",
                 "--at", "02:15")
    assert result.stderr == ("prepplan: --at 02:15 does not exist on 2027-10-03 in "
                             "Australia/Lord_Howe (clocks go forward from 02:00 to 02:30): "
                             "choose another --at\n")
    assert not list(Path.cwd().glob("*.ics"))


def test_the_checkin_after_sessions_in_a_clock_change_is_refused():
    # Sunday sessions of 2 h from 00:15 end at 02:15; Sunday 2027-03-14 is a day off, so its
    # check-in (excluded, but an EXDATE must name an instant) would be at 02:15, which New
    # York skips that night
    plan, _ = build(start=date(2027, 1, 4), hours=2, months=6, days=(6,), at="00:15",
                    tz="UTC", curriculum=SMALL, skip=((date(2027, 3, 14), date(2027, 3, 14)),))
    with pytest.raises(UsageError) as refused:
        check_times(plan, "America/New_York")
    assert refused.value.message == (
        "the weekly check-in at 02:15 (when the day's last session ends) does not exist on "
        "2027-03-14 in America/New_York (clocks go forward from 02:00 to 03:00): choose "
        "another --at")


# ---------------------------------------------------------------- over many plans

# 5 h/week is infeasible for the bundled roadmap at any length of its window (240 h / 5 = 48
# weeks, more than 10 months hold)
PLANS = [(hours, days) for hours in (7.5, 8, 10, 12, 15, 20, 25, 40)
         for days in ((5,), (1, 3), (0, 2, 5), (0, 1, 2, 3, 4), tuple(range(7)))
         if hours / len(days) <= 12]


@pytest.mark.parametrize("hours, days", PLANS)
def test_no_checkin_overlaps_a_session_and_no_block_crosses_midnight(hours, days):
    months = 10 if hours < 10 else 8
    plan, data = build(hours=hours, months=months, days=days, at="08:00",
                       tz="America/New_York", skip=((date(2027, 3, 10), date(2027, 3, 16)),))
    check_times(plan, "America/New_York")
    new_york = ZoneInfo("America/New_York")
    found = sessions(data)
    for _, start, end in found:
        assert end - start <= timedelta(hours=4)
        assert end.astimezone(new_york).date() == start.astimezone(new_york).date()
    by_day = {}
    for _, start, end in found:
        by_day.setdefault(start.astimezone(new_york).date(), []).append((start, end))
    for day, blocks in by_day.items():
        if len(blocks) > 1:  # split days: every block at most 3 h, 30 minutes apart
            assert all(end - start <= timedelta(hours=3) for start, end in blocks)
            assert all(later[0] - earlier[1] == timedelta(minutes=30)
                       for earlier, later in zip(blocks, blocks[1:]))
    expected = [day for day in checkin_days(plan) if day not in plan.schedule.days_off]
    held = checkins(data)
    assert [start.astimezone(new_york).date() for _, start, _ in held] == expected
    mocks = [item for item in timed(data) if item[0].startswith("Mock ")]
    for _, start, end in held:
        for _, session_start, session_end in found + mocks:
            assert end <= session_start or start >= session_end
    for _, start, end in mocks:
        assert end.astimezone(new_york).date() == start.astimezone(new_york).date()
    # the study blocks hold each day's time less its mock (a full loop replaces them); a
    # single-round mock comes out of the day's time, which stays what the week's split gave
    week_minutes = {}
    for session in study_sessions(plan):
        week = plan.schedule.week_of(session.day)
        week_minutes[week] = week_minutes.get(week, 0) + session.study_minutes
        if session.mock is not None and session.mock.kind == "single":
            assert session.study_minutes + session.mock.minutes == session.minutes
    assert sum(week_minutes.values()) * 60 == sum(
        (end - start).total_seconds() for _, start, end in found)


def test_replan_keeps_the_weekday_times_of_days_still_studied(run):
    assert run("generate", "--start", "2026-03-02", "--days", "mon,sat", "--hours", "8",
               "--months", "10", "--at", "mon=07:00,sat=10:00", "--tz", "UTC").exit_code == 0
    result = run("replan", "--as-of", "2026-03-15", "--days", "mon,wed")
    assert result.exit_code == 0, result.output
    data = Path("prepplan.ics").read_bytes()
    first = {}  # each day's first timed item: its session, or the mock before it
    for summary, start, _ in timed(data):
        if summary.startswith(("Study: ", "Mock ")) and start.date() > date(2026, 3, 15):
            first[start.date()] = min(first.get(start.date(), start), start)
    after = {(start.weekday(), start.time()) for start in first.values()}
    # Monday keeps 07:00; Wednesday, not named, starts at the default 18:00
    assert after == {(0, time(7)), (2, time(18))}
    refused = run("replan", "--as-of", "2026-03-15", "--at", "sat=09:00")
    assert refused.exit_code == 2
    assert refused.stderr == "prepplan: --at names sat, not a study day (--days mon,wed)\n"
