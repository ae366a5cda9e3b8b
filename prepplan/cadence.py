"""When the user studies: timed study sessions and the weekly check-in days of a plan.

Pure: a Plan in, days and minutes out.
"""

from __future__ import annotations

import math
from datetime import date, time, timedelta
from typing import NamedTuple

from .model import PhasePlan, Plan, TopicPlan

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
