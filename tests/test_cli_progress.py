"""log, done, undone, status and checkin through the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date, timedelta

import pytest

PAST_START = "2026-03-02"  # a plan begun in the past: log and done refuse future dates


@pytest.fixture
def planned(run):
    result = run("generate", "--start", PAST_START, "--hours", "10", "--months", "8",
                 "--tz", "UTC")
    assert result.exit_code == 0, result.output
    return run


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
    assert listing[-1] == "4 h in 1 entries"


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


def test_undo_on_an_empty_log(run):
    result = run("log", "--undo")
    assert (result.exit_code, result.stderr) == (1, "prepplan: the log is empty: nothing to undo\n")


def test_done_by_id_and_by_title_part(planned, run_json):
    run = planned
    result = run("done", "1.1", "SOCKET programming", "--date", "2026-03-20")
    assert result.stdout == ("Done: 1.1 File I/O, process management, signal handling in code "
                             "(2026-03-20)\nDone: 1.2 Socket programming — TCP client/server "
                             "(2026-03-20)\n")
    again = run("done", "1.1", "--date", "2026-03-25")
    assert again.exit_code == 0
    assert again.stdout == ("Already done: 1.1 File I/O, process management, signal handling "
                            "in code (2026-03-20)\n")
    topics = run_json("show")["phases"][0]["topics"]
    assert [(t["id"], t["done"], t["done_on"]) for t in topics[:3]] == [
        ("1.1", True, "2026-03-20"), ("1.2", True, "2026-03-20"), ("1.3", False, None)]
    assert run("undone", "1.2").stdout == "Not done: 1.2 Socket programming — TCP client/server\n"
    assert run("undone", "1.2").stdout == \
        "Was not done: 1.2 Socket programming — TCP client/server\n"


@pytest.mark.parametrize("args, code, message", [
    (["design a"], 1, "'design a' matches 4 topics; name one by its id:\n"
                      "  4.1  Design a news feed system (Facebook's core product)\n"
                      "  4.2  Design a messaging system (WhatsApp/Messenger scale)\n"
                      "  4.3  Design a content delivery network\n"
                      "  4.4  Design a monitoring and alerting system\n"),
    (["kubernetes"], 1, "no topic matches 'kubernetes': `prepplan show` lists every topic "
                        "with its id\n"),
    (["9.9"], 1, "no topic matches '9.9': `prepplan show` lists every topic with its id\n"),
    (["1.1", "--date", "2099-01-01"], 2,
     "2099-01-01 is in the future: mark topics done on the day you finish them\n"),
    (["1.1", "--date", "yesterday"], 2,
     "invalid --date 'yesterday': use YYYY-MM-DD (e.g. 2026-12-07) or 'today'\n"),
])
def test_done_bad_input(planned, args, code, message):
    result = planned("done", *args)
    assert result.exit_code == code
    assert result.stderr == f"prepplan: {message}"
    assert planned("status", "--as-of", "2026-04-01", "--json").exit_code == 0
    assert json.loads(planned("status", "--as-of", "2026-04-01", "--json").stdout)[
        "done_topics"] == 0


def test_done_suggests_close_titles(planned):
    result = planned("done", "boot sequense")
    assert result.exit_code == 1
    assert "did you mean one of these?\n  2.1  Boot sequence" in result.stderr


def test_commands_that_need_a_plan(run):
    for args in (["done", "1.1"], ["undone", "1.1"], ["status"], ["checkin", "--hours", "1"],
                 ["history"], ["export", "--format", "json"]):
        result = run(*args)
        assert result.exit_code == 1, args
        assert result.stderr.startswith("prepplan: no plan yet: make one with `prepplan "
                                        "generate`")


STATUS_KEYS = {"as_of", "week", "weeks", "phase", "this_week_topics", "planned_hours",
               "logged_hours", "planned_topics", "done_topics", "total_topics", "earned_hours",
               "days_ahead", "verdict", "projected_finish", "target", "hours_per_week_needed"}


def test_a_scripted_term_of_checkins_matches_the_hand_calculation(planned, run_json):
    """Eight weekly check-ins, some weeks short. Plan: 2026-03-02 + 8 months = 2026-11-02,
    35 weeks, 350 h > 330 h: phases at their maximum (phase 1 = weeks 1-8, 80 h, six topics of
    13.33 h). At 10/7 h a day topic boundaries fall on days 9, 19, 28, 37, 47, 56: 1.4 ends
    04-07, 1.5 runs 04-08..04-17 (10 days), 1.6 04-18..04-26."""
    run = planned
    weekly = [(10, []), (10, ["1.1"]), (6, ["1.2"]), (10, []), (8, ["1.3"]), (10, []),
              (5, ["1.4"]), (10, [])]
    for week, (hours, topics) in enumerate(weekly, start=1):
        sunday = (date(2026, 3, 2) + timedelta(days=7 * week - 1)).isoformat()
        args = ["checkin", "--date", sunday, "--hours", str(hours)]
        for topic in topics:
            args += ["--done", topic]
        result = run(*args)
        assert result.exit_code == 0, result.output
    status = run_json("status", "--as-of", "2026-04-26")
    assert STATUS_KEYS <= status.keys()
    # L = 69 h; done 1.1-1.4 = 53.33 h; partial on 1.5 = min(15.67, 0.9 x 13.33 = 12) -> EV 65.33
    assert status["logged_hours"] == 69
    assert status["earned_hours"] == pytest.approx(53.33 + 12, abs=0.01)
    assert status["planned_hours"] == 80
    # PV reaches 65.33 on day 9 of 1.5 (1.333 h a day): 2026-04-16, 10 days before as-of
    assert status["days_ahead"] == -10
    assert status["verdict"] == "behind"  # tolerance: ceil(10 / 4) = 3 days
    # projected = S + round(230 x 55 / 45) = S + 281 days
    assert status["projected_finish"] == "2026-12-08"
    assert status["target"] == "2026-11-02"
    # (330 - 65.33) / (190 / 7) weeks
    assert status["hours_per_week_needed"] == pytest.approx(264.667 * 7 / 190, abs=0.01)
    assert (status["week"], status["weeks"]) == (8, 35)
    assert status["phase"] == {"number": 1, "title": "Systems Coding (Python/C++)"}
    assert status["this_week_topics"] == ["1.6"]
    assert (status["planned_topics"], status["done_topics"], status["total_topics"]) == (6, 4, 38)
    report = run("status", "--as-of", "2026-04-26").stdout
    assert "Week 8 of 35 · Phase 1: Systems Coding (Python/C++) (Foundation)" in report
    assert "Pace: 10 days behind" in report
    assert "Hours: 69.0 logged · 80.0 planned to date · 65.3 earned" in report
    assert "Topics: 4 done · 6 planned to date · 38 in all" in report
    assert "Finish: projected Tue 2026-12-08, after the target Mon 2026-11-02" in report
    assert ("Catch up: 9.8 h/week from now makes the target (planned: 10) — the buffer weeks "
            "absorb the slip") in report


@pytest.mark.parametrize("as_of, expected", [
    ("2026-02-20", "Not started yet: the plan begins Mon 2026-03-02 (10 days from now)."),
    ("2026-03-02", "Week 1 of 35 · Phase 1: Systems Coding (Python/C++) (Foundation)"),
    ("2026-11-01", "Week 35 of 35 · Mock interviews & review"),
    ("2026-11-20", "Past the target date Mon 2026-11-02: 38 topics and 330.0 h are left."),
])
def test_status_at_the_edges(planned, as_of, expected):
    result = planned("status", "--as-of", as_of)
    assert result.exit_code == 0
    assert expected in result.stdout.splitlines()


def test_checkin_with_flags(planned, run_json):
    result = planned("checkin", "--date", "2026-03-08", "--hours", "9", "--done", "1.1")
    assert result.exit_code == 0
    assert result.stdout.startswith("Logged 9 h on 2026-03-08 (entry 1).\nDone: 1.1 ")
    assert "Week 1 of 35" in result.stdout
    status = run_json("status", "--as-of", "2026-03-08")
    assert (status["logged_hours"], status["done_topics"]) == (9, 1)


def test_checkin_with_answers_on_input(planned, run_json):
    # hours, then one answer per offered topic: 1.1 (overdue), 1.2 (this week)
    result = planned("checkin", "--date", "2026-03-15", input="12\ny\nn\n")
    assert result.exit_code == 0, result.output
    assert "Hours studied since your last check-in [0]: 12" in result.stdout
    assert "Done: 1.1 File I/O, process management, signal handling in code (overdue)? " \
           "[y/N]: y" in result.stdout
    assert "Done: 1.2 Socket programming — TCP client/server? [y/N]: n" in result.stdout
    status = run_json("status", "--as-of", "2026-03-15")
    assert (status["logged_hours"], status["done_topics"]) == (12, 1)


def test_checkin_defaults_to_no_hours(planned, run_json):
    result = planned("checkin", "--date", "2026-03-15", input="\n\n\n")
    assert result.exit_code == 0
    assert run_json("status", "--as-of", "2026-03-15")["logged_hours"] == 0


def test_checkin_without_a_tty_never_waits(tmp_path, prepplan_home):
    env = {**os.environ, "PREPPLAN_HOME": str(prepplan_home)}
    command = [sys.executable, "-m", "prepplan"]
    subprocess.run(command + ["generate", "--start", PAST_START, "--tz", "UTC", "--out",
                              str(tmp_path / "p.ics")], env=env, check=True,
                   capture_output=True)
    # stdin is a pipe that stays open and silent: a prompt would hang forever
    began = time.monotonic()
    process = subprocess.Popen(command + ["checkin", "--date", "2026-03-08"], env=env,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        out, err = _wait(process)
    finally:
        process.stdin.close()
    assert process.returncode == 0, err
    assert time.monotonic() - began < 25
    assert "Hours studied" not in out
    assert "Week 1 of 35" in out


def _wait(process):
    """Wait for the process without closing its stdin (communicate() would close it)."""
    deadline = time.monotonic() + 25
    while process.poll() is None:
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("checkin waited for input on a silent pipe")
        time.sleep(0.05)
    return process.stdout.read(), process.stderr.read()
