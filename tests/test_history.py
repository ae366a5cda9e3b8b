"""history and old versions through the CLI."""

from __future__ import annotations

import json



def test_history_and_old_versions(behind, run, run_json):
    run_json("replan", "--as-of", "2026-05-10", "--hours", "12")
    run_json("replan", "--as-of", "2026-06-01", "--target", "2026-12-01")
    history = run_json("history")
    assert [(v["version"], v["reason"], v["hours_per_week"], v["target"]) for v in history] == [
        (1, "generate", 10, "2026-11-02"), (2, "replan as of 2026-05-10", 12, "2026-11-02"),
        (3, "replan as of 2026-06-01", 12, "2026-12-01")]
    assert run_json("show", "--version", "1")["hours_per_week"] == 10
    assert run_json("show")["version"] == 3
    table = run("history").stdout.splitlines()
    assert table[0].split() == ["Version", "Made", "Why", "Start", "Target", "h/week", "Weeks"]
    assert len(table) == 4
    old = run("show", "--version", "1")
    assert old.exit_code == 0 and old.stdout.startswith("Version 1 of 3, made ")
    missing = run("show", "--version", "9")
    assert (missing.exit_code, missing.stderr) == (
        1, "prepplan: no plan version 9: `prepplan history` lists versions 1 to 3\n")
    assert [e["hours"] for e in json.loads(run("log", "--list", "--json").stdout)] == [20, 20]


def test_history_shows_local_times_with_their_zone(planned, run_json, monkeypatch):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import prepplan.cli

    # the system's zone (tzlocal's answer) is UTC+05:30 all year: no DST to guess
    monkeypatch.setattr(prepplan.cli, "_system_zone", lambda: "Asia/Kolkata")
    made = datetime.fromisoformat(run_json("history")[0]["created_at"])
    assert made.utcoffset().total_seconds() == 0  # stored in UTC
    row = planned("history").stdout.splitlines()[1]
    local = made.astimezone(ZoneInfo("Asia/Kolkata"))
    assert row.split()[:4] == ["1", local.strftime("%Y-%m-%d"), local.strftime("%H:%M"), "IST"]
