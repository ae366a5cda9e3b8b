"""The SQLite store: migrations from an older schema, and concurrent writers."""

from __future__ import annotations

import multiprocessing
import sqlite3
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
    Store(path).close()
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
    store.set_caldav_state("p1", state)
    assert Store(path).caldav_state("p1") == state
    assert state.conflicts == {"b.p1@prepplan": "edited", "c.p1@prepplan": "deleted"}
    assert store.caldav_state("p2") == SyncState(None, {})
    with pytest.raises(sqlite3.IntegrityError):
        with store.transaction():
            store.db.execute("INSERT INTO caldav_events (plan_id, uid, href, etag, conflict) "
                             "VALUES ('p1', 'd', NULL, NULL, 'sideways')")
