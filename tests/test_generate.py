"""generate and show through the CLI: round trip, JSON shapes, bad input."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

PLAN_KEYS = {"roadmap", "start", "target", "weeks", "hours_per_week",
             "reference_hours_per_week", "total_hours", "phases", "buffer", "ics"}
PHASE_KEYS = {"number", "id", "title", "level", "first_week", "last_week", "weeks", "start",
              "end", "hours", "topics"}
TOPIC_KEYS = {"id", "title", "start", "end", "hours", "done"}
BUFFER_KEYS = {"title", "first_week", "last_week", "weeks", "start", "end"}


def test_generate_json_shape_and_figures(run_json):
    plan = run_json("generate", "--start", "2026-12-07", "--hours", "10", "--months", "8",
                    "--tz", "Europe/Berlin")
    assert PLAN_KEYS <= plan.keys()
    assert (plan["start"], plan["target"], plan["weeks"]) == ("2026-12-07", "2027-08-07", 34)
    assert (plan["hours_per_week"], plan["reference_hours_per_week"]) == (10, 10)
    assert plan["total_hours"] == 330
    assert [(p["number"], p["first_week"], p["last_week"], p["weeks"]) for p in plan["phases"]] \
        == [(1, 1, 8, 8), (2, 9, 14, 6), (3, 15, 18, 4), (4, 19, 26, 8), (5, 27, 30, 4),
            (6, 31, 33, 3)]
    for phase in plan["phases"]:
        assert PHASE_KEYS <= phase.keys()
        for topic in phase["topics"]:
            assert TOPIC_KEYS <= topic.keys() and topic["done"] is False
    assert plan["phases"][0]["id"] == "systems-coding"
    assert plan["phases"][0]["start"] == "2026-12-07" and plan["phases"][0]["end"] == "2027-01-31"
    assert plan["buffer"] == {"title": "Mock interviews & review", "first_week": 34,
                              "last_week": 34, "weeks": 1, "start": "2027-07-26",
                              "end": "2027-08-01"}
    ics = Path(plan["ics"])
    assert ics.is_absolute() and ics == Path.cwd() / "prepplan.ics" and ics.exists()


def test_generate_then_show_round_trip(run, run_json):
    generated = run_json("generate", "--start", "2026-12-07", "--months", "6", "--tz", "UTC")
    shown = run_json("show")
    assert shown["version"] == generated["version"] == 1  # SPEC: generate --json has version
    assert shown == generated
    table = run("show")
    assert table.exit_code == 0
    assert "Systems Coding (Python/C++)  1–6    2026-12-07 – 2027-01-17   60.0" in table.stdout
    assert "[ ]  1.2 Socket programming — TCP client/server" in table.stdout
    assert "Key tools: strace, ltrace, perf, sar, vmstat" in table.stdout


def test_generate_prints_a_table_and_the_calendar_path(run):
    result = run("generate", "--start", "2026-12-07", "--tz", "UTC")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Meta Production Engineer Roadmap"
    assert "6  Meta Culture & Behavioral    31–33  2027-07-05 – 2027-07-25   30.0       6" in lines
    assert any(line.startswith(f"Calendar: {Path.cwd() / 'prepplan.ics'} (version 1)")
               for line in lines)


def test_show_without_a_plan(run):
    result = run("show")
    assert result.exit_code == 1
    assert result.stderr == ("prepplan: no plan yet: make one with `prepplan generate` "
                             "(e.g. prepplan generate --start today --hours 10 --months 8)\n")


def test_regenerate_keeps_the_plan_id_and_every_version(run, run_json, prepplan_home):
    run_json("generate", "--start", "2026-12-07", "--tz", "UTC")
    run_json("generate", "--start", "2026-12-07", "--hours", "12", "--tz", "UTC")
    db = sqlite3.connect(prepplan_home / "prepplan.db")
    rows = db.execute("SELECT plan_id, version, reason FROM plan_versions ORDER BY version")
    rows = rows.fetchall()
    assert [(version, reason) for _, version, reason in rows] == [(1, "generate"),
                                                                  (2, "generate")]
    assert rows[0][0] == rows[1][0]
    assert run_json("show")["hours_per_week"] == 12


def test_regenerate_over_progress_needs_force(run, run_json, prepplan_home):
    run_json("generate", "--start", "2026-03-02", "--tz", "UTC")
    assert run("log", "2", "--date", "2026-03-03").exit_code == 0
    refused = run("generate", "--start", "2026-03-02", "--hours", "12", "--tz", "UTC")
    assert refused.exit_code == 1
    assert refused.stderr == ("prepplan: the current plan has progress logged: pass --force to "
                              "replace it (the old version stays in `prepplan history`)\n")
    assert run_json("show")["hours_per_week"] == 10  # nothing changed
    forced = run_json("generate", "--start", "2026-03-02", "--hours", "12", "--tz", "UTC",
                      "--force")
    assert forced["hours_per_week"] == 12
    history = run_json("history")
    assert [(v["version"], v["reason"], v["hours_per_week"]) for v in history] == [
        (1, "generate", 10), (2, "generate --force", 12)]
    assert run_json("show", "--version", "1")["hours_per_week"] == 10
    assert json.loads(run("log", "--list", "--json").stdout)[0]["hours"] == 2  # log kept


@pytest.mark.parametrize("args, code, message", [
    (["--start", "2026-13-01"], 2,
     "invalid --start date '2026-13-01': use YYYY-MM-DD (e.g. 2026-12-07) or 'today'"),
    (["--start", "next monday"], 2,
     "invalid --start date 'next monday': use YYYY-MM-DD (e.g. 2026-12-07) or 'today'"),
    (["--start", "2027-02-30"], 2,
     "invalid --start date '2027-02-30': use YYYY-MM-DD (e.g. 2026-12-07) or 'today'"),
    (["--hours", "0"], 2, "hours per week must be more than 0 and at most 80, not 0"),
    (["--hours", "-3"], 2, "hours per week must be more than 0 and at most 80, not -3"),
    (["--hours", "81"], 2, "hours per week must be more than 0 and at most 80, not 81"),
    (["--hours", "ten"], 2, "--hours must be a number, not 'ten'"),
    (["--months", "11"], 2, "--months must be from 6 to 10 (the roadmap's window), not 11"),
    (["--target", "2027-05-01"], 2,
     "target 2027-05-01 is outside the roadmap's 6–10 month window: choose a date from "
     "2027-06-07 to 2027-10-07"),
    (["--months", "8", "--target", "2027-08-01"], 2, "give --months or --target, not both"),
    (["--hours", "5"], 1, "not enough time: 170.0 h of study time before 2027-08-07"),
    (["--tz", "Mars/Olympus"], 2,
     "unknown time zone 'Mars/Olympus': use an IANA name such as Europe/Berlin or "
     "America/New_York"),
    (["--curriculum", "missing.toml"], 2, "missing.toml: no such curriculum file"),
])
def test_bad_input_is_one_line_and_an_exit_code(run, args, code, message):
    result = run("generate", "--start", "2026-12-07", *args)
    assert result.exit_code == code
    assert result.stderr.startswith(f"prepplan: {message}")
    assert result.stderr.count("\n") == 1
    assert not Path("prepplan.ics").exists()
    assert run("show").exit_code == 1  # nothing stored


def test_malformed_curriculum(run, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "x"\n[[phases]]\nid = "a"\ntitle = "A"\nmin_weeks = 3\n'
                   'max_weeks = 2\ntopics = ["t"]\n')
    result = run("generate", "--start", "2026-12-07", "--curriculum", str(bad))
    assert result.exit_code == 2
    assert result.stderr == f"prepplan: {bad}: phases[0].min_weeks: 3 is more than max_weeks (2)\n"


def test_unwritable_out_leaves_nothing_behind(run, tmp_path):
    # a file where the folder should be: unwritable for every user, root included
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    result = run("generate", "--start", "2026-12-07", "--out", str(blocker / "p.ics"))
    assert result.exit_code == 2
    assert result.stderr == f"prepplan: cannot write {blocker / 'p.ics'}: Not a directory\n"
    assert blocker.read_text() == "not a folder"
    # no data folder either: a refused command creates no database (SPEC: bad input)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker", "work"]
    assert run("show").exit_code == 1


def test_out_that_is_a_folder(run, tmp_path):
    result = run("generate", "--start", "2026-12-07", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == f"prepplan: cannot write {tmp_path}: is a folder\n"
    assert run("show").exit_code == 1


def test_out_into_a_missing_folder(run, tmp_path):
    result = run("generate", "--start", "2026-12-07", "--out", str(tmp_path / "no" / "p.ics"))
    assert result.exit_code == 2
    assert result.stderr == (f"prepplan: cannot write {tmp_path / 'no' / 'p.ics'}: "
                             f"No such file or directory\n")
    assert run("show").exit_code == 1


def test_own_curriculum(run_json, tmp_path):
    own = tmp_path / "own.toml"
    own.write_text('title = "Tiny; roadmap"\nmin_months = 1\nmax_months = 2\n'
                   'reference_hours_per_week = 5\n[[phases]]\nid = "p"\ntitle = "P"\n'
                   'min_weeks = 2\nmax_weeks = 3\ntopics = ["a", "b"]\n')
    plan = run_json("generate", "--start", "2026-12-07", "--months", "1", "--hours", "5",
                    "--curriculum", str(own), "--tz", "UTC")
    # 1 month = 31 days = 4 weeks = 20 h > max 15 h: 3 weeks of phase, 1 of buffer
    assert plan["roadmap"] == "Tiny; roadmap"
    assert [(p["first_week"], p["last_week"]) for p in plan["phases"]] == [(1, 3)]
    assert plan["buffer"]["first_week"] == 4


def test_months_default_to_the_middle_of_the_curriculum_window(run_json, tmp_path):
    own = tmp_path / "short.toml"
    own.write_text('title = "Short"\nmin_months = 1\nmax_months = 2\n'
                   'reference_hours_per_week = 5\n[[phases]]\nid = "p"\ntitle = "P"\n'
                   'min_weeks = 2\nmax_weeks = 3\ntopics = ["a", "b"]\n')
    plan = run_json("generate", "--start", "2026-12-07", "--hours", "5", "--curriculum",
                    str(own), "--tz", "UTC")
    # the window is 1-2 months: (1 + 2) // 2 = 1 month, 2026-12-07 + 1 month = 2027-01-07
    assert (plan["target"], plan["weeks"]) == ("2027-01-07", 4)
    bundled = run_json("generate", "--plan", "meta-pe", "--start", "2026-12-07", "--tz", "UTC",
                       "--out", "b.ics")  # another roadmap: a second plan
    assert bundled["target"] == "2027-08-07"  # 6-10 months: 8


@pytest.mark.parametrize("args, expected", [
    (["generate", "--start", "2026-13-01"],
     "prepplan: invalid --start date '2026-13-01': use YYYY-MM-DD (e.g. 2026-12-07) or 'today'\n"),
    (["generate", "--start", "2026-12-07", "--hours", "0"],
     "prepplan: hours per week must be more than 0 and at most 80, not 0\n"),
    (["status"], "prepplan: no plan yet: make one with `prepplan generate` (e.g. prepplan "
                 "generate --start today --hours 10 --months 8)\n"),
])
def test_the_installed_command_answers_bad_input_in_one_line(tmp_path, args, expected):
    """The real program, as a user runs it: stderr is the one line and nothing else."""
    import os
    import subprocess
    import sys

    program = Path(sys.executable).parent / "prepplan"
    env = {**os.environ, "PREPPLAN_HOME": str(tmp_path / "home")}
    result = subprocess.run([str(program), *args], capture_output=True, text=True, env=env,
                            cwd=tmp_path)
    assert (result.returncode, result.stderr, result.stdout) == (
        1 if args == ["status"] else 2, expected, "")


@pytest.mark.parametrize("args, message", [
    (["--days", "mon,funday"], "unknown weekday 'funday' in --days: use a comma-separated list "
                               "of mon,tue,wed,thu,fri,sat,sun"),
    (["--days", "mon", "--at", "25:00"], "invalid time '25:00' for --at: use HH:MM between "
                                         "00:00 and 23:59"),
    (["--days", "mon", "--at", "7pm"], "invalid time '7pm' for --at: use HH:MM between 00:00 "
                                       "and 23:59"),
    (["--skip", "2027-01-01..2026-12-24"], "invalid --skip '2027-01-01..2026-12-24': "
                                           "2026-12-24 comes before 2027-01-01 (write "
                                           "FIRST..LAST)"),
    (["--skip", "2026-12-24.."], "invalid --skip '2026-12-24..': use DATE or FIRST..LAST "
                                 "(e.g. 2026-12-24..2027-01-01)"),
    (["--skip", "christmas"], "invalid --skip date 'christmas': use YYYY-MM-DD (e.g. "
                              "2026-12-07) or 'today'"),
    (["--skip", "2026-12-07..2027-08-07"], "the days off leave no study day in the plan: "
                                           "shorten the --skip ranges"),
])
def test_calendar_option_errors(run, args, message):
    result = run("generate", "--start", "2026-12-07", "--tz", "UTC", *args)
    assert result.exit_code == 2
    assert result.stderr == f"prepplan: {message}\n"
    assert not Path("prepplan.ics").exists()
    assert run("show").exit_code == 1


def test_regenerate_cancels_what_disappears(run_json):
    run_json("generate", "--start", "2026-12-07", "--days", "mon,wed,sat", "--tz", "UTC")
    first = Path("prepplan.ics").read_bytes()
    run_json("generate", "--start", "2026-12-07", "--tz", "UTC")  # no more sessions
    second = Path("prepplan.ics").read_bytes()
    import icalendar

    old = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(first).walk("VEVENT")}
    new = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(second).walk("VEVENT")}
    sessions = {uid for uid in old if uid.startswith("session-")}
    assert len(sessions) > 90
    # without --days a week's mock moves from its last study day (Saturday) to its last day
    # (Sunday): the old mocks' UIDs are cancelled too
    mocks = {uid for uid in old if uid.startswith("mock")}
    assert {old[uid]["DTSTART"].dt.weekday() for uid in mocks} == {5}
    assert {uid for uid, e in new.items() if e.get("STATUS") == "CANCELLED"} == sessions | mocks
    assert {int(e["SEQUENCE"]) for e in new.values()} == {1}
    assert {uid for uid in old if not uid.startswith(("session-", "mock"))} <= set(new)
