"""checkin: flags, no prompt without a terminal, and the three-answer check-in in a terminal."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

import pexpect
import pytest
from support.plans import PAST_START

PREPPLAN = [sys.executable, "-m", "prepplan"]
NOTHING = ("Nothing to record: no --hours or --done given (checkin asks only in a terminal).")


def test_checkin_with_flags(planned, run_json):
    result = planned("checkin", "--date", "2026-03-08", "--hours", "9", "--done", "1.1")
    assert result.exit_code == 0
    assert result.stdout.startswith("Logged 9 h on 2026-03-08 (entry 1).\nDone: 1.1 ")
    assert "Week 1 of 35" in result.stdout
    status = run_json("status", "--as-of", "2026-03-08")
    assert (status["logged_hours"], status["done_topics"]) == (9, 1)


def test_checkin_flags_take_ranges_and_phases(planned, run_json):
    result = planned("checkin", "--as-of", "2026-05-31", "--done", "1.2-1.4", "--done",
                     "phase:2")
    assert result.exit_code == 0, result.output
    done_lines = [line for line in result.stdout.splitlines() if line.startswith("Done: ")]
    assert [line.split()[1] for line in done_lines] == [
        "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6"]
    assert run_json("status", "--as-of", "2026-05-31")["done_topics"] == 9


def _prepplan(args, **kwargs):
    return subprocess.run(PREPPLAN + args, capture_output=True, text=True, timeout=60,
                          **kwargs)


def _log_and_marks(run_json, day):
    status = run_json("status", "--as-of", day)
    return status["logged_hours"], status["done_topics"]


def test_checkin_with_stdin_from_dev_null_asks_nothing(planned, run_json):
    result = _prepplan(["checkin", "--date", "2026-03-15"], stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(NOTHING + "\n\nMeta Production Engineer Roadmap — "
                                    "check-in for Sun 2026-03-15\n")
    assert "Hours studied" not in result.stdout and "Aborted" not in result.stderr
    assert result.stderr == ""
    assert _log_and_marks(run_json, "2026-03-15") == (0, 0)


def test_checkin_with_text_on_a_pipe_does_only_what_its_flags_say(planned, run_json):
    # answers on the pipe are never read as answers: a script's stray input logs nothing
    silent = _prepplan(["checkin", "--date", "2026-03-15"], input="12\nall\ny\n")
    assert silent.returncode == 0, silent.stderr
    assert silent.stdout.startswith(NOTHING + "\n")
    assert _log_and_marks(run_json, "2026-03-15") == (0, 0)
    flagged = _prepplan(["checkin", "--date", "2026-03-15", "--hours", "3"],
                        input="12\nall\ny\n")
    assert flagged.returncode == 0, flagged.stderr
    assert flagged.stdout.startswith("Logged 3 h on 2026-03-15 (entry 1).\n\n")
    assert "Hours studied" not in flagged.stdout
    assert _log_and_marks(run_json, "2026-03-15") == (3, 0)


def test_checkin_without_a_tty_never_waits(tmp_path, prepplan_home):
    env = {**os.environ, "PREPPLAN_HOME": str(prepplan_home)}
    subprocess.run(PREPPLAN + ["generate", "--start", PAST_START, "--tz", "UTC", "--out",
                               str(tmp_path / "p.ics")], env=env, check=True,
                   capture_output=True)
    # stdin is a pipe that stays open and silent: a prompt would hang forever
    process = subprocess.Popen(PREPPLAN + ["checkin", "--date", "2026-03-08"], env=env,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        out, err = _wait(process)
    finally:
        process.stdin.close()
    assert process.returncode == 0, err
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


# ---------------------------------------------------------------- in a terminal

TOPICS_PROMPT = r"Done: ids \(2\.3 2\.5\), ranges \(2\.2-2\.4\), all, or Enter for none: "
RATING_PROMPT = r"How well does ({}) sit\? again/hard/good/easy \[good\]: "


def rate(child, answers: dict[str, str]) -> None:
    """Answer the rating asked of each topic ticked, in order."""
    for topic, answer in answers.items():
        child.expect(RATING_PROMPT.format(re.escape(topic)))
        child.sendline(answer)


def spawn_checkin(day: str):
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm"}
    return pexpect.spawn(PREPPLAN[0], PREPPLAN[1:] + ["checkin", "--date", day], env=env,
                         dimensions=(50, 100), encoding="utf-8", timeout=30)


def finish(child) -> str:
    child.expect(pexpect.EOF)
    child.close()
    return child.before


def test_full_checkin_with_six_overdue_topics_takes_three_answers(planned, run_json):
    # 2026-04-30, week 9: 1.1-1.6 are overdue (phase 1 ended 2026-04-26), 2.1 is this week's
    child = spawn_checkin("2026-04-30")
    child.expect(r"Hours studied since your last check-in \[0\]: ")
    child.sendline("abc")  # a typo: said why, asked again, nothing lost
    child.expect(r"hours must be a number, not 'abc' — try again")
    child.expect(r"Hours studied since your last check-in \[0\]: ")
    child.sendline("9.5")
    child.expect(TOPICS_PROMPT)
    offered = [line.split()[0] for line in child.before.splitlines()
               if line.startswith("  ") and line.split()]
    assert offered == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2.1"]
    assert child.before.count("(overdue)") == 6
    child.sendline("all")
    child.expect(RATING_PROMPT.format(r"1\.1"))
    child.sendline("meh")  # a typo: said why, asked again
    child.expect(r"\n  rating must be one of again, hard, good, easy, not 'meh' — try again")
    rate(child, {"1.1": "hard", **{topic: "" for topic in offered[1:]}})
    child.expect(r"Save\? \[Y/n\]: ")
    summary = child.before
    assert "done 1.1 File I/O, process management, signal handling in code (rated hard)" in \
        summary and "(rated good)" in summary
    assert "To save for 2026-04-30:" in summary and "log 9.5 h" in summary
    assert [line.split()[1] for line in summary.splitlines()
            if line.strip().startswith("done ")] == offered
    child.sendline("")
    output = finish(child)
    assert child.exitstatus == 0, output
    assert "Logged 9.5 h on 2026-04-30 (entry 1)." in output
    assert output.count("Done: ") == 7
    status = run_json("status", "--as-of", "2026-04-30")
    assert (status["logged_hours"], status["done_topics"]) == (9.5, 7)
    # 1.1 rated hard on 04-30 is due a day later, the rest (good) two days later
    assert [(r["id"], r["due"]) for r in run_json("review", "--as-of", "2026-05-01")] == [
        ("1.1", "2026-05-01")]
    assert run_json("status", "--as-of", "2026-05-02")["reviews_due"] == 7


def test_checkin_ranges_and_ids_in_one_answer(planned, run_json):
    child = spawn_checkin("2026-05-31")
    child.expect(r"\[0\]: ")
    child.sendline("4")
    child.expect(TOPICS_PROMPT)
    child.sendline("2.1-2.3 2.5")
    rate(child, {"2.1": "", "2.2": "easy", "2.3": "", "2.5": "again"})
    child.expect(r"Save\? \[Y/n\]: ")
    child.sendline("y")
    output = finish(child)
    assert child.exitstatus == 0, output
    shown = json.loads(planned("show", "--json").stdout)
    done = [t["id"] for p in shown["phases"] for t in p["topics"] if t["done"]]
    assert done == ["2.1", "2.2", "2.3", "2.5"]
    assert {t["done_on"] for p in shown["phases"] for t in p["topics"] if t["done"]} == {
        "2026-05-31"}


def test_a_bad_topics_answer_is_asked_again(planned, run_json):
    child = spawn_checkin("2026-03-15")
    child.expect(r"\[0\]: ")
    child.sendline("0")
    child.expect(TOPICS_PROMPT)
    child.sendline("9.9")
    child.expect("no topic matches '9.9': `prepplan show` lists every topic with its id "
                 "— try again")
    child.expect(TOPICS_PROMPT)
    child.sendline("all, 1.2")
    child.expect(r"answer `all` on its own \(every topic offered\), or name the topics: "
                 r"2\.3 2\.5, 2\.2-2\.4 — try again")
    child.expect(TOPICS_PROMPT)
    child.sendline("1.1")
    rate(child, {"1.1": "good"})
    child.expect(r"Save\? \[Y/n\]: ")
    child.sendline("y")
    finish(child)
    assert child.exitstatus == 0
    assert _log_and_marks(run_json, "2026-03-15") == (0, 1)


@pytest.mark.parametrize("answers", [[], ["5"], ["5", "1.1"], ["5", "1.1", "hard"]],
                         ids=["at the hours", "at the topics", "at the rating",
                              "at the confirmation"])
def test_ctrl_c_before_the_confirmation_saves_nothing(planned, prepplan_home, answers):
    planned("log", "2", "--date", "2026-03-03")
    database = prepplan_home / "prepplan.db"
    before = database.read_bytes()
    child = spawn_checkin("2026-03-15")
    prompts = [r"\(last entry 2026-03-03\) \[0\]: ", TOPICS_PROMPT,
               RATING_PROMPT.format(r"1\.1"), r"Save\? \[Y/n\]: "]
    for prompt, answer in zip(prompts, answers):
        child.expect(prompt)
        child.sendline(answer)
    child.expect(prompts[len(answers)])
    child.sendintr()
    output = finish(child)
    assert child.exitstatus == 130
    assert output.strip().endswith("prepplan: check-in interrupted: nothing was saved")
    # on a line of its own, not after the prompt and its ^C
    assert output.splitlines()[-1] == "prepplan: check-in interrupted: nothing was saved"
    assert database.read_bytes() == before


def test_declining_the_confirmation_saves_nothing(planned, prepplan_home):
    database = prepplan_home / "prepplan.db"
    before = database.read_bytes()
    child = spawn_checkin("2026-03-15")
    child.expect(r"\[0\]: ")
    child.sendline("5")
    child.expect(TOPICS_PROMPT)
    child.sendline("")
    child.expect(r"Save\? \[Y/n\]: ")
    child.sendline("n")
    output = finish(child)
    assert child.exitstatus == 0
    assert output.strip().endswith("Nothing was saved.")
    assert database.read_bytes() == before


# ---------------------------------------------------------------- a check-in's hours

def log_rows(run):
    return [(e["date"], e["hours"]) for e in json.loads(run("log", "--list", "--json").stdout)]


def test_the_hours_prompt_holds_the_time_since_the_last_entry_and_asks_again(planned):
    # an entry after the check-in's day is another week's: the prompt names the one before it
    planned("log", "3", "--date", "2026-08-15")
    planned("log", "2", "--date", "2026-11-24")
    child = spawn_checkin("2026-08-16")
    child.expect(r"Hours studied since your last check-in \(last entry 2026-08-15\) \[0\]: ")
    child.sendline("100")  # one day since that entry holds 24 h: said, asked again
    child.expect(r"100 h is more than the 24 h since your last log entry \(2026-08-15\) "
                 r"— try again")
    child.expect(r"\(last entry 2026-08-15\) \[0\]: ")
    child.sendline("20")
    child.expect(TOPICS_PROMPT)
    child.sendline("")
    child.expect(r"Save\? \[Y/n\]: ")
    assert "  log 20 h" in child.before
    child.sendline("y")
    output = finish(child)
    assert child.exitstatus == 0, output
    assert "Logged 20 h on 2026-08-16 (entry 3)." in output
    assert log_rows(planned) == [("2026-08-15", 3), ("2026-08-16", 20), ("2026-11-24", 2)]


@pytest.mark.parametrize("logged, args, message", [
    # no entry yet: the days from the plan's start (Mon 03-02) to 03-04, 3 days, hold 72 h
    ([], ["--date", "2026-03-04", "--hours", "73"],
     "73 h is more than the 72 h since the plan's start (2026-03-02)"),
    # two days after the last entry: 48 h; the topics named are not marked either
    (["2026-03-08"], ["--date", "2026-03-10", "--hours", "49", "--done", "1.1"],
     "49 h is more than the 48 h since your last log entry (2026-03-08)"),
    # a check-in covers a week at most, however long ago the last entry is
    (["2026-03-08"], ["--date", "2026-05-10", "--hours", "168.5"],
     "168.5 h is more than a check-in's week holds (168 h): log the weeks before with "
     "`prepplan log HOURS --date D`"),
    # an entry on the check-in's day: what is left of that day
    (["2026-03-08"], ["--date", "2026-03-08", "--hours", "20"],
     "20 h is more than the 19 h left of 2026-03-08 (5 h already logged that day)"),
])
def test_checkin_hours_beyond_the_time_since_the_last_entry_are_refused(
        planned, run_json, prepplan_home, logged, args, message):
    for day in logged:
        planned("log", "5", "--date", day)
    database = prepplan_home / "prepplan.db"
    before = database.read_bytes()
    result = planned("checkin", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"prepplan: {message}\n")
    assert database.read_bytes() == before


def test_checkin_hours_of_several_days_are_booked_on_the_checkin_day(planned, run_json):
    # the hours of a week since the plan's start: more than one day's 24 h, which `log` keeps
    week = planned("checkin", "--date", "2026-03-08", "--hours", "30", "--done", "1.1")
    assert week.exit_code == 0, week.output
    assert week.stdout.startswith("Logged 30 h on 2026-03-08 (entry 1).\nDone: 1.1 ")
    full = planned("checkin", "--date", "2026-03-15", "--hours", "168")  # 7 days x 24 h
    assert full.stdout.startswith("Logged 168 h on 2026-03-15 (entry 2).\n")
    assert log_rows(planned) == [("2026-03-08", 30), ("2026-03-15", 168)]
    assert planned("log", "30", "--date", "2026-03-16").stderr == (
        "prepplan: 30 h on 2026-03-16 is more than a day holds (0 h already logged that day)\n")


def test_checkin_flag_hours_are_refused_before_anything_is_asked(planned, prepplan_home):
    planned("log", "5", "--date", "2026-03-08")
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm"}
    child = pexpect.spawn(PREPPLAN[0], PREPPLAN[1:] + ["checkin", "--date", "2026-03-09",
                                                       "--hours", "25"],
                          env=env, dimensions=(50, 100), encoding="utf-8", timeout=30)
    output = finish(child)
    assert child.exitstatus == 2
    assert output.strip() == ("prepplan: 25 h is more than the 24 h since your last log entry "
                              "(2026-03-08)")
