"""The command-line options, declared once: each name, type and help text that several commands
share lives here, so `generate` and `replan` (say) can never describe `--skip` differently."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Annotated, List, Optional

import typer
from typer.core import TyperGroup

try:  # typer 0.28 carries its own copy of click; earlier releases use click itself
    from typer import _click as click
except ImportError:  # pragma: no cover
    import click

PlanName = Annotated[Optional[str], typer.Option(
    "--plan", envvar="PREPPLAN_PLAN", metavar="NAME",
    help="The plan to work on (default: the current one; `prepplan plans` lists them).")]
def with_option(wrapper, function, name: str, annotation) -> None:
    """Give `wrapper` (which takes `name` as a keyword) the options of `function` and one more:
    how a command decorator adds an option every command shares."""
    signature = inspect.signature(function, eval_str=True)
    wrapper.__signature__ = signature.replace(parameters=[
        *signature.parameters.values(),
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None,
                          annotation=annotation)])


PlanArgument = Annotated[str, typer.Argument(metavar="NAME", help="A plan's name.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Sync = Annotated[Optional[bool], typer.Option(
    "--sync/--no-sync", help="Update the CalDAV calendar afterwards (default: ask in a terminal).")]
AsOf = Annotated[Optional[str], typer.Option(
    "--as-of", metavar="DATE", help="As of the end of this day (default: today).")]
Day = Annotated[Optional[str], typer.Option(
    "--date", metavar="DATE", help="The day (default: today).")]
CheckinDay = Annotated[Optional[str], typer.Option(
    "--date", "--as-of", metavar="DATE", help="The day of the check-in (default: today).")]
Topics = Annotated[List[str], typer.Argument(
    metavar="TOPIC...",
    help="Ids (2.3), ranges (2.2-2.4), phases (phase:2) or unique parts of titles.")]

Start = Annotated[str, typer.Option(
    "--start", metavar="DATE", help="First study day, YYYY-MM-DD or today.")]
Hours = Annotated[str, typer.Option(
    "--hours", metavar="H", help="Study hours per week (0 < H ≤ 80).")]
NewHours = Annotated[Optional[str], typer.Option(
    "--hours", metavar="H", help="New hours per week (default: unchanged).")]
Months = Annotated[Optional[int], typer.Option(
    "--months", metavar="M",
    help="Target = start + this many months (default: the middle of the roadmap's window).")]
Target = Annotated[Optional[str], typer.Option(
    "--target", metavar="DATE", help="Target date, YYYY-MM-DD.")]
CurriculumFile = Annotated[Optional[Path], typer.Option(
    "--curriculum", metavar="FILE", help="Your own curriculum TOML file.")]
OutFile = Annotated[Optional[Path], typer.Option(
    "--out", metavar="FILE", help="Calendar file to write (default: prepplan.ics; "
                                  "prepplan-NAME.ics for a store's second plan and later).")]
NewOutFile = Annotated[Optional[Path], typer.Option(
    "--out", metavar="FILE", help="Calendar file to write (default: the plan's).")]
Zone = Annotated[Optional[str], typer.Option(
    "--tz", metavar="ZONE", help="IANA time zone (default: system).")]
StudyDays = Annotated[Optional[str], typer.Option(
    "--days", metavar="DAYS",
    help="Study weekdays for timed sessions, e.g. mon,wed,sat (default: every day, untimed).")]
NewStudyDays = Annotated[Optional[str], typer.Option(
    "--days", metavar="DAYS",
    help="New study weekdays, e.g. mon,wed,sat, or 'all' for every day (default: unchanged).")]
At = Annotated[Optional[str], typer.Option(
    "--at", metavar="HH:MM",
    help="Local start time of sessions and check-ins, HH:MM, or per weekday: "
         "mon=19:00,sat=09:00 (default: 18:00).")]
Skip = Annotated[List[str], typer.Option(
    "--skip", metavar="DATE[..DATE]", help="Days off: DATE or FIRST..LAST (repeatable).")]
Force = Annotated[bool, typer.Option("--force", help="Replace a plan that has progress.")]
Chart = Annotated[bool, typer.Option("--chart", help="Add the burn-up chart (shown anyway in a "
                                                     "terminal 100 columns wide or more).")]
Version = Annotated[Optional[int], typer.Option("--version", metavar="N",
                                                help="Show an older version.")]
Format = Annotated[str, typer.Option(
    "--format", metavar="FORMAT", help="ics, json, markdown or csv.")]
ExportOut = Annotated[Optional[str], typer.Option("--out", metavar="FILE",
                                                  help="File to write; - or none: stdout.")]
Note = Annotated[str, typer.Option("--note", metavar="TEXT", help="A note: what you did.")]
ListEntries = Annotated[bool, typer.Option("--list", help="Show the entries with their ids.")]
Undo = Annotated[bool, typer.Option("--undo", help="Remove the last entry (or the id given).")]
Edit = Annotated[Optional[int], typer.Option("--edit", metavar="ID",
                                             help="Correct entry ID (--hours, --date, --note).")]
EditHours = Annotated[Optional[str], typer.Option(
    "--hours", metavar="H", help="With --edit: the right hours.")]
LogHours = Annotated[Optional[str], typer.Argument(
    metavar="[HOURS]", help="Hours studied (with --undo: an entry id).")]
CheckinHours = Annotated[Optional[str], typer.Option(
    "--hours", metavar="H", help="Hours studied since the last check-in.")]
DoneTopics = Annotated[List[str], typer.Option(
    "--done", metavar="TOPIC", help="Topics finished: an id, a range 2.2-2.4 or phase:2 "
                                    "(repeatable).")]
CalDavUrl = Annotated[Optional[str], typer.Option(
    "--url", metavar="URL", help="CalDAV address (remembered).")]
CalDavUser = Annotated[Optional[str], typer.Option(
    "--user", metavar="NAME", help="CalDAV user name (remembered).")]
CalendarName = Annotated[Optional[str], typer.Option(
    "--calendar", metavar="NAME",
    help="Calendar name, made if missing (remembered; default: the roadmap's).")]
Overwrite = Annotated[bool, typer.Option(
    "--force", help="Write the plan's version over events edited or deleted on the server.")]
Insecure = Annotated[bool, typer.Option(
    "--insecure", help="Allow sending the password over plain http:// to another computer.")]
Rating = Annotated[Optional[str], typer.Option(
    "--rating", metavar="RATING",
    help="How well it sits: again, hard, good or easy (done: default good).")]
MockRound = Annotated[str, typer.Argument(
    metavar="ROUND",
    help="The loop round: coding, system-design, ... (`prepplan mocks` lists them).")]
Score = Annotated[str, typer.Option(
    "--score", metavar="1-4", help="1 no hire, 2 lean no hire, 3 lean hire, 4 strong hire.")]
ReviewTopic = Annotated[Optional[str], typer.Argument(
    metavar="[TOPIC]",
    help="A done topic to record a review of (with --rating); none: list the reviews due.")]


class OneLineErrors(TyperGroup):
    """click's own usage errors (an unknown option, `--months abc`) as one line on stderr, like
    every other refusal, instead of a usage banner or a framed box."""

    def main(self, *args, standalone_mode: bool = True, **kwargs):
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.NoArgsIsHelpError as error:
            error.show()
            sys.exit(error.exit_code)
        except click.exceptions.ClickException as error:
            text = " ".join(error.format_message().split()).rstrip(".")
            where = getattr(error, "ctx", None)
            hint = f" (see `{where.command_path} --help`)" if where is not None else ""
            typer.echo(f"prepplan: {text[:1].lower()}{text[1:]}{hint}", err=True)
            sys.exit(error.exit_code)
        except typer.Abort:
            typer.echo("prepplan: cancelled: nothing was saved", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


class _CommandsOnDemand(Mapping):
    """A group's commands by name, each built from its typer declaration when first looked up.
    typer builds every command's parameters from its signature on every run (about 4 ms for all
    of them) while a run needs one; `--help` and completion still list and build them all."""

    def __init__(self, declared: list, build: Callable) -> None:
        self._declared = {info.name or typer.main.get_command_name(info.callback.__name__): info
                          for info in declared}
        self._build = build
        self._built: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._built:
            self._built[name] = self._build(self._declared[name])
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._declared)

    def __len__(self) -> int:
        return len(self._declared)


def command_group(app: typer.Typer) -> click.Command:
    """The click group typer makes of `app` (its callback, help and completion options), with
    its commands built on demand."""
    declared, app.registered_commands = app.registered_commands, []
    try:
        group = typer.main.get_command(app)
    finally:
        app.registered_commands = declared
    group.commands = _CommandsOnDemand(declared, lambda info: typer.main.get_command_from_info(
        info, pretty_exceptions_short=app.pretty_exceptions_short,
        rich_markup_mode=app.rich_markup_mode))
    return group
