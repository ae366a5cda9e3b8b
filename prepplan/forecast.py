"""Pure: the finish forecast — how the user actually studies, projected (SPEC.md, "Progress and
pace", Forecast).

History: the hours logged in each complete plan week, most recent 12 at most, a week with days
off scaled up to a full week (4 h in a week with half its capacity off counts as 8 h), weeks
wholly off left out. A seeded Monte Carlo then walks forward from the day after as-of — the
rest of the current plan week first, then whole weeks, past the target if need be — drawing a
week's hours from the history with replacement and scaling them by that week's share of a full
week's capacity, until the work left is done. With fewer than 3 weeks of history every week is
drawn as the planned hours per week instead.

p50 and p85 are nearest-rank quantiles of the runs' finishing days: the earliest day by which
at least half (85%) of the runs have finished. A run not finished ten years after as-of never
finishes; where such runs reach the quantile, it is None ("not at this rate").

Nothing here reads the clock, the environment or files, and the module imports only what
`prepplan status` loads anyway plus `random` (about 1 ms): no numpy, no statistics (4 ms), no
hashlib (its OpenSSL load costs 3-5 ms; `random` hashes a string seed itself).
"""

import math
import random
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from itertools import accumulate, chain, islice
from operator import mul
from typing import NamedTuple

RUNS = 1000
HISTORY_WEEKS = 12  # the most recent complete weeks a forecast learns from
MIN_HISTORY_WEEKS = 3  # fewer: the forecast falls back on the plan's hours per week
MIN_RATIO, MAX_RATIO = 0.5, 2.0  # bounds of "how many of the user's hours a planned hour took"
HORIZON_YEARS = 10  # a run not finished this far out never finishes
_CHUNK_WEEKS = 13  # future weeks are laid out a quarter at a time, as far as some run reaches
_DRAW_CHUNK = 8192  # random bytes drawn at a time, one per week
_BEYOND_ANY_HORIZON = 10 ** 6  # weeks: the most a stretch is asked for (a pool of near-zero
# hours, 1e-308 h, would otherwise ask for infinitely many)
_COUNTED_FROM = 104  # a run this many mean weeks or more from the target first passes over
# weeks by their draws' counts, and only those that fall short of it (each week takes the
# stream's next draw however a run walks, and a run gives back what it did not walk)
_MARGIN = 1e-6  # ...by more than this: a sum in another order (counts x values) then changes a
# finish only where a run lands within float rounding of the work left (constructed ties)
_EPS = 1e-9

DayShare = Callable[[date], float]
"""A day's share of a full week's capacity: its planned hours / the hours per week (0 on days
off; 1/7 on every day of a plan without --days; 1/3 on each of three --days)."""


class Forecast(NamedTuple):
    basis: str  # "history" | "plan"
    history_weeks: int  # complete weeks in the history (at most HISTORY_WEEKS)
    hours_per_week: float  # the mean weekly hours drawn: the history's, or the plan's
    p50: date | None  # half the runs finish by then; None: not at this rate
    p85: date | None  # 85% of the runs finish by then; None: not at this rate
    chance_on_time: float  # share of the runs finishing on or before the target, 0-1

    def as_json(self) -> dict:
        """The `forecast` object of `status --json`."""
        return {
            "basis": self.basis,
            "history_weeks": self.history_weeks,
            "hours_per_week": self.hours_per_week,
            "p50": self.p50.isoformat() if self.p50 else None,
            "p85": self.p85.isoformat() if self.p85 else None,
            "chance_on_time": self.chance_on_time,
        }


def planned_hour_cost(logged: float, earned: float) -> float:
    """r = L / EV clamped to [0.5, 2]: how many of the user's hours a planned hour has taken so
    far. 1 while nothing is logged or earned (no evidence either way)."""
    if logged <= 0 or earned <= 0:
        return 1.0
    return min(MAX_RATIO, max(MIN_RATIO, logged / earned))


def work_left(total_planned: float, earned: float, logged: float, noise: float = 0.0) -> float:
    """The work left in the user's hours: (total planned hours - EV) x r.

    `noise`: a gap between L and EV this small is no evidence of how long a planned hour takes
    (a topic's whole study days hold a little more or less than its hours; the last tenth of
    the current topic waits for its `done`), so r is taken on L less up to that much of the
    gap. Early in a plan those few hours would otherwise stretch or shrink all the work left."""
    gap = min(noise, max(-noise, logged - earned))
    return max(0.0, total_planned - earned) * planned_hour_cost(logged - gap, earned)


def week_history(log: Iterable[tuple[date, float]], start: date, as_of: date,
                 day_share: DayShare, max_weeks: int = HISTORY_WEEKS) -> list[float]:
    """Full-week hours of the most recent complete plan weeks (week 1 starts on `start`;
    complete: its last day is on or before `as_of`), oldest first. A week with days off is
    scaled up by its share of a full week's capacity; weeks wholly off are left out and do not
    count against `max_weeks`, so a holiday does not shorten the history."""
    complete = max(0, ((as_of - start).days + 1) // 7)
    logged_by_week = [0.0] * complete
    for day, hours in log:
        week = (day - start).days // 7
        if 0 <= week < complete:
            logged_by_week[week] += hours
    history: list[float] = []
    for week in range(complete - 1, -1, -1):
        if len(history) == max_weeks:
            break
        first = start + timedelta(days=7 * week)
        share = sum(day_share(first + timedelta(days=offset)) for offset in range(7))
        if share > _EPS:
            history.append(_full_week_hours(logged_by_week[week], share))
    history.reverse()
    return history


def _full_week_hours(logged: float, share: float) -> float:
    """A week's hours scaled up to a full week. A full week's seven shares of 1/7 add up to
    1 only within rounding: that week keeps its hours exactly."""
    return logged if abs(share - 1.0) < _EPS else logged / share


def forecast_seed(plan_id: str, as_of: date) -> str:
    """The Monte Carlo's seed: "<plan id>:<as-of ISO date>". `random.Random` turns a str seed
    into an integer through SHA-512 (seed version 2, the default), which Python keeps stable
    across versions and processes — unlike `hash()`, which is salted per process."""
    return f"{plan_id}:{as_of.isoformat()}"


def horizon(as_of: date) -> date:
    """Ten years after as-of (29 February falls back to the 28th): the last day a run may
    finish on."""
    try:
        return as_of.replace(year=as_of.year + HORIZON_YEARS)
    except ValueError:
        return as_of.replace(year=as_of.year + HORIZON_YEARS, day=28)


class _FutureWeeks:
    """The plan weeks after as-of, laid out lazily: most runs end within a year, so the ten
    years up to the horizon are built only as far as some run walks.

    Week 0 is the rest of the current plan week (absent when as-of is its last day); every
    later one is a whole plan week, the last cut at the horizon. `shares[j]` is week j's share
    of a full week's capacity (future days off count); `progress[j]` the part of that share
    reached by the end of each of its days, for the one week in which a run finishes."""

    def __init__(self, as_of: date, start: date, day_share: DayShare,
                 repeats_from: date | None = None) -> None:
        self.as_of = as_of
        self.day_share = day_share
        self.repeats_from = repeats_from  # from this day on every whole week's shares repeat
        self._repeating_week: tuple[float, list[float]] | None = None
        self.last_offset = (horizon(as_of) - as_of).days  # days after as-of
        self.shares: list[float] = []
        self.first_offsets: list[int] = []  # week j's first day, in days after as-of
        self.progress: list[list[float]] = []
        self.partial_weeks: list[int] = []  # weeks whose share is not a whole week's, in order
        # weeks [uniform_start, uniform_end) have the repeating week's share, the same float
        self.uniform_start = self.uniform_end = -1
        rest_of_week = 6 - (as_of - start).days % 7
        self._next_offset = 1
        if rest_of_week:
            self._add_week(rest_of_week)

    def _add_week(self, length: int) -> None:
        first = self._next_offset
        length = min(length, self.last_offset - first + 1)
        total, progress = self._week_layout(first, length)
        if self._repeating_week is not None and total == self._repeating_week[0]:
            self._extend_uniform(len(self.shares), 1)
        self.first_offsets.append(first)
        self.shares.append(total)
        if abs(total - 1.0) > _EPS:
            self.partial_weeks.append(len(self.shares) - 1)
        self.progress.append(progress)
        self._next_offset = first + length

    def _repeats(self, first: int) -> bool:
        """Whether a whole week from `first` (days after as-of) has the repeating layout."""
        return (self.repeats_from is not None
                and self.as_of + timedelta(days=first) >= self.repeats_from)

    def _week_layout(self, first: int, length: int) -> tuple[float, list[float]]:
        """The week's share and the part of it reached by the end of each day. Whole weeks
        from `repeats_from` on are alike: the first one's layout serves them all (read-only),
        so ten years of weeks are not laid out day by day."""
        repeats = length == 7 and self._repeats(first)
        if repeats and self._repeating_week is not None:
            return self._repeating_week
        shares = [self.day_share(self.as_of + timedelta(days=first + day))
                  for day in range(length)]
        total = sum(shares)
        layout = (total, [so_far / total for so_far in accumulate(shares)] if total > 0 else [])
        if repeats:
            self._repeating_week = layout
        return layout

    def laid_out(self) -> bool:
        """Every week up to the horizon is laid out."""
        return self._next_offset > self.last_offset

    def extend(self) -> bool:
        """Lay out the next weeks; False once the horizon is reached."""
        if self.laid_out():
            return False
        for _ in range(_CHUNK_WEEKS):
            if self.laid_out():
                break
            if self._repeating_week is not None and self._repeats(self._next_offset):
                self._add_repeating_weeks(_CHUNK_WEEKS)
                break
            self._add_week(7)
        return True

    def _add_repeating_weeks(self, most: int) -> None:
        """Up to `most` whole weeks laid out like the first repeating one, at once (none cut
        by the horizon)."""
        first = self._next_offset
        count = min(most, (self.last_offset - first + 1) // 7)
        if count == 0:  # only a week cut by the horizon is left
            return self._add_week(7)
        total, progress = self._repeating_week
        if abs(total - 1.0) > _EPS:
            self.partial_weeks.extend(range(len(self.shares), len(self.shares) + count))
        self._extend_uniform(len(self.shares), count)
        self.shares.extend([total] * count)
        self.first_offsets.extend(range(first, first + 7 * count, 7))
        self.progress.extend([progress] * count)
        self._next_offset = first + 7 * count

    def _extend_uniform(self, week: int, count: int) -> None:
        """Weeks [week, week + count) have the repeating week's share."""
        if self.uniform_start < 0:
            self.uniform_start = self.uniform_end = week
        if self.uniform_end == week:
            self.uniform_end = week + count

    def whole_weeks_from(self, week: int, limit: int) -> int:
        """The end (exclusive, at most `limit`) of the run of whole weeks starting at `week`."""
        index = bisect_left(self.partial_weeks, week)
        return min(limit, self.partial_weeks[index]) if index < len(self.partial_weeks) else limit

    def finishing_offset(self, week: int, gained: float, hours_left: float) -> int:
        """The day of `week` on which the work left is done, in days after as-of: the hours
        the week gained accrue day by day in proportion to each day's share (linear over its
        study days; a day off adds nothing)."""
        progress = self.progress[week]
        day = bisect_left(progress, (hours_left - _EPS) / gained)
        return self.first_offsets[week] + min(day, len(progress) - 1)  # rounding: the last day


def _walk(weeks: _FutureWeeks, hours_left: float, draws: "_Draws") -> int | None:
    """One run: the finishing day in days after as-of, or None if not by the horizon. Each
    week gains the hours drawn for it times its share."""
    target = hours_left - _EPS
    done, week = 0.0, 0
    while True:
        while week < len(weeks.shares):
            if (target - done) / draws.mean >= _COUNTED_FROM:
                done, week, passed = _pass_over(weeks, draws, week, done, target)
                if passed:
                    continue
            # The running sums of a stretch of weeks, made in C, and bisect find the week that
            # reaches the target (a stretch that most runs finish in: the weeks the mean week
            # would take and two standard deviations more).
            end = min(len(weeks.shares), week + draws.weeks_most_need(target - done))
            indices = draws.take(end - week)
            totals = list(accumulate(_gains(weeks, draws, week, end, indices), initial=done))
            reached = bisect_left(totals, target, 1)
            if reached < len(totals):
                draws.give_back(len(totals) - 1 - reached)  # the weeks after the finish
                before = totals[reached - 1]
                return weeks.finishing_offset(week + reached - 1, totals[reached] - before,
                                              hours_left - before)
            done, week = totals[-1], end
        if not weeks.extend():
            return None


def _pass_over(weeks: _FutureWeeks, draws: "_Draws", week: int, done: float,
               target: float) -> tuple[float, int, bool]:
    """For a run years from the target at the mean week (or never getting there): pass over
    the weeks from `week` that very likely cannot reach it, summed from the draws' counts
    times the pool's values (a week that is not whole, the rest of this one, on its own, as
    its running sum would add it). (done, week, True) after them; (done, week, False), the
    draws given back, when they reach the target after all."""
    if weeks.whole_weeks_from(week, week + 1) == week:
        after = done + weeks.shares[week] * draws.pool[draws.take(1)[0]]
        if after < target:
            return after, week + 1, True
        draws.give_back(1)
        return done, week, False
    end = weeks.whole_weeks_from(week, min(len(weeks.shares),
                                           week + draws.weeks_short_of(target - done)))
    if end > week:
        indices = draws.take(end - week)
        gained = draws.total(indices)
        if done + gained < target - _MARGIN:
            return done + gained, end, True
        draws.give_back(end - week)
    return done, week, False


def _gains(weeks: _FutureWeeks, draws: "_Draws", week: int, end: int, indices: bytes):
    """The hours weeks [week, end) gain: each week's share times the value drawn for it. Where
    they share one share (after the rest of the current week, most often), the pool's values
    times it are looked up: the same floats, for half the work."""
    start = weeks.uniform_start
    if 0 <= start <= week + 1 and end <= weeks.uniform_end and week + 1 < end:
        scaled = draws.scaled(weeks.shares[week + 1]).__getitem__
        if week >= start:
            return map(scaled, indices)
        return chain((weeks.shares[week] * draws.pool[indices[0]],), map(scaled, indices[1:]))
    return map(mul, islice(weeks.shares, week, end), map(draws.pool.__getitem__, indices))


class _Draws:
    """An endless stream of weeks drawn from `pool` (at most 256 values) with replacement, as
    pool indices, one byte a week.

    Random bytes, 8 KiB at a time, become pool indices through `bytes.translate`: byte b means
    index b % len(pool), and the top 256 % len(pool) byte values are dropped so every index is
    equally likely. Drawing runs in C (about 6 ms -> 3.5 ms for 1,000 runs of 27 weeks against
    int(random() * len(pool)) per week), and a stretch of whole weeks is summed by counting its
    bytes. The bytes come from getrandbits() of a Random seeded with `seed`: the same seed, the
    same stream."""

    def __init__(self, pool: Sequence[float], seed: str) -> None:
        self.pool = pool
        self._rng = random.Random(seed)
        size = len(pool)
        self._index_of_byte = bytes(value % size for value in range(256))
        self._dropped = bytes(range(256 - 256 % size, 256))
        self._buffer, self._position = b"", 0
        self._scaled: dict[float, list[float]] = {}
        studied = [(index, value) for index, value in enumerate(pool) if value > 0]
        self._studied_indices = [bytes([index]) for index, _ in studied]
        self._studied_values = [value for _, value in studied]
        # only to choose how to walk: no figure depends on them
        self.mean = sum(pool) / len(pool)
        self.spread = math.sqrt(sum((value - self.mean) ** 2 for value in pool) / len(pool))

    def _fill(self, count: int) -> None:
        """At least `count` weeks drawn ahead of the position."""
        while len(self._buffer) - self._position < count:
            data = self._rng.getrandbits(8 * _DRAW_CHUNK).to_bytes(_DRAW_CHUNK, "little")
            self._buffer = (self._buffer[self._position:]
                            + data.translate(self._index_of_byte, self._dropped))
            self._position = 0

    def take(self, count: int) -> bytes:
        """The pool indices of the next `count` weeks."""
        if len(self._buffer) - self._position < count:
            self._fill(count)
        taken = self._buffer[self._position:self._position + count]
        self._position += count
        return taken

    def runs_falling_short(self, length: int, most_per_week: float, reach: float,
                           most: int) -> int:
        """How many runs in a row from here (at most `most`) gain less than `reach` in their
        `length` weeks even if every week held `most_per_week` times the hours drawn; their
        draws are taken. Such a run never finishes and takes all `length` weeks, so runs at a
        rate that never gets there are told apart by counting bytes, not walked one by one."""
        studied = list(zip(self._studied_indices, self._studied_values))
        short = 0
        while short < most:
            batch = min(most - short, max(1, _DRAW_CHUNK // length))
            self._fill(batch * length)
            buffer, position = self._buffer, self._position
            for _ in range(batch):
                end = position + length
                drawn = 0.0
                for index, value in studied:
                    drawn += value * buffer.count(index, position, end)
                if drawn * most_per_week >= reach:
                    self._position = position
                    return short
                short, position = short + 1, end
            self._position = position
        return short

    def weeks_short_of(self, hours: float) -> int:
        """The most weeks n whose hours very likely fall short of `hours`: n x the mean
        week plus three standard deviations of a sum of n weeks stays within them."""
        if hours / self.mean >= _BEYOND_ANY_HORIZON:
            return _BEYOND_ANY_HORIZON
        root = (math.sqrt(9 * self.spread ** 2 + 4 * self.mean * hours) - 3 * self.spread) / (
            2 * self.mean)
        return int(root * root)

    def weeks_most_need(self, hours: float) -> int:
        """Weeks in which most runs gain `hours`: the mean week's, two standard deviations of
        their sum more, and a few."""
        expected = hours / self.mean
        if expected >= _BEYOND_ANY_HORIZON:
            return _BEYOND_ANY_HORIZON
        return int(expected + 2 * self.spread * math.sqrt(expected) / self.mean) + 4

    def scaled(self, share: float) -> list[float]:
        """The pool's values times `share` (share x value, as a week of that share gains)."""
        if share not in self._scaled:
            self._scaled[share] = [share * value for value in self.pool]
        return self._scaled[share]

    def give_back(self, count: int) -> None:
        """The last `count` weeks taken were not walked: the next run draws them."""
        self._position -= count

    def total(self, indices: bytes) -> float:
        """The hours of these whole weeks."""
        return sum(map(mul, self._studied_values, map(indices.count, self._studied_indices)))


def _finishing_offsets(weeks: _FutureWeeks, hours_left: float, pool: Sequence[float],
                       runs: int, seed: str) -> list[float]:
    """Every run's finishing day in days after as-of (math.inf: never), sorted."""
    # The best case — the largest week drawn every week — bounds every run: if even that
    # never finishes, no run does, and the runs need not walk ten years each.
    if max(pool) <= 0:
        return [math.inf] * runs  # nothing is ever studied: no need to walk ten years
    best = _walk(weeks, hours_left, _Draws([max(pool)], seed))
    if best is None or min(pool) == max(pool):
        return [math.inf if best is None else best] * runs
    draws = _Draws(pool, seed)
    offsets: list[int | None] = [None]
    while len(offsets) <= runs:
        # once the weeks are laid out to the horizon and a run has not finished, the runs
        # that follow are first tried all at once: one that never finishes walks them all
        if offsets[-1] is None and weeks.laid_out():
            offsets += [None] * draws.runs_falling_short(
                len(weeks.shares), max(weeks.shares), hours_left - _EPS - _MARGIN,
                runs + 1 - len(offsets))
            if len(offsets) > runs:
                break
        offsets.append(_walk(weeks, hours_left, draws))
    del offsets[0]
    return sorted(math.inf if offset is None else offset for offset in offsets)


def _nearest_rank(ranked: Sequence[float], share: float) -> float:
    """The smallest value at or below which at least `share` of the ranked values lie."""
    return ranked[max(0, math.ceil(share * len(ranked) - _EPS) - 1)]


def forecast(*, plan_id: str, as_of: date, start: date, target: date,
             history: Sequence[float], hours_per_week: float, work_left: float,
             day_share: DayShare, runs: int = RUNS,
             repeats_from: date | None = None) -> Forecast:
    """When the work left is done, at the pace of the history (see the module docstring).

    history: full-week hours of the complete weeks, as `week_history` gives them.
    hours_per_week: H, the plan's current hours per week ("plan" basis).
    work_left: in the user's hours, as `work_left()` gives it.
    day_share: each future day's share of a full week's capacity at the current hours.
    repeats_from: a day from which every whole week's shares are the same (no day off nor
    change of hours after it), or None; it only saves laying ten years out day by day.
    The same arguments give the same figures: the seed is `forecast_seed(plan_id, as_of)`."""
    history = history[-HISTORY_WEEKS:]  # the most recent weeks, and at most 256 to draw from
    if len(history) >= MIN_HISTORY_WEEKS:
        basis, pool = "history", list(history)
        mean_drawn = sum(pool) / len(pool)
    else:
        basis, pool, mean_drawn = "plan", [hours_per_week], hours_per_week
    if work_left <= _EPS:
        offsets = [0.0] * runs
    else:
        weeks = _FutureWeeks(as_of, start, day_share, repeats_from)
        offsets = _finishing_offsets(weeks, work_left, pool, runs, forecast_seed(plan_id, as_of))
    days_to_target = (target - as_of).days
    on_time = sum(1 for offset in offsets if offset <= days_to_target)

    def finish(share: float) -> date | None:
        offset = _nearest_rank(offsets, share)
        return None if offset == math.inf else as_of + timedelta(days=int(offset))

    return Forecast(basis=basis, history_weeks=len(history), hours_per_week=mean_drawn,
                    p50=finish(0.5), p85=finish(0.85), chance_on_time=on_time / runs)
