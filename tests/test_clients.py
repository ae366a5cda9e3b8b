"""Real clients: khal imports the file and shows the sessions at the right local times; a real
Radicale CalDAV server stores every event and gives it back unchanged."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import icalendar
import pytest

from prepplan.ics import event_objects

from support.icsutil import build
from support.plans import WITHOUT_LOOP

CHRISTMAS = ((date(2026, 12, 24), date(2027, 1, 1)),)
KHAL = Path(sys.executable).with_name("khal")

KHAL_CONFIG = """
[calendars]
[[prep]]
path = {folder}/calendar
type = calendar
[sqlite]
path = {folder}/khal.db
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
default_timezone = {zone}
local_timezone = {zone}
[default]
default_calendar = prep
"""


def khal(folder: Path, *args: str) -> str:
    result = subprocess.run([str(KHAL), "-c", str(folder / "config"), *args],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def khal_folder(tmp_path):
    def make(zone: str) -> Path:
        folder = tmp_path / "khal"
        (folder / "calendar").mkdir(parents=True)
        (folder / "config").write_text(KHAL_CONFIG.format(folder=folder, zone=zone))
        return folder

    return make


def test_khal_imports_and_lists_sessions_across_dst(khal_folder, tmp_path):
    plan, data = build(days=(0, 2, 5), at="19:00", tz="America/New_York", skip=CHRISTMAS,
                       curriculum=WITHOUT_LOOP)
    ics = tmp_path / "prepplan.ics"
    ics.write_bytes(data)
    folder = khal_folder("America/New_York")
    khal(folder, "import", "--batch", "-a", "prep", str(ics))
    stored = list((folder / "calendar").glob("*.ics"))
    assert len(stored) == len(list(icalendar.Calendar.from_ical(data).walk("VEVENT")))
    # the week of the 2027-03-14 change: Sat 13th (EST) and Mon 15th (EDT), both at 19:00
    listing = khal(folder, "list", "--format", "{start} {end} {title}", "2027-03-13", "4d")
    lines = listing.splitlines()
    assert "2027-03-13 19:00 2027-03-13 22:15 Study: Signals — SIGTERM vs SIGKILL, signal " \
           "handling" in lines
    # the check-in starts when Saturday's session ends (SPEC: never overlapping one)
    assert "2027-03-13 22:15 2027-03-13 22:45 prepplan weekly check-in" in lines
    assert "2027-03-15 19:00 2027-03-15 22:15 Study: Performance tools — top, vmstat, iostat, " \
           "sar, perf" in lines
    assert "2027-02-08 2027-03-21 Phase 2: Linux Internals" in lines
    # the whole plan: every session at 19:00 local, none on a day off, one per study day
    everything = khal(folder, "list", "--format", "{start-date} {start-time} {title}",
                      "2026-12-07", "245d").splitlines()
    sessions = [line.split(" ", 2) for line in everything if " Study: " in line]
    # 34 weeks x 3 study days, less Sat 12-26, Mon 12-28 and Wed 12-30 (days off) = 99
    assert len(sessions) == len(plan.schedule.study_days(plan.start, plan.work_end)) == 99
    assert {time for _, time, _ in sessions} == {"19:00"}
    assert not [day for day, _, _ in sessions if "2026-12-24" <= day <= "2027-01-01"]
    # days off: nothing timed from 12-24 to 01-01 but the day-off event
    holidays = khal(folder, "list", "--format", "{start} {title}", "2026-12-24", "9d")
    assert not [line for line in holidays.splitlines() if "Study:" in line]
    assert "2026-12-24 No study (day off)" in holidays.splitlines()
    # re-importing a new version overwrites by UID: still one file per event
    _, again = build(days=(0, 2, 5), at="19:00", tz="America/New_York", skip=CHRISTMAS,
                     sequence=1, curriculum=WITHOUT_LOOP)
    ics.write_bytes(again)
    khal(folder, "import", "--batch", "-a", "prep", str(ics))
    assert len(list((folder / "calendar").glob("*.ics"))) == len(stored)


def test_khal_in_another_zone_shows_the_converted_time(khal_folder, tmp_path):
    _, data = build(days=(1, 3), at="06:30", tz="Asia/Kolkata", hours=12, months=10,
                    curriculum=WITHOUT_LOOP)
    ics = tmp_path / "prepplan.ics"
    ics.write_bytes(data)
    folder = khal_folder("UTC")
    khal(folder, "import", "--batch", "-a", "prep", str(ics))
    listing = khal(folder, "list", "--format", "{start-time} {title}", "2026-12-08", "1d")
    # 6 h a day: two blocks of 3 h from 06:30 IST (01:00 UTC), the second after a 30-minute break
    assert [line for line in listing.splitlines() if "Study:" in line] == [
        "01:00 Study: File I/O, process management, signal handling in code (1/2)",
        "04:30 Study: File I/O, process management, signal handling in code (2/2)"]


def test_radicale_stores_every_event_unchanged(radicale):
    import caldav

    plan, data = build(days=(0, 2, 5), at="19:00", tz="America/New_York", skip=CHRISTMAS,
                       curriculum=WITHOUT_LOOP)
    objects = event_objects(icalendar.Calendar.from_ical(data))
    client = caldav.DAVClient(url=radicale.url, username=radicale.user,
                              password=radicale.password)
    calendar = client.principal().make_calendar(name="Interview prep")
    for body in objects.values():
        calendar.add_event(body.decode(), increase_seqno=False)  # prepplan owns SEQUENCE
    stored = {}
    for resource in calendar.events():  # one REPORT for the whole calendar
        back = icalendar.Calendar.from_ical(resource.data)
        (event,) = back.walk("VEVENT")
        stored[str(event["UID"])] = back
    assert len(stored) == len(objects) == 146
    for uid, body in objects.items():
        sent = icalendar.Calendar.from_ical(body)
        back = stored[uid]
        (sent_event,) = sent.walk("VEVENT")
        (back_event,) = back.walk("VEVENT")
        assert back_event.to_ical() == sent_event.to_ical(), uid
        assert [z["TZID"] for z in back.walk("VTIMEZONE")] == [z["TZID"] for z in
                                                               sent.walk("VTIMEZONE")]
