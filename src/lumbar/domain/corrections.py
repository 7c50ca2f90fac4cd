"""Whether a correction of the records can stand (issue #15).

A person corrects their own records: a session's answers, a check-in's numbers, a date. The
rules then follow the corrected history, as they follow any history. Two things a
correction cannot do: take away the intake, which every review compares against, and take
away a danger sign the person reported, which only a clinician's clearance sets aside (a
red flag is never bypassed, and a correction is no way round one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lumbar.domain.decisions import Decision
from lumbar.domain.model import CheckIn, Event, History, ProblemReport
from lumbar.domain.plan import plan_day
from lumbar.domain.program import Program
from lumbar.domain.rules import RuleId

Content = Event | ProblemReport
"""What a record says: an event of the history, or a problem report beside it."""


@dataclass(frozen=True, slots=True)
class Record:
    """One record as the list shows it, with what became of it."""

    id: str
    kind: str
    """session, checkin, clearance or problem."""
    content: Content
    """What it says now (for a deleted record, what it said when it was deleted)."""
    by_clinician: bool
    """Recorded by a clinician with their own account (a confirmed clearance): only a
    clinician corrects it. Everything else is the person's own, corrected only by them."""
    intake: bool
    """The first check-in, where the program begins: it can be edited, not deleted."""
    corrected_on: date | None
    """The day of the latest edit that stands."""
    deleted_on: date | None
    undo: str | None
    """What `undo` would take back: "edit", "delete", or None (nothing to undo)."""

    @property
    def on(self) -> date:
        return self.content.on


def correction_refusal(
    before: History, after: History, on: date, program: Program, *, clearance: bool = False
) -> Decision | None:
    """Why the records cannot be corrected from `before` to `after` on `on` (the clock's
    today), or None when they can. `clearance`: the correction brings back a clearance
    deleted before, which sets aside the signs it names as it did (the way a sign is set
    aside, not a way round it)."""
    if not starts_with_intake(after):
        return Decision(RuleId.RECORDS_INTAKE_STAYS, {"start": after.profile.start})
    if clearance:
        return None
    lost = danger_signs(before, on, program) - danger_signs(after, on, program)
    if lost:
        return Decision(RuleId.RECORDS_DANGER_SIGNS_STAY, {"symptoms": tuple(sorted(lost))})
    return None


def starts_with_intake(history: History) -> bool:
    """The history begins with the intake: a check-in on the first day, with the pain and
    activity scores every review compares against."""
    first = history.events[0] if history.events else None
    return (
        isinstance(first, CheckIn)
        and first.on == history.profile.start
        and first.pain is not None
        and bool(first.psfs)
    )


def danger_signs(history: History, on: date, program: Program) -> frozenset[str]:
    """The signs the person reported that stand on `on`, waiting for a clinician."""
    plan = plan_day(on, history, program)
    return frozenset(
        alert.code
        for alert in plan.alerts
        if alert.level.needs_clearance and alert.rule.startswith("screening.")
    )
