"""The typer app: parse what was typed, call a use case in `app`, print. Errors become one line
on stderr and an exit code, here, in one place.

The clock and the environment are read here and nowhere else; everything below gets them as
values.
"""

from __future__ import annotations

import functools
import os
import sys
from datetime import date, datetime, timezone
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
HOME_ENV = "PREPPLAN_HOME"
PASSWORD_ENV = "PREPPLAN_CALDAV_PASSWORD"
CHART_MIN_WIDTH = 80
FORMATS = ("ics", "json", "markdown", "csv")


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
    from .store import Store, default_home

    return Store.open(default_home(os.environ.get(HOME_ENV)))


def _out():
    from .text import Out

    return Out(no_color="NO_COLOR" in os.environ)


def _print_json(document) -> None:
    from .documents import dumps

    typer.echo(dumps(document))


def _day(text: Optional[str], what: str) -> date:
    """An optional date option: `today` when not given."""
    from .inputs import parse_date

    return parse_date(text, today(), what) if text else today()


def _system_zone() -> str:
    try:
        import tzlocal

        return tzlocal.get_localzone_name() or "UTC"
    except Exception:  # an unconfigured machine: UTC rather than a crash
        return "UTC"


# ---------------------------------------------------------------- generate, replan

@command("generate")
def generate(
    start: str = typer.Option("today", "--start", help="First study day, YYYY-MM-DD or today."),
    hours: str = typer.Option("10", "--hours", help="Study hours per week (0 < H ≤ 80)."),
    months: Optional[int] = typer.Option(None, "--months", help="Target = start + this many "
                                         "months (default: the middle of the roadmap's window)."),
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
    from .app import PlanRequest, make_plan
    from .inputs import parse_date, parse_hours, parse_skip, parse_time, parse_weekdays, parse_zone

    day = today()
    start_day = parse_date(start, day, "--start date")
    hours_per_week = parse_hours(hours, "--hours")
    if months is not None and target is not None:
        raise UsageError("give --months or --target, not both")
    request = PlanRequest(
        start=start_day, hours_per_week=hours_per_week, months=months,
        target=parse_date(target, day, "--target date") if target is not None else None,
        curriculum_path=curriculum, zone=parse_zone(tz) if tz else _system_zone(),
        study_weekdays=parse_weekdays(days) if days else (),
        session_time=parse_time(at) if at else None,
        skip_ranges=tuple(parse_skip(text, day) for text in skip))
    store = _open_store()
    _saved(store, make_plan(store, request, out, force, now_utc()), as_json, sync)


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
    from .app import replan_plan
    from .inputs import parse_date, parse_hours, parse_skip, parse_time, parse_weekdays

    day = today()
    store = _open_store()
    store.require_current()
    weekdays = None if days is None else (
        () if days.strip().lower() == "all" else parse_weekdays(days))
    saved = replan_plan(
        store, _day(as_of, "--as-of date"), now_utc(),
        hours_per_week=parse_hours(hours, "--hours") if hours else None,
        target=parse_date(target, day, "--target date") if target else None,
        study_weekdays=weekdays, session_time=parse_time(at) if at else None,
        more_skip=tuple(parse_skip(text, day) for text in skip), out=out)
    _saved(store, saved, as_json, sync)


def _saved(store, saved, as_json: bool, sync: Optional[bool]) -> None:
    """What generate and replan print once the new version is stored."""
    from .documents import plan_document

    if as_json:
        _print_json(plan_document(saved.plan, saved.marks, str(saved.ics_path)))
        if sync:  # stdout holds the JSON document alone; a sync's report goes to stderr
            import contextlib

            with contextlib.redirect_stdout(sys.stderr):
                _after_change(store, True)
        return
    from .text import plan_summary

    output = _out()
    plan_summary(output, saved.plan, saved.marks, with_topics=False)
    output.line(f"Calendar: {saved.ics_path} (version {saved.version}); import it into a "
                f"calendar of its own, see the README.")
    output.line("Every week: `prepplan checkin` (or `prepplan log` and `prepplan done`), then "
                "`prepplan status`.")
    _after_change(store, sync)


# ---------------------------------------------------------------- show, history, export

@command("show")
def show(
    version: Optional[int] = typer.Option(None, "--version", help="Show an older version."),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
) -> None:
    """Show the stored plan: phases, weeks, dates, hours and topics.

    Example:  prepplan show --json
    """
    store = _open_store()
    stored = store.version(version) if version is not None else store.require_current()
    marks = store.marks()
    if as_json:
        from .documents import plan_document

        _print_json({**plan_document(stored.plan, marks, stored.ics_path),
                     "version": stored.version})
        return
    from .text import plan_summary

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
    from .documents import history_document
    from .text import history_table

    store = _open_store()
    store.require_current()
    versions = store.versions()
    if as_json:
        _print_json(history_document(versions))
    else:
        history_table(_out(), versions)


@command("export")
def export(
    format: str = typer.Option(..., "--format", help="ics, json, markdown or csv."),
    out: Optional[str] = typer.Option(None, "--out", help="File to write; - or none: stdout."),
) -> None:
    """Write the current plan and progress as ics, json, markdown or csv.

    Example:  prepplan export --format markdown --out plan.md
    """
    from .app import export_data
    from .files import write_atomic

    if format not in FORMATS:
        raise UsageError(f"unknown format {format!r}: use one of {', '.join(FORMATS)}")
    data = export_data(_open_store(), format, now_utc())
    if out in (None, "-"):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    path = Path(out).expanduser().absolute()
    write_atomic(path, data)
    typer.echo(f"Wrote {path}", err=True)


# ---------------------------------------------------------------- log, done, undone

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
    from .app import record_log, remove_log
    from .inputs import parse_hours

    store = _open_store()
    if list_:
        from .documents import log_document
        from .text import log_table

        entries = store.log_entries()
        _print_json(log_document(entries)) if as_json else log_table(_out(), entries)
        return
    if undo:
        if hours is not None and not hours.isdigit():
            raise UsageError(f"--undo takes a log entry id (a whole number), not {hours!r}")
        removed = remove_log(store, int(hours) if hours is not None else None)
        typer.echo(f"Removed entry {removed.id}: {removed.hours:g} h on "
                   f"{removed.day.isoformat()}" + (f" ({removed.note})" if removed.note else ""))
        return
    if hours is None:
        raise UsageError("say how many hours: prepplan log HOURS [--date D] [--note TEXT]")
    day = _day(date_, "--date")
    amount = parse_hours(hours)
    entry_id = record_log(store, amount, day, note, now_utc(), today())
    typer.echo(f"Logged {amount:g} h on {day.isoformat()} (entry {entry_id}; "
               f"{store.hours_logged_on(day):g} h that day).")


@command("done")
def done(
    topics: List[str] = typer.Argument(..., help="Topic ids (2.3) or unique parts of titles."),
    date_: Optional[str] = typer.Option(None, "--date", help="The day finished (default: today)."),
) -> None:
    """Mark topics done.

    Example:  prepplan done 1.1 "socket programming" --date 2026-12-20
    """
    day = _day(date_, "--date")
    store = _open_store()
    _mark_done(store, topics, day)


def _mark_done(store, names: list[str], day: date) -> None:
    from .app import mark_done

    for topic, already in mark_done(store, store.require_current().plan, names, day, now_utc(),
                                    today()):
        if already:
            typer.echo(f"Already done: {topic.id} {topic.title} ({already.isoformat()})")
        else:
            typer.echo(f"Done: {topic.id} {topic.title} ({day.isoformat()})")


@command("undone")
def undone(
    topics: List[str] = typer.Argument(..., help="Topic ids (2.3) or unique parts of titles."),
) -> None:
    """Mark topics as not done again.

    Example:  prepplan undone 2.3
    """
    from .app import unmark

    store = _open_store()
    for topic, changed in unmark(store, store.require_current().plan, topics):
        typer.echo(f"{'Not done' if changed else 'Was not done'}: {topic.id} {topic.title}")


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
    day = _day(as_of, "--as-of date")
    _print_status(_open_store(), day, as_json, chart)


def _print_status(store, day: date, as_json: bool, chart: bool = False) -> None:
    from .app import status_inputs
    from .pace import compute_status

    current, log_entries, marks = status_inputs(store)
    figures = compute_status(current.plan, log_entries, marks, day)
    if as_json:
        from .documents import status_document

        _print_json(status_document(figures))
        return
    out = _out()
    drawn = None
    if chart or (out.terminal and out.width >= CHART_MIN_WIDTH):
        from .chart import burnup_chart
        from .pace import burnup

        drawn = burnup_chart(burnup(current.plan, log_entries, marks, day), current.plan, day,
                             width=min(out.width, 120), height=16, color=out.color)
    if out.terminal:
        from .dashboard import status_dashboard

        status_dashboard(out, figures, current.plan, drawn)
        return
    from .text import status_report

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
    from .app import checkin_offer, record_log
    from .inputs import parse_hours

    day = _day(date_, "--date")
    store = _open_store()
    store.require_current()
    # any answer given as a flag means a scripted check-in: ask nothing
    interactive = hours is None and not done_topics and _stdin_has_answers()
    if hours is None and interactive:
        entries = store.log_entries()
        since = f" (last entry {entries[-1].day.isoformat()})" if entries else ""
        hours = typer.prompt(f"Hours studied since your last check-in{since}", default="0")
    amount = parse_hours(hours) if hours is not None else 0.0
    if amount < 0:
        raise UsageError(f"hours must be 0 or more, not {amount:g}")
    names = list(done_topics)
    if not names and interactive:
        names = [topic.id for topic, overdue in checkin_offer(store, day)
                 if typer.confirm(f"Done: {topic.id} {topic.title}"
                                  f"{' (overdue)' if overdue else ''}?", default=False)]
    if amount > 0:
        entry_id = record_log(store, amount, day, note or "check-in", now_utc(), today())
        typer.echo(f"Logged {amount:g} h on {day.isoformat()} (entry {entry_id}).")
    if names:
        _mark_done(store, names, day)
    typer.echo("")
    _print_status(store, day, as_json=False)
    _after_change(store, sync)


# ---------------------------------------------------------------- CalDAV sync

def _caldav_password(url: str, user: str) -> str:
    """From the environment, the system keyring (when the keyring package is installed), or a
    prompt in a terminal. prepplan never writes it anywhere."""
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
    from .app import sync_plan

    report = sync_plan(store, now_utc(), _caldav_password, force=force)
    typer.echo(f"CalDAV calendar {report.calendar!r}: {report.created} created, "
               f"{report.updated} updated, {report.deleted} deleted, {report.unchanged} "
               f"unchanged")
    if report.foreign:
        typer.echo(f"Left alone: {report.foreign} events prepplan did not make.")
    if report.conflicts:
        raise RefusedError(f"{report.conflicts} events were changed on the server since "
                           f"the last sync and were left as they are; `prepplan sync --force` "
                           f"overwrites them with the plan")


def _after_change(store, sync: Optional[bool]) -> None:
    """After generate, replan or checkin: sync when asked, offer it in a terminal when a
    CalDAV calendar is set up. A failed sync keeps the local change."""
    if not store.setting("caldav_url"):
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
    from .app import save_sync_settings

    store = _open_store()
    save_sync_settings(store, url, user, calendar)
    _sync(store, force=force)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
