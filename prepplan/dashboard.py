"""`prepplan status` in a terminal: a compact rich panel, then the burn-up chart.

Imported only when the output is a terminal; the figures and their words come from
`text.status_view`, the same lines the plain report prints.
"""

from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table as RichTable
from rich.text import Text

from .model import Plan
from .text import Out, fmt_date, status_report, status_view


def status_dashboard(out: Out, status, plan: Plan, chart: str | None) -> None:
    if status.state == "not_started":
        status_report(out, status, plan)
        if chart:
            out.console.print(Text.from_ansi(chart))
        return
    view = status_view(status, plan)
    parts = _phase_parts(status, plan) + _focus_parts(status)
    parts += [Text(""), _figure_rows(status, plan, view)]
    when = f" · {fmt_date(status.as_of)}" if out.width >= 90 else ""
    title = Text(f" {plan.roadmap} · week {status.week} of {status.weeks}{when} ",
                 style="bold")
    out.console.print(Panel(Group(*parts), title=title, title_align="left",
                            border_style=view.pace_style, padding=(0, 1)))
    if chart:
        out.console.print(Text.from_ansi(chart))


def _phase_parts(status, plan: Plan) -> list:
    """The current phase with a progress bar of its topics (or the final block's title)."""
    if status.phase is not None:
        phase = status.phase
        finished = sum(1 for topic in phase.topics if topic.id in status.done_ids)
        heading = Text(f"Phase {phase.number} · {phase.title} · {phase.level}", style="bold")
        bar = RichTable.grid(padding=(0, 1))
        bar.add_column(ratio=1)
        bar.add_column(no_wrap=True)
        bar.add_row(ProgressBar(total=len(phase.topics), completed=finished,
                                complete_style="green", finished_style="green"),
                    Text(f"{finished}/{len(phase.topics)} topics"))
        return [heading, bar]
    if status.in_buffer and plan.buffer:
        return [Text(plan.buffer.title, style="bold")]
    return []


def _focus_parts(status) -> list:
    """This week's topics with their key tools."""
    if not status.this_week_topics:
        return []
    focus = RichTable.grid(padding=(0, 2))
    focus.add_column(overflow="fold", ratio=3)
    focus.add_column(style="dim", overflow="fold", ratio=2)
    for topic in status.this_week_topics:
        mark = "✓ " if topic.id in status.done_ids else "• "
        focus.add_row(Text(f"{mark}{topic.id} {topic.title}"), Text(", ".join(topic.tools)))
    return [Text("This week", style="bold"), focus]


def _figure_rows(status, plan: Plan, view) -> RichTable:
    rows = RichTable.grid(padding=(0, 2))
    rows.add_column(style="bold", no_wrap=True)
    rows.add_column(overflow="fold")
    rows.add_row("Pace", Text(view.pace, style=f"bold {view.pace_style}"))
    if view.overdue:
        rows.add_row("Overdue", Text(view.overdue, style="yellow"))
    rows.add_row("Hours", Text(view.hours))
    rows.add_row("Topics", Text(view.topics))
    rows.add_row("Finish", Text(view.finish, style=view.finish_style))
    if view.catch_up:
        label, words = view.catch_up
        rows.add_row(label, Text(words, style=view.pace_style if label == "Catch up" else ""))
    if status.state == "past_target":
        rows.add_row("Target", Text(f"passed: {status.total_topics - status.done_topics} "
                                    f"topics left", style="yellow"))
    if view.next_checkin:
        rows.add_row("Next check-in", Text(view.next_checkin))
    return rows
