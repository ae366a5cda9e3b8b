"""Pure: Plan -> icalendar.Calendar. Imported only where a calendar is built or parsed.

Every item has a key (phase id, topic id, session date, ...) and its UID is derived from the
plan id and that key, so a new version of the plan updates the events already imported.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property, partial
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, vDDDTypes, vInt, vText

from .cadence import (checkin_clock, checkin_days, checkin_start, mock_span, session_blocks,
                      study_sessions)
from .mocks import Mock, planned_mocks
from .model import PhasePlan, Plan, TopicPlan

PRODID = "-//prepplan//prepplan//EN"
REVIEWS_IN_TITLE = 3  # topic ids named in a review session's title; the rest are counted
CHECKIN_MINUTES = 30
REMINDER_BEFORE = timedelta(minutes=10)


def uid_suffix(plan_id: str) -> str:
    """What every UID of one plan ends with: how prepplan knows its own events."""
    return f".{plan_id}@prepplan"


def uid_for(plan_id: str, key: str) -> str:
    return key + uid_suffix(plan_id)


def calendar_name(roadmap: str) -> str:
    """X-WR-CALNAME is written verbatim by icalendar: keep `,` `;` and line breaks out."""
    return re.sub(r"\s*[,;\r\n]+\s*", " - ", roadmap).strip(" -") or "prepplan"


@dataclass
class _Item:
    """A calendar item: its key, and its event, made when first asked for (of the previous
    version's items, a new calendar needs most only by key)."""

    key: str
    make: Callable[[], Event]

    @cached_property
    def event(self) -> Event:
        return self.make()


def _all_day(summary: str, first: date, last: date, description: str = "") -> Event:
    event = Event()
    event.add("summary", summary)
    event.add("dtstart", first)
    event.add("dtend", last + timedelta(days=1))  # exclusive: the day after the last day
    event.add("transp", "TRANSPARENT")
    if description:
        event.add("description", description)
    return event


def _topics_in(plan: Plan, phase: PhasePlan) -> list[TopicPlan]:
    """The phase's topics, and those of earlier phases a replan laid in its weeks, by start."""
    return sorted(phase.topics + tuple(
        topic for other in plan.phases if other is not phase for topic in other.topics
        if topic.start >= phase.start and topic.end <= phase.end
        and not (other.start <= topic.start <= other.end)), key=lambda topic: topic.start)


def _topic_bars(phase: PhasePlan, topics: list[TopicPlan], days_off: frozenset[date]):
    """(topics, first, last) runs tiling the phase's days, days off excepted: each day shows
    the topics in progress (a topic stays in progress until the next one starts); days shared
    by several topics show one combined bar, so no day carries more than the phase bar and one
    topic bar."""
    bars: list[tuple[tuple[TopicPlan, ...], date, date]] = []
    day = phase.start
    while day <= phase.end:
        if day in days_off:
            day += timedelta(days=1)
            continue
        current = tuple(topic for topic in topics if topic.start <= day <= topic.end)
        if not current:
            started = [topic for topic in topics if topic.start <= day]
            current = (started[-1] if started else topics[0],)
        if bars and bars[-1][0] == current and bars[-1][2] == day - timedelta(days=1):
            bars[-1] = (current, bars[-1][1], day)
        else:
            bars.append((current, day, day))
        day += timedelta(days=1)
    return bars


def _items(plan: Plan, tz: ZoneInfo, reviews: dict[date, list] | None = None) -> list[_Item]:
    items: list[_Item] = []
    days_off = plan.schedule.days_off
    parts: Counter[str] = Counter()  # over all phases: a key is never used twice
    for phase in plan.phases:
        lines = [phase.tagline] if phase.tagline else []
        lines.append(f"Phase {phase.number} · {phase.level} · weeks {phase.first_week}–"
                     f"{phase.last_week} · {phase.hours:.1f} h")
        lines.append("Topics:")
        lines += [f"  {t.id} {t.title} ({t.start.isoformat()} – {t.end.isoformat()})"
                  for t in phase.topics]
        if phase.tools:
            lines.append("Key tools: " + ", ".join(phase.tools))
        items.append(_Item(f"phase-{phase.id}",
                           partial(_all_day, f"Phase {phase.number}: {phase.title}",
                                   phase.start, phase.end, "\n".join(lines))))
        for topics, first, last in _topic_bars(phase, _topics_in(plan, phase), days_off):
            key = "topic-" + "+".join(topic.id for topic in topics)
            parts[key] += 1
            if parts[key] > 1:
                key += f"-part{parts[key]}"
            summary = " · ".join(f"{topic.id} {topic.title}" for topic in topics)
            tools = list(dict.fromkeys(tool for topic in topics for tool in topic.tools))
            description = (f"Phase {phase.number}: {phase.title}\n"
                           + "".join(f"{topic.id}: {topic.hours:.1f} h planned\n"
                                     for topic in topics)
                           + ("Key tools: " + ", ".join(tools) if tools else ""))
            items.append(_Item(key, partial(_all_day, summary, first, last,
                                            description.rstrip())))
    if plan.buffer:
        items.append(_Item("buffer", partial(_all_day, plan.buffer.title, plan.buffer.start,
                                             plan.buffer.end, plan.buffer.description)))
    for first, last in _runs(plan.schedule.days_off):
        items.append(_Item(f"off-{first.isoformat()}",
                           partial(_all_day, "No study (day off)", first, last,
                                   "A day off in your prepplan plan: no study planned.")))
    items.append(_Item("target", partial(
        _all_day, f"Target: {plan.roadmap}", plan.target, plan.target,
        "The day you planned to be ready for the interview loop.")))

    items += _sessions(plan, tz, reviews) if plan.schedule.study_weekdays else _mock_days(plan)
    items.append(_Item("checkin", partial(_checkin, plan, tz)))
    return items


def _runs(days: frozenset[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) runs: overlapping or touching --skip ranges become
    one day-off event, so no two share a UID."""
    runs: list[tuple[date, date]] = []
    for day in sorted(days):
        if runs and runs[-1][1] == day - timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _sessions(plan: Plan, tz: ZoneInfo, reviews: dict[date, list] | None) -> list[_Item]:
    """Each study day's mock and blocks as timed events: the topic in progress, or in the
    final block the reviews due; a full loop replaces the day's blocks."""
    items = []
    for session in study_sessions(plan):
        if session.mock is not None:
            items.append(_mock_item(plan, session.mock, mock_span(plan, session, tz), tz))
        if session.topic is not None:
            title = session.topic.title
            tools = ", ".join(session.topic.tools)
            description = (f"Topic {session.topic.id} · Phase {session.phase.number}: "
                           f"{session.phase.title}" + (f"\nKey tools: {tools}" if tools else ""))
        else:
            title, description = _final_block_session(plan, (reviews or {}).get(session.day))
        blocks = session_blocks(plan, session, tz)
        for number, (start, end) in enumerate(blocks, start=1):
            part = f" ({number}/{len(blocks)})" if len(blocks) > 1 else ""
            key = f"session-{session.day.isoformat()}" + (f"-{number}" if number > 1 else "")
            items.append(_Item(key, partial(_timed, f"Study: {title}{part}", start, end, tz,
                                            description)))
    return items


def _timed(summary: str, start: datetime, end: datetime, tz: ZoneInfo,
           description: str) -> Event:
    event = Event()
    event.add("summary", summary)
    for name, value in zip(("dtstart", "dtend"), _wall_or_utc(start, end, tz)):
        event.add(name, value)
    if description:
        event.add("description", description)
    return event


def _final_block_session(plan: Plan, due: list | None) -> tuple[str, str]:
    """A final-block session's title and description: the reviews due that day, weakest
    recall first, else the block's own title."""
    if not due:
        return (plan.buffer.title if plan.buffer else "Review",
                plan.buffer.description if plan.buffer else "")
    topics = {topic.id: topic for topic in plan.topics}
    shown = ", ".join(review.topic_id for review in due[:REVIEWS_IN_TITLE])
    more = f" + {len(due) - REVIEWS_IN_TITLE} more" if len(due) > REVIEWS_IN_TITLE else ""
    lines = [f"{review.topic_id} {topics[review.topic_id].title} (recall "
             f"{review.retrievability:.0%})" for review in due if review.topic_id in topics]
    return (f"Review {shown}{more}",
            "Reviews due, weakest recall first; rate each with `prepplan review TOPIC "
            "--rating again|hard|good|easy`:\n" + "\n".join(lines))


def _mock_item(plan: Plan, mock: Mock, span: tuple[datetime, datetime] | None,
               tz: ZoneInfo) -> _Item:
    """A mock as a timed event (`span`), else as an all-day item naming its rounds."""
    if span is None:
        return _Item(mock.key, partial(_all_day, mock.title, mock.day, mock.day,
                                       _mock_description(mock, None, tz)))
    return _Item(mock.key, partial(_timed, mock.title, *span, tz,
                                   _mock_description(mock, span[0], tz)))


def _mock_description(mock: Mock, start: datetime | None, tz: ZoneInfo) -> str:
    lines = []
    for name, minutes in mock.parts:
        when = f"{start.astimezone(tz):%H:%M} " if start else ""
        lines.append(f"{when}{name} ({minutes} min)")
        if start:
            start += timedelta(minutes=minutes)
    score = (f"prepplan mock {mock.round.id} --score 1-4" if mock.round
             else "prepplan mock ROUND --score 1-4, for each round")
    return ("\n".join(lines) + f"\nGrade it (1 no hire … 4 strong hire): `{score}`.")


def _mock_days(plan: Plan) -> list[_Item]:
    """Without timed sessions, each mock is an all-day item on its day."""
    return [_mock_item(plan, mock, None, None) for mock in planned_mocks(plan)]


def _wall_or_utc(start: datetime, end: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """A block in the plan's zone, or both ends in UTC when the clocks change during it (or
    at an end): some readers add the length on the wall clock, one hour off on such a night,
    and an ambiguous local end would be read as its first occurrence."""
    local_start, local_end = _unambiguous(start, tz), _unambiguous(end, tz)
    if (local_start.tzinfo is tz and local_end.tzinfo is tz
            and local_start.utcoffset() == local_end.utcoffset()):
        return local_start, local_end
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


def _unambiguous(instant: datetime, tz: ZoneInfo) -> datetime:
    """Local time in the plan's zone, or UTC where that local time occurs twice (the hour
    the clocks go back): a TZID time there is read as its first occurrence."""
    local = instant.astimezone(tz)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return instant.astimezone(timezone.utc)
    return local


def _checkin(plan: Plan, tz: ZoneInfo) -> Event:
    clock = checkin_clock(plan, tz)
    days = checkin_days(plan)
    first = checkin_start(days[0], clock, tz)
    last = checkin_start(days[-1], clock, tz)
    # UNTIL: the end of the last check-in's local day, in UTC (Google and Outlook misread a
    # local UNTIL; one at the last start exactly loses it in clients that round)
    until = (datetime.combine(last.date() + timedelta(days=1), time(0), tzinfo=tz)
             .astimezone(timezone.utc) - timedelta(seconds=1))
    event = Event()
    event.add("summary", "prepplan weekly check-in")
    event.add("dtstart", first)
    event.add("dtend", _unambiguous(first.astimezone(timezone.utc)
                                    + timedelta(minutes=CHECKIN_MINUTES), tz))
    event.add("rrule", {"freq": "weekly", "until": until})
    off = [checkin_start(day, clock, tz) for day in days if day in plan.schedule.days_off]
    if off:
        event.add("exdate", off)
    event.add("description", "Log this week's study time and finished topics: run "
                             "`prepplan checkin` (or `prepplan log` / `prepplan done`), "
                             "then `prepplan status`.")
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -REMINDER_BEFORE)
    alarm.add("description", "prepplan weekly check-in: run prepplan checkin")
    event.add_component(alarm)
    return event


def final_block_reviews(plan: Plan, reviews: Mapping[str, list] | None
                        ) -> dict[date, list]:
    """The reviews due at each final-block session, projected from the ratings recorded
    (`reviews`, by topic): a topic not yet done counts as done on its planned end and rated
    good, and the reviews due at every session (final block or not) as made that day and
    rated good."""
    if plan.buffer is None or not plan.schedule.study_weekdays:
        return {}
    from .review import DEFAULT_RATING, projected_reviews

    histories = {topic.id: list((reviews or {}).get(topic.id) or [(topic.end, DEFAULT_RATING)])
                 for topic in plan.topics}
    days = [session.day for session in study_sessions(plan) if session.blocks]
    return {day: due for day, due in projected_reviews(histories, days).items()
            if day >= plan.buffer.start}


def build_calendar(plan: Plan, *, plan_id: str, sequence: int, stamp: datetime, tz_name: str,
                   previous: Plan | None = None,
                   reviews: Mapping[str, list] | None = None) -> Calendar:
    """The plan as a calendar. Items the previous version had and this one does not are
    written once more with STATUS:CANCELLED so importing clients drop them. `reviews`: each
    done topic's ratings, (date, rating) pairs, for the final block's review sessions."""
    tz = ZoneInfo(tz_name)
    stamp = stamp.astimezone(timezone.utc)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # no METHOD: PUBLISH would make this an iTIP message, which needs an ORGANIZER (libical's
    # restriction check, Evolution); every client imports a plain calendar
    calendar.add("x-wr-calname", calendar_name(plan.roadmap))

    items = _items(plan, tz, final_block_reviews(plan, reviews))
    if previous is not None:
        previous_items = _items(previous, tz)
        if plan.replanned_on is not None:
            items = _keep_the_past(items, previous_items, plan.replanned_on, tz)
        current_keys = {item.key for item in items}
        for item in previous_items:
            if item.key not in current_keys:
                item.event.add("status", "CANCELLED")
                items.append(item)

    first_day = min(plan.start, previous.start if previous else plan.start)
    last_day = max(plan.target, previous.target if previous else plan.target)
    zone = Timezone.from_tzid(tz_name, first_date=first_day - timedelta(days=7),
                              last_date=last_day + timedelta(days=7))
    zone.pop("COMMENT", None)  # libical rejects COMMENT inside VTIMEZONE
    calendar.add_component(zone)
    # every event's DTSTAMP and SEQUENCE are one value, encoded once (a quarter of the cost
    # of adding them to hundreds of events); they are only ever read
    stamp_value, sequence_value = vDDDTypes(stamp), vInt(sequence)
    for item in items:
        event = item.event
        event.add("uid", vText(uid_for(plan_id, item.key)), encode=False)
        event.add("dtstamp", stamp_value, encode=False)
        event.add("sequence", sequence_value, encode=False)
        calendar.add_component(event)
    return calendar


def _keep_the_past(items: list[_Item], previous_items: list[_Item], as_of: date,
                   tz: ZoneInfo) -> list[_Item]:
    """A replan does not rewrite the past: the previous version's items that ended by `as_of`
    stay as they were, and replace this version's items there; an item of this version with
    the key of a kept one and days after as-of (a topic re-laid later, a phase running on)
    gets the next free part key, and begins the day after the kept one ends."""
    kept = {item.key: item for item in previous_items if _last_day(item.event, tz) <= as_of}
    kept.update((item.key, _cut(item, as_of)) for item in previous_items
                if item.key.startswith("topic-") and item.key not in kept
                and item.event.decoded("dtstart") <= as_of)
    taken = {item.key for item in items} | set(kept)
    result = list(kept.values())
    for item in items:
        if item.key in kept:
            if _last_day(item.event, tz) <= as_of:
                continue
            base, part = re.sub(r"-part\d+$", "", item.key), 2
            while f"{base}-part{part}" in taken:
                part += 1
            after = _last_day(kept[item.key].event, tz) + timedelta(days=1)
            item = _Item(f"{base}-part{part}", partial(_starting_by, item, after))
            taken.add(item.key)
        result.append(item)
    return result


def _cut(item: _Item, as_of: date) -> _Item:
    """An all-day topic bar of the previous version that ran past as-of, up to as-of."""
    event = Event.from_ical(item.event.to_ical())
    del event["dtend"]
    event.add("dtend", as_of + timedelta(days=1))
    return _Item(item.key, lambda: event)


def _starting_by(item: _Item, first: date) -> Event:
    """The item's event; an all-day one that begins before `first` begins on it instead."""
    event = item.event
    start = event.decoded("dtstart")
    if not isinstance(start, datetime) and start < first:
        del event["dtstart"]
        event.add("dtstart", first)
    return event


def _last_day(event: Event, tz: ZoneInfo) -> date:
    """The local day an event ends on (a recurring one: never, for this purpose)."""
    if "rrule" in event:
        return date.max
    end = event.decoded("dtend")
    if isinstance(end, datetime):
        return (end - timedelta(microseconds=1)).astimezone(tz).date()
    return end - timedelta(days=1)  # an all-day DTEND is exclusive


def calendar_bytes(plan: Plan, **kwargs) -> bytes:
    return build_calendar(plan, **kwargs).to_ical()


def event_objects(calendar: Calendar) -> dict[str, bytes]:
    """One CalDAV calendar object per event, keyed by UID: the event with the VTIMEZONEs it
    uses, and no METHOD (RFC 4791 forbids METHOD in stored calendar objects). Cancelled items
    are left out: on a server, an item the plan no longer has is deleted instead."""
    zones = {str(zone["TZID"]): zone for zone in calendar.walk("VTIMEZONE")}
    objects: dict[str, bytes] = {}
    for event in calendar.walk("VEVENT"):
        if str(event.get("STATUS", "")) == "CANCELLED":
            continue
        single = Calendar()
        single.add("prodid", PRODID)
        single.add("version", "2.0")
        single.add("calscale", "GREGORIAN")
        used = {str(value.params["TZID"]) for name in ("DTSTART", "DTEND", "EXDATE")
                for value in _values(event.get(name)) if "TZID" in getattr(value, "params", {})}
        for tzid in sorted(used):
            single.add_component(zones[tzid])
        single.add_component(event)
        objects[str(event["UID"])] = single.to_ical()
    return objects


def _values(prop):
    if prop is None:
        return []
    return prop if isinstance(prop, list) else [prop]
