"""Pure: where the plan's mock interviews fall (SPEC.md, "Mocks and review").

Single-round mocks: one a week, on the week's last study day, rotating in the curriculum's
order through the rounds whose phases are all planned as finished by the week before. Full
loops (every round on one day): in the final block, at least one and one per two weeks of it,
on the day with the most study time of its week (the latest such day on a tie); a week with a
loop has no single-round mock; no mock falls in the last days before the target.

Nothing here reads the clock or the calendar: a Plan in, dated mocks out.
"""

from datetime import date, timedelta
from typing import NamedTuple

from .model import LoopRound, Plan

LOOP_BREAK_MINUTES = 15  # between the rounds of a full loop
QUIET_DAYS = 3  # no mock in the last 3 days before the target
MIN_SCORE, MAX_SCORE = 1, 4  # 1 no hire ... 4 strong hire


class Mock(NamedTuple):
    day: date
    kind: str  # "single" | "loop"
    rounds: tuple[LoopRound, ...]  # a single-round mock: its round; a loop: every round kind

    @property
    def round(self) -> LoopRound | None:
        """The round of a single-round mock (None for a full loop)."""
        return self.rounds[0] if self.kind == "single" else None

    @property
    def key(self) -> str:
        """The mock's calendar key: one mock a day at most, so its date names it."""
        return f"{'mock' if self.kind == 'single' else 'mockloop'}-{self.day.isoformat()}"

    @property
    def parts(self) -> list[tuple[str, int]]:
        """(name, minutes) of each round in order, a loop's repeated rounds numbered, with the
        breaks between them."""
        if self.kind == "single":
            return [(self.rounds[0].title, self.rounds[0].minutes)]
        parts: list[tuple[str, int]] = []
        for kind in self.rounds:
            for number in range(1, kind.count + 1):
                if parts:
                    parts.append(("Break", LOOP_BREAK_MINUTES))
                name = f"{kind.title} {number}" if kind.count > 1 else kind.title
                parts.append((name, kind.minutes))
        return parts

    @property
    def minutes(self) -> int:
        return sum(minutes for _, minutes in self.parts)

    @property
    def title(self) -> str:
        if self.kind == "single":
            return f"Mock interview: {self.rounds[0].title}"
        return "Mock loop: " + ", ".join(
            kind.title + (f" ×{kind.count}" if kind.count > 1 else "") for kind in self.rounds)


def planned_mocks(plan: Plan) -> list[Mock]:
    """Every mock of the plan, in date order; none when the curriculum has no loop. After a
    replan, the mocks up to its as-of day are the ones the plan had then."""
    if not plan.loop:
        return []
    rounds = {kind.id: kind for kind in plan.loop}
    kept = [Mock(day, "single", (rounds[round_id],)) if round_id else Mock(day, "loop", plan.loop)
            for day, round_id in plan.kept_mocks if round_id is None or round_id in rounds]
    return kept + [mock for mock in _placed_mocks(plan)
                   if plan.replanned_on is None or mock.day > plan.replanned_on]


def kept_mocks(previous: Plan, as_of: date) -> tuple[tuple[date, str | None], ...]:
    """What a replan as of `as_of` keeps of the previous version's mocks: those up to then."""
    return tuple((mock.day, mock.round.id if mock.round else None)
                 for mock in planned_mocks(previous) if mock.day <= as_of)


def _placed_mocks(plan: Plan) -> list[Mock]:
    allowed = _allowed_days(plan, plan.target - timedelta(days=QUIET_DAYS + 1))
    loops = _loop_days(plan, allowed)
    mocks = [Mock(day, "loop", plan.loop) for day in loops.values()]
    finished_by_week = {phase.number: phase.last_week for phase in plan.phases}
    turn = 0  # the rotation's place in the curriculum's order
    for week in range(1, plan.weeks + 1):
        days = allowed.get(week)
        if week in loops or not days:
            continue
        ready = [index for index, kind in enumerate(plan.loop)
                 if all(finished_by_week.get(number, plan.weeks + 1) < week
                        for number in kind.phases)]
        if not ready:
            continue
        chosen = min(ready, key=lambda index: (index - turn) % len(plan.loop))
        mocks.append(Mock(days[-1], "single", (plan.loop[chosen],)))
        turn = chosen + 1
    return sorted(mocks, key=lambda mock: mock.day)


def loop_count(block_weeks: int) -> int:
    """Full loops in a final block of `block_weeks` weeks: one per two weeks, at least one."""
    return max(1, block_weeks // 2) if block_weeks > 0 else 0


def _loop_days(plan: Plan, allowed: dict[int, list[date]]) -> dict[int, date]:
    """The final block's loops by week: in its 1st, 3rd, 5th ... week that has a study day
    before the quiet days (the weeks left filling in when days off leave too few)."""
    if plan.buffer is None:
        return {}
    weeks = [week for week in range(plan.buffer.first_week, plan.buffer.last_week + 1)
             if allowed.get(week)]
    wanted = loop_count(plan.buffer.weeks)
    chosen = weeks[::2][:wanted]
    chosen += [week for week in weeks if week not in chosen][:wanted - len(chosen)]
    day_hours = plan.schedule.day_hours
    return {week: max(allowed[week], key=lambda day: (day_hours(day), day))
            for week in sorted(chosen)}


def _allowed_days(plan: Plan, last_allowed: date) -> dict[int, list[date]]:
    """Each week's study days (days off excepted) that may hold a mock: up to `last_allowed`
    (weeks without one are absent)."""
    schedule = plan.schedule
    by_week: dict[int, list[date]] = {}
    for day in schedule.study_days(plan.start, min(last_allowed, schedule.week_end(plan.weeks))):
        by_week.setdefault(schedule.week_of(day), []).append(day)
    return by_week


def mock_on(plan: Plan) -> dict[date, Mock]:
    """The plan's mocks by day."""
    return {mock.day: mock for mock in planned_mocks(plan)}


class RoundStatus(NamedTuple):
    round: LoopRound
    last_score: int | None
    last_date: date | None
    next: date | None


def round_status(plan: Plan, results: list[tuple[str, date, int]], as_of: date
                 ) -> list[RoundStatus]:
    """Per round: the latest score recorded by `as_of` and the next planned mock that holds the
    round (on or after `as_of`, later than the round's latest result). `results` are
    (round id, date, score) in the order recorded."""
    mocks = planned_mocks(plan)
    statuses = []
    for kind in plan.loop:
        done = sorted(((day, order, score) for order, (round_id, day, score)
                       in enumerate(results) if round_id == kind.id and day <= as_of))
        last = done[-1] if done else None
        after = max(as_of - timedelta(days=1), last[0]) if last else as_of - timedelta(days=1)
        upcoming = [mock.day for mock in mocks if mock.day > after and kind in mock.rounds]
        statuses.append(RoundStatus(kind, last[2] if last else None, last[0] if last else None,
                                    upcoming[0] if upcoming else None))
    return statuses
