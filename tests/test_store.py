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
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from prepplan.curriculum import bundled_text
from prepplan.store import MIGRATIONS, Store
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
        old.add_version("plan1", datetime(2026, 3, 1, tzinfo=timezone.utc), "generate", plan,
                        "UTC", "bundled", bundled_text(), "/tmp/p.ics")
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
    with Store(path).transaction():  # the first write creates the database
        pass
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


@pytest.mark.parametrize("page", [0, 1, 5, None])
def test_an_overwritten_page_is_named_as_damage(run, stored, page):
    """Pages of the schema and of the plan versions' table, overwritten with garbage (page 0
    keeps its 100-byte file header). None: the first page after every table's root page,
    where the plan version's row begins (the plan is written after the migrations)."""
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


def test_sync_state_is_kept_per_plan_and_the_etags_of_003_move_to_their_plan(tmp_path):
    from prepplan.sync import EventRecord, SyncState

    path = tmp_path / "prepplan.db"
    old = Store.__new__(Store)  # a store synced by the release that kept one ETag per UID
    old.path = path
    old.db = sqlite3.connect(path, isolation_level=None)
    old.migrate(upto="003_caldav_etags")
    with old.transaction():
        old.add_version("p1", datetime(2026, 3, 1, tzinfo=timezone.utc), "generate",
                        make_plan(date(2026, 3, 2), 10, 8), "UTC", "bundled", bundled_text(), None)
        old.db.executemany("INSERT INTO caldav_etags (uid, etag) VALUES (?, ?)",
                           [("topic-1.1.p1@prepplan", '"1"'), ("phase-1.p1@prepplan", ""),
                            ("stranger.p2@prepplan", '"9"')])
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
