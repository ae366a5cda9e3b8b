"""Help that matches the README: a purpose and a real example on every command."""

from __future__ import annotations

import re
from pathlib import Path


from prepplan.cli import app

REPO = Path(__file__).resolve().parent.parent


def help_text(*args: str) -> str:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    return result.stdout


def command_names() -> set[str]:
    import typer.main

    return set(typer.main.get_command(app).commands)


def test_every_command_has_a_purpose_and_a_real_example():
    for name in command_names():
        text = help_text(name)
        example = re.search(r"Example:\s+(prepplan [^\n│]+)", text)
        assert example, name
        words = example.group(1).split()
        assert words[1] == name
        flags = set(re.findall(r"--[a-z][a-z-]*", example.group(1)))
        for flag in flags:
            assert re.search(rf"{re.escape(flag)}\b", text), (name, flag)


def test_readme_command_reference_matches_the_help():
    readme = (REPO / "README.md").read_text()
    table = re.findall(r"^\| `([a-z]+)`(?: / `([a-z]+)`)? \| [^|]+ \| `(prepplan [^`]+)` \|$",
                       readme, flags=re.M)
    documented = {name for row in table for name in row[:2] if name}
    assert documented == command_names()
    for first, second, example in table:
        words = example.split()
        assert words[1] == first
        text = help_text(first)
        for flag in (word for word in words if word.startswith("--")):
            assert re.search(rf"{re.escape(flag)}\b", text), (first, flag)
    options = re.search(r"`generate` options: (.+?)\.\s+Running", readme, flags=re.S).group(1)
    generate_help = help_text("generate")
    for flag in set(re.findall(r"--[a-z]+", options)):
        assert re.search(rf"{re.escape(flag)}\b", generate_help), flag
    replan_help = help_text("replan")
    replan_section = readme.split("### When life happens: replan")[1].split("###")[0]
    for flag in set(re.findall(r"`(--[a-z]+)", replan_section)):
        command = "export" if flag in ("--format",) else "replan"
        text = replan_help if command == "replan" else help_text("export")
        assert re.search(rf"{re.escape(flag)}\b", text), flag
    sync_help = help_text("sync")
    sync_section = readme.split("### A calendar that updates itself: CalDAV sync")[1].split(
        "Setup by provider")[0]
    sync_flags = set(re.findall(r"`(?:prepplan sync )?(--[a-z-]+)", sync_section))
    assert sync_flags >= {"--calendar", "--force", "--insecure"}
    for flag in sync_flags - {"--sync", "--no-sync"}:  # they belong to generate, replan, checkin
        assert re.search(rf"{re.escape(flag)}\b", sync_help), flag


def test_version():
    from typer.testing import CliRunner

    from prepplan import __version__

    result = CliRunner().invoke(app, ["--version"])
    assert (result.exit_code, result.stdout) == (0, f"prepplan {__version__}\n")


def option_line(text: str, flag: str) -> str:
    return next(line.strip() for line in text.splitlines() if line.strip().startswith(flag))


def test_arguments_and_options_are_named_for_what_they_take():
    assert help_text("done").splitlines()[0] == "Usage: prepplan done [OPTIONS] {TOPIC...}"
    assert help_text("undone").splitlines()[0] == "Usage: prepplan undone [OPTIONS] {TOPIC...}"
    assert help_text("mock").splitlines()[0] == "Usage: prepplan mock [OPTIONS] {ROUND}"
    assert help_text("review").splitlines()[0] == "Usage: prepplan review [OPTIONS] [TOPIC]"
    # every file option reads FILE, the README's word for it
    for command in ("generate", "replan", "export"):
        assert option_line(help_text(command), "--out").startswith("--out FILE "), command
    assert option_line(help_text("generate"), "--curriculum").startswith("--curriculum FILE ")
    assert option_line(help_text("show"), "--version").startswith("--version N ")
    assert option_line(help_text("done"), "--rating").startswith("--rating RATING ")
    assert option_line(help_text("mock"), "--score").startswith("--score 1-4 ")


def test_generate_and_replan_describe_their_own_days():
    assert ("--days DAYS Study weekdays for timed sessions, e.g. mon,wed,sat (default: every "
            "day, untimed). --at") in " ".join(help_text("generate").split())
    assert ("--days DAYS New study weekdays, e.g. mon,wed,sat, or 'all' for every day "
            "(default: unchanged). --at") in " ".join(help_text("replan").split())


def test_sync_help_names_every_source_of_the_password():
    text = " ".join(help_text("sync").split())
    assert ("The password comes from PREPPLAN_CALDAV_PASSWORD, the system keyring (keyring set "
            "prepplan USER@URL) or a prompt; it is never stored.") in text


def test_the_installed_group_builds_only_the_command_it_runs_and_helps_like_typers_own(capsys):
    """`prepplan` builds its commands on demand (start-up); the help, the list of commands and
    each command's options are the ones typer would build all at once."""
    import typer.main

    from prepplan.options import command_group

    eager = typer.main.get_command(app)
    group = command_group(app)
    assert list(group.commands) == list(eager.commands)
    assert group.commands._built == {}
    assert group.main(["status", "--as-of", "2026-01-01"], prog_name="prepplan",
                      standalone_mode=False) == 1
    assert capsys.readouterr().err == ("prepplan: no plan yet: make one with `prepplan generate` "
                                       "(e.g. prepplan generate --start today --hours 10 "
                                       "--months 8)\n")
    assert list(group.commands._built) == ["status"]
    for name in eager.commands:
        assert ([(param.opts, param.default, param.help) for param in group.commands[name].params]
                == [(param.opts, param.default, param.help)
                    for param in eager.commands[name].params]), name
    assert ([(param.opts, param.default) for param in group.params]
            == [(param.opts, param.default) for param in eager.params])
    assert (group.name, group.help, group.no_args_is_help) == (eager.name, eager.help, True)
