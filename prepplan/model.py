"""The plan's records and the rules every layer shares: partial credit, hours logged to a day,
and the plan's stored JSON form.

Nothing here reads the clock, the environment or files.
"""

from datetime import date, time, timedelta
from typing import Iterable, NamedTuple

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_HOURS_PER_WEEK = 80
MAX_HOURS_PER_STUDY_DAY = 12
PARTIAL_CREDIT_CAP = 0.9  # of the current topic's planned hours: the last tenth needs a "done"

# The plan's records are NamedTuples, not dataclasses: immutable all the same, and about seven
# times cheaper to define at import, which `prepplan status` pays on every run. The modules that
# `status` loads evaluate their annotations (no `from __future__ import annotations`): a
# NamedTuple compiles each string annotation into a ForwardRef, 2.7 ms over their ~200 fields.


class Segment(NamedTuple):
    """From `first_day` on, the user studies `hours_per_week` on `study_weekdays`."""

    first_day: date
    hours_per_week: float
    study_weekdays: tuple[int, ...] = ()  # date.weekday() numbers; empty: every day

    def hours_on(self, weekday: int) -> float:
        """Planned study hours of a day of `weekday` (days off aside): H/7, or H/len(study
        days) on a study weekday."""
        if not self.study_weekdays:
            return self.hours_per_week / 7
        if weekday in self.study_weekdays:
            return self.hours_per_week / len(self.study_weekdays)
        return 0.0


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
        """Planned study hours of one day (0 on a day off)."""
        if day in self.days_off:
            return 0.0
        return self.segment_on(day).hours_on(day.weekday())

    def day_share(self, day: date) -> float:
        """A day's share of a full week's capacity at the hours planned for it: 1/7 every day,
        1/3 on each of three study days, 0 on a day off."""
        hours = self.day_hours(day)
        return hours / self.segment_on(day).hours_per_week if hours else 0.0

    def week_start(self, week: int) -> date:
        return self.start + timedelta(days=7 * (week - 1))

    def week_end(self, week: int) -> date:
        """The last day (inclusive) of study week `week`."""
        return self.week_start(week) + timedelta(days=6)

    def week_days(self, week: int) -> list[date]:
        first = self.week_start(week)
        return [first + timedelta(days=offset) for offset in range(7)]

    def week_hours(self, week: int) -> float:
        return sum(self.day_hours(day) for day in self.week_days(week))

    def study_days(self, first: date, last: date) -> list[date]:
        """Days in [first, last] that carry planned hours: those of each segment's span whose
        weekday carries hours, days off excepted (segments begin in order: a replan keeps the
        ones that began before it and appends one). Walked segment by segment, not asking
        `day_hours` day by day: status and the calendar ask it of thousands of days."""
        days: list[date] = []
        for index, segment in enumerate(self.segments):
            begin = first if index == 0 else max(first, segment.first_day)
            end = last
            if index + 1 < len(self.segments):
                end = min(last, self.segments[index + 1].first_day - timedelta(days=1))
            studied = {weekday for weekday in range(7) if segment.hours_on(weekday) > 0}
            days += (day for day in (begin + timedelta(days=offset)
                                     for offset in range((end - begin).days + 1))
                     if day.weekday() in studied and day not in self.days_off)
        return days

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


class PhaseOutside(NamedTuple):
    """A phase whole weeks forced outside its effort range (hours on the weeks placed)."""

    number: int
    hours: float
    min_hours: float
    max_hours: float


class LoopRound(NamedTuple):
    """One kind of round of the interview loop (curriculum `[[loop]]`)."""

    id: str
    title: str
    minutes: int
    count: int  # rounds of this kind in a full loop
    phases: tuple[int, ...]  # the phase numbers it draws on


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
    # --at mon=19:00,sat=09:00: a start time per weekday (date.weekday()), before session_time
    weekday_times: tuple[tuple[int, time], ...] = ()
    outside_range: tuple[PhaseOutside, ...] = ()
    loop: tuple[LoopRound, ...] = ()  # the curriculum's interview loop: what mocks rehearse
    # mocks a replan keeps as they were, up to its as-of day: (day, round id; None: a loop)
    kept_mocks: tuple[tuple[date, str | None], ...] = ()

    @property
    def full_effort(self) -> bool:
        """Every phase holds its maximum effort: the buffer regime with nothing cut short."""
        return self.regime == "buffer" and not self.outside_range

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

    def time_on(self, day: date) -> time | None:
        """The --at that applies on `day`: its weekday's own, else the plan's; None: not given."""
        return dict(self.weekday_times).get(day.weekday(), self.session_time)

    @property
    def work_end(self) -> date:
        """Last day of planned topic work (the buffer, if any, follows)."""
        return self.phases[-1].end


# ---------------------------------------------------------------- shared rules

def most_hours_per_week(study_weekdays: tuple[int, ...] = ()) -> float:
    """The most a week can hold: 80 h, and 12 h on each study day (all seven without --days)."""
    return min(MAX_HOURS_PER_WEEK, MAX_HOURS_PER_STUDY_DAY * (len(set(study_weekdays)) or 7))


def partial_credit(beyond_done: float, topic_hours: float) -> float:
    """Credit for the earliest not-done topic: the hours logged beyond the done topics' hours,
    capped at PARTIAL_CREDIT_CAP of the topic's planned hours."""
    return min(max(0.0, beyond_done), PARTIAL_CREDIT_CAP * topic_hours)


def hours_logged_through(log: Iterable[tuple[date, float]], day: date) -> float:
    """L(day): every log entry dated on or before `day`."""
    return sum(hours for logged_on, hours in log if logged_on <= day)


def expand_ranges(ranges: tuple[tuple[date, date], ...]) -> frozenset[date]:
    days: set[date] = set()
    for first, last in ranges:
        days.update(first + timedelta(days=offset) for offset in range((last - first).days + 1))
    return frozenset(days)


# ---------------------------------------------------------------- plan <-> stored JSON

def plan_to_storage(plan: Plan) -> dict:
    schedule = plan.schedule
    return {
        "roadmap": plan.roadmap,
        "description": plan.description,
        "start": schedule.start.isoformat(),
        "weeks": schedule.weeks,
        "segments": [{"first_day": segment.first_day.isoformat(),
                      "hours_per_week": segment.hours_per_week,
                      "study_weekdays": list(segment.study_weekdays)}
                     for segment in schedule.segments],
        "replanned_on": plan.replanned_on.isoformat() if plan.replanned_on else None,
        "skip_ranges": [[first.isoformat(), last.isoformat()] for first, last in plan.skip_ranges],
        "target": plan.target.isoformat(),
        "reference_hours_per_week": plan.reference_hours_per_week,
        "regime": plan.regime,
        "stretch": plan.stretch,
        "session_time": plan.session_time.strftime("%H:%M") if plan.session_time else None,
        "weekday_times": {WEEKDAY_NAMES[weekday]: at.strftime("%H:%M")
                          for weekday, at in plan.weekday_times},
        "outside_range": [list(outside) for outside in plan.outside_range],
        "loop": [{"id": r.id, "title": r.title, "minutes": r.minutes, "count": r.count,
                  "phases": list(r.phases)} for r in plan.loop],
        "kept_mocks": [[day.isoformat(), round_id] for day, round_id in plan.kept_mocks],
        "phases": [{
            "number": phase.number, "id": phase.id, "title": phase.title,
            "tagline": phase.tagline, "level": phase.level, "tools": list(phase.tools),
            "first_week": phase.first_week, "last_week": phase.last_week,
            "start": phase.start.isoformat(), "end": phase.end.isoformat(), "hours": phase.hours,
            "topics": [{
                "id": topic.id, "title": topic.title, "weight": topic.weight,
                "tools": list(topic.tools), "start": topic.start.isoformat(),
                "end": topic.end.isoformat(), "hours": topic.hours,
                "carried_hours": topic.carried_hours,
                "carried_on": topic.carried_on.isoformat() if topic.carried_on else None,
            } for topic in phase.topics],
        } for phase in plan.phases],
        "buffer": None if plan.buffer is None else {
            "title": plan.buffer.title, "description": plan.buffer.description,
            "first_week": plan.buffer.first_week, "last_week": plan.buffer.last_week,
            "start": plan.buffer.start.isoformat(), "end": plan.buffer.end.isoformat(),
        },
    }


def plan_from_storage(data: dict) -> Plan:
    skip_ranges = tuple((date.fromisoformat(first), date.fromisoformat(last))
                        for first, last in data["skip_ranges"])
    raw_segments = data.get("segments") or [  # plans stored before replan existed
        {"first_day": data["start"], "hours_per_week": data["hours_per_week"],
         "study_weekdays": data["study_weekdays"]}]
    segments = tuple(Segment(date.fromisoformat(s["first_day"]), s["hours_per_week"],
                             tuple(s["study_weekdays"])) for s in raw_segments)
    schedule = Schedule(start=date.fromisoformat(data["start"]), weeks=data["weeks"],
                        segments=segments, days_off=expand_ranges(skip_ranges))
    phases = tuple(PhasePlan(
        number=p["number"], id=p["id"], title=p["title"], tagline=p["tagline"], level=p["level"],
        tools=tuple(p["tools"]), first_week=p["first_week"], last_week=p["last_week"],
        start=date.fromisoformat(p["start"]), end=date.fromisoformat(p["end"]), hours=p["hours"],
        topics=tuple(TopicPlan(
            id=t["id"], title=t["title"], weight=t["weight"], tools=tuple(t["tools"]),
            start=date.fromisoformat(t["start"]), end=date.fromisoformat(t["end"]),
            hours=t["hours"], carried_hours=t.get("carried_hours", 0.0),
            carried_on=(date.fromisoformat(t["carried_on"]) if t.get("carried_on")
                        else None)) for t in p["topics"]),
    ) for p in data["phases"])
    buffer = data["buffer"]
    return Plan(
        roadmap=data["roadmap"], description=data["description"], schedule=schedule,
        target=date.fromisoformat(data["target"]),
        reference_hours_per_week=data["reference_hours_per_week"], regime=data["regime"],
        stretch=data["stretch"], phases=phases,
        buffer=None if buffer is None else BufferPlan(
            title=buffer["title"], description=buffer["description"],
            first_week=buffer["first_week"], last_week=buffer["last_week"],
            start=date.fromisoformat(buffer["start"]), end=date.fromisoformat(buffer["end"])),
        session_time=time.fromisoformat(data["session_time"]) if data["session_time"] else None,
        skip_ranges=skip_ranges,
        replanned_on=(date.fromisoformat(data["replanned_on"]) if data.get("replanned_on")
                      else None),
        weekday_times=tuple((WEEKDAY_NAMES.index(name), time.fromisoformat(at))
                            for name, at in data.get("weekday_times", {}).items()),
        outside_range=tuple(PhaseOutside(*outside) for outside in data.get("outside_range", [])),
        loop=tuple(LoopRound(r["id"], r["title"], r["minutes"], r["count"], tuple(r["phases"]))
                   for r in data.get("loop", [])),
        kept_mocks=tuple((date.fromisoformat(day), round_id)
                         for day, round_id in data.get("kept_mocks", [])),
    )
