"""checkin: flags, answers on input, and never waiting on a silent pipe."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from support.plans import PAST_START


def test_checkin_with_flags(planned, run_json):
    result = planned("checkin", "--date", "2026-03-08", "--hours", "9", "--done", "1.1")
    assert result.exit_code == 0
    assert result.stdout.startswith("Logged 9 h on 2026-03-08 (entry 1).\nDone: 1.1 ")
    assert "Week 1 of 35" in result.stdout
    status = run_json("status", "--as-of", "2026-03-08")
    assert (status["logged_hours"], status["done_topics"]) == (9, 1)


def test_checkin_with_answers_on_input(planned, run_json):
    # hours, then one answer per offered topic: 1.1 (overdue), 1.2 (this week)
    # ... then the rating of each topic ticked: 1.1 "hard"
    result = planned("checkin", "--date", "2026-03-15", input="12\ny\nn\nhard\n")
    assert result.exit_code == 0, result.output
    assert "How well does 1.1 sit? again/hard/good/easy [good]: hard" in result.stdout
    assert "Hours studied since your last check-in [0]: 12" in result.stdout
    assert "Done: 1.1 File I/O, process management, signal handling in code (overdue)? " \
           "[y/N]: y" in result.stdout
    assert "Done: 1.2 Socket programming — TCP client/server? [y/N]: n" in result.stdout
    status = run_json("status", "--as-of", "2026-03-15")
    assert (status["logged_hours"], status["done_topics"]) == (12, 1)
    # a first "hard" is due a day later (FSRS-6: stability 1.29 days, rounded)
    assert run_json("review", "--as-of", "2026-03-16")[0]["due"] == "2026-03-16"


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
