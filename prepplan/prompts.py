"""Questions asked in a terminal: the check-in's answers, each checked as it is typed and asked
again when it does not parse. The CLI decides whether there is a terminal to ask in."""

from __future__ import annotations

import functools
from datetime import date

import typer

from .errors import Interrupted, PrepplanError, RefusedError

PASSWORD_ENV = "PREPPLAN_CALDAV_PASSWORD"


def ask_checkin(store, plan, day: date, amount: float, chosen: list, ask_hours: bool,
                 ask_topics: bool):
    """The check-in's answers; Ctrl-C or the end of input at any prompt saves nothing."""
    try:
        return _checkin_answers(store, plan, day, amount, chosen, ask_hours, ask_topics)
    except typer.Abort:
        typer.echo()  # end the prompt's line before the message
        raise Interrupted("check-in interrupted: nothing was saved") from None


def _checkin_answers(store, plan, day: date, amount: float, chosen: list, ask_hours: bool,
                     ask_topics: bool):
    """Hours (asked until valid), one topics answer, each one's rating, one confirmation;
    (None, [], {}): declined."""
    from .app import checkin_choice, checkin_hours, checkin_offer, checkin_span, parse_rating
    from .text import (RATING_QUESTION, TOPICS_QUESTION, checkin_offer_lines, checkin_summary,
                       hours_question)

    if ask_hours:
        span = checkin_span(store, day)  # what the hours may cover: since the last entry
        amount = ask(hours_question(span), "0", functools.partial(checkin_hours, span=span))
    offer = checkin_offer(store, day) if ask_topics else []
    if offer:
        typer.echo("\n".join(checkin_offer_lines(offer)))
        offered = [topic for topic, _ in offer]
        chosen = ask(TOPICS_QUESTION, "", lambda answer: checkin_choice(plan, offered, answer))
    ratings = {topic.id: ask(RATING_QUESTION.format(topic.id), "good",
                             lambda answer: parse_rating(answer, flag=False))
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


def caldav_password(from_environment: str | None, url: str, user: str, can_ask: bool) -> str:
    """The CalDAV password: PREPPLAN_CALDAV_PASSWORD (its value handed in), the system keyring,
    or a hidden prompt when there is a terminal. prepplan never writes it anywhere."""
    from .app import keyring_password

    password = from_environment or keyring_password(url, user)
    if password:
        return password
    if can_ask:
        return typer.prompt(f"CalDAV password for {user}", hide_input=True)
    raise RefusedError(f"no CalDAV password: set {PASSWORD_ENV} (prepplan never stores it)")


def offer_sync(store, sync: bool | None, can_ask: bool, run_sync) -> None:
    """After generate, replan or checkin: `run_sync()` when asked (--sync), offered when a
    CalDAV calendar is set up and there is a terminal to ask in. A failed sync keeps the local
    change and says so."""
    if not store.setting("caldav_url"):
        if sync:
            raise RefusedError("your plan is saved, but no CalDAV calendar is set up yet: run "
                               "`prepplan sync --url URL --user NAME` once")
        return
    if sync is None:
        if not can_ask:
            return typer.echo("Your CalDAV calendar is not updated yet: run `prepplan sync`.")
        sync = typer.confirm("Update your CalDAV calendar now?", default=True)
    if sync:
        try:
            run_sync()
        except PrepplanError as error:
            error.message += " — your plan is saved; run `prepplan sync` to retry"
            raise

