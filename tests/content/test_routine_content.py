"""The daily routine in program.toml (issue #17): each exercise at its own dose, checked
when the content loads, with the exercise's id as its stable id."""

from __future__ import annotations

from pathlib import Path

import pytest

from lumbar.content.load import ContentError, load_content

CAT_COW = 'exercise = "cat-cow"\ndose = { sets = 2, reps = 8, rest = 30 }'


def _change(content_copy: Path, new: str) -> None:
    path = content_copy / "program.toml"
    text = path.read_text()
    assert CAT_COW in text
    path.write_text(text.replace(CAT_COW, new))


@pytest.mark.parametrize(
    ("new", "problem"),
    [
        (
            'exercise = "cat-cow"\ndose = { sets = 2, reps = 8, rest = 30, load = 5 }',
            "program.toml: daily_routine.1.dose.load: Extra inputs are not permitted",
        ),
        (
            'exercise = "diaphragmatic-breathing"\ndose = { sets = 1, reps = 8, rest = 0 }',
            "duplicate exercise in the daily routine 'diaphragmatic-breathing'",
        ),
        ('exercise = "cat-cow"\ndose = { sets = 2, rest = 30 }', "reps, a hold, or both"),
        (
            'exercise = "squat"\ndose = { sets = 2, reps = 8, rest = 30 }',
            "the daily routine holds no strengthening work \\(squat is functional\\)",
        ),
        (
            'exercise = "sit-up"\ndose = { sets = 2, reps = 8, rest = 30 }',
            "unknown exercise 'sit-up'",
        ),
    ],
)
def test_the_loader_refuses_a_routine_that_is_not_gentle_or_does_not_add_up(
    content_copy: Path, new: str, problem: str
) -> None:
    _change(content_copy, new)
    with pytest.raises(ContentError, match=problem):
        load_content(content_copy)


def test_the_routine_is_read_in_its_order_at_its_doses(content_copy: Path) -> None:
    _change(content_copy, 'exercise = "cat-cow"\ndose = { sets = 1, reps = 5, rest = 0 }')
    routine = load_content(content_copy).program.daily_routine
    assert [(i.exercise_id, i.dose.sets, i.dose.reps) for i in routine][1] == ("cat-cow", 1, 5)
