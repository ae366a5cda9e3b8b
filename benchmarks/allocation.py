"""Allocation time: allocating a 5-year plan of a 500-topic curriculum with daily study
(10 phases of 50 topics, every day a study day) must take well under a second (budget 1 s).

    python benchmarks/allocation.py            # median of 5 runs, with a verdict
    python benchmarks/allocation.py --quick    # one run, no verdict (used by the tests)

It times `prepplan.allocate.allocate` (phase boundaries on 260 weeks, then 50 topics on each
phase's days) and, apart, the plan's daily sessions.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date

BUDGET_SECONDS = 1.0
PHASES, TOPICS_PER_PHASE = 10, 50
START = date(2026, 12, 7)
MONTHS = 60


def curriculum_text() -> str:
    """10 phases of 20–30 weeks at 10 h/week, 50 topics each; a 1–72 month window."""
    lines = ['title = "Five years"', "reference_hours_per_week = 10", "min_months = 1",
             "max_months = 72"]
    for phase in range(1, PHASES + 1):
        topics = ", ".join(f'{{ title = "Topic {phase}.{topic}", weight = {1 + topic % 3} }}'
                           for topic in range(1, TOPICS_PER_PHASE + 1))
        lines += ["[[phases]]", f'id = "phase-{phase}"', f'title = "Phase {phase}"',
                  "min_weeks = 20", "max_weeks = 30", f"topics = [{topics}]"]
    return "\n".join(lines) + "\n"


def measure(runs: int) -> tuple[float, float, int]:
    """Median seconds of allocate and of the daily sessions over `runs` runs; sessions made."""
    from prepplan.allocate import allocate, target_from_months
    from prepplan.cadence import study_sessions
    from prepplan.curriculum import parse_curriculum

    curriculum = parse_curriculum(curriculum_text(), "five-years.toml")
    target = target_from_months(START, MONTHS)
    allocating, sessions = [], []
    for _ in range(runs):
        began = time.perf_counter()
        plan = allocate(curriculum, START, 10, target, study_weekdays=tuple(range(7)))
        allocating.append(time.perf_counter() - began)
        began = time.perf_counter()
        made = study_sessions(plan)
        sessions.append(time.perf_counter() - began)
    assert len(plan.topics) == PHASES * TOPICS_PER_PHASE and plan.weeks == 260
    return statistics.median(allocating), statistics.median(sessions), len(made)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run, no verdict")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    allocating, sessions, count = measure(runs)
    print(f"allocate, 500 topics, 260 weeks, daily: {allocating * 1000:7.1f} ms "
          f"(budget {BUDGET_SECONDS * 1000:.0f} ms)")
    print(f"daily sessions ({count}):               {sessions * 1000:7.1f} ms")
    print(f"median of {runs} run(s)")
    if args.quick:
        return 0
    within = allocating <= BUDGET_SECONDS
    print("within budget" if within else "OVER BUDGET")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
