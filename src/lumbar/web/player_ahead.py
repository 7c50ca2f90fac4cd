"""What the session player's page carries beside the exercise shown: the steps the
hands-free player runs (formats/timeline.py), and every exercise still to come, each as the
player would show it, so that the page can finish the session without the network
(issue #16, static/offline.js), in the versions a swap offline would show; and what the
camera counts and checks in each (issue #21), for the player's "Use the camera"."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from lumbar.domain.decisions import Decision
from lumbar.domain.exercise import Exercise
from lumbar.domain.loads import Unit
from lumbar.domain.model import ExerciseResult, Pain, PlannedExercise
from lumbar.domain.session import SessionInProgress
from lumbar.domain.timeline import estimated_minutes, estimated_seconds
from lumbar.figures.camera import default_camera
from lumbar.formats import timeline
from lumbar.formats.views import taught
from lumbar.web import offline_swaps


def runner(
    progress: SessionInProgress,
    planned: PlannedExercise,
    exercise: Exercise,
    catalogue: Mapping[str, Exercise],
    response: Decision | None,
    unit: Unit,
) -> dict[str, object]:
    """What the hands-free player runs (formats/timeline.py: each step of the dose with its
    words) and how long the exercise and the rest of the session take."""
    name = taught(exercise, planned.version).name
    answered = {r.exercise_id for r in progress.answers} | {k.exercise_id for k in progress.skipped}
    left = [e for e in progress.plan.exercises if e.exercise_id not in answered]
    return {
        "steps": timeline.steps_attribute(exercise, planned.dose, name),
        "say_done": timeline.done_cue(name),
        "own_pace": timeline.at_own_pace(exercise, planned.dose),
        # Said as the player moves on after an answer ("Next: Dead bug, …").
        "say_next": timeline.next_cue(exercise, planned.dose, name, unit) if response else None,
        "exercise_minutes": estimated_minutes(estimated_seconds(exercise, planned.dose)),
        "session_minutes": timeline.minutes_left(progress.plan.exercises, catalogue),
        "minutes_left": timeline.minutes_left(left, catalogue),
        **camera(exercise, planned.version),
    }


def camera(exercise: Exercise, version: str | None) -> dict[str, object]:
    """The camera's spec for the version done (a swap's or a variant's), as the JSON that
    static/camera/player-camera.js hands the coach (coach.js), in `camera_spec`; or, for
    an exercise the camera cannot follow, the plain reason in `camera_none`, and no spec:
    then the player offers no camera for it."""
    content = default_camera()
    spec = content.spec(exercise.id, version)
    if spec is None:
        reason = content.not_followed.get((exercise.id, version))
        return {
            "camera_spec": None,
            "camera_none": reason,
            "camera_view": None,
            "camera_limits": None,
        }
    return {
        "camera_spec": json.dumps(spec.as_json(), separators=(",", ":")),
        "camera_none": None,
        "camera_view": spec.view,
        "camera_limits": spec.limits,
    }


def exercises_ahead(
    progress: SessionInProgress, catalogue: Mapping[str, Exercise], unit: Unit
) -> list[dict[str, Any]]:
    """Each exercise after the one shown, as the player shows it once the ones before it
    are answered: what the page needs to go on without the network. (The answers assumed
    here only count them; the pain given is the server's to judge, once it is back.)"""
    shown = progress.next
    if shown is None:
        return []
    answered = [*progress.answers, ExerciseResult(shown.exercise_id, Pain.NONE)]
    skipped = progress.skipped
    views: list[dict[str, Any]] = []
    for planned in progress.plan.exercises:
        if any(r.exercise_id == planned.exercise_id for r in answered) or any(
            k.exercise_id == planned.exercise_id for k in skipped
        ):
            continue
        step = SessionInProgress(progress.plan, tuple(answered), skipped)
        exercise = catalogue[planned.exercise_id]
        name = taught(exercise, planned.version).name
        views.append(
            {
                "planned": planned,
                "exercise": exercise,
                "position": len(answered) + len(skipped) + 1,
                "progress": step,
                **runner(step, planned, exercise, catalogue, None, unit),
                "say_next": timeline.next_cue(exercise, planned.dose, name, unit),
            }
        )
        answered.append(ExerciseResult(planned.exercise_id, Pain.NONE))
    return views


def swaps_offline(
    shown: Mapping[str, Any],
    ahead: list[dict[str, Any]],
    catalogue: Mapping[str, Exercise],
    unit: Unit,
) -> list[dict[str, Any]]:
    """The exercise shown and those ahead in their alternatives, for a swap offline."""

    def run(step: SessionInProgress, planned: PlannedExercise, exercise: Exercise) -> Any:
        return runner(step, planned, exercise, catalogue, None, unit)

    return offline_swaps.swapped_views([shown, *ahead], run)
