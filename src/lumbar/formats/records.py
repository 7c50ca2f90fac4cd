"""A record as the record list shows it (issue #15): one line of words for a person, and
the JSON of `lumbar records --json` and the API (the export's document of the record, with
its id and what became of it)."""

from __future__ import annotations

from typing import Any

from lumbar.content.load import Content
from lumbar.content.wording import format_date, skip_said
from lumbar.domain.corrections import Record
from lumbar.domain.model import CheckIn, Clearance, Pain, ProblemReport, SessionLog
from lumbar.formats.archive import event_document, problem_document

KIND_NAMES = {
    "session": "Session",
    "checkin": "Check-in",
    "clearance": "Clearance",
    "problem": "Problem report",
}
PAIN_WORDS = {
    Pain.NONE: "no pain",
    Pain.ACHE: "an ache",
    Pain.SHARP: "sharp pain",
    Pain.RADIATING: "pain down the leg",
}
PROBLEM_WORDS = {
    "pain_after_session": "more pain after a session",
    "fall": "a fall",
    "other": "something else",
}


def record_json(record: Record) -> dict[str, Any]:
    content = record.content
    body = (
        problem_document(content) if isinstance(content, ProblemReport) else event_document(content)
    )
    body.pop("type", None)
    return {
        "id": record.id,
        "type": record.kind,
        **body,
        "intake": record.intake,
        "by_clinician": record.by_clinician,
        "corrected_on": None if record.corrected_on is None else record.corrected_on.isoformat(),
        "deleted_on": None if record.deleted_on is None else record.deleted_on.isoformat(),
        "undo": record.undo,
    }


def describe(record: Record, content: Content) -> str:
    """What the record says, in a few words: "7 exercises, sharp pain in the glute bridge"."""
    made = record.content
    if isinstance(made, SessionLog):
        said = _session(made, content)
        others = [*swaps_said(made, content), *skips_said(made, content)]
        return "; ".join([said, *others]) if said else "; ".join(others)
    if isinstance(made, Clearance):
        labels = [_alert(code, content) for code in made.codes]
        mark = "" if made.confirmed else " (your word)"
        return f"{made.by} cleared {', '.join(labels)}{mark}"
    if isinstance(made, ProblemReport):
        said = PROBLEM_WORDS[made.kind.value]
        return f"{said}: {made.note}" if made.note else said
    return _checkin(made, record.intake, content)


def _session(made: SessionLog, content: Content) -> str:
    if not made.results:
        return "every exercise skipped"
    names = content.wording.exercise_names
    bad = [r for r in made.results if r.pain.is_bad]
    count = len(made.results)
    done = f"{count} exercise{'s' if count != 1 else ''}"
    if not bad:
        ached = any(r.pain is Pain.ACHE for r in made.results)
        return f"{done}, {'an ache at most' if ached else 'no pain'}"
    hurt = "; ".join(f"{PAIN_WORDS[r.pain]} in {names[r.exercise_id]}" for r in bad)
    return f"{done}, {hurt}"


def skips_said(made: SessionLog, content: Content) -> list[str]:
    """'Squat skipped: no equipment', one for each exercise skipped (issue #17)."""
    names = content.wording.exercise_names
    return [f"{names[k.exercise_id]} {skip_said(k.reason.value, k.note)}" for k in made.skipped]


def swaps_said(made: SessionLog, content: Content) -> list[str]:
    """'Cat-cow done as Cat-cow in a chair', one for each exercise swapped for the day."""
    said = []
    for r in made.results:
        if r.version is None:
            continue
        exercise = content.catalogue[r.exercise_id]
        version = exercise.alternative(r.version)
        shown = version.name if version is not None else r.version
        said.append(f"{exercise.name} done as {shown} instead")
    return said


def _checkin(made: CheckIn, intake: bool, content: Content) -> str:
    parts = []
    if intake:
        parts.append("intake")
    if made.pain is not None:
        parts.append(f"pain {made.pain}/10")
    if made.psfs is not None:
        parts.append("activities " + ", ".join(str(score) for score in made.psfs))
    if made.symptoms:
        parts.append("reported " + ", ".join(_alert(c, content) for c in made.symptoms))
    elif made.screened:
        parts.append("safety questions: none applies")
    return "; ".join(parts)


def _alert(code: str, content: Content) -> str:
    return content.wording.symptom_labels.get(code, code.replace("_", " "))


def status_words(record: Record) -> str:
    """What became of the record: corrected, deleted, recorded by the clinician."""
    words = []
    if record.by_clinician:
        words.append("recorded by your clinician")
    if record.corrected_on is not None:
        words.append(f"corrected on {format_date(record.corrected_on)}")
    if record.deleted_on is not None:
        words.append(f"deleted on {format_date(record.deleted_on)}")
    return "; ".join(words)
