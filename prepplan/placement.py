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

The DPs take O(segments x units) time: a boundary's best predecessor comes from running or
sliding-window minima, never from rescanning all earlier boundaries (narrow windows use a
sparse table, a factor of at most log2(units) more).
"""

import math
from bisect import bisect_left, bisect_right
from itertools import accumulate, repeat
from operator import add, getitem, sub
from typing import NamedTuple

_EPS = 1e-9
# The range DP counts hours in integer quanta, so sums and ties are exact and a running
# minimum is well defined. Each unit's hours are rounded to quanta, then summed: segments
# with equal hours get equal quanta wherever they lie. 420 = lcm(1..7): hours of up to six
# decimals split over 1-7 days (H/7 a day, a day off, --days) are whole quanta, so hours
# equal in reals (3 days of 10/7 h, 2 of 15/7 h) are equal here too, float noise or not.
_QUANTA_PER_HOUR = 420 * 10**6


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

def _running_bests(costs: list[float]) -> list[float]:
    """Running best of `costs` by the old scan's rule: a later boundary replaces the best only
    when better by more than _EPS (so equal costs keep the earliest)."""
    best, eps = math.inf, _EPS
    return [(best := cost if cost < best - eps else best) for cost in costs]


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
        running = _running_bests(cost)
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


# ---------------------------------------------------------------- ranges

def place_within_ranges(unit_hours: list[float], targets: list[float],
                        mins: list[float] | None = None, maxs: list[float] | None = None, *,
                        last_fixed: bool) -> Placement:
    """`place_boundaries` (same `targets`: cumulative), keeping each segment's hours in its
    [min, max] range where whole units allow it.

    The placement minimises, in this order: the total hours outside the ranges
    (sum of max(0, min_i - h_i) + max(0, h_i - max_i)), the total cumulative mismatch, and
    then it is the earliest (the earliest last boundary, then the earliest one before it, ...,
    as `place_boundaries`). `outside` names every segment left outside its range, with its
    hours. With no ranges (None, or every range [0, inf]) the result is exactly
    `place_boundaries`'s. Hours are counted in exact quanta of 1/420e6 h (_QUANTA_PER_HOUR):
    a plan's hours (H, H/7 a day, a day off) sum and tie exactly whatever the float noise;
    other hours are off by at most half a quantum a unit.

    How: when `place_boundaries`'s own placement keeps every range it is the answer (nothing
    outside, least mismatch). Else an exact DP over (segment, boundary b) keyed
    outside * weight + mismatch, in integers; the weight exceeds any total mismatch, so the
    order is lexicographic. As cumulative hours never fall, the starts of a segment ending at
    b form three contiguous runs: too long (below too_long_below(b)), in range, too short
    (from too_short_from(b)). In each run the outside hours are affine in cumulative[start],
    so the best start is a prefix minimum of key - weight * cumulative, a window minimum of
    key, and a window minimum of key + weight * cumulative; both limits only grow with b, so
    the windows slide and a segment's minima cost O(units). A first pass allows only in-range
    segments, on the boundaries the sums of the ranges can reach; only when no placement keeps
    every range does the three-run DP run, on the boundaries whose lower bound on the key is
    at most the key of a known placement (no optimal placement is cut off): the better of
    `place_boundaries`'s and, when targets stray from the ranges, the one matching them
    moved into the ranges.
    """
    segments = len(targets)
    mins = [0.0] * segments if mins is None else [float(low) for low in mins]
    maxs = [math.inf] * segments if maxs is None else [float(high) for high in maxs]
    _check_ranges(targets, mins, maxs)
    boundaries = place_boundaries(unit_hours, targets, last_fixed)
    if all(low <= 0 for low in mins) and all(high == math.inf for high in maxs):
        return Placement(boundaries, [])
    row = _row(unit_hours, segments)
    problem = _quantize(unit_hours, targets, mins, maxs)
    if not _outside(unit_hours, problem, boundaries, mins, maxs):
        return Placement(boundaries, [])
    # a key below the weight has nothing outside: boundaries every range allows
    windows = _promising_windows(problem, row, last_fixed, problem.weight - 1)
    found = windows and _least_keys(problem, row, windows, last_fixed, in_range_only=True)
    if not found:
        bound = _key_of(problem, boundaries)
        in_range_targets = _clamped_targets(unit_hours, targets, mins, maxs, last_fixed)
        if in_range_targets:  # targets that stray from the ranges: a tighter bound
            closer = place_boundaries(unit_hours, in_range_targets, last_fixed)
            bound = min(bound, _key_of(problem, closer))
        windows = _promising_windows(problem, row, last_fixed, bound)
        found = _least_keys(problem, row, windows, last_fixed, in_range_only=False)
    return Placement(found, _outside(unit_hours, problem, found, mins, maxs))


def _clamped_targets(unit_hours: list[float], targets: list[float], mins: list[float],
                     maxs: list[float], last_fixed: bool) -> list[float] | None:
    """The cumulative targets with each segment's share (the step from the target before)
    moved into its range, all units' hours at a fixed end; None when every share is in."""
    steps = list(map(sub, targets, [0.0, *targets[:-1]]))
    clamped = [min(max(step, low), high) for step, low, high in zip(steps, mins, maxs)]
    if clamped == steps:
        return None
    cumulative = list(accumulate(clamped))
    if last_fixed:
        cumulative[-1] = sum(unit_hours)
    return cumulative


def _check_ranges(targets: list[float], mins: list[float], maxs: list[float]) -> None:
    if len(mins) != len(targets) or len(maxs) != len(targets):
        raise ValueError("one [min, max] range per segment")
    if not all(math.isfinite(target) for target in targets):
        raise ValueError("targets must be finite hours")
    for low, high in zip(mins, maxs):
        if math.isnan(low) or math.isnan(high) or not low <= high or high < 0 \
                or low == math.inf:
            raise ValueError(f"not a range of hours: [{low}, {high}]")


class _Problem(NamedTuple):
    """A range placement in integer quanta of hours: sums and ties are exact."""

    cumulative: list[int]
    mins: list[int]
    maxs: list[int]  # capped where they could never bind (a segment holds at most the total)
    targets: list[int]
    weight: int  # an outside quantum outweighs any total mismatch
    weighted: list[int]  # weight * cumulative
    infinity: int  # above every reachable key, even shifted by weight * cumulative


def _quanta(hours: float) -> int:
    return round(hours * _QUANTA_PER_HOUR)


def _quantize(unit_hours: list[float], targets: list[float], mins: list[float],
              maxs: list[float]) -> _Problem:
    cumulative = [0, *accumulate(_quanta(hours) for hours in unit_hours)]
    total = cumulative[-1]
    lows = [max(0, _quanta(low)) for low in mins]
    highs = [max(total, low) if high == math.inf else min(_quanta(high), max(total, low))
             for low, high in zip(lows, maxs)]
    goals = [_quanta(target) for target in targets]
    segments = len(goals)
    weight = segments * (total + max(map(abs, goals), default=0)) + 1
    most_outside = segments * (total + max(lows, default=0))
    scale = max(weight, most_outside + 1)
    return _Problem(cumulative, lows, highs, goals, weight,
                    [weight * hours for hours in cumulative],
                    8 * (segments + 1) * scale * scale)


def _outside(unit_hours: list[float], problem: _Problem, boundaries: list[int],
             mins: list[float], maxs: list[float]) -> list[OutsideRange]:
    outside = []
    previous = 0
    for segment, end in enumerate(boundaries):
        held = problem.cumulative[end] - problem.cumulative[previous]
        if not problem.mins[segment] <= held <= problem.maxs[segment]:
            outside.append(OutsideRange(segment, sum(unit_hours[previous:end]),
                                        mins[segment], maxs[segment]))
        previous = end
    return outside


def _key_of(problem: _Problem, boundaries: list[int]) -> int:
    """The DP's key of a placement: hours outside * weight + total mismatch, in quanta."""
    cumulative, key, previous = problem.cumulative, 0, 0
    for segment, end in enumerate(boundaries):
        held = cumulative[end] - cumulative[previous]
        outside = (max(0, problem.mins[segment] - held)
                   + max(0, held - problem.maxs[segment]))
        key += outside * problem.weight + abs(cumulative[end] - problem.targets[segment])
        previous = end
    return key


def _promising_windows(problem: _Problem, row: _Row, last_fixed: bool,
                       bound: int) -> list[tuple[int, int]] | None:
    """Per segment count i, the boundaries b whose lower bound on the key of any placement
    through them is at most `bound`; None when some i has none.

    The lower bound: the first i segments hold cumulative[b] hours, so they lie outside their
    ranges by at least the shortfall below the sum of their minima, or the excess over the sum
    of their maxima; the same for the segments after b; plus the mismatch at b. It is convex
    in cumulative[b], so the boundaries it admits form one run: bisect on each side of a
    least boundary, which lies next to a kink."""
    least_before = [0, *accumulate(problem.mins)]
    most_before = [0, *accumulate(problem.maxs)]
    windows = [(0, 0)]
    for i in range(1, len(problem.mins) + 1):
        lower_bound = _LowerBound(problem, least_before, most_before, i, last_fixed)
        first, last = row.windows[i]
        candidates = {first, last}
        for kink in lower_bound.kinks:
            at = bisect_left(problem.cumulative, kink, first, last + 1)
            candidates.update(b for b in (at - 1, at) if first <= b <= last)
        least = min(sorted(candidates), key=lower_bound)
        if lower_bound(least) > bound:
            return None
        boundaries = range(first, last + 1)
        admitted_from = bisect_left(boundaries, True, 0, least - first,
                                    key=lambda b: lower_bound(b) <= bound)
        refused_from = bisect_left(boundaries, True, least - first, len(boundaries),
                                   key=lambda b: lower_bound(b) > bound)
        windows.append((first + admitted_from, first + refused_from - 1))
    return windows


class _LowerBound:
    """Least key of a placement whose i-th segment ends at boundary b (see _promising_windows)."""

    def __init__(self, problem: _Problem, least_before: list[int], most_before: list[int],
                 i: int, last_fixed: bool):
        self.cumulative, self.weight = problem.cumulative, problem.weight
        self.total = problem.cumulative[-1]
        self.least_before, self.most_before = least_before[i], most_before[i]
        self.least_after = least_before[-1] - least_before[i]
        # with a free end the later segments may stop early: no excess is forced on them
        self.most_after = most_before[-1] - most_before[i] if last_fixed else math.inf
        self.target = problem.targets[i - 1]
        self.kinks = [self.least_before, self.most_before, self.total - self.least_after,
                      self.target] + ([self.total - self.most_after] if last_fixed else [])

    def __call__(self, b: int) -> int:
        before = self.cumulative[b]
        after = self.total - before
        outside = (max(0, self.least_before - before) + max(0, before - self.most_before)
                   + max(0, self.least_after - after) + max(0, after - self.most_after))
        return outside * self.weight + abs(before - self.target)


def _least_keys(problem: _Problem, row: _Row, windows: list[tuple[int, int]],
                last_fixed: bool, in_range_only: bool) -> list[int] | None:
    """The DP over (segment, boundary) keyed outside * weight + mismatch; the boundaries of
    the least key (earliest on ties), or None when no boundary is reachable (only possible
    with `in_range_only`: only moves that keep the segment in range)."""
    units = len(row.stops) - 1
    keys = [0] + [problem.infinity] * units  # no segment yet: only boundary 0
    keys_before = []  # keys_before[s]: the keys of the boundary segment s starts from
    for segment in range(len(problem.targets)):
        keys_before.append(keys)
        first, last = windows[segment + 1]
        if segment == len(problem.targets) - 1 and last_fixed:
            first = units
        if first > last:
            return None
        keys = _segment_keys(problem, row.stops, keys, windows[segment], segment, first, last,
                             in_range_only)
        if min(keys[first:last + 1]) >= problem.infinity // 2:
            return None  # no boundary of this segment is reachable
    end = keys.index(min(keys))
    boundaries = [end]
    for segment in range(len(problem.targets) - 1, 0, -1):
        end = _best_start(problem, row.stops, keys_before[segment], windows[segment], segment,
                          end, in_range_only)
        boundaries.append(end)
    return boundaries[::-1]


def _segment_keys(problem: _Problem, stops: list[int], keys: list[int],
                  starts: tuple[int, int], segment: int, first: int, last: int,
                  in_range_only: bool) -> list[int]:
    """Least key of every boundary b in [first, last] as the end of `segment`, given `keys`
    of the boundaries it may start from (infinity outside the window `starts`); one key per
    boundary 0..units (infinity outside [first, last])."""
    infinity, weight, cumulative = problem.infinity, problem.weight, problem.cumulative
    low, high = problem.mins[segment], problem.maxs[segment]
    lowest, highest = starts
    start_keys = keys[lowest:highest + 1]
    weighted_starts = problem.weighted[lowest:highest + 1]
    ends = cumulative[first:last + 1]
    weighted_ends = problem.weighted[first:last + 1]
    # every run of starts lies in [lowest, cap) (cap: a unit with hours must follow the start);
    # the run limits below count from `lowest`
    caps = [stop if stop <= highest + 1 else highest + 1 for stop in stops[first:last + 1]]
    cap = [stop - lowest if stop > lowest else 0 for stop in caps]
    # starts before `too_long_below` make the segment longer than its max, starts from
    # `too_short_from` shorter than its min
    too_long_below = (_run_limits(bisect_left, cumulative, ends, high, lowest, caps)
                      if high < cumulative[-1] else [0] * len(ends))
    too_short_from = (_run_limits(bisect_right, cumulative, ends, low, lowest, caps)
                      if low > 0 else cap)
    best = _window_minima(start_keys, too_long_below, too_short_from, infinity)
    if not in_range_only and high < cumulative[-1]:
        # too long by h - max: (key - weight * cum[start]) + weight * (cum[b] - max)
        least = [infinity, *_prefix_minima(map(sub, start_keys, weighted_starts), infinity)]
        too_long = map(add, map(least.__getitem__, too_long_below),
                       map(sub, weighted_ends, repeat(weight * high)))
        best = [x if x <= y else y for x, y in zip(best, too_long)]
    if not in_range_only and low > 0:
        # too short by min - h: (key + weight * cum[start]) + weight * (min - cum[b])
        shifted = list(map(add, start_keys, weighted_starts))
        too_short = map(add, _window_minima(shifted, too_short_from, cap, infinity),
                        map(sub, repeat(weight * low), weighted_ends))
        best = [x if x <= y else y for x, y in zip(best, too_short)]
    target = problem.targets[segment]
    result = [infinity] * first
    result += [key + (end - target if end > target else target - end)
               for key, end in zip(best, ends)]
    result += [infinity] * (len(keys) - 1 - last)
    return result


def _run_limits(search, cumulative: list[int], ends: list[int], hours: int, lowest: int,
                caps: list[int]) -> list[int]:
    """For each end, search(cumulative, end - hours) within [lowest, its cap), less lowest."""
    found = map(search, repeat(cumulative), map(sub, ends, repeat(hours)), repeat(lowest), caps)
    return list(map(sub, found, repeat(lowest)))


def _best_start(problem: _Problem, stops: list[int], keys: list[int], starts: tuple[int, int],
                segment: int, end: int, in_range_only: bool) -> int:
    """The start of `segment` that gave boundary `end` its key: the least key of the three runs
    again, by plain scans this once, earliest on ties."""
    cumulative, weighted, weight = problem.cumulative, problem.weighted, problem.weight
    low, high = problem.mins[segment], problem.maxs[segment]
    lowest = starts[0]
    cap = max(lowest, min(stops[end], starts[1] + 1))
    too_long_below = bisect_left(cumulative, cumulative[end] - high, lowest, cap)
    too_short_from = bisect_right(cumulative, cumulative[end] - low, lowest, cap)
    # (first start of the run, what its keys lack of the segment's key, the run's keys)
    runs = [(too_long_below, 0, keys[too_long_below:too_short_from])]
    if not in_range_only:
        runs.append((lowest, weight * (cumulative[end] - high),
                     list(map(sub, keys[lowest:too_long_below],
                              weighted[lowest:too_long_below]))))
        runs.append((too_short_from, weight * (low - cumulative[end]),
                     list(map(add, keys[too_short_from:cap], weighted[too_short_from:cap]))))
    candidates = []
    for first, lacking, run_keys in runs:
        if run_keys:
            least = min(run_keys)
            candidates.append((least + lacking, first + run_keys.index(least)))
    return min(candidates)[1]


# ---------------------------------------------------------------- the regimes

def fewest_weeks_for_maxima(unit_hours: list[float], maxs: list[float]) -> list[int] | None:
    """The buffer regime's placement: each phase in turn takes the fewest whole units whose
    capacity holds its maximum (and one with hours at least). Returns the boundaries, or None
    when they do not fit in the units. Taking the fewest for each phase in turn is the fewest
    for all: a phase that starts later never ends sooner."""
    boundaries = []
    end = 0
    for ceiling in maxs:
        held, productive = 0.0, False
        while held < ceiling - _EPS or not productive:
            if end == len(unit_hours):
                return None
            held += unit_hours[end]
            productive = productive or unit_hours[end] > _EPS
            end += 1
        boundaries.append(end)
    return boundaries


def fit_phases(unit_hours: list[float], mins: list[float], maxs: list[float]
               ) -> PhaseFit | None:
    """SPEC.md's three regimes over a row of weekly units, phase efforts in [mins, maxs] hours.

    - None (infeasible): the units hold less than the minima, or fewer units have hours than
      there are phases.
    - stretch (capacity within [sum of minima, sum of maxima]): one stretch factor t; every
      unit used; each phase's hours within its range wherever whole units allow it, else
      outside by the fewest hours in all; then boundaries where cumulative capacity best
      matches the cumulative efforts min + t * (max - min).
    - buffer (more capacity): every phase on the fewest whole units that hold its maximum,
      the units after them left for the final block. When those do not fit, every unit is
      used and the phases fall short of their maxima by the fewest hours in all (the ranges
      are then [max, inf)); `outside` names the phases short of their maximum.
    `outside` always reports a phase with its own [min, max].
    """
    capacity = sum(unit_hours)
    productive = sum(1 for hours in unit_hours if hours > _EPS)
    if capacity < sum(mins) - _EPS or productive < len(mins):
        return None
    if capacity <= sum(maxs) + _EPS:
        span = sum(maxs) - sum(mins)
        stretch = (capacity - sum(mins)) / span if span > _EPS else 1.0
        efforts = [low + stretch * (high - low) for low, high in zip(mins, maxs)]
        targets = list(accumulate(efforts))
        if targets:
            targets[-1] = capacity  # the phases fill every unit
        placement = place_within_ranges(unit_hours, targets, mins, maxs, last_fixed=True)
        return PhaseFit("stretch", stretch, placement.boundaries, placement.outside)
    boundaries = fewest_weeks_for_maxima(unit_hours, maxs)
    if boundaries is not None:
        return PhaseFit("buffer", 1.0, boundaries, [])
    targets = list(accumulate(maxs))
    targets[-1] = capacity
    placement = place_within_ranges(unit_hours, targets, maxs, [math.inf] * len(maxs),
                                    last_fixed=True)
    outside = [short._replace(min=mins[short.segment], max=maxs[short.segment])
               for short in placement.outside]
    return PhaseFit("buffer", 1.0, placement.boundaries, outside)


# ---------------------------------------------------------------- window minima

def _prefix_minima(values, infinity: int) -> list[int]:
    least = infinity
    return [(least := value if value < least else least) for value in values]


# Narrow windows: a few table levels beat a batch per few windows; wide ones the reverse.
_SPARSE_UP_TO_MEAN_WIDTH = 16


def _window_minima(keys: list[int], starts: list[int], stops: list[int],
                   infinity: int) -> list[int]:
    """min(keys[start:stop]) for each window (infinity when empty); starts and stops never
    decrease. Short windows: a sparse table as deep as the longest; long ones: batches."""
    if not starts:
        return []
    if sum(stops) - sum(starts) <= _SPARSE_UP_TO_MEAN_WIDTH * len(starts):
        return _sparse_window_minima(keys, starts, stops, infinity)
    return _batched_window_minima(keys, starts, stops, infinity)


def _sparse_window_minima(keys: list[int], starts: list[int], stops: list[int],
                          infinity: int) -> list[int]:
    """tables[k][x] = min(keys[x:x + 2**(k-1)]); a window is two overlapping entries of the
    table for its width's bit length (0: the empty window). O(n log(longest window))."""
    longest = max(map(sub, stops, starts))
    tables = [keys]
    while 2 ** len(tables) <= longest:
        table, width = tables[-1], 2 ** (len(tables) - 1)
        tables.append([x if x <= y else y for x, y in zip(table, table[width:])])
    # indexed by the bit length of a window's width: 0 is the empty window
    widths = [0] + [2 ** level for level in range(len(tables))]
    tables.insert(0, [infinity] * (len(keys) + 1))
    bits = list(map(int.bit_length, map(sub, stops, starts)))
    chosen = list(map(tables.__getitem__, bits))
    heads = map(getitem, chosen, starts)
    tails = map(getitem, chosen, map(sub, stops, map(widths.__getitem__, bits)))
    return [x if x <= y else y for x, y in zip(heads, tails)]


def _batched_window_minima(keys: list[int], starts: list[int], stops: list[int],
                           infinity: int) -> list[int]:
    """A two-stack queue in batches: the last position p of a batch's first window lies in
    every window of the batch (starts never pass it, stops never fall below it), so each window
    is min(suffix minimum from its start to p, prefix minimum from p to its end). Every key
    enters one suffix run and at most two prefix runs: O(n) in all."""
    from_start = [infinity] * len(keys)  # suffix minima up to the batch's p
    to_stop = [infinity] * len(keys)  # prefix minima from the batch's p
    minima = []
    window = 0
    while window < len(starts):
        start, stop = starts[window], stops[window]
        if start >= stop:
            minima.append(infinity)
            window += 1
            continue
        batch_end = bisect_left(starts, stop, window)  # windows starting at or before p
        from_start[start:stop] = _prefix_minima(reversed(keys[start:stop]), infinity)[::-1]
        to_stop[stop - 1:stops[batch_end - 1]] = _prefix_minima(
            keys[stop - 1:stops[batch_end - 1]], infinity)
        heads = map(from_start.__getitem__, starts[window:batch_end])
        tails = map(to_stop.__getitem__, map(sub, stops[window:batch_end], repeat(1)))
        minima += [x if x <= y else y for x, y in zip(heads, tails)]
        window = batch_end
    return minima
