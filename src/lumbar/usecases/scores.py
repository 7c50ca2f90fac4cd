"""A clinician enters the totals of the outcome measures their clinic administers under its
own licence (STarT Back, ODI, RMDQ, MSK-HQ: issue #20); lumbar keeps the totals, never the
questionnaires. A score out of range, of an unknown measure or dated ahead is refused with
nothing written."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.engine import Connection

from lumbar.content.scores import measures
from lumbar.domain.scores import (
    Measure,
    Score,
    ScoreRefused,
    Summary,
    check_score,
    start_back_risk,
    summarise,
)
from lumbar.errors import UserError
from lumbar.store.scores import add_scores, scores
from lumbar.usecases.person import Person, ahead_of_today

EARLIEST_DAYS = 365
"""A score may be from before the program (the first visit), up to a year before it: a day
further back is more likely a mistyped year, and would stretch the chart."""

NOT_STARTED = (
    "this patient has not started the program yet: scores can be entered once they have "
    "answered the first questions"
)


def _whole(text: str, field: str, what: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise UserError(f"give the {what} as a whole number", field=field) from None


def entered(measure: str, on: str, total: str, subscale: str = "") -> Score:
    """A score as typed in a form, checked against its measure; UserError names the field
    at fault."""
    found = measures().get(measure)
    if found is None:
        names = ", ".join(m.name for m in measures().values())
        raise UserError(f"choose one of the measures: {names}", field="measure")
    try:
        day = date.fromisoformat(on.strip())
    except ValueError:
        raise UserError("give the day the patient answered, as a date", field="on") from None
    whole = _whole(total, "total", f"{found.name} total")
    sub = None
    if subscale.strip() or found.subscale is not None:
        label = "subscale" if found.subscale is None else found.subscale.name
        sub = _whole(subscale, "subscale", label)
    score = Score(day, found.id, whole, sub)
    checked(score)
    return score


def checked(score: Score) -> Measure:
    """The score's measure, when the score fits it; UserError otherwise (an import's
    scores are checked by this too)."""
    found = measures().get(score.measure)
    if found is None:
        raise UserError(f"{score.measure!r} is not a measure lumbar knows", field="measure")
    try:
        check_score(found, score.total, score.subscale)
    except ScoreRefused as refusal:
        field = "subscale" if "subscale" in str(refusal) else "total"
        raise UserError(str(refusal), field=field) from None
    return found


def record(person: Person, score: Score, now: datetime) -> None:
    """Keep a checked score (`entered`) for the person; not for a day after today."""
    ahead = ahead_of_today(person, score.on)
    if ahead is not None:
        raise UserError(ahead, field="on")
    with person.store.transaction() as tx:
        history = tx.history(person.id)
        if history is None:
            raise UserError(NOT_STARTED)
        start = history.profile.start
        if score.on < start - timedelta(days=EARLIEST_DAYS):
            raise UserError(
                f"{score.on.isoformat()} is more than a year before the program started "
                f"({start.isoformat()}): give the day the patient answered",
                field="on",
            )
        add_scores(tx.connection, person.id, [score], now.replace(tzinfo=None))


def kept(person: Person) -> list[Score]:
    """The person's scores, by day."""
    with person.store.reading() as connection:
        return scores(connection, person.id)


def summaries(person: Person) -> list[Summary]:
    """The measures with a score for the person, each with its change and risk group."""
    return summarise(kept(person), measures())


def documented(connection: Connection, person: Person) -> list[tuple[Score, Measure, str | None]]:
    """The person's scores for a document (the FHIR bundle, the summary): each with its
    measure and, for STarT Back, its risk group in words. Read in the document's own
    transaction, so that it agrees with the history."""
    found = []
    known = measures()
    for score in scores(connection, person.id):
        measure = known.get(score.measure)
        if measure is None:  # a measure since taken out of the content: not shown
            continue
        risk = None
        if measure.subscale is not None and score.subscale is not None:
            risk = person.content.say(start_back_risk(score.total, score.subscale))
        found.append((score, measure, risk))
    return found
