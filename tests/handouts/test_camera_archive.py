"""The camera's summary in the native export (issue #21, version 8): it goes out with the
session's exercise and comes back on import; an answer without one has no `camera` key; a
summary an import cannot keep (counts nobody makes, an image or landmarks beside the
counts) refuses the whole file, with nothing written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lumbar.content.load import default_content
from lumbar.domain.camera import camera_summary
from lumbar.domain.model import Pain, SessionLog
from lumbar.errors import UserError
from lumbar.formats.intake import IntakeAnswers
from lumbar.store.database import Store
from lumbar.usecases import program, records, sessions
from lumbar.usecases.person import Person
from tests import builders as b
from tests.camera_samples import BRIDGE
from tests.handouts.test_score_archive import ANSWERS


def person(path: Path) -> Person:
    return Person(Store(f"sqlite:///{path}"), default_content(), 1, today=b.day(5))


@pytest.fixture
def exported(tmp_path: Path) -> dict[str, Any]:
    source = person(tmp_path / "source.db")
    plan = program.start(source, IntakeAnswers.model_validate(ANSWERS), b.START)
    for e in plan.exercises:
        camera = BRIDGE if e.exercise_id == "glute-bridge" else None
        sessions.answer(source, b.START, e.exercise_id, Pain.NONE, camera=camera)
    document = records.export(source)
    source.store.dispose()
    return document


def bridge_of(document: dict[str, Any]) -> dict[str, Any]:
    [found] = [e for e in document["events"] if e["type"] == "session"]
    done: dict[str, Any] = next(e for e in found["exercises"] if e["id"] == "glute-bridge")
    return done


def test_a_summary_goes_out_and_comes_back(exported: dict[str, Any], tmp_path: Path) -> None:
    assert exported["version"] == 8
    assert bridge_of(exported) == {"id": "glute-bridge", "pain": "none", "camera": BRIDGE}
    [session] = [e for e in exported["events"] if e["type"] == "session"]
    assert sum("camera" in e for e in session["exercises"]) == 1
    target = person(tmp_path / "target.db")
    records.import_(target, json.dumps(exported), source="export.json")
    [kept] = [e for e in target.history().events if isinstance(e, SessionLog)]
    assert [r.camera for r in kept.results if r.camera] == [
        camera_summary(8, None, {"hips-low": 2}, 41)
    ]
    assert records.export(target) == exported  # the same document again


@pytest.mark.parametrize(
    ("camera", "said"),
    [
        ({**BRIDGE, "reps": -1}, "camera.reps"),
        ({**BRIDGE, "reps": 1001}, "camera.reps"),
        ({**BRIDGE, "faults": {"hips-low": 9}}, "more repetitions than were counted"),
        ({**BRIDGE, "held_seconds": 30}, "either reps or held_seconds"),
        ({**BRIDGE, "landmarks": [[0.5, 0.4]]}, "camera.landmarks"),
        ({**BRIDGE, "faults": {"Hips Low!": 1}}, "camera.faults"),
    ],
)
def test_a_summary_an_import_cannot_keep_refuses_the_file(
    exported: dict[str, Any], tmp_path: Path, camera: dict[str, Any], said: str
) -> None:
    bridge_of(exported)["camera"] = camera
    target = person(tmp_path / "target.db")
    with pytest.raises(UserError, match=said):
        records.import_(target, json.dumps(exported), source="export.json")
    assert target.store.read(1) is None
    with target.store.reading() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM session_exercises").scalar() == 0
