"""The command line's `--json` and the API answer in one shape (issue #18): the models of
`lumbar.formats.shapes`, which the API declares in its OpenAPI schema and the command line
checks before it prints.

One person's database file, written by the command line (a program started, a session
logged, a problem reported), then read by both shells for the same day: each answer
validates against its model, and the two are equal once parsed.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, TypeAdapter, ValidationError

from lumbar.cli.options import CHECK_SHAPES_VARIABLE, Invocation, check_shape
from lumbar.formats.shapes.base import Shape
from lumbar.formats.shapes.library import Choice, Exercise, Topic
from lumbar.formats.shapes.plan import Logged, Plan
from lumbar.formats.shapes.records import Records
from lumbar.formats.shapes.settings import Days, Equipment, Problem
from lumbar.formats.shapes.status import Status
from lumbar.store.database import Store, sqlite_url
from lumbar.web.app import create_app
from tests.cli.conftest import Cli, answers_file, cli, started  # noqa: F401 (fixtures)
from tests.web.conftest import BASE_URL, LOOPBACK

MONDAY = date(2026, 11, 2)
WEDNESDAY = date(2026, 11, 4)


@pytest.fixture
def lived(started: Cli) -> Cli:  # noqa: F811 (the command line's `started`)
    """The program started on Monday; Monday's session logged (no pain), a problem
    reported on Tuesday, and the cat-cow done in a chair from now on."""
    day = MONDAY.isoformat()
    plan = started("today", "--json", "--date", day).json()
    done = [arg for e in plan["exercises"] for arg in ("-e", f"{e['id']}=none")]
    logged = started("log", *done, "--date", day, "--json")
    assert logged.code == 0, logged.stderr
    assert Logged.model_validate(logged.json()).plan.completed
    assert (
        started("problem", "other", "--note", "a stiff morning", "--date", "2026-11-03").code == 0
    )
    assert started("alternative", "cat-cow", "chair").code == 0
    return started


@pytest.fixture
def api(db_path: Path) -> Iterator[TestClient]:
    """The web app over the same database file, its clock on Wednesday."""
    store = Store(sqlite_url(db_path))
    app = create_app(store, clock=lambda: WEDNESDAY)
    with TestClient(app, base_url=BASE_URL, client=LOOPBACK) as client:
        yield client
    store.dispose()


Pair = tuple[tuple[str, ...], str | None, Any]
"""The command (its `--json` added), the API's address, and the model both answer in."""

PAIRS: list[Pair] = [
    (("today", "--date", WEDNESDAY.isoformat()), "/api/v1/today", Plan),
    (("today", "--date", MONDAY.isoformat()), f"/api/v1/today?date={MONDAY}", Plan),
    (("status", "--date", WEDNESDAY.isoformat()), "/api/v1/status", Status),
    (("records",), "/api/v1/records", Records),
    (("days",), None, Days),
    (("alternative",), "/api/v1/settings/alternatives", list[Choice]),
    (("equipment",), "/api/v1/settings/equipment", Equipment),
    (("problem",), "/api/v1/problems", list[Problem]),
    (("learn",), "/api/v1/topics", list[Topic]),
    (("exercises", "dead-bug"), "/api/v1/exercises/dead-bug", Exercise),
]


def _parsed(model: Any, document: Any) -> Any:
    """The document through its model (a key the model lacks is refused)."""
    return TypeAdapter(model).validate_python(document)


@pytest.mark.parametrize(("command", "address", "model"), PAIRS, ids=[p[0][0] for p in PAIRS])
def test_the_command_line_and_the_api_answer_in_one_model(
    lived: Cli, api: TestClient, command: tuple[str, ...], address: str | None, model: Any
) -> None:
    printed = lived(*command, "--json")
    assert printed.code == 0, printed.stderr
    by_cli = _parsed(model, printed.json())
    if address is None:  # `lumbar days` has no GET in the API: its PUT answers the shape
        answer = api.put("/api/v1/settings/days", json={"days": ["mon", "wed", "fri"]})
    else:
        answer = api.get(address)
    assert answer.status_code == 200, answer.text
    document = answer.json()
    if model is Exercise:  # the API adds where the figure is drawn
        assert set(document.pop("figures")) == {"moving", "poses", "still"}
    by_api = _parsed(model, document)
    assert by_cli == by_api
    assert by_cli  # something to compare: not two empty answers


def test_the_logged_session_and_the_plan_are_typed(lived: Cli) -> None:
    """The model reads the document into types: dates as dates, kinds as their values."""
    plan = Plan.model_validate(lived("today", "--json", "--date", MONDAY.isoformat()).json())
    assert plan.date == MONDAY
    assert plan.completed
    assert plan.kind == "session"
    assert plan.next_session == WEDNESDAY


CHANGES: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
    ("a key the model does not name", lambda d: d.update(surprise=1)),
    ("a key left out", lambda d: d.pop("phase_name")),
    ("a date that is not one", lambda d: d.update(date="Monday")),
    ("a kind of day that does not exist", lambda d: d.update(kind="holiday")),
]


@pytest.mark.parametrize(("case", "change"), CHANGES, ids=[c for c, _ in CHANGES])
def test_a_document_that_drifted_from_its_model_is_refused(
    lived: Cli, case: str, change: Callable[[dict[str, Any]], None]
) -> None:
    """What keeps the shells together: a view that grows a key, or loses one, no longer
    passes its model, so the `--json` check and the API's schema tests fail."""
    document = lived("today", "--json", "--date", MONDAY.isoformat()).json()
    check_shape(document, "plan.Plan")
    change(document)
    with pytest.raises(ValidationError):
        check_shape(document, "plan.Plan")


def test_every_shape_the_command_line_names_is_a_model() -> None:
    """`run.emit(..., shape="plan.Plan")`: each name the command line gives resolves to a
    model of formats/shapes, so a misspelt one fails here, not only when its command's
    `--json` is tested."""
    import lumbar.cli

    folder = Path(lumbar.cli.__file__).parent
    named = {
        name
        for path in folder.glob("*.py")
        for name in re.findall(r'shape="([a-z_]+\.[A-Za-z]+)"', path.read_text())
    }

    assert len(named) >= 10
    for name in sorted(named):
        module, model = name.split(".")
        assert issubclass(
            getattr(importlib.import_module(f"lumbar.formats.shapes.{module}"), model), Shape
        )


def test_the_check_runs_under_the_tests_and_not_for_a_person(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document that drifted fails every test that prints it (LUMBAR_CHECK_SHAPES is set
    for the tests); a person's command prints it without loading the models."""
    run = Invocation(db=None, date_text=None, as_json=True)
    drifted = {"days": "mon,wed,fri", "surprise": 1}

    with pytest.raises(ValidationError):
        run.emit(drifted, shape="settings.Days")
    monkeypatch.delenv(CHECK_SHAPES_VARIABLE)
    run.emit(drifted, shape="settings.Days")

    assert '"surprise": 1' in capsys.readouterr().out


def test_every_shape_refuses_unknown_keys() -> None:
    """Every model of the package keeps the rule (the export alone takes any key: its
    document has a schema of its own, docs/handouts.md)."""
    import lumbar.formats.shapes.clinic as clinic
    import lumbar.formats.shapes.library as library
    import lumbar.formats.shapes.plan as plan
    import lumbar.formats.shapes.records as records
    import lumbar.formats.shapes.settings as settings
    import lumbar.formats.shapes.status as status

    models = [
        value
        for module in (clinic, library, plan, records, settings, status)
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, BaseModel) and value is not Shape
    ]
    assert len(models) > 30
    loose = {m.__name__ for m in models if m.model_config.get("extra") != "forbid"}
    assert loose == {"Export"}
    assert json.loads(json.dumps(Plan.model_json_schema()))["additionalProperties"] is False
