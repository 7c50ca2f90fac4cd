"""Outcome scores in the native export (issue #20, version 8): a clinician's scores go out
with the record and come back on import; a score an import cannot keep (an unknown
measure, a total out of range, a day ahead) refuses the whole file, with nothing written;
on a clinic's server a patient's import may not bring scores, which only the clinician
enters."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from lumbar.content.load import default_content
from lumbar.domain.scores import Score
from lumbar.errors import UserError
from lumbar.formats.intake import IntakeAnswers
from lumbar.store.database import Store
from lumbar.usecases import program, records, scores
from lumbar.usecases.person import Person
from tests import builders as b

ANSWERS: dict[str, Any] = {
    "understood": True,
    "age": 42,
    "pain": 6,
    "pain_weeks": 10,
    "days": ["mon", "wed", "fri"],
    "psfs": [{"activity": activity, "score": 4} for activity in b.ACTIVITIES],
}
ENTERED = [
    Score(b.day(0), "start_back", 5, 4),
    Score(b.day(0), "odi", 44),
    Score(b.day(3), "odi", 30),
    Score(b.day(3), "mskhq", 28),
]


def person(path: Path, *, clinic: bool = False) -> Person:
    return Person(Store(f"sqlite:///{path}"), default_content(), 1, clinic=clinic, today=b.day(5))


@pytest.fixture
def exported(tmp_path: Path) -> dict[str, Any]:
    source = person(tmp_path / "source.db")
    program.start(source, IntakeAnswers.model_validate(ANSWERS), b.START)
    for score in ENTERED:
        scores.record(source, score, datetime(2026, 11, 2, 9, 0))
    document = records.export(source)
    source.store.dispose()
    return document


def test_scores_go_out_and_come_back(exported: dict[str, Any], tmp_path: Path) -> None:
    assert exported["version"] == 8
    assert exported["scores"] == [
        {"date": "2026-11-02", "measure": "start_back", "total": 5, "subscale": 4},
        {"date": "2026-11-02", "measure": "odi", "total": 44},
        {"date": "2026-11-05", "measure": "odi", "total": 30},
        {"date": "2026-11-05", "measure": "mskhq", "total": 28},
    ]
    target = person(tmp_path / "target.db")
    records.import_(target, json.dumps(exported), source="export.json")
    assert scores.kept(target) == ENTERED
    assert records.export(target) == exported  # the same document again


def test_an_export_without_scores_has_no_scores_key(tmp_path: Path) -> None:
    source = person(tmp_path / "plain.db")
    program.start(source, IntakeAnswers.model_validate(ANSWERS), b.START)
    assert "scores" not in records.export(source)


@pytest.mark.parametrize(
    ("score", "said"),
    [
        ({"measure": "sf36", "total": 3}, "scores.1: 'sf36' is not a measure lumbar knows"),
        ({"measure": "odi", "total": 140}, "scores.1: the ODI total is from 0 to 100%"),
        ({"measure": "start_back", "total": 8}, "scores.1: give the psychosocial subscale too"),
        ({"measure": "rmdq", "total": 3, "date": "2026-11-30"}, "scores.1: 2026-11-30 is after"),
        ({"measure": "rmdq", "total": "3"}, "changed or damaged"),
    ],
)
def test_a_score_an_import_cannot_keep_refuses_the_file(
    exported: dict[str, Any], tmp_path: Path, score: dict[str, Any], said: str
) -> None:
    exported["scores"][1] = {"date": "2026-11-03", **score}
    target = person(tmp_path / "target.db")
    with pytest.raises(UserError, match=said.replace("(", r"\(").replace(")", r"\)")):
        records.import_(target, json.dumps(exported), source="export.json")
    with target.store.reading() as connection:
        assert target.store.read(1) is None
        assert connection.exec_driver_sql("SELECT count(*) FROM outcome_scores").scalar() == 0


def test_a_patients_import_on_a_clinics_server_brings_no_scores(
    exported: dict[str, Any], tmp_path: Path
) -> None:
    target = person(tmp_path / "clinic.db", clinic=True)
    with pytest.raises(UserError, match="only your clinician enters them"):
        records.import_(target, json.dumps(exported), source="export.json")
    assert target.store.read(1) is None
    del exported["scores"]
    records.import_(target, json.dumps(exported), source="export.json")
    assert scores.kept(target) == []
