"""Use cases: what each command does, between the CLI (parsing, printing) and the pure core.

The CLI hands in today's date, the time and the zone; nothing here reads the clock or the
environment. Every write is one store transaction; a calendar file is renamed into place only
after its version is committed.
"""

import os
from datetime import date, datetime, time
from pathlib import Path
from typing import Callable, NamedTuple

from .errors import RefusedError, UsageError
from .model import Plan, TopicPlan, hours_logged_through
from .report import status_figures
from .store import PlanRecord, PlanVersion, Store

MAX_HOURS_PER_DAY = 24
DEFAULT_ICS_NAME = "prepplan.ics"


class PlanRequest(NamedTuple):
    """What `generate` was asked for, parsed."""

    start: date
    hours_per_week: float
    months: int | None
    target: date | None
    curriculum_path: Path | None
    zone: str
    study_weekdays: tuple[int, ...] = ()
    session_time: time | None = None
    skip_ranges: tuple[tuple[date, date], ...] = ()
    weekday_times: tuple[tuple[int, time], ...] = ()


class SavedVersion(NamedTuple):
    plan: Plan
    version: int
    marks: dict[str, date]
    ics_path: Path
    name: str = ""  # the plan's
    current_name: str = ""  # the store's current plan (another one after `generate --plan NEW`)
    plan_count: int = 1
    unplaced: tuple = ()  # the plan's marks no version's topic holds (store.UnplacedMark)
    note: str | None = None  # one line worth saying about the new version


# ---------------------------------------------------------------- making plans

def plan_request(*, start: str, hours: str, months: int | None, target: str | None,
                 curriculum: Path | None, zone: str, days: str | None, at: str | None,
                 skip: list[str], today: date) -> PlanRequest:
    """`generate`'s options as typed, checked and parsed."""
    from .inputs import parse_at, parse_date, parse_hours, parse_skip, parse_weekdays, parse_zone

    start_day = parse_date(start, today, "--start date")
    hours_per_week = parse_hours(hours, "--hours")
    if months is not None and target is not None:
        raise UsageError("give --months or --target, not both")
    weekdays = parse_weekdays(days) if days is not None else ()
    session_time, weekday_times = parse_at(at) if at is not None else (None, ())
    check_weekday_times(weekday_times, weekdays)
    return PlanRequest(
        start=start_day, hours_per_week=hours_per_week, months=months,
        target=parse_date(target, today, "--target date") if target is not None else None,
        curriculum_path=curriculum, zone=parse_zone(zone),
        study_weekdays=weekdays, session_time=session_time,
        skip_ranges=tuple(parse_skip(text, today) for text in skip), weekday_times=weekday_times)


def check_weekday_times(weekday_times: tuple[tuple[int, time], ...],
                        study_weekdays: tuple[int, ...]) -> None:
    """`--at sat=09:00` sets the start of Saturday's sessions: Saturday must be a study day."""
    from .model import WEEKDAY_NAMES

    stray = [WEEKDAY_NAMES[day] for day, _ in weekday_times if day not in study_weekdays]
    if stray:
        days = ",".join(WEEKDAY_NAMES[day] for day in study_weekdays)
        raise UsageError(f"--at names {', '.join(stray)}, not a study day "
                         + (f"(--days {days})" if days else "(give --days with the weekdays)"))


def resolve_target(curriculum, start: date, months: int | None, target: date | None) -> date:
    """T from `--months` or `--target`; neither: the middle of the curriculum's window."""
    from .allocate import default_months, target_from_months

    if months is not None and target is not None:
        raise UsageError("give --months or --target, not both")
    if target is not None:
        return target
    if months is not None and not curriculum.min_months <= months <= curriculum.max_months:
        raise UsageError(f"--months must be from {curriculum.min_months} to "
                         f"{curriculum.max_months} (the roadmap's window), not {months}")
    return target_from_months(start, default_months(curriculum) if months is None else months)


def make_plan(store: Store, request: PlanRequest, out: Path | None, force: bool,
              now: datetime) -> SavedVersion:
    """`generate`: allocate the curriculum and store it as a new version of the chosen plan
    (a new plan when none has that name)."""
    from .allocate import allocate
    from .curriculum import parse_curriculum, read_curriculum

    curriculum_text, curriculum_source = read_curriculum(request.curriculum_path)
    curriculum = parse_curriculum(curriculum_text, curriculum_source)
    record, is_new = plan_to_generate(store, curriculum.id, request.curriculum_path)
    target = resolve_target(curriculum, request.start, request.months, request.target)
    plan = allocate(curriculum, request.start, request.hours_per_week, target,
                    study_weekdays=request.study_weekdays, skip_ranges=request.skip_ranges,
                    session_time=request.session_time, weekday_times=request.weekday_times)
    reason = "generate --force" if force else "generate"
    first = not store.plans() or store.plans()[0].id == record.id
    out_path = out if out is not None else Path(
        DEFAULT_ICS_NAME if first else f"prepplan-{record.name}.ics")
    return save_version(store, plan, request.zone, out_path, force, now, reason,
                        curriculum.source, curriculum_text, new=record if is_new else None)


def plan_to_generate(store: Store, roadmap: str,
                     curriculum_path: Path | None) -> tuple[PlanRecord, bool]:
    """The plan `generate` writes: the one named by --plan, else the current one; a new one
    (not stored yet) when there is none, named by --plan or, in an empty store, after the
    roadmap. A plan of another roadmap is refused: its progress means nothing on these topics."""
    from .curriculum import SLUG

    name = store.choice
    record = store.plan_named(name) if name is not None else store.current_plan()
    if record is None:
        name = roadmap if name is None else name
        if not SLUG.fullmatch(name):
            raise UsageError(f"invalid plan name {name!r}: use lower-case letters, digits, "
                             f"'-', '_' or '.' (at most 64), e.g. --plan google-sre")
        import uuid

        return PlanRecord(uuid.uuid4().hex, name, roadmap), True
    if record.roadmap != roadmap:
        new = roadmap if store.plan_named(roadmap) is None else "NEW"
        curriculum = f" --curriculum {curriculum_path}" if curriculum_path else ""
        raise RefusedError(f"the plan {record.name!r} follows the roadmap {record.roadmap!r}, "
                           f"not {roadmap!r}: its progress stays with it; make a second plan "
                           f"with `prepplan generate --plan {new}{curriculum}`")
    return record, False


def save_version(store: Store, plan: Plan, zone: str, out: Path, force: bool, now: datetime,
                 reason: str, curriculum_source: str, curriculum_text: str,
                 new: PlanRecord | None = None) -> SavedVersion:
    """Store a new version of the chosen plan (of `new`, made now, when given) and write its
    calendar, all or nothing. Without `force`, a plan that has progress is not replaced; marks
    on topics the new version does not have (by id and title) are set aside, and set-aside
    marks whose topic it has again come back."""
    from .cadence import check_times
    from .files import AtomicFile, check_target

    check_times(plan, zone)
    out_path = out.expanduser().absolute()
    check_target(out_path)
    with store.transaction():
        if new:
            store.add_plan(new.id, new.name, new.roadmap, now)
            store.choose(new.name)
        current = store.current()
        plan_id = store.require_plan().id
        if current is not None and store.has_progress() and not force:
            which = ("the current plan" if plan_id == store.current_plan().id
                     else f"the plan {store.require_plan().name!r}")
            raise RefusedError(f"{which} has progress logged: pass --force to replace it (the "
                               f"old version stays in `prepplan history`)")
        version = (current.version if current else 0) + 1
        data = calendar_bytes_of(plan, plan_id, version, zone, now,
                                 previous=current.plan if current else None,
                                 reviews=review_histories(store, plan_id, store.marks()))
        pending = AtomicFile(out_path, data)
        try:
            if current is not None:
                store.unplace_marks(marks_not_placed(current.plan, plan, store.marks()), version)
                store.replace_marks({(topic.id, topic.title) for topic in plan.topics})
            store.add_version(plan_id, now, reason, plan, zone, curriculum_source,
                              curriculum_text, str(out_path))
        except BaseException:
            pending.discard()
            raise
    # committed: only now may the file show the new version (never ahead of the database)
    if store.crash_after_commit:  # the crash-safety test's instant: SIGKILL, no cleanup
        import signal

        os.kill(os.getpid(), signal.SIGKILL)
    pending.commit()
    record, current_plan = store.require_plan(), store.current_plan()
    return SavedVersion(plan, version, store.marks(), out_path, record.name, current_plan.name,
                        len(store.plans()), tuple(store.unplaced_marks()))


def marks_not_placed(previous: Plan, plan: Plan, marks: dict[str, date]) -> dict[str, str]:
    """The marked topics of `previous` that `plan` lacks, by id and title, with their titles:
    a renamed topic is another topic, and a mark never moves onto it."""
    kept = {(topic.id, topic.title) for topic in plan.topics}
    titles = {topic.id: topic.title for topic in previous.topics}
    return {topic_id: titles.get(topic_id, "")
            for topic_id in marks if (topic_id, titles.get(topic_id)) not in kept}


class PlanListing(NamedTuple):
    """One plan of the store, as `prepplan plans` lists it."""

    name: str
    roadmap: str
    start: date
    target: date
    done_topics: int
    total_topics: int
    current: bool


def list_plans(store: Store) -> list[PlanListing]:
    """Every plan of the store, oldest first, with its latest version's dates and progress."""
    store.require_plan()  # an empty store: "no plan yet"
    current = store.current_plan()
    chosen = store.choice
    listing = []
    try:
        for record in store.plans():
            store.choose(record.name)
            latest = store.require_current().plan
            marks = store.marks()
            listing.append(PlanListing(
                record.name, record.roadmap, latest.start, latest.target,
                sum(topic.id in marks for topic in latest.topics), len(latest.topics),
                current is not None and record.id == current.id))
    finally:
        store.choose(chosen)
    return listing


def use_plan(store: Store, name: str) -> PlanRecord:
    """`use`: make the plan named `name` the current one."""
    store.choose(name)
    record = store.require_plan()
    with store.transaction():
        store.make_current(record.id)
    return record


class ReplanRequest(NamedTuple):
    """What `replan` was asked to change; None keeps the plan's own."""

    hours_per_week: float | None
    target: date | None
    study_weekdays: tuple[int, ...] | None
    session_time: time | None
    more_skip: tuple[tuple[date, date], ...]
    weekday_times: tuple[tuple[int, time], ...] | None = None  # with --at: its weekdays' times


def replan_request(*, hours: str | None, target: str | None, days: str | None, at: str | None,
                   skip: list[str], today: date) -> ReplanRequest:
    """`replan`'s options as typed, checked and parsed (`--days all`: every day)."""
    from .inputs import parse_at, parse_date, parse_hours, parse_skip, parse_weekdays

    weekdays = None if days is None else (
        () if days.strip().lower() == "all" else parse_weekdays(days))
    session_time, weekday_times = parse_at(at) if at is not None else (None, None)
    return ReplanRequest(
        hours_per_week=parse_hours(hours, "--hours") if hours is not None else None,
        target=parse_date(target, today, "--target date") if target is not None else None,
        study_weekdays=weekdays, session_time=session_time,
        more_skip=tuple(parse_skip(text, today) for text in skip),
        weekday_times=weekday_times)


def replan_plan(store: Store, as_of: date, now: datetime, request: ReplanRequest,
                out: Path | None, today: date) -> SavedVersion:
    """`replan`: re-allocate the undone topics from the day after `as_of`, as a new version."""
    from .curriculum import parse_curriculum
    from .replan import replan

    current = store.require_current()
    if as_of > today:  # what is done by a future day is not known yet
        raise UsageError(f"--as-of {as_of.isoformat()} is in the future: replan from what is "
                         "done by today or an earlier day")
    previous = current.plan
    study_weekdays = (previous.schedule.study_weekdays if request.study_weekdays is None
                      else request.study_weekdays)
    if request.weekday_times is None:  # no --at: the plan's times, for days still studied
        session_time = previous.session_time
        weekday_times = tuple((day, at) for day, at in previous.weekday_times
                              if day in study_weekdays)
    else:
        session_time, weekday_times = request.session_time, request.weekday_times
        check_weekday_times(weekday_times, study_weekdays)
    curriculum = parse_curriculum(current.curriculum_text, current.curriculum_source)
    log = [(entry.day, entry.hours) for entry in store.log_entries()]
    plan = replan(curriculum, previous, store.marks(), hours_logged_through(log, as_of), as_of,
                  hours_per_week=(previous.hours_per_week if request.hours_per_week is None
                                  else request.hours_per_week),
                  target=request.target or previous.target, study_weekdays=study_weekdays,
                  skip_ranges=previous.skip_ranges + request.more_skip,
                  session_time=session_time, weekday_times=weekday_times)
    out_path = out if out is not None else Path(current.ics_path or DEFAULT_ICS_NAME)
    saved = save_version(store, plan, current.tz, out_path, True, now,
                         f"replan as of {as_of.isoformat()}", current.curriculum_source,
                         current.curriculum_text)
    return saved._replace(note=beyond_window_note(curriculum, plan))


def beyond_window_note(curriculum, plan: Plan) -> str | None:
    """A replanned target past the roadmap's month window is allowed, and said."""
    from .allocate import target_window

    window_end = target_window(curriculum, plan.start)[1]
    if plan.target <= window_end:
        return None
    return (f"The new target {plan.target.isoformat()} lies beyond the roadmap's recommended "
            f"{curriculum.min_months}–{curriculum.max_months} month window, which ends "
            f"{window_end.isoformat()}.")


# ---------------------------------------------------------------- calendars

def calendar_bytes_of(plan: Plan, plan_id: str, version: int, zone: str, now: datetime,
                      previous: Plan | None = None, reviews: dict | None = None) -> bytes:
    """The .ics of one version: SEQUENCE is the version less one, UIDs come from the plan id;
    `reviews` (the done topics' ratings) title the final block's sessions."""
    from .ics import calendar_bytes

    return calendar_bytes(plan, plan_id=plan_id, sequence=version - 1, stamp=now, tz_name=zone,
                          previous=previous, reviews=reviews)


def stored_calendar(store: Store, stored: PlanVersion, now: datetime):
    """A stored version's calendar: what the version before it had and this one drops is
    cancelled, its past kept as it was; the done topics' ratings title the final block."""
    from .ics import build_calendar

    previous = store.version(stored.version - 1).plan if stored.version > 1 else None
    return build_calendar(stored.plan, plan_id=stored.plan_id, sequence=stored.version - 1,
                          stamp=now, tz_name=stored.tz, previous=previous,
                          reviews=review_histories(store, stored.plan_id, store.marks()))


def calendar_for(store: Store, stored: PlanVersion, now: datetime) -> bytes:
    """A stored version's .ics again."""
    return stored_calendar(store, stored, now).to_ical()


def calendar_objects(store: Store, stored: PlanVersion, now: datetime) -> dict[str, bytes]:
    """What a CalDAV calendar holds for a version: one object per live event."""
    from .ics import event_objects

    return event_objects(stored_calendar(store, stored, now))


def write_export(out: Path, data: bytes) -> Path:
    """An export written atomically to `out`; returns the absolute path written."""
    from .files import write_atomic

    path = out.expanduser().absolute()
    write_atomic(path, data)
    return path


EXPORT_FORMATS = ("ics", "json", "markdown", "csv")


class ShownVersion(NamedTuple):
    stored: PlanVersion
    marks: dict[str, date]
    latest: int  # the plan's latest version number
    name: str  # the plan's
    unplaced: list  # marks no version's topic holds any more (store.UnplacedMark)


def shown_version(store: Store, number: int | None) -> ShownVersion:
    """`show [--version N]`: that version (else the current one) with the plan's progress."""
    current = store.require_current()
    return ShownVersion(current if number is None else store.version(number), store.marks(),
                        current.version, store.require_plan().name, store.unplaced_marks())


def export_data(store: Store, format: str, now: datetime) -> bytes:
    """The current plan with progress as ics, json, markdown or csv."""
    from .documents import dumps, show_document
    from .export import plan_csv, plan_markdown

    if format not in EXPORT_FORMATS:
        raise UsageError(f"unknown format {format!r}: use one of {', '.join(EXPORT_FORMATS)}")
    current = store.require_current()
    marks = store.marks()
    if format == "ics":
        return calendar_for(store, current, now)
    if format == "json":
        return (dumps(show_document(shown_version(store, None))) + "\n").encode()
    if format == "markdown":
        return plan_markdown(current.plan, marks).encode()
    return plan_csv(current.plan, marks).encode()


# ---------------------------------------------------------------- progress

def record_log(store: Store, hours: float, day: date, note: str, now: datetime,
               today: date) -> int:
    """Add one log entry; returns its id."""
    store.require_current()  # refused for want of a plan: before the database is made
    with store.transaction():
        return _add_log(store, hours, day, note, now, today)


def _add_log(store: Store, hours: float, day: date, note: str, now: datetime,
             today: date, replacing: int | None = None, checkin: bool = False) -> int:
    """Check and add one log entry (`replacing`: the entry an edit rewrites, not counted in the
    day's total; `checkin`: hours studied since the last entry, booked on `day`, so held to
    that time rather than to one day's). Call inside a transaction."""
    if hours <= 0:
        raise UsageError(f"hours must be more than 0, not {hours:g} "
                         f"(to fix an entry, `prepplan log --undo`)")
    _check_progress_day(store, day, today, "log what you have done (today or earlier)")
    if checkin:
        check_checkin_hours(hours, checkin_span(store, day))
    else:
        already = store.hours_logged_on(day, excluding=replacing)
        if already + hours > MAX_HOURS_PER_DAY:
            raise UsageError(f"{already + hours:g} h on {day.isoformat()} is more than a day "
                             f"holds ({already:g} h already logged that day)")
    if replacing is not None:
        store.update_log(replacing, day, hours, note)
        return replacing
    return store.add_log(day, hours, note, now)


def _check_progress_day(store: Store, day: date, today: date, future_hint: str) -> None:
    """Progress is dated from the plan's start to today (SPEC: no future, nothing before S)."""
    if day > today:
        raise UsageError(f"{day.isoformat()} is in the future: {future_hint}")
    current = store.current()
    if current is not None and day < current.plan.start:
        raise UsageError(f"{day.isoformat()} is before the plan's start "
                         f"({current.plan.start.isoformat()})")


def check_log_options(*, hours: str | None, day: str | None, note: str | None, list_: bool,
                      undo: bool, edit: int | None, new_hours: str | None,
                      as_json: bool) -> None:
    """`log` does one of four things (add, --list, --undo [ID], --edit ID): options of another,
    or of none, are refused before anything changes, never quietly dropped or reused."""
    from .inputs import require_value

    extras = {"HOURS": hours is not None, "--undo": undo, "--edit": edit is not None,
              "--hours": new_hours is not None, "--date": day is not None,
              "--note": note is not None}
    if list_ and any(extras.values()):
        raise UsageError(f"log --list takes only --json, not {_named(extras)}")
    if undo and edit is not None:
        raise UsageError("give --undo or --edit, not both: one command changes one entry")
    if undo and (as_json or new_hours is not None or day is not None or note is not None):
        taken = {"--json": as_json, "--hours": new_hours is not None, "--date": day is not None,
                 "--note": note is not None}
        raise UsageError(f"log --undo takes only an entry id, not {_named(taken)}")
    if edit is not None and hours is not None:
        raise UsageError(f"log --edit takes the new hours as --hours: prepplan log --edit {edit} "
                         f"--hours {hours}")
    if as_json and not list_:
        raise UsageError("--json goes with --list: prepplan log --list --json")
    if new_hours is not None and edit is None:
        raise UsageError(f"--hours goes with --edit ID (it corrects an entry); to log "
                         f"{new_hours} h: `prepplan log {new_hours}`")
    require_value(note, "--note", "a note, or leave the option out")
    if hours is None and not (list_ or undo or edit is not None):
        raise UsageError("say how many hours: prepplan log HOURS [--date D] [--note TEXT]")


def _named(flags: dict[str, bool]) -> str:
    return " or ".join(name for name, given in flags.items() if given)


def edit_log(store: Store, entry_id: int, hours_text: str | None, day_text: str | None,
             note: str | None, today: date):
    """`log --edit ID`: correct one entry's hours, date or note; returns (old, new) entries."""
    from .inputs import parse_date, parse_hours

    if hours_text is None and day_text is None and note is None:
        raise UsageError(f"say what to change: prepplan log --edit {entry_id} [--hours H] "
                         f"[--date D] [--note TEXT]")
    hours = parse_hours(hours_text) if hours_text is not None else None
    day = parse_date(day_text, today, "--date") if day_text is not None else None
    store.require_current()
    with store.transaction():
        old = store.log_entry(entry_id)
        _add_log(store, old.hours if hours is None else hours, old.day if day is None else day,
                 old.note if note is None else note, old.created_at, today, replacing=entry_id)
        return old, store.log_entry(entry_id)


def remove_log(store: Store, entry_text: str | None):
    """`log --undo [ID]`: remove the last entry, or the one with that id."""
    from .inputs import parse_entry_id

    number = parse_entry_id(entry_text) if entry_text is not None else None
    store.require_current()
    with store.transaction():
        return store.remove_log(number)


def resolve_topics(plan: Plan, names: list[str]) -> list[TopicPlan]:
    """Topics by id, range of ids (`2.2-2.4`), whole phase (`phase:2`) or a unique part of a
    title; a typo gets the close titles. Each topic once, in the order named."""
    chosen: dict[str, TopicPlan] = {}
    for name in names:
        for topic in _topics_named(plan, name):
            chosen.setdefault(topic.id, topic)
    return list(chosen.values())


def _topics_named(plan: Plan, name: str) -> list[TopicPlan]:
    wanted = name.strip()
    if not wanted:
        raise UsageError("a topic is empty: name it by its id (2.3) or part of its title")
    if wanted.casefold() == "all":  # not a part of "globally": the check-in's answer only
        raise UsageError("'all' is an answer to the check-in's question (every topic it "
                         "offers); here name topics by id (2.3), range (2.2-2.4) or phase "
                         "(phase:2)")
    ids = [topic.id for topic in plan.topics]
    if wanted.casefold().startswith("phase:"):
        number = wanted.partition(":")[2].strip()
        phases = [phase for phase in plan.phases if str(phase.number) == number]
        if not phases:
            raise RefusedError(f"no phase {number!r}: the plan has phases 1 to "
                               f"{len(plan.phases)}")
        return list(phases[0].topics)
    first, dash, last = wanted.partition("-")
    if dash and first.strip() in ids and last.strip() in ids:
        low, high = ids.index(first.strip()), ids.index(last.strip())
        if low > high:
            raise UsageError(f"range {wanted!r} runs backwards: write {last.strip()}-"
                             f"{first.strip()}")
        return plan.topics[low:high + 1]
    exact = [topic for topic in plan.topics if topic.id == wanted]
    matches = exact or [topic for topic in plan.topics
                        if wanted.casefold() in topic.title.casefold()]
    if len(matches) == 1:
        return matches
    if not matches:
        hints = close_topics(plan.topics, wanted)
        shown = name if len(name) <= 60 else name[:59] + "…"
        raise RefusedError(f"no topic matches {shown!r}: "
                           + ("did you mean " + candidates(hints) + "?" if hints
                              else "`prepplan show` lists every topic with its id"))
    raise RefusedError(f"{name!r} matches {len(matches)} topics; "
                       f"name one by its id: {candidates(matches)}")


def candidates(topics: list[TopicPlan], few: int = 4) -> str:
    """Up to `few` topics on one line; more: the first ones and `… and 7 more`. Titles hold
    commas (and semicolons, in prose), so " | " parts them."""
    shown = topics if len(topics) <= few else topics[:few - 1]
    listing = " | ".join(f"{t.id} {t.title}" for t in shown)
    return listing + (f" … and {len(topics) - len(shown)} more" if topics[len(shown):] else "")


def close_topics(topics: list[TopicPlan], wanted: str, limit: int = 3) -> list[TopicPlan]:
    """Topics with a run of words close to what was typed (typos: "boot sequense")."""
    import difflib

    query = wanted.casefold().split()
    scored = []
    for topic in topics:
        words = topic.title.casefold().split()
        width = max(1, min(len(query), len(words)))
        best = max(difflib.SequenceMatcher(None, " ".join(query),
                                           " ".join(words[i:i + width])).ratio()
                   for i in range(len(words) - width + 1))
        if best >= 0.75:
            scored.append((-best, topic.id, topic))
    return [topic for _, _, topic in sorted(scored)[:limit]]


def mark_done(store: Store, plan: Plan, names: list[str], day: date, now: datetime,
              today: date, ratings: dict[str, str] | None = None
              ) -> list[tuple[TopicPlan, date | None]]:
    """Mark topics done on `day`, each newly done one rated (`ratings` by topic id, default
    good: its first review); returns each topic with the date it was already done on."""
    chosen = resolve_topics(plan, names)
    with store.transaction():
        return _mark(store, chosen, day, now, today, ratings)


def _mark(store: Store, chosen: list[TopicPlan], day: date, now: datetime, today: date,
          ratings: dict[str, str] | None = None) -> list[tuple[TopicPlan, date | None]]:
    """Mark resolved topics done, rating each newly done one. Call inside a transaction."""
    from .review import DEFAULT_RATING

    _check_progress_day(store, day, today, "mark topics done on the day you finish them")
    plan_id = store.require_current().plan_id
    existing = store.marks()
    for topic in chosen:
        if store.mark_done(topic.id, day, now):
            add_rating(store, plan_id, topic.id, day,
                       (ratings or {}).get(topic.id, DEFAULT_RATING), now)
    return [(topic, existing.get(topic.id)) for topic in chosen]


CHECKIN_MAX_DAYS = 7  # a check-in covers a week at most: older weeks go to `log --date`


class CheckinSpan(NamedTuple):
    """The time a check-in on `day` covers: the days since the last log entry on or before it
    (entries after it are another week's), a week at most."""

    day: date
    last_entry: date | None  # the last log entry on or before `day`
    plan_start: date
    days: int  # whole days covered, 1 to CHECKIN_MAX_DAYS
    logged_that_day: float  # when the last entry is on `day` itself: the hours it already has

    @property
    def limit(self) -> float:
        """The most hours the check-in can record: a full day for each day covered."""
        return MAX_HOURS_PER_DAY * self.days - self.logged_that_day

    @property
    def capped(self) -> bool:
        return self.days == CHECKIN_MAX_DAYS


def checkin_span(store: Store, day: date) -> CheckinSpan:
    """What a check-in on `day` covers: from the day after the last log entry on or before it
    (from the plan's start when there is none) to `day`."""
    start = store.require_current().plan.start
    last = max((entry.day for entry in store.log_entries() if entry.day <= day), default=None)
    days = (day - last).days if last is not None else (day - start).days + 1
    return CheckinSpan(day, last, start, min(max(days, 1), CHECKIN_MAX_DAYS),
                       store.hours_logged_on(day) if last == day else 0.0)


def check_checkin_hours(hours: float, span: CheckinSpan) -> float:
    """A check-in's hours: 0 or more, and no more than the time since the last entry holds."""
    if hours < 0:
        raise UsageError(f"hours must be 0 or more, not {hours:g}")
    if hours > span.limit + 1e-9:
        raise UsageError(f"{hours:g} h is more than " + _span_words(span))
    return hours


def _span_words(span: CheckinSpan) -> str:
    if span.last_entry == span.day:
        return (f"the {span.limit:g} h left of {span.day.isoformat()} ({span.logged_that_day:g} "
                f"h already logged that day)")
    if span.capped:
        return (f"a check-in's week holds ({span.limit:g} h): log the weeks before with "
                f"`prepplan log HOURS --date D`")
    since = (f"your last log entry ({span.last_entry.isoformat()})" if span.last_entry
             else f"the plan's start ({span.plan_start.isoformat()})")
    return f"the {span.limit:g} h since {since}"


def checkin_hours(text: str, span: CheckinSpan) -> float:
    """The hours a check-in records, as typed: a number, 0 or more, within `span`."""
    from .inputs import parse_hours

    return check_checkin_hours(parse_hours(text), span)


def checkin_flags(store: Store, hours: str | None, names: list[str],
                  day: date) -> tuple[Plan, float, list[TopicPlan]]:
    """The current plan and what `checkin --hours/--done` said, checked before anything is
    asked or written."""
    plan = store.require_current().plan
    return (plan, checkin_hours(hours, checkin_span(store, day)) if hours is not None else 0.0,
            resolve_topics(plan, list(names)))


def save_checkin(store: Store, hours: float, names: list[str], day: date, note: str,
                 now: datetime, today: date, ratings: dict[str, str] | None = None
                 ) -> tuple[int | None, list]:
    """A check-in's hours and topics in one transaction, all or nothing: returns the log
    entry id (None without hours) and what `mark_done` returns."""
    if hours < 0:
        raise UsageError(f"hours must be 0 or more, not {hours:g}")
    plan = store.require_current().plan
    chosen = resolve_topics(plan, names)  # a bad name refuses the whole check-in
    with store.transaction():
        entry_id = (_add_log(store, hours, day, note or "check-in", now, today, checkin=True)
                    if hours else None)
        marked = _mark(store, chosen, day, now, today, ratings) if chosen else []
    return entry_id, marked


def checkin_choice(plan: Plan, offered: list[TopicPlan], answer: str) -> list[TopicPlan]:
    """The check-in's one topics answer: ids, ranges, `phase:N`, `all` (every topic offered),
    or nothing; separated by spaces or commas."""
    words = answer.replace(",", " ").split()
    if [word.casefold() for word in words] == ["all"]:
        return list(offered)
    if "all" in (word.casefold() for word in words):
        raise UsageError("answer `all` on its own (every topic offered), or name the topics: "
                         "2.3 2.5, 2.2-2.4")
    return resolve_topics(plan, words)


def unmark(store: Store, plan: Plan, names: list[str]) -> list[tuple[TopicPlan, bool]]:
    """Mark topics not done again; returns each topic and whether it was done."""
    chosen = resolve_topics(plan, names)
    with store.transaction():
        return [(topic, store.unmark(topic.id)) for topic in chosen]


# ---------------------------------------------------------------- mocks and review

def add_rating(store: Store, plan_id: str, topic_id: str, day: date, rating: str,
               now: datetime) -> date:
    """Record one review of a topic (marking it done is the first) and store every review's
    due date again, so `status` counts the reviews due without running FSRS. Returns the
    topic's next due date. Call inside a transaction."""
    from .review import due_date

    store.add_review(plan_id, topic_id, day, rating, day, now)
    history = [(review.day, review.rating) for review in store.reviews(plan_id)
               if review.topic_id == topic_id]
    dues = [due_date(history[:count]) for count in range(1, len(history) + 1)]
    store.set_review_dues(plan_id, topic_id, dues)
    return dues[-1]


def parse_rating(text: str, flag: bool = True) -> str:
    """A rating as typed (with --rating, else at the check-in's question): again, hard, good
    or easy."""
    from .review import RatingError, parse_rating as rating_word

    try:
        return rating_word(text)
    except RatingError as error:
        raise UsageError(f"--{error}" if flag else str(error)) from None


def parse_ratings(plan: Plan, names: list[str], rating: str | None) -> dict[str, str]:
    """`done --rating R`: the one rating for every topic named (none given: each is good)."""
    if rating is None:
        return {}
    word = parse_rating(rating)
    return {topic.id: word for topic in resolve_topics(plan, names)}


def find_round(plan: Plan, name: str):
    """The loop round `name` names (its id, any case)."""
    if not plan.loop:
        raise RefusedError("this plan's curriculum describes no interview loop ([[loop]]): "
                           "there are no mock rounds to record")
    wanted = name.strip().casefold()
    for kind in plan.loop:
        if kind.id.casefold() == wanted:
            return kind
    raise UsageError(f"no round {name!r}: the rounds are "
                     + ", ".join(kind.id for kind in plan.loop))


def record_mock(store: Store, round_name: str, score: str, day: date, note: str,
                now: datetime, today: date):
    """`mock ROUND --score S`: returns the round and the result's id."""
    from .mocks import MAX_SCORE, MIN_SCORE

    current = store.require_current()
    kind = find_round(current.plan, round_name)
    if not score.strip().isdigit() or not MIN_SCORE <= int(score) <= MAX_SCORE:
        raise UsageError(f"--score must be a whole number from {MIN_SCORE} (no hire) to "
                         f"{MAX_SCORE} (strong hire), not {score!r}")
    _check_progress_day(store, day, today, "record a mock on the day it happened (today or "
                                           "earlier)")
    with store.transaction():
        return kind, store.add_mock_result(current.plan_id, kind.id, day, int(score),
                                           note.strip(), now)


def check_review_options(topic: str | None, rating: str | None, day_text: str | None) -> None:
    """Without a topic, `review` lists what is due: --rating and --date belong to a review."""
    if topic is None and (rating is not None or day_text is not None):
        raise UsageError("--rating and --date go with the topic reviewed: prepplan review 2.3 "
                         "--rating good (without a topic, review lists what is due)")


def record_review(store: Store, name: str, rating: str | None, day: date, now: datetime,
                  today: date) -> tuple[TopicPlan, str, date]:
    """`review TOPIC --rating R`: returns the topic, the rating word and its next due date."""
    current = store.require_current()
    if rating is None:
        raise UsageError("say how it went: prepplan review TOPIC --rating again|hard|good|easy")
    rating = parse_rating(rating)
    _check_progress_day(store, day, today, "record a review on the day it happened (today "
                                           "or earlier)")
    (topic,) = resolve_topics(current.plan, [name])
    done_on = store.marks().get(topic.id)
    if done_on is None:
        raise RefusedError(f"{topic.id} is not done yet: `prepplan done {topic.id} --rating "
                           f"{rating}` marks it done and rates it")
    if day < done_on:
        raise UsageError(f"{day.isoformat()} is before {topic.id} was done "
                         f"({done_on.isoformat()})")
    with store.transaction():
        return topic, rating, add_rating(store, current.plan_id, topic.id, day, rating, now)


def review_histories(store: Store, plan_id: str, marks: dict[str, date]
                     ) -> dict[str, list[tuple[date, str]]]:
    """The ratings of each topic that is done, in replay order."""
    histories: dict[str, list[tuple[date, str]]] = {}
    for review in store.reviews(plan_id):
        if review.topic_id in marks:
            histories.setdefault(review.topic_id, []).append((review.day, review.rating))
    return histories


def reviews_due(store: Store, as_of: date):
    """`prepplan review`: the done topics due by `as_of`, weakest recall first, each with its
    topic."""
    from .review import due_reviews

    current = store.require_current()
    marks = {topic_id: day for topic_id, day in store.marks().items() if day <= as_of}
    topics = {topic.id: topic for topic in current.plan.topics}
    return [(topics[due.topic_id], due) for due in
            due_reviews(review_histories(store, current.plan_id, marks), as_of)
            if due.topic_id in topics]


def mocks_overview(store: Store):
    """`prepplan mocks`: the plan's mocks and the results recorded."""
    from .mocks import planned_mocks

    current = store.require_current()
    return planned_mocks(current.plan), store.mock_results(current.plan_id)


# ---------------------------------------------------------------- status and check-in

def checkin_offer(store: Store, day: date) -> list[tuple[TopicPlan, bool]]:
    """The topics a check-in offers to tick: not done and started by the end of this week; each
    with whether it is overdue, overdue first."""
    figures, inputs = status_figures(store, day)
    plan = inputs.current.plan
    week_end = plan.schedule.week_end(max(figures.week, 1))
    offered = [(topic, topic.end < day) for topic in plan.topics
               if topic.id not in inputs.marks and topic.start <= week_end]
    return sorted(offered, key=lambda pair: not pair[1])  # overdue first, in plan order


# ---------------------------------------------------------------- CalDAV

class SyncOutcome(NamedTuple):
    calendar: str  # the calendar's name
    result: object  # sync.SyncResult


def keyring_password(url: str, user: str) -> str | None:
    """The password kept in the system keyring (when the keyring package is installed)."""
    try:
        import keyring

        return keyring.get_password("prepplan", f"{user}@{url}")
    except Exception:  # no keyring, or no usable backend: the caller asks
        return None


SYNC_SETTINGS = {"--url": "caldav_url", "--user": "caldav_user", "--calendar": "caldav_calendar"}


def sync_plan(store: Store, now: datetime, password: Callable[[str, str], str], *,
              force: bool = False, insecure: bool = False,
              new_settings: dict[str, str] | None = None,
              deadline: str | None = None) -> SyncOutcome:
    """Make the configured CalDAV calendar equal to the current plan (SPEC: CalDAV sync), all
    within one deadline (`deadline` seconds, a test hook; default 2 minutes). `password(url,
    user)` is asked only once the settings are known to be complete and the address
    acceptable. `new_settings` (from `sync_settings`) are remembered with what the sync did,
    not before; that is stored even when the sync stops early."""
    from .inputs import parse_hours
    from .ics import calendar_name, uid_suffix
    from .sync import (DEADLINE_SECONDS, Deadline, SyncError, check_url, connect,
                       find_or_create, sync_calendar)

    current = store.require_current()
    settings = {key: store.setting(key) for key in SYNC_SETTINGS.values()} | (new_settings or {})
    url, user = settings["caldav_url"], settings["caldav_user"]
    if not url or not user:
        raise RefusedError("no CalDAV calendar set up yet: run `prepplan sync --url URL "
                           "--user NAME` once")
    limit = Deadline(parse_hours(deadline, "PREPPLAN_SYNC_DEADLINE (seconds)") if deadline
                     else DEADLINE_SECONDS)
    url = check_url(url, insecure)
    name = settings["caldav_calendar"] or calendar_name(current.plan.roadmap)
    desired = calendar_objects(store, current, now)
    connection = connect(url, user, password(url, user), insecure=insecure, deadline=limit)
    calendar = find_or_create(connection.principal, name)
    suffix = uid_suffix(current.plan_id)
    try:
        result = sync_calendar(calendar, desired, lambda uid: uid.endswith(suffix),
                               store.caldav_state(current.plan_id), force=force,
                               deadline=limit)
    except SyncError as error:
        if error.state is not None:  # what was done stays recorded: the next sync goes on
            with store.transaction():
                _remember(store, new_settings, current.plan_id, error.state)
        raise
    with store.transaction():
        _remember(store, new_settings, current.plan_id, result.state)
    return SyncOutcome(name, result)


def refuse_unfinished(outcome: SyncOutcome) -> None:
    """A sync that left conflicts or failures ends in a refusal (exit 1), once reported."""
    from .words import plural

    result = outcome.result
    if result.ok:
        return
    left = [plural(len(result.conflicts), "conflict")] if result.conflicts else []
    left += [plural(len(result.failures), "refused write")] if result.failures else []
    raise RefusedError(f"the calendar {outcome.calendar!r} is not yet equal to the plan: "
                       f"{' and '.join(left) or 'the sync was cut short'} (see above)")


def _remember(store: Store, new_settings: dict[str, str] | None, plan_id: str, state) -> None:
    """The settings a sync was given and the sync state it leaves, in the caller's
    transaction."""
    for key, value in (new_settings or {}).items():
        store.set_setting(key, value)
    store.set_caldav_state(plan_id, state)


def sync_settings(url: str | None, user: str | None, calendar: str | None) -> dict[str, str]:
    """`sync`'s options, checked: what is given replaces what is saved once a sync got through."""
    from .inputs import require_value

    given = {}
    for option, value in (("--url", url), ("--user", user), ("--calendar", calendar)):
        if require_value(value, option, "a value, or leave the option out to keep the saved "
                                        "one") is not None:
            given[SYNC_SETTINGS[option]] = value.strip()
    return given
