"""log: record, list and undo study time."""

from __future__ import annotations

import json

import pytest


def entries(run):
    return json.loads(run("log", "--list", "--json").stdout)


def test_log_list_and_undo(planned):
    run = planned
    assert run("log", "2", "--date", "2026-03-03", "--note", "strace").stdout == \
        "Logged 2 h on 2026-03-03 (entry 1; 2 h that day).\n"
    assert run("log", "40", "--date", "2026-03-04").exit_code == 2  # over 24 h: refused
    assert run("log", "4", "--date", "2026-03-04").exit_code == 0
    assert run("log", "1.5", "--date", "2026-03-04").stdout == \
        "Logged 1.5 h on 2026-03-04 (entry 3; 5.5 h that day).\n"
    assert entries(run) == [
        {"id": 1, "date": "2026-03-03", "hours": 2, "note": "strace"},
        {"id": 2, "date": "2026-03-04", "hours": 4, "note": ""},
        {"id": 3, "date": "2026-03-04", "hours": 1.5, "note": ""}]
    undone = run("log", "--undo")
    assert undone.stdout == "Removed entry 3: 1.5 h on 2026-03-04\n"
    assert run("log", "--undo", "1").stdout == "Removed entry 1: 2 h on 2026-03-03 (strace)\n"
    assert [e["id"] for e in entries(run)] == [2]
    listing = run("log", "--list").stdout.splitlines()
    assert listing[1].split() == ["2", "2026-03-04", "4"]
    assert listing[-1] == "4 h in 1 entry"  # SPEC: correct plurals


@pytest.mark.parametrize("args, code, message", [
    (["0"], 2, "hours must be more than 0, not 0 (to fix an entry, `prepplan log --undo`)"),
    (["-2"], 2, "hours must be more than 0, not -2 (to fix an entry, `prepplan log --undo`)"),
    (["abc"], 2, "hours must be a number, not 'abc'"),
    (["nan"], 2, "hours must be a number, not 'nan'"),
    (["3", "--date", "2099-01-01"], 2,
     "2099-01-01 is in the future: log what you have done (today or earlier)"),
    (["3", "--date", "03/05/2026"], 2,
     "invalid --date '03/05/2026': use YYYY-MM-DD (e.g. 2026-12-07) or 'today'"),
    (["20", "--date", "2026-03-03"], 2,
     "25 h on 2026-03-03 is more than a day holds (5 h already logged that day)"),
    (["--undo", "99"], 1, "no log entry 99: `prepplan log --list` shows the ids"),
    (["--undo", "x"], 2, "--undo takes a log entry id (a whole number), not 'x'"),
    ([], 2, "say how many hours: prepplan log HOURS [--date D] [--note TEXT]"),
])
def test_log_bad_input(planned, args, code, message):
    run = planned
    run("log", "5", "--date", "2026-03-03")
    result = run("log", *args)
    assert result.exit_code == code
    assert result.stderr == f"prepplan: {message}\n"
    assert [e["hours"] for e in entries(run)] == [5]  # nothing lost, nothing added


def test_undo_on_an_empty_log(planned):
    result = planned("log", "--undo")
    assert (result.exit_code, result.stderr) == (1, "prepplan: the log is empty: nothing to undo\n")


def test_log_needs_a_plan_and_leaves_no_database(run, prepplan_home):
    for args in (["2", "--date", "2026-03-03"], ["--undo"]):
        result = run("log", *args)
        assert (result.exit_code, result.stderr) == (
            1, "prepplan: no plan yet: make one with `prepplan generate` (e.g. prepplan generate "
               "--start today --hours 10 --months 8)\n")
    assert not prepplan_home.exists()


def test_log_edit_corrects_one_entry(planned):
    run = planned
    run("log", "2", "--date", "2026-03-03", "--note", "strace")
    run("log", "4", "--date", "2026-03-04")
    edited = run("log", "--edit", "1", "--hours", "2.5", "--date", "2026-03-05")
    assert (edited.exit_code, edited.stdout) == (
        0, "Entry 1: 2 h on 2026-03-03 (strace) → 2.5 h on 2026-03-05 (strace)\n")
    renamed = run("log", "--edit", "2", "--note", "perf")
    assert renamed.stdout == "Entry 2: 4 h on 2026-03-04 → 4 h on 2026-03-04 (perf)\n"
    assert entries(run) == [
        {"id": 2, "date": "2026-03-04", "hours": 4, "note": "perf"},
        {"id": 1, "date": "2026-03-05", "hours": 2.5, "note": "strace"}]
    # the entry's own hours do not count against its day: 20 h replaces 4 h
    assert run("log", "--edit", "2", "--hours", "20").exit_code == 0
    assert [e["hours"] for e in entries(run)] == [20, 2.5]


@pytest.mark.parametrize("args, code, message", [
    (["--edit", "9", "--hours", "1"], 1, "no log entry 9: `prepplan log --list` shows the ids"),
    (["--edit", "1"], 2, "say what to change: prepplan log --edit 1 [--hours H] [--date D] "
                         "[--note TEXT]"),
    (["--edit", "1", "--hours", "0"], 2,
     "hours must be more than 0, not 0 (to fix an entry, `prepplan log --undo`)"),
    (["--edit", "1", "--date", "2026-03-01"], 2,
     "2026-03-01 is before the plan's start (2026-03-02)"),
    (["--edit", "1", "--date", "2099-01-01"], 2,
     "2099-01-01 is in the future: log what you have done (today or earlier)"),
    (["--edit", "1", "--hours", "24"], 2,  # the other entry's 1 h counts, its own 5 h not
     "25 h on 2026-03-03 is more than a day holds (1 h already logged that day)"),
    (["3", "--date", "2026-03-01"], 2, "2026-03-01 is before the plan's start (2026-03-02)"),
])
def test_log_edit_and_dates_before_the_start_refused(planned, args, code, message):
    run = planned
    run("log", "5", "--date", "2026-03-03")
    run("log", "1", "--date", "2026-03-03")
    result = run("log", *args)
    assert (result.exit_code, result.stderr) == (code, f"prepplan: {message}\n")
    assert [(e["date"], e["hours"]) for e in entries(run)] == [("2026-03-03", 5),
                                                               ("2026-03-03", 1)]
