"""Where segment boundaries fall on a row of units: phases on weeks, topics on study days.

Pure and standard-library only (it sits on the start-up path of `generate`). A row of units,
each with its hours, is cut into contiguous segments; a boundary is the number of units used
so far. SPEC.md, "Allocation", is the contract this serves:

- `place_boundaries`: boundaries where cumulative hours best match cumulative targets.
- `place_within_ranges`: the same, but first keeping each segment's hours in [min, max]
  where whole units allow it, and otherwise leaving the ranges by the fewest hours.
- `fewest_weeks_for_maxima`: the buffer regime's rule, every phase on the fewest whole units
  that hold its maximum.
- `fit_phases`: the three regimes (infeasible, stretch, buffer) in one call.

Every DP here is O(segments x units): a boundary's best predecessor comes from running or
sliding-window minima, never from rescanning all earlier boundaries.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from itertools import accumulate, repeat
from operator import add, getitem, sub
from typing import NamedTuple

_EPS = 1e-9
# Range DPs compare hours as integer multiples of this quantum: exact and transitive (so a
# running minimum is well defined), and as fine as the float code's _EPS tolerance.
_QUANTA_PER_HOUR = 10**9


class OutsideRange(NamedTuple):
    """A segment whose hours lie outside its [min, max] range."""

    segment: int  # 0-based index
    hours: float
    min: float
    max: float


class Placement(NamedTuple):
    boundaries: list[int]  # end of each segment, in units used so far
    outside: list[OutsideRange]  # empty when every segment holds its range


class PhaseFit(NamedTuple):
    regime: str  # "stretch" or "buffer"
    stretch: float  # t in [0, 1]; 1 in the buffer regime
    boundaries: list[int]  # end of each phase, in units; the units after the last: buffer
    outside: list[OutsideRange]  # phases outside their range, with their own [min, max]


# ---------------------------------------------------------------- the row of units

class _Row(NamedTuple):
    """Facts about a row of units that every DP needs, indexed by boundary b = 0..units."""

    cumulative: list[float]  # hours of units before b
    productive: list[int]  # how many units before b have hours
    stops: list[int]  # the boundary before b must lie below stops[b]: a unit with hours between
    windows: list[tuple[int, int]]  # per segment count i: the b that i segments can end on


def _row(unit_hours: list[float], segments: int) -> _Row:
    cumulative, productive, stops = [0.0], [0], [0]
    for index, hours in enumerate(unit_hours):
        cumulative.append(cumulative[-1] + hours)
        has_hours = hours > _EPS
        productive.append(productive[-1] + has_hours)
        stops.append(index + 1 if has_hours else stops[-1])
    if productive[-1] < segments:
        raise ValueError("fewer productive units than segments")
    spare = productive[-1] - segments
    # i segments end where i units with hours lie before and segments - i after
    windows = [(0, 0)] + [(bisect_left(productive, i), bisect_right(productive, spare + i) - 1)
                          for i in range(1, segments + 1)]
    return _Row(cumulative, productive, stops, windows)


# ---------------------------------------------------------------- mismatch only

def _keep_unless_better(best: float, candidate: float) -> float:
    """The old scan's rule: a later boundary replaces the best only when better by > _EPS."""
    return candidate if candidate < best - _EPS else best


def place_boundaries(unit_hours: list[float], cumulative_targets: list[float],
                     last_fixed: bool) -> list[int]:
    """Split a row of units (weeks or days) into len(targets) contiguous segments.

    Returns the end index (exclusive, i.e. units used so far) of each segment. Boundaries fall
    where the units' cumulative hours best match the cumulative targets (least total absolute
    mismatch, earliest on ties); every segment holds at least one unit with hours. With
    `last_fixed` the last segment ends at the last unit; otherwise it ends where it matches best
    and the units after it are left over. With equal units this is cumulative rounding.

    The DP of cost[i][b] = min over earlier boundaries of cost[i-1][prev], plus the mismatch at
    b. The earlier boundaries allowed for b form a prefix (they need a unit with hours before
    b) that only grows with b, so one running minimum per segment serves every b.
    """
    segments = len(cumulative_targets)
    row = _row(unit_hours, segments)
    if segments == 0:
        return [0]
    units = len(unit_hours)
    cost = [0.0]  # cost of the previous segment count, over its window
    running_bests = []  # per segment: running best cost over the previous window
    for i in range(1, segments + 1):
        previous_first = row.windows[i - 1][0]
        running = list(accumulate(cost, _keep_unless_better))
        running_bests.append(running)
        first, last = row.windows[i]
        if i == segments and last_fixed:
            first = units
        target = cumulative_targets[i - 1]
        ends = row.cumulative[first:last + 1]
        if i == 1:  # a single start, boundary 0
            cost = [running[0] + abs(end - target) for end in ends]
        else:
            last_allowed = [stop - 1 - previous_first for stop in row.stops[first:last + 1]]
            cost = [running[allowed] + abs(end - target)
                    for allowed, end in zip(last_allowed, ends)]
    first = row.windows[segments][0]
    if last_fixed:
        end = units
    else:
        end = first + min(range(len(cost)), key=lambda b: (round(cost[b], 9), b))
    return _trace_running_bests(row, running_bests, end)


def _trace_running_bests(row: _Row, running_bests: list[list[float]], end: int) -> list[int]:
    """Walk back from the last boundary: a running best was last replaced where it changed."""
    boundaries = [end]
    for i in range(len(running_bests), 1, -1):
        running = running_bests[i - 1]
        previous_first = row.windows[i - 1][0]
        at = min(row.stops[end] - 1, row.windows[i - 1][1]) - previous_first
        while at > 0 and running[at] == running[at - 1]:
            at -= 1
        end = previous_first + at
        boundaries.append(end)
    return boundaries[::-1]
