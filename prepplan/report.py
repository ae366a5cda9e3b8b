"""The status report's use case: the figures `prepplan status` shows as of a day, and the
inputs they come from. Apart from `app` so that a check-in loads only what its report needs;
the check-in's other steps (logging, ticking, the topics to offer) are in `app`.

The CLI hands in the day; nothing here reads the clock or the environment.
"""

from datetime import date
from typing import NamedTuple

from .model import Plan
from .store import PlanVersion, Store


class StatusInputs(NamedTuple):
    current: PlanVersion
    log: list[tuple[date, float]]
    marks: dict[str, date]
    first_plan: Plan | None  # version 1, after a replan: the chart keeps its planned line
    plan_name: str | None = None  # said only in a store of several plans


def status_inputs(store: Store) -> StatusInputs:
    current = store.require_current()
    log = [(entry.day, entry.hours) for entry in store.log_entries()]
    first = store.version(1).plan if current.version > 1 else None
    name = store.require_plan().name if len(store.plans()) > 1 else None
    return StatusInputs(current, log, store.marks(), first, name)


def status_figures(store: Store, as_of: date):
    """`status`: the figures as of `as_of` (pace.Status), and the inputs they came from. When
    the target is out of reach, the earliest target `replan` would accept at the current hours
    (the computation of replan's own infeasible answer)."""
    from .pace import compute_status

    inputs = status_inputs(store)
    current = inputs.current
    figures = compute_status(current.plan, inputs.log, inputs.marks, as_of,
                             plan_id=current.plan_id)
    if not figures.reachable and figures.state in ("in_progress", "past_target"):
        from .curriculum import parse_curriculum
        from .replan import earliest_target

        plan = current.plan
        curriculum = parse_curriculum(current.curriculum_text, current.curriculum_source)
        figures = figures._replace(earliest_target=earliest_target(
            curriculum, plan, inputs.marks, figures.logged_hours, as_of,
            hours_per_week=plan.hours_per_week, study_weekdays=plan.schedule.study_weekdays,
            skip_ranges=plan.skip_ranges))
    return with_practice(store, current, inputs.marks, figures), inputs


def with_practice(store: Store, current: PlanVersion, marks: dict[str, date], figures):
    """The status figures with each round's latest score and next mock, and the number of
    reviews due: counted from the stored due dates, so status never runs FSRS."""
    from .mocks import round_status
    from .review import count_due

    as_of = figures.as_of
    results = [(r.round, r.day, r.score) for r in store.mock_results(current.plan_id)]
    done = {topic_id for topic_id, day in marks.items() if day <= as_of}
    stored = [(r.topic_id, r.day, r.due) for r in store.reviews(current.plan_id)
              if r.topic_id in done]
    return figures._replace(mocks=tuple(round_status(current.plan, results, as_of)),
                            reviews_due=count_due(stored, as_of))
