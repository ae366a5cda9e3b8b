"""Files prepplan writes: the calendar after the database commit (crash safety), leftovers of a
crash removed, modes that follow the umask and are never loosened."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from support.icsutil import calendar_events

CRASH_ENV = "PREPPLAN_TEST_CRASH_AFTER_COMMIT"


def prepplan(*args: str, home: Path, cwd: Path, crash: bool = False):
    env = {**os.environ, "PREPPLAN_HOME": str(home)}
    env.pop(CRASH_ENV, None)
    if crash:
        env[CRASH_ENV] = "1"
    return subprocess.run([sys.executable, "-m", "prepplan", *args], capture_output=True,
                          text=True, env=env, cwd=cwd)


def sequences(path: Path) -> set[int]:
    return {int(event["SEQUENCE"]) for event in calendar_events(path).values()}


def test_a_crash_between_commit_and_rename_never_puts_the_file_ahead(tmp_path):
    home, work = tmp_path / "home", tmp_path / "work"
    work.mkdir()
    generate = ["generate", "--start", "2026-12-07", "--tz", "UTC"]
    assert prepplan(*generate, home=home, cwd=work).returncode == 0
    first = (work / "prepplan.ics").read_bytes()
    assert sequences(work / "prepplan.ics") == {0}

    died = prepplan(*generate, "--hours", "12", home=home, cwd=work, crash=True)
    assert died.returncode == -9  # killed by SIGKILL at the instant after the commit
    # the database has version 2; the file is still version 1, and the new one is an orphan
    db = sqlite3.connect(home / "prepplan.db")
    assert db.execute("SELECT MAX(version) FROM plan_versions").fetchone() == (2,)
    db.close()
    assert (work / "prepplan.ics").read_bytes() == first
    orphans = sorted(path.name for path in work.glob(".prepplan.ics.*.tmp"))
    assert len(orphans) == 1

    again = prepplan(*generate, "--hours", "14", home=home, cwd=work)
    assert again.returncode == 0, again.stderr
    # version 3: SEQUENCE 2, above anything a client has seen; the orphan is gone
    assert sequences(work / "prepplan.ics") == {2}
    assert list(work.glob(".prepplan.ics.*.tmp")) == []
    assert sorted(path.name for path in work.iterdir()) == ["prepplan.ics"]


def test_a_crash_during_replan_keeps_file_and_database_in_order(tmp_path):
    home, work = tmp_path / "home", tmp_path / "work"
    work.mkdir()
    assert prepplan("generate", "--start", "2026-03-02", "--tz", "UTC", home=home,
                    cwd=work).returncode == 0
    before = (work / "prepplan.ics").read_bytes()
    died = prepplan("replan", "--as-of", "2026-04-01", "--hours", "12", home=home, cwd=work,
                    crash=True)
    assert died.returncode == -9
    assert (work / "prepplan.ics").read_bytes() == before
    assert prepplan("replan", "--as-of", "2026-04-01", "--hours", "12", home=home,
                    cwd=work).returncode == 0
    assert sequences(work / "prepplan.ics") == {2}
    assert list(work.glob(".*.tmp")) == []


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600)])
def test_new_files_follow_the_umask(run, umask, mode):
    old = os.umask(umask)
    try:
        assert run("generate", "--start", "2026-03-02", "--tz", "UTC").exit_code == 0
        assert run("export", "--format", "csv", "--out", "plan.csv").exit_code == 0
        assert run("replan", "--as-of", "2026-04-01", "--out", "replanned.ics").exit_code == 0
    finally:
        os.umask(old)
    for name in ("prepplan.ics", "plan.csv", "replanned.ics"):
        assert stat.S_IMODE(Path(name).stat().st_mode) == mode, name


def test_an_existing_file_keeps_its_mode(run):
    for name, mode in (("prepplan.ics", 0o600), ("plan.md", 0o640)):
        Path(name).write_text("old")
        os.chmod(name, mode)
    old = os.umask(0o022)
    try:
        assert run("generate", "--start", "2026-03-02", "--tz", "UTC").exit_code == 0
        assert run("export", "--format", "markdown", "--out", "plan.md").exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(Path("prepplan.ics").stat().st_mode) == 0o600  # never loosened
    assert stat.S_IMODE(Path("plan.md").stat().st_mode) == 0o640
    assert Path("prepplan.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")


def test_only_this_targets_orphans_are_removed(run):
    for name in (".prepplan.ics.0a1b2c.tmp", ".other.ics.0a1b2c.tmp", "prepplan.ics.tmp"):
        Path(name).write_text("left by a crash")
    assert run("generate", "--start", "2026-03-02", "--tz", "UTC").exit_code == 0
    assert sorted(path.name for path in Path.cwd().iterdir()) == [
        ".other.ics.0a1b2c.tmp", "prepplan.ics", "prepplan.ics.tmp"]
