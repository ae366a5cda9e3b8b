"""The check-in as a person sees it: the dashboard, the burn-up chart, colour discipline, and
help that matches the README."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from prepplan.chart import burnup_chart
from prepplan.pace import burnup, compute_status
from prepplan.dashboard import status_dashboard
from prepplan.text import Out
from support.plans import make_plan
from support.terminal import run_in_pty

REPO = Path(__file__).resolve().parent.parent
START = date(2026, 3, 2)
ANSI = re.compile(r"\x1b\[")


def known_progress():
    """The scripted term of the check-in tests: 69 h over eight weeks, 1.1-1.4 done."""
    plan = make_plan(START, 10, 8)
    hours = [10, 10, 6, 10, 8, 10, 5, 10]
    log = [(START + timedelta(days=7 * week + 6), h) for week, h in enumerate(hours)]
    marks = {"1.1": date(2026, 3, 15), "1.2": date(2026, 3, 22), "1.3": date(2026, 4, 5),
             "1.4": date(2026, 4, 19)}
    return plan, log, marks, date(2026, 4, 26)


def render(width: int, with_chart: bool) -> str:
    plan, log, marks, as_of = known_progress()
    status = compute_status(plan, log, marks, as_of, plan_id="meta-pe")
    buffer = io.StringIO()
    chart = (burnup_chart(burnup(plan, log, marks, as_of), plan, as_of, width=width,
                          height=16, color=False) if with_chart else None)
    status_dashboard(Out(buffer, terminal=True, no_color=True, width=width), status, plan,
                     chart)
    return buffer.getvalue()


def test_dashboard_snapshot_at_100_columns():
    text = render(100, with_chart=True)
    lines = [line.rstrip() for line in text.splitlines()]
    assert not ANSI.search(text)
    assert lines[0].startswith("╭─  Meta Production Engineer Roadmap · week 8 of 35 · "
                               "Sun 2026-04-26  ─")
    assert all(len(line) <= 100 for line in lines)
    body = [line.strip("│ ").rstrip(" │") for line in lines]
    assert "Phase 1 · Systems Coding (Python/C++) · Foundation" in body
    assert any(line.endswith("4/6 topics") for line in body)
    assert "This week" in body
    assert any(line.startswith("• 1.6 LeetCode easy-medium with systems twist") and
               line.endswith("Python, C/C++, LeetCode") for line in body)
    assert "Pace           10 days behind" in body
    assert "Hours          69.0 logged · 80.0 planned to date · 65.3 earned" in body
    assert "Topics         4 done · 6 planned to date · 38 in all" in body
    assert ("Overdue        1.5 Threading and concurrency patterns — if it is done: "
            "`prepplan done 1.5`") in body
    assert ("Finish         at your last 8 weeks' 8.6 h/week: most likely Fri 2026-11-27, "
            "85%: Mon 2026-12-07") in body
    assert "— 0% chance of making Mon 2026-11-02" in body
    assert ("Catch up       9.8 h/week from now makes the target (planned: 10) — the buffer "
            "absorbs the slip") in body
    catch_up = next(index for index, line in enumerate(body) if line.startswith("Catch up"))
    assert body[catch_up + 1] == ("or rebuild the rest of the plan around what is done: "
                                  "`prepplan replan`")  # the plain report's line too
    assert "Next check-in  Sun 2026-05-03" in body
    # the chart: title, y axis from 0 to the total, phase labels and today on the x axis
    assert any("Burn-up: cumulative hours, planned vs earned" in line for line in lines)
    assert any(line.startswith("330.0┤") for line in lines)
    assert any(line.startswith("  0.0┤") for line in lines)
    x_labels = next(line for line in lines if line.lstrip().startswith("start"))
    assert x_labels.split() == ["start", "P2", "P3", "P4", "P5", "P6", "B", "35"]
    assert any("week · today 2026-04-26 is week 8" in line for line in lines)


def test_dashboard_fits_60_columns():
    text = render(60, with_chart=False)
    lines = text.splitlines()
    assert all(len(line) <= 60 for line in lines)
    assert lines[0].startswith("╭─  Meta Production Engineer Roadmap · week 8 of 35  ─")
    assert any("10 days behind" in line for line in lines)
    assert lines[-1].startswith("╰") and lines[-1].endswith("╯")


@pytest.mark.parametrize("days_ahead, verdict, style", [
    (5, "ahead", "green"), (0, "on_pace", "green"), (-3, "on_pace", "green"),
    (-7, "behind", "yellow"), (-8, "behind", "red")])
def test_pace_colours(days_ahead, verdict, style):
    from types import SimpleNamespace

    from prepplan.text import pace_style

    assert pace_style(SimpleNamespace(days_ahead=days_ahead, verdict=verdict)) == style


def test_chart_series_equal_the_pace_model():
    plan, log, marks, as_of = known_progress()
    points = burnup(plan, log, marks, as_of)
    assert len(points) == plan.weeks + 1
    assert points[0] == (0, START, 0.0, 0.0)
    for point in points[1:]:
        figures = compute_status(plan, log, marks, min(point.day, as_of))
        assert point.planned == pytest.approx(compute_status(plan, log, marks,
                                                             point.day).planned_hours)
        if point.day - timedelta(days=6) <= as_of:
            assert point.earned == pytest.approx(figures.earned_hours)
        else:
            assert point.earned is None
    assert points[8].earned == pytest.approx(65.333, abs=0.001)  # the hand-computed EV
    assert points[8].planned == pytest.approx(80)
    assert points[-1].planned == pytest.approx(330)


# ---------------------------------------------------------------- colour, pipes and terminals

@pytest.fixture
def home_with_progress(tmp_path):
    env = {"PREPPLAN_HOME": str(tmp_path / "home"), "PATH": os.environ.get("PATH", ""),
           "TERM": "xterm-256color"}
    command = [sys.executable, "-m", "prepplan"]
    subprocess.run(command + ["generate", "--start", "2026-03-02", "--tz", "UTC", "--out",
                              str(tmp_path / "p.ics")], env=env, check=True,
                   capture_output=True)
    for day in ("2026-03-19", "2026-03-20"):
        subprocess.run(command + ["log", "15", "--date", day], env=env, check=True,
                       capture_output=True)
    return env


def test_terminal_output_is_coloured_and_no_color_turns_it_off(home_with_progress):
    env = home_with_progress
    code, coloured = run_in_pty(["status", "--as-of", "2026-04-26"], env)
    assert code == 0 and ANSI.search(coloured)  # a terminal does get colour...
    assert "week 8 of 35" in coloured and "Burn-up" in coloured
    code, plain = run_in_pty(["status", "--as-of", "2026-04-26"], {**env, "NO_COLOR": "1"})
    assert code == 0 and not ANSI.search(plain)  # ...and NO_COLOR removes every escape
    assert "week 8 of 35" in plain and "Burn-up" in plain
    code, shown = run_in_pty(["show"], {**env, "NO_COLOR": ""})
    assert code == 0 and not ANSI.search(shown)


def test_piped_output_has_no_escapes(run):
    assert run("generate", "--start", "2026-03-02", "--tz", "UTC").exit_code == 0
    run("log", "15", "--date", "2026-03-20")
    for args in (["status", "--as-of", "2026-04-26"], ["status", "--as-of", "2026-04-26",
                                                       "--chart"], ["show"], ["history"],
                 ["log", "--list"]):
        result = run(*args)
        assert result.exit_code == 0
        assert not ANSI.search(result.output), args
    charted = run("status", "--as-of", "2026-04-26", "--chart").stdout
    assert "Burn-up: cumulative hours, planned vs earned" in charted
    assert "week · today 2026-04-26 is week 8" in charted


def test_json_is_identical_with_and_without_a_terminal(home_with_progress):
    env = home_with_progress
    for args in (["status", "--as-of", "2026-04-26", "--json"], ["show", "--json"],
                 ["log", "--list", "--json"], ["history", "--json"]):
        piped = subprocess.run([sys.executable, "-m", "prepplan", *args], env=env,
                               capture_output=True, check=True).stdout.decode()
        code, in_terminal = run_in_pty(args, env)
        assert code == 0
        assert in_terminal == piped, args


# ---------------------------------------------------------------- help and the README




# ---------------------------------------------------------------- the chart without colour

def chart_lines(run, *args) -> list[str]:
    result = run("status", *args, "--chart")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    top = next(i for i, line in enumerate(lines) if "Burn-up" in line)
    return lines[top:]


def legend_marker(lines: list[str], label: str) -> str:
    """The two marker characters the legend shows before `label`."""
    line = next(line for line in lines if f" {label} " in line
                and ("┤" in line or line.lstrip().startswith("│")))
    before = line[:line.index(f" {label}")]
    return before[-2:]


def plot_area(lines: list[str]) -> str:
    """The characters inside the frame, legend excluded."""
    rows = [line.split("┤", 1)[-1] if "┤" in line else line.split("│", 1)[-1]
            for line in lines if "┤" in line or line.lstrip().startswith("│")]
    return "".join(row[14:] for row in rows)  # the legend takes the left 14 columns


def test_chart_series_have_their_own_characters_without_colour(run, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert run("generate", "--start", "2026-03-02", "--tz", "UTC").exit_code == 0
    run("log", "15", "--date", "2026-03-20")
    run("log", "15", "--date", "2026-04-10")
    lines = chart_lines(run, "--as-of", "2026-04-26")
    assert all(len(line) <= 80 for line in lines)
    assert not any("\x1b[" in line for line in lines)
    assert legend_marker(lines, "planned") == "··"
    assert legend_marker(lines, "earned") == "⢕⢕"
    area = plot_area(lines)
    assert area.count("·") >= 20  # the planned line, drawn in dots
    assert any("\u2800" < char <= "\u28ff" for char in area)  # the earned line, in braille
    assert "first plan" not in "\n".join(lines)  # one version: one planned line


def test_chart_keeps_the_first_plan_after_a_replan_and_runs_to_today(behind, run,
                                                                     monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert run("replan", "--as-of", "2026-05-10", "--hours", "12").exit_code == 0
    lines = chart_lines(run, "--as-of", "2026-06-01")
    assert legend_marker(lines, "planned") == "··"
    assert legend_marker(lines, "first plan") == "xx"
    area = plot_area(lines)
    assert area.count("x") >= 20 and area.count("·") >= 20
    # past the target (2026-11-02, week 35) the x axis runs on to as-of's week:
    # 2027-01-10 is 314 days after 2026-03-02, so week 314 // 7 + 1 = 45
    late = chart_lines(run, "--as-of", "2027-01-10")
    x_labels = next(line for line in late if line.lstrip().startswith("start"))
    assert x_labels.split()[-1] == "45"
    assert any("today 2027-01-10 is week 45" in line for line in late)


def test_a_week_wholly_off_says_when_study_resumes():
    """10 h/week from Mon 2026-03-02, 2026-04-06..04-19 off: on Wed 04-08 (week 6) the focus
    is the week off, and study resumes Mon 04-20."""
    plan = make_plan(START, 10, 8, skip=((date(2026, 4, 6), date(2026, 4, 19)),))
    status = compute_status(plan, [], {}, date(2026, 4, 8), plan_id="meta-pe")
    buffer = io.StringIO()
    status_dashboard(Out(buffer, terminal=True, no_color=True, width=80), status, plan, None)
    body = [line.strip("│ ").rstrip(" │") for line in buffer.getvalue().splitlines()]
    assert status.this_week_topics == ()
    index = body.index("This week")
    assert body[index + 1] == "days off — study resumes Mon 2026-04-20"
