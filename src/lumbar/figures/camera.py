"""What the camera coach counts and checks for each exercise, from `content/camera.toml`.

The checks are content a clinician can read (docs/camera.md), beside the figures they rest
on: a count goes from one of the figure's key poses to another, and a check is judged at one
of them. Loading refuses, naming the exercise, a landmark the pose model does not report, a
pose the exercise's figure does not have, an exercise or version of the catalogue with no
entry (each one says what the camera follows there, or why it follows nothing), and an entry
for no exercise. The engine that reads the specs is static/camera/coach.js; this module
only loads them and hands them to the page as JSON.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lumbar.content.camera_schema import THROUGHOUT, CameraEntryFile, CameraFile, MeasureFile
from lumbar.content.load import CONTENT_DIR, Content, ContentError, default_content
from lumbar.figures.landmarks import NAMES
from lumbar.figures.load import checked_file, default_figures
from lumbar.figures.pose import Figure

FILE = "camera.toml"

SIDED = tuple(sorted({n.removeprefix("left_") for n in NAMES if n.startswith("left_")}))
"""Landmarks that come in a left and a right: named bare ("hip"), they mean the side the
camera follows; `mid_hip` is halfway between the two."""
LANDMARK_NAMES = frozenset((*NAMES, *SIDED, *(f"mid_{n}" for n in SIDED)))

Key = tuple[str, str | None]
"""An exercise id and the version (None for the exercise itself)."""


@dataclass(frozen=True, slots=True)
class Check:
    id: str
    cue: str
    fault: str
    at: str


@dataclass(frozen=True, slots=True)
class CameraSpec:
    """One exercise's (or version's) camera content, checked; `as_json` is what the page
    gets, the shape static/camera/coach.js reads."""

    exercise_id: str
    version: str | None
    kind: str
    """"reps" or "hold"."""
    view: str
    checks: tuple[Check, ...]
    limits: str | None
    data: Mapping[str, Any]

    def check(self, check_id: str) -> Check | None:
        return next((c for c in self.checks if c.id == check_id), None)

    def as_json(self) -> dict[str, Any]:
        return dict(self.data)


@dataclass(frozen=True, slots=True)
class CameraContent:
    specs: Mapping[Key, CameraSpec]
    not_followed: Mapping[Key, str]
    """Each exercise or version the camera follows nothing in, with the plain reason."""

    def spec(self, exercise_id: str, version: str | None = None) -> CameraSpec | None:
        return self.specs.get((exercise_id, version))


@functools.cache
def default_camera() -> CameraContent:
    """The shipped camera content for the shipped catalogue, loaded once per process."""
    return load_camera(CONTENT_DIR / FILE, default_content(), default_figures())


def load_camera(path: Path, content: Content, figures: Mapping[str, Figure]) -> CameraContent:
    """The camera's specs, or a ContentError naming the fault."""
    checked = checked_file(path, CameraFile)
    specs: dict[Key, CameraSpec] = {}
    not_followed: dict[Key, str] = {}
    for entry in checked.camera:
        key = (entry.exercise, entry.version)
        where = f"{path.name}: {entry.exercise}" + (
            f" version {entry.version}" if entry.version else ""
        )
        if key in specs or key in not_followed:
            raise ContentError(f"{where}: listed twice")
        figure = _figure(figures, entry, where)
        if entry.none is not None:
            not_followed[key] = entry.none
        else:
            specs[key] = _spec(entry, figure, checked.cue_gap, where)
    for exercise in content.catalogue.values():
        for version in (None, *(v.id for v in (*exercise.variants, *exercise.alternatives))):
            if (exercise.id, version) not in specs and (exercise.id, version) not in not_followed:
                which = "" if version is None else f" version {version!r}"
                raise ContentError(
                    f"{path.name}: exercise {exercise.id!r}{which} has no entry; say what the "
                    "camera follows there, or why it follows nothing (`none`)"
                )
    return CameraContent(specs, not_followed)


def _figure(figures: Mapping[str, Figure], entry: CameraEntryFile, where: str) -> Figure:
    own = figures.get(entry.exercise)
    if own is None:
        raise ContentError(f"{where}: not an exercise of the catalogue")
    if entry.version is None:
        return own
    figure = own.versions.get(entry.version)
    if figure is None:
        raise ContentError(
            f"{where}: the exercise has no such version (its versions: "
            f"{', '.join(own.versions) or 'none'})"
        )
    return figure


def _landmarks(names: list[str], where: str) -> None:
    for name in names:
        if name not in LANDMARK_NAMES:
            raise ContentError(
                f"{where}: {name!r} is not a landmark the pose model reports (see "
                "docs/camera.md: BlazePose's names, a bare name for the side followed, or mid_)"
            )


def _pose(figure: Figure, name: str, where: str) -> None:
    poses = [p.name for p in figure.poses]
    if name not in poses:
        raise ContentError(
            f"{where}: {name!r} is not a pose of the exercise's figure (its poses: "
            f"{', '.join(poses)})"
        )


def _measure(measure: MeasureFile) -> dict[str, Any]:
    return {measure.kind: measure.landmarks, "pick": measure.pick}


def _spec(entry: CameraEntryFile, figure: Figure, cue_gap: float, where: str) -> CameraSpec:
    assert entry.view is not None and entry.count is not None  # the schema's _either
    count = entry.count
    _landmarks(entry.visible, f"{where}: visible")
    _landmarks(count.measure.landmarks, f"{where}: count")
    _pose(figure, count.from_, f"{where}: count from")
    _pose(figure, count.to, f"{where}: count to")
    checks: list[dict[str, Any]] = []
    for check in entry.check:
        _landmarks(check.measure.landmarks, f"{where}: check {check.id}")
        if check.at != THROUGHOUT:
            _pose(figure, check.at, f"{where}: check {check.id}")
            if check.at != count.to:
                raise ContentError(
                    f"{where}: check {check.id} is judged at {check.at!r}, but the count "
                    f"reaches {count.to!r}: a check at a pose is judged where the movement goes"
                )
        checks.append(
            {
                "id": check.id,
                "measure": _measure(check.measure),
                "at": check.at,
                **({"min": check.min} if check.min is not None else {}),
                **({"max": check.max} if check.max is not None else {}),
                "relative": check.relative,
                "rate": check.rate,
                "cue": check.cue,
                "fault": check.fault,
            }
        )
    data = {
        "exercise": entry.exercise,
        "version": entry.version,
        "view": entry.view,
        "kind": count.kind,
        "visible": list(entry.visible),
        "count": {
            "from": count.from_,
            "to": count.to,
            "measure": _measure(count.measure),
            "start": count.start,
            "reach": count.reach,
        },
        "checks": checks,
        "cue_gap": cue_gap,
        "limits": entry.limits,
    }
    return CameraSpec(
        entry.exercise,
        entry.version,
        count.kind,
        entry.view,
        tuple(Check(c.id, c.cue, c.fault, c.at) for c in entry.check),
        entry.limits,
        data,
    )


def camera_specs() -> Mapping[Key, CameraSpec]:
    """Every shipped spec, by (exercise id, version or None)."""
    return default_camera().specs
