"""Pure: Plan + progress + as-of date -> status figures (SPEC.md, "Progress and pace").

Earned value (EV) is the planned hours of the done topics plus partial credit for the earliest
not-done topic; planned value PV(t) is the cumulative planned topic hours through day t, each
topic's hours spread evenly over its study days. The earned schedule ES is the earliest day on
which PV reached EV (Lipke); days ahead = ES - as-of, declared days off not counted. The finish
is forecast from the user's own weekly hours (forecast.py).
"""

import bisect
import math
from typing import NamedTuple
from datetime import date, timedelta

from .cadence import checkin_days
from .forecast import Forecast, forecast, week_history, work_left
from .model import (PhasePlan, Plan, Schedule, TopicPlan, most_hours_per_week,
                    hours_logged_through, partial_credit)

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
    overdue_topics: tuple[TopicPlan, ...]  # not done, planned to end before as-of
    planned_hours: float
    logged_hours: float
    planned_topics: int
    done_topics: int
    total_topics: int
    earned_hours: float
    earned_schedule: date
    days_ahead: int  # declared days off not counted
    tolerance_days: int
    verdict: str  # ahead | on_pace | behind
    finished_on: date | None  # the latest done date, once every topic is done
    forecast: Forecast | None  # None before the start and once finished
    projected_finish: date | None  # p50; the planned finish before S; finished_on once done
    target: date
    hours_per_week_needed: float | None  # None: no study time left before the target
    reachable: bool  # the target can still be made at a rate the study days hold
    hours_behind: float  # PV - EV, when positive
    buffer_covers: bool  # the buffer left holds the hours behind
    total_hours: float
    current_topic: TopicPlan | None  # earliest not-done topic
    next_checkin: date | None
    done_ids: frozenset[str] = frozenset()  # topics done by as-of
    mocks: tuple = ()  # mocks.RoundStatus per loop round (set by the status use case)
    reviews_due: int = 0  # done topics due for review by as-of
    earliest_target: date | None = None  # when not reachable: what `replan` accepts (app.py)


def earned_value(plan: Plan, logged: float, done_ids: set[str]) -> tuple[float, TopicPlan | None]:
    topics = plan.topics
    done_hours = sum(topic.hours for topic in topics if topic.id in done_ids)
    current = next((topic for topic in topics if topic.id not in done_ids), None)
    if current is None:
        return done_hours, None
    return done_hours + partial_credit(logged - done_hours, current.hours), current


def plan_days_between(schedule: Schedule, first: date, last: date) -> int:
    """last - first in days, declared days off not counted (negative when last < first): a day
    off is not a day of the plan."""
    low, high = min(first, last), max(first, last)
    days = (high - low).days - sum(1 for day in schedule.days_off if low < day <= high)
    return days if last >= first else -days


def planned_finish(plan: Plan) -> date:
    """The last planned day of topic work (the buffer, if any, follows)."""
    return max(topic.end for topic in plan.topics)


def tolerance_days(topic: TopicPlan | None, schedule: Schedule | None = None) -> int:
    """On pace within a few days: a quarter of the current topic's length (its days off not
    counted), at least two days. (Partial credit stops at 90% of a topic, so a user exactly on
    plan can read up to a tenth of a topic's length behind until they mark it done; the
    tolerance covers that.)"""
    if topic is None:
        return MIN_TOLERANCE_DAYS
    length = (plan_days_between(schedule, topic.start, topic.end) if schedule
              else (topic.end - topic.start).days) + 1
    return max(MIN_TOLERANCE_DAYS, math.ceil(TOLERANCE_SHARE * length))


class _Progress(NamedTuple):
    logged: float
    done_ids: frozenset[str]
    earned: float
    current: TopicPlan | None
    finished_on: date | None


def _progress(plan: Plan, log: list[tuple[date, float]], marks: dict[str, date],
              as_of: date) -> _Progress:
    logged = hours_logged_through(log, as_of)
    done = {topic_id: day for topic_id, day in marks.items() if day <= as_of}
    done_ids = frozenset(done) & {topic.id for topic in plan.topics}
    earned, current = earned_value(plan, logged, done_ids)
    finished_on = max(done[topic_id] for topic_id in done_ids) if current is None else None
    return _Progress(logged, done_ids, earned, current, finished_on)


def compute_status(plan: Plan, log: list[tuple[date, float]], marks: dict[str, date],
                   as_of: date, plan_id: str = "") -> Status:
    """Everything `prepplan status` reports, as of the end of day `as_of`. `plan_id` seeds the
    forecast, so the same plan and as-of always print the same figures."""
    progress = _progress(plan, log, marks, as_of)
    pv = PlannedValue(plan)
    planned = pv.at(as_of)
    state, week = _state_and_week(plan, progress.current, as_of)
    earned_schedule = _earned_schedule(plan, pv, progress.earned, planned, as_of)
    days_ahead, verdict, tolerance = _pace(plan, state, progress, earned_schedule, as_of)
    outlook = _outlook(plan, pv.total, progress, planned, as_of)
    predicted = None if state in ("not_started", "finished") else _forecast(
        plan, log, progress, pv.total, as_of, plan_id)
    projected = {"not_started": planned_finish(plan), "finished": progress.finished_on
                 }.get(state, predicted.p50 if predicted else None)
    return Status(
        as_of=as_of, state=state, week=week, weeks=plan.weeks,
        phase=next((p for p in plan.phases if p.start <= as_of <= p.end), None),
        in_buffer=bool(plan.buffer and plan.buffer.start <= as_of <= plan.buffer.end),
        this_week_topics=_this_week(plan, week, as_of, progress.done_ids, state),
        overdue_topics=tuple(topic for topic in plan.topics
                             if topic.id not in progress.done_ids and topic.end < as_of),
        planned_hours=planned, logged_hours=progress.logged,
        planned_topics=sum(1 for topic in plan.topics if topic.end <= as_of),
        done_topics=len(progress.done_ids), total_topics=len(plan.topics),
        earned_hours=progress.earned, earned_schedule=earned_schedule, days_ahead=days_ahead,
        tolerance_days=tolerance, verdict=verdict, finished_on=progress.finished_on,
        forecast=predicted, projected_finish=projected, target=plan.target, **outlook,
        total_hours=pv.total, current_topic=progress.current,
        next_checkin=_next_checkin(plan, as_of), done_ids=progress.done_ids,
    )


def _this_week(plan: Plan, week: int, as_of: date, done_ids: frozenset[str],
               state: str) -> tuple[TopicPlan, ...]:
    """The topics with study days in the week of as-of (before the start: the first such), not
    done and not overdue; none once the plan's weeks are over (the overdue list speaks of
    those), none in a week wholly off (a topic spanning a vacation is not studied in it)."""
    schedule = plan.schedule
    if state == "not_started":  # the first week with study in it (week 1 may be off)
        week = schedule.week_of(plan.topics[0].start)
    first, last = schedule.week_start(week), schedule.week_end(week)
    if state not in ("in_progress", "not_started") or as_of > last:
        return ()
    # an undone topic whose end has passed is overdue, and listed there only
    return tuple(topic for topic in plan.topics if topic.start <= last
                 and topic.end >= max(first, as_of) and topic.id not in done_ids
                 and schedule.study_days(max(first, topic.start), min(last, topic.end)))


def _earned_schedule(plan: Plan, pv: PlannedValue, earned: float, planned: float,
                     as_of: date) -> date:
    """ES: the earliest day PV reached EV, with SPEC's edges."""
    if as_of < plan.start:
        return plan.start
    earned_schedule = plan.start if earned <= _EPS else pv.earliest_reaching(earned)
    # PV flat from ES up to as-of (days off, non-study days, or nothing planned yet): the user
    # is not behind. EV >= PV(as-of) implies that flatness; it is tested on its own as well, so
    # float noise between the two sums cannot cost a day. Once all topic work was planned to be
    # over (PV(as-of) = total), PV is flat for good: only EV reaching it counts then.
    flat = pv.at(earned_schedule) >= planned - _EPS and planned < pv.total - _EPS
    if earned_schedule < as_of and (earned >= planned - _EPS or flat):
        earned_schedule = as_of
    return earned_schedule


def _pace(plan: Plan, state: str, progress: _Progress, earned_schedule: date,
          as_of: date) -> tuple[int, str, int]:
    """days_ahead, the verdict and its tolerance. Finished: the finish day against the planned
    finish. A finish after the target (or none by it) is behind, whatever the days say."""
    tolerance = tolerance_days(progress.current, plan.schedule)
    if state == "not_started":
        return 0, "on_pace", tolerance
    if state == "finished":
        days_ahead = plan_days_between(plan.schedule, progress.finished_on, planned_finish(plan))
    else:
        days_ahead = plan_days_between(plan.schedule, as_of, earned_schedule)
    late = state == "past_target" or (state == "finished" and progress.finished_on > plan.target)
    if late:
        return min(days_ahead, -1), "behind", tolerance
    return days_ahead, _verdict(days_ahead, tolerance), tolerance


def _verdict(days_ahead: int, tolerance: int) -> str:
    if days_ahead > tolerance:
        return "ahead"
    if days_ahead < -tolerance:
        return "behind"
    return "on_pace"


def capacity_between(schedule: Schedule, first: date, last: date) -> float:
    """Planned study hours of the days in [first, last] (days off hold none)."""
    return sum(schedule.day_hours(day) for day in schedule.study_days(first, last))


def _outlook(plan: Plan, total: float, progress: _Progress, planned: float,
             as_of: date) -> dict:
    """What it takes to make the target: hours_per_week_needed over the capacity actually left
    (from the day after as-of to the end of the plan's last week, days off excluded, the buffer
    included), whether that is reachable, and whether the buffer left covers the hours behind."""
    schedule = plan.schedule
    resume = max(as_of + timedelta(days=1), plan.start)
    capacity_left = capacity_between(schedule, resume, schedule.week_end(plan.weeks))
    work = max(0.0, total - progress.earned)
    needed = (schedule.hours_per_week * work / capacity_left if capacity_left > _EPS
              else (0.0 if work <= _EPS else None))
    # nothing left to do is within reach, whenever it was done (the verdict says how it went);
    # else a rate replan would accept: no more than the study days hold
    reachable = progress.finished_on is not None or (
        needed is not None and needed <= most_hours_per_week(schedule.study_weekdays) + _EPS)
    behind = max(0.0, planned - progress.earned)
    buffer_left = (capacity_between(schedule, max(resume, plan.buffer.start), plan.buffer.end)
                   if plan.buffer else 0.0)
    return {"hours_per_week_needed": needed, "reachable": reachable, "hours_behind": behind,
            "buffer_covers": behind > _EPS and buffer_left >= behind - _EPS}


def _forecast(plan: Plan, log: list[tuple[date, float]], progress: _Progress, total: float,
              as_of: date, plan_id: str) -> Forecast:
    """The finish at the pace of the user's own recent weeks (forecast.py); a gap of up to a
    week's planned hours between logged and earned hours is taken as noise, not as pace."""
    share = _fast_day_share(plan.schedule)
    days_off = plan.schedule.days_off
    repeats_from = max([plan.schedule.segments[-1].first_day,
                        *(day + timedelta(days=1) for day in days_off)])
    return forecast(plan_id=plan_id, as_of=as_of, start=plan.start, target=plan.target,
                    history=week_history(log, plan.start, as_of, share),
                    hours_per_week=plan.hours_per_week,
                    work_left=work_left(total, progress.earned, progress.logged,
                                        noise=plan.hours_per_week),
                    day_share=share, repeats_from=repeats_from)


def _fast_day_share(schedule: Schedule):
    """Schedule.day_share, looked up by weekday from the last segment on (days off aside): the
    forecast asks it for every day up to ten years out."""
    last = schedule.segments[-1].first_day
    by_weekday: dict[int, float] = {}
    day = last
    while len(by_weekday) < 7:
        if day not in schedule.days_off:
            by_weekday.setdefault(day.weekday(), schedule.day_share(day))
        day += timedelta(days=1)
    off = schedule.days_off

    def share(day: date) -> float:
        if day < last or day in off:
            return schedule.day_share(day)
        return by_weekday[day.weekday()]

    return share


def _state_and_week(plan: Plan, current: TopicPlan | None, as_of: date) -> tuple[str, int]:
    if as_of < plan.start:
        return "not_started", 0
    week = min(plan.schedule.week_of(as_of), plan.weeks)
    if current is None:
        return "finished", week
    if as_of > plan.target:
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
