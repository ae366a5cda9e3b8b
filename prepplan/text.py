"""Human output: plain aligned text when piped; in a terminal, lines styled with plain ANSI
escapes and rich tables (NO_COLOR: no escapes at all).

The status path never imports rich: rich costs more start-up time than a check-in's whole
budget (see benchmarks/). Only the tables of `show`, `history` and `log --list` use it.
"""

import os
import sys
from datetime import date, timedelta
from typing import NamedTuple

from .model import MAX_HOURS_PER_WEEK, WEEKDAY_NAMES, Plan
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


def terminal_width(columns: str | None, stream) -> int:
    """$COLUMNS (its value handed in), else the width of the terminal `stream` is, else 80:
    shutil's rule, without importing shutil on every check-in."""
    if columns and columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(stream.fileno()).columns or 80
    except (OSError, ValueError, AttributeError):
        return 80


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


def fmt_span(first: date, last: date) -> str:
    """Inclusive dates: `2026-11-02 – 2026-11-08`, or one date for a single day."""
    return first.isoformat() if first == last else f"{first.isoformat()} – {last.isoformat()}"


def hours_words(schedule, with_days: bool = True) -> str:
    """The hours a week (and study days) the plan holds, in the order a replan changed them:
    `10 h/week (every day)`, or `8 h/week until 2026-06-14, then 10 h/week (every day)`."""
    changes = []  # segments that change the hours or the days
    for segment in schedule.segments:
        if not changes or (changes[-1].hours_per_week, changes[-1].study_weekdays) != (
                segment.hours_per_week, segment.study_weekdays):
            changes.append(segment)
    same_days = len({segment.study_weekdays for segment in changes}) == 1
    parts = []
    for index, segment in enumerate(changes):
        days = ", ".join(WEEKDAY_NAMES[day] for day in segment.study_weekdays) or "every day"
        part = f"{segment.hours_per_week:g} h/week"
        if with_days and (not same_days or index == len(changes) - 1):
            part += f" ({days})"
        if index + 1 < len(changes):
            part += f" until {(changes[index + 1].first_day - timedelta(days=1)).isoformat()}"
        parts.append(part)
    return ", then ".join(parts)


def plan_summary(out: Out, plan: Plan, done: dict[str, date], with_topics: bool) -> None:
    out.line(f"{plan.roadmap}", style="bold")
    out.line(f"{fmt_date(plan.start)} → target {fmt_date(plan.target)} · {plan.weeks} weeks · "
             f"{hours_words(plan.schedule)} · {fmt_hours(plan.total_hours)} h of topics")
    if plan.full_effort:
        out.line("Every phase gets its full effort"
                 + ("; the weeks left over go to the final block." if plan.buffer else "."))
    elif plan.regime == "stretch":
        out.line(f"Each phase is stretched {plan.stretch:.0%} of the way from its minimum to its "
                 f"maximum effort.")
    titles = {phase.number: phase.title for phase in plan.phases}
    for outside in plan.outside_range:
        phase = f"phase {outside.number} ({titles[outside.number]})"
        if plan.regime == "buffer":  # the ceilings need more weeks than the plan has
            out.line(f"Whole weeks leave {phase} short of its {fmt_hours(outside.max_hours)} h "
                     f"maximum: {fmt_hours(outside.hours)} h.")
        else:
            out.line(f"Whole weeks put {phase} outside its {fmt_hours(outside.min_hours)}–"
                     f"{fmt_hours(outside.max_hours)} h range: {fmt_hours(outside.hours)} h.")
    table = Table(["#", "Phase", "Weeks", "Dates", "Hours", "Topics"], right_aligned={0, 4, 5})
    for phase in plan.phases:
        finished = sum(1 for topic in phase.topics if topic.id in done)
        topics = (f"{finished}/{len(phase.topics)}" if done else str(len(phase.topics)))
        table.add(str(phase.number), phase.title, _weeks(phase.first_week, phase.last_week),
                  fmt_span(phase.start, phase.end),
                  fmt_hours(phase.hours), topics)
    if plan.buffer:
        buffer = plan.buffer
        table.add("", buffer.title, _weeks(buffer.first_week, buffer.last_week),
                  fmt_span(buffer.start, buffer.end), "", "",
                  style="dim")
    out.table(table)
    mocks_summary(out, plan, with_table=False)
    if with_topics:
        for phase in plan.phases:
            topics = Table(["", "Topic", "Dates", "Hours"], right_aligned={3},
                           title=f"Phase {phase.number} · {phase.title} · {phase.level}")
            for topic in phase.topics:
                mark = "[x]" if topic.id in done else "[ ]"
                topics.add(mark, f"{topic.id} {topic.title}",
                           fmt_span(topic.start, topic.end),
                           fmt_hours(topic.hours), style="green" if topic.id in done else None)
            out.line()
            out.table(topics)
            if phase.tools:
                out.line("Key tools: " + ", ".join(phase.tools))
        mocks_summary(out, plan, with_table=True)


def mocks_summary(out: Out, plan: Plan, with_table: bool) -> None:
    """The plan's mock interviews: how many and when, and (for `show`) each one."""
    from .mocks import planned_mocks

    mocks = planned_mocks(plan)
    if not mocks:
        return
    singles = [mock for mock in mocks if mock.kind == "single"]
    loops = [mock for mock in mocks if mock.kind == "loop"]
    parts = []
    if singles:
        parts.append(f"{len(singles)} single-round mocks, weekly from {fmt_date(singles[0].day)}")
    if loops:
        parts.append(f"{len(loops)} full loop{'s' if len(loops) > 1 else ''} in the final "
                     f"block ({', '.join(mock.day.isoformat() for mock in loops)})")
    if not with_table:
        out.line("Mocks: " + "; ".join(parts))
    else:
        out.line()
        table = Table(["Date", "Mock", "Minutes"], right_aligned={2}, title="Mock interviews")
        for mock in mocks:
            table.add(fmt_date(mock.day), mock.title, str(mock.minutes),
                      style="bold" if mock.kind == "loop" else None)
        out.table(table)


def mocks_table(out: Out, planned, results, today: date) -> None:
    """`prepplan mocks`: the results recorded, then the mocks still ahead."""
    scored = Table(["Id", "Date", "Round", "Score", "Note"], right_aligned={0, 3},
                   title="Mocks done")
    for result in results:
        scored.add(str(result.id), result.day.isoformat(), result.round, f"{result.score}/4",
                   result.note)
    if results:
        out.table(scored)
    else:
        out.line("No mock recorded yet: `prepplan mock ROUND --score 1-4` records one.")
    ahead = Table(["Date", "Mock", "Minutes"], right_aligned={2}, title="Mocks planned")
    for mock in planned:
        if mock.day >= today:
            ahead.add(fmt_date(mock.day), mock.title, str(mock.minutes))
    out.line()
    if ahead.rows:
        out.table(ahead)
    else:
        out.line("No mock planned from today on.")


def reviews_table(out: Out, due, as_of: date) -> None:
    """`prepplan review`: the topics due, weakest recall first."""
    if not due:
        out.line(f"No review due on {fmt_date(as_of)}.")
        return
    table = Table(["Topic", "Due", "Recall"], right_aligned={2},
                  title=f"Reviews due on {fmt_date(as_of)}, weakest recall first")
    for topic, review in due:
        table.add(f"{topic.id} {topic.title}", review.due.isoformat(),
                  f"{review.retrievability:.0%}")
    out.table(table)
    out.line("Rate each one: prepplan review TOPIC --rating again|hard|good|easy")


def unplaced_summary(out: Out, unplaced) -> None:
    """Done marks on topics a later version no longer has: kept, listed, never counted."""
    if not unplaced:
        return
    out.line()
    out.line(f"Done marks this plan no longer has a topic for (kept, not counted): "
             f"{len(unplaced)}", style="yellow")
    for mark in unplaced:
        out.line(f"  {mark.topic_id} {mark.title} (done {mark.done_on.isoformat()}; "
                 f"set aside by version {mark.version})")


def plans_table(out: Out, plans) -> None:
    table = Table(["", "Plan", "Roadmap", "Start", "Target", "Topics done"],
                  right_aligned={5})
    for plan in plans:
        table.add("*" if plan.current else "", plan.name, plan.roadmap, plan.start.isoformat(),
                  plan.target.isoformat(), f"{plan.done_topics}/{plan.total_topics}")
    out.table(table)


def _weeks(first: int, last: int) -> str:
    return f"{first}–{last}" if last > first else str(first)


# ---------------------------------------------------------------- status

def fmt_days(days: int) -> str:
    return plural(days, "day") + (f" ({days / 7:.1f} weeks)" if days >= 14 else "")


def verdict_words(status) -> str:
    """The verdict of today (once finished: of the finish against the plan)."""
    amount = fmt_days(abs(status.days_ahead))
    finished = "finished " if status.state == "finished" else ""
    if status.verdict == "on_pace":
        if status.days_ahead == 0:
            return f"{finished}on pace"
        side = "ahead" if status.days_ahead > 0 else "behind"
        return f"{finished}on pace ({amount} {side}, within ±{status.tolerance_days} days)"
    of_plan = (" of" if status.verdict == "ahead" else "") + " the plan" if finished else ""
    return f"{finished}{amount} {status.verdict}{of_plan}"


VERDICT_STYLE = {"ahead": "green", "on_pace": "green", "behind": "red"}


def pace_style(status) -> str:
    """Green ahead or on pace, yellow up to a week behind, red beyond."""
    if status.verdict != "behind":
        return "green"
    return "yellow" if status.days_ahead >= -7 else "red"


def fmt_chance(chance: float) -> str:
    """A share as a whole percentage that never rounds a possibility to 0% or a doubt to 100%."""
    percent = round(chance * 100)
    if chance > 0 and percent == 0:
        return "<1%"
    if chance < 1 and percent == 100:
        return ">99%"
    return f"{percent}%"


def _relative_to_target(day: date, target: date) -> str:
    days = (target - day).days
    if days == 0:
        return f"on the target day {fmt_date(target)}"
    return f"{fmt_days(abs(days))} {'before' if days > 0 else 'after'} the target {fmt_date(target)}"


def finish_words(status, plan: Plan) -> str:
    """The finish: once done, when, against the target; else the forecast with its basis."""
    if status.state == "finished":
        return f"done {fmt_date(status.finished_on)}, " + _relative_to_target(
            status.finished_on, status.target)
    if status.forecast is None:  # before the start
        return (f"planned {fmt_date(status.projected_finish)}, "
                + _relative_to_target(status.projected_finish, status.target))
    cast = status.forecast
    basis = (f"at your last {cast.history_weeks} weeks' {cast.hours_per_week:.1f} h/week"
             if cast.basis == "history" else f"at the planned {cast.hours_per_week:g} h/week")
    if cast.p50 is None and cast.hours_per_week <= 0:  # no hours logged: topics ticked alone
        return (f"{basis}: no finish in sight — the forecast follows the hours you log "
                f"(`prepplan log`)")
    if cast.p50 is None:
        return f"{basis}: not at this rate (nothing done within ten years)"
    p85 = fmt_date(cast.p85) if cast.p85 else "not at this rate"
    chance = (f"the target {fmt_date(status.target)} has passed"
              if status.state == "past_target" else
              f"{fmt_chance(cast.chance_on_time)} chance of making {fmt_date(status.target)}")
    return f"{basis}: most likely {fmt_date(cast.p50)}, 85%: {p85} — {chance}"


def finish_style(status) -> str:
    if status.state == "finished":
        return "green" if status.finished_on <= status.target else "red"
    if status.forecast is None:
        return "green"
    return "green" if status.forecast.chance_on_time >= 0.5 else "red"


def catch_up_words(status, plan: Plan) -> tuple[str, str] | None:
    """What would make the target, as (label, words); None once finished or before the start."""
    if status.state in ("finished", "not_started"):
        return None
    hours = plan.hours_per_week
    needed = status.hours_per_week_needed
    if not status.reachable:
        if status.state == "past_target":
            why = f"the target {fmt_date(status.target)} has passed"
        elif needed is None:
            why = f"the target {fmt_date(status.target)} cannot be made: no study time is left"
        else:
            why = (f"the target {fmt_date(status.target)} cannot be made: it would take "
                   f"{needed:.1f} h/week, {_over_the_limit(plan)}")
        if status.earliest_target is None:
            return "Catch up", f"{why}; move it with `prepplan replan --target DATE`"
        earliest = status.earliest_target.isoformat()
        return "Catch up", (f"{why}; the earliest target `prepplan replan` accepts at "
                            f"{hours:g} h/week is {fmt_date(status.earliest_target)}: "
                            f"`prepplan replan --target {earliest}`")
    if status.verdict == "behind" and (needed > hours or status.buffer_covers):
        slack = " — the buffer absorbs the slip" if status.buffer_covers else ""
        return "Catch up", (f"{needed:.1f} h/week from now makes the target "
                            f"(planned: {hours:g}){slack}")
    return "Needed", f"{needed:.1f} h/week from now to the target (planned: {hours:g})"


def _over_the_limit(plan: Plan) -> str:
    from .model import most_hours_per_week
    from .model import MAX_HOURS_PER_STUDY_DAY

    days = plan.schedule.study_weekdays
    limit = most_hours_per_week(days)
    if limit >= MAX_HOURS_PER_WEEK:
        return f"over the {MAX_HOURS_PER_WEEK} h/week limit"
    return (f"more than the {limit:g} h a week that {plural(len(days), 'study day')} hold at "
            f"{MAX_HOURS_PER_STUDY_DAY} h a day")


def topics_argument(plan: Plan, topics) -> str:
    """Topics as `prepplan done` takes them (app.resolve_topics), short: `phase:N` for a whole
    phase, `5.2-5.4` for three or more in a row inside a phase, else their ids."""
    chosen = {topic.id for topic in topics}
    words = []
    for phase in plan.phases:
        ids = [topic.id for topic in phase.topics]
        if len(ids) > 1 and chosen.issuperset(ids):
            words.append(f"phase:{phase.number}")
            continue
        run: list[str] = []
        for topic_id in [*ids, None]:  # None ends the last run
            if topic_id in chosen:
                run.append(topic_id)
                continue
            words += [f"{run[0]}-{run[-1]}"] if len(run) >= 3 else run
            run = []
    return " ".join(words)


def overdue_words(status, plan: Plan) -> str | None:
    """The topics planned to end before today and not ticked, with the command that ticks them
    (they usually explain a "behind" nobody expected)."""
    overdue = status.overdue_topics
    if not overdue:
        return None
    ids = topics_argument(plan, overdue)
    if len(overdue) > 3:  # the command names them all
        return f"{len(overdue)} topics — if they are done: `prepplan done {ids}`"
    shown = "; ".join(f"{topic.id} {topic.title}" for topic in overdue)
    pronoun = "it is" if len(overdue) == 1 else "they are"
    return f"{shown} — if {pronoun} done: `prepplan done {ids}`"


class StatusView(NamedTuple):
    """The status lines both the plain report and the dashboard print, worded once."""

    pace: str
    pace_style: str
    overdue: str | None
    hours: str
    topics: str
    finish: str
    finish_style: str
    catch_up: tuple[str, str] | None  # (label, words)
    replan_hint: str | None  # after a reachable catch-up: the other way out
    next_checkin: str | None
    mocks: list[str] = []  # per round: latest score and next mock
    reviews: str | None = None
    week_off: str | None = None  # a week wholly off: when study resumes


def week_off_words(status, plan: Plan) -> str | None:
    """For a week of the plan with no study day (a declared vacation): when study resumes."""
    schedule = plan.schedule
    if status.state != "in_progress" or not 1 <= status.week <= plan.weeks or \
            schedule.study_days(schedule.week_start(status.week), schedule.week_end(status.week)):
        return None
    last_day = schedule.week_end(plan.weeks)
    resumes = schedule.study_days(status.as_of + timedelta(days=1), last_day)
    return ("days off — study resumes " + fmt_date(resumes[0])) if resumes else "days off"


def mock_lines(status) -> list[str]:
    width = max((len(entry.round.id) for entry in status.mocks), default=0)
    lines = []
    for entry in status.mocks:
        last = (f"last {entry.last_score}/4 on {entry.last_date.isoformat()}"
                if entry.last_score is not None else "none yet")
        upcoming = f"next {fmt_date(entry.next)}" if entry.next else "none planned"
        lines.append(f"{entry.round.id.ljust(width)}  {last} · {upcoming}")
    return lines


def status_view(status, plan: Plan) -> StatusView:
    catch_up = catch_up_words(status, plan)
    return StatusView(
        pace=verdict_words(status),
        pace_style=pace_style(status),
        overdue=overdue_words(status, plan),
        hours=(f"{fmt_hours(status.logged_hours)} logged · "
               f"{fmt_hours(status.planned_hours)} planned to date · "
               f"{fmt_hours(status.earned_hours)} earned"),
        topics=(f"{status.done_topics} done · {status.planned_topics} planned to date · "
                f"{status.total_topics} in all"),
        finish=finish_words(status, plan),
        finish_style=finish_style(status),
        catch_up=catch_up,
        replan_hint=("Or rebuild the rest of the plan around what is done: `prepplan replan`"
                     if catch_up and catch_up[0] == "Catch up" and status.reachable else None),
        next_checkin=fmt_date(status.next_checkin) if status.next_checkin else None,
        mocks=mock_lines(status),
        reviews=(f"{status.reviews_due} due — `prepplan review` lists them"
                 if status.reviews_due else None),
        week_off=week_off_words(status, plan))


def status_report(out: Out, status, plan: Plan) -> None:
    out.line(f"{plan.roadmap} — check-in for {fmt_date(status.as_of)}", style="bold")
    view = status_view(status, plan)
    if status.state == "not_started":
        out.line(f"Not started yet: the plan begins {fmt_date(plan.start)} "
                 f"({plural((plan.start - status.as_of).days, 'day')} from now).")
        first = plan.phases[0]
        out.line(f"First up: Phase 1 · {first.title} — "
                 + ", ".join(f"{t.id} {t.title}" for t in status.this_week_topics))
        out.line(f"Target: {fmt_date(plan.target)} · {fmt_hours(status.total_hours)} h "
                 f"of topics at {plan.hours_per_week:g} h/week")
        out.line(f"Finish: {view.finish}")
        return
    last_day = plan.schedule.week_end(plan.weeks)
    where = (f"Week {status.week} of {status.weeks}" if status.as_of <= last_day else
             f"Past the plan's last week (week {plan.weeks} ended {fmt_date(last_day)})")
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
        out.line(f"Every topic is done ({status.done_topics} of {status.total_topics}).",
                 style=view.finish_style)
    if status.this_week_topics:
        out.line("This week: " + "; ".join(f"{t.id} {t.title}"
                                           for t in status.this_week_topics))
    elif view.week_off:
        out.line(f"This week: {view.week_off}")
    if view.overdue:
        out.line(f"Overdue: {view.overdue}", style="yellow")
    out.line(f"Hours: {view.hours}")
    out.line(f"Topics: {view.topics}")
    out.line(f"Pace: {view.pace}", style=VERDICT_STYLE[status.verdict])
    out.line(f"Finish: {view.finish}", style=view.finish_style)
    if view.catch_up:
        label, words = view.catch_up
        out.line(f"{label}: {words}", style="yellow" if label == "Catch up" else None)
    if view.replan_hint:
        out.line(view.replan_hint)
    if view.reviews:
        out.line(f"Reviews: {view.reviews}")
    if view.mocks:
        out.line("Mocks: " + view.mocks[0])
        for line in view.mocks[1:]:
            out.line("       " + line)
    if view.next_checkin:
        out.line(f"Next check-in: {view.next_checkin}")


# ---------------------------------------------------------------- log, done, history

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
    if saved.plan_count > 1:
        out.line(f"Plan {saved.name!r}" + ("" if saved.name == saved.current_name else
                 f" (the current plan is {saved.current_name!r}; `prepplan use {saved.name}` "
                 f"makes it this one, or pass --plan {saved.name})"))
    plan_summary(out, saved.plan, saved.marks, with_topics=False)
    if saved.note:
        out.line(saved.note, style="yellow")
    unplaced_summary(out, [mark for mark in saved.unplaced if mark.version == saved.version])
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


def hours_question(span) -> str:
    """The check-in's hours prompt, naming the last entry on or before its day (app.CheckinSpan)."""
    since = f" (last entry {span.last_entry.isoformat()})" if span.last_entry else ""
    return f"Hours studied since your last check-in{since}"


def marked_lines(marked, day: date) -> list[str]:
    """What `done` and `checkin` say about each topic ticked (or ticked before: its date stays,
    and the line says how to change it)."""
    return [_marked_line(topic, already, day) for topic, already in marked]


def _marked_line(topic, already: date | None, day: date) -> str:
    if not already:
        return f"Done: {topic.id} {topic.title} ({day.isoformat()})"
    line = f"Already done: {topic.id} {topic.title} ({already.isoformat()})"
    if already == day:
        return line
    return f"{line} — to date it {day.isoformat()}, run `prepplan undone {topic.id}` first"


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


RATING_QUESTION = "How well does {} sit? again/hard/good/easy"


def checkin_summary(hours: float, topics, day: date, ratings: dict[str, str]) -> list[str]:
    """What a confirmed check-in will save."""
    lines = [f"To save for {day.isoformat()}:",
             f"  log {hours:g} h" if hours else "  no hours"]
    lines += [f"  done {topic.id} {topic.title} (rated {ratings.get(topic.id, 'good')})"
              for topic in topics] or ["  no topics"]
    return lines


def show_screen(out: Out, shown, heading_zone: str | None) -> None:
    """`prepplan show`: the version's heading (its time in `heading_zone`) when a version was
    asked for, the plan with its topics, and the marks no topic of this version could take."""
    stored, marks, latest, _, unplaced = shown
    if heading_zone:
        out.line(version_heading(stored, latest, heading_zone))
    plan_summary(out, stored.plan, marks, with_topics=True)
    unplaced_summary(out, unplaced)


def mock_recorded(kind, result_id: int, score: str, day: date) -> str:
    return f"Recorded mock {result_id}: {kind.title}, {score.strip()}/4 on {day.isoformat()}"


def review_recorded(topic, day: date, due: date) -> str:
    return (f"Reviewed {topic.id} {topic.title} on {day.isoformat()}; next review due "
            f"{due.isoformat()}")

