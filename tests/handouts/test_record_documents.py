"""A record kept beside a correction comes back whole (formats/archive.py): undoing a
correction writes back the record as it was, read from its document, so every field a
record can hold must survive the round trip. A session's skipped exercises and the
version done of each exercise were lost on the way back (an undone correction of a session
with a swap or a skip wrote it back without them)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from lumbar.content.load import default_content
from lumbar.domain.model import (
    CheckIn,
    Clearance,
    ExerciseResult,
    Pain,
    ProblemKind,
    ProblemReport,
    SessionLog,
    Skip,
)
from lumbar.domain.skips import SkipReason
from lumbar.formats.archive import event_document, problem_document, record_from_document

CATALOGUE = default_content().program.exercises
WITH_VERSIONS = sorted(
    (exercise_id, alternative.id)
    for exercise_id, exercise in CATALOGUE.items()
    for alternative in exercise.alternatives
)
days = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31))
notes = st.text(
    st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=40
) | st.just("Tight on the left today")


@st.composite
def sessions(draw: st.DrawFn) -> SessionLog:
    """A session of one to five exercises of the catalogue, each done (in a version of its
    own or not, with a comment or not) or skipped (for a reason, in words or not)."""
    ids = draw(st.lists(st.sampled_from(sorted(CATALOGUE)), min_size=1, max_size=5, unique=True))
    done: list[ExerciseResult] = []
    skipped: list[Skip] = []
    for exercise_id in ids:
        if draw(st.booleans()):
            reason = draw(st.sampled_from(SkipReason))
            note = draw(notes) if reason is SkipReason.OTHER else ""
            skipped.append(Skip(exercise_id, reason, note))
            continue
        versions = [v.id for v in CATALOGUE[exercise_id].alternatives]
        version = draw(st.none() | st.sampled_from(versions)) if versions else None
        comment = draw(st.none() | notes)
        done.append(ExerciseResult(exercise_id, draw(st.sampled_from(Pain)), version, comment))
    return SessionLog(draw(days), tuple(done), tuple(skipped))


def test_the_examples_have_versions_to_draw() -> None:
    assert WITH_VERSIONS, "no exercise of the catalogue has an alternative"


@given(sessions())
def test_a_session_comes_back_with_its_versions_comments_and_skips(session: SessionLog) -> None:
    assert record_from_document(event_document(session)) == session


@given(
    st.builds(
        CheckIn,
        days,
        st.none() | st.integers(0, 10),
        st.none() | st.lists(st.integers(0, 10), min_size=3, max_size=3).map(tuple),
        st.just(()),
        st.booleans(),
        st.booleans(),
    )
)
def test_a_checkin_comes_back_whole(checkin: CheckIn) -> None:
    assert record_from_document(event_document(checkin)) == checkin


def test_a_clearance_and_a_problem_report_come_back_whole() -> None:
    clearance = Clearance(date(2026, 11, 9), ("night_pain",), "Dr Rao", True)
    report = ProblemReport(date(2026, 11, 9), ProblemKind.OTHER, "a sore knee")
    assert record_from_document(event_document(clearance)) == clearance
    assert record_from_document(problem_document(report)) == report
