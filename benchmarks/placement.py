"""Placement speed on a 5-year daily plan: 1,826 study days of 10/7 h, 500 topics of weights
1-5 (SPEC.md "Allocation": a 5-year daily plan of 500 topics allocates in well under a second).

    python benchmarks/placement.py              # best of 5 runs per case
    python benchmarks/placement.py --repeat 1   # one run each (used by the tests)

Each line: the case, the best wall time in seconds, and how many segments end up outside
their range (a check that the case does what its name says).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from prepplan.placement import fit_phases, place_boundaries, place_within_ranges  # noqa: E402

DAYS = (date(2031, 12, 7) - date(2026, 12, 7)).days  # 1,826
TOPICS = 500


def five_year_plan():
    """Day hours, each topic's share of them by weight, the cumulative shares."""
    day_hours = [10 / 7] * DAYS
    weights = [1 + (topic * 7) % 5 for topic in range(TOPICS)]
    shares = [sum(day_hours) * weight / sum(weights) for weight in weights]
    return day_hours, shares, list(accumulate(shares))


def cases():
    """(name, function of no arguments returning the segments outside their range)."""
    day_hours, shares, cumulative = five_year_plan()
    even = [sum(day_hours) * (topic + 1) / TOPICS for topic in range(TOPICS)]

    def within(targets, low, high):
        return lambda: len(place_within_ranges(day_hours, targets, low, high,
                                               last_fixed=True).outside)

    return [
        ("place_boundaries (no ranges)",
         lambda: place_boundaries(day_hours, cumulative, True) and 0),
        ("place_within_ranges, ranges the matching keeps",
         within(cumulative, [0.5 * s for s in shares], [2 * s for s in shares])),
        ("place_within_ranges, ranges that bind, all can hold",
         within(even, [s - 1 for s in shares], [s + 1 for s in shares])),
        ("place_within_ranges, ranges whole days cannot hold",
         within(even, [0.9 * s for s in shares], [1.1 * s for s in shares])),
        ("fit_phases, stretch, 500 phases of +-10%",
         lambda: len(fit_phases(day_hours, [0.9 * s for s in shares],
                                [1.1 * s for s in shares]).outside)),
    ]


def best_time(function, repeat: int) -> tuple[float, int]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        outside = function()
        times.append(time.perf_counter() - began)
    return min(times), outside


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per case (best is shown)")
    options = parser.parse_args()
    print(f"{DAYS} days x {TOPICS} topics, best of {options.repeat}")
    for name, function in cases():
        seconds, outside = best_time(function, options.repeat)
        print(f"{name:<55} {seconds:6.3f} s   {outside:3d} outside")


if __name__ == "__main__":
    main()
