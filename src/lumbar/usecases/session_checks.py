"""The checks every way of recording a session shares (`usecases/sessions.py`, the
corrections, the records): on which day a session can be recorded, and what a session
sent may hold (each exercise of the day answered or skipped once, a swap only for an
exercise answered, nothing after pain down the leg)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from lumbar.domain import pain as pain_rules
from lumbar.domain.model import DayPlan, ExerciseResult, History, Kind, Pain, SessionLog, Skip
from lumbar.domain.plan import plan_day, session_refusal
from lumbar.domain.program import Program
from lumbar.domain.session import LoggedSession
from lumbar.errors import UserError
from lumbar.usecases.camera_records import checked_camera, planned_version
from lumbar.usecases.comments import check_comment
from lumbar.usecases.person import Person, ahead_of_today, check_written_on, with_event
from lumbar.usecases.skips import SkipEntry, check_skips, check_version

Entries = list[tuple[str, Pain]]
"""The exercises done, in order, each with the pain after it."""
Versions = Mapping[str, str]
"""Exercise id -> the alternative done instead, this session only (a swap)."""
Comments = Mapping[str, str]
"""Exercise id -> the person's comment on it (issue #20), given with its pain answer."""
Cameras = Mapping[str, object]
"""Exercise id -> the camera's summary of it (issue #21), as its JSON's data."""


def refusal(person: Person, plan: DayPlan) -> str | None:
    """Why no session can be recorded on the plan's day, or None when one can."""
    ahead = ahead_of_today(person, plan.on)
    if ahead is not None:
        return f"date: {ahead}"
    refused = session_refusal(plan)
    if refused is None:
        return None
    reason = person.content.say(refused)
    if plan.kind is Kind.BLOCKED:
        return f"no session can be recorded while the program is paused. {reason}"
    if plan.completed:
        return f"today's session is already recorded. {reason}"
    return f"no session is planned on {plan.on.isoformat()}. {reason}"


def session_day(person: Person, history: History, program: Program, on: date) -> DayPlan:
    """The plan of a day a session can be recorded on, or UserError with the reason."""
    check_written_on(person, history, on)
    later = [e.on for e in history.events if isinstance(e, SessionLog) and e.on > on]
    if later:
        raise UserError(
            f"sessions are recorded in order, and one is already recorded "
            f"on {later[-1].isoformat()}",
            field="date",
        )
    plan = plan_day(on, history, program)
    refused = refusal(person, plan)
    if refused is not None:
        raise UserError(refused)
    return plan


def check_entries(
    person: Person,
    plan: DayPlan,
    entries: Entries,
    *,
    where: str = "exercises",
    skipped: tuple[Skip, ...] = (),
) -> tuple[ExerciseResult, ...]:
    """The entries as results, or UserError: each exercise planned on the day, once, not
    also skipped, and nothing after pain down the leg; at least one answer or skip."""
    planned = [e.exercise_id for e in plan.exercises]
    name = person.content.wording.exercise_names
    seen: set[str] = set()
    results: list[ExerciseResult] = []
    for exercise_id, pain in entries:
        if exercise_id not in planned:
            raise UserError(
                f"{exercise_id} is not in the plan for {plan.on.isoformat()} "
                f"(phase {plan.phase}: {', '.join(planned)})",
                field=where,
            )
        if exercise_id in seen:
            raise UserError(f"{exercise_id} is given twice", field=where)
        if any(s.exercise_id == exercise_id for s in skipped):
            raise UserError(
                f"{exercise_id} is skipped, so it has no pain answer: give one or the other",
                field=where,
            )
        if results and results[-1].pain is Pain.RADIATING:
            stopped = results[-1].exercise_id
            raise UserError(
                f"pain down the leg during {name[stopped]} ends the session, "
                f"so nothing can come after it ({exercise_id})",
                field=where,
            )
        seen.add(exercise_id)
        results.append(ExerciseResult(exercise_id, pain))
    skipped_ids = [s.exercise_id for s in skipped]
    for exercise_id in skipped_ids:
        if exercise_id not in planned:
            raise UserError(
                f"{exercise_id} is skipped but is not in the plan for {plan.on.isoformat()}",
                field=where,
            )
    if len(set(skipped_ids)) != len(skipped_ids):
        raise UserError("an exercise is skipped twice", field=where)
    if not results and not skipped:
        raise UserError("give at least one exercise with the pain after it", field=where)
    return tuple(results)


def checked_session(
    person: Person,
    plan: DayPlan,
    entries: Entries,
    skipped: Sequence[SkipEntry],
    versions: Versions,
    comments: Comments | None = None,
    cameras: Cameras | None = None,
) -> SessionLog:
    """The session as sent, checked: every skip and swap of an exercise of the day, and
    every comment and camera summary on an exercise answered (usecases/comments.py,
    usecases/camera_records.py)."""
    skips = check_skips(person, plan, skipped)
    results = check_entries(person, plan, entries, skipped=skips)
    name = person.content.wording.exercise_names
    for exercise_id in versions:
        if exercise_id not in {r.exercise_id for r in results}:
            raise UserError(
                f"{exercise_id} is swapped but has no pain answer; a swap is an exercise done "
                "in another version, answered like any other",
                field="swap",
            )
    comments = comments or {}
    for exercise_id in comments:
        if exercise_id not in {r.exercise_id for r in results}:
            raise UserError(
                f"{exercise_id} has a comment but no pain answer; a comment goes with the "
                "answer on an exercise done",
                field="comment",
            )
    cameras = cameras or {}
    for exercise_id in cameras:
        if exercise_id not in {r.exercise_id for r in results}:
            raise UserError(
                f"{exercise_id} has a camera summary but no pain answer; the camera's summary "
                "goes with the answer on an exercise done",
                field="camera",
            )
    done = []
    for r in results:
        swap = check_version(person, plan, r.exercise_id, versions.get(r.exercise_id), field="swap")
        camera = checked_camera(
            cameras.get(r.exercise_id),
            r.exercise_id,
            name[r.exercise_id],
            swap or planned_version(plan, r.exercise_id),
        )
        done.append(
            ExerciseResult(
                r.exercise_id, r.pain, swap, check_comment(comments.get(r.exercise_id)), camera
            )
        )
    return SessionLog(plan.on, tuple(done), skips)


def logged(history: History, program: Program, session: SessionLog) -> LoggedSession:
    after = plan_day(session.on, with_event(history, session), program)
    responses = tuple(pain_rules.respond(r.exercise_id, r.pain) for r in session.results)
    return LoggedSession(responses, after)


def recorded(
    history: History, program: Program, on: date
) -> tuple[SessionLog, LoggedSession] | None:
    """The session recorded on `on` and what it meant, as the history stands now."""
    found = [e for e in history.events if isinstance(e, SessionLog) and e.on == on]
    if not found:
        return None
    session = found[-1]
    responses = tuple(pain_rules.respond(r.exercise_id, r.pain) for r in session.results)
    return session, LoggedSession(responses, plan_day(on, history, program))
