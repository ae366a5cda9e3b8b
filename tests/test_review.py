"""Spaced review with FSRS (SPEC.md, "Mocks and review", Review): whole days, no fuzzing."""

from __future__ import annotations

import random
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

import fsrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from prepplan.review import (
    RATINGS,
    DueReview,
    RatingError,
    card_for,
    due_date,
    due_reviews,
    parse_rating,
    retrievability,
)

DAY = date(2026, 12, 10)
dates = st.dates(min_value=date(1971, 1, 1), max_value=date(2199, 1, 1))


def test_first_good_matches_fsrs_itself():
    scheduler = fsrs.Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    noon = datetime(2026, 12, 10, 12, tzinfo=timezone.utc)
    card, _ = scheduler.review_card(fsrs.Card(card_id=1, due=noon), fsrs.Rating.Good, noon)
    assert due_date([(DAY, "good")]) == card.due.date()
    # FSRS-6 defaults: a first "good" has stability w[2] = 2.3065 days, and at the default
    # desired retention 0.9 the interval is the stability rounded: 2 days.
    assert due_date([(DAY, "good")]) == date(2026, 12, 12)


@pytest.mark.parametrize("rating, due", [
    ("again", date(2026, 12, 11)),  # stability 0.212: the one-day minimum
    ("hard", date(2026, 12, 11)),   # 1.2931 -> 1
    ("good", date(2026, 12, 12)),   # 2.3065 -> 2
    ("easy", date(2026, 12, 18)),   # 8.2956 -> 8
])
def test_first_rating_due_dates(rating, due):
    assert due_date([(DAY, rating)]) == due


@given(day=dates)
def test_a_first_good_is_due_two_or_more_days_later(day):
    assert due_date([(day, "good")]) >= day + timedelta(days=2)


@given(day=dates)
def test_again_sooner_and_easy_later_than_good(day):
    good = due_date([(day, "good")])
    assert due_date([(day, "again")]) < good
    assert due_date([(day, "hard")]) <= good
    assert due_date([(day, "easy")]) > good


def test_reviews_replay_in_date_order():
    history = [(DAY, "good"), (date(2026, 12, 12), "good"), (date(2026, 12, 23), "hard")]
    assert card_for(list(reversed(history))) == card_for(history)
    assert due_date(history[:2]) == date(2026, 12, 23)  # recalled on time: 11 days
    assert due_date([(DAY, "good"), (date(2026, 12, 12), "again")]) == date(2026, 12, 13)


def test_deterministic_whatever_the_global_random_state():
    # Long intervals are where fuzzing would draw from `random`; it is off.
    history = [(DAY, "easy"), (date(2026, 12, 18), "easy"), (date(2027, 3, 1), "good")]
    dues = set()
    for seed in range(5):
        random.seed(seed)
        dues.add(due_date(history))
    assert len(dues) == 1


def test_no_clock_is_read(monkeypatch):
    class NoClock(datetime):
        @classmethod
        def now(cls, tz=None):
            raise AssertionError("the clock was read")

    monkeypatch.setattr("fsrs.card.datetime", NoClock)
    monkeypatch.setattr("fsrs.scheduler.datetime", NoClock)
    monkeypatch.setattr("fsrs.card.time.sleep", lambda seconds: pytest.fail("slept"))
    history = [(DAY, "good"), (date(2026, 12, 12), "good")]
    assert due_reviews({"1.1": history}, date(2027, 1, 1))[0].due == date(2026, 12, 23)


def test_retrievability_falls_from_one_with_the_days():
    history = [(DAY, "good")]
    assert retrievability(history, DAY) == 1.0
    figures = [retrievability(history, DAY + timedelta(days=n)) for n in range(1, 30)]
    assert figures == sorted(figures, reverse=True)
    assert 0.89 < retrievability(history, date(2026, 12, 12)) < 0.92  # due: about 0.9


def test_due_list_holds_the_due_topics_weakest_first():
    histories = {
        "1.1": [(DAY, "good")],                                   # due 12 Dec
        "1.2": [(DAY, "again")],                                  # due 11 Dec
        "1.3": [(DAY, "easy")],                                   # due 18 Dec: not yet
        "2.1": [(date(2026, 12, 1), "good")],                     # due 3 Dec, long overdue
        "2.2": [],                                                # never reviewed: no card
    }
    as_of = date(2026, 12, 12)
    due = due_reviews(histories, as_of)
    assert [review.topic_id for review in due] == ["1.2", "2.1", "1.1"]
    assert [review.due for review in due] == [date(2026, 12, 11), date(2026, 12, 3),
                                              date(2026, 12, 12)]
    assert due[0] == DueReview("1.2", date(2026, 12, 11),
                               retrievability(histories["1.2"], as_of))
    strengths = [review.retrievability for review in due]
    assert strengths == sorted(strengths)
    assert due_reviews(histories, as_of) == due
    assert [review.topic_id for review in due_reviews(histories, DAY)] == ["2.1"]
    assert due_reviews(histories, date(2026, 12, 2)) == []


def test_only_reviews_made_by_as_of_count():
    history = [(date(2026, 12, 1), "good"), (date(2026, 12, 5), "good")]  # first due 3 Dec
    assert [review.due for review in due_reviews({"1.1": history}, date(2026, 12, 4))] == [
        date(2026, 12, 3)]
    assert due_reviews({"1.1": history}, date(2026, 12, 5)) == []  # reviewed that day
    assert due_reviews({"1.1": history}, date(2026, 11, 30)) == []  # not yet done
    assert retrievability(history, date(2026, 12, 5)) == 1.0
    assert retrievability(history, date(2026, 11, 30)) == 0.0


def test_a_topic_without_reviews_has_no_card():
    with pytest.raises(ValueError):
        card_for([])


@pytest.mark.parametrize("text, word", [("good", "good"), (" Easy ", "easy"),
                                        ("AGAIN", "again"), ("hard", "hard")])
def test_parse_rating(text, word):
    assert parse_rating(text) == word


@pytest.mark.parametrize("text", ["", "ok", "3", "goodish"])
def test_parse_rating_refuses_other_words(text):
    with pytest.raises(RatingError) as refused:
        parse_rating(text)
    assert isinstance(refused.value, ValueError)
    assert "again, hard, good, easy" in str(refused.value)


def test_bad_rating_in_a_history_is_refused():
    with pytest.raises(RatingError):
        due_date([(DAY, "great")])


def test_ratings_are_fsrs_grades_in_order():
    assert [fsrs.Rating(n + 1).name.lower() for n in range(4)] == list(RATINGS)


def test_importing_the_module_does_not_import_fsrs():
    code = "import sys, prepplan.review; print('fsrs' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"


# ---------------------------------------------------------------- the commands

def fsrs_due(history: list[tuple[date, "fsrs.Rating"]]) -> date:
    """What the fsrs package itself schedules for these reviews at noon UTC, whole days."""
    scheduler = fsrs.Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    first = datetime.combine(history[0][0], datetime.min.time(), tzinfo=timezone.utc)
    card = fsrs.Card(card_id=1, due=first.replace(hour=12))
    for day, grade in history:
        moment = datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc)
        card, _ = scheduler.review_card(card, grade, moment)
    return card.due.date()


def test_done_with_a_rating_gives_the_due_date_fsrs_computes(planned, run_json):
    result = planned("done", "1.1", "--date", "2026-03-10", "--rating", "good")
    assert result.exit_code == 0, result.output
    assert fsrs_due([(date(2026, 3, 10), fsrs.Rating.Good)]) == date(2026, 3, 12)
    assert run_json("review", "--as-of", "2026-03-11") == []
    (due,) = run_json("review", "--as-of", "2026-03-12")
    assert (due["id"], due["due"]) == ("1.1", "2026-03-12")
    assert due["title"] == "File I/O, process management, signal handling in code"
    assert 0.85 < due["retrievability"] < 0.95  # two days on a 2.3-day stability


def test_a_review_rated_again_brings_the_next_one_sooner(planned):
    assert planned("done", "1.1", "--date", "2026-03-10").exit_code == 0  # default: good
    result = planned("review", "1.1", "--rating", "again", "--date", "2026-03-12")
    assert (result.exit_code, result.stdout) == (
        0, "Reviewed 1.1 File I/O, process management, signal handling in code on "
           "2026-03-12; next review due 2026-03-13\n")
    good = [(date(2026, 3, 10), fsrs.Rating.Good), (date(2026, 3, 12), fsrs.Rating.Good)]
    again = [(date(2026, 3, 10), fsrs.Rating.Good), (date(2026, 3, 12), fsrs.Rating.Again)]
    assert fsrs_due(again) == date(2026, 3, 13) < fsrs_due(good) == date(2026, 3, 23)


def test_a_recorded_review_in_json(planned, run_json):
    """1.1 done 03-10 rated good (due 03-12); reviewed `again` on 03-12: due 03-13, as
    FSRS computes (the test above)."""
    assert planned("done", "1.1", "--date", "2026-03-10").exit_code == 0
    assert run_json("review", "1.1", "--rating", "Again", "--date", "2026-03-12") == {
        "id": "1.1", "title": "File I/O, process management, signal handling in code",
        "rating": "again", "date": "2026-03-12", "due": "2026-03-13"}


def test_review_as_of_lists_exactly_the_topics_due_and_status_counts_them(planned, run_json):
    run = planned
    assert run("done", "1.1", "--date", "2026-03-10", "--rating", "good").exit_code == 0
    assert run("done", "1.2", "--date", "2026-03-10", "--rating", "easy").exit_code == 0
    assert run("done", "1.3", "--date", "2026-03-11", "--rating", "hard").exit_code == 0
    # due: 1.1 on 03-12 (good: 2 days), 1.3 on 03-12 (hard: 1 day), 1.2 on 03-18 (easy: 8)
    # weakest recall first: the most days past per day of stability (1.1: 2.31 days, 1.3:
    # 1.29, 1.2: 8.30); on 03-12 1.1 is 2/2.31 = 0.87 of its way, 1.3 1/1.29 = 0.77
    expected = {"2026-03-11": [], "2026-03-12": ["1.1", "1.3"],
                "2026-03-17": ["1.3", "1.1"],  # 6/1.29 = 4.6 against 7/2.31 = 3.0
                "2026-03-18": ["1.3", "1.1", "1.2"]}  # 1.2: 8/8.30 = 0.96
    for as_of, ids in expected.items():
        assert [due["id"] for due in run_json("review", "--as-of", as_of)] == ids, as_of
        assert run_json("status", "--as-of", as_of)["reviews_due"] == len(ids), as_of
    # a review made on 03-12 of 1.1 takes it off the list until its next due date
    assert run("review", "1.1", "--rating", "good", "--date", "2026-03-12").exit_code == 0
    assert [due["id"] for due in run_json("review", "--as-of", "2026-03-12")] == ["1.3"]
    assert run_json("status", "--as-of", "2026-03-12")["reviews_due"] == 1
    # ... but not as of a day before it was made
    assert run_json("status", "--as-of", "2026-03-11")["reviews_due"] == 0
    text = run("review", "--as-of", "2026-03-12").stdout
    assert text.splitlines()[0] == "Reviews due on Thu 2026-03-12, weakest recall first"
    assert "Reviews: 1 due — `prepplan review` lists them" in run(
        "status", "--as-of", "2026-03-12").stdout


def test_an_undone_topic_is_not_due(planned, run_json):
    assert planned("done", "1.1", "--date", "2026-03-10").exit_code == 0
    assert planned("undone", "1.1").exit_code == 0
    assert run_json("review", "--as-of", "2026-03-20") == []
    assert run_json("status", "--as-of", "2026-03-20")["reviews_due"] == 0


@pytest.mark.parametrize("args, code, message", [
    (["1.1", "--rating", "meh"], 2, "--rating must be one of again, hard, good, easy, not 'meh'"),
    (["1.1"], 2, "say how it went: prepplan review TOPIC --rating again|hard|good|easy"),
    (["1.2", "--rating", "good", "--date", "2026-03-12"], 1,
     "1.2 is not done yet: `prepplan done 1.2 --rating good` marks it done and rates it"),
    (["1.1", "--rating", "good", "--date", "2026-03-09"], 2,
     "2026-03-09 is before 1.1 was done (2026-03-10)"),
    (["1.1", "--rating", "good", "--date", "2099-03-09"], 2,
     "2099-03-09 is in the future: record a review on the day it happened (today or earlier)"),
    (["--rating", "good"], 2, "--rating and --date go with the topic reviewed: prepplan "
                              "review 2.3 --rating good (without a topic, review lists what is "
                              "due)"),
    (["--date", "2026-03-12"], 2, "--rating and --date go with the topic reviewed: prepplan "
                                  "review 2.3 --rating good (without a topic, review lists "
                                  "what is due)"),
])
def test_review_bad_inputs(planned, run_json, args, code, message):
    assert planned("done", "1.1", "--date", "2026-03-10").exit_code == 0
    result = planned("review", *args)
    assert (result.exit_code, result.stderr) == (code, f"prepplan: {message}\n")
    assert [due["due"] for due in run_json("review", "--as-of", "2026-03-30")] == ["2026-03-12"]


def test_done_with_a_bad_rating_marks_nothing(planned, run_json):
    result = planned("done", "1.1", "--date", "2026-03-10", "--rating", "great")
    assert (result.exit_code, result.stderr) == (
        2, "prepplan: --rating must be one of again, hard, good, easy, not 'great'\n")
    assert run_json("status", "--as-of", "2026-03-10")["done_topics"] == 0
