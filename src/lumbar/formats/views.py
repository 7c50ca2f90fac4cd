"""The JSON shapes of plans, status, exercises and topics: one stable schema for every shell.

`lumbar ... --json` prints these, and docs/cli.md documents every key (a test holds the two
together). Dates are ISO strings; missing values are null, never 0.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from lumbar.content.load import Content, Topic
from lumbar.content.wording import load_text
from lumbar.domain.decisions import Decision, Fact
from lumbar.domain.exercise import Version
from lumbar.domain.loads import Equipment, Unit
from lumbar.domain.model import (
    WEEKDAY_NAMES,
    Alert,
    DayPlan,
    Dose,
    Exercise,
    Improvement,
    Milestone,
    PhaseChange,
    PlannedExercise,
    ProblemReport,
    Status,
)
from lumbar.domain.program import Phase, Program, load_range_lb, tenths_of_kg
from lumbar.domain.reminders import Reminders
from lumbar.domain.timeline import estimated_minutes, estimated_seconds, session_seconds

if TYPE_CHECKING:
    from lumbar.domain.progress import Progress
    from lumbar.domain.session import Answered, LoggedSession


def plan_json(plan: DayPlan, content: Content) -> dict[str, Any]:
    return {
        "date": plan.on.isoformat(),
        "kind": plan.kind.value,
        "phase": plan.phase,
        "phase_name": content.program.phase(plan.phase).name,
        "completed": plan.completed,
        "exercises": [planned_json(e, content) for e in plan.exercises],
        "daily": list(plan.daily),
        "alerts": [alert_json(a, content) for a in plan.alerts],
        "why": [why(d, content) for d in plan.decisions],
        "decisions": [decision_json(d) for d in plan.decisions],
        "next_session": _iso(plan.next_session),
        "estimated_minutes": estimated_minutes(session_seconds(plan, content.catalogue))
        if plan.exercises
        else None,
    }


def logged_json(logged: LoggedSession, content: Content) -> dict[str, Any]:
    return {
        "date": logged.plan.on.isoformat(),
        "responses": [response_json(d, content) for d in logged.responses],
        "plan": plan_json(logged.plan, content),
    }


def response_json(decision: Decision, content: Content) -> dict[str, Any]:
    """What a pain answer means (a `pain.*` rule), or a skip (`dosage.skipped`), and its
    message."""
    return {
        "exercise": decision.facts["exercise"],
        "rule": decision.rule,
        "message": content.say(decision),
    }


def answered_json(answered: Answered, content: Content) -> dict[str, Any]:
    progress = answered.progress
    following = progress.next
    return {
        "response": response_json(answered.response, content),
        "answers": [
            {
                "id": r.exercise_id,
                "pain": r.pain.value,
                **({"version": r.version} if r.version else {}),
                **({"comment": r.comment} if r.comment else {}),
                **({"camera": r.camera.as_data()} if r.camera else {}),
            }
            for r in progress.answers
        ],
        "skipped": [
            {"id": k.exercise_id, "reason": k.reason.value, "note": k.note}
            for k in progress.skipped
        ],
        "next": None if following is None else planned_json(following, content),
        "finished": None if answered.finished is None else logged_json(answered.finished, content),
    }


def progress_json(progress: Progress, content: Content) -> dict[str, Any]:
    return {
        "status": status_json(progress.status, content),
        "pain": [{"date": s.on.isoformat(), "value": s.value} for s in progress.pain],
        "pain_target": progress.pain_target,
        "psfs": [{"date": s.on.isoformat(), "value": s.value} for s in progress.psfs],
        "calendar": [{"date": d.on.isoformat(), "day": d.day.value} for d in progress.calendar],
    }


def taught(exercise: Exercise, version: str | None) -> Exercise | Version:
    """What to teach: the version (a variant or the chosen alternative), else the exercise.
    Both have a name, steps and equipment."""
    return exercise.version(version) or exercise


def taught_cautions(exercise: Exercise, version: str | None) -> tuple[str, ...]:
    """Who should take care, and how: an alternative's own cautions, else the exercise's."""
    alternative = exercise.alternative(version)
    return exercise.cautions if alternative is None else alternative.cautions


def taught_name(exercise: Exercise, version: str | None) -> str:
    """The name to show: a variant's own ("Side plank on the knees"), an alternative's with
    the exercise it stands for ("Sit to stand, instead of the squat")."""
    alternative = exercise.alternative(version)
    if alternative is not None:
        return f"{alternative.name} (instead of {exercise.name.lower()})"
    return taught(exercise, version).name


def planned_json(planned: PlannedExercise, content: Content) -> dict[str, Any]:
    exercise = content.catalogue[planned.exercise_id]
    dose = planned.dose
    return {
        "id": planned.exercise_id,
        "name": exercise.name,
        "version": planned.version,
        "taught_as": taught_name(exercise, planned.version),
        "warm_up": planned.warm_up,
        "sets": dose.sets,
        "reps": dose.reps,
        "hold_seconds": dose.hold_seconds,
        "rest_seconds": dose.rest_seconds,
        "per_side": exercise.per_side,
        "range": planned.range.value,
        "load_lb": dose.load_lb,
        "household": None if dose.household is None else dose.household.id,
        "step": planned.step + 1,
        "estimated_seconds": estimated_seconds(exercise, dose),
        "why": [why(d, content) for d in planned.decisions],
    }


def alert_json(alert: Alert, content: Content) -> dict[str, Any]:
    return {
        "level": alert.level.value,
        "code": alert.code,
        "message": content.say(alert.decision),
        "rule": alert.rule,
        "since": alert.since.isoformat(),
    }


def status_json(status: Status, content: Content) -> dict[str, Any]:
    return {
        "date": status.on.isoformat(),
        "phase": status.phase,
        "phase_name": content.program.phase(status.phase).name,
        "phase_started": status.phase_started.isoformat(),
        "day_in_phase": status.day_in_phase,
        "sessions_in_phase": status.sessions_in_phase,
        "sessions_this_week": status.sessions_this_week,
        "next_session": _iso(status.next_session),
        "today": status.plan.kind.value,
        "completed_on": _iso(status.completed_on),
        "alerts": [alert_json(a, content) for a in status.alerts],
        "improvement": improvement_json(status.improvement, content),
        "phase_history": [phase_change_json(c, content) for c in status.phase_history],
        "milestones": [milestone_json(m, content) for m in status.milestones],
        "week": None
        if status.week is None
        else {
            "done": status.week.done,
            "goal": status.week.goal,
            "decisions": [
                {"rule": d.rule, "message": content.say(d)} for d in status.week.decisions
            ],
        },
    }


def milestone_json(milestone: Milestone, content: Content) -> dict[str, Any]:
    return {
        "key": milestone.key,
        "moment": milestone.moment.value,
        "date": milestone.on.isoformat(),
        "title": content.wording.title(milestone),
        "rule": milestone.decision.rule,
        "message": content.say(milestone.decision),
    }


def improvement_json(improvement: Improvement, content: Content) -> dict[str, Any]:
    review = improvement.review
    return {
        "baseline_pain": improvement.baseline_pain,
        "latest_pain": improvement.latest_pain,
        "pain_change_pct": improvement.pain_change_pct,
        "baseline_psfs": improvement.baseline_psfs,
        "latest_psfs": improvement.latest_psfs,
        "psfs_change": improvement.psfs_change,
        "adherence_pct": improvement.adherence_pct,
        "planned_sessions": improvement.planned_sessions,
        "completed_sessions": improvement.completed_sessions,
        "review": None
        if review is None
        else {
            "date": _iso(improvement.review_on),
            "rule": review.rule,
            "message": content.say(review),
        },
    }


def phase_change_json(change: PhaseChange, content: Content) -> dict[str, Any]:
    return {
        "date": change.on.isoformat(),
        "from_phase": change.from_phase,
        "to_phase": change.to_phase,
        "rule": change.decision.rule,
        "why": content.say(change.decision),
    }


def decision_json(decision: Decision) -> dict[str, Any]:
    return {
        "rule": decision.rule,
        "facts": {name: _fact(value) for name, value in decision.facts.items()},
    }


def why(decision: Decision, content: Content) -> str:
    """A decision as one line: the rule id, then what it means for the person."""
    return f"{decision.rule}: {content.say(decision)}"


def exercise_json(exercise: Exercise, content: Content) -> dict[str, Any]:
    phases = [
        phase.number
        for phase in content.program.phases
        if phase.prescription(exercise.id) is not None
    ]
    return {
        "id": exercise.id,
        "name": exercise.name,
        "category": exercise.category,
        "purpose": exercise.purpose,
        "steps": list(exercise.steps),
        "tips": list(exercise.tips),
        "muscles": list(exercise.muscles),
        "equipment": list(exercise.equipment),
        "spinal_flexion": exercise.spinal_flexion.value,
        "per_side": exercise.per_side,
        "reduced_range": exercise.reduced_range,
        "cautions": list(exercise.cautions),
        "variants": [_version_json(v) for v in exercise.variants],
        "alternatives": [_version_json(a) for a in exercise.alternatives],
        "phases": phases,
        "doses": {
            str(phase): [dose_json(d) for d in steps]
            for phase, steps in sorted(exercise.doses.items())
        },
    }


def _version_json(version: Version) -> dict[str, Any]:
    found: dict[str, Any] = {"id": version.id, "name": version.name}
    if version.place is not None:
        found["place"] = version.place
        found["cautions"] = list(version.cautions)
    return {**found, "steps": list(version.steps), "equipment": list(version.equipment)}


def choice_json(exercise: Exercise, chosen: Version | None) -> dict[str, Any]:
    """An exercise, its alternatives and the one the person chose (None: the exercise)."""
    return {
        "exercise": exercise.id,
        "alternatives": [_version_json(a) for a in exercise.alternatives],
        "chosen": None if chosen is None else chosen.id,
    }


def dose_json(dose: Dose) -> dict[str, Any]:
    return {
        "sets": dose.sets,
        "reps": dose.reps,
        "hold_seconds": dose.hold_seconds,
        "rest_seconds": dose.rest_seconds,
        "load_lb": dose.load_lb,
        "household": None if dose.household is None else dose.household.id,
        "variant": dose.variant,
    }


def topic_json(topic: Topic) -> dict[str, Any]:
    return {"id": topic.id, "title": topic.title, "summary": topic.summary, "body": topic.body}


def describe_dose(dose: Dose, *, per_side: bool, unit: Unit) -> str:
    """'2 sets of 8 reps each side, hold 3 s, rest 45 s, 4.5 kg' (or 'with a backpack
    with books, weighed on a bathroom scale to 5 kg'): weights in the person's unit alone."""
    parts = []
    sets = f"{dose.sets} set" + ("s" if dose.sets != 1 else "")
    side = " each side" if per_side else ""
    if dose.reps is not None:
        parts.append(f"{sets} of {dose.reps}{side}")
        if dose.hold_seconds is not None:
            parts.append(f"hold {dose.hold_seconds} s")
    elif dose.hold_seconds is not None:
        parts.append(f"{sets}, hold {dose.hold_seconds} s{side}")
    if dose.rest_seconds and dose.sets > 1:
        parts.append(f"rest {dose.rest_seconds} s")
    load = load_text(dose, unit)
    if load is not None:
        parts.append(load if dose.household is None else f"with {load}")
    return ", ".join(parts)


def phase_goal(phase: Phase, program: Program, unit: Unit) -> str:
    """A phase's goal as the person reads it: the program's weights (`{load_range}`) in
    their unit, "10 to 25 lb" or "4.5 to 11.3 kg"."""
    if "{load_range}" not in phase.goal:
        return phase.goal
    low, high = load_range_lb(program)
    if unit is Unit.LB:
        said = f"{pounds(low)} to {pounds(high)} lb"
    else:
        said = f"{tenths_of_kg(low):g} to {tenths_of_kg(high):g} kg"
    return phase.goal.replace("{load_range}", said)


def pounds(load: float) -> str:
    """10 for 10.0, 12.5 for 12.5: a load as it is written on a weight."""
    return f"{load:g}"


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _fact(value: Fact) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def problem_json(report: ProblemReport) -> dict[str, Any]:
    return {"date": report.on.isoformat(), "kind": report.kind.value, "note": report.note}


def reminders_json(settings: Reminders) -> dict[str, Any]:
    return {
        "session_time": settings.session_time.strftime("%H:%M"),
        "work_days": [WEEKDAY_NAMES[d] for d in sorted(settings.work_days)],
        "work_start": settings.work_start.strftime("%H:%M"),
        "work_end": settings.work_end.strftime("%H:%M"),
        "break_minutes": settings.break_minutes,
    }


def equipment_json(equipment: Equipment, unit: Unit) -> dict[str, Any]:
    """The person's equipment and unit (`lumbar equipment --json`, the API)."""
    return {
        "unit": unit.value,
        "weights": [
            {"kind": w.kind.value, "amount": w.amount, "unit": w.unit.value}
            for w in equipment.weights
        ],
        "band": equipment.band,
        "nothing": equipment.nothing,
    }
