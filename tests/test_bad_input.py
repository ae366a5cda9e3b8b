"""Bad input to every command: one line on stderr, the right exit code, no traceback, and every
file (the database included) byte-identical afterwards; refused for want of a plan, no
database at all (SPEC.md: "Bad input and faults")."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from prepplan.cli import app

NO_PLAN = ("no plan yet: make one with `prepplan generate` (e.g. prepplan generate --start "
           "today --hours 10 --months 8)")
DATE_RANGE = "use a date from 1970-01-01 to 2200-12-31"
GOOD_CURRICULUM = """title = "Mine"
[[phases]]
id = "a"
title = "A"
min_weeks = 10
max_weeks = 20
topics = ["One", "Two"]
"""


def _curricula(folder: Path) -> None:
    """The bad curriculum files the table names as {dir}/NAME."""
    folder.mkdir()
    for name, text in {
        "inf.toml": GOOD_CURRICULUM.replace('topics = ["One", "Two"]',
                                            'topics = [{ title = "One", weight = inf }]'),
        "nan.toml": "reference_hours_per_week = nan\n" + GOOD_CURRICULUM,
        "huge.toml": GOOD_CURRICULUM.replace("max_weeks = 20", "max_weeks = 1e308"),
        "months.toml": "max_months = 100000000000000000000000000000\n" + GOOD_CURRICULUM,
        "deep.toml": "a = " + "[" * 20000 + "]" * 20000 + "\n",
        "minmax.toml": GOOD_CURRICULUM.replace("min_weeks = 10", "min_weeks = 30"),
        "empty.toml": "",
    }.items():
        (folder / name).write_text(text)
    (folder / "big.toml").write_bytes(b"# " + b"x" * (1024 * 1024) + b"\n")
    (folder / "latin1.toml").write_bytes('title = "Caf\xe9"\n'.encode("latin-1"))
    os.mkfifo(folder / "fifo")
    (folder / "folder").mkdir()


G = ["generate", "--force"]  # past the progress check: only the bad input may stop it
CASES = [
    # generate: dates, hours, months and target
    (["generate", "--months", "abc"], 2, "invalid value for '--months': 'abc' is not a valid"),
    (["generate", "--bogus"], 2, "no such option: --bogus"),
    (G + ["--start", "9999-12-31"], 2, DATE_RANGE),
    (G + ["--start", "0001-01-01"], 2, DATE_RANGE),
    (G + ["--start", "1969-12-31"], 2, DATE_RANGE),
    (G + ["--start", "2201-01-01"], 2, DATE_RANGE),
    (G + ["--start", ""], 2, "invalid --start date '': use YYYY-MM-DD"),
    (G + ["--start", "2026-02-30"], 2, "invalid --start date '2026-02-30'"),
    (G + ["--start", "２０２６-１２-０７"], 2, "invalid --start date"),
    (G + ["--start", "20261207"], 2, "invalid --start date '20261207'"),
    (G + ["--hours", "nan"], 2, "--hours must be a number, not 'nan'"),
    (G + ["--hours", "inf"], 2, "--hours must be a number, not 'inf'"),
    (G + ["--hours", "-inf"], 2, "--hours must be a number, not '-inf'"),
    (G + ["--hours", "1e400"], 2, "--hours must be a number, not '1e400'"),
    (G + ["--hours", ""], 2, "--hours must be a number, not ''"),
    (G + ["--hours", "１０"], 2, "--hours must be a number, not '１０'"),
    (G + ["--hours", "1_0"], 2, "--hours must be a number, not '1_0'"),
    (G + ["--hours", "0"], 2, "hours per week must be more than 0 and at most 80, not 0"),
    (G + ["--hours", "80.5"], 2, "hours per week must be more than 0 and at most 80, not 80.5"),
    (G + ["--hours", "-5"], 2, "hours per week must be more than 0 and at most 80, not -5"),
    (G + ["--months", "99999999999999999999"], 2, "--months must be from 6 to 10"),
    (G + ["--months", "0"], 2, "--months must be from 6 to 10 (the roadmap's window), not 0"),
    (G + ["--target", ""], 2, "invalid --target date ''"),
    (G + ["--target", "2200-12-31"], 2, "is outside the roadmap's 6–10 month window"),
    (G + ["--months", "8", "--target", "2027-08-07"], 2, "give --months or --target, not both"),
    # generate: study days, times, zones, days off
    (G + ["--days", ""], 2, "--days is empty: use a comma-separated list"),
    (G + ["--days", " "], 2, "--days is empty"),
    (G + ["--days", "funday"], 2, "unknown weekday 'funday' in --days"),
    (G + ["--days", "mon,,wed"], 2, "unknown weekday '' in --days"),
    (G + ["--at", ""], 2, "invalid time '' for --at: use HH:MM"),
    (G + ["--at", "０７:３０"], 2, "invalid time '０７:３０' for --at"),
    (G + ["--at", "25:00"], 2, "invalid time '25:00' for --at"),
    (G + ["--at", "7:5"], 2, "invalid time '7:5' for --at"),
    (G + ["--at", "19:00:00"], 2, "invalid time '19:00:00' for --at"),
    (G + ["--tz", ""], 2, "unknown time zone ''"),
    (G + ["--tz", "Mars/Olympus_Mons"], 2, "unknown time zone 'Mars/Olympus_Mons'"),
    (G + ["--tz", "../../etc/passwd"], 2, "unknown time zone '../../etc/passwd'"),
    (G + ["--skip", ""], 2, "invalid --skip date ''"),
    (G + ["--skip", "2027-01-01..2026-12-24"], 2, "2026-12-24 comes before 2027-01-01"),
    (G + ["--skip", "..2026-12-24"], 2, "invalid --skip '..2026-12-24'"),
    (G + ["--skip", "9999-01-01"], 2, DATE_RANGE),
    # generate: curriculum files
    (G + ["--curriculum", "{dir}/missing.toml"], 2, "missing.toml: no such curriculum file"),
    (G + ["--curriculum", "{dir}/folder"], 2,
     "folder: cannot read the curriculum: Is a directory"),
    (G + ["--curriculum", "{dir}/fifo"], 2, "fifo: not a regular file"),
    (G + ["--curriculum", "/dev/zero"], 2, "/dev/zero: not a regular file"),
    (G + ["--curriculum", "{dir}/big.toml"], 2, "big.toml: larger than the 1 MB"),
    (G + ["--curriculum", "{dir}/inf.toml"], 2,
     "inf.toml: phases[0].topics[0].weight: must be a finite number, not inf"),
    (G + ["--curriculum", "{dir}/nan.toml"], 2,
     "nan.toml: reference_hours_per_week: must be a finite number, not nan"),
    (G + ["--curriculum", "{dir}/huge.toml"], 2,
     "huge.toml: phases[0].max_weeks: must be at most 520, not 1e+308"),
    (G + ["--curriculum", "{dir}/months.toml"], 2, "months.toml: max_months: must be at most 120"),
    (G + ["--curriculum", "{dir}/deep.toml"], 2, "deep.toml: not valid TOML: nested too deeply"),
    (G + ["--curriculum", "{dir}/minmax.toml"], 2, "minmax.toml: phases[0].min_weeks: 30 is more"),
    (G + ["--curriculum", "{dir}/empty.toml"], 2, "empty.toml: phases: missing"),
    (G + ["--curriculum", "{dir}/latin1.toml"], 2, "latin1.toml: cannot read the curriculum"),
    (G + ["--curriculum", ""], 2, "cannot read the curriculum: Is a directory"),
    # generate: the calendar file
    (G + ["--out", "/dev/null"], 2, "cannot write /dev/null: not a regular file"),
    (G + ["--out", "{dir}/fifo"], 2, "fifo: not a regular file"),
    (G + ["--out", "{dir}/folder"], 2, "folder: is a folder"),
    (G + ["--out", "{dir}/no/such/p.ics"], 2, "p.ics: No such file or directory"),
    (G + ["--out", ""], 2, ": is a folder"),
    (["generate", "--start", "2026-03-02", "--tz", "UTC"], 1,
     "the current plan has progress logged: pass --force"),
    # replan
    (["replan", "--as-of", "9999-12-31"], 2, DATE_RANGE),
    (["replan", "--as-of", ""], 2, "invalid --as-of date ''"),
    (["replan", "--as-of", "2026-02-01"], 2, "is before the plan starts (2026-03-02)"),
    (["replan", "--as-of", "2026-05-01", "--hours", "nan"], 2, "--hours must be a number"),
    (["replan", "--as-of", "2026-05-01", "--hours", ""], 2, "--hours must be a number, not ''"),
    (["replan", "--as-of", "2026-05-01", "--hours", "0"], 2, "hours per week must be more"),
    (["replan", "--as-of", "2026-05-01", "--target", ""], 2, "invalid --target date ''"),
    (["replan", "--as-of", "2026-05-01", "--target", "1969-01-01"], 2, DATE_RANGE),
    (["replan", "--as-of", "2026-05-01", "--days", ""], 2, "--days is empty"),
    (["replan", "--as-of", "2026-05-01", "--days", "xyz"], 2, "unknown weekday 'xyz'"),
    (["replan", "--as-of", "2026-05-01", "--at", ""], 2, "invalid time '' for --at"),
    (["replan", "--as-of", "2026-05-01", "--at", "２０:００"], 2, "invalid time"),
    (["replan", "--as-of", "2026-05-01", "--skip", "2026-13-01"], 2, "invalid --skip date"),
    (["replan", "--as-of", "2026-05-01", "--out", "/dev/null"], 2, "not a regular file"),
    (["replan", "--as-of", "2026-05-01", "--out", "{dir}/folder"], 2, "is a folder"),
    (["replan", "--bogus"], 2, "no such option: --bogus"),
    # show, history, export
    (["show", "--version", "99999999999999999999"], 1, "no plan version 99999999999999999999"),
    (["show", "--version", "0"], 1, "no plan version 0: `prepplan history` lists versions 1"),
    (["show", "--version", "-1"], 1, "no plan version -1"),
    (["show", "--version", "x"], 2, "invalid value for '--version': 'x' is not a valid"),
    (["show", "--version", ""], 2, "invalid value for '--version'"),
    (["history", "--bogus"], 2, "no such option: --bogus"),
    (["history", "extra"], 2, "got unexpected extra argument(s) (extra)"),
    (["export"], 2, "missing option '--format'"),
    (["export", "--format", "pdf"], 2, "unknown format 'pdf': use one of ics, json, markdown"),
    (["export", "--format", ""], 2, "unknown format ''"),
    (["export", "--format", "ics", "--out", "/dev/null"], 2, "not a regular file"),
    (["export", "--format", "csv", "--out", "{dir}/folder"], 2, "is a folder"),
    (["export", "--format", "csv", "--out", "{dir}/fifo"], 2, "not a regular file"),
    # log
    (["log", "nan"], 2, "hours must be a number, not 'nan'"),
    (["log", "inf"], 2, "hours must be a number, not 'inf'"),
    (["log", ""], 2, "hours must be a number, not ''"),
    (["log", "２"], 2, "hours must be a number, not '２'"),
    (["log", "1e400"], 2, "hours must be a number, not '1e400'"),
    (["log", "0"], 2, "hours must be more than 0, not 0"),
    (["log", "-2"], 2, "hours must be more than 0, not -2"),
    (["log", "25", "--date", "2026-03-03"], 2, "is more than a day holds"),
    (["log", "3", "--date", "9999-12-31"], 2, DATE_RANGE),
    (["log", "3", "--date", "1969-07-20"], 2, DATE_RANGE),
    (["log", "3", "--date", ""], 2, "invalid --date ''"),
    (["log", "3", "--date", "2099-01-01"], 2, "2099-01-01 is in the future"),
    (["log", "--undo", "99999999999999999999"], 1, "no log entry 99999999999999999999"),
    (["log", "--undo", "²"], 2, "--undo takes a log entry id (a whole number), not '²'"),
    (["log", "--undo", "-1"], 2, "--undo takes a log entry id (a whole number), not '-1'"),
    (["log", "--undo", ""], 2, "--undo takes a log entry id (a whole number), not ''"),
    (["log", "--undo", "7"], 1, "no log entry 7: `prepplan log --list` shows the ids"),
    (["log"], 2, "say how many hours"),
    # done, undone
    (["done", "99.9"], 1, "no topic matches '99.9'"),
    (["done", "e"], 1, "'e' matches 37 topics; name one by its id: 1.1 File I/O"),
    (["done", "1.1", "99.9"], 1, "no topic matches '99.9'"),
    (["done", "x" * 5000], 1, "no topic matches '" + "x" * 59 + "…': `prepplan show` lists"),
    (["done", ""], 2, "a topic is empty"),
    (["done", "1.2", "--date", "9999-12-31"], 2, DATE_RANGE),
    (["done", "1.2", "--date", ""], 2, "invalid --date ''"),
    (["done", "1.2", "--date", "2099-01-01"], 2, "is in the future"),
    (["done"], 2, "missing argument"),
    (["undone", "99.9"], 1, "no topic matches '99.9'"),
    (["undone", " "], 2, "a topic is empty"),
    (["undone"], 2, "missing argument"),
    # status
    (["status", "--as-of", "9999-12-31"], 2, DATE_RANGE),
    (["status", "--as-of", "0001-01-01"], 2, DATE_RANGE),
    (["status", "--as-of", ""], 2, "invalid --as-of date ''"),
    (["status", "--as-of", "2026-02-30"], 2, "invalid --as-of date '2026-02-30'"),
    (["status", "--as-of", "２０２６-０３-１０"], 2, "invalid --as-of date"),
    (["status", "--as-of"], 2, "option '--as-of' requires an argument"),
    (["status", "--chart", "--bogus"], 2, "no such option: --bogus"),
    # checkin: a bad topic or hours refuses the whole check-in, hours included
    (["checkin", "--hours", "2", "--done", "99.9", "--date", "2026-03-04"], 1,
     "no topic matches '99.9'"),
    (["checkin", "--hours", "2", "--done", "a", "--date", "2026-03-04"], 1, "'a' matches"),
    (["checkin", "--hours", "2", "--done", "", "--date", "2026-03-04"], 2, "a topic is empty"),
    (["checkin", "--hours", "nan"], 2, "hours must be a number, not 'nan'"),
    (["checkin", "--hours", ""], 2, "hours must be a number, not ''"),
    (["checkin", "--hours", "-1"], 2, "hours must be 0 or more, not -1"),
    (["checkin", "--hours", "2", "--date", "9999-12-31"], 2, DATE_RANGE),
    # sync
    (["sync", "--url", ""], 2, "--url is empty"),
    (["sync", "--user", ""], 2, "--user is empty"),
    (["sync", "--calendar", " "], 2, "--calendar is empty"),
    (["sync"], 1, "no CalDAV calendar set up yet"),
    # the program itself
    (["bogus"], 2, "no such command 'bogus'"),
    (["--bogus"], 2, "no such option: --bogus"),
]

NO_PLAN_CASES = [
    ["show"], ["status"], ["history"], ["export", "--format", "ics"],
    ["log", "2", "--date", "2026-03-03"], ["log", "--undo"], ["done", "1.1"], ["undone", "1.1"],
    ["replan"], ["checkin", "--hours", "2"], ["sync", "--url", "http://localhost:1/"],
    ["show", "--version", "2"],
]


@pytest.fixture(scope="module")
def planned_home(tmp_path_factory):
    """A store with a plan begun 2026-03-02, 5 h logged on 2026-03-03 and 1.1 done."""
    root = tmp_path_factory.mktemp("planned")
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PREPPLAN_HOME", str(root / "home"))
        for args in (["generate", "--start", "2026-03-02", "--tz", "UTC", "--out",
                      str(root / "prepplan.ics")],
                     ["log", "5", "--date", "2026-03-03"],
                     ["done", "1.1", "--date", "2026-03-10"]):
            assert runner.invoke(app, args, catch_exceptions=False).exit_code == 0
    return root


def snapshot(*folders: Path) -> dict[str, bytes]:
    """Every regular file under the folders, by path (FIFOs and the like are not read)."""
    files = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if stat.S_ISREG(path.lstat().st_mode):
                files[str(path)] = path.read_bytes()
    return files


def expect_one_line(result, code: int, fragment: str) -> None:
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("prepplan: ") and result.stderr.endswith("\n")
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert fragment in result.stderr, result.stderr


@pytest.mark.parametrize("args, code, fragment", CASES,
                         ids=[" ".join(args)[:60] or "empty" for args, _, _ in CASES])
def test_bad_input_is_one_line_and_changes_nothing(args, code, fragment, planned_home,
                                                   tmp_path, monkeypatch):
    home = tmp_path / "home"
    shutil.copytree(planned_home / "home", home)
    monkeypatch.setenv("PREPPLAN_HOME", str(home))
    monkeypatch.delenv("PREPPLAN_CALDAV_PASSWORD", raising=False)
    inputs = tmp_path / "inputs"
    _curricula(inputs)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    before = snapshot(tmp_path, planned_home)
    result = CliRunner().invoke(app, [arg.replace("{dir}", str(inputs)) for arg in args],
                                catch_exceptions=False)
    expect_one_line(result, code, fragment)
    assert snapshot(tmp_path, planned_home) == before


def test_the_table_covers_every_command():
    commands = {args[0] for args, _, _ in CASES}
    assert len(CASES) >= 100
    assert {"generate", "replan", "show", "history", "export", "log", "done", "undone",
            "status", "checkin", "sync"} <= commands


@pytest.mark.parametrize("args", NO_PLAN_CASES, ids=[" ".join(a) for a in NO_PLAN_CASES])
def test_refused_for_want_of_a_plan_creates_no_database(args, run, prepplan_home):
    result = run(*args)
    expect_one_line(result, 1, NO_PLAN)
    assert result.stderr == f"prepplan: {NO_PLAN}\n"
    assert not prepplan_home.exists()


@pytest.mark.parametrize("args, fragment", [
    (["--hours", "nan"], "--hours must be a number"),
    (["--curriculum", "{dir}/deep.toml"], "nested too deeply"),
    (["--out", "/dev/null"], "not a regular file"),
])
def test_a_refused_first_generate_creates_no_database(args, fragment, run, prepplan_home,
                                                      tmp_path):
    _curricula(tmp_path / "inputs")
    result = run("generate", *[arg.replace("{dir}", str(tmp_path / "inputs")) for arg in args])
    expect_one_line(result, 2, fragment)
    assert not prepplan_home.exists()


def test_a_checkin_with_a_bad_topic_logs_nothing(planned):
    """The natural retry after a typo must not log the hours twice."""
    run = planned
    result = run("checkin", "--hours", "2", "--done", "99.9", "--date", "2026-03-04")
    assert (result.exit_code, result.stdout) == (1, "")
    assert run("log", "--list", "--json").stdout.strip() == "[]"
    retry = run("checkin", "--hours", "2", "--done", "1.1", "--date", "2026-03-04")
    assert retry.exit_code == 0
    assert retry.stdout.startswith("Logged 2 h on 2026-03-04 (entry 1).\n"
                                   "Done: 1.1 File I/O, process management, signal handling "
                                   "in code (2026-03-04)\n")
