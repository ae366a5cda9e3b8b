"""export: the plan with progress as ics, json, markdown and csv."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest


def test_exports_parse_back_equal_to_the_plan(behind, run, run_json):
    plan = run_json("show")
    topics = [t for p in plan["phases"] for t in p["topics"]]

    exported = json.loads(run("export", "--format", "json").stdout)
    assert exported == plan
    assert exported["version"] == 1  # SPEC: json is `show --json`, its version included

    rows = list(csv.DictReader(io.StringIO(run("export", "--format", "csv").stdout)))
    assert [r["topic_id"] for r in rows] == [t["id"] for t in topics]
    for row, topic in zip(rows, topics):
        assert (row["title"], row["start"], row["end"]) == (topic["title"], topic["start"],
                                                            topic["end"])
        assert float(row["hours"]) == pytest.approx(topic["hours"], abs=0.005)
        assert row["done_on"] == (topic["done_on"] or "")
    assert {r["phase"] for r in rows} == {"1", "2", "3", "4", "5", "6"}

    markdown = run("export", "--format", "markdown").stdout
    checked = [line for line in markdown.splitlines() if line.startswith("- [x] ")]
    unchecked = [line for line in markdown.splitlines() if line.startswith("- [ ] ")]
    assert len(checked) == 3 and len(unchecked) == 35
    assert checked[0].startswith("- [x] 1.1 File I/O, process management, signal handling in "
                                 "code (")
    assert checked[0].endswith(", done 2026-04-10)")
    assert markdown.count("\n## Phase ") == 6
    assert "Key tools: tcpdump, Wireshark, curl, openssl" in markdown

    assert run("export", "--format", "csv", "--out", "plan.csv").exit_code == 0
    assert Path("plan.csv").read_text() == run("export", "--format", "csv").stdout
    assert run("export", "--format", "markdown", "--out", "-").stdout == markdown


def test_export_bad_input(behind, tmp_path):
    run = behind
    unknown = run("export", "--format", "pdf")
    assert (unknown.exit_code, unknown.stderr) == (
        2, "prepplan: unknown format 'pdf': use one of ics, json, markdown, csv\n")
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    unwritable = run("export", "--format", "csv", "--out", str(blocker / "plan.csv"))
    assert (unwritable.exit_code, unwritable.stderr) == (
        2, f"prepplan: cannot write {blocker / 'plan.csv'}: Not a directory\n")


def test_export_ics_changes_nothing_but_dtstamp(run, run_json):
    run_json("generate", "--start", "2026-12-07", "--days", "mon,wed,sat", "--at", "19:00",
             "--tz", "Europe/Berlin", "--skip", "2026-12-24..2027-01-01")
    written = Path("prepplan.ics").read_bytes()
    exported = run("export", "--format", "ics", "--out", "again.ics")
    assert exported.exit_code == 0
    again = Path("again.ics").read_bytes()

    def without_stamp(data: bytes) -> list[bytes]:
        return [line for line in data.split(b"\r\n") if not line.startswith(b"DTSTAMP:")]

    assert without_stamp(again) == without_stamp(written)
    assert written.count(b"DTSTAMP:") == again.count(b"DTSTAMP:") > 100
    to_stdout = run("export", "--format", "ics")
    assert without_stamp(to_stdout.stdout_bytes) == without_stamp(written)


def test_after_a_replan_show_and_markdown_say_each_rate_and_one_date_for_one_day(run, run_json):
    """8 h/week from Mon 2026-03-02 for 9 months (39 weeks), replanned as of Sun 06-14 at
    10 h/week on mon, wed and sat: weeks 1-15 were planned at 8 h every day, the rest at 10."""
    assert run("generate", "--start", "2026-03-02", "--hours", "8", "--months", "9",
               "--tz", "UTC").exit_code == 0
    header = run("show").stdout.splitlines()[1]
    assert header == ("Mon 2026-03-02 → target Wed 2026-12-02 · 39 weeks · 8 h/week (every "
                      "day) · 312.0 h of topics")
    assert run("replan", "--as-of", "2026-06-14", "--hours", "10", "--days",
               "mon,wed,sat").exit_code == 0
    plan = run_json("show")
    shown = run("show").stdout
    assert shown.splitlines()[1] == (
        f"Mon 2026-03-02 → target Wed 2026-12-02 · 39 weeks · 8 h/week (every day) until "
        f"2026-06-14, then 10 h/week (mon, wed, sat) · {plan['total_hours']:.1f} h of topics")
    markdown = run("export", "--format", "markdown").stdout
    assert (f"- 39 weeks at 8 h/week until 2026-06-14, then 10 h/week, "
            f"{plan['total_hours']:.1f} h of topics") in markdown.splitlines()
    # a topic on one study day shows that date alone; one on several, first – last
    topics = [t for p in plan["phases"] for t in p["topics"]]
    one_day = [t for t in topics if t["start"] == t["end"]]
    assert one_day and len(one_day) < len(topics)
    for topic in topics:
        dates = (topic["start"] if topic in one_day
                 else f"{topic['start']} – {topic['end']}")
        assert (f"- [ ] {topic['id']} {topic['title']} ({dates}, {topic['hours']:.1f} h)"
                in markdown.splitlines()), topic["id"]
        row = next(line for line in shown.splitlines()
                   if line.startswith(f"[ ]  {topic['id']} "))
        assert f"  {dates}  " in row and (" – " in row) == (topic not in one_day)
