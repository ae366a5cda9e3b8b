"""The burn-up chart, drawn by plotext. Imported only when a chart is drawn: plotext costs
about 35 ms to import, a third of a check-in's whole start-up budget."""

from __future__ import annotations

from datetime import date

from .model import Plan
from .pace import WeekPoint

# Each series has its own character, so the lines stay apart without colour (NO_COLOR, pipes).
PLANNED_MARKER = "·"
FIRST_PLANNED_MARKER = "x"
EARNED_MARKER = "braille"


def burnup_chart(points: list[WeekPoint], plan: Plan, as_of: date, width: int, height: int,
                 color: bool, first_points: list[WeekPoint] | None = None) -> str:
    """Cumulative planned vs earned hours per week; after a replan the first version's planned
    line too. Vertical lines mark the phase boundaries (P2, P3, ... and B for the buffer on
    the x axis) and today; the x axis runs to the target, or on to today when that is later."""
    import plotext as plt

    plt.clf()
    plt.plotsize(width, height)
    plt.theme("clear")
    # the first series drawn stays on top where lines meet: the current plan's
    plt.plot([point.week for point in points], [point.planned for point in points],
             label="planned", marker=PLANNED_MARKER, color="blue")
    if first_points:
        plt.plot([point.week for point in first_points],
                 [point.planned for point in first_points], label="first plan",
                 marker=FIRST_PLANNED_MARKER, color="gray")
    earned = [point for point in points if point.earned is not None]
    if earned:
        plt.plot([point.week for point in earned], [point.earned for point in earned],
                 label="earned", marker=EARNED_MARKER, color="green")
    ticks, labels = [0], ["start"]
    for phase in plan.phases[1:]:
        ticks.append(phase.first_week - 1)
        labels.append(f"P{phase.number}")
    if plan.buffer:
        ticks.append(plan.buffer.first_week - 1)
        labels.append("B")
    for tick in ticks[1:]:
        plt.vline(tick, "gray")
    today = (as_of - plan.start).days / 7
    if today >= 0:
        plt.vline(today, "red")
    last_week = max(point.week for point in points + (first_points or []))
    plt.xticks(ticks + [last_week], labels + [str(last_week)])
    plt.xlabel(f"week · today {as_of.isoformat()} is week {plan.schedule.week_of(as_of)}")
    plt.title("Burn-up: cumulative hours, planned vs earned")
    text = plt.build()
    return text if color else plt.uncolorize(text)
