"""Pure allocation: curriculum + start/hours/target/study days/days off -> Plan.

Nothing here reads the clock, the environment or files. See the README, "How weeks are
allocated", for the model in words; SPEC.md ("Allocation") is the contract.
"""

from __future__ import annotations

import math
from datetime import date, time, timedelta
from typing import TYPE_CHECKING, NamedTuple

from .errors import RefusedError, UsageError

if TYPE_CHECKING:  # the store loads plans without parsing a curriculum: keep it off that path
    from .curriculum import Curriculum

MAX_HOURS_PER_WEEK = 80
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_EPS = 1e-9

# The plan's records are NamedTuples, not dataclasses: immutable all the same, and about seven
# times cheaper to define at import, which `prepplan status` pays on every run.


class Segment(NamedTuple):
    """From `first_day` on, the user studies `hours_per_week` on `study_weekdays`."""

    first_day: date
    hours_per_week: float
    study_weekdays: tuple[int, ...] = ()  # date.weekday() numbers; empty: every day


class Schedule(NamedTuple):
    """When the user studies: the days and the hours each day is worth. A replan appends a
    segment, so the days before it keep the hours they were planned with."""

    start: date
    weeks: int
    segments: tuple[Segment, ...]
    days_off: frozenset[date] = frozenset()

    @property
    def hours_per_week(self) -> float:
        return self.segments[-1].hours_per_week

    @property
    def study_weekdays(self) -> tuple[int, ...]:
        return self.segments[-1].study_weekdays

    def segment_on(self, day: date) -> Segment:
        current = self.segments[0]
        for segment in self.segments[1:]:
            if segment.first_day <= day:
                current = segment
        return current

    def day_hours(self, day: date) -> float:
        """Planned study hours of one day: H/7, or H/len(study days) on a study weekday."""
        if day in self.days_off:
            return 0.0
        segment = self.segment_on(day)
        if not segment.study_weekdays:
            return segment.hours_per_week / 7
        if day.weekday() in segment.study_weekdays:
            return segment.hours_per_week / len(segment.study_weekdays)
        return 0.0

    def week_start(self, week: int) -> date:
        return self.start + timedelta(days=7 * (week - 1))

    def week_days(self, week: int) -> list[date]:
        first = self.week_start(week)
        return [first + timedelta(days=offset) for offset in range(7)]

    def week_hours(self, week: int) -> float:
        return sum(self.day_hours(day) for day in self.week_days(week))

    def study_days(self, first: date, last: date) -> list[date]:
        """Days in [first, last] that carry planned hours."""
        span = (last - first).days + 1
        days = (first + timedelta(days=offset) for offset in range(max(span, 0)))
        return [day for day in days if self.day_hours(day) > 0]

    def week_of(self, day: date) -> int:
        """1-based study week containing `day` (0 or less before the start)."""
        return (day - self.start).days // 7 + 1


class TopicPlan(NamedTuple):
    id: str
    title: str
    weight: float
    tools: tuple[str, ...]
    start: date  # first study day
    end: date  # last study day, inclusive
    hours: float  # planned hours in all, carried hours included
    # A replan books the partial credit already earned on the current topic as planned on the
    # replan day, so the replanned version starts exactly on pace.
    carried_hours: float = 0.0
    carried_on: date | None = None


class PhasePlan(NamedTuple):
    number: int
    id: str
    title: str
    tagline: str
    level: str
    tools: tuple[str, ...]
    first_week: int
    last_week: int
    start: date
    end: date  # inclusive
    hours: float
    topics: tuple[TopicPlan, ...]

    @property
    def weeks(self) -> int:
        return self.last_week - self.first_week + 1


class BufferPlan(NamedTuple):
    title: str
    description: str
    first_week: int
    last_week: int
    start: date
    end: date  # inclusive

    @property
    def weeks(self) -> int:
        return self.last_week - self.first_week + 1


class Plan(NamedTuple):
    roadmap: str
    description: str
    schedule: Schedule
    target: date
    reference_hours_per_week: float
    regime: str  # "stretch" or "buffer"
    stretch: float  # t in [0, 1]; 1 in the buffer regime
    phases: tuple[PhasePlan, ...]
    buffer: BufferPlan | None
    session_time: time | None = None  # --at: timed sessions (with study weekdays) and check-ins
    skip_ranges: tuple[tuple[date, date], ...] = ()
    replanned_on: date | None = None  # the as-of day of the replan that made this version

    @property
    def start(self) -> date:
        return self.schedule.start

    @property
    def weeks(self) -> int:
        return self.schedule.weeks

    @property
    def hours_per_week(self) -> float:
        return self.schedule.hours_per_week

    @property
    def total_hours(self) -> float:
        return sum(phase.hours for phase in self.phases)

    @property
    def topics(self) -> list[TopicPlan]:
        return [topic for phase in self.phases for topic in phase.topics]

    def topic_study_days(self, topic: TopicPlan) -> list[date]:
        return self.schedule.study_days(topic.start, topic.end)

    @property
    def work_end(self) -> date:
        """Last day of planned topic work (the buffer, if any, follows)."""
        return self.phases[-1].end


# ---------------------------------------------------------------- inputs

def target_from_months(start: date, months: int) -> date:
    """T = S + M calendar months; dateutil clamps to the month's last day (Aug 31 + 6 = Feb 29)."""
    from dateutil.relativedelta import relativedelta

    return start + relativedelta(months=months)


def target_window(curriculum: Curriculum, start: date) -> tuple[date, date]:
    return (target_from_months(start, curriculum.min_months),
            target_from_months(start, curriculum.max_months))


def check_target(curriculum: Curriculum, start: date, target: date) -> None:
    earliest, latest = target_window(curriculum, start)
    if not earliest <= target <= latest:
        raise UsageError(
            f"target {target.isoformat()} is outside the roadmap's "
            f"{curriculum.min_months}–{curriculum.max_months} month window: "
            f"choose a date from {earliest.isoformat()} to {latest.isoformat()}")


def check_hours(hours: float) -> None:
    if not (hours > 0 and hours <= MAX_HOURS_PER_WEEK) or math.isnan(hours):
        raise UsageError(f"hours per week must be more than 0 and at most {MAX_HOURS_PER_WEEK}, "
                         f"not {hours:g}")


def expand_ranges(ranges: tuple[tuple[date, date], ...]) -> frozenset[date]:
    days: set[date] = set()
    for first, last in ranges:
        days.update(first + timedelta(days=offset) for offset in range((last - first).days + 1))
    return frozenset(days)


# ---------------------------------------------------------------- boundary placement

def place_boundaries(unit_hours: list[float], cumulative_targets: list[float],
                     last_fixed: bool) -> list[int]:
    """Split a row of units (weeks or days) into len(targets) contiguous segments.

    Returns the end index (exclusive, i.e. units used so far) of each segment. Boundaries fall
    where the units' cumulative hours best match the cumulative targets (least total absolute
    mismatch, earliest on ties); every segment holds at least one unit with hours. With
    `last_fixed` the last segment ends at the last unit; otherwise it ends where it matches best
    and the units after it are left over. With equal units this is cumulative rounding.
    """
    segments = len(cumulative_targets)
    units = len(unit_hours)
    cumulative = [0.0]
    productive = [0]  # prefix count of units with hours > 0
    for hours in unit_hours:
        cumulative.append(cumulative[-1] + hours)
        productive.append(productive[-1] + (1 if hours > _EPS else 0))
    if productive[-1] < segments:
        raise ValueError("fewer productive units than segments")

    infinity = float("inf")
    # cost[i][b]: least mismatch for the first i boundaries with boundary i at b
    cost = [[infinity] * (units + 1) for _ in range(segments + 1)]
    came_from = [[-1] * (units + 1) for _ in range(segments + 1)]
    cost[0][0] = 0.0
    for i in range(1, segments + 1):
        target = cumulative_targets[i - 1]
        for b in range(1, units + 1):
            if i == segments and last_fixed and b != units:
                continue
            # segments still to come each need one productive unit after b
            if productive[units] - productive[b] < segments - i:
                continue
            mismatch = abs(cumulative[b] - target)
            best, best_prev = infinity, -1
            for prev in range(0, b):
                if cost[i - 1][prev] == infinity or productive[b] - productive[prev] < 1:
                    continue
                candidate = cost[i - 1][prev]
                if candidate < best - _EPS:
                    best, best_prev = candidate, prev
            if best_prev >= 0:
                cost[i][b] = best + mismatch
                came_from[i][b] = best_prev
    final_row = cost[segments]
    end = min(range(units + 1), key=lambda b: (round(final_row[b], 9), b))
    boundaries = [end]
    for i in range(segments, 1, -1):
        end = came_from[i][end]
        boundaries.append(end)
    return boundaries[::-1]


# ---------------------------------------------------------------- allocation

class Infeasible(NamedTuple):
    """What it would take: the figures behind the infeasible message."""

    capacity: float
    needed: float
    hours_needed: float | None  # at this target; None when no hours fit (too few study weeks)
    earliest_target: date
    earliest_in_window: bool


def infeasible_message(info: Infeasible, hours_per_week: float, target: date,
                       window_end: date, remaining: bool = False) -> str:
    remedies = []
    if info.hours_needed is None:
        remedies.append(f"there are too few study weeks before {target.isoformat()}")
    elif info.hours_needed > MAX_HOURS_PER_WEEK:
        remedies.append(f"finishing by {target.isoformat()} would take {info.hours_needed:g} "
                        f"h/week, over the {MAX_HOURS_PER_WEEK} h/week limit")
    else:
        remedies.append(f"study {info.hours_needed:g} h/week to finish by {target.isoformat()}")
    inside = ("inside the window" if info.earliest_in_window
              else f"outside the window, which ends {window_end.isoformat()}")
    remedies.append(f"or move the target to {info.earliest_target.isoformat()} or later at "
                    f"{hours_per_week:g} h/week ({inside})")
    left, roadmap = ("left ", "the rest of the roadmap") if remaining else ("", "the roadmap")
    return (f"not enough time: {info.capacity:.1f} h of study time {left}before "
            f"{target.isoformat()}, {roadmap} needs at least {info.needed:.1f} h; "
            + ", ".join(remedies))


def _earliest_weeks(schedule: Schedule, needed: float, segments: int) -> int:
    """Fewest weeks from the start whose capacity covers `needed` with `segments` study weeks."""
    capacity, productive, week = 0.0, 0, 0
    while capacity < needed - _EPS or productive < segments:
        week += 1
        hours = schedule.week_hours(week)
        capacity += hours
        productive += hours > _EPS
        if week > 52 * 20:  # a schedule with no study days at all never gets there
            break
    return week


class _Fit(NamedTuple):
    regime: str  # "stretch" or "buffer"
    stretch: float
    boundaries: list[int]  # end of each phase, in units


def _fit(unit_hours: list[float], min_efforts: list[float], max_efforts: list[float]
         ) -> _Fit | None:
    """SPEC.md's three regimes over a row of weekly units: None when the units cannot hold the
    minimum effort (or give each phase a week with study time); else one stretch factor for all
    phases, or every phase at its maximum with the weeks left over for the buffer, and phase
    boundaries where cumulative capacity best matches cumulative effort."""
    capacity = sum(unit_hours)
    productive = sum(1 for hours in unit_hours if hours > _EPS)
    if capacity < sum(min_efforts) - _EPS or productive < len(min_efforts):
        return None
    if capacity <= sum(max_efforts) + _EPS:
        regime = "stretch"
        span = sum(max_efforts) - sum(min_efforts)
        stretch = (capacity - sum(min_efforts)) / span if span > _EPS else 1.0
    else:
        regime, stretch = "buffer", 1.0
    efforts = [low + stretch * (high - low) for low, high in zip(min_efforts, max_efforts)]
    cumulative = [sum(efforts[: i + 1]) for i in range(len(efforts))]
    if regime == "stretch":
        cumulative[-1] = capacity  # the phases fill every week exactly
    return _Fit(regime, stretch,
                place_boundaries(unit_hours, cumulative, last_fixed=regime == "stretch"))


def _refuse(curriculum: Curriculum, plan_start: date, unit_hours: list[float],
            min_efforts: list[float], hours_per_week: float, target: date, more: Schedule,
            remaining: bool = False) -> RefusedError:
    """The infeasible answer with both remedies: the hours per week that would fit, and the
    earliest target at these hours (counting weeks of `more` from its start)."""
    _, window_end = target_window(curriculum, plan_start)
    capacity, needed = sum(unit_hours), sum(min_efforts)
    enough_weeks = sum(1 for hours in unit_hours if hours > _EPS) >= len(min_efforts)
    hours_needed = (math.ceil(needed / (capacity / hours_per_week) * 10 - _EPS) / 10
                    if enough_weeks and capacity > _EPS else None)
    earliest = more.start + timedelta(days=7 * _earliest_weeks(more, needed, len(min_efforts)))
    info = Infeasible(capacity, needed, hours_needed, earliest, earliest <= window_end)
    return RefusedError(infeasible_message(info, hours_per_week, target, window_end, remaining))


def _phase(spec, schedule: Schedule, first_week: int, last_week: int,
           topics: tuple[TopicPlan, ...], hours: float | None = None) -> PhasePlan:
    return PhasePlan(
        number=spec.number, id=spec.id, title=spec.title, tagline=spec.tagline,
        level=spec.level, tools=spec.tools, first_week=first_week, last_week=last_week,
        start=schedule.week_start(first_week),
        end=schedule.week_start(last_week) + timedelta(days=6),
        hours=sum(topic.hours for topic in topics) if hours is None else hours, topics=topics)


def _buffer(curriculum: Curriculum, schedule: Schedule, first_week: int) -> BufferPlan | None:
    """The weeks after the last phase, if any."""
    if first_week > schedule.weeks:
        return None
    return BufferPlan(
        title=curriculum.buffer_title, description=curriculum.buffer_description,
        first_week=first_week, last_week=schedule.weeks, start=schedule.week_start(first_week),
        end=schedule.week_start(schedule.weeks) + timedelta(days=6))


def allocate(curriculum: Curriculum, start: date, hours_per_week: float, target: date, *,
             study_weekdays: tuple[int, ...] = (), skip_ranges: tuple[tuple[date, date], ...] = (),
             session_time: time | None = None) -> Plan:
    """Lay the curriculum's phases over the weeks from `start` to `target` (SPEC: Allocation).

    Raises UsageError for a target outside the window or bad hours, RefusedError when the
    capacity cannot hold the minimum effort (with both remedies in the message).
    """
    check_hours(hours_per_week)
    check_target(curriculum, start, target)
    weeks = (target - start).days // 7
    schedule = Schedule(start=start, weeks=weeks,
                        segments=(Segment(start, hours_per_week,
                                          tuple(sorted(set(study_weekdays)))),),
                        days_off=expand_ranges(skip_ranges))
    week_hours = [schedule.week_hours(week) for week in range(1, weeks + 1)]
    if sum(week_hours) <= _EPS:
        raise UsageError("the days off leave no study day in the plan: shorten the --skip ranges")

    reference = curriculum.reference_hours_per_week
    min_efforts = [reference * phase.min_weeks for phase in curriculum.phases]
    max_efforts = [reference * phase.max_weeks for phase in curriculum.phases]
    fit = _fit(week_hours, min_efforts, max_efforts)
    if fit is None:
        raise _refuse(curriculum, start, week_hours, min_efforts, hours_per_week, target,
                      more=schedule)

    phases = []
    first_week = 1
    for spec, last_week in zip(curriculum.phases, fit.boundaries):
        phase_hours = sum(week_hours[first_week - 1:last_week])
        phase_start = schedule.week_start(first_week)
        phase_end = schedule.week_start(last_week) + timedelta(days=6)
        topics = layout_topics(schedule, spec.topics, phase_start, phase_end, phase_hours)
        phases.append(_phase(spec, schedule, first_week, last_week, topics, phase_hours))
        first_week = last_week + 1
    return Plan(roadmap=curriculum.title, description=curriculum.description, schedule=schedule,
                target=target, reference_hours_per_week=reference, regime=fit.regime,
                stretch=fit.stretch, phases=tuple(phases),
                buffer=_buffer(curriculum, schedule, first_week), session_time=session_time,
                skip_ranges=tuple(skip_ranges))


def layout_topics(schedule: Schedule, topics, first: date, last: date,
                  phase_hours: float) -> tuple[TopicPlan, ...]:
    """Share the phase's hours among its topics by weight and lay them in order on its study
    days (see `lay_out`)."""
    total_weight = sum(topic.weight for topic in topics)
    hours = [phase_hours * topic.weight / total_weight for topic in topics]
    return lay_out(schedule, topics, hours, first, last)


def lay_out(schedule: Schedule, topics, hours: list[float], first: date, last: date,
            carried: list[float] | None = None, carried_on: date | None = None
            ) -> tuple[TopicPlan, ...]:
    """Lay topics in order on the study days in [first, last]: each topic on whole days where
    cumulative day hours best match cumulative topic hours (`hours` are what each topic needs
    on these days; `carried` hours were earned before them). When there are fewer study days
    than topics, neighbouring topics share a day."""
    carried = carried or [0.0] * len(topics)
    days = schedule.study_days(first, last)
    if not days:  # no study time left in the range: the topics sit on its last day
        days = [last]
        day_hours = [1.0]
    else:
        day_hours = [schedule.day_hours(day) for day in days]
    cumulative_topic_hours = [sum(hours[: i + 1]) for i in range(len(hours))]
    spans: list[tuple[int, int]] = []  # (first day index, last day index) per topic
    if len(days) >= len(topics):
        cumulative_topic_hours[-1] = sum(day_hours)
        previous = 0
        for boundary in place_boundaries(day_hours, cumulative_topic_hours, last_fixed=True):
            spans.append((previous, boundary - 1))
            previous = boundary
    else:
        cumulative_days = [sum(day_hours[: i + 1]) for i in range(len(day_hours))]
        scale = cumulative_days[-1] / (cumulative_topic_hours[-1] or 1.0)
        starts_at = 0.0
        for ends_at in cumulative_topic_hours:
            first_index = next((i for i, c in enumerate(cumulative_days)
                                if c > starts_at * scale + _EPS), len(days) - 1)
            last_index = next((i for i, c in enumerate(cumulative_days)
                               if c >= ends_at * scale - _EPS), len(days) - 1)
            spans.append((first_index, max(first_index, last_index)))
            starts_at = ends_at
    return tuple(
        TopicPlan(id=topic.id, title=topic.title, weight=topic.weight, tools=topic.tools,
                  start=days[first_index], end=days[last_index],
                  hours=topic_hours + topic_carried, carried_hours=topic_carried,
                  carried_on=carried_on if topic_carried else None)
        for topic, topic_hours, topic_carried, (first_index, last_index)
        in zip(topics, hours, carried, spans))


# ---------------------------------------------------------------- timed study sessions

SESSION_STEP_MINUTES = 15
DEFAULT_CHECKIN_TIME = time(18, 0)
DEFAULT_SESSION_TIME = time(18, 0)  # --days without --at


class Session(NamedTuple):
    day: date
    minutes: int
    topic: TopicPlan
    phase: PhasePlan


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


def study_sessions(plan: Plan) -> list[Session]:
    """One session per study day of the topic work (with study weekdays chosen).

    Each day's share of its week is rounded to 15-minute steps with the rounding carried
    (cumulative rounding), so every week whose hours are whole quarter-hours sums exactly."""
    schedule = plan.schedule
    if not schedule.study_weekdays:
        return []
    sessions = []
    exact_minutes = 0.0
    given_minutes = 0
    for day in schedule.study_days(plan.start, plan.work_end):
        exact_minutes += schedule.day_hours(day) * 60
        rounded = int(SESSION_STEP_MINUTES * math.floor(exact_minutes / SESSION_STEP_MINUTES + 0.5))
        minutes = rounded - given_minutes
        given_minutes = rounded
        if minutes <= 0:
            continue
        phase, topic = topic_on(plan, day)
        sessions.append(Session(day=day, minutes=minutes, topic=topic, phase=phase))
    return sessions


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


# ---------------------------------------------------------------- replanning

def replan(curriculum: Curriculum, previous: Plan, done: dict[str, date], logged: float,
           as_of: date, *, hours_per_week: float, target: date,
           study_weekdays: tuple[int, ...], skip_ranges: tuple[tuple[date, date], ...],
           session_time: time | None) -> Plan:
    """Re-allocate the not-done topics over the weeks from the day after `as_of` to `target`
    (SPEC.md, "Replan"). `done` and `logged` are the progress as of `as_of`.

    Finished phases stay where they happened and done topics keep their dates (a topic done
    before its planned days moves back to `as_of`). A phase with undone topics gets its effort
    range scaled by their weight share, less the partial credit already earned on the current
    topic; that credit is booked as planned on `as_of`, so the new version starts on pace.
    The stretch/buffer/infeasible rules and boundary placement are those of `allocate`."""
    start = previous.start
    check_hours(hours_per_week)
    if as_of < start:
        raise UsageError(f"--as-of {as_of.isoformat()} is before the plan starts "
                         f"({start.isoformat()}): nothing to replan yet")
    if as_of >= previous.target:
        raise UsageError(f"--as-of {as_of.isoformat()} is on or after the target "
                         f"{previous.target.isoformat()}: give a later --target with "
                         f"`prepplan generate --force` to start a new plan")
    resume = as_of + timedelta(days=1)
    if target <= resume:
        raise UsageError(f"target {target.isoformat()} leaves no study time after "
                         f"{as_of.isoformat()}")
    check_target(curriculum, start, target)
    weeks = (target - start).days // 7
    segments = tuple(s for s in previous.schedule.segments if s.first_day < resume)
    segments += (Segment(resume, hours_per_week, tuple(sorted(set(study_weekdays)))),)
    schedule = Schedule(start=start, weeks=weeks, segments=segments,
                        days_off=expand_ranges(skip_ranges))

    old_topics = {topic.id: topic for topic in previous.topics}
    done_ids = {topic_id for topic_id, day in done.items()
                if day <= as_of and topic_id in old_topics}
    specs = curriculum.phases
    current_phase = next((index for index, phase in enumerate(specs)
                          if any(t.id not in done_ids for t in phase.topics)), None)
    if current_phase is None:
        raise RefusedError("every topic is done: nothing to replan")
    current_topic = next(t for t in specs[current_phase].topics if t.id not in done_ids)
    done_hours = sum(old_topics[topic_id].hours for topic_id in done_ids)
    current_hours = old_topics[current_topic.id].hours if current_topic.id in old_topics else 0
    beyond_done = max(0.0, logged - done_hours)  # logged hours not covered by done topics
    partial = min(beyond_done, 0.9 * current_hours)  # the partial credit earned so far

    def kept(topic_id: str) -> TopicPlan:
        """A done topic as it was planned, moved back to as-of if planned after it."""
        old = old_topics[topic_id]
        if old.end <= as_of:
            return old._replace(carried_hours=0.0, carried_on=None)
        return old._replace(start=min(old.start, as_of), end=as_of, carried_hours=0.0,
                            carried_on=None)

    old_phases = {phase.id: phase for phase in previous.phases}
    resume_week = schedule.week_of(resume)
    phases: list[PhasePlan] = []
    last_week = 0
    for spec in specs[:current_phase]:  # finished: where they happened, kept contiguous
        first_week = last_week + 1
        last_week = max(first_week, min(old_phases[spec.id].last_week, resume_week - 1))
        topics = tuple(kept(topic.id) for topic in spec.topics)
        phases.append(_phase(spec, schedule, first_week, last_week, topics))

    current_first_week = last_week + 1
    first_unit_week = max(resume_week, current_first_week)
    unit_hours = [sum(schedule.day_hours(day) for day in schedule.week_days(week)
                      if day >= resume) for week in range(first_unit_week, weeks + 1)]
    reference = curriculum.reference_hours_per_week
    remaining = specs[current_phase:]
    min_efforts, max_efforts = [], []
    for index, spec in enumerate(remaining):
        undone_weight = sum(t.weight for t in spec.topics if t.id not in done_ids)
        share = undone_weight / sum(t.weight for t in spec.topics)
        credit = partial if index == 0 else 0.0
        min_efforts.append(max(0.0, reference * spec.min_weeks * share - credit))
        max_efforts.append(max(0.0, reference * spec.max_weeks * share - credit))
    fit = _fit(unit_hours, min_efforts, max_efforts)
    if fit is None:
        more = Schedule(start=resume, weeks=0, segments=(segments[-1],),
                        days_off=schedule.days_off)
        raise _refuse(curriculum, start, unit_hours, min_efforts, hours_per_week, target,
                      more=more, remaining=True)

    first_week = current_first_week
    previous_boundary = 0
    for index, (spec, boundary) in enumerate(zip(remaining, fit.boundaries)):
        last_week = first_unit_week + boundary - 1
        phase_start = schedule.week_start(first_week)
        phase_end = schedule.week_start(last_week) + timedelta(days=6)
        new_capacity = sum(unit_hours[previous_boundary:boundary])
        undone = [t for t in spec.topics if t.id not in done_ids]
        credit = partial if index == 0 else 0.0
        to_share = new_capacity + credit
        weight = sum(t.weight for t in undone)
        totals = [to_share * t.weight / weight for t in undone]
        # carry exactly what status will credit on the new, resized topic: the new plan then
        # starts with PV(as-of) = EV
        carried = ([min(beyond_done, 0.9 * totals[0]) if index == 0 else 0.0]
                   + [0.0] * (len(undone) - 1))
        needs = [total - carry for total, carry in zip(totals, carried)]
        laid = lay_out(schedule, undone, needs, max(resume, phase_start), phase_end,
                       carried=carried, carried_on=as_of)
        by_id = {topic.id: topic for topic in laid}
        topics = tuple(by_id[t.id] if t.id in by_id else kept(t.id) for t in spec.topics)
        phases.append(_phase(spec, schedule, first_week, last_week, topics))
        first_week = last_week + 1
        previous_boundary = boundary

    return Plan(roadmap=curriculum.title, description=curriculum.description, schedule=schedule,
                target=target, reference_hours_per_week=reference, regime=fit.regime,
                stretch=fit.stretch, phases=tuple(phases),
                buffer=_buffer(curriculum, schedule, first_week), session_time=session_time,
                skip_ranges=tuple(skip_ranges), replanned_on=as_of)
