"""Questions asked in a terminal: the check-in's answers, each checked as it is typed and asked
again when it does not parse. The CLI decides whether there is a terminal to ask in."""

from __future__ import annotations

from datetime import date

import typer

from .errors import PrepplanError


def ask_checkin(store, plan, day: date, amount: float, chosen: list, ask_hours: bool,
                 ask_topics: bool):
    """Hours (asked until valid), one topics answer, each one's rating, one confirmation;
    (None, [], {}): declined."""
    from .app import checkin_choice, checkin_hours, checkin_offer, parse_rating
    from .text import (RATING_QUESTION, TOPICS_QUESTION, checkin_offer_lines, checkin_summary,
                       hours_question)

    if ask_hours:
        amount = ask(hours_question(store.log_entries()), "0", checkin_hours)
    offer = checkin_offer(store, day) if ask_topics else []
    if offer:
        typer.echo("\n".join(checkin_offer_lines(offer)))
        offered = [topic for topic, _ in offer]
        chosen = ask(TOPICS_QUESTION, "", lambda answer: checkin_choice(plan, offered, answer))
    ratings = {topic.id: ask(RATING_QUESTION.format(topic.id), "good", parse_rating)
               for topic in chosen}
    if not amount and not chosen:
        return amount, chosen, ratings
    typer.echo("\n".join(checkin_summary(amount, chosen, day, ratings)))
    return (amount, chosen, ratings) if typer.confirm("Save?", default=True) else (None, [], {})


def ask(question: str, default: str, parse):
    """Prompt until `parse` accepts the answer; a bad answer says why and asks again."""
    while True:
        answer = typer.prompt(question, default=default, show_default=bool(default))
        try:
            return parse(answer)
        except PrepplanError as error:
            typer.echo(f"  {error.message.splitlines()[0]} — try again")
