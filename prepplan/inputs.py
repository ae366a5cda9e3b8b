"""Parse what a user types (dates, weekdays, times, day-off ranges, zones) into values.

Each parser raises UsageError with one line that shows the expected form.
"""

from __future__ import annotations

import math
from datetime import date, time

from .errors import UsageError

_WEEKDAYS = {name: index for index, names in enumerate(
    [("mon", "monday"), ("tue", "tues", "tuesday"), ("wed", "wednesday"),
     ("thu", "thur", "thurs", "thursday"), ("fri", "friday"), ("sat", "saturday"),
     ("sun", "sunday")]) for name in names}


FIRST_DATE, LAST_DATE = date(1970, 1, 1), date(2200, 12, 31)  # far from date's own limits


def parse_date(text: str, today: date, what: str = "date") -> date:
    """ISO YYYY-MM-DD from 1970 to 2200, or `today`."""
    cleaned = text.strip().lower()
    if cleaned == "today":
        return today
    try:
        if len(cleaned) != 10 or not cleaned.isascii():
            raise ValueError
        day = date.fromisoformat(cleaned)
    except ValueError:
        raise UsageError(f"invalid {what} {text!r}: use YYYY-MM-DD (e.g. 2026-12-07) "
                         f"or 'today'") from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise UsageError(f"invalid {what} {text!r}: use a date from {FIRST_DATE.isoformat()} "
                         f"to {LAST_DATE.isoformat()}")
    return day


def parse_weekdays(text: str) -> tuple[int, ...]:
    """`mon,wed,sat` -> (0, 2, 5)."""
    days = set()
    if not text.strip():
        raise UsageError("--days is empty: use a comma-separated list of "
                         "mon,tue,wed,thu,fri,sat,sun")
    for part in text.split(","):
        name = part.strip().lower()
        if name not in _WEEKDAYS:
            raise UsageError(f"unknown weekday {part.strip()!r} in --days: use a comma-separated "
                             f"list of mon,tue,wed,thu,fri,sat,sun")
        days.add(_WEEKDAYS[name])
    return tuple(sorted(days))


def parse_time(text: str) -> time:
    """`19:00` -> time(19, 0)."""
    parts = text.strip().split(":")
    try:
        if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts) \
                or len(parts[1]) != 2:
            raise ValueError
        return time(int(parts[0]), int(parts[1]))
    except ValueError:
        raise UsageError(f"invalid time {text!r} for --at: use HH:MM between 00:00 and 23:59"
                         ) from None


def parse_at(text: str) -> tuple[time | None, tuple[tuple[int, time], ...]]:
    """`19:00` -> every day at 19:00; `mon=19:00,sat=09:00` -> a time per weekday (a bare
    HH:MM among them covers the days not named). Returns (that time, the weekdays' times)."""
    every_day: time | None = None
    by_weekday: dict[int, time] = {}
    for part in text.split(","):
        name, separator, clock = part.strip().rpartition("=")
        if not separator:
            if every_day is not None:
                raise UsageError(f"--at {text!r} gives two times for every day: name the "
                                 f"weekday of each, e.g. mon=19:00,sat=09:00")
            every_day = parse_time(clock)
            continue
        weekday = _WEEKDAYS.get(name.strip().lower())
        if weekday is None:
            raise UsageError(f"unknown weekday {name.strip()!r} in --at: use HH:MM or "
                             f"weekday=HH:MM pairs, e.g. mon=19:00,sat=09:00")
        if weekday in by_weekday:
            raise UsageError(f"--at {text!r} names {name.strip()} twice")
        by_weekday[weekday] = parse_time(clock)
    return every_day, tuple(sorted(by_weekday.items()))


def parse_skip(text: str, today: date) -> tuple[date, date]:
    """`2026-12-24..2027-01-01` or a single date -> (first, last), both inclusive."""
    first_text, separator, last_text = text.partition("..")
    if separator and (not first_text or not last_text):
        raise UsageError(f"invalid --skip {text!r}: use DATE or FIRST..LAST "
                         f"(e.g. 2026-12-24..2027-01-01)")
    first = parse_date(first_text, today, "--skip date")
    last = parse_date(last_text, today, "--skip date") if separator else first
    if last < first:
        raise UsageError(f"invalid --skip {text!r}: {last.isoformat()} comes before "
                         f"{first.isoformat()} (write FIRST..LAST)")
    return first, last


def parse_zone(name: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UsageError(f"unknown time zone {name!r}: use an IANA name such as "
                         f"Europe/Berlin or America/New_York") from None
    return name


def parse_hours(text: str, what: str = "hours") -> float:
    """A finite decimal number in ASCII (float() alone takes 'inf', '1_0' and other digits)."""
    try:
        if not text.isascii() or "_" in text:
            raise ValueError
        hours = float(text)
    except ValueError:
        raise UsageError(f"{what} must be a number, not {text!r}") from None
    if not math.isfinite(hours):
        raise UsageError(f"{what} must be a number, not {text!r}")
    return hours


def parse_entry_id(text: str) -> int:
    """A log entry id: ASCII digits ('²' is a digit to str.isdigit, not to int)."""
    if not (text.isascii() and text.isdigit()):
        raise UsageError(f"--undo takes a log entry id (a whole number), not {text!r}")
    return int(text)


def require_value(text: str | None, option: str, form: str) -> str | None:
    """An option given as '' is a mistake, not a request for the default."""
    if text is not None and not text.strip():
        raise UsageError(f"{option} is empty: give {form}")
    return text
