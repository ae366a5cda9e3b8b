"""Pure allocation: curriculum + start/hours/target/study days/days off -> Plan.

Nothing here reads the clock, the environment or files. See the README, "How weeks are
allocated", for the model in words; SPEC.md ("Allocation") is the contract.
"""

from __future__ import annotations

import math
from datetime import date, time, timedelta
from typing import TYPE_CHECKING, NamedTuple

from .errors import RefusedError, UsageError
from .model import (MAX_HOURS_PER_STUDY_DAY, MAX_HOURS_PER_WEEK, WEEKDAY_NAMES, BufferPlan,
                    PhaseOutside, PhasePlan, Plan, Schedule, Segment, TopicPlan, expand_ranges,
                    most_hours_per_week)
from .placement import PhaseFit, fit_phases, place_boundaries
from .words import plural, tenths_up

if TYPE_CHECKING:  # the store loads plans without parsing a curriculum: keep it off that path
    from .curriculum import Curriculum

_EPS = 1e-9


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


def default_months(curriculum: Curriculum) -> int:
    """`--months` when neither it nor `--target` is given: the middle of the curriculum's month
    window, rounded down (8 for the bundled 6–10)."""
    return (curriculum.min_months + curriculum.max_months) // 2


def check_hours(hours: float, study_weekdays: tuple[int, ...] = ()) -> None:
    """0 < H ≤ 80, and no study day over 12 h (only a few study weekdays can get there)."""
    if not (hours > 0 and hours <= MAX_HOURS_PER_WEEK) or math.isnan(hours):
        raise UsageError(f"hours per week must be more than 0 and at most {MAX_HOURS_PER_WEEK}, "
                         f"not {hours:g}")
    days = len(set(study_weekdays)) or 7
    if hours > most_hours_per_week(study_weekdays) + _EPS:
        needed = math.ceil(hours / MAX_HOURS_PER_STUDY_DAY - _EPS)
        names = ",".join(WEEKDAY_NAMES[day] for day in sorted(set(study_weekdays)))
        raise UsageError(f"{hours:g} h/week on {days} study day{'s' if days > 1 else ''} "
                         f"(--days {names}) is {tenths_up(hours / days)} h a day, more "
                         f"than the {MAX_HOURS_PER_STUDY_DAY} h a study day holds: study on at "
                         f"least {needed} days a week")


# ---------------------------------------------------------------- allocation

class Infeasible(NamedTuple):
    """What it would take: the figures behind the infeasible message."""

    capacity: float
    needed: float
    hours_needed: float | None  # at this target; None when no hours fit (too few study weeks)
    earliest_target: date
    earliest_in_window: bool
    study_weeks: int = 0  # weeks with study time before the target
    phases: int = 0  # phases left, each needing a study week of its own


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
    if info.capacity >= info.needed - _EPS:  # the hours suffice: the weeks are the blocker
        return (f"too few study weeks: the {plural(info.phases, 'phase')} left need a study "
                f"week each, and only {plural(info.study_weeks, 'study week')} remain before "
                f"{target.isoformat()}; " + remedies[-1].removeprefix("or "))
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


def out_of_range(phases, fit: PhaseFit) -> tuple[PhaseOutside, ...]:
    """The phases `fit` left outside their ranges (whole weeks allowed no better), with their
    hours and ranges, for `show` to name."""
    return tuple(PhaseOutside(phases[miss.segment].number, miss.hours, miss.min, miss.max)
                 for miss in fit.outside)


def _refuse(curriculum: Curriculum, plan_start: date, unit_hours: list[float],
            min_efforts: list[float], hours_per_week: float, target: date, more: Schedule,
            remaining: bool = False, earliest: date | None = None) -> RefusedError:
    """The infeasible answer with both remedies: the hours per week that would fit, and the
    earliest target at these hours (`earliest` when given, else counting weeks of `more` from
    its start)."""
    _, window_end = target_window(curriculum, plan_start)
    capacity, needed = sum(unit_hours), sum(min_efforts)
    enough_weeks = sum(1 for hours in unit_hours if hours > _EPS) >= len(min_efforts)
    hours_needed = (math.ceil(needed / (capacity / hours_per_week) * 10 - _EPS) / 10
                    if enough_weeks and capacity > _EPS else None)
    if earliest is None:
        earliest = more.start + timedelta(days=7 * _earliest_weeks(more, needed,
                                                                   len(min_efforts)))
    info = Infeasible(capacity, needed, hours_needed, earliest, earliest <= window_end,
                      sum(1 for hours in unit_hours if hours > _EPS), len(min_efforts))
    return RefusedError(infeasible_message(info, hours_per_week, target, window_end, remaining))


def _phase(spec, schedule: Schedule, first_week: int, last_week: int,
           topics: tuple[TopicPlan, ...], hours: float | None = None) -> PhasePlan:
    return PhasePlan(
        number=spec.number, id=spec.id, title=spec.title, tagline=spec.tagline,
        level=spec.level, tools=spec.tools, first_week=first_week, last_week=last_week,
        start=schedule.week_start(first_week),
        end=schedule.week_end(last_week),
        hours=sum(topic.hours for topic in topics) if hours is None else hours, topics=topics)


def _buffer(curriculum: Curriculum, schedule: Schedule, first_week: int) -> BufferPlan | None:
    """The weeks after the last phase, if any."""
    if first_week > schedule.weeks:
        return None
    return BufferPlan(
        title=curriculum.buffer_title, description=curriculum.buffer_description,
        first_week=first_week, last_week=schedule.weeks, start=schedule.week_start(first_week),
        end=schedule.week_end(schedule.weeks))


def allocate(curriculum: Curriculum, start: date, hours_per_week: float, target: date, *,
             study_weekdays: tuple[int, ...] = (), skip_ranges: tuple[tuple[date, date], ...] = (),
             session_time: time | None = None,
             weekday_times: tuple[tuple[int, time], ...] = ()) -> Plan:
    """Lay the curriculum's phases over the weeks from `start` to `target` (SPEC: Allocation).

    Raises UsageError for a target outside the window or bad hours, RefusedError when the
    capacity cannot hold the minimum effort (with both remedies in the message).
    """
    check_hours(hours_per_week, study_weekdays)
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
    fit = fit_phases(week_hours, min_efforts, max_efforts)
    if fit is None:
        raise _refuse(curriculum, start, week_hours, min_efforts, hours_per_week, target,
                      more=schedule)

    phases = []
    first_week = 1
    for spec, last_week in zip(curriculum.phases, fit.boundaries):
        phase_hours = sum(week_hours[first_week - 1:last_week])
        phase_start = schedule.week_start(first_week)
        phase_end = schedule.week_end(last_week)
        topics = layout_topics(schedule, spec.topics, phase_start, phase_end, phase_hours)
        phases.append(_phase(spec, schedule, first_week, last_week, topics, phase_hours))
        first_week = last_week + 1
    return Plan(roadmap=curriculum.title, description=curriculum.description, schedule=schedule,
                target=target, reference_hours_per_week=reference, regime=fit.regime,
                stretch=fit.stretch, phases=tuple(phases),
                buffer=_buffer(curriculum, schedule, first_week), session_time=session_time,
                skip_ranges=tuple(skip_ranges), weekday_times=weekday_times,
                outside_range=out_of_range(curriculum.phases, fit),
                loop=curriculum.loop)


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
