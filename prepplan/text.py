"""Human output: plain aligned text when piped; in a terminal, lines styled with plain ANSI
escapes and rich tables (NO_COLOR: no escapes at all).

The status path never imports rich: rich costs more start-up time than a check-in's whole
budget (see benchmarks/). Only the tables of `show`, `history` and `log --list` use it.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import NamedTuple

from .model import WEEKDAY_NAMES, Plan
from .words import plural


def fmt_hours(hours: float) -> str:
    return f"{hours:.1f}"


def fmt_date(day: date) -> str:
    return day.strftime("%a %Y-%m-%d")


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


ANSI_CODES = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33",
              "blue": "34"}


def styled(text: str, style: str | None, color: bool) -> str:
    """`text` in a style such as "bold red", as plain ANSI escapes; none without colour."""
    if not (color and style and text):
        return text
    codes = ";".join(ANSI_CODES[word] for word in style.split())
    return f"\x1b[{codes}m{text}\x1b[0m"


class Out:
    """Where a command's human output goes: styled lines in a terminal (rich only for tables),
    plain text otherwise. NO_COLOR (any value) turns off every colour and style escape."""

    def __init__(self, stream=None, terminal: bool | None = None, no_color: bool = False,
                 width: int = 80) -> None:
        self.stream = stream or sys.stdout
        self.terminal = self.stream.isatty() if terminal is None else terminal
        self.no_color = no_color
        self._width = width  # the terminal's columns, measured by the CLI
        self._console = None

    @property
    def color(self) -> bool:
        return self.terminal and not self.no_color

    @property
    def width(self) -> int:
        return self._width if self.terminal else 80

    @property
    def console(self):
        if self._console is None:
            from rich.console import Console  # tables in a terminal only: keeps start-up fast

            self._console = Console(file=self.stream, highlight=False, width=self._width,
                                    color_system="auto" if self.color else None)
        return self._console

    def line(self, text: str = "", style: str | None = None) -> None:
        self.stream.write(styled(text, style, self.color) + "\n")

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


def pace_style(status) -> str:
    """Green ahead or on pace, yellow up to a week behind, red beyond."""
    if status.verdict != "behind":
        return "green"
    return "yellow" if status.days_ahead >= -7 else "red"


class StatusView(NamedTuple):
    """The status lines both the plain report and the dashboard print, worded once."""

    pace: str
    pace_style: str
    hours: str
    topics: str
    next_checkin: str | None


def status_view(status) -> StatusView:
    return StatusView(
        pace=verdict_words(status),
        pace_style=pace_style(status),
        hours=(f"{fmt_hours(status.logged_hours)} logged · "
               f"{fmt_hours(status.planned_hours)} planned to date · "
               f"{fmt_hours(status.earned_hours)} earned"),
        topics=(f"{status.done_topics} done · {status.planned_topics} planned to date · "
                f"{status.total_topics} in all"),
        next_checkin=fmt_date(status.next_checkin) if status.next_checkin else None)


def status_report(out: Out, status, plan: Plan) -> None:
    out.line(f"{plan.roadmap} — check-in for {fmt_date(status.as_of)}", style="bold")
    if status.state == "not_started":
        out.line(f"Not started yet: the plan begins {fmt_date(plan.start)} "
                 f"({plural((plan.start - status.as_of).days, 'day')} from now).")
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
                 f"{plural(status.total_topics - status.done_topics, 'topic')} and "
                 f"{fmt_hours(max(0.0, status.total_hours - status.earned_hours))} h are left.",
                 style="yellow")
    if status.state == "finished":
        out.line(f"Every topic is done ({status.done_topics} of {status.total_topics}). "
                 f"Target: {fmt_date(plan.target)}.", style="green")
    if status.this_week_topics:
        out.line("This week: " + "; ".join(f"{t.id} {t.title}"
                                           for t in status.this_week_topics))
    view = status_view(status)
    out.line(f"Hours: {view.hours}")
    out.line(f"Topics: {view.topics}")
    out.line(f"Pace: {view.pace}", style=VERDICT_STYLE[status.verdict])
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
    if view.next_checkin:
        out.line(f"Next check-in: {view.next_checkin}")


# ---------------------------------------------------------------- log, history

def log_table(out: Out, entries) -> None:
    table = Table(["Id", "Date", "Hours", "Note"], right_aligned={0, 2})
    for entry in entries:
        table.add(str(entry.id), entry.day.isoformat(), f"{entry.hours:g}", entry.note)
    out.table(table)
    out.line(f"{sum(entry.hours for entry in entries):g} h in {plural(len(entries), 'entry')}")


def local_time(moment, zone: str) -> str:
    """A stored (UTC) moment in the user's zone, with the zone's abbreviation."""
    from datetime import timezone
    from zoneinfo import ZoneInfo

    aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return aware.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


def history_table(out: Out, versions, zone: str) -> None:
    table = Table(["Version", "Made", "Why", "Start", "Target", "h/week", "Weeks"],
                  right_aligned={0, 5, 6})
    for v in versions:
        table.add(str(v.version), local_time(v.created_at, zone), v.reason,
                  v.plan.start.isoformat(), v.plan.target.isoformat(),
                  f"{v.plan.hours_per_week:g}", str(v.plan.weeks))
    out.table(table)


# ---------------------------------------------------------------- after generate and replan

def saved_summary(out: Out, saved) -> None:
    """What generate and replan print once the new version is stored."""
    plan_summary(out, saved.plan, saved.marks, with_topics=False)
    out.line(f"Calendar: {saved.ics_path} (version {saved.version}); import it into a "
             f"calendar of its own, see the README.")
    out.line("Every week: `prepplan checkin` (or `prepplan log` and `prepplan done`), then "
             "`prepplan status`.")


def version_heading(stored, latest: int, zone: str) -> str:
    return (f"Version {stored.version} of {latest}, made "
            f"{local_time(stored.created_at, zone)} ({stored.reason})")


def sync_summary(out: Out, outcome) -> None:
    """What a sync did, then each conflict (by title) and each refused write (with the
    server's reason): the counts alone would not say which events to look at."""
    result = outcome.result
    out.line(f"CalDAV calendar {outcome.calendar!r}: {result.created} created, "
             f"{result.updated} updated, {result.deleted} deleted, {result.unchanged} unchanged")
    if result.foreign:
        out.line(f"Left alone: {plural(result.foreign, 'event')} prepplan did not make.")
    if result.kept:
        out.line(f"Left alone: {plural(result.kept, 'event')} the plan no longer has, changed "
                 f"on the server.")
    if result.outside:
        out.line(f"Ignored: {plural(result.outside, 'event')} the server listed outside this "
                 f"calendar.")
    if result.conflicts:
        count = len(result.conflicts)
        out.line(f"Conflicts: {plural(count, 'event')} changed on the server since prepplan "
                 f"wrote {'it' if count == 1 else 'them'}, left as is (`prepplan sync --force` "
                 f"writes the plan's version):")
        for conflict in result.conflicts:
            out.line(f"  {conflict.title or conflict.uid}: {conflict.kind} on the server")
    if result.failures:
        out.line(f"Not written: {plural(len(result.failures), 'event')} the server refused "
                 f"(the next sync tries again):")
        for failure in result.failures:
            out.line(f"  {failure.title or failure.uid}: {failure.reason}")

# ---------------------------------------------------------------- done, checkin

def entry_words(entry) -> str:
    """One log entry in words: `2 h on 2026-03-03 (strace)`."""
    return (f"{entry.hours:g} h on {entry.day.isoformat()}"
            + (f" ({entry.note})" if entry.note else ""))


def hours_question(entries) -> str:
    since = f" (last entry {entries[-1].day.isoformat()})" if entries else ""
    return f"Hours studied since your last check-in{since}"


def marked_lines(marked, day: date) -> list[str]:
    """What `done` and `checkin` say about each topic ticked (or ticked before)."""
    return [f"Already done: {topic.id} {topic.title} ({already.isoformat()})" if already
            else f"Done: {topic.id} {topic.title} ({day.isoformat()})"
            for topic, already in marked]


def checkin_saved_lines(entry_id: int | None, hours: float, marked, day: date,
                        asked: bool) -> list[str]:
    """What a check-in says it saved (nothing: says so, and why when it could not ask)."""
    if entry_id is None and not marked:
        return ["Nothing to record this time." if asked else
                "Nothing to record: no --hours or --done given (checkin asks only in a "
                "terminal)."]
    logged = ([f"Logged {hours:g} h on {day.isoformat()} (entry {entry_id})."]
              if entry_id is not None else [])
    return logged + marked_lines(marked, day)


def checkin_offer_lines(offer) -> list[str]:
    """The topics a check-in offers, overdue first, one per line."""
    return ["Topics to tick off:"] + [f"  {topic.id:<5} {topic.title}"
                                      + ("  (overdue)" if overdue else "")
                                      for topic, overdue in offer]


TOPICS_QUESTION = "Done: ids (2.3 2.5), ranges (2.2-2.4), all, or Enter for none"


def checkin_summary(hours: float, topics, day: date) -> list[str]:
    """What a confirmed check-in will save."""
    lines = [f"To save for {day.isoformat()}:",
             f"  log {hours:g} h" if hours else "  no hours"]
    lines += [f"  done {topic.id} {topic.title}" for topic in topics] or ["  no topics"]
    return lines
