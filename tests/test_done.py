"""done and undone: ticking topics off by id or title."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings, strategies as st


def test_done_by_id_and_by_title_part(planned, run_json):
    run = planned
    result = run("done", "1.1", "SOCKET programming", "--date", "2026-03-20")
    assert result.stdout == ("Done: 1.1 File I/O, process management, signal handling in code "
                             "(2026-03-20)\nDone: 1.2 Socket programming — TCP client/server "
                             "(2026-03-20)\n")
    again = run("done", "1.1", "--date", "2026-03-25")
    assert again.exit_code == 0
    assert again.stdout == ("Already done: 1.1 File I/O, process management, signal handling "
                            "in code (2026-03-20) — to date it 2026-03-25, run `prepplan "
                            "undone 1.1` first\n")
    topics = run_json("show")["phases"][0]["topics"]
    assert [(t["id"], t["done"], t["done_on"]) for t in topics[:3]] == [
        ("1.1", True, "2026-03-20"), ("1.2", True, "2026-03-20"), ("1.3", False, None)]
    assert run("undone", "1.2").stdout == "Not done: 1.2 Socket programming — TCP client/server\n"
    assert run("undone", "1.2").stdout == \
        "Was not done: 1.2 Socket programming — TCP client/server\n"


@pytest.mark.parametrize("args, code, message", [
    (["design a"], 1, "'design a' matches 4 topics; name one by its id: "
                      "4.1 Design a news feed system (Facebook's core product) | "
                      "4.2 Design a messaging system (WhatsApp/Messenger scale) | "
                      "4.3 Design a content delivery network | "
                      "4.4 Design a monitoring and alerting system\n"),
    # titles hold commas: " | " parts the candidates
    (["system"], 1, "'system' matches 6 topics; name one by its id: "
                    "1.4 Implementing system utilities (find, grep, top) | "
                    "1.6 LeetCode easy-medium with systems twist (not pure algorithms) | "
                    "2.4 Storage — block devices, file systems, RAID, LVM … and 3 more\n"),
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
    assert result.stderr.startswith("prepplan: no topic matches 'boot sequense': did you mean "
                                    "2.1 Boot sequence")
    assert result.stderr.count("\n") == 1


def done_ids(run_json) -> list[str]:
    return [t["id"] for p in run_json("show")["phases"] for t in p["topics"] if t["done"]]


def test_done_takes_ranges_and_whole_phases(planned, run_json):
    run = planned
    ranged = run("done", "2.2-2.4", "--date", "2026-05-20")
    assert ranged.stdout == (
        "Done: 2.2 Process lifecycle — states, scheduling, context switching (2026-05-20)\n"
        "Done: 2.3 Memory — virtual memory, page faults, OOM killer, cgroups (2026-05-20)\n"
        "Done: 2.4 Storage — block devices, file systems, RAID, LVM (2026-05-20)\n")
    whole = run("done", "phase:2", "--date", "2026-06-01")
    assert whole.exit_code == 0
    assert [line.split(":")[0] for line in whole.stdout.splitlines()] == [
        "Done", "Already done", "Already done", "Already done", "Done", "Done"]
    assert done_ids(run_json) == ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6"]
    # a title with a hyphen is still a title: "easy-medium" is not a range
    assert run("done", "easy-medium", "--date", "2026-06-01").stdout.startswith("Done: 1.6 ")


@pytest.mark.parametrize("args, code, message", [
    (["2.4-2.2"], 2, "range '2.4-2.2' runs backwards: write 2.2-2.4"),
    (["phase:9"], 1, "no phase '9': the plan has phases 1 to 6"),
    (["1.1", "--date", "2026-03-01"], 2, "2026-03-01 is before the plan's start (2026-03-02)"),
    (["phase:1", "--date", "2020-01-01"], 2,
     "2020-01-01 is before the plan's start (2026-03-02)"),
    (["ALL"], 2, "'all' is an answer to the check-in's question (every topic it offers); here "
                 "name topics by id (2.3), range (2.2-2.4) or phase (phase:2)"),
])
def test_done_refusals(planned, run_json, args, code, message):
    result = planned("done", *args)
    assert (result.exit_code, result.stderr) == (code, f"prepplan: {message}\n")
    assert done_ids(run_json) == []


def test_done_again_keeps_the_first_date_and_says_how_to_change_it(planned, run_json):
    run = planned
    run("done", "6.4", "--date", "2026-11-24")
    earlier = run("done", "6.4", "--date", "2026-11-20")
    assert (earlier.exit_code, earlier.stdout) == (
        0, "Already done: 6.4 How Meta handles deployments at scale (2026-11-24) — to date it "
           "2026-11-20, run `prepplan undone 6.4` first\n")
    same = run("done", "6.4", "--date", "2026-11-24")  # nothing to change: nothing to say
    assert same.stdout == "Already done: 6.4 How Meta handles deployments at scale (2026-11-24)\n"
    assert [t["done_on"] for t in run_json("show")["phases"][5]["topics"]][3] == "2026-11-24"
    run("undone", "6.4")
    assert run("done", "6.4", "--date", "2026-11-20").stdout == \
        "Done: 6.4 How Meta handles deployments at scale (2026-11-20)\n"


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_the_short_form_of_any_topics_names_exactly_them(data):
    """text.topics_argument (status's overdue command) and app.resolve_topics (what `done`
    takes) agree: any set of topics, written short, names those topics in plan order."""
    from prepplan.app import resolve_topics
    from prepplan.text import topics_argument
    from support.plans import make_plan

    plan = make_plan()
    chosen = [topic for topic in plan.topics if data.draw(st.booleans())]
    words = topics_argument(plan, chosen).split()
    assert resolve_topics(plan, words) == chosen
    assert len(words) <= len(chosen)
