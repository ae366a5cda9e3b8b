"""Load and validate a curriculum TOML file into NamedTuples, like the plan's records.

`parse_curriculum` is pure (text in, Curriculum out); `load_curriculum` reads the file.
Every schema error names the file, the key path and what is wrong.
"""

import math
import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any, NamedTuple

from .errors import CurriculumError
from .model import LoopRound

BUNDLED_NAME = "curriculum.toml"
BUNDLED_SOURCE = "bundled curriculum.toml"  # how the bundled roadmap is named in messages
DEFAULT_BUFFER_TITLE = "Mock interviews & review"
SLUG = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")  # a roadmap's id and a plan's name


class Topic(NamedTuple):
    id: str  # "<phase number>.<position>", e.g. "2.3"
    title: str
    weight: float
    tools: tuple[str, ...]


class Phase(NamedTuple):
    number: int
    id: str
    title: str
    tagline: str
    level: str
    min_weeks: float
    max_weeks: float
    tools: tuple[str, ...]
    topics: tuple[Topic, ...]


class Curriculum(NamedTuple):
    id: str  # a short slug: the name of the first plan made from it
    title: str
    description: str
    reference_hours_per_week: float
    min_months: int
    max_months: int
    buffer_title: str
    buffer_description: str
    phases: tuple[Phase, ...]
    source: str  # where it came from, for messages and the stored plan
    loop: tuple[LoopRound, ...] = ()  # the interview loop ([[loop]]); empty: no mocks

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for p in self.phases for t in p.topics if t.id == topic_id), None)


# Upper bounds far beyond any real roadmap, so that sums and dates stay finite and in range
NUMBER_LIMITS = {"reference_hours_per_week": 80, "min_months": 120, "max_months": 120,
                 "min_weeks": 520, "max_weeks": 520, "weight": 1000,
                 "minutes": 12 * 60, "count": 20}  # a loop round: at most a study day's 12 h
MAX_CURRICULUM_BYTES = 1024 * 1024

_TOP_KEYS = {"id", "title", "description", "reference_hours_per_week", "min_months", "max_months",
             "buffer", "phases", "loop"}
_BUFFER_KEYS = {"title", "description"}
_PHASE_KEYS = {"id", "title", "tagline", "level", "min_weeks", "max_weeks", "tools", "topics"}
_TOPIC_KEYS = {"title", "weight", "tools"}
_LOOP_KEYS = {"id", "title", "minutes", "count", "phases"}


class _Checker:
    """Reads typed values out of TOML tables, raising CurriculumError with the key path."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, what: str) -> CurriculumError:
        return CurriculumError(f"{self.source}: {key}: {what}")

    def no_unknown(self, table: dict, allowed: set[str], path: str) -> None:
        for key in table:
            if key not in allowed:
                where = f"{path}.{key}" if path else key
                raise self.fail(where, f"unknown key (allowed: {', '.join(sorted(allowed))})")

    def text(self, table: dict, key: str, path: str, default: str | None = None) -> str:
        where = f"{path}.{key}" if path else key
        if key not in table:
            if default is not None:
                return default
            raise self.fail(where, "missing")
        value = table[key]
        if not isinstance(value, str):
            raise self.fail(where, f"must be a string, not {_type_name(value)}")
        if not value.strip():
            raise self.fail(where, "must not be empty")
        return value.strip()

    def number(self, table: dict, key: str, path: str, default: float | None = None,
               integer: bool = False) -> float:
        where = f"{path}.{key}" if path else key
        if key not in table:
            if default is not None:
                return default
            raise self.fail(where, "missing")
        value = table[key]
        allowed = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, allowed):
            kind = "a whole number" if integer else "a number"
            raise self.fail(where, f"must be {kind}, not {_type_name(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(where, f"must be a finite number, not {value}")
        if value <= 0:
            raise self.fail(where, f"must be greater than 0, not {value}")
        if value > NUMBER_LIMITS[key]:
            raise self.fail(where, f"must be at most {NUMBER_LIMITS[key]:g}, not {value:g}")
        return value

    def strings(self, table: dict, key: str, path: str) -> tuple[str, ...]:
        where = f"{path}.{key}" if path else key
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(where, "must be a list of non-empty strings")
        return tuple(v.strip() for v in value)


def _type_name(value: Any) -> str:
    return {str: "a string", int: "an integer", float: "a number", bool: "a boolean",
            list: "a list", dict: "a table"}.get(type(value), type(value).__name__)


def parse_curriculum(text: str, source: str) -> Curriculum:
    """Validate TOML text against the curriculum schema. `source` names it in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CurriculumError(f"{source}: not valid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses once per level of nested arrays and tables
        raise CurriculumError(f"{source}: not valid TOML: nested too deeply") from None
    check = _Checker(source)
    check.no_unknown(data, _TOP_KEYS, "")
    min_months = int(check.number(data, "min_months", "", default=6, integer=True))
    max_months = int(check.number(data, "max_months", "", default=10, integer=True))
    if min_months > max_months:
        raise check.fail("min_months", f"{min_months} is more than max_months ({max_months})")

    buffer = data.get("buffer", {})
    if not isinstance(buffer, dict):
        raise check.fail("buffer", f"must be a table, not {_type_name(buffer)}")
    check.no_unknown(buffer, _BUFFER_KEYS, "buffer")

    raw_phases = data.get("phases")
    if raw_phases is None:
        raise check.fail("phases", "missing (add at least one [[phases]] table)")
    if not isinstance(raw_phases, list) or not all(isinstance(p, dict) for p in raw_phases):
        raise check.fail("phases", "must be an array of tables ([[phases]])")
    if not raw_phases:
        raise check.fail("phases", "must hold at least one phase")

    phases: list[Phase] = []
    for index, raw in enumerate(raw_phases):
        phase = _parse_phase(check, raw, index)
        if any(p.id == phase.id for p in phases):
            raise check.fail(f"phases[{index}].id", f"duplicate id {phase.id!r}")
        phases.append(phase)
    title = check.text(data, "title", "")
    return Curriculum(
        id=_roadmap_id(check, data, title),
        title=title,
        description=check.text(data, "description", "", default=""),
        reference_hours_per_week=check.number(data, "reference_hours_per_week", "", default=10),
        min_months=min_months,
        max_months=max_months,
        buffer_title=check.text(buffer, "title", "buffer", default=DEFAULT_BUFFER_TITLE),
        buffer_description=check.text(buffer, "description", "buffer", default=""),
        phases=tuple(phases),
        source=source,
        loop=_parse_loop(check, data.get("loop", []), phases),
    )


def _roadmap_id(check: _Checker, data: dict, title: str) -> str:
    """The curriculum's `id`; a file without one is named after its title."""
    if "id" not in data:
        return slug(title)
    value = check.text(data, "id", "")
    if not SLUG.fullmatch(value):
        raise check.fail("id", f"{value!r} is not a short slug (lower-case letters, digits, "
                               f"'-', '_' or '.', at most 64, e.g. \"meta-pe\")")
    return value


def slug(text: str) -> str:
    """A name for a roadmap from its title: "Google SRE Loop" -> "google-sre-loop"."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.casefold())
    return "-".join(words)[:64].strip("-") or "roadmap"


def _parse_phase(check: _Checker, raw: dict, index: int) -> Phase:
    path = f"phases[{index}]"
    check.no_unknown(raw, _PHASE_KEYS, path)
    phase_id = check.text(raw, "id", path)
    min_weeks = check.number(raw, "min_weeks", path)
    max_weeks = check.number(raw, "max_weeks", path)
    if min_weeks > max_weeks:
        raise check.fail(f"{path}.min_weeks",
                         f"{min_weeks:g} is more than max_weeks ({max_weeks:g})")
    phase_tools = check.strings(raw, "tools", path)
    return Phase(
        number=index + 1, id=phase_id, title=check.text(raw, "title", path),
        tagline=check.text(raw, "tagline", path, default=""),
        level=check.text(raw, "level", path, default=""),
        min_weeks=min_weeks, max_weeks=max_weeks, tools=phase_tools,
        topics=_parse_topics(check, raw, path, index + 1, phase_tools))


def _parse_topics(check: _Checker, raw_phase: dict, path: str, phase_number: int,
                  phase_tools: tuple[str, ...]) -> tuple[Topic, ...]:
    if "topics" not in raw_phase:
        raise check.fail(f"{path}.topics", "missing")
    raw_topics = raw_phase["topics"]
    if not isinstance(raw_topics, list):
        raise check.fail(f"{path}.topics", f"must be a list, not {_type_name(raw_topics)}")
    if not raw_topics:
        raise check.fail(f"{path}.topics", "must list at least one topic")
    topics: list[Topic] = []
    seen_titles: set[str] = set()
    for position, raw in enumerate(raw_topics, start=1):
        where = f"{path}.topics[{position - 1}]"
        if isinstance(raw, str):
            raw = {"title": raw}
        if not isinstance(raw, dict):
            raise check.fail(where, f"must be a string or a table, not {_type_name(raw)}")
        check.no_unknown(raw, _TOPIC_KEYS, where)
        title = check.text(raw, "title", where)
        if title.casefold() in seen_titles:
            raise check.fail(f"{where}.title", f"duplicate topic {title!r} in this phase")
        seen_titles.add(title.casefold())
        tools = check.strings(raw, "tools", where) if "tools" in raw else phase_tools
        topics.append(Topic(id=f"{phase_number}.{position}", title=title,
                            weight=check.number(raw, "weight", where, default=1), tools=tools))
    return tuple(topics)


def _parse_loop(check: _Checker, raw_loop, phases: list[Phase]) -> tuple[LoopRound, ...]:
    """`[[loop]]`: the rounds of the interview loop, each drawing on phases named by id or
    number."""
    if not isinstance(raw_loop, list) or not all(isinstance(r, dict) for r in raw_loop):
        raise check.fail("loop", "must be an array of tables ([[loop]])")
    rounds: list[LoopRound] = []
    for index, raw in enumerate(raw_loop):
        path = f"loop[{index}]"
        check.no_unknown(raw, _LOOP_KEYS, path)
        round_id = check.text(raw, "id", path)
        if any(r.id == round_id for r in rounds):
            raise check.fail(f"{path}.id", f"duplicate id {round_id!r}")
        rounds.append(LoopRound(
            id=round_id, title=check.text(raw, "title", path),
            minutes=int(check.number(raw, "minutes", path, integer=True)),
            count=int(check.number(raw, "count", path, default=1, integer=True)),
            phases=_loop_phases(check, raw, path, phases)))
    return tuple(rounds)


def _loop_phases(check: _Checker, raw: dict, path: str, phases: list[Phase]) -> tuple[int, ...]:
    where = f"{path}.phases"
    named = raw.get("phases")
    if named is None:
        raise check.fail(where, "missing (the phases this round draws on, by id or number)")
    if not isinstance(named, list) or not named:
        raise check.fail(where, "must be a non-empty list of phase ids or numbers")
    numbers = []
    for name in named:
        found = next((p.number for p in phases if name == p.id or (
            isinstance(name, int) and not isinstance(name, bool) and name == p.number)), None)
        if found is None:
            known = ", ".join(p.id for p in phases)
            raise check.fail(where, f"no phase {name!r} (phases: {known}, or 1 to "
                                    f"{len(phases)})")
        numbers.append(found)
    return tuple(sorted(set(numbers)))


def bundled_text() -> str:
    """The bundled roadmap's TOML. Installed wheels carry it beside this module; a source
    checkout (editable install) keeps the one file at the repository root. (A plain path:
    prepplan is never imported from a zip, and importlib.resources costs 2 ms at start-up.)"""
    here = Path(__file__).resolve().parent
    packaged = here / BUNDLED_NAME
    return (packaged if packaged.is_file() else here.parent / BUNDLED_NAME).read_text(
        encoding="utf-8")


def read_curriculum(path: str | Path | None = None) -> tuple[str, str]:
    """The TOML text of the user's curriculum file (or of the bundled roadmap when `path` is
    None) and the name that stands for it in messages."""
    if path is None:
        return bundled_text(), BUNDLED_SOURCE
    file_path = Path(path)
    try:
        # non-blocking, so that a FIFO cannot hang the open; then only a regular file is read
        handle = os.open(file_path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(handle, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise CurriculumError(f"{file_path}: not a regular file")
            data = stream.read(MAX_CURRICULUM_BYTES + 1)
        if len(data) > MAX_CURRICULUM_BYTES:
            raise CurriculumError(f"{file_path}: larger than the 1 MB a curriculum may take")
        return data.decode("utf-8"), str(file_path)
    except FileNotFoundError:
        raise CurriculumError(f"{file_path}: no such curriculum file") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise CurriculumError(f"{file_path}: cannot read the curriculum: {reason}") from None


def load_curriculum(path: str | Path | None = None) -> Curriculum:
    """Read and validate the user's curriculum file, or the bundled roadmap."""
    return parse_curriculum(*read_curriculum(path))
