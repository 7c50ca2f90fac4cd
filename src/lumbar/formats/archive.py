"""The export document: all of a person's data as one versioned JSON object, and back.

Only what the person recorded is in it (the engine's conclusions are derived again on
import), so an export is small, stable, and carries no clock: the same data always exports
to the same bytes. It holds the records as they read now, corrected (issue #15): an edited
record says what it says now and the day of its latest edit (`corrected_on`), and a
deleted one is still there, with the day it was deleted (`deleted_on`).

This module writes documents; their shape and version are in formats/archive_docs.py, and
reading one back (`from_document`) in formats/archive_import.py.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from lumbar.domain.corrections import Record
from lumbar.domain.model import (
    WEEKDAY_NAMES,
    CheckIn,
    Clearance,
    Event,
    ExerciseResult,
    History,
    ProblemReport,
    SessionLog,
    Skip,
    TrainingDays,
)
from lumbar.domain.reminders import Reminders
from lumbar.domain.scores import Score
from lumbar.formats.archive_docs import (
    FORMAT,
    VERSION,
    CheckinDoc,
    ClearanceDoc,
    Imported,
    Marks,
    ProblemDoc,
    SessionDoc,
    camera_of,
)
from lumbar.formats.archive_import import CHOOSE_EXPORT, from_document

__all__ = [
    "CHOOSE_EXPORT",
    "FORMAT",
    "VERSION",
    "Imported",
    "Marks",
    "dumps",
    "event_document",
    "from_document",
    "problem_document",
    "record_from_document",
    "to_document",
]


def _days_document(days: TrainingDays) -> list[str] | str:
    return days.label if days.every_other_day else days.label.split(",")


def to_document(
    history: History,
    *,
    problems: list[ProblemReport] | tuple[ProblemReport, ...] = (),
    reminders: Reminders | None = None,
    exported_at: str | None = None,
    records: Sequence[Record] | None = None,
    scores: Sequence[Score] = (),
) -> dict[str, Any]:
    """The export of `history`, its problem reports, reminders and outcome scores (a
    clinician's, issue #20: the key is left out when there are none). With `records` (every
    record, deleted ones included, as `usecases.recorded.records` lists them, read with
    `history`), the events and the problem reports are the records', each marked with what
    became of it; `problems` is then not given."""
    profile = history.profile
    days = profile.training_days
    document: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    if exported_at is not None:
        document["exported_at"] = exported_at
    document["profile"] = {
        "start": profile.start.isoformat(),
        "age": profile.age,
        "pain_weeks": profile.pain_weeks,
        "days": _days_document(days),
        "psfs_activities": list(profile.psfs_activities),
    }
    if profile.alternatives:
        document["profile"]["alternatives"] = dict(profile.alternatives)
    document["profile"]["unit"] = profile.unit.value
    document["profile"]["equipment"] = {
        "weights": [
            {"kind": w.kind.value, "amount": w.amount, "unit": w.unit.value}
            for w in profile.equipment.weights
        ],
        "band": profile.equipment.band,
    }
    if profile.earlier_days:
        document["profile"]["earlier_days"] = [
            {"until": until.isoformat(), "days": _days_document(chosen)}
            for until, chosen in profile.earlier_days
        ]
    if records is None:
        document["events"] = [event_document(event) for event in history.events]
        document["problems"] = [problem_document(r) for r in problems]
    else:
        document["events"], document["problems"] = _marked_documents(history, records, problems)
    if reminders is not None:
        document["reminders"] = {
            "session_time": reminders.session_time.strftime("%H:%M"),
            "work_days": [WEEKDAY_NAMES[d] for d in sorted(reminders.work_days)],
            "work_start": reminders.work_start.strftime("%H:%M"),
            "work_end": reminders.work_end.strftime("%H:%M"),
            "break_minutes": reminders.break_minutes,
        }
    if scores:
        document["scores"] = [score_document(score) for score in scores]
    return document


def score_document(score: Score) -> dict[str, Any]:
    found: dict[str, Any] = {
        "date": score.on.isoformat(),
        "measure": score.measure,
        "total": score.total,
    }
    if score.subscale is not None:
        found["subscale"] = score.subscale
    return found


def _marked_documents(
    history: History,
    records: Sequence[Record],
    problems: list[ProblemReport] | tuple[ProblemReport, ...],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The events and the problem reports of the records, in their order, each marked."""
    if problems:
        raise ValueError("give the problem reports as records, not both")
    live = [r.content for r in records if r.kind != "problem" and r.deleted_on is None]
    if live != list(history.events):
        raise ValueError("the records are not those of the history (read them together)")
    events, reports = [], []
    for record in records:
        content = record.content
        if isinstance(content, ProblemReport):
            reports.append(_with_marks(problem_document(content), record))
        else:
            events.append(_with_marks(event_document(content), record))
    return events, reports


def _with_marks(document: dict[str, Any], record: Record) -> dict[str, Any]:
    """A record's document, with what became of it (nothing added when nothing did)."""
    if record.corrected_on is not None:
        document["corrected_on"] = record.corrected_on.isoformat()
    if record.deleted_on is not None:
        document["deleted_on"] = record.deleted_on.isoformat()
    return document


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _result_document(result: ExerciseResult) -> dict[str, Any]:
    done: dict[str, Any] = {"id": result.exercise_id, "pain": result.pain.value}
    if result.version is not None:
        done["version"] = result.version
    if result.comment is not None:
        done["comment"] = result.comment
    if result.camera is not None:
        done["camera"] = result.camera.as_data()
    return done


def _skip_document(skip: Skip) -> dict[str, Any]:
    skipped: dict[str, Any] = {"id": skip.exercise_id, "reason": skip.reason.value}
    if skip.note:
        skipped["note"] = skip.note
    return skipped


def event_document(event: Event) -> dict[str, Any]:
    if isinstance(event, SessionLog):
        return {
            "type": "session",
            "date": event.on.isoformat(),
            "exercises": [_result_document(r) for r in event.results],
            **({"skipped": [_skip_document(k) for k in event.skipped]} if event.skipped else {}),
        }
    if isinstance(event, Clearance):
        return {
            "type": "clearance",
            "date": event.on.isoformat(),
            "alerts": sorted(event.codes),
            "by": event.by,
            "confirmed": event.confirmed,
        }
    return {
        "type": "checkin",
        "date": event.on.isoformat(),
        "pain": event.pain,
        "psfs": None if event.psfs is None else list(event.psfs),
        "symptoms": sorted(event.symptoms),
        "screened": event.screened,
        "follow_up": event.follow_up,
    }


def problem_document(report: ProblemReport) -> dict[str, Any]:
    return {"date": report.on.isoformat(), "kind": report.kind.value, "note": report.note}


def record_from_document(document: Mapping[str, Any]) -> Event | ProblemReport:
    """A record back from its document (`event_document`, `problem_document`), as kept
    beside a correction: it was checked when it was written."""
    kind = document.get("type")
    if kind is None:
        problem = ProblemDoc.model_validate(document)
        return ProblemReport(problem.date, problem.kind, problem.note)
    if kind == "session":
        session = SessionDoc.model_validate(document)
        return SessionLog(
            session.date,
            tuple(
                ExerciseResult(e.id, e.pain, e.version, e.comment, camera_of(e.camera))
                for e in session.exercises
            ),
            tuple(Skip(k.id, k.reason, k.note) for k in session.skipped),
        )
    if kind == "clearance":
        clearance = ClearanceDoc.model_validate(document)
        return Clearance(clearance.date, tuple(clearance.alerts), clearance.by, clearance.confirmed)
    checkin = CheckinDoc.model_validate(document)
    psfs = None if checkin.psfs is None else tuple(checkin.psfs)
    return CheckIn(
        checkin.date,
        checkin.pain,
        psfs,
        tuple(checkin.symptoms),
        checkin.screened,
        checkin.follow_up,
    )
