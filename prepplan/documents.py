"""JSON documents: the shapes of SPEC.md ("JSON shapes"), built from the model and the figures."""

from __future__ import annotations

import json
from datetime import date

from .mocks import planned_mocks
from .model import WEEKDAY_NAMES, Plan


def rounded(value: float) -> float:
    return round(value + 0.0, 2)


def dumps(document) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)


def plan_document(plan: Plan, done: dict[str, date], ics_path: str | None,
                  version: int, note: str | None = None) -> dict:
    """The `generate --json` / `show --json` / `export --format json` shape of SPEC.md; `note`:
    what `replan` says about the new version (a target past the roadmap's window)."""
    document = {
        "roadmap": plan.roadmap,
        "start": plan.start.isoformat(),
        "target": plan.target.isoformat(),
        "weeks": plan.weeks,
        "hours_per_week": plan.hours_per_week,
        "reference_hours_per_week": plan.reference_hours_per_week,
        "total_hours": rounded(plan.total_hours),
        "regime": plan.regime,
        "stretch": round(plan.stretch, 4),
        "outside_range": [{"number": outside.number, "hours": rounded(outside.hours),
                           "min": rounded(outside.min_hours), "max": rounded(outside.max_hours)}
                          for outside in plan.outside_range],
        "study_days": [WEEKDAY_NAMES[day] for day in plan.schedule.study_weekdays] or None,
        "skip": [[first.isoformat(), last.isoformat()] for first, last in plan.skip_ranges],
        "phases": [{
            "number": phase.number,
            "id": phase.id,
            "title": phase.title,
            "level": phase.level,
            "first_week": phase.first_week,
            "last_week": phase.last_week,
            "weeks": phase.weeks,
            "start": phase.start.isoformat(),
            "end": phase.end.isoformat(),
            "hours": rounded(phase.hours),
            "topics": [{
                "id": topic.id,
                "title": topic.title,
                "start": topic.start.isoformat(),
                "end": topic.end.isoformat(),
                "hours": rounded(topic.hours),
                "done": topic.id in done,
                "done_on": done[topic.id].isoformat() if topic.id in done else None,
            } for topic in phase.topics],
        } for phase in plan.phases],
        "buffer": None if plan.buffer is None else {
            "title": plan.buffer.title,
            "first_week": plan.buffer.first_week,
            "last_week": plan.buffer.last_week,
            "weeks": plan.buffer.weeks,
            "start": plan.buffer.start.isoformat(),
            "end": plan.buffer.end.isoformat(),
        },
        "mocks": [mock_document(mock) for mock in planned_mocks(plan)],
        "version": version,
        "ics": ics_path,
    }
    return {**document, "note": note} if note else document


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def mock_document(mock) -> dict:
    """A planned mock: `round` is null for a full loop, whose `rounds` name every round."""
    return {"round": mock.round.id if mock.round else None, "date": mock.day.isoformat(),
            "kind": mock.kind, "rounds": [kind.id for kind in mock.rounds],
            "minutes": mock.minutes}


def mocks_document(planned, results) -> dict:
    """`prepplan mocks --json`."""
    return {"planned": [mock_document(mock) for mock in planned],
            "done": [{"id": r.id, "round": r.round, "date": r.day.isoformat(),
                      "score": r.score, "note": r.note} for r in results]}


def reviews_document(due) -> list[dict]:
    """`prepplan review --json`: the topics due, weakest recall first."""
    return [{"id": topic.id, "title": topic.title, "due": review.due.isoformat(),
             "retrievability": round(review.retrievability, 4)} for topic, review in due]


def review_document(topic, rating: str, day: date, due: date) -> dict:
    """`prepplan review TOPIC --rating R --json`: the review recorded and the next due date."""
    return {"id": topic.id, "title": topic.title, "rating": rating,
            "date": day.isoformat(), "due": due.isoformat()}


def status_document(status) -> dict:
    """The `status --json` shape of SPEC.md (plus a few documented extras: earned_schedule,
    tolerance_days, hours_behind, buffer_covers, earliest_target)."""
    forecast = None
    if status.forecast is not None:
        forecast = status.forecast.as_json()
        forecast["hours_per_week"] = rounded(forecast["hours_per_week"])
    return {
        "as_of": status.as_of.isoformat(),
        "state": status.state,
        "week": status.week,
        "weeks": status.weeks,
        "phase": None if status.phase is None else {"number": status.phase.number,
                                                    "title": status.phase.title},
        "this_week_topics": [topic.id for topic in status.this_week_topics],
        "overdue_topics": [topic.id for topic in status.overdue_topics],
        "planned_hours": rounded(status.planned_hours),
        "logged_hours": rounded(status.logged_hours),
        "planned_topics": status.planned_topics,
        "done_topics": status.done_topics,
        "total_topics": status.total_topics,
        "earned_hours": rounded(status.earned_hours),
        "earned_schedule": status.earned_schedule.isoformat(),
        "days_ahead": status.days_ahead,
        "tolerance_days": status.tolerance_days,
        "verdict": status.verdict,
        "finished_on": _iso(status.finished_on),
        "projected_finish": _iso(status.projected_finish),
        "forecast": forecast,
        "target": status.target.isoformat(),
        "hours_per_week_needed": (rounded(status.hours_per_week_needed)
                                  if status.hours_per_week_needed is not None else None),
        "reachable": status.reachable,
        "earliest_target": _iso(status.earliest_target),
        "hours_behind": rounded(status.hours_behind),
        "buffer_covers": status.buffer_covers,
        "next_checkin": _iso(status.next_checkin),
        "reviews_due": status.reviews_due,
        "mocks": [{"round": entry.round.id, "last_score": entry.last_score,
                   "last_date": _iso(entry.last_date), "next": _iso(entry.next)}
                  for entry in status.mocks],
    }


def saved_document(saved) -> dict:
    """`generate --json`, `replan --json`: the plan as stored, with its name and version."""
    return {**plan_document(saved.plan, saved.marks, str(saved.ics_path), saved.version,
                            saved.note),
            "plan": saved.name, "unplaced_marks": unplaced_document(saved.unplaced)}


def show_document(shown) -> dict:
    """`show --json`, `export --format json`: one stored version (app.ShownVersion), with the
    marks no version's topic holds any more."""
    stored = shown.stored
    return {**plan_document(stored.plan, shown.marks, stored.ics_path, stored.version),
            "plan": shown.name, "unplaced_marks": unplaced_document(shown.unplaced)}


def unplaced_document(unplaced) -> list[dict]:
    return [{"id": mark.topic_id, "title": mark.title, "done_on": mark.done_on.isoformat(),
             "version": mark.version} for mark in unplaced]


def plans_document(plans) -> list[dict]:
    """The `plans --json` shape of SPEC.md."""
    return [{"name": plan.name, "roadmap": plan.roadmap, "start": plan.start.isoformat(),
             "target": plan.target.isoformat(), "done_topics": plan.done_topics,
             "total_topics": plan.total_topics, "current": plan.current} for plan in plans]


def log_document(entries) -> list[dict]:
    return [{"id": entry.id, "date": entry.day.isoformat(), "hours": entry.hours,
             "note": entry.note} for entry in entries]


def history_document(versions) -> list[dict]:
    return [{"version": v.version, "created_at": v.created_at.isoformat(), "reason": v.reason,
             "start": v.plan.start.isoformat(), "target": v.plan.target.isoformat(),
             "hours_per_week": v.plan.hours_per_week, "weeks": v.plan.weeks}
            for v in versions]
