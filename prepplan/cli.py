"""The typer app: parse what was typed, call a use case in `app`, print. Errors become one line
on stderr and an exit code here, in one place. Only this module reads the clock, the environment
and the terminal; everything below gets them as values."""

import contextlib
import functools
import gc
import os
import sys
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Optional

import typer

from . import __version__
from .options import (AsJson, AsOf, At, CalDavUrl, CalDavUser, CalendarName, Chart, CheckinDay,
                      CheckinHours, CurriculumFile, Day, DoneTopics, Edit, EditHours, ExportOut,
                      Force, Format, Hours, Insecure, ListEntries, LogHours, MockRound, Months,
                      NewHours, NewOutFile, NewStudyDays, Note, OneLineErrors, OutFile, Overwrite,
                      PlanArgument, PlanName, Rating, ReviewTopic, Score, Skip, Start, StudyDays,
                      Sync, Target, Topics, Undo, Version, Zone, command_group, with_option)

app = typer.Typer(
    name="prepplan",
    cls=OneLineErrors,
    help="Plan your interview preparation, put it in your calendar, and check in weekly.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # a real bug should show a plain traceback, not a wall
    rich_markup_mode=None,  # click's plain help: rich would double the start-up of --help
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)

HOME_ENV = "PREPPLAN_HOME"
SYNC_DEADLINE_ENV = "PREPPLAN_SYNC_DEADLINE"  # a test hook: seconds a whole sync may take


def today() -> date:
    return date.today()


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def fail(message: str, code: int) -> None:
    typer.echo(f"prepplan: {message}", err=True)
    raise typer.Exit(code)


_chosen_plan: Optional[str] = None  # --plan (or PREPPLAN_PLAN) of the running command


def command(*names, plan_option: bool = True, **kwargs):
    """app.command, with PrepplanError turned into one line on stderr and its exit code; every
    command that reads or writes a plan gets `--plan NAME` here, in one place."""

    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args, plan: Optional[str] = None, **kw):
            global _chosen_plan
            _chosen_plan = plan
            try:
                return function(*args, **kw)
            except Exception as exc:  # a refusal, or a database fault: one line, no traceback
                from .store import user_error  # anything else, a bug, is raised again

                fail(*user_error(exc, os.environ.get(HOME_ENV)))

        if plan_option:
            with_option(wrapper, function, "plan", PlanName)
        return app.command(*names, **kwargs)(wrapper)

    return decorate


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"prepplan {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(version: bool = typer.Option(False, "--version", is_eager=True,
                                               callback=_version_callback,
                                               help="Show the version and exit.")) -> None:
    """Plan your interview preparation, put it in your calendar, and check in weekly.

    Start with `prepplan generate`, import the .ics it writes, and run `prepplan checkin`
    every week.
    """


def _open_store():
    from .store import Store, default_home

    store = Store.open(default_home(os.environ.get(HOME_ENV))).choose(_chosen_plan)
    store.crash_after_commit = "PREPPLAN_TEST_CRASH_AFTER_COMMIT" in os.environ  # tests only
    return store


def _out():
    from .text import Out, terminal_width

    return Out(no_color="NO_COLOR" in os.environ,
               width=terminal_width(os.environ.get("COLUMNS"), sys.stdout))


def _print_json(document) -> None:
    from .documents import dumps

    typer.echo(dumps(document))


def _day(text: Optional[str], what: str) -> date:
    """An optional date option: `today` when not given."""
    from .inputs import parse_date

    return parse_date(text, today(), what) if text is not None else today()


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _system_zone() -> str:
    try:
        import tzlocal

        return tzlocal.get_localzone_name() or "UTC"
    except Exception:  # an unconfigured machine: UTC rather than a crash
        return "UTC"


@command("generate")
def generate(start: Start = "today", hours: Hours = "10", months: Months = None,
             target: Target = None, curriculum: CurriculumFile = None,
             out: OutFile = None, tz: Zone = None, days: StudyDays = None,
             at: At = None, skip: Skip = [], force: Force = False, sync: Sync = None,
             as_json: AsJson = False) -> None:
    """Make a study plan and write its calendar file.

    Example:  prepplan generate --start 2026-12-07 --hours 10 --months 8
    """
    from .app import make_plan, plan_request

    request = plan_request(start=start, hours=hours, months=months, target=target,
                           curriculum=curriculum, zone=_system_zone() if tz is None else tz,
                           days=days, at=at, skip=skip, today=today())
    store = _open_store()
    _saved(store, make_plan(store, request, out, force, now_utc()), as_json, sync)


@command("replan")
def replan_command(as_of: AsOf = None, hours: NewHours = None, target: Target = None,
                   days: NewStudyDays = None, at: At = None, skip: Skip = [],
                   out: NewOutFile = None, sync: Sync = None, as_json: AsJson = False) -> None:
    """Rebuild the rest of the plan around what is done, from as-of to the target.

    Done topics and logged hours stay; the calendar keeps its event UIDs.

    Example:  prepplan replan --hours 12 --target 2027-09-30
    """
    from .app import replan_plan, replan_request

    store = _open_store()
    store.require_current()  # no plan: say so before anything else
    request = replan_request(hours=hours, target=target, days=days, at=at, skip=skip,
                             today=today())
    _saved(store, replan_plan(store, _day(as_of, "--as-of date"), now_utc(), request, out,
                              today()), as_json, sync)


def _saved(store, saved, as_json: bool, sync: Optional[bool]) -> None:
    """What generate and replan print once the new version is stored."""
    from . import documents, text

    if not as_json:
        text.saved_summary(_out(), saved)
        return _after_change(store, sync)
    _print_json(documents.saved_document(saved))
    if sync:  # stdout holds the JSON document alone: the sync's report goes to stderr
        with contextlib.redirect_stdout(sys.stderr):
            _after_change(store, True)


@command("show")
def show(version: Version = None, as_json: AsJson = False) -> None:
    """Show the stored plan: phases, weeks, dates, hours and topics.

    Example:  prepplan show --json
    """
    from . import app as cases, documents, text

    shown = cases.shown_version(_open_store(), version)
    return (_print_json(documents.show_document(shown)) if as_json
            else text.show_screen(_out(), shown, version and _system_zone()))


@command("history")
def history(as_json: AsJson = False) -> None:
    """List every version of the plan.

    Example:  prepplan history
    """
    from . import documents, text

    versions = _open_store().versions_of_current()
    return (_print_json(documents.history_document(versions)) if as_json
            else text.history_table(_out(), versions, _system_zone()))


@command("export")
def export(format: Format, out: ExportOut = None) -> None:
    """Write the current plan and progress as ics, json, markdown or csv.

    Example:  prepplan export --format markdown --out plan.md
    """
    from .app import export_data, write_export

    data = export_data(_open_store(), format, now_utc())
    if out in (None, "-"):
        return typer.echo(data, nl=False)  # bytes go to the binary stream as they are
    typer.echo(f"Wrote {write_export(Path(out), data)}", err=True)


@command("plans", plan_option=False)
def plans(as_json: AsJson = False) -> None:
    """List every plan in the store; * marks the current one.

    Example:  prepplan plans
    """
    from . import app as cases, documents, text

    listing = cases.list_plans(_open_store())
    _print_json(documents.plans_document(listing)) if as_json else text.plans_table(_out(), listing)


@command("use", plan_option=False)
def use(name: PlanArgument) -> None:
    """Make another plan the current one: commands without --plan work on it.

    Example:  prepplan use google-sre
    """
    from .app import use_plan

    record = use_plan(_open_store(), name)
    typer.echo(f"The current plan is now {record.name!r} ({record.roadmap}).")


@command("log", context_settings={"ignore_unknown_options": True})  # `log -2` reaches our check
def log(hours: LogHours = None, date_: Day = None, note: Note = None,
        list_: ListEntries = False, undo: Undo = False, edit: Edit = None,
        new_hours: EditHours = None, as_json: AsJson = False) -> None:
    """Record study time; --list shows entries, --undo [ID] removes one, --edit ID corrects one.

    Example:  prepplan log 2.5 --note "strace practice"   (later: prepplan log --edit 1 --hours 3)
    """
    from . import app as cases, documents, text
    from .inputs import parse_hours

    cases.check_log_options(hours=hours, day=date_, note=note, list_=list_, undo=undo, edit=edit,
                      new_hours=new_hours, as_json=as_json)
    store = _open_store()
    if list_:
        entries = store.log_entries()
        return (_print_json(documents.log_document(entries)) if as_json
                else text.log_table(_out(), entries))
    if edit is not None:
        old, new = cases.edit_log(store, edit, new_hours, date_, note, today())
        return typer.echo(f"Entry {edit}: {text.entry_words(old)} → {text.entry_words(new)}")
    if undo:
        removed = cases.remove_log(store, hours)
        return typer.echo(f"Removed entry {removed.id}: {text.entry_words(removed)}")
    day = _day(date_, "--date")
    amount = parse_hours(hours)
    entry_id = cases.record_log(store, amount, day, note or "", now_utc(), today())
    typer.echo(f"Logged {amount:g} h on {day.isoformat()} (entry {entry_id}; "
               f"{store.hours_logged_on(day):g} h that day).")


@command("done")
def done(topics: Topics, date_: Day = None, rating: Rating = None) -> None:
    """Mark topics done: ids (2.3), ranges (2.2-2.4), phases (phase:2) or parts of titles.

    Example:  prepplan done 1.1 "socket programming" --date 2026-12-20 --rating hard
    """
    from . import app as cases, text

    day, store = _day(date_, "--date"), _open_store()
    plan = store.require_current().plan
    marked = cases.mark_done(store, plan, topics, day, now_utc(), today(),
                             cases.parse_ratings(plan, topics, rating))
    typer.echo("\n".join(text.marked_lines(marked, day)))


@command("undone")
def undone(topics: Topics) -> None:
    """Mark topics as not done again.

    Example:  prepplan undone 2.3
    """
    from .app import unmark

    store = _open_store()
    for topic, changed in unmark(store, store.require_current().plan, topics):
        typer.echo(f"{'Not done' if changed else 'Was not done'}: {topic.id} {topic.title}")


@command("status")
def status(as_of: AsOf = None, chart: Chart = False, as_json: AsJson = False) -> None:
    """The weekly check-in report: where you are, this week's focus, and your pace.

    Example:  prepplan status --as-of 2027-03-14 --chart
    """
    day = _day(as_of, "--as-of date")
    _print_status(_open_store(), day, as_json, chart)


def _print_status(store, day: date, as_json: bool, chart: bool = False) -> None:
    from .report import status_figures  # the JSON or the screen's modules only when used

    figures, inputs = status_figures(store, day)
    if as_json:
        from .documents import status_document

        return _print_json({"plan": store.require_plan().name, **status_document(figures)})
    from .dashboard import status_screen

    status_screen(_out(), figures, inputs, chart)


@command("checkin")
def checkin(hours: CheckinHours = None, done_topics: DoneTopics = [], date_: CheckinDay = None,
            note: Note = "", sync: Sync = None) -> None:
    """Weekly check-in: log hours, tick off topics, then see your status.

    In a terminal it asks what its flags did not say, then saves on one confirmation;
    without a terminal it asks nothing and does what its flags say.

    Example:  prepplan checkin --hours 9.5 --done 2.3-2.4
    """
    from . import app as cases, text
    from .prompts import ask_checkin

    day, store = _day(date_, "--date"), _open_store()
    plan, amount, chosen = cases.checkin_flags(store, hours, done_topics, day)
    ratings: dict[str, str] = {}  # asked in a terminal; flags: each topic rated good
    if _interactive() and (hours is None or not done_topics):
        amount, chosen, ratings = ask_checkin(store, plan, day, amount, chosen, hours is None,
                                              not done_topics)
        if amount is None:
            return typer.echo("Nothing was saved.")  # declined at the confirmation
    entry_id, marked = cases.save_checkin(store, amount, [t.id for t in chosen], day, note,
                                          now_utc(), today(), ratings)
    typer.echo("\n".join(text.checkin_saved_lines(entry_id, amount, marked, day,
                                                   _interactive())) + "\n")
    _print_status(store, day, as_json=False)
    _after_change(store, sync)


@command("mock")
def mock(round_: MockRound, score: Score, date_: Day = None, note: Note = "") -> None:
    """Record a mock interview: its round and score, 1 (no hire) to 4 (strong hire).

    Example:  prepplan mock coding --score 3 --note "slow on the parser"
    """
    from . import app as cases, text

    day = _day(date_, "--date")
    recorded = cases.record_mock(_open_store(), round_, score, day, note, now_utc(), today())
    typer.echo(text.mock_recorded(*recorded, score, day))


@command("mocks")
def mocks(as_json: AsJson = False) -> None:
    """List the mock interviews planned and the ones done.

    Example:  prepplan mocks --json
    """
    from . import app as cases, documents, text

    planned, done = cases.mocks_overview(_open_store())
    return (_print_json(documents.mocks_document(planned, done)) if as_json
            else text.mocks_table(_out(), planned, done, today()))


@command("review")
def review(topic: ReviewTopic = None, rating: Rating = None, as_of: AsOf = None,
           date_: Day = None, as_json: AsJson = False) -> None:
    """List the topics due for review, or record a review of one (TOPIC --rating R).

    Example:  prepplan review 2.3 --rating hard
    """
    from . import app as cases, documents, text

    cases.check_review_options(topic, rating, date_)
    store, day = _open_store(), _day(date_ if topic else as_of,
                                      "--date" if topic else "--as-of date")
    if topic is None:
        due = cases.reviews_due(store, day)
        return _print_json(documents.reviews_document(due)) if as_json else text.reviews_table(
            _out(), due, day)
    reviewed, rating, due = cases.record_review(store, topic, rating, day, now_utc(), today())
    return (_print_json(documents.review_document(reviewed, rating, day, due)) if as_json
            else typer.echo(text.review_recorded(reviewed, day, due)))


def _caldav_password(url: str, user: str) -> str:
    """From the environment, the keyring or a prompt in a terminal; never written anywhere."""
    from .prompts import PASSWORD_ENV, caldav_password

    return caldav_password(os.environ.get(PASSWORD_ENV), url, user, _interactive())


def _sync(store, force: bool = False, insecure: bool = False, given=(None, None, None)) -> None:
    from .app import refuse_unfinished, sync_plan, sync_settings
    from .text import sync_summary

    outcome = sync_plan(store, now_utc(), _caldav_password, force=force, insecure=insecure,
                        new_settings=sync_settings(*given), deadline=os.getenv(SYNC_DEADLINE_ENV))
    sync_summary(_out(), outcome)
    refuse_unfinished(outcome)


def _after_change(store, sync: Optional[bool]) -> None:
    """After generate, replan or checkin: sync when asked, or offer it in a terminal."""
    from .prompts import offer_sync

    offer_sync(store, sync, _interactive() and sys.stdout.isatty(), lambda: _sync(store))


@command("sync")
def sync_command(url: CalDavUrl = None, user: CalDavUser = None, calendar: CalendarName = None,
                 force: Overwrite = False, insecure: Insecure = False) -> None:
    """Make a CalDAV calendar equal to the current plan (only prepplan's own events).

    Events edited or deleted on the server stay until --force. The password comes from
    PREPPLAN_CALDAV_PASSWORD, the system keyring (keyring set prepplan USER@URL) or a prompt;
    it is never stored.

    Example:  prepplan sync --url https://caldav.fastmail.com/dav/ --user me@fastmail.com
    """
    _sync(_open_store(), force, insecure, (url, user, calendar))


def main() -> None:
    gc.freeze()  # start-up's objects live until exit: no collection walks them again (~7 ms)
    command_group(app)()
