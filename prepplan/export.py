"""The plan with progress as Markdown (a checklist) and CSV (one row per topic)."""

from __future__ import annotations

from datetime import date

from .model import Plan
from .text import _weeks, fmt_hours, fmt_span, hours_words


def plan_markdown(plan: Plan, done: dict[str, date]) -> str:
    lines = [f"# {plan.roadmap}", ""]
    if plan.description:
        lines += [plan.description, ""]
    lines += [f"- Start: {plan.start.isoformat()}", f"- Target: {plan.target.isoformat()}",
              f"- {plan.weeks} weeks at {hours_words(plan.schedule, with_days=False)}, "
              f"{fmt_hours(plan.total_hours)} h of topics", ""]
    for phase in plan.phases:
        lines.append(f"## Phase {phase.number}: {phase.title}")
        lines.append("")
        weeks = _weeks(phase.first_week, phase.last_week)
        lines.append(f"*{phase.tagline}* — {phase.level}, weeks {weeks} "
                     f"({fmt_span(phase.start, phase.end)}), "
                     f"{fmt_hours(phase.hours)} h")
        lines.append("")
        for topic in phase.topics:
            mark = "x" if topic.id in done else " "
            when = f", done {done[topic.id].isoformat()}" if topic.id in done else ""
            lines.append(f"- [{mark}] {topic.id} {topic.title} "
                         f"({fmt_span(topic.start, topic.end)}, {fmt_hours(topic.hours)} h{when})")
        if phase.tools:
            lines += ["", "Key tools: " + ", ".join(phase.tools)]
        lines.append("")
    if plan.buffer:
        buffer = plan.buffer
        lines += [f"## {buffer.title}", "",
                  f"Weeks {_weeks(buffer.first_week, buffer.last_week)} "
                  f"({fmt_span(buffer.start, buffer.end)})", ""]
        if buffer.description:
            lines += [buffer.description, ""]
    return "\n".join(lines)


CSV_COLUMNS = ["phase", "phase_title", "topic_id", "title", "start", "end", "hours", "done_on"]


def plan_csv(plan: Plan, done: dict[str, date]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for phase in plan.phases:
        for topic in phase.topics:
            writer.writerow([phase.number, phase.title, topic.id, topic.title,
                             topic.start.isoformat(), topic.end.isoformat(),
                             f"{topic.hours:.2f}",
                             done[topic.id].isoformat() if topic.id in done else ""])
    return buffer.getvalue()
