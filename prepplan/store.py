"""SQLite state: the plan and its versions, the study log and topic marks.

One database file under $PREPPLAN_HOME (else the platform's user data folder). Schema changes
are named, additive migrations applied in order when the store opens; every command's write is
one transaction. Concurrent writers wait on SQLite's own lock (busy timeout), never a hand lock.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Callable, NamedTuple
from datetime import date, datetime
from pathlib import Path

from .errors import PrepplanError, RefusedError
from .model import Plan, plan_from_storage, plan_to_storage

DB_NAME = "prepplan.db"
HOME_ENV = "PREPPLAN_HOME"
BUSY_TIMEOUT_SECONDS = 30
MAX_NAMES_LISTED = 5  # a refusal lists a few plan names, then "… and N more"

# Named, additive migrations: never edit one that has shipped, append a new one instead. A
# migration is SQL, or a function of the connection where data must be read to be moved.
MIGRATIONS: list[tuple[str, str | Callable[[sqlite3.Connection], None]]] = [
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
    # Several plans in one store: plans get a unique name and the roadmap (curriculum id) they
    # follow, every piece of progress belongs to one plan, one plan is current. A store of one
    # unnamed plan becomes one plan named after its roadmap (`_name_plans` below).
    ("004_named_plans", lambda db: _name_plans(db)),
]

NAMED_PLANS_SQL = """
        ALTER TABLE plans ADD COLUMN name TEXT;
        ALTER TABLE plans ADD COLUMN roadmap TEXT;
        CREATE UNIQUE INDEX plans_name ON plans(name);
        CREATE TABLE current_plan (
            only INTEGER PRIMARY KEY CHECK (only = 1),
            plan_id TEXT NOT NULL REFERENCES plans(id)
        );
        ALTER TABLE log_entries ADD COLUMN plan_id TEXT REFERENCES plans(id);
        CREATE INDEX log_entries_plan ON log_entries(plan_id, day);
        ALTER TABLE topic_marks RENAME TO topic_marks_of_one_plan;
        CREATE TABLE topic_marks (
            plan_id TEXT NOT NULL REFERENCES plans(id),
            topic_id TEXT NOT NULL,
            done_on TEXT NOT NULL,
            marked_at TEXT NOT NULL,
            PRIMARY KEY (plan_id, topic_id)
        );
        CREATE TABLE unplaced_marks (
            plan_id TEXT NOT NULL REFERENCES plans(id),
            topic_id TEXT NOT NULL,
            title TEXT NOT NULL,
            done_on TEXT NOT NULL,
            marked_at TEXT NOT NULL,
            version INTEGER NOT NULL
        );
        ALTER TABLE settings RENAME TO settings_of_one_plan;
        CREATE TABLE settings (
            plan_id TEXT NOT NULL REFERENCES plans(id),
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (plan_id, key)
        );
        ALTER TABLE caldav_etags RENAME TO caldav_etags_of_one_plan;
        CREATE TABLE caldav_etags (
            plan_id TEXT NOT NULL REFERENCES plans(id),
            uid TEXT NOT NULL,
            etag TEXT NOT NULL,
            PRIMARY KEY (plan_id, uid)
        );
"""


def run_script(db: sqlite3.Connection, sql: str) -> None:
    """Statements one by one, in the caller's transaction (executescript would commit it)."""
    for statement in sql.split(";"):
        if statement.strip():
            db.execute(statement)


def _name_plans(db: sqlite3.Connection) -> None:
    """004: each stored plan is named after its roadmap; the progress of the one-plan store
    goes to the plan that was current (the latest version made)."""
    run_script(db, NAMED_PLANS_SQL)
    rows = db.execute(
        "SELECT plans.id, plan_versions.curriculum_source, plan_versions.curriculum_text "
        "FROM plans JOIN plan_versions ON plan_versions.plan_id = plans.id "
        "WHERE plan_versions.version = (SELECT MAX(latest.version) FROM plan_versions AS latest "
        "WHERE latest.plan_id = plans.id) ORDER BY plans.created_at, plans.id").fetchall()
    taken: set[str] = set()
    for plan_id, source, text in rows:
        roadmap = stored_roadmap(source, text)
        name = unused_name(roadmap, taken)
        taken.add(name)
        db.execute("UPDATE plans SET name = ?, roadmap = ? WHERE id = ?", (name, roadmap, plan_id))
    current = db.execute("SELECT plan_id FROM plan_versions "
                         "ORDER BY created_at DESC, version DESC LIMIT 1").fetchone()
    if current is not None:
        (plan_id,) = current
        db.execute("INSERT INTO current_plan (only, plan_id) VALUES (1, ?)", (plan_id,))
        db.execute("UPDATE log_entries SET plan_id = ?", (plan_id,))
        db.execute("INSERT INTO topic_marks (plan_id, topic_id, done_on, marked_at) "
                   "SELECT ?, topic_id, done_on, marked_at FROM topic_marks_of_one_plan",
                   (plan_id,))
        db.execute("INSERT INTO settings (plan_id, key, value) "
                   "SELECT ?, key, value FROM settings_of_one_plan", (plan_id,))
        db.execute("INSERT INTO caldav_etags (plan_id, uid, etag) "
                   "SELECT ?, uid, etag FROM caldav_etags_of_one_plan", (plan_id,))
    # without a plan there were no marks, settings or sync state; log entries wait for one
    for table in ("topic_marks_of_one_plan", "settings_of_one_plan", "caldav_etags_of_one_plan"):
        db.execute(f"DROP TABLE {table}")


def stored_roadmap(source: str, text: str) -> str:
    """The roadmap of a plan stored before curricula had ids: the text's id, the bundled
    roadmap's for the bundled curriculum, else a slug of its title."""
    import tomllib

    from .curriculum import BUNDLED_SOURCE, SLUG, load_curriculum, slug

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        data = {}
    stated = data.get("id")
    if isinstance(stated, str) and SLUG.fullmatch(stated.strip()):
        return stated.strip()
    if source == BUNDLED_SOURCE:
        return load_curriculum().id
    title = data.get("title")
    return slug(title) if isinstance(title, str) else "roadmap"


def unused_name(wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`... when a plan already has that name."""
    name, number = wanted, 1
    while name in taken:
        number += 1
        name = f"{wanted}-{number}"
    return name


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


class PlanRecord(NamedTuple):
    id: str  # never shown: event UIDs and every piece of progress hang on it
    name: str  # what the user types after --plan
    roadmap: str  # the id of the curriculum it follows


class UnplacedMark(NamedTuple):
    """A done mark on a topic that a later version of the plan no longer has."""

    topic_id: str
    title: str
    done_on: date
    version: int  # the version that could not place it


class LogEntry(NamedTuple):
    id: int
    day: date
    hours: float
    note: str
    created_at: datetime


class Store:
    choice: str | None = None  # the plan named by --plan; None: the current plan

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
                if callable(sql):
                    sql(self.db)
                else:
                    run_script(self.db, sql)
                self.db.execute("INSERT INTO _migrations (name, applied_at) "
                                "VALUES (?, strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))",
                                (name,))
                self.db.execute(f"PRAGMA user_version = {number}")
            if name == upto:
                break

    # -- plans: a store holds named plans, one of them current; a command works on the plan
    # chosen for it (`choose`, from --plan), else on the current one

    def plans(self) -> list[PlanRecord]:
        """Every plan, oldest first."""
        rows = self.db.execute("SELECT id, name, roadmap FROM plans "
                               "ORDER BY created_at, rowid").fetchall()
        return [PlanRecord(*row) for row in rows]

    def plan_named(self, name: str) -> PlanRecord | None:
        row = self.db.execute("SELECT id, name, roadmap FROM plans WHERE name = ?",
                              (name,)).fetchone()
        return PlanRecord(*row) if row else None

    def current_plan(self) -> PlanRecord | None:
        row = self.db.execute("SELECT plans.id, plans.name, plans.roadmap FROM current_plan "
                              "JOIN plans ON plans.id = current_plan.plan_id").fetchone()
        return PlanRecord(*row) if row else None

    def choose(self, name: str | None) -> "Store":
        """Work on the plan named `name` from now on (None: the current plan)."""
        self.choice = name
        return self

    def chosen_plan(self) -> PlanRecord | None:
        """The plan this command works on: the one chosen by name, else the current one; None
        while the store has no plan."""
        if self.choice is None:
            return self.current_plan()
        record = self.plan_named(self.choice)
        if record is None and self.plans():
            names = [plan.name for plan in self.plans()]
            listed = ", ".join(names[:MAX_NAMES_LISTED]) + (
                f" … and {len(names) - MAX_NAMES_LISTED} more"
                if len(names) > MAX_NAMES_LISTED else "")
            raise RefusedError(f"no plan named {self.choice!r}: the plans are {listed} "
                               f"(`prepplan plans` lists them)")
        return record

    def require_plan(self) -> PlanRecord:
        record = self.chosen_plan()
        if record is None:
            raise RefusedError("no plan yet: make one with `prepplan generate` "
                               "(e.g. prepplan generate --start today --hours 10 --months 8)")
        return record

    def add_plan(self, plan_id: str, name: str, roadmap: str, created_at: datetime) -> None:
        """A new, empty plan; the first of a store becomes current and takes the log entries
        recorded before any plan existed. Call inside a transaction."""
        try:
            self.db.execute("INSERT INTO plans (id, created_at, name, roadmap) "
                            "VALUES (?, ?, ?, ?)",
                            (plan_id, created_at.isoformat(timespec="seconds"), name, roadmap))
        except sqlite3.IntegrityError:  # another prepplan made it since this one looked
            raise RefusedError(f"a plan named {name!r} was made meanwhile: run the command "
                               f"again") from None
        if self.current_plan() is None:
            self.make_current(plan_id)
            self.db.execute("UPDATE log_entries SET plan_id = ? WHERE plan_id IS NULL",
                            (plan_id,))

    def make_current(self, plan_id: str) -> None:
        self.db.execute("INSERT INTO current_plan (only, plan_id) VALUES (1, ?) "
                        "ON CONFLICT(only) DO UPDATE SET plan_id = excluded.plan_id", (plan_id,))

    def latest_version(self, plan_id: str) -> PlanVersion | None:
        row = self.db.execute(f"SELECT {VERSION_COLUMNS} FROM plan_versions WHERE plan_id = ? "
                              "ORDER BY version DESC LIMIT 1", (plan_id,)).fetchone()
        return self._version(row) if row else None

    def current(self) -> PlanVersion | None:
        """The latest version of the chosen plan."""
        record = self.chosen_plan()
        return self.latest_version(record.id) if record else None

    def require_current(self) -> PlanVersion:
        version = self.latest_version(self.require_plan().id)
        if version is None:  # a plan row is only ever added with its first version
            raise RefusedError(f"the plan {self.require_plan().name!r} has no version")
        return version

    def versions(self) -> list[PlanVersion]:
        rows = self.db.execute(f"SELECT {VERSION_COLUMNS} FROM plan_versions WHERE plan_id = ? "
                               "ORDER BY version", (self.require_plan().id,)).fetchall()
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
        """Store a new version of a plan made with `add_plan`; returns its number. Call inside
        a transaction."""
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

    # -- progress: every log entry, mark, setting and sync record belongs to the chosen plan

    def has_progress(self) -> bool:
        plan_id = self.require_plan().id
        logged = self.db.execute("SELECT 1 FROM log_entries WHERE plan_id = ? LIMIT 1",
                                 (plan_id,)).fetchone()
        marked = self.db.execute("SELECT 1 FROM topic_marks WHERE plan_id = ? LIMIT 1",
                                 (plan_id,)).fetchone()
        return bool(logged or marked)

    def add_log(self, day: date, hours: float, note: str, created_at: datetime) -> int:
        cursor = self.db.execute(
            "INSERT INTO log_entries (plan_id, day, hours, note, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (self.require_plan().id, day.isoformat(), hours, note,
             created_at.isoformat(timespec="seconds")))
        return cursor.lastrowid

    def hours_logged_on(self, day: date, excluding: int | None = None) -> float:
        (total,) = self.db.execute("SELECT COALESCE(SUM(hours), 0) FROM log_entries "
                                   "WHERE plan_id = ? AND day = ? AND id IS NOT ?",
                                   (self.require_plan().id, day.isoformat(),
                                    excluding)).fetchone()
        return total

    def log_entry(self, entry_id: int) -> LogEntry:
        """One entry of the chosen plan's log."""
        row = self.db.execute("SELECT id, day, hours, note, created_at FROM log_entries "
                              "WHERE plan_id = ? AND id = ?",
                              (self.require_plan().id, entry_id)).fetchone()
        if row is None:
            raise RefusedError(f"no log entry {entry_id}: `prepplan log --list` shows the ids")
        return LogEntry(row[0], date.fromisoformat(row[1]), row[2], row[3],
                        datetime.fromisoformat(row[4]))

    def update_log(self, entry_id: int, day: date, hours: float, note: str) -> None:
        """Rewrite one entry's day, hours and note. Call in a transaction."""
        self.db.execute("UPDATE log_entries SET day = ?, hours = ?, note = ? "
                        "WHERE plan_id = ? AND id = ?",
                        (day.isoformat(), hours, note, self.require_plan().id, entry_id))

    def log_entries(self) -> list[LogEntry]:
        rows = self.db.execute("SELECT id, day, hours, note, created_at FROM log_entries "
                               "WHERE plan_id = ? ORDER BY day, id",
                               (self.require_plan().id,)).fetchall()
        return [LogEntry(id, date.fromisoformat(day), hours, note,
                         datetime.fromisoformat(created)) for id, day, hours, note, created in rows]

    def remove_log(self, entry_id: int | None) -> LogEntry:
        """Remove one entry (the last one added when entry_id is None). Call in a transaction."""
        plan_id = self.require_plan().id
        if entry_id is None:
            row = self.db.execute("SELECT MAX(id) FROM log_entries WHERE plan_id = ?",
                                  (plan_id,)).fetchone()
            if row[0] is None:
                raise RefusedError("the log is empty: nothing to undo")
            entry_id = row[0]
        entry = self.log_entry(entry_id)
        self.db.execute("DELETE FROM log_entries WHERE id = ?", (entry.id,))
        return entry

    def marks(self) -> dict[str, date]:
        rows = self.db.execute("SELECT topic_id, done_on FROM topic_marks WHERE plan_id = ?",
                               (self.require_plan().id,)).fetchall()
        return {topic_id: date.fromisoformat(done_on) for topic_id, done_on in rows}

    def mark_done(self, topic_id: str, day: date, marked_at: datetime) -> bool:
        """Mark a topic done on `day`; a topic already done keeps its date. True if new."""
        cursor = self.db.execute("INSERT OR IGNORE INTO topic_marks "
                                 "(plan_id, topic_id, done_on, marked_at) VALUES (?, ?, ?, ?)",
                                 (self.require_plan().id, topic_id, day.isoformat(),
                                  marked_at.isoformat(timespec="seconds")))
        return cursor.rowcount == 1

    def unmark(self, topic_id: str) -> bool:
        cursor = self.db.execute("DELETE FROM topic_marks WHERE plan_id = ? AND topic_id = ?",
                                 (self.require_plan().id, topic_id))
        return cursor.rowcount == 1

    def unplace_marks(self, titles: dict[str, str], version: int) -> None:
        """Set aside the marks of topics a new version no longer has (by id and title):
        `titles` gives each such marked topic's title. Kept, listed by `show`, never counted.
        Call in a transaction."""
        plan_id = self.require_plan().id
        for topic_id, title in sorted(titles.items()):
            self.db.execute("INSERT INTO unplaced_marks "
                            "(plan_id, topic_id, title, done_on, marked_at, version) "
                            "SELECT plan_id, topic_id, ?, done_on, marked_at, ? FROM topic_marks "
                            "WHERE plan_id = ? AND topic_id = ?",
                            (title, version, plan_id, topic_id))
            self.db.execute("DELETE FROM topic_marks WHERE plan_id = ? AND topic_id = ?",
                            (plan_id, topic_id))

    def replace_marks(self, topics: set[tuple[str, str]]) -> None:
        """Put back the set-aside marks whose topic (id, title) a new version has again, where
        that topic is not marked already. Call in a transaction."""
        plan_id = self.require_plan().id
        marked = self.marks()
        for topic_id, title in sorted(topics):
            if topic_id in marked:
                continue
            row = self.db.execute("SELECT rowid, done_on, marked_at FROM unplaced_marks "
                                  "WHERE plan_id = ? AND topic_id = ? AND title = ? "
                                  "ORDER BY version DESC, rowid DESC LIMIT 1",
                                  (plan_id, topic_id, title)).fetchone()
            if row is None:
                continue
            self.db.execute("INSERT INTO topic_marks (plan_id, topic_id, done_on, marked_at) "
                            "VALUES (?, ?, ?, ?)", (plan_id, topic_id, row[1], row[2]))
            self.db.execute("DELETE FROM unplaced_marks WHERE plan_id = ? AND topic_id = ? "
                            "AND title = ?", (plan_id, topic_id, title))

    def unplaced_marks(self) -> list[UnplacedMark]:
        rows = self.db.execute("SELECT topic_id, title, done_on, version FROM unplaced_marks "
                               "WHERE plan_id = ? ORDER BY version, rowid",
                               (self.require_plan().id,)).fetchall()
        return [UnplacedMark(topic_id, title, date.fromisoformat(done_on), version)
                for topic_id, title, done_on, version in rows]

    # -- settings

    def setting(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE plan_id = ? AND key = ?",
                              (self.require_plan().id, key)).fetchone()
        return row[0] if row else None

    def set_setting(self, key: str, value: str) -> None:
        self.db.execute("INSERT INTO settings (plan_id, key, value) VALUES (?, ?, ?) "
                        "ON CONFLICT(plan_id, key) DO UPDATE SET value = excluded.value",
                        (self.require_plan().id, key, value))

    # -- CalDAV sync state: the ETag prepplan last saw or wrote for each of its events

    def caldav_etags(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT uid, etag FROM caldav_etags WHERE plan_id = ?",
                                    (self.require_plan().id,)).fetchall())

    def set_caldav_etags(self, etags: dict[str, str]) -> None:
        plan_id = self.require_plan().id
        self.db.execute("DELETE FROM caldav_etags WHERE plan_id = ?", (plan_id,))
        self.db.executemany("INSERT INTO caldav_etags (plan_id, uid, etag) VALUES (?, ?, ?)",
                            [(plan_id, uid, etag) for uid, etag in sorted(etags.items())])


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
