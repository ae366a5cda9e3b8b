"""Boundary placement (SPEC.md "Allocation"): the fast mismatch DP against the old quadratic
one, and hand-computed cases."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from prepplan.placement import place_boundaries

_EPS = 1e-9


def reference_place_boundaries(unit_hours, cumulative_targets, last_fixed):
    """The placement as it was before prepplan.placement (O(segments x units^2)), verbatim."""
    segments = len(cumulative_targets)
    units = len(unit_hours)
    cumulative = [0.0]
    productive = [0]
    for hours in unit_hours:
        cumulative.append(cumulative[-1] + hours)
        productive.append(productive[-1] + (1 if hours > _EPS else 0))
    if productive[-1] < segments:
        raise ValueError("fewer productive units than segments")
    infinity = float("inf")
    cost = [[infinity] * (units + 1) for _ in range(segments + 1)]
    came_from = [[-1] * (units + 1) for _ in range(segments + 1)]
    cost[0][0] = 0.0
    for i in range(1, segments + 1):
        target = cumulative_targets[i - 1]
        for b in range(1, units + 1):
            if i == segments and last_fixed and b != units:
                continue
            if productive[units] - productive[b] < segments - i:
                continue
            mismatch = abs(cumulative[b] - target)
            best, best_prev = infinity, -1
            for prev in range(0, b):
                if cost[i - 1][prev] == infinity or productive[b] - productive[prev] < 1:
                    continue
                candidate = cost[i - 1][prev]
                if candidate < best - _EPS:
                    best, best_prev = candidate, prev
            if best_prev >= 0:
                cost[i][b] = best + mismatch
                came_from[i][b] = best_prev
    final_row = cost[segments]
    end = min(range(units + 1), key=lambda b: (round(final_row[b], 9), b))
    boundaries = [end]
    for i in range(segments, 1, -1):
        end = came_from[i][end]
        boundaries.append(end)
    return boundaries[::-1]


def outcome(function, *args):
    try:
        return function(*args)
    except ValueError as error:
        return ("ValueError", str(error))


# hours that make float noise (10/7 a day, a day off's share) and empty units (days off)
UNIT_HOURS = st.sampled_from([0.0, 0.0, 1.0, 2.0, 0.5, 10 / 7, 12 - 12 / 7, 15 / 7, 1e-10])


@st.composite
def mismatch_problems(draw):
    unit_hours = draw(st.lists(UNIT_HOURS, min_size=0, max_size=14))
    segments = draw(st.integers(0, len(unit_hours)))
    total = sum(unit_hours)
    last_fixed = draw(st.booleans())
    targets = sorted(draw(st.lists(st.floats(0, max(total, 1.0)), min_size=segments,
                                   max_size=segments)))
    if last_fixed and targets:
        targets[-1] = total
    return unit_hours, targets, last_fixed


@settings(max_examples=600, deadline=None)
@given(mismatch_problems())
def test_place_boundaries_equals_the_old_implementation(problem):
    unit_hours, targets, last_fixed = problem
    assert (outcome(place_boundaries, unit_hours, targets, last_fixed)
            == outcome(reference_place_boundaries, unit_hours, targets, last_fixed))


def test_place_boundaries_equals_the_old_implementation_on_a_year_of_days():
    # 365 days at 10/7 h with every Sunday off, 40 topics of uneven size, both end rules
    unit_hours = [0.0 if day % 7 == 6 else 10 / 7 for day in range(365)]
    sizes = [1 + (topic * 7) % 5 for topic in range(40)]
    total = sum(unit_hours)
    targets = [total * sum(sizes[:k + 1]) / sum(sizes) for k in range(40)]
    assert (place_boundaries(unit_hours, targets, True)
            == reference_place_boundaries(unit_hours, targets, True))
    shorter = [target * 0.8 for target in targets]
    assert (place_boundaries(unit_hours, shorter, False)
            == reference_place_boundaries(unit_hours, shorter, False))


def test_place_boundaries_hand_computed():
    # cumulative rounding with equal units; an empty unit cannot carry a segment by itself
    assert place_boundaries([1.0] * 10, [2.4, 4.6, 10], last_fixed=True) == [2, 5, 10]
    assert place_boundaries([1.0] * 5, [0.1, 0.2, 5], last_fixed=True) == [1, 2, 5]
    assert place_boundaries([1.0, 0.0, 0.0, 1.0], [1, 2], last_fixed=True) == [1, 4]
    # a free end stops where it matches best and leaves the rest over
    assert place_boundaries([10.0] * 6, [20, 41], last_fixed=False) == [2, 4]
