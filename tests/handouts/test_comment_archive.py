"""The patient's comment per exercise in the native export (issue #20, version 8): it goes
out with the session's exercise and comes back on import; an answer without one has no
`comment` key; a comment an import cannot keep (too long, a control or invisible
character, empty) refuses the whole file, with nothing written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lumbar.content.load import default_content
from lumbar.domain.model import Pain, SessionLog
from lumbar.errors import UserError
from lumbar.formats.intake import IntakeAnswers
from lumbar.store.database import Store
from lumbar.usecases import program, records, sessions
from lumbar.usecases.person import Person
from tests import builders as b
from tests.handouts.test_score_archive import ANSWERS

SAID = "Tight on the left <b>today</b> & sore"


def person(path: Path) -> Person:
    return Person(Store(f"sqlite:///{path}"), default_content(), 1, today=b.day(5))


@pytest.fixture
def exported(tmp_path: Path) -> dict[str, Any]:
    source = person(tmp_path / "source.db")
    plan = program.start(source, IntakeAnswers.model_validate(ANSWERS), b.START)
    first, *rest = [e.exercise_id for e in plan.exercises]
    sessions.answer(source, b.START, first, Pain.ACHE, comment=SAID)
    for exercise in rest:
        sessions.answer(source, b.START, exercise, Pain.NONE)
    document = records.export(source)
    source.store.dispose()
    return document


def session_of(document: dict[str, Any]) -> dict[str, Any]:
    [found] = [e for e in document["events"] if e["type"] == "session"]
    session: dict[str, Any] = found
    return session


def test_a_comment_goes_out_and_comes_back(exported: dict[str, Any], tmp_path: Path) -> None:
    assert exported["version"] == 8
    done = session_of(exported)["exercises"]
    assert done[0] == {"id": "diaphragmatic-breathing", "pain": "ache", "comment": SAID}
    assert all("comment" not in e for e in done[1:])
    target = person(tmp_path / "target.db")
    records.import_(target, json.dumps(exported), source="export.json")
    [session] = [e for e in target.history().events if isinstance(e, SessionLog)]
    assert session.results[0].comment == SAID
    assert records.export(target) == exported  # the same document again


@pytest.mark.parametrize(
    ("comment", "said"),
    [
        ("x" * 281, "exercises.1.comment: a text too long"),
        ("", "exercises.1.comment: a value lumbar does not expect"),
        ("sore\u0007", "is a control character"),
        ("sore \u200b", "invisible character"),
    ],
)
def test_a_comment_an_import_cannot_keep_refuses_the_file(
    exported: dict[str, Any], tmp_path: Path, comment: str, said: str
) -> None:
    session_of(exported)["exercises"][1]["comment"] = comment
    target = person(tmp_path / "target.db")
    with pytest.raises(UserError, match=said):
        records.import_(target, json.dumps(exported), source="export.json")
    assert target.store.read(1) is None
    with target.store.reading() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM session_exercises").scalar() == 0
