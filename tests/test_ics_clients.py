"""prepplan's calendars as real clients read them: ical.js (Thunderbird), libical (Evolution)
and recurring-ical-events, occurrence by occurrence in UTC, in zones with clock changes across
the plan; libical's restriction checks find nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from prepplan.cadence import check_times, checkin_days

from support.calendar_clients import (icaljs_occurrences, libical_errors, libical_occurrences,
                                      rie_occurrences)
from support.icsutil import build
from support.plans import WITHOUT_LOOP

# Each plan spans both clock changes of its zone (Kolkata has none: a half-hour offset), with
# days over 4 h split into blocks, a block the clocks change in, and days off.
ZONE_PLANS = {
    # 2027-03-14 and 2027-11-07; Sunday blocks from 00:30: 00:30–03:15 crosses both changes
    "America/New_York": dict(start=date(2027, 1, 11), months=10, hours=16, days=(5, 6),
                             at="00:30", skip=((date(2027, 7, 1), date(2027, 7, 7)),)),
    # 2027-03-28 and 2027-10-31; evening sessions and one long Sunday morning
    "Europe/Berlin": dict(start=date(2027, 3, 1), months=8, hours=12, days=(0, 2, 6),
                          at="19:00,sun=00:30", skip=((date(2027, 6, 10), date(2027, 6, 16)),)),
    "Asia/Kolkata": dict(start=date(2026, 12, 7), months=10, hours=12, days=(1, 3),
                         at="06:30"),
    # 2027-04-04 (02:00 -> 01:30) and 2027-10-03 (02:00 -> 02:30): half-hour changes
    "Australia/Lord_Howe": dict(start=date(2027, 1, 4), months=10, hours=10, days=(5, 6),
                                at="01:00"),
}


@pytest.fixture(scope="module", params=sorted(ZONE_PLANS))
def zone_calendar(request):
    zone = request.param
    options = ZONE_PLANS[zone]
    plan, data = build(tz=zone, **options)
    check_times(plan, zone)  # what generate checks before it writes the file
    return zone, plan, data


def test_icaljs_reads_every_instant_as_recurring_ical_events(zone_calendar):
    _, plan, data = zone_calendar
    expected = rie_occurrences(data)
    assert icaljs_occurrences(data) == expected
    assert len(expected) > 100


def test_libical_reads_every_instant_as_recurring_ical_events(zone_calendar):
    _, plan, data = zone_calendar
    assert libical_occurrences(data) == rie_occurrences(data)


def test_libical_restriction_checks_find_no_error(zone_calendar):
    _, _, data = zone_calendar
    assert libical_errors(data) == []


@pytest.mark.parametrize("read", [icaljs_occurrences, libical_occurrences, rie_occurrences])
def test_every_checkin_is_read_the_last_one_included(zone_calendar, read):
    zone, plan, data = zone_calendar
    tz = ZoneInfo(zone)
    held = [o.start_utc.astimezone(tz).date() for o in read(data)
            if o.uid.startswith("checkin.")]
    expected = [day for day in checkin_days(plan) if day not in plan.schedule.days_off]
    assert held == expected
    # the last study week's check-in, which a rule ending at its start exactly would lose
    assert held[-1] == checkin_days(plan)[-1]
    assert plan.schedule.week_of(held[-1]) == plan.weeks


def test_blocks_are_exact_across_the_clock_changes():
    plan, data = build(tz="America/New_York", curriculum=WITHOUT_LOOP,
                       **ZONE_PLANS["America/New_York"])
    new_york = ZoneInfo("America/New_York")
    by_start = {o.start_utc: o for o in icaljs_occurrences(data) if o.uid.startswith("session-")}
    # 8 h on Sunday 2027-03-14: 2:45, 2:45, 2:30 from 00:30 EST (05:30 UTC)
    first = by_start[datetime(2027, 3, 14, 5, 30, tzinfo=timezone.utc)]
    assert first.end_utc - first.start_utc == timedelta(hours=2, minutes=45)
    assert first.end_utc.astimezone(new_york).time() == time(4, 15)  # EDT: 02:00 never was
    # Sunday 2027-11-07: 00:30 EDT (04:30 UTC) + 2:45 = 07:15 UTC = 02:15 EST
    first = by_start[datetime(2027, 11, 7, 4, 30, tzinfo=timezone.utc)]
    assert first.end_utc == datetime(2027, 11, 7, 7, 15, tzinfo=timezone.utc)
    assert first.end_utc.astimezone(new_york).time() == time(2, 15)


def test_a_replanned_calendar_keeps_final_block_sessions_and_reads_alike(run):
    # 8 months from 2026-03-02 at 10 h/week: 33 weeks of phases, weeks 34-35 the final block
    assert run("generate", "--start", "2026-03-02", "--days", "mon,wed,sat", "--at", "19:00",
               "--tz", "Europe/Berlin").exit_code == 0
    assert run("log", "12", "--date", "2026-03-10").exit_code == 0
    assert run("done", "1.1", "--date", "2026-03-10").exit_code == 0
    assert run("replan", "--as-of", "2026-03-15", "--hours", "12",
               "--skip", "2026-07-16..2026-07-20").exit_code == 0
    data = Path("prepplan.ics").read_bytes()
    occurrences = rie_occurrences(data)
    assert icaljs_occurrences(data) == occurrences
    assert libical_occurrences(data) == occurrences
    assert libical_errors(data) == []
    live = [o for o in occurrences if o.uid.startswith("session-") and o.status != "CANCELLED"]
    final_block = [o.start_utc.date() for o in live if o.start_utc.date() >= date(2026, 10, 5)]
    # the final block's weeks still hold sessions (mon, wed, sat) up to the last week's Saturday
    assert final_block and final_block[-1] == date(2026, 10, 31)
    # none cancelled there but the one whose day the replan gave to a full mock loop
    loop_days = {o.start_utc.date() for o in occurrences
                 if o.uid.startswith("mockloop-") and o.status != "CANCELLED"}
    assert [o.start_utc.date() for o in occurrences if o.status == "CANCELLED"
            and o.uid.startswith("session-") and o.start_utc.date() >= date(2026, 10, 5)
            ] == [date(2026, 10, 17)] == sorted(loop_days)


def test_khal_lists_the_sessions_of_each_zone_at_the_same_instants(zone_calendar, tmp_path):
    from test_clients import KHAL_CONFIG, khal

    zone, plan, data = zone_calendar
    folder = tmp_path / "khal"
    (folder / "calendar").mkdir(parents=True)
    (folder / "config").write_text(KHAL_CONFIG.format(folder=folder, zone="UTC"))
    ics = tmp_path / "prepplan.ics"
    ics.write_bytes(data)
    khal(folder, "import", "--batch", "-a", "prep", str(ics))
    listing = khal(folder, "list", "--format", "{start} {end} {title}",
                   plan.start.isoformat(), f"{(plan.target - plan.start).days}d")
    # khal lists an event under every day it touches: one line per event is enough
    listed = sorted({line[:33] for line in listing.splitlines() if " Study: " in line})
    expected = sorted(f"{o.start_utc:%Y-%m-%d %H:%M} {o.end_utc:%Y-%m-%d %H:%M}"
                      for o in rie_occurrences(data) if o.uid.startswith("session-"))
    assert listed == expected
