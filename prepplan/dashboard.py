"""`prepplan status` in a terminal: a compact panel drawn with box characters and plain ANSI
styles, then the burn-up chart.

Plain escapes rather than rich: rich costs more start-up time than a check-in's whole budget.
The figures and their words come from `text.status_view`, the same lines the plain report
prints; this module only draws them.
"""

import textwrap
from itertools import zip_longest

from .model import Plan
from .text import Out, fmt_date, status_report, status_view, styled
from .words import plural

CHART_MIN_WIDTH = 100  # a wide terminal; plotext's import is kept off the usual 80 columns
LABEL_GAP = 2  # columns between a figure's label and its value

Row = list[tuple[str, "str | None"]]  # one line of the panel: pieces of text with their style


def status_screen(out: Out, status, inputs, chart_wanted: bool) -> None:
    """The check-in report: the dashboard in a terminal, plain text otherwise; the burn-up
    chart when asked for or when a terminal is wide enough."""
    plan, log, marks = inputs.current.plan, inputs.log, inputs.marks
    if inputs.plan_name:
        out.line(f"Plan {inputs.plan_name} (of several: `prepplan plans`)", style="dim")
    chart = None
    if chart_wanted or (out.terminal and out.width >= CHART_MIN_WIDTH):
        from .chart import burnup_chart  # plotext: only when drawn
        from .pace import burnup

        first = (burnup(inputs.first_plan, log, marks, status.as_of)
                 if inputs.first_plan is not None else None)
        chart = burnup_chart(burnup(plan, log, marks, status.as_of), plan, status.as_of,
                             width=min(out.width, 120), height=16, color=out.color,
                             first_points=first)
    if out.terminal:
        status_dashboard(out, status, plan, chart)
        return
    status_report(out, status, plan)
    if chart:
        out.line()
        out.line(chart)


def status_dashboard(out: Out, status, plan: Plan, chart: str | None) -> None:
    if status.state == "not_started":
        status_report(out, status, plan)
    else:
        view = status_view(status, plan)
        inner = max(out.width, 40) - 4  # the border and one space of padding on each side
        rows = _phase_rows(status, plan, inner) + _focus_rows(status, view, inner)
        rows += [[("", None)]] + _figure_rows(status, plan, view, inner)
        when = f" · {fmt_date(status.as_of)}" if out.width >= 90 else ""
        title = f" {plan.roadmap} · week {status.week} of {status.weeks}{when} "
        for line in _panel(title, rows, inner, view.pace_style, out.color):
            out.line(line)
    if chart:
        out.line(chart)


def _panel(title: str, rows: list[Row], inner: int, border: str, color: bool) -> list[str]:
    """The rows in a rounded box whose border takes the verdict's colour."""
    title = title[:inner - 1]
    lines = [styled("╭─ ", border, color) + styled(title, "bold", color)
             + styled(" " + "─" * (inner - len(title) - 1) + "╮", border, color)]
    edge = styled("│", border, color)
    for row in rows:
        width = sum(len(text) for text, _ in row)
        body = "".join(styled(text, style, color) for text, style in row)
        lines.append(f"{edge} {body}{' ' * (inner - width)} {edge}")
    lines.append(styled("╰" + "─" * (inner + 2) + "╯", border, color))
    return lines


def _phase_rows(status, plan: Plan, inner: int) -> list[Row]:
    """The current phase with a progress bar of its topics (or the final block's title)."""
    if status.phase is not None:
        phase = status.phase
        finished = sum(1 for topic in phase.topics if topic.id in status.done_ids)
        count = f" {finished}/{plural(len(phase.topics), 'topic')}"
        bar_width = inner - len(count)
        filled = round(bar_width * finished / len(phase.topics)) if phase.topics else 0
        bar = "█" * filled + "░" * (bar_width - filled)  # apart without colour too
        heading = f"Phase {phase.number} · {phase.title} · {phase.level}"
        return [[(line, "bold")] for line in textwrap.wrap(heading, inner)] + [
            [(bar[:filled], "green"), (bar[filled:], "dim"), (count, None)]]
    if status.in_buffer and plan.buffer:
        return [[(plan.buffer.title, "bold")]]
    return []


def _focus_rows(status, view, inner: int) -> list[Row]:
    """This week's topics, each with its key tools beside it (or when a week off ends)."""
    if not status.this_week_topics:
        return [[("This week", "bold")], [(view.week_off, None)]] if view.week_off else []
    tools_width = min(max(len(", ".join(t.tools)) for t in status.this_week_topics),
                      inner * 2 // 5)
    topic_width = inner - tools_width - LABEL_GAP
    rows: list[Row] = [[("This week", "bold")]]
    for topic in status.this_week_topics:
        mark = "✓ " if topic.id in status.done_ids else "• "
        names = textwrap.wrap(f"{mark}{topic.id} {topic.title}", topic_width,
                              subsequent_indent="  ")
        tools = textwrap.wrap(", ".join(topic.tools), tools_width) if tools_width else []
        for name, tool in zip_longest(names, tools, fillvalue=""):
            rows.append([(name.ljust(topic_width + LABEL_GAP), None), (tool, "dim")])
    return rows


def _figure_rows(status, plan: Plan, view, inner: int) -> list[Row]:
    figures = [("Pace", view.pace, f"bold {view.pace_style}")]
    if view.overdue:
        figures.append(("Overdue", view.overdue, "yellow"))
    figures += [("Hours", view.hours, None), ("Topics", view.topics, None),
                ("Finish", view.finish, view.finish_style)]
    if view.catch_up:
        label, words = view.catch_up
        figures.append((label, words, view.pace_style if label == "Catch up" else None))
    if view.replan_hint:  # under the catch-up, as its other way out
        figures.append(("", view.replan_hint[:1].lower() + view.replan_hint[1:], None))
    if status.state == "past_target":
        figures.append(("Target", f"passed: "
                        f"{plural(status.total_topics - status.done_topics, 'topic')} left",
                        "yellow"))
    if view.reviews:
        figures.append(("Reviews", view.reviews, None))
    figures += [("Mocks" if index == 0 else "", line, None)
                for index, line in enumerate(view.mocks)]
    if view.next_checkin:
        figures.append(("Next check-in", view.next_checkin, None))
    label_width = max(len(label) for label, _, _ in figures) + LABEL_GAP
    rows = []
    for label, value, style in figures:
        for index, part in enumerate(textwrap.wrap(value, inner - label_width)):
            rows.append([((label if index == 0 else "").ljust(label_width), "bold"),
                         (part, style)])
    return rows
