"""Skips and swaps (issue #17), checked before anything is written.

A skip is an exercise of the day not done, with one of four reasons; a swap is an exercise
done in one of its alternatives (on a chair, standing) for this session only. Every shell
(the web player, the API, `lumbar log`, `lumbar session`) sends the person's words here,
and gets back a value or a `UserError` that says what to send instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from lumbar.content.wording import SKIP_WORDS
from lumbar.domain.model import SKIP_NOTE_MAX, DayPlan, Skip, SkipReason
from lumbar.errors import UserError, refuse_hidden_characters
from lumbar.usecases.person import Person

SkipEntry = tuple[str, str, str]
"""(exercise id, reason as sent, note as sent): a skip before it is checked."""

REASONS = tuple(reason.value for reason in SkipReason)


def reasons_text() -> str:
    """The reasons a skip accepts, as an error message lists them."""
    return ", ".join(f"{value} ({SKIP_WORDS[value]})" for value in REASONS)


def parse_reason(word: str, *, field: str = "reason") -> SkipReason:
    """A reason as sent ("no_equipment", "no-equipment", "No equipment") or UserError."""
    cleaned = word.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return SkipReason(cleaned)
    except ValueError:
        raise UserError(
            f"{word!r} is not a reason to skip an exercise; use one of {reasons_text()}",
            field=field,
        ) from None


def check_note(reason: SkipReason, note: str, *, field: str = "note") -> str:
    """The note kept with a skip: a few words for "other" (required), nothing otherwise."""
    cleaned = " ".join(note.split())
    if reason is not SkipReason.OTHER:
        if cleaned:
            raise UserError(
                f"a note goes with the reason other only (this skip's reason is "
                f"{SKIP_WORDS[reason.value]})",
                field=field,
            )
        return ""
    if not cleaned:
        raise UserError("say in a few words why the exercise was skipped", field=field)
    if len(cleaned) > SKIP_NOTE_MAX:
        raise UserError(
            f"keep the note to {SKIP_NOTE_MAX} characters (it has {len(cleaned)})", field=field
        )
    refuse_hidden_characters(cleaned, field=field)
    return cleaned


def check_skip(
    person: Person, plan: DayPlan, exercise_id: str, reason: str, note: str, *, field: str
) -> Skip:
    """One skip of an exercise planned on the day, or UserError."""
    planned = [e.exercise_id for e in plan.exercises]
    if exercise_id not in planned:
        raise UserError(
            f"{exercise_id} is not in the plan for {plan.on.isoformat()} "
            f"(phase {plan.phase}: {', '.join(planned)})",
            field=field,
        )
    checked = parse_reason(reason, field=field)
    return Skip(exercise_id, checked, check_note(checked, note, field=field))


def check_skips(
    person: Person, plan: DayPlan, entries: Sequence[SkipEntry], *, field: str = "skip"
) -> tuple[Skip, ...]:
    """Several skips, each exercise at most once."""
    skips: list[Skip] = []
    for exercise_id, reason, note in entries:
        if any(s.exercise_id == exercise_id for s in skips):
            raise UserError(f"{exercise_id} is skipped twice", field=field)
        skips.append(check_skip(person, plan, exercise_id, reason, note, field=field))
    return tuple(skips)


def check_version(
    person: Person, plan: DayPlan, exercise_id: str, version: str | None, *, field: str = "version"
) -> str | None:
    """The alternative done instead of a planned exercise, for this session only; None when
    none was named, or it is the version the plan teaches already (chosen in Settings: that
    is the exercise itself, no swap)."""
    if version is None or not version.strip():
        return None
    wanted = version.strip().lower()
    exercise = person.content.catalogue.get(exercise_id)
    planned = next((p for p in plan.exercises if p.exercise_id == exercise_id), None)
    if exercise is None or planned is None:
        return None  # the answer's own check names the exercise
    if planned.version == wanted:
        return None
    if exercise.alternative(wanted) is None:
        names = ", ".join(a.id for a in exercise.alternatives)
        offer = f"; choose one of {names}" if names else " to swap it for"
        raise UserError(
            f"{exercise.name} has no alternative {version!r}{offer}",
            field=field,
        )
    return wanted
