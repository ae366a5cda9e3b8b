"""The SQLite store: migrations from an older schema, and concurrent writers."""

from __future__ import annotations

import errno
import gc
import json
import multiprocessing
import os
import sqlite3
import stat
import subprocess
import tempfile
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prepplan.curriculum import bundled_text
from prepplan.errors import RefusedError
from prepplan.model import plan_to_storage
from prepplan.store import MIGRATIONS, Store, stored_roadmap
from prepplan.sync import EventRecord, SyncState
from support.plans import make_plan


def test_a_generate_era_database_is_migrated_and_keeps_its_plan(tmp_path):
    path = tmp_path / "prepplan.db"
    old = Store.__new__(Store)  # open with only the first migration, as the generate release did
    old.path = path
    old.db = sqlite3.connect(path, isolation_level=None)
    old.migrate(upto="001_plans")
    assert old.applied_migrations() == ["001_plans"]
    tables = {row[0] for row in old.db.execute("SELECT name FROM sqlite_master WHERE "
                                               "type = 'table'")}
    assert "log_entries" not in tables
    plan = make_plan(date(2026, 3, 2), 10, 8)
    with old.transaction():
        store_as_released(old.db, "plan1", plan, "bundled", bundled_text())
    old.close()

    store = Store(path)  # the current release: applies what is missing
    assert store.applied_migrations() == [name for name, _ in MIGRATIONS]
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    current = store.require_current()
    assert (current.plan_id, current.version) == ("plan1", 1)
    assert current.plan == plan
    with store.transaction():
        store.add_log(date(2026, 3, 3), 2, "", datetime.now(timezone.utc))
    assert [entry.hours for entry in store.log_entries()] == [2]
    store.close()
    again = Store(path)  # opening again changes nothing
    assert again.applied_migrations() == [name for name, _ in MIGRATIONS]


def store_as_released(db, plan_id: str, plan, source: str, text: str) -> None:
    """A plan's first version, written as the releases before named plans wrote it."""
    db.execute("INSERT INTO plans (id, created_at) VALUES (?, ?)", (plan_id, "2026-03-01T00:00:00"))
    db.execute("INSERT INTO plan_versions (plan_id, version, created_at, reason, plan_json, tz, "
               "curriculum_source, curriculum_text, ics_path) VALUES (?, 1, ?, 'generate', ?, "
               "'UTC', ?, ?, '/tmp/p.ics')",
               (plan_id, "2026-03-01T00:00:00+00:00", json.dumps(plan_to_storage(plan)), source,
                text))


def old_release_store(path: Path) -> Store:
    """A database of the last release with one plan: migrations 001-003, no plan names."""
    old = Store.__new__(Store)
    old.path = path
    old.db = sqlite3.connect(path, isolation_level=None)
    old.migrate(upto="003_caldav_etags")
    return old


def test_a_one_plan_store_opens_as_one_plan_named_after_its_roadmap(tmp_path, run_json,
                                                                     prepplan_home):
    prepplan_home.mkdir()
    old = old_release_store(prepplan_home / "prepplan.db")
    plan = make_plan(date(2026, 3, 2), 10, 8)
    released_text = bundled_text().replace('id = "meta-pe"\n', "")  # the release had no id
    with old.transaction():
        store_as_released(old.db, "f00d", plan, "bundled curriculum.toml", released_text)
        for day, hours, note in (("2026-03-03", 2.0, "strace"), ("2026-03-05", 3.5, "")):
            old.db.execute("INSERT INTO log_entries (day, hours, note, created_at) "
                           "VALUES (?, ?, ?, '2026-03-05T20:00:00')", (day, hours, note))
        old.db.execute("INSERT INTO topic_marks (topic_id, done_on, marked_at) "
                       "VALUES ('1.1', '2026-03-05', '2026-03-05T20:00:00')")
        old.db.execute("INSERT INTO settings (key, value) VALUES ('caldav_url', 'http://x/')")
        old.db.execute("INSERT INTO caldav_etags (uid, etag) VALUES ('t-1.1@prepplan', '\"e1\"')")
    old.close()

    store = Store(prepplan_home / "prepplan.db")
    assert store.applied_migrations() == [name for name, _ in MIGRATIONS]
    assert [tuple(p) for p in store.plans()] == [("f00d", "meta-pe", "meta-pe")]
    assert store.current_plan().name == "meta-pe"
    assert [(e.id, e.day, e.hours, e.note) for e in store.log_entries()] == [
        (1, date(2026, 3, 3), 2.0, "strace"), (2, date(2026, 3, 5), 3.5, "")]
    assert store.marks() == {"1.1": date(2026, 3, 5)}
    assert store.setting("caldav_url") == "http://x/"
    assert store.caldav_state("f00d") == SyncState(None, {"t-1.1@prepplan": EventRecord(None,
                                                                                     '"e1"')})
    assert store.require_current().plan == plan
    tables = {row[0] for row in store.db.execute("SELECT name FROM sqlite_master "
                                                 "WHERE type = 'table'")}
    assert not {name for name in tables if name.endswith("_of_one_plan")}
    store.close()

    # the commands see the one plan as before, under the roadmap's name
    assert run_json("plans") == [{"name": "meta-pe", "roadmap": "meta-pe",
                                  "start": "2026-03-02", "target": "2026-11-02",
                                  "done_topics": 1, "total_topics": 38, "current": True}]
    status = run_json("status", "--as-of", "2026-03-05")
    assert (status["plan"], status["logged_hours"], status["done_topics"]) == ("meta-pe", 5.5, 1)
    assert [e["note"] for e in run_json("log", "--list")] == ["strace", ""]


@pytest.mark.parametrize("source, text, roadmap", [
    ("bundled curriculum.toml", 'title = "Meta Production Engineer Roadmap"', "meta-pe"),
    ("sre.toml", 'id = "google-sre"\ntitle = "Google SRE"', "google-sre"),
    ("sre.toml", 'title = "Google SRE Loop (2027)"', "google-sre-loop-2027"),
    ("broken.toml", "title = ", "roadmap"),
])
def test_a_stored_plan_without_an_id_is_named_after_its_curriculum(source, text, roadmap):
    assert stored_roadmap(source, text) == roadmap


def test_two_unnamed_plans_of_one_roadmap_get_two_names(tmp_path):
    old = old_release_store(tmp_path / "prepplan.db")
    with old.transaction():
        for plan_id in ("a", "b"):
            store_as_released(old.db, plan_id, make_plan(date(2026, 3, 2), 10, 8), "sre.toml",
                              'title = "SRE"')
    old.close()
    store = Store(tmp_path / "prepplan.db")
    assert [(p.id, p.name, p.roadmap) for p in store.plans()] == [("a", "sre", "sre"),
                                                                  ("b", "sre-2", "sre")]


def test_settings_sync_state_log_and_marks_belong_to_one_plan(tmp_path):
    store = Store(tmp_path / "prepplan.db")
    now = datetime(2026, 3, 1, tzinfo=timezone.utc)
    with store.transaction():
        store.add_plan("a1", "meta-pe", "meta-pe", now)
        store.add_plan("b2", "sre", "google-sre", now)
        store.set_setting("caldav_url", "https://a.example/dav/")
        store.set_caldav_state("a1", SyncState("https://a.example/dav/c/", {
            "x@prepplan": EventRecord("/dav/c/x.ics", '"1"')}))
        store.add_log(date(2026, 3, 3), 2, "a", now)
        store.mark_done("1.1", date(2026, 3, 3), now)
    assert store.current_plan().name == "meta-pe"  # the first plan is current
    store.choose("sre")
    assert (store.setting("caldav_url"), store.caldav_state("b2"), store.log_entries(),
            store.marks(), store.has_progress()) == (None, SyncState(), [], {}, False)
    with store.transaction():
        store.set_setting("caldav_url", "https://b.example/dav/")
        store.set_caldav_state("b2", SyncState())
        store.mark_done("1.1", date(2026, 3, 4), now)  # the same id, another plan's topic
    store.choose(None)
    assert store.setting("caldav_url") == "https://a.example/dav/"
    assert store.caldav_state("a1") == SyncState("https://a.example/dav/c/", {
        "x@prepplan": EventRecord("/dav/c/x.ics", '"1"')})
    assert store.marks() == {"1.1": date(2026, 3, 3)}
    assert store.choose("sre").marks() == {"1.1": date(2026, 3, 4)}
    with pytest.raises(RefusedError) as taken, store.transaction():
        store.add_plan("c3", "sre", "google-sre", now)  # a name made by another writer
    assert taken.value.message == "a plan named 'sre' was made meanwhile: run the command again"
    assert [plan.id for plan in store.plans()] == ["a1", "b2"]


def _log_many(path: str, worker: int, count: int, go) -> None:
    store = Store(Path(path))
    go.wait(60)  # both writers start together, so their transactions really contend
    for index in range(count):
        with store.transaction():
            store.add_log(date(2026, 3, 2), 0.01, f"w{worker}-{index}",
                          datetime.now(timezone.utc))
    store.close()


def test_two_processes_logging_at_once_keep_every_entry(tmp_path):
    path = tmp_path / "prepplan.db"
    store = Store(path)
    with store.transaction():  # the first write creates the database; log entries need a plan
        store.add_plan("p1", "meta-pe", "meta-pe", datetime.now(timezone.utc))
    store.close()
    assert path.exists()
    context = multiprocessing.get_context("spawn")
    go = context.Event()
    workers = [context.Process(target=_log_many, args=(str(path), worker, 200, go))
               for worker in (1, 2)]
    for process in workers:
        process.start()
    go.set()
    for process in workers:
        process.join(120)
        assert process.exitcode == 0
    store = Store(path)
    notes = [entry.note for entry in store.log_entries()]
    assert len(notes) == 400
    assert set(notes) == {f"w{w}-{i}" for w in (1, 2) for i in range(200)}
    assert store.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_database_held_by_another_writer_is_one_clear_error(run, prepplan_home, monkeypatch):
    import prepplan.store

    assert run("generate", "--start", "2026-03-02", "--tz", "UTC").exit_code == 0
    monkeypatch.setattr(prepplan.store, "BUSY_TIMEOUT_SECONDS", 0.2)
    other = sqlite3.connect(prepplan_home / "prepplan.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another prepplan, mid-write
    try:
        result = run("log", "2", "--date", "2026-03-03")
    finally:
        other.execute("ROLLBACK")
    assert result.exit_code == 1
    assert result.stderr == ("prepplan: the prepplan database is busy (database is locked): "
                             "another prepplan is writing to it; try again in a moment\n")
    assert run("log", "2", "--date", "2026-03-03").exit_code == 0  # and then it works


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["meta-pe", "sre"]),
                          st.sampled_from(["log", "done", "undone", "undo"]),
                          st.sampled_from(["1.1", "1.2", "2.1"])), max_size=25))
def test_progress_stays_with_the_plan_it_was_recorded_for(operations):
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "prepplan.db")
        now = datetime(2026, 3, 1, tzinfo=timezone.utc)
        with store.transaction():
            store.add_plan("a1", "meta-pe", "meta-pe", now)
            store.add_plan("b2", "sre", "google-sre", now)
        logs: dict[str, list[float]] = {"meta-pe": [], "sre": []}
        marks: dict[str, set[str]] = {"meta-pe": set(), "sre": set()}
        for number, (name, operation, topic) in enumerate(operations, start=1):
            store.choose(name)
            if operation == "undo" and not logs[name]:  # another plan's entries are not its
                with pytest.raises(RefusedError), store.transaction():
                    store.remove_log(None)
                continue
            with store.transaction():
                if operation == "log":
                    store.add_log(date(2026, 3, 2), number, "", now)
                    logs[name].append(number)
                elif operation == "done":
                    store.mark_done(topic, date(2026, 3, 2), now)
                    marks[name].add(topic)
                elif operation == "undone":
                    assert store.unmark(topic) == (topic in marks[name])
                    marks[name].discard(topic)
                else:
                    assert store.remove_log(None).hours == logs[name].pop()
        for name in logs:
            store.choose(name)
            assert [entry.hours for entry in store.log_entries()] == logs[name]
            assert set(store.marks()) == marks[name]
        store.close()


# ---------------------------------------------------------------- storage faults, made for real

DB_FAULT = "prepplan: the prepplan database {db} "


@pytest.fixture
def stored(run, prepplan_home, tmp_path):
    """A plan with one log entry; returns the database path."""
    assert run("generate", "--start", "2026-03-02", "--tz", "UTC", "--out",
               str(tmp_path / "p.ics")).exit_code == 0
    assert run("log", "2", "--date", "2026-03-03").exit_code == 0
    return prepplan_home / "prepplan.db"


def one_line(result, code: int, expected: str) -> None:
    assert (result.exit_code, result.stdout, result.stderr) == (code, "", expected)


@pytest.mark.parametrize("page", [0, 1, 5, 17, None])
def test_an_overwritten_page_is_named_as_damage(run, stored, page):
    """Pages of the schema, of the plan versions' table and of the current-plan marker (17),
    overwritten with garbage (page 0 keeps its 100-byte file header). None: the first page
    after every table's root page, where the plan version's row begins (the plan is written
    after the migrations)."""
    if page is None:
        db = sqlite3.connect(stored)
        page = db.execute("SELECT MAX(rootpage) FROM sqlite_master").fetchone()[0]
        db.close()
    data = bytearray(stored.read_bytes())
    first = 4096 * page + (100 if page == 0 else 0)
    data[first:4096 * (page + 1)] = b"\xa5" * (4096 * (page + 1) - first)
    stored.write_bytes(bytes(data))
    damaged = bytes(data)
    for args in (["status"], ["show"], ["log", "1", "--date", "2026-03-04"], ["history"]):
        one_line(run(*args), 1, DB_FAULT.format(db=stored) + "is damaged: restore it from a "
                 "backup, or move it aside to start afresh (database disk image is malformed)\n")
    assert stored.read_bytes() == damaged


def test_garbage_in_a_stored_value_is_named_as_damage(run, stored):
    db = sqlite3.connect(stored)
    db.execute("UPDATE plan_versions SET plan_json = '{\"broken\": ' WHERE version = 1")
    db.commit()
    db.close()
    one_line(run("status"), 1, DB_FAULT.format(db=stored) + "is damaged: restore it from a "
             "backup, or move it aside to start afresh (a stored value does not read back: "
             "JSONDecodeError)\n")


def test_not_a_database_at_all(run, prepplan_home):
    prepplan_home.mkdir()
    (prepplan_home / "prepplan.db").write_text("my shopping list\n" * 300)
    one_line(run("status"), 1, DB_FAULT.format(db=prepplan_home / "prepplan.db") +
             "is damaged: restore it from a backup, or move it aside to start afresh (file is "
             "not a database)\n")
    assert (prepplan_home / "prepplan.db").read_text() == "my shopping list\n" * 300


def test_a_zero_byte_database_is_never_a_fresh_start(run, stored, tmp_path):
    stored.write_bytes(b"")
    message = (DB_FAULT.format(db=stored) + "is empty (0 bytes): your plan and log are not in "
               "it; restore it from a backup, or delete it to start afresh\n")
    one_line(run("status"), 1, message)
    one_line(run("generate", "--start", "2026-03-02", "--tz", "UTC", "--out",
                 str(tmp_path / "p.ics")), 1, message)
    assert stored.read_bytes() == b""


@pytest.fixture
def small_mount(tmp_path):
    """A 512 KB tmpfs (root only): a disk that fills up, a file system that turns read-only."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root; this run is not root")
    mount = tmp_path / "mnt"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


def test_a_full_disk_is_named_and_nothing_is_half_written(run, small_mount, monkeypatch,
                                                           tmp_path):
    monkeypatch.setenv("PREPPLAN_HOME", str(small_mount / "home"))
    assert run("generate", "--start", "2026-03-02", "--tz", "UTC", "--out",
               str(tmp_path / "p.ics")).exit_code == 0
    db = small_mount / "home" / "prepplan.db"
    filler = small_mount / "filler"
    try:
        with open(filler, "wb") as stream:  # every byte left
            while True:
                stream.write(b"\0" * 4096)
                stream.flush()
    except OSError as full:
        assert full.errno == errno.ENOSPC
    before = db.read_bytes()
    one_line(run("log", "2", "--date", "2026-03-03"), 1, DB_FAULT.format(db=db) +
             "could not be written, the disk is full (database or disk is full): nothing was "
             "changed; free some space and try again\n")
    assert db.read_bytes() == before
    filler.unlink()
    assert run("log", "2", "--date", "2026-03-03").exit_code == 0  # and then it works
    assert json.loads(run("log", "--list", "--json").stdout)[0]["hours"] == 2


def test_a_read_only_database_reads_and_refuses_writes_in_one_line(run, monkeypatch, tmp_path,
                                                                    request):
    """chmod 0444 for a user; root ignores modes, so as root the file system turns read-only."""
    if os.geteuid() == 0:
        mount = request.getfixturevalue("small_mount")
        monkeypatch.setenv("PREPPLAN_HOME", str(mount / "home"))
    home = Path(os.environ["PREPPLAN_HOME"])
    assert run("generate", "--start", "2026-03-02", "--tz", "UTC", "--out",
               str(tmp_path / "p.ics")).exit_code == 0
    db = home / "prepplan.db"
    if os.geteuid() == 0:
        gc.collect()  # close the earlier commands' connections: a busy mount stays writable
        subprocess.run(["mount", "-o", "remount,ro", str(home.parent)], check=True)
    else:
        db.chmod(0o444)
        home.chmod(0o555)
    before = db.read_bytes()
    assert run("status", "--as-of", "2026-03-10").exit_code == 0  # reading still works
    one_line(run("log", "2", "--date", "2026-03-03"), 1, DB_FAULT.format(db=db) +
             "is read-only (attempt to write a readonly database): make it writable (chmod u+w "
             f"{db}) or move it to a writable folder\n")
    assert db.read_bytes() == before


def test_an_unreadable_database(run, stored):
    if os.geteuid() == 0:
        pytest.skip("root reads a file whatever its mode; this run is root")
    stored.chmod(0)
    one_line(run("status"), 1, DB_FAULT.replace("the prepplan database {db} ", "cannot read "
             "the prepplan database {db}: Permission denied\n").format(db=stored))


def test_a_column_added_by_a_newer_prepplan_is_harmless(run, stored):
    """Every statement names its columns, so an additive change of a newer release works."""
    db = sqlite3.connect(stored)
    for sql in ("ALTER TABLE log_entries ADD COLUMN mood TEXT NOT NULL DEFAULT 'ok'",
                "ALTER TABLE plan_versions ADD COLUMN extra INTEGER",
                "ALTER TABLE topic_marks ADD COLUMN confidence REAL"):
        db.execute(sql)
    db.commit()
    db.close()
    assert run("log", "3", "--date", "2026-03-04").exit_code == 0
    assert run("done", "1.1", "--date", "2026-03-05").exit_code == 0
    assert [e["hours"] for e in json.loads(run("log", "--list", "--json").stdout)] == [2, 3]
    status = json.loads(run("status", "--as-of", "2026-03-10", "--json").stdout)
    assert (status["logged_hours"], status["done_topics"]) == (5, 1)
    assert run("history").exit_code == 0
    assert run("log", "--undo").stdout == "Removed entry 2: 3 h on 2026-03-04\n"
    assert run("replan", "--as-of", "2026-03-10", "--out", "r.ics").exit_code == 0


def test_a_newer_migration_opens_read_only_with_an_upgrade_message(run, stored):
    db = sqlite3.connect(stored)
    db.execute("INSERT INTO _migrations (name, applied_at) VALUES ('009_future', 'later')")
    db.commit()
    db.close()
    before = stored.read_bytes()
    status = json.loads(run("status", "--as-of", "2026-03-10", "--json").stdout)
    assert status["logged_hours"] == 2
    message = (DB_FAULT.format(db=stored) + "was written by a newer prepplan (migration "
               "009_future): upgrade prepplan to change it; it is only read until then\n")
    one_line(run("log", "2", "--date", "2026-03-04"), 1, message)
    one_line(run("done", "1.1", "--date", "2026-03-04"), 1, message)
    assert stored.read_bytes() == before


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_the_data_folder_and_database_are_private(run, prepplan_home, umask):
    old = os.umask(umask)
    try:
        assert run("generate", "--start", "2026-03-02", "--tz", "UTC").exit_code == 0
        assert run("log", "2", "--date", "2026-03-03").exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(prepplan_home.stat().st_mode) == 0o700
    assert stat.S_IMODE((prepplan_home / "prepplan.db").stat().st_mode) == 0o600
    assert sorted(path.name for path in prepplan_home.iterdir()) == ["prepplan.db"]


def test_sync_state_is_kept_per_plan_and_the_etags_of_003_carry_over(tmp_path):
    path = tmp_path / "prepplan.db"
    old = old_release_store(path)  # a store synced by the release that kept one ETag per UID
    with old.transaction():
        store_as_released(old.db, "p1", make_plan(date(2026, 3, 2), 10, 8), "bundled",
                          bundled_text())
        old.db.executemany("INSERT INTO caldav_etags (uid, etag) VALUES (?, ?)",
                           [("topic-1.1.p1@prepplan", '"1"'), ("phase-1.p1@prepplan", "")])
    old.close()

    store = Store(path)
    assert store.caldav_state("p1") == SyncState(None, {
        "topic-1.1.p1@prepplan": EventRecord(None, '"1"', None)})
    assert store.caldav_state("p2") == SyncState(None, {})
    state = SyncState("https://cal.example.com/u/plan/", {
        "a.p1@prepplan": EventRecord("/u/plan/a.ics", '"2"'),
        "b.p1@prepplan": EventRecord("/u/plan/b.ics", '"3"', "edited"),
        "c.p1@prepplan": EventRecord(None, '"4"', "deleted")})
    with store.transaction():
        store.set_caldav_state("p1", state)
    assert Store(path).caldav_state("p1") == state
    assert state.conflicts == {"b.p1@prepplan": "edited", "c.p1@prepplan": "deleted"}
    assert store.caldav_state("p2") == SyncState(None, {})
    with pytest.raises(sqlite3.IntegrityError):
        with store.transaction():
            store.db.execute("INSERT INTO caldav_events (plan_id, uid, href, etag, conflict) "
                             "VALUES ('p1', 'd', NULL, NULL, 'sideways')")
