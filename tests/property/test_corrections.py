"""Property test of corrections (issue #15): for any sequence of writes, edits, deletes and
undos, the stored history and every view derived from it equal a fresh replay of the
records that remain, and each record says what a plain model of the same operations says.

A refused operation writes nothing: the records read the same before and after it.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from lumbar.content.load import Content, default_content
from lumbar.domain.corrections import Content as RecordContent
from lumbar.domain.model import CheckIn, ExerciseResult, Pain, ProblemReport, SessionLog
from lumbar.errors import UserError
from lumbar.formats import archive
from lumbar.formats.intake import IntakeAnswers
from lumbar.store.database import Store, sqlite_url
from lumbar.usecases import checkins, corrections, problems, program, recorded, sessions
from lumbar.usecases.person import Person
from tests import builders as b

TODAY = b.day(45)
DAYS = st.integers(0, 45)
PAINS = st.sampled_from([Pain.NONE, Pain.ACHE, Pain.SHARP])
SYMPTOMS = st.sampled_from([(), (), (), ("leg_numbness",)])


@dataclass
class Model:
    """What each record should say: its content, whether it is deleted, and the edits and
    deletes that stand, last on top (an undo takes the top one back)."""

    content: dict[str, RecordContent] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)
    stack: dict[str, list[tuple[str, RecordContent | None]]] = field(default_factory=dict)


@pytest.fixture(scope="module")
def template() -> Iterator[Path]:
    """A database with the schema made once: each example starts from a copy."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.db"
        store = Store(sqlite_url(path))
        with store.transaction() as tx:  # makes the file and its tables
            assert tx.is_empty()
        store.dispose()
        yield path


Operation = tuple[str, int, int, int]


def operations() -> st.SearchStrategy[list[Operation]]:
    kinds = st.sampled_from(
        [
            "log",
            "log",
            "checkin",
            "problem",
            "edit_pain",
            "edit_session",
            "edit_session",
            "move",
            "delete",
            "undo",
            "undo",
        ]
    )
    return st.lists(
        st.tuples(kinds, st.integers(0, 1000), st.integers(0, 45), st.integers(0, 10)),
        min_size=1,
        max_size=18,
    )


def _person(store: Store, content: Content) -> Person:
    return Person(store, content, today=TODAY)


def _live_ids(person: Person) -> list[str]:
    return [r.id for r in recorded.records(person) if r.deleted_on is None]


def _apply(person: Person, model: Model, op: Operation) -> None:
    """One operation through the use cases, and its effect on the model when it is taken."""
    kind, pick, day, number = op
    on = b.day(day)
    every = [r.id for r in recorded.records(person)]
    live = _live_ids(person)
    if kind == "log":
        plan = program.today(person, on)
        entries = [(e.exercise_id, Pain.ACHE if number > 7 else Pain.NONE) for e in plan.exercises]
        sessions.log(person, on, entries[: 1 + number % max(len(entries), 1)])
        written = recorded.newest(person, "session")
    elif kind == "checkin":
        symptoms = ("leg_numbness",) if number == 10 else ()
        checkins.record(person, on, pain=number, symptoms=symptoms)
        written = recorded.newest(person, "checkin")
    elif kind == "problem":
        problems.report(person, on, "other", f"note {number}")
        written = recorded.newest(person, "problem")
    else:
        written = None
    if written is not None:
        model.content[written.id] = written.content
        return
    if kind in ("edit_pain", "edit_session", "move", "delete") and live:
        fitting = [r for r in live if kind != "edit_session" or r.startswith("s")]
        chosen = (fitting or live)[pick % len(fitting or live)]
        before = model.content[chosen]
        if kind == "delete":
            corrections.delete(person, chosen)
            model.deleted.add(chosen)
            model.stack.setdefault(chosen, []).append(("delete", None))
            return
        change, expected = _change(kind, before, on, number)
        corrections.edit(person, chosen, change)
        model.content[chosen] = expected
        model.stack.setdefault(chosen, []).append(("edit", before))
    elif kind == "undo" and every:
        undoable = [r for r in every if model.stack.get(r)]
        chosen = (undoable or every)[pick % len(undoable or every)]
        corrections.undo(person, chosen)
        action, kept = model.stack[chosen].pop()
        if action == "delete":
            model.deleted.discard(chosen)
        else:
            assert kept is not None
            model.content[chosen] = kept


def _change(
    kind: str, before: RecordContent, on: date, number: int
) -> tuple[corrections.Change, RecordContent]:
    if kind == "move":
        return corrections.Change(on=on), replace(before, on=on)
    if kind == "edit_pain" and isinstance(before, CheckIn):
        return corrections.Change(pain=number), replace(before, pain=number)
    if kind == "edit_pain" and isinstance(before, ProblemReport):
        note = f"corrected {number}"
        return corrections.Change(note=note), replace(before, note=note)
    if kind == "edit_session" and isinstance(before, SessionLog):
        pain = [Pain.NONE, Pain.ACHE, Pain.SHARP][number % 3]
        first = before.results[0]
        results = (ExerciseResult(first.exercise_id, pain), *before.results[1:])
        return corrections.Change(exercises=[(first.exercise_id, pain)]), replace(
            before, results=results
        )
    raise UserError("not an edit this record takes")  # the model's own refusal


def _fresh_replay(folder: Path, template: Path, person: Person, content: Content) -> Store:
    """A new database holding only the records that remain, written as new records."""
    path = folder / "replay.db"
    shutil.copy(template, path)
    store = Store(sqlite_url(path))
    history = person.history()
    with store.transaction() as tx:
        tx.add_person(1, history.profile)
        for event in history.events:
            if isinstance(event, SessionLog):
                tx.add_session(1, event)
            elif isinstance(event, CheckIn):
                tx.add_checkin(1, event)
            else:
                tx.add_clearance(1, event)
        for report in problems.reports(person):
            tx.add_problem(1, report)
    return store


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations())
def test_any_corrections_leave_what_a_fresh_replay_of_the_remaining_records_gives(
    template: Path, ops: list[Operation]
) -> None:
    content = default_content()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = folder / "lumbar.db"
        shutil.copy(template, path)
        store = Store(sqlite_url(path))
        person = _person(store, content)
        program.start(person, _intake(), b.START)
        model = Model()
        model.content["c1"] = recorded.records(person)[0].content
        for op in ops:
            seen = recorded.records(person)
            try:
                _apply(person, model, op)
                event(f"taken: {op[0]}")
            except UserError:
                event(f"refused: {op[0]}")
                assert recorded.records(person) == seen, f"a refused {op[0]} wrote"
        found = {r.id: r for r in recorded.records(person)}
        assert set(found) == set(model.content)
        for record_id, record in found.items():
            assert record.content == model.content[record_id], record_id
            assert (record.deleted_on is not None) == (record_id in model.deleted), record_id
            edits = [a for a, _ in model.stack.get(record_id, []) if a == "edit"]
            assert (record.corrected_on is not None) == bool(edits), record_id
        # The history the store holds (its cache) and a cold read agree with a replay.
        replay = _fresh_replay(folder, template, person, content)
        cold = Store(sqlite_url(path))
        held = store.read(1)
        assert held == cold.read(1) == replay.read(1)
        fresh = _person(replay, content)
        later = TODAY + timedelta(days=3)
        assert program.status(person, later) == program.status(fresh, later)
        assert program.today(person, later) == program.today(fresh, later)
        assert held is not None
        assert archive.to_document(held) == archive.to_document(fresh.history())
        assert program.progress(person, later) == program.progress(fresh, later)
        for opened in (store, cold, replay):
            opened.dispose()


def _intake() -> IntakeAnswers:
    return IntakeAnswers.model_validate(
        {
            "understood": True,
            "age": 42,
            "pain": 6,
            "red_flags": [],
            "pain_weeks": 10,
            "days": ["mon", "wed", "fri"],
            "psfs": [{"activity": a, "score": 4} for a in b.ACTIVITIES],
        }
    )
