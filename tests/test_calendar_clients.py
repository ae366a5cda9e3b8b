"""The calendar parsers used as test tools (ical.js, libical, recurring-ical-events) read small
hand-made calendars to the instants worked out by hand below, and libical's restriction checks
report what Evolution would."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from support.calendar_clients import (
    CalendarClientFailed,
    CalendarClientMissing,
    Occurrence,
    icaljs_occurrences,
    libical_check_program,
    libical_errors,
    libical_occurrences,
    rie_occurrences,
)

ALL_READERS = [icaljs_occurrences, libical_occurrences, rie_occurrences]

# The EU rule: summer time from the last Sunday of March 01:00 UTC to the last Sunday of
# October 01:00 UTC. In 2027 it starts on 2027-03-28.
BERLIN = """BEGIN:VTIMEZONE
TZID:Europe/Berlin
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""

# A zone no database knows: +05:30, and +06:30 from the first Sunday of April (02:00 local)
# to the first Sunday of October. Only a reader that uses the file's VTIMEZONE gets it right.
INVENTED_ZONE = """BEGIN:VTIMEZONE
TZID:Example/Invented
BEGIN:DAYLIGHT
TZOFFSETFROM:+0530
TZOFFSETTO:+0630
DTSTART:19700405T020000
RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0630
TZOFFSETTO:+0530
DTSTART:19701004T020000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU
END:STANDARD
END:VTIMEZONE
"""


def calendar(*parts: str, method: str | None = None) -> bytes:
    """A VCALENDAR around the given components, with CRLF line ends."""
    header = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//prepplan tests//EN\n"
    if method:
        header += f"METHOD:{method}\n"
    text = header + "".join(parts) + "END:VCALENDAR\n"
    return text.replace("\n", "\r\n").encode()


def event(uid: str, *lines: str) -> str:
    body = "".join(f"{line}\n" for line in lines)
    return f"BEGIN:VEVENT\nUID:{uid}\nDTSTAMP:20261122T120000Z\n{body}SUMMARY:{uid}\nEND:VEVENT\n"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def occurrence(uid: str, start: str, end: str, status: str = "") -> Occurrence:
    return Occurrence(uid, utc(start), utc(end), status)


# Mondays at 19:00 Berlin, 30 minutes, from 2027-03-15; UNTIL is the last start exactly
# (2027-04-05 19:00 CEST = 17:00 UTC), which RFC 5545 counts as an occurrence.
WEEKLY_ACROSS_DST = calendar(BERLIN, event(
    "weekly@example.com",
    "DTSTART;TZID=Europe/Berlin:20270315T190000",
    "DTEND;TZID=Europe/Berlin:20270315T193000",
    "RRULE:FREQ=WEEKLY;UNTIL=20270405T170000Z"))


@pytest.mark.parametrize("read", ALL_READERS)
def test_weekly_berlin_event_moves_one_hour_earlier_in_utc_after_2027_03_28(read):
    assert read(WEEKLY_ACROSS_DST) == [
        occurrence("weekly@example.com", "2027-03-15T18:00", "2027-03-15T18:30"),  # CET
        occurrence("weekly@example.com", "2027-03-22T18:00", "2027-03-22T18:30"),
        occurrence("weekly@example.com", "2027-03-29T17:00", "2027-03-29T17:30"),  # CEST
        occurrence("weekly@example.com", "2027-04-05T17:00", "2027-04-05T17:30"),  # = UNTIL
    ]


@pytest.mark.parametrize("read", ALL_READERS)
def test_exdate_removes_and_recurrence_id_moves_an_occurrence(read):
    data = calendar(BERLIN, event(
        "weekly@example.com",
        "DTSTART;TZID=Europe/Berlin:20270315T190000",
        "DTEND;TZID=Europe/Berlin:20270315T193000",
        "RRULE:FREQ=WEEKLY;COUNT=4",
        "EXDATE;TZID=Europe/Berlin:20270322T190000",
    ), event(
        "weekly@example.com",
        "RECURRENCE-ID;TZID=Europe/Berlin:20270329T190000",
        "DTSTART;TZID=Europe/Berlin:20270329T200000",
        "DTEND;TZID=Europe/Berlin:20270329T203000",
        "STATUS:TENTATIVE",
    ))
    assert read(data) == [
        occurrence("weekly@example.com", "2027-03-15T18:00", "2027-03-15T18:30"),
        occurrence("weekly@example.com", "2027-03-29T18:00", "2027-03-29T18:30", "TENTATIVE"),
        occurrence("weekly@example.com", "2027-04-05T17:00", "2027-04-05T17:30"),
    ]


@pytest.mark.parametrize("read", ALL_READERS)
def test_tzid_is_read_with_the_files_own_vtimezone(read):
    # Daily at 09:00 from Friday 2027-04-02; the invented zone goes to +06:30 on Sunday 04-04.
    data = calendar(INVENTED_ZONE, event(
        "daily@example.com",
        "DTSTART;TZID=Example/Invented:20270402T090000",
        "DTEND;TZID=Example/Invented:20270402T100000",
        "RRULE:FREQ=DAILY;COUNT=4"))
    assert read(data) == [
        occurrence("daily@example.com", "2027-04-02T03:30", "2027-04-02T04:30"),
        occurrence("daily@example.com", "2027-04-03T03:30", "2027-04-03T04:30"),
        occurrence("daily@example.com", "2027-04-04T02:30", "2027-04-04T03:30"),
        occurrence("daily@example.com", "2027-04-05T02:30", "2027-04-05T03:30"),
    ]


@pytest.mark.parametrize("read", ALL_READERS)
def test_all_day_event_reads_as_utc_midnights_with_its_status(read):
    data = calendar(event(
        "phase@example.com",
        "DTSTART;VALUE=DATE:20270301",
        "DTEND;VALUE=DATE:20270308",
        "TRANSP:TRANSPARENT",
        "STATUS:CANCELLED"))
    assert read(data) == [
        occurrence("phase@example.com", "2027-03-01T00:00", "2027-03-08T00:00", "CANCELLED")]


@pytest.mark.parametrize("read", [icaljs_occurrences, libical_occurrences])
def test_a_rule_without_end_stops_after_2000_occurrences(read):
    data = calendar(event(
        "endless@example.com",
        "DTSTART:20270101T090000Z",
        "DTEND:20270101T093000Z",
        "RRULE:FREQ=DAILY"))
    occurrences = read(data)
    assert len(occurrences) == 2000
    # the last is 1999 days after 2027-01-01: 1826 days to 2032-01-01 (2028 is a leap
    # year), then 173 more in leap 2032 -> June 22
    assert occurrences[-1] == occurrence("endless@example.com", "2032-06-22T09:00",
                                         "2032-06-22T09:30")


def test_libical_occurrences_refuses_a_tzid_without_vtimezone():
    data = calendar(event(
        "weekly@example.com",
        "DTSTART;TZID=Europe/Berlin:20270315T190000",
        "DTEND;TZID=Europe/Berlin:20270315T193000"))
    with pytest.raises(CalendarClientFailed, match="TZID Europe/Berlin has no VTIMEZONE"):
        libical_occurrences(data)


def test_libical_reports_publish_without_organizer_as_an_itip_error():
    data = calendar(BERLIN, event(
        "session@example.com",
        "DTSTART;TZID=Europe/Berlin:20270315T190000",
        "DTEND;TZID=Europe/Berlin:20270315T193000"), method="PUBLISH")
    assert libical_errors(data) == [
        "VEVENT session@example.com INVALID-ITIP: Failed iTIP restrictions for ORGANIZER property. "
        "Expected 1 instances of the property and got 0"]


def test_libical_stops_the_restriction_check_at_the_first_failing_event():
    data = calendar(event("first@example.com", "DTSTART:20270315T180000Z"),
                    event("second@example.com", "DTSTART:20270316T180000Z"),
                    method="PUBLISH")
    assert libical_errors(data) == [
        "VEVENT first@example.com INVALID-ITIP: Failed iTIP restrictions for ORGANIZER property. "
        "Expected 1 instances of the property and got 0"]


def test_libical_reports_nothing_for_the_same_calendar_without_method():
    data = calendar(BERLIN, event(
        "session@example.com",
        "DTSTART;TZID=Europe/Berlin:20270315T190000",
        "DTEND;TZID=Europe/Berlin:20270315T193000"))
    assert libical_errors(data) == []


def test_libical_accepts_publish_with_organizer():
    data = calendar(event(
        "session@example.com",
        "ORGANIZER:mailto:prep@example.com",
        "DTSTART:20270315T180000Z",
        "DTEND:20270315T183000Z"), method="PUBLISH")
    assert libical_errors(data) == []


def test_libical_reports_a_value_it_cannot_parse():
    data = calendar(event("broken@example.com", "DTSTART:tomorrow"))
    assert libical_errors(data) == [
        "VEVENT broken@example.com VALUE-PARSE-ERROR: Can't parse as DATE-TIME value in DTSTART property. "
        "Removing entire property: tomorrow"]


def test_icaljs_without_node_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("PATH", "")
    with pytest.raises(CalendarClientMissing, match="node not found"):
        icaljs_occurrences(WEEKLY_ACROSS_DST)


def test_libical_without_a_compiler_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("PATH", "")
    libical_check_program.cache_clear()
    try:
        with pytest.raises(CalendarClientMissing, match="gcc not found"):
            libical_errors(WEEKLY_ACROSS_DST)
    finally:
        libical_check_program.cache_clear()
