"""Skips and swaps (issue #17): how a skipped exercise and a one-off alternative count
(rules progression.skipped, progression.skipped_other, progression.all_skipped,
dosage.skipped and dosage.swapped)."""

from __future__ import annotations

from datetime import date

from lumbar.content.load import default_content
from lumbar.domain.journey import Journey
from lumbar.domain.model import (
    CheckIn,
    ExerciseResult,
    History,
    Pain,
    SessionLog,
    Skip,
    SkipReason,
)
from lumbar.domain.plan import plan_day, program_status
from lumbar.domain.session import SessionInProgress
from tests.builders import day, history, program

PHASE_1 = tuple(p.exercise_id for p in program().phase(1).prescriptions)
"""Phase 1's exercises, in order; the first is the breathing warm-up."""


def _done(
    on: date, skipped: dict[str, SkipReason], pain: dict[str, Pain] | None = None
) -> SessionLog:
    """A phase 1 session: every exercise answered (no pain unless `pain` says) except those
    `skipped`, each with its reason."""
    results = tuple(
        ExerciseResult(e, (pain or {}).get(e, Pain.NONE)) for e in PHASE_1 if e not in skipped
    )
    skips = tuple(
        Skip(e, reason, "my knee" if reason is SkipReason.OTHER else "")
        for e, reason in skipped.items()
    )
    return SessionLog(on, results, skips)


def _week(*sessions: SessionLog) -> History:
    """Three sessions in the first week and a check-in at its end, as the gate asks."""
    return history(*sessions, CheckIn(day(6), 4))


def test_a_session_with_skips_for_equipment_time_or_the_floor_counts_for_the_gate() -> None:
    h = _week(
        _done(day(0), {"glute-bridge": SkipReason.NO_EQUIPMENT}),
        _done(day(2), {"dead-bug": SkipReason.NO_TIME}),
        _done(day(4), {"childs-pose": SkipReason.FLOOR, "cat-cow": SkipReason.FLOOR}),
    )
    assert program_status(day(5), h, program()).sessions_in_phase == 3
    monday = plan_day(day(7), h, program())
    assert monday.phase == 2
    assert monday.decisions[-1].rule == "progression.advance_phase"
    friday = plan_day(day(4), h, program())
    skipped = next(d for d in friday.decisions if d.rule == "progression.skipped")
    assert skipped.facts == {"exercises": ("childs-pose", "cat-cow"), "reasons": ("floor", "floor")}
    said = default_content().say(skipped)
    assert said.startswith("Skipped today: ")
    assert "can't get down to the floor" in said and "still counts" in said


def test_a_skip_for_another_reason_keeps_the_session_from_counting() -> None:
    h = _week(
        _done(day(0), {}),
        _done(day(2), {"dead-bug": SkipReason.OTHER}),
        _done(day(4), {}),
    )
    assert program_status(day(5), h, program()).sessions_in_phase == 2
    assert plan_day(day(7), h, program()).phase == 1
    wednesday = plan_day(day(2), h, program())
    other = next(d for d in wednesday.decisions if d.rule == "progression.skipped_other")
    assert other.facts == {"exercises": ("dead-bug",)}


def test_a_session_with_every_exercise_skipped_is_recorded_but_does_not_count() -> None:
    everything = dict.fromkeys(PHASE_1, SkipReason.NO_TIME)
    h = _week(_done(day(0), {}), _done(day(2), everything), _done(day(4), {}))
    status = program_status(day(5), h, program())
    assert status.sessions_in_phase == 2
    assert status.sessions_this_week == 2
    assert status.improvement.completed_sessions == 2
    wednesday = plan_day(day(2), h, program())
    assert wednesday.completed  # the day is taken: no second session that day
    assert wednesday.decisions[0].rule == "progression.all_skipped"
    assert plan_day(day(3), h, program()).kind.value == "rest"  # the rest day follows
    assert plan_day(day(7), h, program()).phase == 1


def test_a_skip_never_hides_a_pain_answer() -> None:
    # Sharp pain on dead-bug and everything else skipped: the gate holds for a week.
    sharp = {e: SkipReason.NO_EQUIPMENT for e in PHASE_1 if e != "dead-bug"}
    h = _week(
        _done(day(0), {}),
        _done(day(2), sharp, {"dead-bug": Pain.SHARP}),
        _done(day(4), {}),
    )
    assert plan_day(day(7), h, program()).phase == 1
    dead_bug = next(
        e for e in plan_day(day(7), h, program()).exercises if e.exercise_id == "dead-bug"
    )
    assert dead_bug.range.value == "reduced"


def test_a_skipped_exercise_keeps_its_dose_and_its_run_of_clean_sessions() -> None:
    # Two clean sessions step an exercise up; a skip between them neither counts nor
    # breaks the run.
    base = plan_day(day(0), history(), program())
    bridge = next(e for e in base.exercises if e.exercise_id == "glute-bridge")
    h = history(_done(day(0), {}), _done(day(2), {"glute-bridge": SkipReason.NO_TIME}))
    friday = plan_day(day(4), h, program())
    held = next(e for e in friday.exercises if e.exercise_id == "glute-bridge")
    assert held.step == bridge.step
    assert [d.rule for d in held.decisions] == ["dosage.skipped"]
    assert held.decisions[0].facts == {"exercise": "glute-bridge", "reason": "no_time"}
    stepped = next(e for e in friday.exercises if e.exercise_id == "cat-cow")
    assert stepped.step == 1  # two clean sessions: a little more
    h = history(
        _done(day(0), {}), _done(day(2), {"glute-bridge": SkipReason.NO_TIME}), _done(day(4), {})
    )
    journey = Journey(h, program())
    journey.walk(day(4))
    assert journey.doses.exposure[(1, "glute-bridge")] == (1, 0)  # clean, skip, clean: up
    assert journey.doses.exposure[(1, "cat-cow")] == (1, 1)  # stepped up on day 2, then one


def test_a_swap_counts_its_pain_but_a_clean_answer_moves_no_dose() -> None:
    swapped = SessionLog(
        day(2),
        tuple(ExerciseResult(e, Pain.NONE, "chair" if e == "cat-cow" else None) for e in PHASE_1),
    )
    h = history(_done(day(0), {}), swapped)
    friday = plan_day(day(4), h, program())
    cat_cow = next(e for e in friday.exercises if e.exercise_id == "cat-cow")
    assert cat_cow.step == 0
    assert [d.rule for d in cat_cow.decisions] == ["dosage.swapped"]
    bridge = next(e for e in friday.exercises if e.exercise_id == "glute-bridge")
    assert bridge.step == 1
    assert program_status(day(3), h, program()).sessions_in_phase == 2  # it counts
    hurt = SessionLog(
        day(2),
        tuple(
            ExerciseResult(
                e, Pain.SHARP if e == "cat-cow" else Pain.NONE, "chair" if e == "cat-cow" else None
            )
            for e in PHASE_1
        ),
    )
    h = history(_done(day(0), {}), hurt)
    cat_cow = next(
        e for e in plan_day(day(4), h, program()).exercises if e.exercise_id == "cat-cow"
    )
    assert cat_cow.range.value == "reduced"


def test_the_session_in_progress_moves_past_a_skip_and_asks_no_safety_questions_after_it() -> None:
    plan = plan_day(day(0), history(), program())
    first = plan.exercises[0].exercise_id
    progress = SessionInProgress(plan, (), (Skip(first, SkipReason.NO_TIME),))
    assert progress.next is not None and progress.next.exercise_id == plan.exercises[1].exercise_id
    assert progress.screening_due is None
    everything = tuple(Skip(e.exercise_id, SkipReason.NO_TIME) for e in plan.exercises)
    assert SessionInProgress(plan, (), everything).next is None


def test_the_skip_reasons_that_excuse_a_session() -> None:
    assert [r.value for r in SkipReason if r.excused] == ["no_equipment", "no_time", "floor"]


def test_the_fhir_note_of_a_session_says_what_was_skipped_and_never_as_a_pain() -> None:
    from lumbar.formats.fhir import fhir_bundle

    h = history(_done(day(0), {"glute-bridge": SkipReason.NO_EQUIPMENT}))
    bundle = fhir_bundle(h, program(), default_content(), day(1))
    [procedure] = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Procedure"
    ]
    note = procedure["note"][0]["text"]
    assert "Glute bridge: skipped: no equipment" in note
    assert "Glute bridge: no pain" not in note
    assert "Cat-cow: no pain" in note
