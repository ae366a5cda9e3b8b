"""Presentation: JSON documents and tables. Commands compute, this module shows.

In a terminal, tables are drawn by rich (colour off when NO_COLOR is set). Piped output is
plain aligned text produced without importing rich: rich costs more start-up time than a
check-in's whole budget (see benchmarks/), and piped text wants no box drawing anyway.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date

from .schedule import WEEKDAY_NAMES, Plan


def fmt_hours(hours: float) -> str:
    return f"{hours:.1f}"


def fmt_date(day: date) -> str:
    return day.strftime("%a %Y-%m-%d")


def rounded(value: float) -> float:
    return round(value + 0.0, 2)


# ---------------------------------------------------------------- JSON documents

def plan_document(plan: Plan, done: dict[str, date], ics_path: str | None) -> dict:
    """The `generate --json` / `show --json` shape of SPEC.md."""
    return {
        "roadmap": plan.roadmap,
        "start": plan.start.isoformat(),
        "target": plan.target.isoformat(),
        "weeks": plan.weeks,
        "hours_per_week": plan.hours_per_week,
        "reference_hours_per_week": plan.reference_hours_per_week,
        "total_hours": rounded(plan.total_hours),
        "regime": plan.regime,
        "stretch": round(plan.stretch, 4),
        "study_days": [WEEKDAY_NAMES[day] for day in plan.schedule.study_weekdays] or None,
        "skip": [[first.isoformat(), last.isoformat()] for first, last in plan.skip_ranges],
        "phases": [{
            "number": phase.number,
            "id": phase.id,
            "title": phase.title,
            "level": phase.level,
            "first_week": phase.first_week,
            "last_week": phase.last_week,
            "weeks": phase.weeks,
            "start": phase.start.isoformat(),
            "end": phase.end.isoformat(),
            "hours": rounded(phase.hours),
            "topics": [{
                "id": topic.id,
                "title": topic.title,
                "start": topic.start.isoformat(),
                "end": topic.end.isoformat(),
                "hours": rounded(topic.hours),
                "done": topic.id in done,
                "done_on": done[topic.id].isoformat() if topic.id in done else None,
            } for topic in phase.topics],
        } for phase in plan.phases],
        "buffer": None if plan.buffer is None else {
            "title": plan.buffer.title,
            "first_week": plan.buffer.first_week,
            "last_week": plan.buffer.last_week,
            "weeks": plan.buffer.weeks,
            "start": plan.buffer.start.isoformat(),
            "end": plan.buffer.end.isoformat(),
        },
        "ics": ics_path,
    }


def dumps(document) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)


# ---------------------------------------------------------------- text output

class Table:
    def __init__(self, headers: list[str], title: str = "",
                 right_aligned: set[int] | None = None) -> None:
        self.headers = headers
        self.title = title
        self.right_aligned = right_aligned or set()  # column indexes (numbers)
        self.rows: list[list[str]] = []
        self.styles: list[str | None] = []  # per-row rich style, terminal only

    def add(self, *cells: str, style: str | None = None) -> None:
        self.rows.append(list(cells))
        self.styles.append(style)


class Out:
    """Where a command's human output goes: rich in a terminal, plain text otherwise.
    NO_COLOR (any value) turns off every colour and style escape."""

    def __init__(self, stream=None, terminal: bool | None = None, console=None) -> None:
        self.stream = stream or sys.stdout
        self._console = console
        if console is not None:
            terminal = True
        self.terminal = self.stream.isatty() if terminal is None else terminal

    @property
    def color(self) -> bool:
        return self.terminal and "NO_COLOR" not in os.environ and (
            self._console is None or self._console.color_system is not None)

    @property
    def width(self) -> int:
        return self.console.width if self.terminal else 80

    @property
    def console(self):
        if self._console is None:
            from rich.console import Console  # terminal only: keeps piped runs fast

            self._console = Console(file=self.stream, highlight=False,
                                    color_system="auto" if self.color else None)
        return self._console

    def line(self, text: str = "", style: str | None = None) -> None:
        if self.terminal:
            self.console.print(text, style=style, markup=False)
        else:
            self.stream.write(text + "\n")

    def table(self, table: Table) -> None:
        if self.terminal:
            from rich.table import Table as RichTable
            from rich.text import Text  # cells are text, never markup: "[x]" must stay

            rich_table = RichTable(title=table.title or None, title_justify="left")
            for index, header in enumerate(table.headers):
                rich_table.add_column(header, justify="right" if index in table.right_aligned
                                      else "left", overflow="fold")
            for row, style in zip(table.rows, table.styles):
                rich_table.add_row(*(Text(cell) for cell in row), style=style)
            self.console.print(rich_table)
            return
        if table.title:
            self.stream.write(table.title + "\n")
        widths = [max(len(cell) for cell in column)
                  for column in zip(table.headers, *table.rows)]
        for row in [table.headers, *table.rows]:
            cells = [cell.rjust(width) if index in table.right_aligned else cell.ljust(width)
                     for index, (cell, width) in enumerate(zip(row, widths))]
            self.stream.write("  ".join(cells).rstrip() + "\n")


def plan_summary(out: Out, plan: Plan, done: dict[str, date], with_topics: bool) -> None:
    days = ", ".join(WEEKDAY_NAMES[day] for day in plan.schedule.study_weekdays) or "every day"
    out.line(f"{plan.roadmap}", style="bold")
    out.line(f"{fmt_date(plan.start)} → target {fmt_date(plan.target)} · {plan.weeks} weeks · "
             f"{plan.hours_per_week:g} h/week ({days}) · "
             f"{fmt_hours(plan.total_hours)} h of topics")
    if plan.regime == "buffer":
        out.line("Every phase gets its full effort; the weeks left over go to the final block.")
    else:
        out.line(f"Each phase is stretched {plan.stretch:.0%} of the way from its minimum to its "
                 f"maximum effort.")
    table = Table(["#", "Phase", "Weeks", "Dates", "Hours", "Topics"], right_aligned={0, 4, 5})
    for phase in plan.phases:
        finished = sum(1 for topic in phase.topics if topic.id in done)
        topics = (f"{finished}/{len(phase.topics)}" if done else str(len(phase.topics)))
        table.add(str(phase.number), phase.title, _weeks(phase.first_week, phase.last_week),
                  f"{phase.start.isoformat()} – {phase.end.isoformat()}",
                  fmt_hours(phase.hours), topics)
    if plan.buffer:
        buffer = plan.buffer
        table.add("", buffer.title, _weeks(buffer.first_week, buffer.last_week),
                  f"{buffer.start.isoformat()} – {buffer.end.isoformat()}", "", "",
                  style="dim")
    out.table(table)
    if with_topics:
        for phase in plan.phases:
            topics = Table(["", "Topic", "Dates", "Hours"], right_aligned={3},
                           title=f"Phase {phase.number} · {phase.title} · {phase.level}")
            for topic in phase.topics:
                mark = "[x]" if topic.id in done else "[ ]"
                topics.add(mark, f"{topic.id} {topic.title}",
                           f"{topic.start.isoformat()} – {topic.end.isoformat()}",
                           fmt_hours(topic.hours), style="green" if topic.id in done else None)
            out.line()
            out.table(topics)
            if phase.tools:
                out.line("Key tools: " + ", ".join(phase.tools))


def _weeks(first: int, last: int) -> str:
    return f"{first}–{last}" if last > first else str(first)


# ---------------------------------------------------------------- status

def status_document(status) -> dict:
    """The `status --json` shape of SPEC.md (plus a few documented extras)."""
    return {
        "as_of": status.as_of.isoformat(),
        "state": status.state,
        "week": status.week,
        "weeks": status.weeks,
        "phase": None if status.phase is None else {"number": status.phase.number,
                                                    "title": status.phase.title},
        "this_week_topics": [topic.id for topic in status.this_week_topics],
        "planned_hours": rounded(status.planned_hours),
        "logged_hours": rounded(status.logged_hours),
        "planned_topics": status.planned_topics,
        "done_topics": status.done_topics,
        "total_topics": status.total_topics,
        "earned_hours": rounded(status.earned_hours),
        "earned_schedule": status.earned_schedule.isoformat(),
        "days_ahead": status.days_ahead,
        "tolerance_days": status.tolerance_days,
        "verdict": status.verdict,
        "projected_finish": (status.projected_finish.isoformat()
                             if status.projected_finish else None),
        "target": status.target.isoformat(),
        "hours_per_week_needed": (rounded(status.hours_per_week_needed)
                                  if status.hours_per_week_needed is not None else None),
        "next_checkin": status.next_checkin.isoformat() if status.next_checkin else None,
    }


def verdict_words(status) -> str:
    days = abs(status.days_ahead)
    amount = f"{days} day{'s' if days != 1 else ''}"
    if days >= 14:
        amount += f" ({days / 7:.1f} weeks)"
    if status.verdict == "on_pace":
        if status.days_ahead == 0:
            return "on pace"
        side = "ahead" if status.days_ahead > 0 else "behind"
        return f"on pace ({amount} {side}, within ±{status.tolerance_days} days)"
    return f"{amount} {status.verdict}"


VERDICT_STYLE = {"ahead": "green", "on_pace": "green", "behind": "red"}


def status_report(out: Out, status, plan: Plan) -> None:
    out.line(f"{plan.roadmap} — check-in for {fmt_date(status.as_of)}", style="bold")
    if status.state == "not_started":
        out.line(f"Not started yet: the plan begins {fmt_date(plan.start)} "
                 f"({(plan.start - status.as_of).days} days from now).")
        first = plan.phases[0]
        out.line(f"First up: Phase 1 · {first.title} — "
                 + ", ".join(f"{t.id} {t.title}" for t in status.this_week_topics))
        out.line(f"Target: {fmt_date(plan.target)} · {fmt_hours(status.total_hours)} h "
                 f"of topics at {plan.hours_per_week:g} h/week")
        return
    where = f"Week {status.week} of {status.weeks}"
    if status.phase is not None:
        where += f" · Phase {status.phase.number}: {status.phase.title} ({status.phase.level})"
    elif status.in_buffer and plan.buffer:
        where += f" · {plan.buffer.title}"
    out.line(where)
    if status.state == "past_target":
        out.line(f"Past the target date {fmt_date(plan.target)}: "
                 f"{status.total_topics - status.done_topics} topics and "
                 f"{fmt_hours(max(0.0, status.total_hours - status.earned_hours))} h are left.",
                 style="yellow")
    if status.state == "finished":
        out.line(f"Every topic is done ({status.done_topics} of {status.total_topics}). "
                 f"Target: {fmt_date(plan.target)}.", style="green")
    if status.this_week_topics:
        out.line("This week: " + "; ".join(f"{t.id} {t.title}"
                                           for t in status.this_week_topics))
    out.line(f"Hours: {fmt_hours(status.logged_hours)} logged · "
             f"{fmt_hours(status.planned_hours)} planned to date · "
             f"{fmt_hours(status.earned_hours)} earned")
    out.line(f"Topics: {status.done_topics} done · {status.planned_topics} planned to date · "
             f"{status.total_topics} in all")
    out.line(f"Pace: {verdict_words(status)}", style=VERDICT_STYLE[status.verdict])
    if status.projected_finish:
        relation = ("after" if status.projected_finish > status.target
                    else "before or on")
        out.line(f"Finish: projected {fmt_date(status.projected_finish)}, {relation} the "
                 f"target {fmt_date(status.target)}")
    else:
        out.line(f"Finish: no projection until some work is earned · "
                 f"target {fmt_date(status.target)}")
    if status.hours_per_week_needed is not None and status.state != "finished":
        if status.verdict == "behind":
            needed = status.hours_per_week_needed
            slack = (" — the buffer weeks absorb the slip" if needed <= plan.hours_per_week
                     else "")
            out.line(f"Catch up: {needed:.1f} h/week from now makes the target "
                     f"(planned: {plan.hours_per_week:g}){slack}", style="yellow")
            out.line("Or rebuild the rest of the plan around what is done: `prepplan replan`")
        else:
            out.line(f"Needed from now: {status.hours_per_week_needed:.1f} h/week to the target")
    if status.next_checkin:
        out.line(f"Next check-in: {fmt_date(status.next_checkin)}")


# ---------------------------------------------------------------- log, history

def log_table(out: Out, entries) -> None:
    table = Table(["Id", "Date", "Hours", "Note"], right_aligned={0, 2})
    for entry in entries:
        table.add(str(entry.id), entry.day.isoformat(), f"{entry.hours:g}", entry.note)
    out.table(table)
    out.line(f"{sum(entry.hours for entry in entries):g} h in {len(entries)} entries")


def log_document(entries) -> list[dict]:
    return [{"id": entry.id, "date": entry.day.isoformat(), "hours": entry.hours,
             "note": entry.note} for entry in entries]


def history_document(versions) -> list[dict]:
    return [{"version": v.version, "created_at": v.created_at.isoformat(), "reason": v.reason,
             "start": v.plan.start.isoformat(), "target": v.plan.target.isoformat(),
             "hours_per_week": v.plan.hours_per_week, "weeks": v.plan.weeks}
            for v in versions]


def history_table(out: Out, versions) -> None:
    table = Table(["Version", "Made", "Why", "Start", "Target", "h/week", "Weeks"],
                  right_aligned={0, 5, 6})
    for v in versions:
        table.add(str(v.version), v.created_at.strftime("%Y-%m-%d %H:%M"), v.reason,
                  v.plan.start.isoformat(), v.plan.target.isoformat(),
                  f"{v.plan.hours_per_week:g}", str(v.plan.weeks))
    out.table(table)


# ---------------------------------------------------------------- exports

def plan_markdown(plan: Plan, done: dict[str, date]) -> str:
    lines = [f"# {plan.roadmap}", ""]
    if plan.description:
        lines += [plan.description, ""]
    lines += [f"- Start: {plan.start.isoformat()}", f"- Target: {plan.target.isoformat()}",
              f"- {plan.weeks} weeks at {plan.hours_per_week:g} h/week, "
              f"{fmt_hours(plan.total_hours)} h of topics", ""]
    for phase in plan.phases:
        lines.append(f"## Phase {phase.number}: {phase.title}")
        lines.append("")
        weeks = _weeks(phase.first_week, phase.last_week)
        lines.append(f"*{phase.tagline}* — {phase.level}, weeks {weeks} "
                     f"({phase.start.isoformat()} – {phase.end.isoformat()}), "
                     f"{fmt_hours(phase.hours)} h")
        lines.append("")
        for topic in phase.topics:
            mark = "x" if topic.id in done else " "
            when = f", done {done[topic.id].isoformat()}" if topic.id in done else ""
            lines.append(f"- [{mark}] {topic.id} {topic.title} ({topic.start.isoformat()} – "
                         f"{topic.end.isoformat()}, {fmt_hours(topic.hours)} h{when})")
        if phase.tools:
            lines += ["", "Key tools: " + ", ".join(phase.tools)]
        lines.append("")
    if plan.buffer:
        buffer = plan.buffer
        lines += [f"## {buffer.title}", "",
                  f"Weeks {_weeks(buffer.first_week, buffer.last_week)} "
                  f"({buffer.start.isoformat()} – {buffer.end.isoformat()})", ""]
        if buffer.description:
            lines += [buffer.description, ""]
    return "\n".join(lines)


CSV_COLUMNS = ["phase", "phase_title", "topic_id", "title", "start", "end", "hours", "done_on"]


def plan_csv(plan: Plan, done: dict[str, date]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for phase in plan.phases:
        for topic in phase.topics:
            writer.writerow([phase.number, phase.title, topic.id, topic.title,
                             topic.start.isoformat(), topic.end.isoformat(),
                             f"{topic.hours:.2f}",
                             done[topic.id].isoformat() if topic.id in done else ""])
    return buffer.getvalue()


# ---------------------------------------------------------------- the terminal dashboard

def pace_style(status) -> str:
    """Green ahead or on pace, yellow up to a week behind, red beyond."""
    if status.verdict != "behind":
        return "green"
    return "yellow" if status.days_ahead >= -7 else "red"


def status_dashboard(out: Out, status, plan: Plan, chart: str | None) -> None:
    """`prepplan status` in a terminal: a compact panel, then the burn-up chart."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.progress_bar import ProgressBar
    from rich.table import Table as RichTable
    from rich.text import Text

    if status.state == "not_started":
        status_report(out, status, plan)
        if chart:
            out.console.print(Text.from_ansi(chart))
        return
    rows = RichTable.grid(padding=(0, 2))
    rows.add_column(style="bold", no_wrap=True)
    rows.add_column(overflow="fold")
    parts = []
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
        parts += [heading, bar]
    elif status.in_buffer and plan.buffer:
        parts.append(Text(plan.buffer.title, style="bold"))
    if status.this_week_topics:
        focus = RichTable.grid(padding=(0, 2))
        focus.add_column(overflow="fold", ratio=3)
        focus.add_column(style="dim", overflow="fold", ratio=2)
        for topic in status.this_week_topics:
            mark = "✓ " if topic.id in status.done_ids else "• "
            focus.add_row(Text(f"{mark}{topic.id} {topic.title}"), Text(", ".join(topic.tools)))
        parts += [Text("This week", style="bold"), focus]
    style = pace_style(status)
    rows.add_row("Pace", Text(verdict_words(status), style=f"bold {style}"))
    rows.add_row("Hours", Text(f"{fmt_hours(status.logged_hours)} logged · "
                               f"{fmt_hours(status.planned_hours)} planned to date · "
                               f"{fmt_hours(status.earned_hours)} earned"))
    rows.add_row("Topics", Text(f"{status.done_topics} done · {status.planned_topics} planned "
                                f"to date · {status.total_topics} in all"))
    if status.projected_finish:
        late = status.projected_finish > status.target
        rows.add_row("Finish", Text(f"projected {fmt_date(status.projected_finish)} · target "
                                    f"{fmt_date(status.target)}",
                                    style="red" if late else "green"))
    else:
        rows.add_row("Finish", Text(f"no projection until some work is earned · target "
                                    f"{fmt_date(status.target)}"))
    if status.verdict == "behind" and status.hours_per_week_needed is not None:
        rows.add_row("Catch up", Text(f"{status.hours_per_week_needed:.1f} h/week from now "
                                      f"(planned {plan.hours_per_week:g}) · or "
                                      f"`prepplan replan`", style=style))
    if status.state == "past_target":
        rows.add_row("Target", Text(f"passed: {status.total_topics - status.done_topics} "
                                    f"topics left", style="yellow"))
    if status.next_checkin:
        rows.add_row("Next check-in", Text(fmt_date(status.next_checkin)))
    parts += [Text(""), rows]
    when = f" · {fmt_date(status.as_of)}" if out.width >= 90 else ""
    title = Text(f" {plan.roadmap} · week {status.week} of {status.weeks}{when} ",
                 style="bold")
    out.console.print(Panel(Group(*parts), title=title, title_align="left",
                            border_style=style, padding=(0, 1)))
    if chart:
        out.console.print(Text.from_ansi(chart))
