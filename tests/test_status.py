"""log, done, undone, status and checkin through the CLI."""

from __future__ import annotations

import re
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
    # the forecast: eight complete weeks of 10, 10, 6, 10, 8, 10, 5, 10 h (mean 8.625); L - EV
    # = 3.67 h is less than a week's 10 h (the cap on the unticked 1.5), no evidence of a
    # planned hour taking longer: r = 1, work left 264.67 h = 30.7 weeks at the mean, so the
    # median run ends ~215 days after as-of, 2026-11-27 (the draws' spread: about 11 h, or
    # 1.2 weeks; the seed is random per store, so a day either way), 85% ~9 days later
    forecast = status["forecast"]
    assert (forecast["basis"], forecast["history_weeks"]) == ("history", 8)
    assert forecast["hours_per_week"] == pytest.approx(8.625, abs=0.01)
    assert "2026-11-26" <= forecast["p50"] <= "2026-11-28"
    assert "2026-12-04" <= forecast["p85"] <= "2026-12-09"
    # 190 days to the target hold ~234 h of the 264.67 left: almost no run makes it (the seed
    # follows the store's plan id, a fresh one per test, so the exact share varies a little)
    assert forecast["chance_on_time"] < 0.01
    assert status["projected_finish"] == forecast["p50"]
    assert status["target"] == "2026-11-02"
    # 10 x (330 - 65.33) h / the 270 h of days 04-27..11-01 (189 days of 10/7 h)
    assert status["hours_per_week_needed"] == pytest.approx(10 * 264.667 / 270, abs=0.01)
    assert status["reachable"] is True
    assert status["overdue_topics"] == ["1.5"]  # planned to end 04-17, not ticked
    # 14.67 h behind; weeks 34-35 are the buffer, 20 h
    assert (status["hours_behind"], status["buffer_covers"]) == (14.67, True)
    assert (status["week"], status["weeks"]) == (8, 35)
    assert status["phase"] == {"number": 1, "title": "Systems Coding (Python/C++)"}
    assert status["this_week_topics"] == ["1.6"]
    assert (status["planned_topics"], status["done_topics"], status["total_topics"]) == (6, 4, 38)
    report = run("status", "--as-of", "2026-04-26").stdout
    assert "Week 8 of 35 · Phase 1: Systems Coding (Python/C++) (Foundation)" in report
    assert "Pace: 10 days behind" in report
    assert "Hours: 69.0 logged · 80.0 planned to date · 65.3 earned" in report
    assert "Topics: 4 done · 6 planned to date · 38 in all" in report
    assert (f"Finish: at your last 8 weeks' 8.6 h/week: most likely "
            f"{fmt_iso(forecast['p50'])}, 85%: {fmt_iso(forecast['p85'])} — "
            f"{'0%' if forecast['chance_on_time'] == 0 else '<1%'} chance of "
            f"making Mon 2026-11-02") in report
    assert ("Catch up: 9.8 h/week from now makes the target (planned: 10) — the buffer "
            "absorbs the slip") in report
    assert ("Overdue: 1.5 Threading and concurrency patterns — if it is done: "
            "`prepplan done 1.5`") in report


def fmt_iso(text: str) -> str:
    return date.fromisoformat(text).strftime("%a %Y-%m-%d")


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


def test_an_unreachable_target_names_the_earliest_replan_accepts(run, run_json):
    """From 2026-03-02 at 8 h/week for 9 months (T = 2026-12-02, 39 weeks, the last ending
    11-29), nothing done by Sun 2026-11-08: 312 h over the 21 days left (24 h) would take
    104 h/week. replan from Mon 11-09 (week 37) needs the roadmap's minimum 240 h: 30 weeks of
    8 h, weeks 37-66, so T = S + 66 weeks (462 days) = 2027-06-07: then (T - S) // 7 = 66."""
    assert run("generate", "--start", PAST_START, "--hours", "8", "--months", "9",
               "--tz", "UTC").exit_code == 0
    status = run_json("status", "--as-of", "2026-11-08")
    assert status["hours_per_week_needed"] == pytest.approx(104)
    assert (status["reachable"], status["earliest_target"]) == (False, "2027-06-07")
    lines = run("status", "--as-of", "2026-11-08").stdout.splitlines()
    assert ("Catch up: the target Wed 2026-12-02 cannot be made: it would take 104.0 h/week, "
            "over the 80 h/week limit; the earliest target `prepplan replan` accepts at 8 "
            "h/week is Mon 2027-06-07: `prepplan replan --target 2027-06-07`") in lines
    assert not any("Or rebuild" in line for line in lines)
    # one day earlier is refused, naming the same date; that date is accepted, with a note
    refused = run("replan", "--as-of", "2026-11-08", "--target", "2027-06-06")
    assert refused.exit_code == 1
    assert "move the target to 2027-06-07 or later at 8 h/week" in refused.stderr
    accepted = run("replan", "--as-of", "2026-11-08", "--target", "2027-06-07")
    assert accepted.exit_code == 0, accepted.output
    assert ("The new target 2027-06-07 lies beyond the roadmap's recommended 6–10 month "
            "window, which ends 2027-01-02.") in accepted.stdout.splitlines()
    after = run_json("status", "--as-of", "2026-11-08")
    assert (after["verdict"], after["target"], after["reachable"]) == ("on_pace", "2027-06-07",
                                                                      True)


def test_past_the_target_names_the_earliest_replan_accepts(run, run_json, today_is):
    """The same plan, nothing done, as of 2026-12-06 (week 40): replan from Mon 12-07 needs
    30 weeks, 41-70: T = S + 70 weeks = 2027-07-05; replan takes an as-of past the target."""
    today_is(date(2026, 12, 6))
    assert run("generate", "--start", PAST_START, "--hours", "8", "--months", "9",
               "--tz", "UTC").exit_code == 0
    status = run_json("status", "--as-of", "2026-12-06")
    assert (status["state"], status["verdict"], status["hours_per_week_needed"]) == (
        "past_target", "behind", None)
    assert (status["reachable"], status["earliest_target"]) == (False, "2027-07-05")
    assert status["forecast"]["chance_on_time"] == 0
    report = run("status", "--as-of", "2026-12-06").stdout
    assert ("Catch up: the target Wed 2026-12-02 has passed; the earliest target `prepplan "
            "replan` accepts at 8 h/week is Mon 2027-07-05") in report
    replanned = run_json("replan", "--as-of", "2026-12-06", "--target", "2027-07-05")
    assert replanned["note"] == ("The new target 2027-07-05 lies beyond the roadmap's "
                                 "recommended 6–10 month window, which ends 2027-01-02.")


def test_status_json_carries_every_key_of_the_model(planned, run_json):
    """Plan from 2026-03-02 at 10 h/week (35 weeks, buffer 34-35). 1.1 done 03-10, 12 h
    logged by Sun 03-08 and 4 more on 03-15, as of Mon 03-16 (day 15; 1.2 runs 03-11..03-20)."""
    run = planned
    for args in (["log", "12", "--date", "2026-03-08"], ["log", "4", "--date", "2026-03-15"],
                 ["done", "1.1", "--date", "2026-03-10"]):
        assert run(*args).exit_code == 0
    status = run_json("status", "--as-of", "2026-03-16")
    assert STATUS_KEYS | {"overdue_topics", "finished_on", "forecast", "reachable",
                          "earliest_target", "hours_behind", "buffer_covers", "state",
                          "earned_schedule", "tolerance_days", "next_checkin"} <= status.keys()
    assert status["overdue_topics"] == [] and status["finished_on"] is None
    # two complete weeks: the plan's 10 h/week, drawn every week: one outcome. EV = 13.33 +
    # 2.67 = 16 h; work left (330 - 16) x 16/16 = 314 h from Tue 03-17: the rest of week 3
    # (6 days, 8.57 h), then 30 weeks (300 h) to Sun 10-18, 5.43 h = 4 days: Thu 10-22.
    assert status["forecast"] == {"basis": "plan", "history_weeks": 2, "hours_per_week": 10,
                                  "p50": "2026-10-22", "p85": "2026-10-22",
                                  "chance_on_time": 1.0}
    assert status["projected_finish"] == "2026-10-22"
    # 10 x 314 h / (days 03-17..11-01: 230 x 10/7 h)
    assert status["hours_per_week_needed"] == pytest.approx(314 * 7 / 230, abs=0.01)
    assert (status["reachable"], status["earliest_target"]) == (True, None)
    # PV(03-16) = 13.33 + 6 x 1.333 = 21.33: 5.33 h behind, inside the 20 h of buffer
    assert (status["hours_behind"], status["buffer_covers"]) == (5.33, True)
    every_topic = [t["id"] for phase in run_json("show")["phases"] for t in phase["topics"]]
    assert run("done", "--date", "2026-10-30", *every_topic).exit_code == 0
    finished = run_json("status", "--as-of", "2026-11-01")
    assert (finished["state"], finished["finished_on"], finished["projected_finish"],
            finished["forecast"]) == ("finished", "2026-10-30", "2026-10-30", None)


# ---------------------------------------------------------------- a whole term, day by day

def test_a_messy_30_week_term_tells_one_story_every_day():
    """From Mon 2026-01-05 at 9 h/week to 2026-08-05 (7 months: 30 weeks, the last ending
    Sun 08-02), with 2026-06-01..06-10 off: 270 - 10 x 9/7 = 257.14 h, the stretch regime, no
    buffer. The user logs the planned 9/7 h on every study day, but only half of it in weeks
    6, 11 and 17 (13.5 h short in all), ticks each topic on the day the hours logged cover it,
    forgets 3.2 for five weeks, and goes on after the target: the last 13.5 h take 10.5 more
    days of 9/7 h after 08-02, so the last topic is done Thu 2026-08-13, 8 days late."""
    import io

    from support.plans import make_plan

    from prepplan.app import resolve_topics
    from prepplan.pace import compute_status
    from prepplan.text import Out, status_report

    start, target = date(2026, 1, 5), date(2026, 8, 5)
    plan = make_plan(start, 9, target=target, skip=((date(2026, 6, 1), date(2026, 6, 10)),))
    assert (plan.weeks, plan.regime, plan.buffer) == (30, "stretch", None)
    assert plan.total_hours == pytest.approx(270 - 90 / 7)
    short_weeks = {6, 11, 17}
    log, marks, logged = [], {}, 0.0
    cumulative = [sum(t.hours for t in plan.topics[:n + 1]) for n in range(len(plan.topics))]
    day = start
    while len(marks) < len(plan.topics):
        hours = plan.schedule.day_hours(day) if day <= plan.schedule.week_end(30) else 9 / 7
        hours *= 0.5 if plan.schedule.week_of(day) in short_weeks else 1
        if hours:
            log.append((day, hours))
            logged += hours
        for topic, needed in zip(plan.topics, cumulative):
            if topic.id not in marks and logged >= needed - 1e-9:
                marks[topic.id] = day
        day += timedelta(days=1)
    forgotten = next(t for t in plan.topics if t.id == "3.2")
    marks["3.2"] = marks["3.2"] + timedelta(days=35)
    assert max(marks.values()) == date(2026, 8, 13)

    vacation_days_ahead = set()
    day = start - timedelta(days=2)
    while day <= date(2026, 8, 16):
        status = compute_status(plan, log, marks, day, plan_id="term")
        stream = io.StringIO()
        status_report(Out(stream, terminal=False), status, plan)
        lines = stream.getvalue().splitlines()
        text = "\n".join(lines)
        pace = [line for line in lines if line.startswith("Pace: ")]
        finish = [line for line in lines if line.startswith("Finish: ")]
        assert (len(pace), len(finish)) == ((0, 1) if day < start else (1, 1)), day
        # never an impossible rate, never "catch up" with fewer hours than planned, and no
        # buffer to absorb anything
        for rate in re.findall(r"^Catch up: ([\d.]+) h/week from now", text, re.M):
            assert 9 < float(rate) <= 80, (day, text)
        for rate in re.findall(r"^Needed: ([\d.]+) h/week from now", text, re.M):
            assert float(rate) <= 80, (day, text)
        assert "buffer" not in text
        assert ("Catch up" in text) <= (status.verdict == "behind" or not status.reachable)
        # overdue topics are named with the command that ticks them
        overdue = [t.id for t in status.overdue_topics]
        assert ("Overdue: " in text) == bool(overdue)
        if overdue:  # the command (written short: ranges, phase:N) ticks exactly them
            command = re.search(r"`prepplan done ([^`]+)`", text).group(1)
            assert [t.id for t in resolve_topics(plan, command.split())] == overdue, day
        # the forecast says its basis
        if status.forecast:
            weeks = status.forecast.history_weeks
            assert ("at the planned 9 h/week" in text) == (weeks < 3), day
            assert ("at your last" in text) == (weeks >= 3), day
        if date(2026, 5, 31) <= day <= date(2026, 6, 10):
            vacation_days_ahead.add(status.days_ahead)
        if day > target:  # late: never on pace, never before the target
            assert status.verdict == "behind" and "before the target" not in text, day
        day += timedelta(days=1)
    assert len(vacation_days_ahead) == 1  # the days off cost no days

    # hand checks: 3.2 is overdue from the day after its planned end until it is ticked
    for day, listed in ((forgotten.end, False), (forgotten.end + timedelta(days=1), True),
                        (marks["3.2"] - timedelta(days=1), True), (marks["3.2"], False)):
        status = compute_status(plan, log, marks, day, plan_id="term")
        assert ("3.2" in [t.id for t in status.overdue_topics]) == listed, day
    done = compute_status(plan, log, marks, date(2026, 8, 16), plan_id="term")
    assert (done.state, done.finished_on, done.verdict) == ("finished", date(2026, 8, 13),
                                                            "behind")
    # the topic work was planned to end Sun 08-02: 11 days late, 10.5 days' hours
    assert done.days_ahead == -(date(2026, 8, 13) - max(t.end for t in plan.topics)).days
    stream = io.StringIO()
    status_report(Out(stream, terminal=False), done, plan)
    assert "Finish: done Thu 2026-08-13, 8 days after the target Wed 2026-08-05" in \
        stream.getvalue().splitlines()


def test_status_offers_no_rate_replan_refuses(run):
    """39 h/week needed on mon/wed/sat (see test_pace): status names the earliest target
    instead, 30 weeks of 8 h from week 32 for the 240 h of minimum effort: weeks 32-61, so
    Mon 2027-05-03; replan refuses --hours 39 and accepts that target."""
    assert run("generate", "--start", "2026-03-02", "--hours", "8", "--months", "9", "--days",
               "mon,wed,sat", "--at", "19:00", "--tz", "Europe/Berlin").exit_code == 0
    report = run("status", "--as-of", "2026-10-04").stdout
    assert ("Catch up: the target Wed 2026-12-02 cannot be made: it would take 39.0 h/week, "
            "more than the 36 h a week that 3 study days hold at 12 h a day; the earliest "
            "target `prepplan replan` accepts at 8 h/week is Mon 2027-05-03: "
            "`prepplan replan --target 2027-05-03`") in report
    assert "Or rebuild" not in report
    assert run("replan", "--as-of", "2026-10-04", "--hours", "39").exit_code == 2
    assert run("replan", "--as-of", "2026-10-04", "--target", "2027-05-02").exit_code == 1
    assert run("replan", "--as-of", "2026-10-04", "--target", "2027-05-03").exit_code == 0


def trial_all_but_one_done(run):
    """8 h/week on mon/wed/sat from 2026-03-02 for 9 months: 39 weeks, the last ending Sun
    2026-11-29, target Wed 2026-12-02; every topic but 1.5 done on 2026-11-20."""
    assert run("generate", "--start", "2026-03-02", "--hours", "8", "--months", "9", "--days",
               "mon,wed,sat", "--at", "19:00", "--tz", "Europe/Berlin").exit_code == 0
    ids = [f"{phase}.{n}" for phase, count in ((1, 6), (2, 6), (3, 7), (4, 7), (5, 6), (6, 6))
           for n in range(1, count + 1) if (phase, n) != (1, 5)]
    assert run("done", *ids, "--date", "2026-11-20").exit_code == 0


def test_this_week_lists_no_done_topic_and_nothing_past_the_plans_last_week(run, run_json):
    trial_all_but_one_done(run)
    # week 39 (11-23..11-29) plans 6.5 and 6.6, both done: no focus to name
    assert run_json("status", "--as-of", "2026-11-29")["this_week_topics"] == []
    report = run("status", "--as-of", "2026-11-29").stdout
    assert "Week 39 of 39 · Phase 6: Meta Culture & Behavioral (Expert)" in report
    assert "This week:" not in report
    assert "Overdue: 1.5 Threading and concurrency patterns" in report
    # Mon 11-30: after the last plan week, before the target
    status = run_json("status", "--as-of", "2026-11-30")
    assert (status["state"], status["this_week_topics"]) == ("in_progress", [])
    report = run("status", "--as-of", "2026-11-30").stdout.splitlines()
    assert report[1] == "Past the plan's last week (week 39 ended Sun 2026-11-29)"
    assert not [line for line in report if line.startswith("This week")]
    # past the target
    report = run("status", "--as-of", "2026-12-05").stdout.splitlines()
    assert report[1] == "Past the plan's last week (week 39 ended Sun 2026-11-29)"
    assert report[2].startswith("Past the target date Wed 2026-12-02: 1 topic")


def test_full_effort_without_a_final_block_names_none(run, today_is):
    """The replan of test_replan's forgotten 1.5: phase 6 on weeks 37-41 up to the target
    2026-12-14, every phase at its maximum, no week left over."""
    today_is(date(2026, 11, 29))
    trial_all_but_one_done(run)
    result = run("replan", "--as-of", "2026-11-29", "--target", "2026-12-14")
    assert result.exit_code == 0, result.output
    lines = run("show").stdout.splitlines()
    assert "Every phase gets its full effort." in lines
    assert not [line for line in lines if "final block" in line
                or "Mock interviews & review" in line]
    assert "6  Meta Culture & Behavioral    37–41  2026-11-09 – 2026-12-13   24.0     6/6" in lines


@pytest.mark.parametrize("finished_on, verdict", [("2026-10-18", "on_pace"),
                                                   ("2026-11-20", "behind")])
def test_a_finished_plan_has_nothing_out_of_reach(planned, run_json, finished_on, verdict):
    """Every topic done, on the planned end of the topic work (Sun 10-18, before the buffer
    weeks 34-35) or after the target 2026-11-02: nothing is left to do, so
    nothing needs hours and nothing is out of reach; the verdict tells how the finish went."""
    run = planned
    assert run("done", "--date", finished_on, *[f"phase:{n}" for n in range(1, 7)]
               ).exit_code == 0
    status = run_json("status", "--as-of", "2026-11-24")
    assert (status["state"], status["finished_on"], status["verdict"]) == (
        "finished", finished_on, verdict)
    assert (status["hours_per_week_needed"], status["reachable"], status["earliest_target"]) \
        == (0.0, True, None)
    report = run("status", "--as-of", "2026-11-24").stdout
    assert "Catch up" not in report and "cannot be made" not in report


def test_the_overdue_command_names_whole_phases_and_runs_of_topics(planned):
    """Past the target with only 1.2 and 5.5 done, 36 topics are overdue: the command ticking
    them gives phase:N for a whole phase, a range for three or more in a row, ids for the rest
    (`done` takes each form)."""
    run = planned
    run("done", "1.2", "5.5", "--date", "2026-11-20")
    report = run("status", "--as-of", "2026-11-24").stdout
    command = "`prepplan done 1.1 1.3-1.6 phase:2 phase:3 phase:4 5.1-5.4 5.6 phase:6`"
    assert f"Overdue: 36 topics — if they are done: {command}" in report.splitlines()
    ticked = run("done", "--date", "2026-11-24", *command.strip("`").split()[2:])
    assert ticked.exit_code == 0
    assert sum(line.startswith("Done: ") for line in ticked.stdout.splitlines()) == 36
    assert "Every topic is done (38 of 38)." in run("status", "--as-of", "2026-11-24").stdout


def test_topics_ticked_without_hours_logged_are_told_the_forecast_follows_logged_hours(planned):
    """From Mon 2026-03-02, 1.1-1.4 ticked on 04-20 and not an hour logged: on Sun 04-26 the
    eight complete weeks hold 0 h, so no run ever finishes; the report says why."""
    assert planned("done", "1.1-1.4", "--date", "2026-04-20").exit_code == 0
    lines = planned("status", "--as-of", "2026-04-26").stdout.splitlines()
    assert "Finish: at your last 8 weeks' 0.0 h/week: no finish in sight — the forecast " \
           "follows the hours you log (`prepplan log`)" in lines


def test_a_week_wholly_off_names_no_topic_and_says_when_study_resumes(run, run_json):
    """10 h/week every day from Mon 2026-09-07, --skip 2026-10-12..2026-10-25: weeks 6
    (10-12..10-18) and 7 (10-19..10-25) are wholly off. Topic 1.4 starts Mon 10-05 and spans
    the vacation, so it is named in week 5 and week 8, never in weeks 6 and 7."""
    assert run("generate", "--start", "2026-09-07", "--hours", "10", "--target", "2027-05-01",
               "--skip", "2026-10-12..2026-10-25").exit_code == 0
    topic = next(t for t in run_json("show")["phases"][0]["topics"] if t["id"] == "1.4")
    assert (topic["start"], topic["end"]) == ("2026-10-05", "2026-10-27")
    for as_of, week in (("2026-10-12", 6), ("2026-10-14", 6), ("2026-10-25", 7)):
        status = run_json("status", "--as-of", as_of)
        assert (status["week"], status["this_week_topics"]) == (week, []), as_of
        report = run("status", "--as-of", as_of).stdout.splitlines()
        assert report[2] == "This week: days off — study resumes Mon 2026-10-26", as_of
    assert run_json("status", "--as-of", "2026-10-11")["this_week_topics"] == ["1.4"]
    assert run("status", "--as-of", "2026-10-11").stdout.splitlines()[2] == (
        "This week: 1.4 Implementing system utilities (find, grep, top)")
    assert run_json("status", "--as-of", "2026-10-26")["this_week_topics"] == ["1.4", "1.5"]


def test_before_a_start_whose_first_week_is_off_the_first_topic_is_first_up(run, run_json):
    """From Mon 2026-09-07 with its first week (09-07..09-13) off: 1.1 begins Mon 09-14, and
    on 09-01 it is what comes first."""
    assert run("generate", "--start", "2026-09-07", "--hours", "10", "--target", "2027-05-01",
               "--skip", "2026-09-07..2026-09-13").exit_code == 0
    assert run_json("show")["phases"][0]["topics"][0]["start"] == "2026-09-14"
    status = run_json("status", "--as-of", "2026-09-01")
    assert (status["state"], status["this_week_topics"]) == ("not_started", ["1.1"])
    assert run("status", "--as-of", "2026-09-01").stdout.splitlines()[2] == (
        "First up: Phase 1 · Systems Coding (Python/C++) — 1.1 File I/O, process management, "
        "signal handling in code")


def test_a_topic_whose_end_has_passed_is_overdue_not_this_weeks(run, run_json):
    """10 h/week every day from Mon 2026-09-07: 1.1 runs 09-07..Tue 09-15, 1.2 09-16..09-25.
    On Thu 09-17 (week 2, 09-14..09-20) 1.1 is overdue and only 1.2 is this week's; on Tue
    09-15, 1.1's last day, both are this week's and nothing is overdue."""
    assert run("generate", "--start", "2026-09-07", "--hours", "10", "--target", "2027-05-01",
               ).exit_code == 0
    topics = run_json("show")["phases"][0]["topics"]
    assert [(t["start"], t["end"]) for t in topics[:2]] == [
        ("2026-09-07", "2026-09-15"), ("2026-09-16", "2026-09-25")]
    status = run_json("status", "--as-of", "2026-09-17")
    assert (status["this_week_topics"], status["overdue_topics"]) == (["1.2"], ["1.1"])
    report = run("status", "--as-of", "2026-09-17").stdout.splitlines()
    assert report[2:4] == [
        "This week: 1.2 Socket programming — TCP client/server",
        "Overdue: 1.1 File I/O, process management, signal handling in code — if it is done: "
        "`prepplan done 1.1`"]
    status = run_json("status", "--as-of", "2026-09-15")
    assert (status["this_week_topics"], status["overdue_topics"]) == (["1.1", "1.2"], [])
