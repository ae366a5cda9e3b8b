"""SQLite state: the plan and its versions, the study log and topic marks.

One database file under $PREPPLAN_HOME (else the platform's user data folder). Schema changes
are named, additive migrations applied in order when the store opens; every command's write is
one transaction. Concurrent writers wait on SQLite's own lock (busy timeout), never a hand lock.
"""

import contextlib
import json
import os
import sqlite3
import stat
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
    ("005_mocks_reviews", """
        CREATE TABLE mock_results (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            plan_id TEXT NOT NULL REFERENCES plans(id),
            round TEXT NOT NULL,
            day TEXT NOT NULL,
            score INTEGER NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL
        );
        CREATE TABLE topic_reviews (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            plan_id TEXT NOT NULL REFERENCES plans(id),
            topic_id TEXT NOT NULL,
            day TEXT NOT NULL,
            rating TEXT NOT NULL,
            due TEXT NOT NULL,
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX topic_reviews_topic ON topic_reviews(plan_id, topic_id, day)
    """),
    # What a sync remembers per plan (sync.SyncState): each event's href, the ETag prepplan
    # last wrote, and a conflict until it is settled; and the calendar those belong to. The
    # ETags kept by 003 (per plan since 004) carry over: no href, no calendar known.
    ("006_caldav_state", """
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
            SELECT caldav_etags.plan_id, caldav_etags.uid, NULL, caldav_etags.etag, NULL
            FROM caldav_etags
            WHERE caldav_etags.etag != '';
    """),
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


class MockResult(NamedTuple):
    id: int
    round: str
    day: date
    score: int
    note: str


class TopicReview(NamedTuple):
    topic_id: str
    day: date
    rating: str
    due: date  # the next review's due date after the reviews through this one


class Store:
    """The database at `path`. A store whose file does not exist yet reads as empty (from an
    in-memory copy of the schema) and creates the file only when its first transaction begins,
    so a refused command leaves no database behind."""

    newer: str | None = None  # a migration of a newer prepplan: the store is only read
    crash_after_commit = False  # set by tests only: a write dies between commit and rename
    _absent = False
    choice: str | None = None  # the plan named by --plan; None: the current plan

    def __init__(self, path: Path) -> None:
        self.path = path
        if path.exists() or path.is_symlink():
            self._check_file()
            self.db = self._connect(str(path))
            self._absent = False
        else:
            self.db = self._connect(":memory:")
            self._absent = True

    @classmethod
    def open(cls, home: Path) -> "Store":
        return cls(home / DB_NAME)

    def close(self) -> None:
        self.db.close()

    def _check_file(self) -> None:
        """What SQLite would not say: a database file emptied (it would silently start afresh),
        unreadable or not a file."""
        try:
            if not stat.S_ISREG(self.path.stat().st_mode):
                raise PrepplanError(f"the prepplan database {self.path} is not a regular file")
            if self.path.stat().st_size == 0:
                raise PrepplanError(f"the prepplan database {self.path} is empty (0 bytes): your "
                                    f"plan and log are not in it; restore it from a backup, or "
                                    f"delete it to start afresh")
            with open(self.path, "rb"):
                pass
        except OSError as exc:
            raise PrepplanError(f"cannot read the prepplan database {self.path}: "
                                f"{exc.strerror or exc}") from None

    def _connect(self, name: str) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(name, timeout=BUSY_TIMEOUT_SECONDS,
                                 isolation_level=None)  # transactions are explicit
            self.db = db
            db.execute("PRAGMA foreign_keys = ON")
            self.migrate()
            return db
        except sqlite3.Error as exc:
            raise storage_error(exc, self.path) from None

    def _create(self) -> None:
        """The first write: the data folder (0700, when it is new), then the database (0600),
        built beside its place and linked into it whole, so that no other prepplan ever opens
        a half-made one."""
        temp = self.path.with_name(f".{self.path.name}.{os.urandom(6).hex()}.tmp")
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            self.db.close()
            self._connect(str(temp)).close()
            try:
                os.link(temp, self.path)
            except FileExistsError:
                pass  # another prepplan made it a moment ago: use theirs
            except OSError:  # a file system without hard links
                if not self.path.exists():
                    os.replace(temp, self.path)
        except OSError as exc:
            raise PrepplanError(f"cannot create the prepplan database {self.path}: "
                                f"{exc.strerror or exc}") from None
        finally:
            temp.unlink(missing_ok=True)
        self._absent = False
        self.db = self._connect(str(self.path))

    # -- transactions and migrations

    def transaction(self):
        if self.newer:
            raise RefusedError(f"the prepplan database {self.path} was written by a newer "
                               f"prepplan (migration {self.newer}): upgrade prepplan to change "
                               f"it; it is only read until then")
        if self._absent:
            self._create()
        return _Transaction(self.db)

    def applied_migrations(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT name FROM _migrations ORDER BY rowid")]

    def migrate(self, upto: str | None = None) -> None:
        """Apply the migrations not yet applied, each in its own transaction. Nothing is written
        when none is missing (a read-only database still reads)."""
        has_table = self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                    "name = '_migrations'").fetchone()
        applied = self.applied_migrations() if has_table else []
        known = [name for name, _ in MIGRATIONS]
        self.newer = next((name for name in applied if name not in known), None)
        if self.newer or (upto is None and applied == known):
            return
        with _Transaction(self.db):
            self.db.execute("CREATE TABLE IF NOT EXISTS _migrations "
                            "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        for number, (name, sql) in enumerate(MIGRATIONS, start=1):
            with _Transaction(self.db):
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

    def versions_of_current(self) -> list[PlanVersion]:
        self.require_current()
        return self.versions()

    def versions(self) -> list[PlanVersion]:
        rows = self.db.execute(f"SELECT {VERSION_COLUMNS} FROM plan_versions WHERE plan_id = ? "
                               "ORDER BY version", (self.require_plan().id,)).fetchall()
        return [self._version(row) for row in rows]

    def version(self, number: int) -> PlanVersion:
        current = self.require_current()
        row = self.db.execute(f"SELECT {VERSION_COLUMNS} FROM plan_versions "
                              "WHERE plan_id = ? AND version = ?",
                              (current.plan_id, number)).fetchone() if 0 < number <= \
            current.version else None
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

    @contextlib.contextmanager
    def _decoding(self):
        """Stored values that do not read back: a damaged page SQLite itself did not notice."""
        try:
            yield
        except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
            raise PrepplanError(f"the prepplan database {self.path} {DAMAGED} (a stored value "
                                f"does not read back: {type(exc).__name__})") from None

    def _version(self, row) -> PlanVersion:
        with self._decoding():
            (plan_id, number, created_at, reason, plan_json, tz, source, text, ics_path) = row
            return PlanVersion(plan_id=plan_id, version=number,
                               created_at=datetime.fromisoformat(created_at), reason=reason,
                               plan=plan_from_storage(json.loads(plan_json)), tz=tz,
                               curriculum_source=source, curriculum_text=text,
                               ics_path=ics_path)

    # -- progress: every log entry, mark, setting and sync record belongs to the chosen plan

    def has_progress(self) -> bool:
        plan_id = self.require_plan().id
        logged = self.db.execute("SELECT 1 FROM log_entries WHERE plan_id = ? LIMIT 1",
                                 (plan_id,)).fetchone()
        marked = self.db.execute("SELECT 1 FROM topic_marks WHERE plan_id = ? LIMIT 1",
                                 (plan_id,)).fetchone()
        mocked = self.db.execute("SELECT 1 FROM mock_results WHERE plan_id = ? LIMIT 1",
                                 (plan_id,)).fetchone()
        return bool(logged or marked or mocked)

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
                              (self.require_plan().id, entry_id)).fetchone() \
            if 0 < entry_id <= SQLITE_MAX_INTEGER else None  # a larger one SQLite cannot take
        if row is None:
            raise RefusedError(self._missing_entry(entry_id))
        with self._decoding():
            return LogEntry(row[0], date.fromisoformat(row[1]), float(row[2]), row[3],
                            datetime.fromisoformat(row[4]))

    def _missing_entry(self, entry_id: int) -> str:
        """Log ids count across plans: an id of another plan's log is named as such."""
        owner = self.db.execute(
            "SELECT plans.name FROM log_entries JOIN plans ON plans.id = log_entries.plan_id "
            "WHERE log_entries.id = ?", (entry_id,)).fetchone() \
            if 0 < entry_id <= SQLITE_MAX_INTEGER else None
        if owner is None:
            return f"no log entry {entry_id}: `prepplan log --list` shows the ids"
        return (f"log entry {entry_id} belongs to the plan {owner[0]!r}, not "
                f"{self.require_plan().name!r}: add `--plan {owner[0]}`")

    def update_log(self, entry_id: int, day: date, hours: float, note: str) -> None:
        """Rewrite one entry's day, hours and note. Call in a transaction."""
        self.db.execute("UPDATE log_entries SET day = ?, hours = ?, note = ? "
                        "WHERE plan_id = ? AND id = ?",
                        (day.isoformat(), hours, note, self.require_plan().id, entry_id))

    def log_entries(self) -> list[LogEntry]:
        rows = self.db.execute("SELECT id, day, hours, note, created_at FROM log_entries "
                               "WHERE plan_id = ? ORDER BY day, id",
                               (self.require_plan().id,)).fetchall()
        with self._decoding():
            return [LogEntry(id, date.fromisoformat(day), float(hours), note,
                             datetime.fromisoformat(created))
                    for id, day, hours, note, created in rows]

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
        with self._decoding():
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
    # -- mocks and reviews, by plan id

    def add_mock_result(self, plan_id: str, round_id: str, day: date, score: int, note: str,
                        recorded_at: datetime) -> int:
        cursor = self.db.execute(
            "INSERT INTO mock_results (plan_id, round, day, score, note, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (plan_id, round_id, day.isoformat(), score, note,
             recorded_at.isoformat(timespec="seconds")))
        return cursor.lastrowid

    def mock_results(self, plan_id: str) -> list[MockResult]:
        """The plan's mock results in the order recorded."""
        rows = self.db.execute("SELECT id, round, day, score, note FROM mock_results "
                               "WHERE plan_id = ? ORDER BY id", (plan_id,)).fetchall()
        return [MockResult(id, round_id, date.fromisoformat(day), score, note)
                for id, round_id, day, score, note in rows]

    def add_review(self, plan_id: str, topic_id: str, day: date, rating: str, due: date,
                   recorded_at: datetime) -> None:
        self.db.execute("INSERT INTO topic_reviews (plan_id, topic_id, day, rating, due, "
                        "recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                        (plan_id, topic_id, day.isoformat(), rating, due.isoformat(),
                         recorded_at.isoformat(timespec="seconds")))

    def set_review_dues(self, plan_id: str, topic_id: str, dues: list[date]) -> None:
        """Store each review's due date again, in replay order (a backdated review changes
        the ones after it)."""
        ids = [row[0] for row in self.db.execute(
            "SELECT id FROM topic_reviews WHERE plan_id = ? AND topic_id = ? ORDER BY day, id",
            (plan_id, topic_id))]
        self.db.executemany("UPDATE topic_reviews SET due = ? WHERE id = ?",
                            [(due.isoformat(), id) for id, due in zip(ids, dues)])

    def reviews(self, plan_id: str) -> list[TopicReview]:
        """The plan's reviews in replay order: by topic, date, then order recorded."""
        rows = self.db.execute("SELECT topic_id, day, rating, due FROM topic_reviews "
                               "WHERE plan_id = ? ORDER BY topic_id, day, id",
                               (plan_id,)).fetchall()
        return [TopicReview(topic_id, date.fromisoformat(day), rating, date.fromisoformat(due))
                for topic_id, day, rating, due in rows]

    # -- settings

    def setting(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE plan_id = ? AND key = ?",
                              (self.require_plan().id, key)).fetchone()
        return row[0] if row else None

    def set_setting(self, key: str, value: str) -> None:
        self.db.execute("INSERT INTO settings (plan_id, key, value) VALUES (?, ?, ?) "
                        "ON CONFLICT(plan_id, key) DO UPDATE SET value = excluded.value",
                        (self.require_plan().id, key, value))

    # -- CalDAV sync state of one plan (sync.SyncState): kept between syncs

    def caldav_state(self, plan_id: str):
        from .sync import SyncState

        row = self.db.execute("SELECT url FROM caldav_calendar WHERE plan_id = ?",
                              (plan_id,)).fetchone()
        rows = self.db.execute("SELECT uid, href, etag, conflict FROM caldav_events "
                               "WHERE plan_id = ?", (plan_id,)).fetchall()
        return SyncState.from_rows(row[0] if row else None, rows)

    def set_caldav_state(self, plan_id: str, state) -> None:
        """Replace the plan's sync state. Call inside the command's transaction."""
        self.db.execute("DELETE FROM caldav_events WHERE plan_id = ?", (plan_id,))
        self.db.executemany("INSERT INTO caldav_events (plan_id, uid, href, etag, conflict) "
                            "VALUES (?, ?, ?, ?, ?)",
                            [(plan_id, *row) for row in state.to_rows()])
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
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            raise PrepplanError(f"the prepplan database is busy ({exc}): another prepplan is "
                                f"writing to it; try again in a moment") from None
        return self.db

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.db.execute("COMMIT")
        elif self.db.in_transaction:  # SQLite ends some failed transactions itself (disk full)
            self.db.execute("ROLLBACK")
        return False


SQLITE_MAX_INTEGER = 2 ** 63 - 1
DAMAGED = "is damaged: restore it from a backup, or move it aside to start afresh"


def user_error(exc: BaseException, home_override: str | None) -> tuple[str, int]:
    """The one line and exit code of a refusal, or of a storage fault (of the database under
    `home_override`, see `default_home`); anything else is a real bug and is raised again."""
    error = exc if isinstance(exc, PrepplanError) else storage_error(
        exc, default_home(home_override) / DB_NAME)
    if error is None:
        raise exc
    return error.message, error.exit_code


def storage_error(exc: BaseException, path: Path) -> PrepplanError | None:
    """One line for a database fault SQLite reports; None for anything else."""
    if not isinstance(exc, sqlite3.Error):
        return None
    text = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
    if "readonly" in text or "read-only" in text:
        what = (f"is read-only ({text}): make it writable (chmod u+w {path}) or move it to a "
                f"writable folder")
    elif "disk is full" in text or "disk I/O" in text:
        what = (f"could not be written, the disk is full ({text}): nothing was changed; free "
                f"some space and try again")
    elif any(sign in text for sign in ("not a database", "malformed", "corrupt", "decode")):
        what = f"{DAMAGED} ({text.split(' with text ')[0]})"
    elif "unable to open" in text:
        what = f"cannot be opened ({text}): check that you may read and write {path.parent}"
    else:
        what = f"failed: {text}"
    return PrepplanError(f"the prepplan database {path} {what}")
