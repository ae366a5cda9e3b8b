"""SQLite state: the plan and its versions, the study log and topic marks.

One database file under $PREPPLAN_HOME (else the platform's user data folder). Schema changes
are named, additive migrations applied in order when the store opens; every command's write is
one transaction. Concurrent writers wait on SQLite's own lock (busy timeout), never a hand lock.
"""

from __future__ import annotations

import json
import sqlite3
from typing import NamedTuple
from datetime import date, datetime
from pathlib import Path

from .errors import PrepplanError, RefusedError
from .model import Plan, plan_from_storage, plan_to_storage

DB_NAME = "prepplan.db"
HOME_ENV = "PREPPLAN_HOME"
BUSY_TIMEOUT_SECONDS = 30

# Named, additive migrations: never edit one that has shipped, append a new one instead.
MIGRATIONS: list[tuple[str, str]] = [
    ("001_plans", """
        CREATE TABLE plans (
            id TEXT PRIMARY KEY,
            created_at TEXT NOT NULL
        );
        CREATE TABLE plan_versions (
            plan_id TEXT NOT NULL REFERENCES plans(id),
            version INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            reason TEXT NOT NULL,
            plan_json TEXT NOT NULL,
            tz TEXT NOT NULL,
            curriculum_source TEXT NOT NULL,
            curriculum_text TEXT NOT NULL,
            ics_path TEXT,
            PRIMARY KEY (plan_id, version)
        );
    """),
    ("002_progress", """
        CREATE TABLE log_entries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            day TEXT NOT NULL,
            hours REAL NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE INDEX log_entries_day ON log_entries(day);
        CREATE TABLE topic_marks (
            topic_id TEXT PRIMARY KEY,
            done_on TEXT NOT NULL,
            marked_at TEXT NOT NULL
        );
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
    """),
    ("003_caldav_etags", """
        CREATE TABLE caldav_etags (
            uid TEXT PRIMARY KEY,
            etag TEXT NOT NULL
        );
    """),
    # What a sync remembers per plan (sync.SyncState): each event's href, the ETag prepplan
    # last wrote, and a conflict until it is settled; and the calendar those belong to. The
    # ETags of 003 go to the plan their UID names (every UID ends in ".{plan id}@prepplan").
    ("004_caldav_state", """
        CREATE TABLE caldav_events (
            plan_id TEXT NOT NULL REFERENCES plans(id),
            uid TEXT NOT NULL,
            href TEXT,
            etag TEXT,
            conflict TEXT CHECK (conflict IN ('edited', 'deleted')),
            PRIMARY KEY (plan_id, uid)
        );
        CREATE TABLE caldav_calendar (
            plan_id TEXT PRIMARY KEY REFERENCES plans(id),
            url TEXT NOT NULL
        );
        INSERT INTO caldav_events (plan_id, uid, href, etag, conflict)
            SELECT plans.id, caldav_etags.uid, NULL, caldav_etags.etag, NULL
            FROM caldav_etags JOIN plans
              ON substr(caldav_etags.uid, -length('.' || plans.id || '@prepplan'))
                 = '.' || plans.id || '@prepplan'
            WHERE caldav_etags.etag != '';
    """),
]


def default_home(override: str | None) -> Path:
    """$PREPPLAN_HOME (`override`, read by the CLI) when set, else the platform's data folder."""
    if override:
        return Path(override).expanduser()
    import platformdirs  # only when no override: keeps the common path light

    return Path(platformdirs.user_data_dir("prepplan", appauthor=False))


VERSION_COLUMNS = ("plan_id, version, created_at, reason, plan_json, tz, curriculum_source, "
                   "curriculum_text, ics_path")


class PlanVersion(NamedTuple):
    plan_id: str
    version: int
    created_at: datetime
    reason: str
    plan: Plan
    tz: str
    curriculum_source: str
    curriculum_text: str
    ics_path: str | None


class LogEntry(NamedTuple):
    id: int
    day: date
    hours: float
    note: str
    created_at: datetime


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS,
                                      isolation_level=None)  # transactions are explicit
            self.db.execute("PRAGMA foreign_keys = ON")
            self.migrate()
        except sqlite3.DatabaseError as exc:
            raise PrepplanError(f"cannot open the prepplan database {path}: {exc}") from None
        except OSError as exc:
            raise PrepplanError(f"cannot create the prepplan folder {path.parent}: "
                                f"{exc.strerror or exc}") from None

    @classmethod
    def open(cls, home: Path) -> "Store":
        return cls(home / DB_NAME)

    def close(self) -> None:
        self.db.close()

    # -- transactions and migrations

    def transaction(self):
        return _Transaction(self.db)

    def applied_migrations(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT name FROM _migrations ORDER BY rowid")]

    def migrate(self, upto: str | None = None) -> None:
        """Apply the migrations not yet applied, each in its own transaction."""
        with self.transaction():
            self.db.execute("CREATE TABLE IF NOT EXISTS _migrations "
                            "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        for number, (name, sql) in enumerate(MIGRATIONS, start=1):
            with self.transaction():
                done = self.db.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,))
                if done.fetchone():
                    continue
                for statement in sql.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute("INSERT INTO _migrations (name, applied_at) "
                                "VALUES (?, strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))",
                                (name,))
                self.db.execute(f"PRAGMA user_version = {number}")
            if name == upto:
                break

    # -- plans

    def current(self) -> PlanVersion | None:
        row = self.db.execute(
            f"SELECT {VERSION_COLUMNS} FROM plan_versions "
            "ORDER BY created_at DESC, version DESC LIMIT 1"
        ).fetchone()
        return self._version(row) if row else None

    def require_current(self) -> PlanVersion:
        version = self.current()
        if version is None:
            raise RefusedError("no plan yet: make one with `prepplan generate` "
                               "(e.g. prepplan generate --start today --hours 10 --months 8)")
        return version

    def versions(self) -> list[PlanVersion]:
        rows = self.db.execute(f"SELECT {VERSION_COLUMNS} FROM plan_versions "
                               "ORDER BY version").fetchall()
        return [self._version(row) for row in rows]

    def version(self, number: int) -> PlanVersion:
        current = self.require_current()
        row = self.db.execute(f"SELECT {VERSION_COLUMNS} FROM plan_versions "
                              "WHERE plan_id = ? AND version = ?",
                              (current.plan_id, number)).fetchone()
        if row is None:
            raise RefusedError(f"no plan version {number}: `prepplan history` lists "
                               f"versions 1 to {current.version}")
        return self._version(row)

    def add_version(self, plan_id: str, created_at: datetime, reason: str, plan: Plan, tz: str,
                    curriculum_source: str, curriculum_text: str,
                    ics_path: str | None) -> int:
        """Store a new version of the plan (a new plan when plan_id is new); returns its number.
        Call inside a transaction."""
        self.db.execute("INSERT OR IGNORE INTO plans (id, created_at) VALUES (?, ?)",
                        (plan_id, created_at.isoformat(timespec="seconds")))
        (latest,) = self.db.execute("SELECT COALESCE(MAX(version), 0) FROM plan_versions "
                                    "WHERE plan_id = ?", (plan_id,)).fetchone()
        number = latest + 1
        self.db.execute(
             f"INSERT INTO plan_versions ({VERSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (plan_id, number, created_at.isoformat(timespec="seconds"), reason,
             json.dumps(plan_to_storage(plan)), tz, curriculum_source, curriculum_text, ics_path))
        return number

    def _version(self, row) -> PlanVersion:
        (plan_id, number, created_at, reason, plan_json, tz, source, text, ics_path) = row
        return PlanVersion(plan_id=plan_id, version=number,
                           created_at=datetime.fromisoformat(created_at), reason=reason,
                           plan=plan_from_storage(json.loads(plan_json)), tz=tz,
                           curriculum_source=source, curriculum_text=text, ics_path=ics_path)

    # -- progress

    def has_progress(self) -> bool:
        logged = self.db.execute("SELECT 1 FROM log_entries LIMIT 1").fetchone()
        marked = self.db.execute("SELECT 1 FROM topic_marks LIMIT 1").fetchone()
        return bool(logged or marked)

    def add_log(self, day: date, hours: float, note: str, created_at: datetime) -> int:
        cursor = self.db.execute(
            "INSERT INTO log_entries (day, hours, note, created_at) VALUES (?, ?, ?, ?)",
            (day.isoformat(), hours, note, created_at.isoformat(timespec="seconds")))
        return cursor.lastrowid

    def hours_logged_on(self, day: date, excluding: int | None = None) -> float:
        (total,) = self.db.execute("SELECT COALESCE(SUM(hours), 0) FROM log_entries "
                                   "WHERE day = ? AND id IS NOT ?",
                                   (day.isoformat(), excluding)).fetchone()
        return total

    def log_entry(self, entry_id: int) -> LogEntry:
        row = self.db.execute("SELECT id, day, hours, note, created_at FROM log_entries "
                              "WHERE id = ?", (entry_id,)).fetchone()
        if row is None:
            raise RefusedError(f"no log entry {entry_id}: `prepplan log --list` shows the ids")
        return LogEntry(row[0], date.fromisoformat(row[1]), row[2], row[3],
                        datetime.fromisoformat(row[4]))

    def update_log(self, entry_id: int, day: date, hours: float, note: str) -> None:
        """Rewrite one entry's day, hours and note. Call in a transaction."""
        self.db.execute("UPDATE log_entries SET day = ?, hours = ?, note = ? WHERE id = ?",
                        (day.isoformat(), hours, note, entry_id))

    def log_entries(self) -> list[LogEntry]:
        rows = self.db.execute("SELECT id, day, hours, note, created_at FROM log_entries "
                               "ORDER BY day, id").fetchall()
        return [LogEntry(id, date.fromisoformat(day), hours, note,
                         datetime.fromisoformat(created)) for id, day, hours, note, created in rows]

    def remove_log(self, entry_id: int | None) -> LogEntry:
        """Remove one entry (the last one added when entry_id is None). Call in a transaction."""
        if entry_id is None:
            row = self.db.execute("SELECT MAX(id) FROM log_entries").fetchone()
            if row[0] is None:
                raise RefusedError("the log is empty: nothing to undo")
            entry_id = row[0]
        entry = self.log_entry(entry_id)
        self.db.execute("DELETE FROM log_entries WHERE id = ?", (entry.id,))
        return entry

    def marks(self) -> dict[str, date]:
        rows = self.db.execute("SELECT topic_id, done_on FROM topic_marks").fetchall()
        return {topic_id: date.fromisoformat(done_on) for topic_id, done_on in rows}

    def mark_done(self, topic_id: str, day: date, marked_at: datetime) -> bool:
        """Mark a topic done on `day`; a topic already done keeps its date. True if new."""
        cursor = self.db.execute("INSERT OR IGNORE INTO topic_marks (topic_id, done_on, marked_at) "
                                 "VALUES (?, ?, ?)",
                                 (topic_id, day.isoformat(),
                                  marked_at.isoformat(timespec="seconds")))
        return cursor.rowcount == 1

    def unmark(self, topic_id: str) -> bool:
        cursor = self.db.execute("DELETE FROM topic_marks WHERE topic_id = ?", (topic_id,))
        return cursor.rowcount == 1

    # -- settings

    def setting(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_setting(self, key: str, value: str) -> None:
        self.db.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
                        "SET value = excluded.value", (key, value))


    # -- CalDAV sync state of one plan (sync.SyncState): kept between syncs

    def caldav_state(self, plan_id: str):
        from .sync import SyncState

        row = self.db.execute("SELECT url FROM caldav_calendar WHERE plan_id = ?",
                              (plan_id,)).fetchone()
        rows = self.db.execute("SELECT uid, href, etag, conflict FROM caldav_events "
                               "WHERE plan_id = ?", (plan_id,)).fetchall()
        return SyncState.from_rows(row[0] if row else None, rows)

    def set_caldav_state(self, plan_id: str, state) -> None:
        """Replace the plan's sync state, in one transaction."""
        with self.transaction():
            self.db.execute("DELETE FROM caldav_events WHERE plan_id = ?", (plan_id,))
            self.db.executemany(
                "INSERT INTO caldav_events (plan_id, uid, href, etag, conflict) "
                "VALUES (?, ?, ?, ?, ?)", [(plan_id, *row) for row in state.to_rows()])
            self.db.execute("DELETE FROM caldav_calendar WHERE plan_id = ?", (plan_id,))
            if state.calendar_url:
                self.db.execute("INSERT INTO caldav_calendar (plan_id, url) VALUES (?, ?)",
                                (plan_id, state.calendar_url))


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error: one command, one transaction."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self):
        try:
            self.db.execute("BEGIN IMMEDIATE")  # take the write lock now; waits up to the timeout
        except sqlite3.OperationalError as exc:
            raise PrepplanError(f"the prepplan database is busy ({exc}): another prepplan is "
                                f"writing to it; try again in a moment") from None
        return self.db

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.db.execute("COMMIT")
        else:
            self.db.execute("ROLLBACK")
        return False
