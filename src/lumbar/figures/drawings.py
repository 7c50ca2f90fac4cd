"""Rendered figures for the shells: drawn once per exercise, version and hold, then reused.

The web app shows the same figures on every library, exercise and session page; drawing a
moving figure samples some forty bodies (10-20 ms), so each drawing is kept, up to a bound.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Mapping

from lumbar.domain.model import Exercise
from lumbar.figures.alt import print_alt
from lumbar.figures.pose import Figure
from lumbar.figures.svg import animated_svg, pose_svg, poses_svg


class Picture(enum.StrEnum):
    MOTION = "motion"
    """One repetition, moving, at the dose's hold; still where motion is reduced."""
    POSES = "poses"
    """The key poses side by side and numbered, for still viewing."""
    PRINT = "print"
    """The key poses side by side without their labels, titled with what they show: the
    printed handout sets the labels as its own text under the figure."""
    STILL = "still"
    """The main pose alone, for lists."""


KEPT = 256
"""Drawings kept at most: every exercise in each form at the catalogue's holds fits many
times over, and a client asking for every hold from 1 to 300 cannot fill the memory."""


class Drawings:
    def __init__(self, figures: Mapping[str, Figure], catalogue: Mapping[str, Exercise]) -> None:
        self._figures = figures
        self._catalogue = catalogue
        self._drawn: dict[tuple[str, str | None, Picture, int | None, int | None], str] = {}
        self._lock = threading.Lock()

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self._figures

    def has(self, exercise_id: str, version: str | None = None) -> bool:
        """Whether there is a figure of the exercise, or of this version of it."""
        figure = self._figures.get(exercise_id)
        return figure is not None and (version is None or version in figure.versions)

    def figure(self, exercise_id: str, version: str | None = None) -> Figure:
        """The exercise's figure, or its version's; KeyError for an unknown one."""
        figure = self._figures[exercise_id]
        return figure if version is None else figure.versions[version]

    def labels(self, exercise_id: str, version: str | None = None) -> list[str]:
        """What each key pose shows, in order."""
        return [pose.label for pose in self.figure(exercise_id, version).poses]

    def svg(
        self,
        exercise_id: str,
        kind: Picture = Picture.MOTION,
        hold: int | None = None,
        pose: int | None = None,
        version: str | None = None,
    ) -> str:
        """The figure of a catalogue exercise, or of one of its versions (a variant or an
        alternative), as SVG text; KeyError for an unknown exercise or version.

        `hold` (seconds) times a moving figure's held pose; `pose` picks a still pose by
        its position (the main pose when unset).
        """
        key = (
            exercise_id,
            version,
            kind,
            hold if kind is Picture.MOTION else None,
            pose if kind is Picture.STILL else None,
        )
        drawn = self._drawn.get(key)
        if drawn is not None:
            return drawn
        figure = self.figure(exercise_id, version)
        name = self._name(exercise_id, version)
        if kind is Picture.MOTION:
            drawn = animated_svg(figure, name, None if hold is None else float(hold))
        elif kind is Picture.POSES:
            drawn = poses_svg(figure, name)
        elif kind is Picture.PRINT:
            drawn = poses_svg(figure, name, alt=print_alt(figure, name))
        else:
            drawn = pose_svg(figure, name, pose)
        with self._lock:
            if len(self._drawn) < KEPT:
                self._drawn[key] = drawn
        return drawn

    def _name(self, exercise_id: str, version: str | None) -> str:
        exercise = self._catalogue[exercise_id]
        if version is None:
            return exercise.name
        return next(v.name for v in (*exercise.variants, *exercise.alternatives) if v.id == version)
