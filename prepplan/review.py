"""Pure: spaced review of done topics with FSRS (SPEC.md, "Mocks and review", Review).

A topic's review history is its ratings in date order — the first one given when it was marked
done — as (date, "again" | "hard" | "good" | "easy") pairs. FSRS replays them, in whole days:
the scheduler has no learning or relearning steps (so even a first "again" is due a day later,
a first "good" two), every review happens at noon UTC of its date, and fuzzing is off, so the
same history always gives the same due date.

Nothing here reads the clock, the environment or files: fsrs's Card() would read the clock for
its id and due time unless both are given, and they are. `import fsrs` costs about 10 ms
(dataclasses, json, typing_extensions), so it is imported inside the functions that need it,
never when this module is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from fsrs import Card, Scheduler

RATINGS = ("again", "hard", "good", "easy")  # fsrs.Rating 1-4, in that order
DEFAULT_RATING = "good"
REVIEW_TIME = time(12, 0, tzinfo=timezone.utc)  # every review at noon UTC: whole days apart

ReviewHistory = Sequence[tuple[date, str]]


class RatingError(ValueError):
    """A rating that is not one of RATINGS."""


class DueReview(NamedTuple):
    topic_id: str
    due: date
    retrievability: float  # FSRS's predicted chance of recall as of the day asked, 0-1


def parse_rating(text: str) -> str:
    """The rating word `text` names (any case, surrounding spaces ignored)."""
    word = text.strip().lower()
    if word not in RATINGS:
        raise RatingError(f"rating must be one of {', '.join(RATINGS)}, not {text!r}")
    return word


@lru_cache(maxsize=1)
def scheduler() -> Scheduler:
    """FSRS-6 with its default parameters and desired retention (90% recall when due), in whole days: no
    learning or relearning steps, and no fuzzing (it draws from the global random state)."""
    from fsrs import Scheduler

    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def review_moment(day: date) -> datetime:
    """The instant a review on `day` counts as made (and a day's retrievability is read)."""
    return datetime.combine(day, REVIEW_TIME)


def card_for(history: ReviewHistory) -> Card:
    """The FSRS card after replaying `history` (reviews on one day keep their given order)."""
    from fsrs import Card, Rating

    if not history:
        raise ValueError("a topic with no review has no card")
    reviews = sorted(history, key=lambda review: review[0])
    # A fixed id and due time: Card() would otherwise read the clock (and sleep 1 ms).
    card = Card(card_id=1, due=review_moment(reviews[0][0]))
    for day, rating in reviews:
        grade = Rating(RATINGS.index(parse_rating(rating)) + 1)
        card, _ = scheduler().review_card(card, grade, review_moment(day))
    return card


def due_date(history: ReviewHistory) -> date:
    """The day the topic's next review is due."""
    return card_for(history).due.date()


def retrievability(history: ReviewHistory, as_of: date) -> float:
    """FSRS's chance of recalling the topic on `as_of`, from whole days since its last review
    on or before `as_of` (0 with none)."""
    history = reviews_until(history, as_of)
    return _retrievability(card_for(history), as_of) if history else 0.0


def _retrievability(card: Card, as_of: date) -> float:
    return scheduler().get_card_retrievability(card, review_moment(as_of))


def reviews_until(history: ReviewHistory, as_of: date) -> list[tuple[date, str]]:
    """The reviews made by the end of `as_of` (like log entries and done marks, later ones do
    not count yet)."""
    return [review for review in history if review[0] <= as_of]


def due_reviews(histories: Mapping[str, ReviewHistory], as_of: date) -> list[DueReview]:
    """The topics due for review on or before `as_of`, weakest recall first (then the longest
    overdue, then by id, so the order is total). Only reviews made by `as_of` count; a topic
    with none is not listed."""
    due: list[DueReview] = []
    for topic_id, history in histories.items():
        history = reviews_until(history, as_of)
        if not history:
            continue
        card = card_for(history)
        if card.due.date() <= as_of:
            due.append(DueReview(topic_id, card.due.date(), _retrievability(card, as_of)))
    due.sort(key=lambda review: (review.retrievability, review.due, review.topic_id))
    return due



def projected_reviews(histories: Mapping[str, ReviewHistory], days: Sequence[date]
                      ) -> dict[date, list[DueReview]]:
    """The reviews due on each of `days`, weakest recall first, if each one listed is made
    that day and rated "good": what the final block's sessions are titled with."""
    from fsrs import Rating

    cards = {topic_id: card_for(history) for topic_id, history in histories.items() if history}
    projected: dict[date, list[DueReview]] = {}
    for day in sorted(days):
        due = [DueReview(topic_id, card.due.date(), _retrievability(card, day))
               for topic_id, card in cards.items() if card.due.date() <= day]
        due.sort(key=lambda review: (review.retrievability, review.due, review.topic_id))
        projected[day] = due
        for review in due:
            cards[review.topic_id], _ = scheduler().review_card(
                cards[review.topic_id], Rating.Good, review_moment(day))
    return projected


def count_due(stored: Sequence[tuple[str, date, date]], as_of: date) -> int:
    """How many topics are due by `as_of`, from each review's stored due date ((topic id,
    review date, due after it) in replay order): a topic is due when its last review made by
    `as_of` left it due by then — what `due_reviews` finds, without running FSRS."""
    latest: dict[str, date] = {}
    for topic_id, day, due in stored:
        if day <= as_of:
            latest[topic_id] = due
    return sum(1 for due in latest.values() if due <= as_of)
