"""The burn-up chart, drawn by plotext. Imported only when a chart is drawn: plotext costs
about 50 ms to import, more than a check-in's whole start-up budget."""

from __future__ import annotations

from datetime import date

from .pace import WeekPoint
from .model import Plan


def burnup_chart(points: list[WeekPoint], plan: Plan, as_of: date, width: int, height: int,
                 color: bool) -> str:
    """Cumulative planned vs earned hours per week; vertical lines mark the phase boundaries
    (labelled P2, P3, ... and B for the buffer on the x axis) and today."""
    import plotext as plt

    plt.clf()
    plt.plotsize(width, height)
    plt.theme("clear")
    weeks = [point.week for point in points]
    plt.plot(weeks, [point.planned for point in points], label="planned", marker="braille",
             color="blue")
    earned = [point for point in points if point.earned is not None]
    if earned:
        plt.plot([point.week for point in earned], [point.earned for point in earned],
                 label="earned", marker="braille", color="green")
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
    if 0 <= today <= plan.weeks:
        plt.vline(today, "red")
    plt.xticks(ticks + [plan.weeks], labels + [str(plan.weeks)])
    plt.xlabel(f"week · today {as_of.isoformat()} is week {plan.schedule.week_of(as_of)}")
    plt.title("Burn-up: cumulative hours, planned vs earned")
    text = plt.build()
    return text if color else plt.uncolorize(text)
