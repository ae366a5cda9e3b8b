"""When the user studies: timed study sessions, their blocks, and the weekly check-in.

Pure: a Plan and a zone in, days, minutes and instants out. Every duration is exact in absolute
time: a block's end is its start plus its minutes in UTC, whatever the clocks do that night.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta, timezone
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from .errors import UsageError
from .mocks import Mock, mock_on
from .model import WEEKDAY_NAMES, PhasePlan, Plan, TopicPlan

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

SESSION_STEP_MINUTES = 15
DEFAULT_CHECKIN_TIME = time(18, 0)
DEFAULT_SESSION_TIME = time(18, 0)  # --days without --at
SPLIT_ABOVE_MINUTES = 4 * 60  # a day's study time over this is split into blocks
BLOCK_MINUTES = 3 * 60  # at most, per block
BREAK_MINUTES = 30  # between blocks


class Session(NamedTuple):
    """One study day's time, its mock included; in the final block `topic` and `phase` are
    None. A single-round mock comes first and shortens the study blocks after it; a full loop
    replaces them."""

    day: date
    minutes: int
    topic: TopicPlan | None
    phase: PhasePlan | None
    mock: Mock | None = None

    @property
    def study_minutes(self) -> int:
        """The day's study time left for the topic or reviews once its mock is taken out."""
        if self.mock is None:
            return self.minutes
        return 0 if self.mock.kind == "loop" else max(0, self.minutes - self.mock.minutes)

    @property
    def blocks(self) -> list[int]:
        return split_into_blocks(self.study_minutes) if self.study_minutes else []


def split_into_blocks(minutes: int) -> list[int]:
    """A day over 4 h becomes the fewest blocks of at most 3 h, as even as 15-minute steps
    allow, longer ones first (8 h: 2:45, 2:45, 2:30)."""
    if minutes <= SPLIT_ABOVE_MINUTES:
        return [minutes]
    count = math.ceil(minutes / BLOCK_MINUTES)
    base, extra = divmod(minutes // SESSION_STEP_MINUTES, count)
    return [(base + (index < extra)) * SESSION_STEP_MINUTES for index in range(count)]


def topic_on(plan: Plan, day: date) -> tuple[PhasePlan, TopicPlan] | None:
    """The topic the plan has in progress on `day` (the first one, where two share a day)."""
    for phase in plan.phases:
        if phase.start <= day <= phase.end:
            for topic in phase.topics:
                if topic.start <= day <= topic.end:
                    return phase, topic
            # between two topics' days (a non-study day): the next topic to start
            upcoming = [topic for topic in phase.topics if topic.start > day]
            return (phase, upcoming[0]) if upcoming else (phase, phase.topics[-1])
    return None


@lru_cache(maxsize=4)  # a calendar asks several times of one plan; the plan is immutable
def study_sessions(plan: Plan) -> tuple[Session, ...]:
    """One session per study day of the plan, final block included (with study weekdays).

    Each day's share of its week is rounded to 15-minute steps with the rounding carried
    (cumulative rounding), so every week whose hours are whole quarter-hours sums exactly."""
    schedule = plan.schedule
    if not schedule.study_weekdays:
        return ()
    sessions = []
    mocks = mock_on(plan)
    exact_minutes = 0.0
    given_minutes = 0
    for day in schedule.study_days(plan.start, schedule.week_end(schedule.weeks)):
        exact_minutes += schedule.day_hours(day) * 60
        rounded = int(SESSION_STEP_MINUTES * math.floor(exact_minutes / SESSION_STEP_MINUTES + 0.5))
        minutes = rounded - given_minutes
        given_minutes = rounded
        if minutes <= 0:
            continue
        phase, topic = topic_on(plan, day) or (None, None)
        sessions.append(Session(day=day, minutes=minutes, topic=topic, phase=phase,
                                mock=mocks.get(day)))
    return tuple(sessions)


def session_start(plan: Plan, day: date) -> time:
    return plan.time_on(day) or DEFAULT_SESSION_TIME


def _day_start(plan: Plan, day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, session_start(plan, day), tzinfo=tz).astimezone(timezone.utc)


def mock_span(plan: Plan, session: Session, tz: ZoneInfo) -> tuple[datetime, datetime] | None:
    """(start, end) in UTC of the day's mock at the day's --at, when it is a timed event: a
    single round always, a full loop when it ends by midnight (else it is an all-day item)."""
    if session.mock is None:
        return None
    start = _day_start(plan, session.day, tz)
    end = start + timedelta(minutes=session.mock.minutes)
    midnight = datetime.combine(session.day + timedelta(days=1), time(0), tzinfo=tz)
    if session.mock.kind == "loop" and end > midnight:
        return None
    return start, end


def session_blocks(plan: Plan, session: Session, tz: ZoneInfo
                   ) -> list[tuple[datetime, datetime]]:
    """(start, end) of each study block in UTC: the first at the day's --at (right after a
    single-round mock), each next one a break after the last, all in absolute time."""
    start = _day_start(plan, session.day, tz)
    if session.mock is not None and session.mock.kind == "single":
        start += timedelta(minutes=session.mock.minutes)
    blocks = []
    for minutes in session.blocks:
        end = start + timedelta(minutes=minutes)
        blocks.append((start, end))
        start = end + timedelta(minutes=BREAK_MINUTES)
    return blocks


def checkin_days(plan: Plan) -> list[date]:
    """The weekly check-in: the last day of each study week (with study weekdays, the last
    study weekday of the week); weeks whose check-in day is a day off have none."""
    schedule = plan.schedule
    offsets = [offset for offset in range(7)
               if not schedule.study_weekdays
               or (plan.start + timedelta(days=offset)).weekday() in schedule.study_weekdays]
    last_offset = max(offsets)
    days = [schedule.week_start(week) + timedelta(days=last_offset)
            for week in range(1, schedule.weeks + 1)]
    return days


def checkin_clock(plan: Plan, tz: ZoneInfo) -> timedelta:
    """When the check-in starts, as local clock time after its day's midnight (24:00 when the
    sessions end at midnight): when the day's last session ends, the latest such end over the
    weeks, so it never overlaps one; on days without sessions, at --at (default 18:00)."""
    days = set(checkin_days(plan))
    ends = [_clock_of(span[1], session.day, tz) for session in study_sessions(plan)
            if session.day in days and (span := day_span(plan, session, tz))]
    if ends:
        return max(ends)
    at = plan.time_on(min(days)) or DEFAULT_CHECKIN_TIME
    return timedelta(hours=at.hour, minutes=at.minute)


def day_span(plan: Plan, session: Session, tz: ZoneInfo) -> tuple[datetime, datetime] | None:
    """From the start of the day's first timed event (mock or block) to the end of its last;
    None when the day has none (a full loop too long for the evening is an all-day item)."""
    times = session_blocks(plan, session, tz)
    span = mock_span(plan, session, tz)
    if span:
        times = [span, *times]
    return (times[0][0], times[-1][1]) if times else None


def checkin_start(day: date, clock: timedelta, tz: ZoneInfo) -> datetime:
    """The check-in of `day` as a local, aware datetime (clock arithmetic on the wall)."""
    return datetime.combine(day, time(0), tzinfo=tz) + clock


def _clock_of(instant: datetime, day: date, tz: ZoneInfo) -> timedelta:
    """The local wall-clock time of `instant`, counted from `day`'s midnight."""
    return instant.astimezone(tz).replace(tzinfo=None) - datetime.combine(day, time(0))


# ---------------------------------------------------------------- checks

def check_times(plan: Plan, tz_name: str) -> None:
    """Usage errors for start times a calendar cannot hold: an --at that does not exist or
    occurs twice on a date of the plan (a clock change; checked on every date it covers, not
    only study days, so a later replan to other days cannot meet it), study blocks running
    past midnight, and a check-in whose time falls in a clock change."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(tz_name)
    for offset in range((plan.target - plan.start).days + 1):
        day = plan.start + timedelta(days=offset)
        _check_clock(day, session_start(plan, day), tz, lambda: _at_option(plan, day))
    sessions = study_sessions(plan)
    _check_midnight(plan, sessions, tz)
    clock = checkin_clock(plan, tz)
    for day in checkin_days(plan):
        start = checkin_start(day, clock, tz)
        _check_clock(start.date(), start.time(), tz, lambda: (
            f"the weekly check-in at {_hhmm(start.time())} (when the day's last session ends)"
            if sessions else _at_option(plan, day)))


def _at_option(plan: Plan, day: date) -> str:
    """How the user gave the start time of `day`, to name it in an error."""
    if day.weekday() in dict(plan.weekday_times):
        return f"--at {WEEKDAY_NAMES[day.weekday()]}={_hhmm(plan.time_on(day))}"
    if plan.session_time is not None:
        return f"--at {_hhmm(plan.session_time)}"
    return f"the default --at {_hhmm(DEFAULT_SESSION_TIME)}"


def _check_clock(day: date, clock: time, tz: ZoneInfo, what: Callable[[], str]) -> None:
    """Refuse `clock` on `day` if it falls in a clock change; `what` names it (made only
    then: the check runs on every day of the plan)."""
    local = datetime.combine(day, clock, tzinfo=tz)
    there_and_back = local.astimezone(timezone.utc).astimezone(tz).replace(tzinfo=None)
    if there_and_back != local.replace(tzinfo=None):
        problem = "does not exist"
    elif local.replace(fold=1).utcoffset() != local.utcoffset():
        problem = "occurs twice"
    else:
        return
    raise UsageError(f"{what()} {problem} on {day.isoformat()} in {tz.key} "
                     f"({_clock_change(day, tz)}): choose another --at")


def _clock_change(day: date, tz: ZoneInfo) -> str:
    """`clocks go forward from 02:00 to 03:00`: the change on `day`, found by bisection."""
    low = datetime.combine(day, time(0), tzinfo=tz).astimezone(timezone.utc)
    high = low + timedelta(days=1)
    before = low.astimezone(tz).utcoffset()
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) / 2
        if middle.astimezone(tz).utcoffset() == before:
            low = middle
        else:
            high = middle
    after = high.astimezone(tz).utcoffset()
    direction = "forward" if after > before else "back"
    change = high.replace(tzinfo=None)
    return (f"clocks go {direction} from {_hhmm((change + before).time())} to "
            f"{_hhmm((change + after).time())}")


def _check_midnight(plan: Plan, sessions: list[Session], tz: ZoneInfo) -> None:
    """No block may run past midnight: refuse naming the first day that would, and the latest
    --at that fits every day given the same --at."""
    given = dict(plan.weekday_times)
    latest: dict[int | None, time] = {}  # per way the start time was given: its weekday's own
    first_late: tuple[Session, int | None] | None = None  # or the plan's (None)
    for session in sessions:
        span = day_span(plan, session, tz)
        if span is None:
            continue
        midnight = datetime.combine(session.day + timedelta(days=1), time(0), tzinfo=tz)
        fits = (midnight.astimezone(timezone.utc) - (span[1] - span[0])).astimezone(tz).time()
        way = session.day.weekday() if session.day.weekday() in given else None
        latest[way] = min(latest.get(way, fits), fits)
        if first_late is None and span[1] > midnight:
            first_late = session, way
    if first_late is None:
        return
    session, way = first_late
    what = _at_option(plan, session.day)
    count = len(session.blocks)
    blocks = f"{count} blocks with {BREAK_MINUTES}-minute breaks" if count > 1 else "one block"
    if session.mock is not None:  # a timed full loop fits by definition: a single round
        blocks = f"a {session.mock.minutes}-minute mock, then {blocks}"
    raise UsageError(f"{what}: the {session.minutes / 60:g} h of study on "
                     f"{session.day.strftime('%a')} {session.day.isoformat()} "
                     f"({blocks}) would run past midnight; the latest --at that fits is "
                     f"{_hhmm(latest[way])}")


def _hhmm(clock: time) -> str:
    return clock.strftime("%H:%M")
