"""The bundled roadmap is complete, and bad user curricula are rejected with file, key, reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from prepplan.curriculum import load_curriculum, parse_curriculum
from prepplan.errors import CurriculumError

# The roadmap as published (shared seed): phase -> (title, tagline, level, weeks, topics, tools)
ROADMAP = [
    ("Systems Coding (Python/C++)", "Not LeetCode — systems-flavored coding", "Foundation",
     (6, 8), [
         "File I/O, process management, signal handling in code",
         "Socket programming — TCP client/server",
         "Parsing log files and structured data at scale",
         "Implementing system utilities (find, grep, top)",
         "Threading and concurrency patterns",
         "LeetCode easy-medium with systems twist (not pure algorithms)",
     ], ["Python", "C/C++", "LeetCode"]),
    ("Linux Internals", "PE interviews go deep on OS knowledge", "Intermediate", (4, 6), [
        "Boot sequence — firmware → bootloader → kernel → init",
        "Process lifecycle — states, scheduling, context switching",
        "Memory — virtual memory, page faults, OOM killer, cgroups",
        "Storage — block devices, file systems, RAID, LVM",
        "Signals — SIGTERM vs SIGKILL, signal handling",
        "Performance tools — top, vmstat, iostat, sar, perf",
    ], ["strace", "ltrace", "perf", "sar", "vmstat"]),
    ("Networking", "L2 through L7 — Meta operates massive networks", "Intermediate", (3, 4), [
        "TCP/IP stack — every layer in detail",
        "DNS — recursive resolution, TTL, failover",
        "HTTP/1.1 vs HTTP/2 vs HTTP/3",
        "TLS handshake and certificate chains",
        "Load balancing — L4 (IPVS) vs L7 (proxies)",
        "BGP basics — how Meta routes traffic globally",
        "Network debugging — packet captures, latency analysis",
    ], ["tcpdump", "Wireshark", "curl", "openssl"]),
    ("System Design", "Design for Meta-scale (billions of users)", "Advanced", (6, 8), [
        "Design a news feed system (Facebook's core product)",
        "Design a messaging system (WhatsApp/Messenger scale)",
        "Design a content delivery network",
        "Design a monitoring and alerting system",
        "Capacity estimation — QPS, storage, bandwidth",
        "Tradeoffs — consistency vs availability vs partition tolerance",
        "Caching at scale — Memcached, TAO (Meta's graph cache)",
    ], ["Excalidraw", "System Design Interview book"]),
    ("Troubleshooting & Debugging", "Meta PEs debug production issues daily", "Advanced",
     (3, 4), [
         "Web request lifecycle — DNS → TCP → TLS → HTTP → App",
         "Diagnosing slow endpoints — is it CPU, memory, disk, network?",
         "Database performance — slow queries, connection pools, locks",
         "Container/service debugging — logs, metrics, traces",
         "Incident response — triage, mitigate, root cause, prevention",
         "Real-time troubleshooting scenarios (interview format)",
     ], ["strace", "gdb", "perf", "Prometheus", "tcpdump"]),
    ("Meta Culture & Behavioral", "Move Fast — Meta's engineering culture", "Expert", (2, 3), [
        "Meta's core values — Move Fast, Be Bold, Be Open, Build Social Value",
        "PE vs SRE vs DevOps — understand the PE role specifically",
        "Infrastructure at Meta — Chef, Tupperware (container orchestration)",
        "How Meta handles deployments at scale",
        "Behavioral prep — STAR format, impact-driven answers",
        "Talk about past incidents and what you learned",
    ], ["Meta Engineering Blog", "Glassdoor"]),
]


def test_bundled_roadmap_holds_every_phase_topic_and_tool():
    curriculum = load_curriculum()
    assert (curriculum.id, curriculum.title) == ("meta-pe", "Meta Production Engineer Roadmap")
    assert (curriculum.min_months, curriculum.max_months) == (6, 10)
    assert curriculum.reference_hours_per_week == 10
    assert curriculum.buffer_title == "Mock interviews & review"
    assert len(curriculum.phases) == 6
    for phase, (title, tagline, level, weeks, topics, tools) in zip(curriculum.phases, ROADMAP):
        assert phase.title == title
        assert phase.tagline == tagline
        assert phase.level == level
        assert (phase.min_weeks, phase.max_weeks) == weeks
        assert [topic.title for topic in phase.topics] == topics
        assert list(phase.tools) == tools
        assert [topic.id for topic in phase.topics] == [
            f"{phase.number}.{i}" for i in range(1, len(topics) + 1)]
        assert all(topic.weight == 1 and topic.tools == phase.tools for topic in phase.topics)


def test_bundled_roadmap_matches_the_published_text():
    seed = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_81a2e7ff14ae3d6e.txt"
    if not seed.exists():
        pytest.skip("the published roadmap text is not beside this checkout")
    text = seed.read_text(encoding="utf-8")
    for title, tagline, level, (low, high), topics, tools in ROADMAP:
        assert title in text and tagline in text
        assert f"{level}{low}–{high} weeks" in text
        for topic in topics:
            assert f"  • {topic}" in text
        assert "".join(tools) in text


GOOD = """
title = "Mini"
reference_hours_per_week = 8
[[phases]]
id = "a"
title = "A"
min_weeks = 2
max_weeks = 3
topics = ["one", { title = "two", weight = 2, tools = ["gdb"] }]
"""


def test_a_minimal_user_curriculum_gets_defaults():
    curriculum = parse_curriculum(GOOD, "mini.toml")
    assert curriculum.id == "mini"  # no id: a slug of the title names its first plan
    assert curriculum.buffer_title == "Mock interviews & review"
    assert (curriculum.min_months, curriculum.max_months) == (6, 10)
    assert [(t.id, t.title, t.weight, t.tools) for t in curriculum.phases[0].topics] == [
        ("1.1", "one", 1, ()), ("1.2", "two", 2, ("gdb",))]


@pytest.mark.parametrize("change, message", [
    (lambda s: s.replace('title = "A"\n', ""), "mini.toml: phases[0].title: missing"),
    (lambda s: s.replace("max_weeks = 3", "max_weeks = 1"),
     "mini.toml: phases[0].min_weeks: 2 is more than max_weeks (1)"),
    (lambda s: s.replace('topics = ["one", { title = "two", weight = 2, tools = ["gdb"] }]',
                         "topics = []"),
     "mini.toml: phases[0].topics: must list at least one topic"),
    (lambda s: s + '[[phases]]\nid = "a"\ntitle = "B"\nmin_weeks = 1\nmax_weeks = 1\n'
                   'topics = ["x"]\n', "mini.toml: phases[1].id: duplicate id 'a'"),
    (lambda s: s.replace("min_weeks = 2", 'min_weeks = "two"'),
     "mini.toml: phases[0].min_weeks: must be a number, not a string"),
    (lambda s: s.replace('id = "a"', 'id = "a"\ncolour = "red"'),
     "mini.toml: phases[0].colour: unknown key"),
    (lambda s: s.replace("weight = 2", "weight = 0"),
     "mini.toml: phases[0].topics[1].weight: must be greater than 0, not 0"),
    (lambda s: s.replace('title = "Mini"', 'title = "Mini'), "mini.toml: not valid TOML"),
    (lambda s: s.replace('"one"', '"two"'),
     "mini.toml: phases[0].topics[1].title: duplicate topic 'two' in this phase"),
    (lambda s: 'id = "Google SRE"\n' + s,
     "mini.toml: id: 'Google SRE' is not a short slug (lower-case letters, digits, '-', '_' or "
     "'.', at most 64, e.g. \"meta-pe\")"),
    (lambda s: "id = 7\n" + s, "mini.toml: id: must be a string, not an integer"),
])
def test_schema_errors_name_file_key_and_reason(change, message):
    with pytest.raises(CurriculumError) as caught:
        parse_curriculum(change(GOOD), "mini.toml")
    assert caught.value.message.startswith(message)
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("head, roadmap", [
    ('id = "google-sre"\ntitle = "Google SRE"', "google-sre"),
    ('title = "Google SRE Loop (2027)"', "google-sre-loop-2027"),
    ('title = "Ünïcode — only!"', "unicode-only"),
    ('title = "面接"', "roadmap"),
])
def test_a_curriculum_names_itself_by_id_else_by_its_title(head, roadmap):
    body = GOOD.replace('title = "Mini"', head)
    assert parse_curriculum(body, "own.toml").id == roadmap


def test_toml_syntax_errors_give_the_line():
    with pytest.raises(CurriculumError) as caught:
        parse_curriculum('title = "x"\n[[phases]\n', "bad.toml")
    assert "line 2" in caught.value.message


def test_missing_file_is_one_clear_error(tmp_path):
    with pytest.raises(CurriculumError) as caught:
        load_curriculum(tmp_path / "nope.toml")
    assert caught.value.message == f"{tmp_path / 'nope.toml'}: no such curriculum file"


# ---------------------------------------------------------------- the interview loop

LOOP = '[[loop]]\nid = "code"\ntitle = "Coding"\nminutes = 45\ncount = 2\nphases = ["a"]\n'


def test_the_bundled_loop_follows_the_roadmap_faq():
    loop = load_curriculum().loop
    assert [(r.id, r.title, r.minutes, r.count, r.phases) for r in loop] == [
        ("coding", "Coding", 45, 2, (1,)),
        ("system-design", "System design", 45, 1, (4,)),
        ("production-engineering", "Production engineering", 45, 1, (2, 3, 5)),
        ("behavioral", "Behavioral", 45, 1, (6,)),
    ]


def test_loop_rounds_name_phases_by_id_or_number_and_count_defaults_to_1():
    curriculum = parse_curriculum(GOOD + LOOP + LOOP.replace('"code"', '"talk"').replace(
        "count = 2\n", "").replace('["a"]', "[1]"), "mini.toml")
    assert [(r.id, r.count, r.phases) for r in curriculum.loop] == [("code", 2, (1,)),
                                                                    ("talk", 1, (1,))]
    assert parse_curriculum(GOOD, "mini.toml").loop == ()


@pytest.mark.parametrize("loop, message", [
    (LOOP.replace('["a"]', '["z"]'), "mini.toml: loop[0].phases: no phase 'z' (phases: a, or "
                                     "1 to 1)"),
    (LOOP.replace('["a"]', "[2]"), "mini.toml: loop[0].phases: no phase 2"),
    (LOOP.replace('phases = ["a"]\n', ""), "mini.toml: loop[0].phases: missing"),
    (LOOP.replace('["a"]', "[]"), "mini.toml: loop[0].phases: must be a non-empty list"),
    (LOOP.replace("minutes = 45", "minutes = 0"),
     "mini.toml: loop[0].minutes: must be greater than 0, not 0"),
    (LOOP.replace("minutes = 45", "minutes = 45.5"),
     "mini.toml: loop[0].minutes: must be a whole number, not a number"),
    (LOOP.replace("minutes = 45", "minutes = 800"),
     "mini.toml: loop[0].minutes: must be at most 720, not 800"),
    (LOOP.replace("count = 2", "count = -1"),
     "mini.toml: loop[0].count: must be greater than 0, not -1"),
    (LOOP.replace('title = "Coding"\n', ""), "mini.toml: loop[0].title: missing"),
    (LOOP + LOOP, "mini.toml: loop[1].id: duplicate id 'code'"),
    (LOOP.replace("count = 2", "count = 2\nlevel = 3"), "mini.toml: loop[0].level: unknown key"),
    ('loop = "all"\n', "mini.toml: loop: must be an array of tables ([[loop]])"),
])
def test_loop_schema_errors_name_file_key_and_reason(loop, message):
    text = loop + GOOD if loop.startswith("loop =") else GOOD + loop
    with pytest.raises(CurriculumError) as caught:
        parse_curriculum(text, "mini.toml")
    assert caught.value.message.startswith(message)
    assert caught.value.exit_code == 2
