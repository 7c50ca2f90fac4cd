"""The content: exercises, their doses and versions, and the education topics
(`lumbar exercises --json`, `lumbar learn --json`, `GET /api/v1/exercises`, `/topics`),
and the alternatives the person chose (`lumbar alternatives --json`): the shapes of
`exercise_json`, `topic_json` and `choice_json` in formats/views.py."""

from __future__ import annotations

from pydantic import Field

from lumbar.domain.exercise import SpinalFlexion
from lumbar.formats.shapes.base import Shape


class Version(Shape):
    """A variant (an easier form, done at some steps) or an alternative (on a chair or
    standing, chosen by the person); `place` and `cautions` only for an alternative."""

    id: str
    name: str
    place: str | None = None
    cautions: list[str] | None = None
    steps: list[str]
    equipment: list[str]


class Dose(Shape):
    """One step of an exercise's dose in a phase."""

    sets: int
    reps: int | None
    hold_seconds: int | None
    rest_seconds: int
    load_lb: float | None
    household: str | None
    variant: str | None


class Exercise(Shape):
    id: str
    name: str
    category: str
    purpose: str
    steps: list[str]
    tips: list[str]
    muscles: list[str]
    equipment: list[str]
    spinal_flexion: SpinalFlexion
    per_side: bool
    reduced_range: str = Field(description="How to do it at reduced range, after bad pain.")
    cautions: list[str]
    variants: list[Version]
    alternatives: list[Version]
    phases: list[int]
    doses: dict[str, list[Dose]] = Field(description="The dose steps by phase number.")


class Figures(Shape):
    """Where the exercise's figure is drawn (SVG): moving, its key poses, one still."""

    moving: str
    poses: str
    still: str


class CatalogueExercise(Exercise):
    """An exercise as the API gives it: with the addresses of its figure."""

    figures: Figures


class Topic(Shape):
    id: str
    title: str
    summary: str
    body: str


class Choice(Shape):
    """An exercise with alternatives, and the one the person does (null: the exercise)."""

    exercise: str
    alternatives: list[Version]
    chosen: str | None
