"""Pure re-allocation around progress (SPEC.md, "Replan").

Finished phases stay where they happened and done topics keep their dates (a topic done before
its planned days moves back to as-of). A phase with undone topics gets its effort range scaled
by their weight share, less the partial credit already earned on the current topic; that credit
is booked as planned on as-of, so the new version starts on pace. The stretch/buffer/infeasible
rules and boundary placement are those of `allocate`.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import TYPE_CHECKING, NamedTuple

from .allocate import (_buffer, _phase, _refuse, check_hours, check_target, lay_out,
                       out_of_range, target_window)
from .errors import RefusedError, UsageError
from .mocks import kept_mocks
from .model import (PARTIAL_CREDIT_CAP, Plan, Schedule, Segment, TopicPlan, expand_ranges,
                    partial_credit)
from .placement import fit_phases

if TYPE_CHECKING:
    from .curriculum import Curriculum

_EPS = 1e-9


class _Progress(NamedTuple):
    """Where the user stands on as-of, in the terms of the previous version."""

    done_ids: frozenset[str]
    current_phase: int  # index of the first phase with an undone topic
    # index of the phase the replan resumes in: the last one begun on its planned dates with a
    # topic done, if that lies past current_phase (topics done out of order), else current_phase
    resume_phase: int
    beyond_done: float  # logged hours not covered by done topics
    partial: float  # the partial credit earned on the current topic


def replan(curriculum: Curriculum, previous: Plan, done: dict[str, date], logged: float,
           as_of: date, *, hours_per_week: float, target: date,
           study_weekdays: tuple[int, ...], skip_ranges: tuple[tuple[date, date], ...],
           session_time: time | None,
           weekday_times: tuple[tuple[int, time], ...] = ()) -> Plan:
    """Re-allocate the not-done topics over the weeks from the day after `as_of` to `target`.
    `done` and `logged` are the progress as of `as_of`."""
    _check_replan(curriculum, previous, as_of, hours_per_week, study_weekdays, target)
    resume = as_of + timedelta(days=1)
    schedule = _replan_schedule(previous, resume, hours_per_week, study_weekdays, skip_ranges,
                                target)
    progress = _progress(curriculum, previous, done, logged, as_of)
    old_topics = {topic.id: topic for topic in previous.topics}
    behind_weeks = _behind_phase_weeks(curriculum, previous, progress, schedule.week_of(resume))
    last_week = behind_weeks[-1][2] if behind_weeks else 0
    remaining = curriculum.phases[progress.resume_phase:]
    first_unit_week = max(schedule.week_of(resume), last_week + 1)
    unit_hours = [sum(schedule.day_hours(day) for day in schedule.week_days(week)
                      if day >= resume) for week in range(first_unit_week, schedule.weeks + 1)]
    min_efforts, max_efforts = _remaining_efforts(curriculum, remaining, progress)
    fit = fit_phases(unit_hours, min_efforts, max_efforts)
    if fit is None:
        earliest = _earliest_target(curriculum, previous, schedule, first_unit_week, resume,
                                    min_efforts)
        raise _refuse(curriculum, previous.start, unit_hours, min_efforts, hours_per_week,
                      target, more=schedule, remaining=True, earliest=earliest)
    relaid: dict[str, TopicPlan] = {}
    later, first_week = [], last_week + 1
    previous_boundary = 0
    for index, (spec, boundary) in enumerate(zip(remaining, fit.boundaries)):
        last_week = first_unit_week + boundary - 1
        capacity = sum(unit_hours[previous_boundary:boundary])
        credit = progress.partial if index == 0 else 0.0
        topics = (_left_behind(curriculum, progress) if index == 0 else []) + [spec]
        relaid.update(_relay(topics, schedule, first_week, last_week, capacity + credit,
                             progress, as_of, first=index == 0))
        later.append((spec, first_week, last_week))
        first_week, previous_boundary = last_week + 1, boundary
    phases = tuple(_phase(spec, schedule, first, last,
                          tuple(relaid.get(t.id) or _kept(old_topics[t.id], as_of)
                                for t in spec.topics))
                   for spec, first, last in behind_weeks + later)
    return Plan(roadmap=curriculum.title, description=curriculum.description, schedule=schedule,
                target=target, reference_hours_per_week=curriculum.reference_hours_per_week,
                regime=fit.regime, stretch=fit.stretch, phases=phases,
                buffer=_buffer(curriculum, schedule, first_week), session_time=session_time,
                skip_ranges=tuple(skip_ranges), replanned_on=as_of, weekday_times=weekday_times,
                outside_range=out_of_range(remaining, fit),
                loop=curriculum.loop, kept_mocks=kept_mocks(previous, as_of))


def _check_replan(curriculum: Curriculum, previous: Plan, as_of: date, hours_per_week: float,
                  study_weekdays: tuple[int, ...], target: date) -> None:
    check_hours(hours_per_week, study_weekdays)
    start = previous.start
    if as_of < start:
        raise UsageError(f"--as-of {as_of.isoformat()} is before the plan starts "
                         f"({start.isoformat()}): nothing to replan yet")
    if target <= as_of + timedelta(days=1):
        raise UsageError(f"target {target.isoformat()} leaves no study time after "
                         f"{as_of.isoformat()}: give a later --target")
    if target < target_window(curriculum, start)[0]:
        check_target(curriculum, start, target)  # a replan may go past the window, not before


def earliest_target(curriculum: Curriculum, previous: Plan, done: dict[str, date],
                    logged: float, as_of: date, *, hours_per_week: float,
                    study_weekdays: tuple[int, ...],
                    skip_ranges: tuple[tuple[date, date], ...]) -> date:
    """The earliest target `replan` accepts at these hours from the day after `as_of`: what its
    infeasible answer names, and what `status` names when the target is out of reach."""
    resume = as_of + timedelta(days=1)
    schedule = _replan_schedule(previous, resume, hours_per_week, study_weekdays, skip_ranges,
                                resume)
    progress = _progress(curriculum, previous, done, logged, as_of)
    behind_weeks = _behind_phase_weeks(curriculum, previous, progress, schedule.week_of(resume))
    last_week = behind_weeks[-1][2] if behind_weeks else 0
    min_efforts, _ = _remaining_efforts(curriculum, curriculum.phases[progress.resume_phase:],
                                        progress)
    return _earliest_target(curriculum, previous, schedule,
                            max(schedule.week_of(resume), last_week + 1), resume, min_efforts)


def _earliest_target(curriculum: Curriculum, previous: Plan, schedule: Schedule,
                     first_unit_week: int, resume: date, min_efforts: list[float]) -> date:
    """The first plan week end (+1 day: T, with W = (T - S) // 7) by which the weeks from
    `first_unit_week` hold the minimum effort left and a study week for every phase left; never
    before the roadmap's window opens."""
    needed, week, capacity, productive = sum(min_efforts), first_unit_week - 1, 0.0, 0
    while capacity < needed - _EPS or productive < len(min_efforts):
        week += 1
        hours = sum(schedule.day_hours(day) for day in schedule.week_days(week)
                    if day >= resume)
        capacity, productive = capacity + hours, productive + (hours > _EPS)
    return max(schedule.week_start(week + 1), target_window(curriculum, previous.start)[0])


def _replan_schedule(previous: Plan, resume: date, hours_per_week: float,
                     study_weekdays: tuple[int, ...], skip_ranges: tuple[tuple[date, date], ...],
                     target: date) -> Schedule:
    """The days before `resume` keep the segments they were planned with; a new one begins."""
    start = previous.start
    segments = tuple(s for s in previous.schedule.segments if s.first_day < resume)
    segments += (Segment(resume, hours_per_week, tuple(sorted(set(study_weekdays)))),)
    return Schedule(start=start, weeks=(target - start).days // 7, segments=segments,
                    days_off=expand_ranges(skip_ranges))


def _progress(curriculum: Curriculum, previous: Plan, done: dict[str, date], logged: float,
              as_of: date) -> _Progress:
    old_topics = {topic.id: topic for topic in previous.topics}
    done_ids = frozenset(topic_id for topic_id, day in done.items()
                         if day <= as_of and topic_id in old_topics)
    specs = curriculum.phases
    current_phase = next((index for index, phase in enumerate(specs)
                          if any(t.id not in done_ids for t in phase.topics)), None)
    if current_phase is None:
        raise RefusedError("every topic is done: nothing to replan")
    old_starts = {phase.id: phase.start for phase in previous.phases}
    # the last phase begun by its planned start with a topic done: phases before it are behind
    # the user, whatever is left of them (a phase done ahead of its dates does not count)
    resume_phase = max([current_phase] + [
        index for index, phase in enumerate(specs)
        if old_starts[phase.id] <= as_of and any(t.id in done_ids for t in phase.topics)])
    current_topic = next(t for t in specs[current_phase].topics if t.id not in done_ids)
    done_hours = sum(old_topics[topic_id].hours for topic_id in done_ids)
    current_hours = old_topics[current_topic.id].hours if current_topic.id in old_topics else 0
    beyond_done = max(0.0, logged - done_hours)
    return _Progress(done_ids, current_phase, resume_phase, beyond_done,
                     partial_credit(beyond_done, current_hours))


def _kept(old: TopicPlan, as_of: date) -> TopicPlan:
    """A done topic as it was planned, moved back to as-of if planned after it."""
    if old.end <= as_of:
        return old._replace(carried_hours=0.0, carried_on=None)
    return old._replace(start=min(old.start, as_of), end=as_of, carried_hours=0.0,
                        carried_on=None)


def _behind_phase_weeks(curriculum: Curriculum, previous: Plan, progress: _Progress,
                        resume_week: int) -> list[tuple]:
    """(spec, first week, last week) of the phases before the one the replan resumes in: where
    they happened, kept contiguous, ending before the resume week."""
    old_phases = {phase.id: phase for phase in previous.phases}
    weeks, last_week = [], 0
    for spec in curriculum.phases[:progress.resume_phase]:
        first_week = last_week + 1
        last_week = max(first_week, min(old_phases[spec.id].last_week, resume_week - 1))
        weeks.append((spec, first_week, last_week))
    return weeks


def _left_behind(curriculum: Curriculum, progress: _Progress) -> list:
    """The phases before the resume phase that still have undone topics (done out of order):
    their undone topics are re-laid first in the resume phase's weeks."""
    return [spec for spec in curriculum.phases[:progress.resume_phase]
            if any(t.id not in progress.done_ids for t in spec.topics)]


def _undone_share(spec, progress: _Progress) -> float:
    return (sum(t.weight for t in spec.topics if t.id not in progress.done_ids)
            / sum(t.weight for t in spec.topics))


def _remaining_efforts(curriculum: Curriculum, remaining, progress: _Progress
                       ) -> tuple[list[float], list[float]]:
    """Each remaining phase's range scaled by the weight share of its undone topics; the first
    one plus the phases left behind, less the partial credit already earned."""
    reference = curriculum.reference_hours_per_week
    min_efforts, max_efforts = [], []
    for index, spec in enumerate(remaining):
        # the resume phase also carries what is left of the phases behind it
        specs = (_left_behind(curriculum, progress) if index == 0 else []) + [spec]
        credit = progress.partial if index == 0 else 0.0
        min_effort = sum(reference * s.min_weeks * _undone_share(s, progress) for s in specs)
        max_effort = sum(reference * s.max_weeks * _undone_share(s, progress) for s in specs)
        min_efforts.append(max(0.0, min_effort - credit))
        max_efforts.append(max(0.0, max_effort - credit))
    return min_efforts, max_efforts


def _holding_the_credit(totals: list[float], credit: float) -> list[float]:
    """The topics' hours, the first (the current topic) made large enough for status to credit
    it the `credit` earned before the replan (partial credit is capped at a share of a topic's
    hours); the others give up the difference in proportion. A shorter phase would otherwise
    shrink the current topic below its credit: earned hours would drop at the replan and the
    lost credit would be planned again, over the phase's capacity. The others keep at least
    half their hours, and a topic alone in what is left of its phase has only the phase's:
    when the phase's weeks hold less (the rest of a week, say), the credit it cannot hold is
    lost. Twice the credit's uncapped hours are always enough."""
    short = credit / PARTIAL_CREDIT_CAP - totals[0]
    rest = sum(totals[1:])
    if short <= 0 or rest <= 0:
        return totals
    moved = min(short, rest / 2)  # the others keep study time (in practice: all of `short`)
    return [totals[0] + moved] + [total * (1 - moved / rest) for total in totals[1:]]


def _relay(specs, schedule: Schedule, first_week: int, last_week: int, to_share: float,
           progress: _Progress, as_of: date, first: bool) -> dict[str, TopicPlan]:
    """The undone topics of `specs`, in order, laid out from the day after as-of in the weeks
    given; they share `to_share` hours by their part of their phase's minimum effort (by
    weight, within one phase)."""
    resume = as_of + timedelta(days=1)
    undone = [(spec, t) for spec in specs for t in spec.topics
              if t.id not in progress.done_ids]
    if not undone:  # a finished phase: its topics stay where they happened
        return {}
    shares = [spec.min_weeks * t.weight / sum(u.weight for u in spec.topics)
              for spec, t in undone]
    totals = [to_share * share / sum(shares) for share in shares]
    if first:
        totals = _holding_the_credit(totals, progress.partial)
    # carry exactly what status will credit on the new, resized topic: the new plan then starts
    # with PV(as-of) = EV
    carried = ([partial_credit(progress.beyond_done, totals[0]) if first else 0.0]
               + [0.0] * (len(undone) - 1))
    needs = [total - carry for total, carry in zip(totals, carried)]
    laid = lay_out(schedule, [t for _, t in undone], needs,
                   max(resume, schedule.week_start(first_week)), schedule.week_end(last_week),
                   carried=carried, carried_on=as_of)
    return {topic.id: topic for topic in laid}
