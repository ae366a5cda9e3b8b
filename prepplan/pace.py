"""Pure: Plan + progress + as-of date -> status figures (SPEC.md, "Progress and pace").

Earned value (EV) is the planned hours of the done topics plus partial credit for the earliest
not-done topic; planned value PV(t) is the cumulative planned topic hours through day t, each
topic's hours spread evenly over its study days. The earned schedule ES is the earliest day on
which PV reached EV (Lipke); days ahead = ES - as-of.
"""

from __future__ import annotations

import bisect
import math
from typing import NamedTuple
from datetime import date, timedelta

from .cadence import checkin_days
from .model import PhasePlan, Plan, TopicPlan, hours_logged_through, partial_credit

MIN_TOLERANCE_DAYS = 2
TOLERANCE_SHARE = 0.25  # of the current topic's length in days
_EPS = 1e-9


class PlannedValue:
    """PV(t) as a step function over days."""

    def __init__(self, plan: Plan) -> None:
        per_day: dict[date, float] = {}
        for topic in plan.topics:
            if topic.carried_hours and topic.carried_on:
                per_day[topic.carried_on] = per_day.get(topic.carried_on, 0.0) + \
                    topic.carried_hours
            days = plan.topic_study_days(topic) or [topic.end]
            spread = topic.hours - topic.carried_hours
            for day in days:
                per_day[day] = per_day.get(day, 0.0) + spread / len(days)
        self.days = sorted(per_day)
        self.cumulative = []
        running = 0.0
        for day in self.days:
            running += per_day[day]
            self.cumulative.append(running)
        self.total = running

    def at(self, day: date) -> float:
        """Cumulative planned hours through the end of `day`."""
        index = bisect.bisect_right(self.days, day)
        return self.cumulative[index - 1] if index else 0.0

    def earliest_reaching(self, value: float) -> date:
        """The earliest day t with PV(t) >= value (value <= total)."""
        index = bisect.bisect_left(self.cumulative, value - _EPS)
        return self.days[min(index, len(self.days) - 1)]


class Status(NamedTuple):
    as_of: date
    state: str  # not_started | in_progress | finished | past_target
    week: int  # 0 before the start; at most `weeks`
    weeks: int
    phase: PhasePlan | None
    in_buffer: bool
    this_week_topics: tuple[TopicPlan, ...]
    planned_hours: float
    logged_hours: float
    planned_topics: int
    done_topics: int
    total_topics: int
    earned_hours: float
    earned_schedule: date
    days_ahead: int
    tolerance_days: int
    verdict: str  # ahead | on_pace | behind
    projected_finish: date | None
    target: date
    hours_per_week_needed: float | None
    total_hours: float
    current_topic: TopicPlan | None  # earliest not-done topic
    next_checkin: date | None
    done_ids: frozenset[str] = frozenset()  # topics done by as-of


def earned_value(plan: Plan, logged: float, done_ids: set[str]) -> tuple[float, TopicPlan | None]:
    topics = plan.topics
    done_hours = sum(topic.hours for topic in topics if topic.id in done_ids)
    current = next((topic for topic in topics if topic.id not in done_ids), None)
    if current is None:
        return done_hours, None
    return done_hours + partial_credit(logged - done_hours, current.hours), current


def tolerance_days(topic: TopicPlan | None) -> int:
    """On pace within a few days: a quarter of the current topic's length, at least two days.
    (Partial credit stops at 90% of a topic, so a user exactly on plan can read up to a tenth
    of a topic's length behind until they mark it done; the tolerance covers that.)"""
    if topic is None:
        return MIN_TOLERANCE_DAYS
    length = (topic.end - topic.start).days + 1
    return max(MIN_TOLERANCE_DAYS, math.ceil(TOLERANCE_SHARE * length))


def compute_status(plan: Plan, log: list[tuple[date, float]], marks: dict[str, date],
                   as_of: date) -> Status:
    """Everything `prepplan status` reports, as of the end of day `as_of`."""
    start, target = plan.start, plan.target
    logged = hours_logged_through(log, as_of)
    done_ids = {topic_id for topic_id, day in marks.items() if day <= as_of}
    topics = plan.topics
    done_ids &= {topic.id for topic in topics}
    pv = PlannedValue(plan)
    planned = pv.at(as_of)
    earned, current = earned_value(plan, logged, done_ids)

    earned_schedule = _earned_schedule(plan, pv, earned, planned, current, as_of)
    days_ahead = 0 if as_of < start else (earned_schedule - as_of).days
    tolerance = tolerance_days(current)
    projected = _projected_finish(plan, earned_schedule, as_of)
    days_left = (target - as_of).days
    needed = None if days_left <= 0 else (pv.total - earned) / (days_left / 7)
    state, week = _state_and_week(plan, current, as_of)

    phase = next((p for p in plan.phases if p.start <= as_of <= p.end), None)
    in_buffer = bool(plan.buffer and plan.buffer.start <= as_of <= plan.buffer.end)
    focus_week = max(week, 1)
    week_first = plan.schedule.week_start(focus_week)
    week_last = plan.schedule.week_end(focus_week)
    this_week = tuple(topic for topic in topics
                      if topic.start <= week_last and topic.end >= week_first)
    return Status(
        as_of=as_of, state=state, week=week, weeks=plan.weeks, phase=phase, in_buffer=in_buffer,
        this_week_topics=this_week if state in ("in_progress", "not_started") else (),
        planned_hours=planned, logged_hours=logged,
        planned_topics=sum(1 for topic in topics if topic.end <= as_of),
        done_topics=len(done_ids), total_topics=len(topics), earned_hours=earned,
        earned_schedule=earned_schedule, days_ahead=days_ahead, tolerance_days=tolerance,
        verdict=_verdict(days_ahead, tolerance), projected_finish=projected, target=target,
        hours_per_week_needed=needed, total_hours=pv.total, current_topic=current,
        next_checkin=_next_checkin(plan, as_of), done_ids=frozenset(done_ids),
    )


def _earned_schedule(plan: Plan, pv: PlannedValue, earned: float, planned: float,
                     current: TopicPlan | None, as_of: date) -> date:
    """ES: the earliest day PV reached EV, with SPEC's edges."""
    start = plan.start
    if as_of < start:
        return start
    if current is None:  # every topic done
        return max(plan.work_end, as_of)
    earned_schedule = start if earned <= _EPS else pv.earliest_reaching(earned)
    # PV flat from ES up to as-of (days off, non-study days, or nothing planned yet): the user
    # is not behind. EV >= PV(as-of) implies that flatness; it is tested on its own as well, so
    # float noise between the two sums cannot cost a day.
    if earned_schedule < as_of and (earned >= planned - _EPS
                                    or pv.at(earned_schedule) >= planned - _EPS):
        earned_schedule = as_of
    return earned_schedule


def _verdict(days_ahead: int, tolerance: int) -> str:
    if days_ahead > tolerance:
        return "ahead"
    if days_ahead < -tolerance:
        return "behind"
    return "on_pace"


def _projected_finish(plan: Plan, earned_schedule: date, as_of: date) -> date | None:
    """The pace so far, extended over the planned duration of the topic work."""
    start = plan.start
    if as_of <= start or earned_schedule <= start:
        return None
    planned_duration = (plan.work_end - start).days
    elapsed = (as_of - start).days
    return start + timedelta(days=round(planned_duration * elapsed
                                        / (earned_schedule - start).days))


def _state_and_week(plan: Plan, current: TopicPlan | None, as_of: date) -> tuple[str, int]:
    if as_of < plan.start:
        return "not_started", 0
    week = min(plan.schedule.week_of(as_of), plan.weeks)
    if current is None:
        return "finished", week
    if as_of >= plan.target:
        return "past_target", plan.weeks
    return "in_progress", week


def _next_checkin(plan: Plan, as_of: date) -> date | None:
    upcoming = [day for day in checkin_days(plan)
                if day > as_of and day not in plan.schedule.days_off]
    return upcoming[0] if upcoming else None


class WeekPoint(NamedTuple):
    week: int  # 0: the start
    day: date  # the last day of the week (the start for week 0)
    planned: float  # PV at the end of that day
    earned: float | None  # EV then; None for weeks that have not begun by as-of


def burnup(plan: Plan, log: list[tuple[date, float]], marks: dict[str, date],
           as_of: date) -> list[WeekPoint]:
    """Cumulative planned and earned hours at the end of every week, start to target (to the
    week of as-of when that is later). The current week's earned value is as of `as_of`."""
    pv = PlannedValue(plan)
    points = [WeekPoint(0, plan.start, 0.0, 0.0 if as_of >= plan.start else None)]
    for week in range(1, max(plan.weeks, plan.schedule.week_of(as_of)) + 1):
        first = plan.schedule.week_start(week)
        last = plan.schedule.week_end(week)
        earned = None
        if first <= as_of:
            day = min(last, as_of)
            logged = hours_logged_through(log, day)
            done_ids = {topic_id for topic_id, done_on in marks.items() if done_on <= day}
            earned = earned_value(plan, logged, done_ids)[0]
        points.append(WeekPoint(week, last, pv.at(last), earned))
    return points
