"""log, done, undone, status and checkin through the CLI."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from support.plans import PAST_START

PAST_START = "2026-03-02"  # a plan begun in the past: log and done refuse future dates


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




def test_counts_are_worded_in_the_singular_for_one(planned):
    result = planned("status", "--as-of", "2026-03-01")
    assert "Not started yet: the plan begins Mon 2026-03-02 (1 day from now)." in result.stdout
    later = planned("status", "--as-of", "2026-02-27")
    assert "(3 days from now)" in later.stdout
