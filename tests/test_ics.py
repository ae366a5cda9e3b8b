"""The calendar file: parsed back by icalendar, the strict `ical` package, vobject and
recurring-ical-events; checked against the client traps SPEC.md and the issues list."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events
import vobject
from ical.calendar_stream import IcsCalendarStream

from prepplan.curriculum import parse_curriculum
from prepplan.ics import calendar_name

from support.icsutil import STAMP, build, lint
from support.plans import WITHOUT_LOOP

CHRISTMAS = ((date(2026, 12, 24), date(2027, 1, 1)),)


def events(data: bytes):
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def by_uid(data: bytes):
    return {str(event["UID"]): event for event in events(data)}


def sessions_of(data: bytes):
    return [e for e in events(data) if str(e["SUMMARY"]).startswith("Study: ")]


def first_blocks(data: bytes):
    """Each study day's first session (a later block's UID ends its date with -2, -3, ...)."""
    return [e for e in sessions_of(data) if len(str(e["UID"]).split(".")[0]) == 18]


@pytest.mark.parametrize("options", [
    {},
    {"days": (0, 2, 5), "at": "19:00", "tz": "America/New_York", "skip": CHRISTMAS},
    {"days": (1, 3), "at": "06:30", "tz": "Asia/Kolkata", "hours": 12, "months": 10},
    {"days": (5, 6), "at": "09:00", "tz": "Europe/Berlin", "start": date(2027, 3, 1)},
])
def test_every_parser_accepts_the_file(options):
    plan, data = build(**options)
    assert lint(data) == []
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//prepplan//prepplan//EN"
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert "METHOD" not in calendar  # an iTIP method needs an ORGANIZER (libical checks)
    assert calendar["X-WR-CALNAME"] == "Meta Production Engineer Roadmap"
    parsed = events(data)
    for event in parsed:
        assert {"UID", "DTSTAMP", "SEQUENCE", "DTSTART", "SUMMARY"} <= set(event.keys())
        assert event["DTSTAMP"].dt == STAMP
    strict = IcsCalendarStream.calendar_from_ics(data.decode())
    assert sorted(e.uid for e in strict.events) == sorted(str(e["UID"]) for e in parsed)
    assert len(vobject.readOne(data.decode()).vevent_list) == len(parsed)


def test_all_day_structure():
    plan, data = build()
    uids = by_uid(data)
    for phase in plan.phases:
        event = uids[f"phase-{phase.id}.testplan@prepplan"]
        assert event["DTSTART"].params.get("VALUE") == "DATE"
        assert type(event["DTSTART"].dt) is date
        assert event["DTSTART"].dt == phase.start
        assert event["DTEND"].dt == phase.end + timedelta(days=1)  # exclusive
        assert event["TRANSP"] == "TRANSPARENT"
        description = str(event["DESCRIPTION"])
        assert phase.tagline in description
        assert all(topic.title in description for topic in phase.topics)
        assert "Key tools: " + ", ".join(phase.tools) in description
    buffer = uids["buffer.testplan@prepplan"]
    assert (buffer["DTSTART"].dt, buffer["DTEND"].dt) == (date(2027, 7, 26), date(2027, 8, 2))
    target = uids["target.testplan@prepplan"]
    assert (target["DTSTART"].dt, target["DTEND"].dt) == (date(2027, 8, 7), date(2027, 8, 8))
    assert str(target["SUMMARY"]) == "Target: Meta Production Engineer Roadmap"
    topic = uids["topic-2.3.testplan@prepplan"]
    assert str(topic["SUMMARY"]) == "2.3 Memory — virtual memory, page faults, OOM killer, cgroups"
    assert (topic["DTSTART"].dt, topic["DTEND"].dt) == (date(2027, 2, 15), date(2027, 2, 22))


@pytest.mark.parametrize("options", [{}, {"days": (0, 2, 5), "skip": CHRISTMAS, "at": "19:00"},
                                     {"days": (6,), "hours": 12, "at": "09:00"}])
def test_never_more_than_two_all_day_bars_and_every_study_day_shows_a_topic(options):
    plan, data = build(**options)
    bars = Counter()
    topic_days = set()
    for event in events(data):
        start = event["DTSTART"].dt
        if isinstance(start, datetime):
            continue
        if str(event["UID"]).startswith("mock"):  # a mock without --days: its own all-day item
            continue
        day = start
        while day < event["DTEND"].dt:
            bars[day] += 1
            if str(event["UID"]).startswith("topic-"):
                topic_days.add(day)
            day += timedelta(days=1)
    assert max(bars.values()) <= 2
    for day in plan.schedule.study_days(plan.start, plan.work_end):
        assert day in topic_days


def test_checkin_recurs_weekly_with_a_reminder():
    plan, data = build(days=(0, 2, 5), at="19:00", tz="America/New_York", skip=CHRISTMAS)
    checkin = by_uid(data)["checkin.testplan@prepplan"]
    start = checkin["DTSTART"].dt
    assert start.tzinfo.key == "America/New_York"
    # the first Saturday, when its session ends: 19:00 + 3:15 (Saturday's share of 10 h over
    # three days, rounded to 15 minutes with the rounding carried: 3:15, 3:30, 3:15)
    assert (start.date(), start.time()) == (date(2026, 12, 12), time(22, 15))
    rule = checkin["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    until = rule["UNTIL"][0]
    assert until.tzinfo is not None and until.utcoffset() == timedelta(0)  # UTC
    # the end of Saturday 2027-07-31 (week 34) in New York: 23:59:59 EDT
    assert until == datetime(2027, 8, 1, 3, 59, 59, tzinfo=timezone.utc)
    assert "prepplan checkin" in str(checkin["DESCRIPTION"])
    alarms = checkin.walk("VALARM")
    assert len(alarms) == 1
    assert alarms[0]["ACTION"] == "DISPLAY"
    assert alarms[0]["TRIGGER"].dt == timedelta(minutes=-10)
    assert "check-in" in str(alarms[0]["DESCRIPTION"])
    occurrences = [e for e in recurring_ical_events.of(icalendar.Calendar.from_ical(data))
                   .between(date(2026, 12, 1), date(2027, 9, 1))
                   if str(e["SUMMARY"]) == "prepplan weekly check-in"]
    # 34 weeks, less Saturday 2026-12-26 (a day off)
    assert len(occurrences) == 33
    assert all((o["DTSTART"].dt.hour, o["DTSTART"].dt.minute) == (22, 15)
               and o["DTSTART"].dt.weekday() == 5 for o in occurrences)


def test_checkin_without_study_days_is_the_last_day_of_each_week_at_18():
    plan, data = build(tz="Europe/Berlin")
    start = by_uid(data)["checkin.testplan@prepplan"]["DTSTART"].dt
    assert (start.date(), start.time()) == (date(2026, 12, 13), time(18, 0))  # a Sunday
    assert sessions_of(data) == []  # no --days: no timed sessions


def test_sessions_new_york_across_dst_and_days_off():
    plan, data = build(days=(0, 2, 5), at="19:00", tz="America/New_York", skip=CHRISTMAS,
                       curriculum=WITHOUT_LOOP)
    sessions = sessions_of(data)
    skipped = {CHRISTMAS[0][0] + timedelta(days=i) for i in range(9)}
    minutes_by_week = defaultdict(int)
    for event in sessions:
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert start.tzinfo.key == "America/New_York" and (start.hour, start.minute) == (19, 0)
        assert start.weekday() in (0, 2, 5)
        assert start.date() not in skipped
        minutes = (end - start) / timedelta(minutes=1)
        assert minutes % 15 == 0
        minutes_by_week[plan.schedule.week_of(start.date())] += minutes
        assert str(event["SUMMARY"]).startswith("Study: ")
        assert "Key tools: " in str(event["DESCRIPTION"])
    # 19:00 local is 00:00 UTC in winter (EST) and 23:00 UTC in summer (EDT)
    utc_hours = {event["DTSTART"].dt.astimezone(timezone.utc).hour for event in sessions}
    assert utc_hours == {0, 23}
    # every week of topic work without days off sums to exactly 10 h
    skip_weeks = {plan.schedule.week_of(day) for day in skipped}
    for week in range(1, plan.phases[-1].last_week + 1):
        if week not in skip_weeks:
            assert minutes_by_week[week] == 600, week
    # week 3 loses Saturday 12-26; week 4 keeps only Saturday 2027-01-02
    assert minutes_by_week[3] == 405 and minutes_by_week[4] == 195
    expanded = recurring_ical_events.of(icalendar.Calendar.from_ical(data)).between(
        date(2026, 12, 1), date(2027, 9, 1))
    # 34 weeks x 3 study days, less Sat 12-26, Mon 12-28 and Wed 12-30 (days off) = 99
    assert sum(1 for e in expanded if str(e["SUMMARY"]).startswith("Study: ")) == 99
    assert len(sessions) == len(plan.schedule.study_days(plan.start, plan.work_end)) == 99


def test_session_titles_follow_the_topic_in_progress():
    plan, data = build(days=(0, 2, 5), at="19:00", curriculum=WITHOUT_LOOP)
    reviews = []
    for event in sessions_of(data):
        day = event["DTSTART"].dt.date()
        if day > plan.work_end:  # the final block's sessions: the reviews due, if any
            summary = str(event["SUMMARY"])
            reviews.append(summary)
            assert summary == "Study: Mock interviews & review" or (
                summary.startswith("Study: Review ")
                and set(summary[len("Study: Review "):].split(" + ")[0].split(", "))
                <= {topic.id for topic in plan.topics})
            continue
        topic = next(t for t in plan.topics if t.start <= day <= t.end)
        assert str(event["SUMMARY"]) == f"Study: {topic.title}"
    assert any(summary.startswith("Study: Review ") for summary in reviews)


@pytest.mark.parametrize("start, months, changes", [
    (date(2027, 3, 1), 8, (date(2027, 3, 28), date(2027, 10, 31))),  # both Berlin changes
])
def test_berlin_sessions_keep_local_time_across_both_changes(start, months, changes):
    plan, data = build(start=start, months=months, days=(5, 6), at="09:00", tz="Europe/Berlin",
                       curriculum=WITHOUT_LOOP)
    offsets = set()
    for event in first_blocks(data):  # 5 h days: the second block starts at 12:00
        local = event["DTSTART"].dt
        assert (local.hour, local.minute) == (9, 0)
        offsets.add(local.utcoffset())
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}
    timezone_block = icalendar.Calendar.from_ical(data).walk("VTIMEZONE")[0]
    assert timezone_block["TZID"] == "Europe/Berlin"
    transitions = {sub["DTSTART"].dt.date() for sub in timezone_block.subcomponents}
    assert set(changes) <= transitions


def test_half_hour_zone():
    plan, data = build(days=(1, 3), at="06:30", tz="Asia/Kolkata", hours=12, months=10,
                       curriculum=WITHOUT_LOOP)
    for event in first_blocks(data):  # 6 h days: 06:30–09:30 and 10:00–13:00
        start = event["DTSTART"].dt
        assert (start.hour, start.minute) == (6, 30)
        assert start.utcoffset() == timedelta(hours=5, minutes=30)
        assert start.astimezone(timezone.utc).time() == time(1, 0)


def test_a_skip_range_covering_a_whole_phase_week():
    # week 2 (2026-12-14 .. 2026-12-20) off entirely: no sessions, no topic bar, one event
    skip = ((date(2026, 12, 14), date(2026, 12, 20)),)
    plan, data = build(days=(0, 2, 5), at="19:00", tz="America/New_York", skip=skip)
    assert plan.schedule.week_hours(2) == 0
    assert not [e for e in sessions_of(data)
                if date(2026, 12, 14) <= e["DTSTART"].dt.date() <= date(2026, 12, 20)]
    off = by_uid(data)["off-2026-12-14.testplan@prepplan"]
    assert (off["DTSTART"].dt, off["DTEND"].dt) == (date(2026, 12, 14), date(2026, 12, 21))
    for event in events(data):
        if str(event["UID"]).startswith("topic-"):
            assert not (event["DTSTART"].dt <= date(2026, 12, 16) < event["DTEND"].dt)
    checkin = by_uid(data)["checkin.testplan@prepplan"]
    assert [d.dt.date() for d in checkin["EXDATE"].dts] == [date(2026, 12, 19)]


def test_uids_stable_and_sequence_rises_across_versions():
    first_plan, first = build(plan_id="p1", curriculum=WITHOUT_LOOP)
    _, again = build(plan_id="p1", curriculum=WITHOUT_LOOP)
    assert set(by_uid(first)) == set(by_uid(again))
    assert first == again  # same inputs and stamp: byte-identical
    _, second = build(plan_id="p1", hours=12, sequence=1, previous=first_plan,
                      curriculum=WITHOUT_LOOP)
    old, new = by_uid(first), by_uid(second)
    assert set(old) <= set(new)
    assert {int(e["SEQUENCE"]) for e in old.values()} == {0}
    assert {int(e["SEQUENCE"]) for e in new.values()} == {1}
    assert all(e.get("STATUS") is None for e in new.values())


def test_removed_items_are_cancelled():
    with_sessions, first = build(plan_id="p1", days=(0, 2, 5), at="19:00",
                                 curriculum=WITHOUT_LOOP)
    _, second = build(plan_id="p1", sequence=1, previous=with_sessions,
                      curriculum=WITHOUT_LOOP)
    cancelled = [e for e in events(second) if e.get("STATUS") == "CANCELLED"]
    sessions = sessions_of(first)
    assert len(cancelled) == len(sessions) > 0
    assert {str(e["UID"]) for e in cancelled} == {str(e["UID"]) for e in sessions}
    assert {int(e["SEQUENCE"]) for e in cancelled} == {1}
    assert lint(second) == []


def test_text_survives_a_round_trip():
    curriculum = parse_curriculum("""
title = "Ops, SRE; and — more\\nlines"
min_months = 1
max_months = 2
[[phases]]
id = "p"
title = "Kernels, caches; → TLS"
tagline = "Comma, semicolon; newline\\nand ünïcode"
min_weeks = 2
max_weeks = 3
tools = ["gdb, perf", "a;b"]
topics = ["DNS → TCP → TLS, then; more", "Zürich — Ünïcode"]
""", "t.toml")
    plan, data = build(curriculum=curriculum, months=1)
    assert lint(data) == []
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar["X-WR-CALNAME"] == "Ops - SRE - and — more - lines"
    summaries = {str(e["SUMMARY"]) for e in events(data)}
    assert {"Phase 1: Kernels, caches; → TLS", "1.1 DNS → TCP → TLS, then; more",
            "1.2 Zürich — Ünïcode"} <= summaries
    phase = by_uid(data)["phase-p.testplan@prepplan"]
    assert str(phase["DESCRIPTION"]).startswith("Comma, semicolon; newline\nand ünïcode\n")
    strict = IcsCalendarStream.calendar_from_ics(data.decode())
    assert "1.2 Zürich — Ünïcode" in {e.summary for e in strict.events}


@pytest.mark.parametrize("name, expected", [
    ("Meta PE, 2027; v2", "Meta PE - 2027 - v2"),
    ("line\r\nbreak", "line - break"),
    (",;", "prepplan"),
])
def test_calendar_name_is_safe_verbatim(name, expected):
    assert calendar_name(name) == expected


# ---------------------------------------------------------------- UIDs over versions

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from prepplan.errors import PrepplanError  # noqa: E402
from prepplan.ics import calendar_bytes  # noqa: E402
from prepplan.replan import replan  # noqa: E402

from support.plans import BUNDLED, make_plan  # noqa: E402

PLAN_START = date(2026, 3, 2)


def skip_ranges(draw, first_day: date, span_days: int, count: int):
    """Day-off ranges that overlap, touch and share first days with each other."""
    ranges = []
    for _ in range(count):
        first = first_day + timedelta(days=draw(st.integers(0, span_days)))
        ranges.append((first, first + timedelta(days=draw(st.integers(0, 9)))))
    return tuple(ranges)


def uids(data: bytes) -> list[str]:
    return [str(event["UID"]) for event in events(data)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_calendar_of_generate_and_replan_has_unique_uids(data):
    hours = data.draw(st.sampled_from([8, 10, 12, 15]))
    days = data.draw(st.sampled_from([(), (0, 2, 5), (1, 3, 5), (5, 6)]))
    skips = skip_ranges(data.draw, PLAN_START, 200, data.draw(st.integers(0, 3)))
    try:
        first = make_plan(PLAN_START, hours, data.draw(st.integers(7, 10)), days=days,
                          skip=skips, at="08:00")
    except PrepplanError:
        return  # infeasible or refused inputs make no calendar
    generated = calendar_bytes(first, plan_id="p", sequence=0, stamp=STAMP, tz_name="UTC")
    assert lint(generated) == []
    as_of = PLAN_START + timedelta(days=data.draw(st.integers(0, 150)))
    done_count = data.draw(st.integers(0, 12))
    marks = {topic.id: min(as_of, topic.end) for topic in first.topics[:done_count]}
    logged = sum(first.topics[index].hours for index in range(done_count))
    # more days off, some starting on the same days as the old ones
    more = skip_ranges(data.draw, as_of, 60, data.draw(st.integers(1, 3)))
    more += tuple((old_first, old_last + timedelta(days=3)) for old_first, old_last in skips)
    try:
        second = replan(BUNDLED, first, marks, logged, as_of, hours_per_week=hours,
                        target=first.target, study_weekdays=days,
                        skip_ranges=first.skip_ranges + more, session_time=None)
    except PrepplanError:
        return
    replanned = calendar_bytes(second, plan_id="p", sequence=1, stamp=STAMP, tz_name="UTC",
                               previous=first)
    assert lint(replanned) == []
    found = uids(replanned)
    assert len(found) == len(set(found))
    # every item of the first version is still there, live or cancelled
    assert set(uids(generated)) <= set(found)


def test_overlapping_days_off_across_a_replan_are_one_event(run):
    assert run("generate", "--start", "2026-03-02", "--skip", "2026-07-16",
               "--skip", "2026-07-16..2026-07-18", "--tz", "UTC").exit_code == 0
    assert run("replan", "--as-of", "2026-05-01", "--skip", "2026-07-16..2026-07-20",
               "--skip", "2026-07-21").exit_code == 0
    assert run("export", "--format", "ics", "--out", "again.ics").exit_code == 0
    data = Path("again.ics").read_bytes()
    assert lint(data) == []
    off = [e for e in events(data) if str(e["UID"]).startswith("off-")]
    assert [(str(e["UID"]).split(".")[0], e["DTSTART"].dt, e["DTEND"].dt) for e in off] == [
        ("off-2026-07-16", date(2026, 7, 16), date(2026, 7, 22))]


def test_a_replan_keeps_the_past_of_the_calendar_as_it_was():
    """8 h on mon/wed/sat at 19:00 (Berlin) from 2026-03-02, 1.1-1.5 and 2.1-2.4 done on their
    planned days, 1.6 not; replan on Sun 2026-06-14 at 10 h/week. The 18 sessions of weeks
    10-15 (05-04 ... 06-13) and the bars of 2.1-2.4 stay as they were; 1.6's April bar stays,
    and its new days (Mon 06-15 to Fri 06-26, then 2.5 from Sat 06-27) are a bar of their own;
    2.6's bar, begun Sat 06-13, keeps 06-13 and 06-14."""
    first = make_plan(PLAN_START, 8, 9, days=(0, 2, 5), at="19:00")
    done = ["1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "2.3", "2.4"]
    marks = {t.id: t.end for t in first.topics if t.id in done}
    logged = sum(t.hours for t in first.topics if t.id in marks)
    as_of = date(2026, 6, 14)
    second = replan(BUNDLED, first, marks, logged, as_of, hours_per_week=10,
                    target=first.target, study_weekdays=(0, 2, 5), skip_ranges=(),
                    session_time=first.session_time)
    zone = "Europe/Berlin"
    before = by_uid(calendar_bytes(first, plan_id="p", sequence=0, stamp=STAMP, tz_name=zone))
    after = by_uid(calendar_bytes(second, plan_id="p", sequence=1, stamp=STAMP, tz_name=zone,
                                  previous=first))

    def content(event):
        return {name: event[name].to_ical() for name in ("SUMMARY", "DTSTART", "DTEND",
                                                         "DESCRIPTION") if name in event}

    def day(event, name="DTSTART"):
        value = event.decoded(name)
        return value.date() if isinstance(value, datetime) else value

    past_sessions = [uid for uid, event in before.items()
                     if str(event["SUMMARY"]).startswith("Study: ")
                     and date(2026, 5, 4) <= day(event) <= date(2026, 6, 13)]
    assert len(past_sessions) == 18
    for uid, event in before.items():
        if "RRULE" not in event and day(event, "DTEND") <= as_of:
            assert content(after[uid]) == content(event) and "STATUS" not in after[uid], uid
    bars = {uid.rsplit(".", 1)[0]: (day(e), day(e, "DTEND"), str(e.get("STATUS", "")))
            for uid, e in after.items() if uid.startswith("topic-")}
    assert bars["topic-2.1"] == (date(2026, 5, 4), date(2026, 5, 11), "")
    assert bars["topic-2.4"] == (date(2026, 5, 27), date(2026, 6, 6), "")
    assert bars["topic-1.6"] == (date(2026, 4, 22), date(2026, 5, 4), "")
    assert bars["topic-1.6-part2"] == (date(2026, 6, 15), date(2026, 6, 27), "")
    assert bars["topic-2.6"] == (date(2026, 6, 13), date(2026, 6, 15), "")
    assert not [uid for uid, e in after.items() if e.get("STATUS") == "CANCELLED"
                and uid.startswith(("topic-", "session-"))
                and day(e, "DTEND") <= as_of]


def all_day_bars_by_day(data: bytes) -> dict[date, list[str]]:
    """The keys of the all-day bars (not cancelled) on each day."""
    bars: dict[date, list[str]] = defaultdict(list)
    for event in events(data):
        start = event.decoded("DTSTART")
        if isinstance(start, datetime) or event.get("STATUS") == "CANCELLED":
            continue
        day = start
        while day < event.decoded("DTEND"):
            bars[day].append(str(event["UID"]).split(".p@")[0])
            day += timedelta(days=1)
    return bars


def test_a_phase_running_late_after_a_replan_goes_on_from_where_its_kept_bar_ends():
    """10 h on mon/wed/sat from 2026-03-02: phase 1 is weeks 1-8 (to Sun 04-26). On Sun 05-03,
    with 1.1 and 1.2 done, a replan at 12 h lays the rest of phase 1 to Sun 05-31. The past
    keeps the first bar (03-02 to 04-26); the second (part2) covers 04-27 to 05-31, so no day
    has two phase bars, nor more than two all-day bars."""
    first = make_plan(PLAN_START, 10, 10, days=(0, 2, 5), at="19:00")
    marks = {"1.1": date(2026, 3, 10), "1.2": date(2026, 4, 20)}
    second = replan(BUNDLED, first, marks, 40.0, date(2026, 5, 3), hours_per_week=12,
                    target=first.target, study_weekdays=(0, 2, 5), skip_ranges=(),
                    session_time=first.session_time)
    data = calendar_bytes(second, plan_id="p", sequence=1, stamp=STAMP,
                          tz_name="Europe/Berlin", previous=first)
    phases = {uid.split(".p@")[0]: (event.decoded("DTSTART"), event.decoded("DTEND"))
              for uid, event in by_uid(data).items() if uid.startswith("phase-systems")}
    assert phases == {"phase-systems-coding": (date(2026, 3, 2), date(2026, 4, 27)),
                      "phase-systems-coding-part2": (date(2026, 4, 27), date(2026, 6, 1))}
    bars = all_day_bars_by_day(data)
    assert max(len(keys) for keys in bars.values()) == 2
    assert [key for key in bars[date(2026, 4, 27)] if key.startswith("phase-")] == [
        "phase-systems-coding-part2"]
