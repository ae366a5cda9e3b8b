"""The typer app: parse -> call the core -> render. Errors become exit codes here, in one place.

The clock and the environment are read here and nowhere else; the core gets dates as values.
"""

from __future__ import annotations

import functools
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__
from .errors import PrepplanError, RefusedError, UsageError

app = typer.Typer(
    name="prepplan",
    help="Plan your interview preparation, put it in your calendar, and check in weekly.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # a real bug should show a plain traceback, not a wall
    context_settings={"help_option_names": ["-h", "--help"]},
)

SYNC_OPTION_HELP = "Update the CalDAV calendar afterwards (default: ask in a terminal)."


def today() -> date:
    return date.today()


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def fail(message: str, code: int) -> None:
    typer.echo(f"prepplan: {message}", err=True)
    raise typer.Exit(code)


def command(*names, **kwargs):
    """app.command, with PrepplanError turned into one line on stderr and its exit code."""

    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args, **kw):
            try:
                return function(*args, **kw)
            except PrepplanError as error:
                fail(error.message, error.exit_code)

        return app.command(*names, **kwargs)(wrapper)

    return decorate


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"prepplan {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: bool = typer.Option(False, "--version", callback=_version_callback, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    """Plan your interview preparation, put it in your calendar, and check in weekly.

    Start with `prepplan generate`, import the .ics it writes, and run `prepplan checkin`
    every week.
    """


def _open_store():
    from .store import Store

    return Store.open()


def _out():
    from .render import Out

    return Out()


def _print_json(document) -> None:
    from .render import dumps

    typer.echo(dumps(document))


# ---------------------------------------------------------------- generate

def _system_zone() -> str:
    try:
        import tzlocal

        return tzlocal.get_localzone_name() or "UTC"
    except Exception:  # an unconfigured machine: UTC rather than a crash
        return "UTC"


@command("generate")
def generate(
    start: str = typer.Option("today", "--start", help="First study day, YYYY-MM-DD or today."),
    hours: str = typer.Option("10", "--hours", help="Study hours per week (0 < H ≤ 80)."),
    months: Optional[int] = typer.Option(None, "--months",
                                         help="Target = start + this many months (default: 8)."),
    target: Optional[str] = typer.Option(None, "--target", help="Target date, YYYY-MM-DD."),
    curriculum: Optional[Path] = typer.Option(None, "--curriculum",
                                              help="Your own curriculum TOML file."),
    out: Path = typer.Option(Path("prepplan.ics"), "--out", help="Calendar file to write."),
    tz: Optional[str] = typer.Option(None, "--tz", help="IANA time zone (default: system)."),
    days: Optional[str] = typer.Option(None, "--days",
                                       help="Study weekdays for timed sessions, e.g. mon,wed,sat."),
    at: Optional[str] = typer.Option(None, "--at", help="Local start time of sessions and "
                                                         "check-ins, HH:MM (default: 18:00)."),
    skip: List[str] = typer.Option([], "--skip", help="Days off: DATE or FIRST..LAST "
                                                      "(repeatable)."),
    force: bool = typer.Option(False, "--force", help="Replace a plan that has progress."),
    sync: Optional[bool] = typer.Option(None, "--sync/--no-sync", help=SYNC_OPTION_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
) -> None:
    """Make a study plan and write its calendar file.

    Example:  prepplan generate --start 2026-12-07 --hours 10 --months 8
    """
    from .curriculum import parse_curriculum, read_curriculum
    from .inputs import parse_date, parse_hours, parse_skip, parse_time, parse_weekdays, parse_zone
    from .schedule import allocate, target_from_months

    now, day = now_utc(), today()
    start_day = parse_date(start, day, "--start date")
    hours_per_week = parse_hours(hours, "--hours")
    if months is not None and target is not None:
        raise UsageError("give --months or --target, not both")
    target_day = (parse_date(target, day, "--target date") if target is not None
                  else target_from_months(start_day, 8 if months is None else months))
    zone = parse_zone(tz) if tz else _system_zone()
    study_weekdays = parse_weekdays(days) if days else ()
    session_time = parse_time(at) if at else None
    skip_ranges = tuple(parse_skip(text, day) for text in skip)
    curriculum_text, curriculum_source = read_curriculum(curriculum)  # read once, stored as is
    loaded = parse_curriculum(curriculum_text, curriculum_source)
    if months is not None and not loaded.min_months <= months <= loaded.max_months:
        raise UsageError(f"--months must be from {loaded.min_months} to {loaded.max_months} "
                         f"(the roadmap's window), not {months}")
    plan = allocate(loaded, start_day, hours_per_week, target_day,
                    study_weekdays=study_weekdays, skip_ranges=skip_ranges,
                    session_time=session_time)
    _store_and_write(plan, zone, out, force, now, "generate --force" if force else "generate",
                     loaded.source, curriculum_text, as_json, sync)


def _store_and_write(plan, zone, out: Path, force: bool, now: datetime, reason: str,
                     curriculum_source: str, curriculum_text: str, as_json: bool,
                     sync: Optional[bool]) -> None:
    """Store a new version of the plan and write its calendar, all or nothing. Without
    `force`, a plan that has progress is not replaced."""
    from .files import AtomicFile
    from .ics import calendar_bytes
    from .render import plan_document, plan_summary

    import uuid

    store = _open_store()
    out_path = out.expanduser().absolute()
    with store.transaction():
        current = store.current()
        if current is not None and store.has_progress() and not force:
            raise RefusedError("the current plan has progress logged: pass --force to replace "
                               "it (the old version stays in `prepplan history`)")
        plan_id = current.plan_id if current else uuid.uuid4().hex
        version = (current.version if current else 0) + 1
        data = calendar_bytes(plan, plan_id=plan_id, sequence=version - 1, stamp=now,
                              tz_name=zone, previous=current.plan if current else None)
        pending = AtomicFile(out_path, data)
        try:
            store.add_version(plan_id, now, reason, plan, zone, curriculum_source,
                              curriculum_text, str(out_path))
            pending.commit()
        except BaseException:
            pending.discard()
            raise
        marks = store.marks()
    if as_json:
        _print_json(plan_document(plan, marks, str(out_path)))
        if sync:  # stdout holds the JSON document alone; a sync's report would break it
            _sync_quietly(store)
        return
    output = _out()
    plan_summary(output, plan, marks, with_topics=False)
    output.line(f"Calendar: {out_path} (version {version}); import it into a calendar of its "
                f"own, see the README.")
    output.line("Every week: `prepplan checkin` (or `prepplan log` and `prepplan done`), then "
                "`prepplan status`.")
    _after_change(store, sync)


def _sync_quietly(store) -> None:
    """--json with --sync: the sync's report goes to stderr."""
    import contextlib

    with contextlib.redirect_stdout(sys.stderr):
        _after_change(store, True)


# ---------------------------------------------------------------- replan

@command("replan")
def replan_command(
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Replan from the end of this day "
                                                              "(default: today)."),
    hours: Optional[str] = typer.Option(None, "--hours", help="New hours per week "
                                                              "(default: unchanged)."),
    target: Optional[str] = typer.Option(None, "--target", help="New target date "
                                                                "(default: unchanged)."),
    days: Optional[str] = typer.Option(None, "--days", help="New study weekdays, e.g. tue,thu,sun"
                                                            "; 'all' for every day."),
    at: Optional[str] = typer.Option(None, "--at", help="New local time of sessions, HH:MM."),
    skip: List[str] = typer.Option([], "--skip", help="More days off: DATE or FIRST..LAST "
                                                      "(repeatable)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Calendar file to write "
                                                           "(default: the plan's)."),
    sync: Optional[bool] = typer.Option(None, "--sync/--no-sync", help=SYNC_OPTION_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the new plan as JSON."),
) -> None:
    """Rebuild the rest of the plan around what is done, from as-of to the target.

    Done topics and logged hours stay; the calendar keeps its event UIDs.

    Example:  prepplan replan --hours 12 --target 2027-09-30
    """
    from .curriculum import parse_curriculum
    from .inputs import parse_date, parse_hours, parse_skip, parse_time, parse_weekdays
    from .schedule import replan

    now, day = now_utc(), today()
    store = _open_store()
    current = store.require_current()
    previous = current.plan
    replan_day = parse_date(as_of, day, "--as-of date") if as_of else day
    hours_per_week = parse_hours(hours, "--hours") if hours else previous.hours_per_week
    target_day = parse_date(target, day, "--target date") if target else previous.target
    if days is None:
        weekdays = previous.schedule.study_weekdays
    else:
        weekdays = () if days.strip().lower() == "all" else parse_weekdays(days)
    session_time = parse_time(at) if at else previous.session_time
    skip_ranges = previous.skip_ranges + tuple(parse_skip(text, day) for text in skip)
    curriculum = parse_curriculum(current.curriculum_text, current.curriculum_source)
    marks = store.marks()
    logged = sum(entry.hours for entry in store.log_entries() if entry.day <= replan_day)
    plan = replan(curriculum, previous, marks, logged, replan_day,
                  hours_per_week=hours_per_week, target=target_day, study_weekdays=weekdays,
                  skip_ranges=skip_ranges, session_time=session_time)
    out_path = out if out is not None else Path(current.ics_path or "prepplan.ics")
    _store_and_write(plan, current.tz, out_path, True, now,
                     f"replan as of {replan_day.isoformat()}", current.curriculum_source,
                     current.curriculum_text, as_json, sync)


# ---------------------------------------------------------------- show, history, export

@command("show")
def show(
    version: Optional[int] = typer.Option(None, "--version", help="Show an older version."),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
) -> None:
    """Show the stored plan: phases, weeks, dates, hours and topics.

    Example:  prepplan show --json
    """
    from .render import plan_document, plan_summary

    store = _open_store()
    stored = store.version(version) if version is not None else store.require_current()
    marks = store.marks()
    if as_json:
        document = plan_document(stored.plan, marks, stored.ics_path)
        document["version"] = stored.version
        _print_json(document)
        return
    output = _out()
    if version is not None:
        output.line(f"Version {stored.version} of {store.require_current().version}, made "
                    f"{stored.created_at:%Y-%m-%d %H:%M} ({stored.reason})")
    plan_summary(output, stored.plan, marks, with_topics=True)


@command("history")
def history(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List every version of the plan.

    Example:  prepplan history
    """
    from .render import history_document, history_table

    store = _open_store()
    store.require_current()
    versions = store.versions()
    if as_json:
        _print_json(history_document(versions))
    else:
        history_table(_out(), versions)


FORMATS = ("ics", "json", "markdown", "csv")


@command("export")
def export(
    format: str = typer.Option(..., "--format", help="ics, json, markdown or csv."),
    out: Optional[str] = typer.Option(None, "--out", help="File to write; - or none: stdout."),
) -> None:
    """Write the current plan and progress as ics, json, markdown or csv.

    Example:  prepplan export --format markdown --out plan.md
    """
    from .files import write_atomic
    from .render import dumps, plan_csv, plan_document, plan_markdown

    if format not in FORMATS:
        raise UsageError(f"unknown format {format!r}: use one of {', '.join(FORMATS)}")
    store = _open_store()
    current = store.require_current()
    marks = store.marks()
    if format == "ics":
        from .ics import calendar_bytes

        previous = store.version(current.version - 1).plan if current.version > 1 else None
        data = calendar_bytes(current.plan, plan_id=current.plan_id,
                              sequence=current.version - 1, stamp=now_utc(), tz_name=current.tz,
                              previous=previous)
    elif format == "json":
        data = (dumps(plan_document(current.plan, marks, current.ics_path)) + "\n").encode()
    elif format == "markdown":
        data = plan_markdown(current.plan, marks).encode()
    else:
        data = plan_csv(current.plan, marks).encode()
    if out in (None, "-"):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write_atomic(Path(out).expanduser().absolute(), data)
    typer.echo(f"Wrote {Path(out).expanduser().absolute()}", err=True)


# ---------------------------------------------------------------- log, done, undone

MAX_HOURS_PER_DAY = 24


def _record_log(store, hours: float, day: date, note: str, now: datetime) -> int:
    if hours <= 0:
        raise UsageError(f"hours must be more than 0, not {hours:g} "
                         f"(to fix an entry, `prepplan log --undo`)")
    if day > today():
        raise UsageError(f"{day.isoformat()} is in the future: log what you have done "
                         f"(today or earlier)")
    with store.transaction():
        already = store.hours_logged_on(day)
        if already + hours > MAX_HOURS_PER_DAY:
            raise UsageError(f"{already + hours:g} h on {day.isoformat()} is more than a day "
                             f"holds ({already:g} h already logged that day)")
        return store.add_log(day, hours, note, now)


@command("log", context_settings={"ignore_unknown_options": True})  # `log -2` reaches our check
def log(
    hours: Optional[str] = typer.Argument(None, help="Hours studied (with --undo: an entry id)."),
    date_: Optional[str] = typer.Option(None, "--date", help="The day studied (default: today)."),
    note: str = typer.Option("", "--note", help="What you did."),
    list_: bool = typer.Option(False, "--list", help="Show the entries with their ids."),
    undo: bool = typer.Option(False, "--undo", help="Remove the last entry (or the id given)."),
    as_json: bool = typer.Option(False, "--json", help="With --list: print JSON."),
) -> None:
    """Record study time; --list shows entries, --undo [ID] removes one.

    Example:  prepplan log 2.5 --note "strace practice"   (later: prepplan log --undo)
    """
    from .inputs import parse_date, parse_hours
    from .render import log_document, log_table

    store = _open_store()
    if list_:
        entries = store.log_entries()
        if as_json:
            _print_json(log_document(entries))
        else:
            log_table(_out(), entries)
        return
    if undo:
        entry_id = None
        if hours is not None:
            if not hours.isdigit():
                raise UsageError(f"--undo takes a log entry id (a whole number), not {hours!r}")
            entry_id = int(hours)
        with store.transaction():
            removed = store.remove_log(entry_id)
        typer.echo(f"Removed entry {removed.id}: {removed.hours:g} h on "
                   f"{removed.day.isoformat()}" + (f" ({removed.note})" if removed.note else ""))
        return
    if hours is None:
        raise UsageError("say how many hours: prepplan log HOURS [--date D] [--note TEXT]")
    day = parse_date(date_, today(), "--date") if date_ else today()
    amount = parse_hours(hours)
    entry_id = _record_log(store, amount, day, note, now_utc())
    total = store.hours_logged_on(day)
    typer.echo(f"Logged {amount:g} h on {day.isoformat()} (entry {entry_id}; "
               f"{total:g} h that day).")


def _resolve_topics(plan, names: list[str]):
    from .errors import RefusedError

    topics = plan.topics
    chosen = []
    for name in names:
        wanted = name.strip()
        exact = [topic for topic in topics if topic.id == wanted]
        matches = exact or [topic for topic in topics if wanted.casefold() in
                            topic.title.casefold()]
        if len(matches) == 1:
            chosen.append(matches[0])
            continue
        if not matches:
            hints = _close_topics(topics, wanted)
            listing = "".join(f"\n  {t.id}  {t.title}" for t in hints)
            raise RefusedError(f"no topic matches {name!r}: "
                               + ("did you mean one of these?" + listing if hints
                                  else "`prepplan show` lists every topic with its id"))
        listing = "".join(f"\n  {t.id}  {t.title}" for t in matches)
        raise RefusedError(f"{name!r} matches {len(matches)} topics; "
                           f"name one by its id:{listing}")
    return chosen


def _close_topics(topics, wanted: str, limit: int = 3):
    """Topics with a run of words close to what was typed (typos: "boot sequense")."""
    import difflib

    query = wanted.casefold().split()
    scored = []
    for topic in topics:
        words = topic.title.casefold().split()
        width = max(1, min(len(query), len(words)))
        best = max(difflib.SequenceMatcher(None, " ".join(query),
                                           " ".join(words[i:i + width])).ratio()
                   for i in range(len(words) - width + 1))
        if best >= 0.75:
            scored.append((-best, topic.id, topic))
    return [topic for _, _, topic in sorted(scored)[:limit]]


@command("done")
def done(
    topics: List[str] = typer.Argument(..., help="Topic ids (2.3) or unique parts of titles."),
    date_: Optional[str] = typer.Option(None, "--date", help="The day finished (default: today)."),
) -> None:
    """Mark topics done.

    Example:  prepplan done 1.1 "socket programming" --date 2026-12-20
    """
    from .inputs import parse_date

    day = parse_date(date_, today(), "--date") if date_ else today()
    store = _open_store()
    _mark_done(store, store.require_current().plan, topics, day)


def _mark_done(store, plan, names: list[str], day: date) -> None:
    if day > today():
        raise UsageError(f"{day.isoformat()} is in the future: mark topics done on the day you "
                         f"finish them")
    chosen = _resolve_topics(plan, names)
    with store.transaction():
        existing = store.marks()
        for topic in chosen:
            store.mark_done(topic.id, day, now_utc())
    for topic in chosen:
        if topic.id in existing:
            typer.echo(f"Already done: {topic.id} {topic.title} "
                       f"({existing[topic.id].isoformat()})")
        else:
            typer.echo(f"Done: {topic.id} {topic.title} ({day.isoformat()})")


@command("undone")
def undone(
    topics: List[str] = typer.Argument(..., help="Topic ids (2.3) or unique parts of titles."),
) -> None:
    """Mark topics as not done again.

    Example:  prepplan undone 2.3
    """
    store = _open_store()
    chosen = _resolve_topics(store.require_current().plan, topics)
    with store.transaction():
        changed = [topic for topic in chosen if store.unmark(topic.id)]
    for topic in chosen:
        state = "Not done" if topic in changed else "Was not done"
        typer.echo(f"{state}: {topic.id} {topic.title}")


# ---------------------------------------------------------------- status, checkin

@command("status")
def status(
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Report as of this day "
                                                              "(default: today)."),
    chart: bool = typer.Option(False, "--chart", help="Add the burn-up chart (shown anyway in "
                                                      "a terminal 80 columns wide or more)."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """The weekly check-in report: where you are, this week's focus, and your pace.

    Example:  prepplan status --as-of 2027-03-14 --chart
    """
    from .inputs import parse_date

    day = parse_date(as_of, today(), "--as-of date") if as_of else today()
    store = _open_store()
    _print_status(store, day, as_json, chart)


CHART_MIN_WIDTH = 80


def _print_status(store, day: date, as_json: bool, chart: bool = False, out=None) -> None:
    from .pace import compute_status
    from .render import status_dashboard, status_document, status_report

    current = store.require_current()
    log_entries = [(entry.day, entry.hours) for entry in store.log_entries()]
    marks = store.marks()
    figures = compute_status(current.plan, log_entries, marks, day)
    if as_json:
        _print_json(status_document(figures))
        return
    out = out or _out()
    drawn = None
    if chart or (out.terminal and out.width >= CHART_MIN_WIDTH):
        from .chart import burnup_chart
        from .pace import burnup

        points = burnup(current.plan, log_entries, marks, day)
        drawn = burnup_chart(points, current.plan, day, width=min(out.width, 120), height=16,
                             color=out.color)
    if out.terminal:
        status_dashboard(out, figures, current.plan, drawn)
    else:
        status_report(out, figures, current.plan)
        if drawn:
            out.line()
            out.line(drawn)


def _stdin_has_answers(timeout: float = 0.3) -> bool:
    """True when answers can be read without blocking: a terminal, in-memory input (tests),
    or a pipe/file with data or at its end. An open pipe that stays silent is not waited on."""
    stream = sys.stdin
    if stream is None:
        return False
    try:
        if stream.isatty():
            return True
        fileno = stream.fileno()
    except (AttributeError, ValueError, OSError):
        return True  # not a real file descriptor: in-memory input cannot block
    import select

    try:
        ready, _, _ = select.select([fileno], [], [], timeout)
    except (OSError, ValueError):
        return False
    return bool(ready)


@command("checkin")
def checkin(
    hours: Optional[str] = typer.Option(None, "--hours", help="Hours studied since the last "
                                                              "check-in."),
    done_topics: List[str] = typer.Option([], "--done", help="A topic finished (repeatable)."),
    date_: Optional[str] = typer.Option(None, "--date", help="Check-in day (default: today)."),
    note: str = typer.Option("", "--note", help="A note for the log entry."),
    sync: Optional[bool] = typer.Option(None, "--sync/--no-sync", help=SYNC_OPTION_HELP),
) -> None:
    """Weekly check-in: log hours, tick off topics, then see your status.

    Asks what it was not told with flags; without a terminal it asks nothing.

    Example:  prepplan checkin --hours 9.5 --done 2.3 --done 2.4
    """
    from .inputs import parse_date, parse_hours
    from .pace import compute_status

    day = parse_date(date_, today(), "--date") if date_ else today()
    store = _open_store()
    current = store.require_current()
    plan = current.plan
    # any answer given as a flag means a scripted check-in: ask nothing
    interactive = hours is None and not done_topics and _stdin_has_answers()
    entries = store.log_entries()
    if hours is None and interactive:
        since = (f" (last entry {entries[-1].day.isoformat()})" if entries else "")
        hours = typer.prompt(f"Hours studied since your last check-in{since}", default="0")
    amount = parse_hours(hours) if hours is not None else 0.0
    if amount < 0:
        raise UsageError(f"hours must be 0 or more, not {amount:g}")
    names = list(done_topics)
    if not names and interactive:
        marks = store.marks()
        figures = compute_status(plan, [(e.day, e.hours) for e in entries], marks, day)
        week_end = plan.schedule.week_start(max(figures.week, 1)) + timedelta(days=6)
        offered = [topic for topic in plan.topics
                   if topic.id not in marks and topic.start <= week_end]
        for topic in offered:
            overdue = " (overdue)" if topic.end < day else ""
            if typer.confirm(f"Done: {topic.id} {topic.title}{overdue}?", default=False):
                names.append(topic.id)
    if amount > 0:
        entry_id = _record_log(store, amount, day, note or "check-in", now_utc())
        typer.echo(f"Logged {amount:g} h on {day.isoformat()} (entry {entry_id}).")
    if names:
        _mark_done(store, plan, names, day)
    typer.echo("")
    _print_status(store, day, as_json=False)
    _after_change(store, sync)


# ---------------------------------------------------------------- CalDAV sync

PASSWORD_ENV = "PREPPLAN_CALDAV_PASSWORD"


def _caldav_password(url: str, user: str) -> str:
    """From the environment, the system keyring (when the keyring package is installed), or a
    prompt in a terminal. prepplan never writes it anywhere."""
    import os

    password = os.environ.get(PASSWORD_ENV)
    if password:
        return password
    try:
        import keyring

        password = keyring.get_password("prepplan", f"{user}@{url}")
        if password:
            return password
    except Exception:  # no keyring, or no usable backend: fall through to the prompt
        pass
    if sys.stdin is not None and sys.stdin.isatty():
        return typer.prompt(f"CalDAV password for {user}", hide_input=True)
    raise RefusedError(f"no CalDAV password: set {PASSWORD_ENV} (prepplan never stores it)")


def _sync(store, force: bool = False) -> None:
    from .ics import build_calendar, calendar_name, event_objects
    from .sync import SyncError, connect, find_or_create, sync_calendar

    current = store.require_current()
    url = store.setting("caldav_url")
    user = store.setting("caldav_user")
    if not url or not user:
        raise RefusedError("no CalDAV calendar set up yet: run `prepplan sync --url URL "
                           "--user NAME` once")
    name = store.setting("caldav_calendar") or calendar_name(current.plan.roadmap)
    desired = event_objects(build_calendar(current.plan, plan_id=current.plan_id,
                                           sequence=current.version - 1, stamp=now_utc(),
                                           tz_name=current.tz))
    password = _caldav_password(url, user)
    client, principal = connect(url, user, password)
    try:
        calendar = find_or_create(principal, name)
    except Exception as exc:
        raise SyncError(f"cannot open or create the calendar {name!r} at {url}: {exc}") from None
    suffix = f".{current.plan_id}@prepplan"
    try:
        result = sync_calendar(client, calendar, desired, lambda uid: uid.endswith(suffix),
                               store.caldav_etags(), force=force)
    except SyncError as error:
        partial = getattr(error, "partial_etags", None)
        if partial is not None:  # what was done stays recorded: the next sync goes on from it
            with store.transaction():
                store.set_caldav_etags(partial)
        raise
    with store.transaction():
        store.set_caldav_etags(result.etags)
    typer.echo(f"CalDAV calendar {result.calendar!r}: {result.created} created, "
               f"{result.updated} updated, {result.deleted} deleted, {result.unchanged} "
               f"unchanged")
    if result.foreign:
        typer.echo(f"Left alone: {result.foreign} events prepplan did not make.")
    if result.conflicts:
        raise RefusedError(f"{len(result.conflicts)} events were changed on the server since "
                           f"the last sync and were left as they are; `prepplan sync --force` "
                           f"overwrites them with the plan")


def _after_change(store, sync: Optional[bool]) -> None:
    """After generate, replan or checkin: sync when asked, offer it in a terminal when a
    CalDAV calendar is set up. A failed sync keeps the local change."""
    configured = bool(store.setting("caldav_url"))
    if not configured:
        if sync:
            raise RefusedError("your plan is saved, but no CalDAV calendar is set up yet: run "
                               "`prepplan sync --url URL --user NAME` once")
        return
    if sync is None:
        if sys.stdin is not None and sys.stdin.isatty() and sys.stdout.isatty():
            sync = typer.confirm("Update your CalDAV calendar now?", default=True)
        else:
            typer.echo("Your CalDAV calendar is not updated yet: run `prepplan sync`.")
            return
    if sync:
        try:
            _sync(store)
        except PrepplanError as error:
            error.message += " — your plan is saved; run `prepplan sync` to retry"
            raise


@command("sync")
def sync_command(
    url: Optional[str] = typer.Option(None, "--url", help="CalDAV address (remembered)."),
    user: Optional[str] = typer.Option(None, "--user", help="CalDAV user name (remembered)."),
    calendar: Optional[str] = typer.Option(None, "--calendar", help="Calendar name, made if "
                                                                    "missing (remembered; "
                                                                    "default: the roadmap's)."),
    force: bool = typer.Option(False, "--force", help="Overwrite events edited on the server."),
) -> None:
    """Make a CalDAV calendar equal to the current plan (only prepplan's own events).

    The password comes from PREPPLAN_CALDAV_PASSWORD or a prompt; it is never stored.

    Example:  prepplan sync --url https://caldav.fastmail.com/dav/ --user me@fastmail.com
    """
    store = _open_store()
    store.require_current()
    with store.transaction():
        for key, value in (("caldav_url", url), ("caldav_user", user),
                           ("caldav_calendar", calendar)):
            if value:
                store.set_setting(key, value.strip())
    _sync(store, force=force)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
