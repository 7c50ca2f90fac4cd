"""The command line's own arguments: dates, pain ratings, scores and ID=PAIN entries.

Every command parses some of these, so this module imports nothing heavy. Each problem
becomes a one-line `UserError` that names the option.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from lumbar.domain.model import Pain
from lumbar.domain.schedule import FIRST_DAY, LAST_DAY
from lumbar.errors import UserError

PAIN_WORDS = tuple(pain.value for pain in Pain)


def parse_date(text: str | None, today: date) -> date:
    if text is None:
        return today
    try:
        day = date.fromisoformat(text)
    except ValueError as error:
        raise UserError(f"--date: {text!r} is not a date; use YYYY-MM-DD") from error
    if not FIRST_DAY <= day <= LAST_DAY:
        raise UserError(
            f"--date: {text} is outside the calendar lumbar plans for "
            f"({FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()})"
        )
    return day


def parse_pain_score(value: int | None, option: str = "--pain") -> int | None:
    if value is not None and not 0 <= value <= 10:
        raise UserError(f"{option}: pain is rated from 0 to 10 (got {value})")
    return value


def parse_scores(text: str | None, option: str = "--psfs") -> tuple[int, ...] | None:
    """'4,6,5' -> (4, 6, 5); each score 0 to 10."""
    if text is None:
        return None
    scores = []
    for part in text.split(","):
        part = part.strip()
        if not part.isdigit() or not 0 <= int(part) <= 10:
            raise UserError(f"{option}: each score is a whole number from 0 to 10 (got {part!r})")
        scores.append(int(part))
    return tuple(scores)


def parse_exercise_entries(
    entries: list[str], known: Mapping[str, object], *, skipping: bool = False
) -> list[tuple[str, Pain]]:
    """`["bird-dog=none", "side-plank=ache"]` -> [(id, Pain)], in the order given (none at
    all only when every exercise is skipped)."""
    if not entries and not skipping:
        raise UserError("--exercise: give at least one, as ID=PAIN (for example cat-cow=none)")
    parsed = []
    for entry in entries:
        exercise_id, sep, word = entry.partition("=")
        exercise_id, word = exercise_id.strip(), word.strip().lower()
        if not sep or not exercise_id or not word:
            raise UserError(f"--exercise: {entry!r} is not ID=PAIN (for example cat-cow=none)")
        if exercise_id not in known:
            raise UserError(
                f"--exercise: unknown exercise {exercise_id!r}; `lumbar exercises` lists them"
            )
        if word not in PAIN_WORDS:
            raise UserError(
                f"--exercise: {word!r} is not a pain answer; use one of {', '.join(PAIN_WORDS)}"
            )
        parsed.append((exercise_id, Pain(word)))
    return parsed


def _pair(entry: str, option: str, shape: str, known: Mapping[str, object]) -> tuple[str, str]:
    exercise_id, sep, value = entry.partition("=")
    exercise_id, value = exercise_id.strip(), value.strip()
    if not sep or not exercise_id or not value:
        raise UserError(f"{option}: {entry!r} is not {shape}")
    if exercise_id not in known:
        raise UserError(
            f"{option}: unknown exercise {exercise_id!r}; `lumbar exercises` lists them"
        )
    return exercise_id, value


def parse_skips(entries: list[str], known: Mapping[str, object]) -> list[tuple[str, str, str]]:
    """`["squat=no_equipment", "lunge-with-twist=other:knee sore"]` -> [(id, reason, note)];
    the use case checks the reasons and notes (usecases/skips.py)."""
    shape = "ID=REASON (for example squat=no_equipment, or squat=other:a few words)"
    skips = []
    for entry in entries:
        exercise_id, value = _pair(entry, "--skip", shape, known)
        reason, _, note = value.partition(":")
        skips.append((exercise_id, reason, note))
    return skips


def parse_swaps(entries: list[str], known: Mapping[str, object]) -> dict[str, str]:
    """`["squat=chair"]` -> {id: alternative}; the use case checks the alternative."""
    shape = "ID=ALTERNATIVE (for example squat=chair)"
    swaps: dict[str, str] = {}
    for entry in entries:
        exercise_id, value = _pair(entry, "--swap", shape, known)
        if exercise_id in swaps:
            raise UserError(f"--swap: {exercise_id} is swapped twice")
        swaps[exercise_id] = value
    return swaps
