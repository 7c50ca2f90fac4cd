"""The command line's own arguments: dates, pain ratings, scores, ID=PAIN entries, and the
ids of the content (exercises, topics, symptom codes) as people type them.

Every command parses some of these, so this module imports nothing heavy. Each problem
becomes a one-line `UserError` that names the option. The interactive questions read their
answers with the same functions (a ValueError there is asked again), so a word `log` takes
is a word the session's question takes.
"""

from __future__ import annotations

import difflib
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


def pain_word(text: str) -> Pain:
    """A pain answer in words, in any case: none, ache, sharp or radiating. ValueError (the
    reason) otherwise."""
    word = text.strip().lower()
    if word not in PAIN_WORDS:
        raise ValueError(f"{word!r} is not a pain answer; use one of {', '.join(PAIN_WORDS)}")
    return Pain(word)


def _key(text: str) -> str:
    """How an id or a name compares: case, hyphens, underscores and spaces aside."""
    return " ".join(text.lower().replace("-", " ").replace("_", " ").split())


def known_id(text: str, names: Mapping[str, str], what: str) -> str:
    """The id `text` means: the id itself, in any case, with spaces for its hyphens or
    underscores, or the name shown for it ("Bird-dog"), when only one matches. ValueError
    otherwise, with the nearest id ("did you mean"), as Click does for commands."""
    if text in names:
        return text
    found: dict[str, set[str]] = {}
    for known, name in names.items():
        found.setdefault(_key(known), set()).add(known)
        found.setdefault(_key(name), set()).add(known)
    matches = found.get(_key(text), set())
    if len(matches) == 1:
        return matches.pop()
    close = difflib.get_close_matches(_key(text), list(found), n=1, cutoff=0.6)
    guess = f" (did you mean {sorted(found[close[0]])[0]}?)" if close else ""
    raise ValueError(f"unknown {what} {text.strip()!r}{guess}")


def exercise_id(text: str, known: Mapping[str, object], option: str = "EXERCISE") -> str:
    """An exercise of `known` (the catalogue), as `known_id` reads it."""
    names = {key: str(getattr(value, "name", key)) for key, value in known.items()}
    try:
        return known_id(text, names, "exercise")
    except ValueError as error:
        raise UserError(f"{option}: {error}; `lumbar exercises` lists them") from None


def topic_id(text: str, known: Mapping[str, object]) -> str:
    names = {key: str(getattr(value, "title", key)) for key, value in known.items()}
    try:
        return known_id(text, names, "topic")
    except ValueError as error:
        raise UserError(f"TOPIC: {error}; `lumbar learn` lists them") from None


def symptom_codes(codes: list[str] | None, known: Mapping[str, object]) -> tuple[str, ...]:
    """Screening codes, as `known_id` reads them (night-pain, Night pain: night_pain)."""
    names = {code: code for code in known}
    try:
        return tuple(known_id(code, names, "symptom code") for code in codes or ())
    except ValueError as error:
        raise UserError(f"--symptom: {error}; `lumbar checkin --help` lists the codes") from None


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
        given, sep, word = entry.partition("=")
        given, word = given.strip(), word.strip()
        if not sep or not given or not word:
            raise UserError(f"--exercise: {entry!r} is not ID=PAIN (for example cat-cow=none)")
        found = exercise_id(given, known, "--exercise")
        try:
            pain = pain_word(word)
        except ValueError as error:
            raise UserError(f"--exercise: {error}") from None
        parsed.append((found, pain))
    return parsed


def _pair(entry: str, option: str, shape: str, known: Mapping[str, object]) -> tuple[str, str]:
    given, sep, value = entry.partition("=")
    given, value = given.strip(), value.strip()
    if not sep or not given or not value:
        raise UserError(f"{option}: {entry!r} is not {shape}")
    return exercise_id(given, known, option), value


def parse_skips(entries: list[str], known: Mapping[str, object]) -> list[tuple[str, str, str]]:
    """`["squat=no_equipment", "lunge-with-twist=other:knee sore"]` -> [(id, reason, note)];
    the use case checks the reasons and notes (usecases/skips.py)."""
    shape = "ID=REASON (for example squat=no_equipment, or squat=other:a few words)"
    skips = []
    for entry in entries:
        found, value = _pair(entry, "--skip", shape, known)
        reason, _, note = value.partition(":")
        skips.append((found, reason, note))
    return skips


def parse_swaps(entries: list[str], known: Mapping[str, object]) -> dict[str, str]:
    """`["squat=chair"]` -> {id: alternative}; the use case checks the alternative."""
    shape = "ID=ALTERNATIVE (for example squat=chair)"
    swaps: dict[str, str] = {}
    for entry in entries:
        found, value = _pair(entry, "--swap", shape, known)
        if found in swaps:
            raise UserError(f"--swap: {found} is swapped twice")
        swaps[found] = value
    return swaps


def parse_comments(entries: list[str], known: Mapping[str, object]) -> dict[str, str]:
    """`["squat=tight on the left"]` -> {id: comment}; the use case checks each comment
    (usecases/comments.py: its length and characters) and that its exercise was answered."""
    shape = "ID=WORDS (for example squat=tight on the left)"
    comments: dict[str, str] = {}
    for entry in entries:
        found, value = _pair(entry, "--comment", shape, known)
        if found in comments:
            raise UserError(f"--comment: {found} has two comments; give one")
        comments[found] = value
    return comments
