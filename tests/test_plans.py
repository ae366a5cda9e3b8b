"""Several plans in one store: --plan, `plans`, `use`, progress that stays with its plan, a
roadmap's plan never overwritten by another roadmap, marks only on the topics they were made on."""

from __future__ import annotations

import json

import pytest

# A roadmap of three topics in two phases. At 10 h/week from 2026-03-02 over its default month
# (the window is 1-2 months: target 2026-04-02, 4 weeks, 40 h > 30 h of maxima) every phase
# gets its maximum: 1.1 Processes 03-02..03-08 and 1.2 Memory 03-09..03-15 (10 h each, 10/7 h a
# day), 2.1 TCP 03-16..03-22, and week 4 is the final block.
SRE = """id = "google-sre"
title = "Google SRE Loop"
reference_hours_per_week = 10
min_months = 1
max_months = 2
[[phases]]
id = "linux"
title = "Linux"
min_weeks = 2
max_weeks = 2
topics = ["Processes", "Memory"]
[[phases]]
id = "net"
title = "Networking"
min_weeks = 1
max_weeks = 1
topics = ["TCP"]
"""

# One phase of three topics, 10 h each at 10 h/week: 1.1 03-02..03-08, 1.2 03-09..03-15,
# 1.3 03-16..03-22 (a week of buffer follows).
MINI = """id = "mini"
title = "Mini"
reference_hours_per_week = 10
min_months = 1
max_months = 2
[[phases]]
id = "only"
title = "Only"
min_weeks = 3
max_weeks = 3
topics = {topics}
"""


@pytest.fixture
def sre_file(tmp_path):
    path = tmp_path / "google-sre.toml"
    path.write_text(SRE)
    return path


def ok(result):
    assert result.exit_code == 0, result.output
    return result


def test_two_plans_of_two_roadmaps_keep_their_own_progress(run, run_json, sre_file,
                                                           monkeypatch):
    ok(run("generate", "--start", "2026-03-02", "--tz", "UTC"))
    made = run_json("generate", "--plan", "sre", "--curriculum", str(sre_file),
                    "--start", "2026-03-02", "--tz", "UTC")
    assert (made["plan"], made["version"], made["target"]) == ("sre", 1, "2026-04-02")
    assert made["ics"].endswith("/prepplan-sre.ics")  # the first plan has prepplan.ics
    ok(run("log", "15", "--date", "2026-03-19"))
    ok(run("log", "15", "--date", "2026-03-20"))
    ok(run("done", "1.1", "1.2", "--date", "2026-03-20"))
    ok(run("log", "12", "--date", "2026-03-09", "--plan", "sre"))
    ok(run("done", "1.1", "--date", "2026-03-09", "--plan", "sre"))
    again = run("generate", "--plan", "sre", "--curriculum", str(sre_file), "--tz", "UTC")
    assert (again.exit_code, again.stderr) == (
        1, "prepplan: the plan 'sre' has progress logged: pass --force to replace it (the old "
           "version stays in `prepplan history`)\n")

    meta = run_json("status", "--as-of", "2026-03-20")
    # Phase 1: 8 weeks, 80 h, 6 topics of 13.33 h on 9, 10, 9... days (boundaries where the
    # days' 10/7 h best match the topics' hours: 9.33 -> 9, 18.67 -> 19). EV = 26.67 done +
    # min(30 - 26.67, 12) = 30; PV(03-20) = 26.67, and 1.3 adds 13.33/9 = 1.48 h a day, so PV
    # passes 30 on its third day, 03-23: 3 days ahead.
    assert (meta["plan"], meta["logged_hours"], meta["earned_hours"], meta["planned_hours"],
            meta["done_topics"], meta["total_topics"], meta["days_ahead"]) == (
        "meta-pe", 30, 30, 26.67, 2, 38, 3)
    sre = run_json("status", "--as-of", "2026-03-10", "--plan", "sre")
    # EV = 10 (1.1) + min(12 - 10, 9) = 12; PV(03-10) = 10 + 2 x 10/7 = 12.86 >= 12 first on
    # 03-10 (PV(03-09) = 11.43): on pace to the day.
    assert (sre["plan"], sre["logged_hours"], sre["earned_hours"], sre["planned_hours"],
            sre["done_topics"], sre["total_topics"], sre["days_ahead"], sre["verdict"]) == (
        "sre", 12, 12, 12.86, 1, 3, 0, "on_pace")

    assert [e["hours"] for e in run_json("log", "--list")] == [15, 15]
    assert [(e["id"], e["hours"]) for e in run_json("log", "--list", "--plan", "sre")] == [
        (3, 12)]
    # log ids count across plans: another plan's entry is named, and left as it is
    for args in (["--edit", "3", "--hours", "5"], ["--undo", "3"]):
        wrong = run("log", *args)
        assert (wrong.exit_code, wrong.stderr) == (
            1, "prepplan: log entry 3 belongs to the plan 'sre', not 'meta-pe': add "
               "`--plan sre`\n"), args
    assert run("log", "--undo", "9").stderr == (
        "prepplan: no log entry 9: `prepplan log --list` shows the ids\n")
    assert [e["hours"] for e in run_json("log", "--list", "--plan", "sre")] == [12]
    done = [[t["id"] for p in run_json("show", *args)["phases"] for t in p["topics"] if t["done"]]
            for args in ([], ["--plan", "sre"])]
    assert done == [["1.1", "1.2"], ["1.1"]]
    assert run_json("plans") == [
        {"name": "meta-pe", "roadmap": "meta-pe", "start": "2026-03-02",
         "target": "2026-11-02", "done_topics": 2, "total_topics": 38, "current": True},
        {"name": "sre", "roadmap": "google-sre", "start": "2026-03-02",
         "target": "2026-04-02", "done_topics": 1, "total_topics": 3, "current": False}]
    assert run("plans").stdout.splitlines()[1:] == [
        "*  meta-pe  meta-pe     2026-03-02  2026-11-02         2/38",
        "   sre      google-sre  2026-03-02  2026-04-02          1/3"]

    assert run("status", "--as-of", "2026-03-10", "--plan", "sre").stdout.splitlines()[:2] == [
        "Plan sre (of several: `prepplan plans`)", "Google SRE Loop — check-in for Tue 2026-03-10"]
    assert ok(run("use", "sre")).stdout == "The current plan is now 'sre' (google-sre).\n"
    assert run_json("status", "--as-of", "2026-03-10")["plan"] == "sre"
    assert [p["current"] for p in run_json("plans")] == [False, True]
    monkeypatch.setenv("PREPPLAN_PLAN", "meta-pe")
    assert run_json("status", "--as-of", "2026-03-20")["logged_hours"] == 30
    assert [v["version"] for v in run_json("history")] == [1]


def test_a_plan_that_does_not_exist_is_refused(run, sre_file):
    for args in (["plans"], ["plans", "--json"], ["use", "sre"]):
        result = run(*args)
        assert (result.exit_code, result.stdout, result.stderr) == (
            1, "", "prepplan: no plan yet: make one with `prepplan generate` (e.g. prepplan "
                   "generate --start today --hours 10 --months 8)\n")
    ok(run("generate", "--start", "2026-03-02", "--tz", "UTC"))
    for args in (["status", "--plan", "sre"], ["log", "2", "--plan", "sre"], ["use", "sre"]):
        result = run(*args)
        assert (result.exit_code, result.stderr) == (
            1, "prepplan: no plan named 'sre': the plans are meta-pe (`prepplan plans` lists "
               "them)\n")
    bad = run("generate", "--plan", "My Plan", "--curriculum", str(sre_file), "--tz", "UTC")
    assert (bad.exit_code, bad.stderr) == (
        2, "prepplan: invalid plan name 'My Plan': use lower-case letters, digits, '-', '_' or "
           "'.' (at most 64), e.g. --plan google-sre\n")


def test_another_roadmap_never_replaces_a_plan_and_makes_a_second_one(run, sre_file, tmp_path):
    ok(run("generate", "--start", "2026-03-02", "--tz", "UTC"))
    ok(run("log", "20", "--date", "2026-04-09"))
    ok(run("log", "20", "--date", "2026-04-10"))
    ok(run("done", "1.1", "1.2", "1.3", "1.4", "1.5", "--date", "2026-04-10"))
    shown = ok(run("show", "--json")).stdout
    status = ok(run("status", "--as-of", "2026-04-10", "--json")).stdout
    calendar = (tmp_path / "work" / "prepplan.ics").read_bytes()

    refused = run("generate", "--force", "--curriculum", str(sre_file), "--start", "2026-03-02",
                  "--tz", "UTC")
    assert (refused.exit_code, refused.stdout) == (1, "")
    assert refused.stderr == (
        "prepplan: the plan 'meta-pe' follows the roadmap 'meta-pe', not 'google-sre': its "
        "progress stays with it; make a second plan with `prepplan generate --plan google-sre "
        f"--curriculum {sre_file}`\n")
    assert ok(run("show", "--json")).stdout == shown

    second = ok(run("generate", "--plan", "sre", "--curriculum", str(sre_file),
                    "--start", "2026-03-02", "--tz", "UTC"))
    assert second.stdout.splitlines()[0] == (
        "Plan 'sre' (the current plan is 'meta-pe'; `prepplan use sre` makes it this one, or "
        "pass --plan sre)")
    assert ok(run("show", "--json")).stdout == shown  # byte for byte
    assert ok(run("status", "--as-of", "2026-04-10", "--json")).stdout == status
    assert (tmp_path / "work" / "prepplan.ics").read_bytes() == calendar
    sre = json.loads(ok(run("show", "--json", "--plan", "sre")).stdout)
    assert [t["done"] for p in sre["phases"] for t in p["topics"]] == [False, False, False]
    assert json.loads(run("status", "--plan", "sre", "--as-of", "2026-03-20", "--json")
                      .stdout)[ "logged_hours"] == 0
    assert (tmp_path / "work" / "prepplan-sre.ics").is_file()


def test_an_edited_curriculum_keeps_marks_only_on_unchanged_topics(run, run_json, tmp_path):
    own = tmp_path / "mini.toml"
    own.write_text(MINI.format(topics='["Alpha", "Beta", "Gamma"]'))
    ok(run("generate", "--curriculum", str(own), "--start", "2026-03-02", "--tz", "UTC"))
    ok(run("log", "15", "--date", "2026-03-21"))
    ok(run("log", "15", "--date", "2026-03-22"))
    ok(run("done", "1.1", "1.2", "1.3", "--date", "2026-03-22"))
    # Beta renamed, Gamma removed, Delta added (and it takes Gamma's id, 1.3)
    own.write_text(MINI.format(topics='["Alpha", "Beta, revised", "Delta"]'))
    again = ok(run("generate", "--force", "--curriculum", str(own), "--start", "2026-03-02",
                   "--tz", "UTC"))
    assert again.stdout.splitlines()[-5:-2] == [
        "Done marks this plan no longer has a topic for (kept, not counted): 2",
        "  1.2 Beta (done 2026-03-22; set aside by version 2)",
        "  1.3 Gamma (done 2026-03-22; set aside by version 2)"]

    shown = run_json("show")
    assert [(t["id"], t["title"], t["done"]) for t in shown["phases"][0]["topics"]] == [
        ("1.1", "Alpha", True), ("1.2", "Beta, revised", False), ("1.3", "Delta", False)]
    assert shown["unplaced_marks"] == [
        {"id": "1.2", "title": "Beta", "done_on": "2026-03-22", "version": 2},
        {"id": "1.3", "title": "Gamma", "done_on": "2026-03-22", "version": 2}]
    assert run("show").stdout.splitlines()[-3:] == [
        "Done marks this plan no longer has a topic for (kept, not counted): 2",
        "  1.2 Beta (done 2026-03-22; set aside by version 2)",
        "  1.3 Gamma (done 2026-03-22; set aside by version 2)"]
    status = run_json("status", "--as-of", "2026-03-22")
    # EV = 10 (Alpha) + min(30 - 10, 0.9 x 10) = 19: the set-aside marks earn nothing
    assert (status["done_topics"], status["earned_hours"], status["logged_hours"]) == (1, 19, 30)
    # a version that keeps every topic sets nothing more aside
    ok(run("generate", "--force", "--curriculum", str(own), "--start", "2026-03-02",
           "--tz", "UTC"))
    assert len(run_json("show")["unplaced_marks"]) == 2
    assert run_json("status", "--as-of", "2026-03-22")["earned_hours"] == 19
    # Beta's title restored: its mark comes back; Gamma's stays aside (1.3 is Delta)
    own.write_text(MINI.format(topics='["Alpha", "Beta", "Delta"]'))
    ok(run("generate", "--force", "--curriculum", str(own), "--start", "2026-03-02",
           "--tz", "UTC"))
    shown = run_json("show")
    assert [(t["id"], t["done_on"]) for t in shown["phases"][0]["topics"]] == [
        ("1.1", "2026-03-22"), ("1.2", "2026-03-22"), ("1.3", None)]
    assert [m["title"] for m in shown["unplaced_marks"]] == ["Gamma"]
    # EV = 20 (Alpha, Beta) + min(30 - 20, 9) = 29
    assert run_json("status", "--as-of", "2026-03-22")["earned_hours"] == 29
