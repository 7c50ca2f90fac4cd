"""Load `content/figures.toml`: check its shape, then check every pose as a body.

Loading refuses, with the exercise (and version) and the pose named, a catalogue exercise or
a version of one without a figure, a figure for no exercise or for a version the exercise
does not have, a muscle the figure cannot show, a contact off its floor, seat, counter, wall
or stick, a part through one, or a joint past its range: a wrong picture is a content error,
like a wrong dose.
Figures load only where pictures are drawn (the web app, `lumbar exercises --svg`), so the
command line's quick paths never pay for them.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from lumbar.content.load import CONTENT_DIR, Content, ContentError, default_content
from lumbar.domain.model import Exercise
from lumbar.figures.body import (
    CONTACTS,
    FLOOR,
    LIMB_SEGMENTS,
    MUSCLES,
    ROLLER_CONTACT,
    SEGMENTS,
    SIDES,
    SURFACES,
    split_contact,
)
from lumbar.figures.drawings import Drawings
from lumbar.figures.motion import timeline
from lumbar.figures.pose import SEAT_DEPTH, Figure, Pose, Props, Top
from lumbar.figures.supports import frame_problems, pose_problems

if TYPE_CHECKING:
    from pydantic import BaseModel

FILE = "figures.toml"
Checked = TypeVar("Checked", bound="BaseModel")


@functools.cache
def default_figures() -> Mapping[str, Figure]:
    """The shipped figures for the shipped catalogue, loaded once per process."""
    return load_figures(CONTENT_DIR / FILE, default_content())


def drawings_for(content: Content) -> Drawings:
    """Drawings of the shipped figures for this content (a test's content included)."""
    if content is default_content():
        return Drawings(default_figures(), content.catalogue)
    return Drawings(load_figures(CONTENT_DIR / FILE, content), content.catalogue)


def checked_file(path: Path, model: type[Checked]) -> Checked:
    """A TOML file of the figures' content read and checked against its pydantic model, or a
    ContentError naming the file and the first fault."""
    from pydantic import ValidationError

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ContentError(f"{path.name}: cannot read it ({error.strerror})") from error
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ContentError(f"{path.name}: not valid TOML ({error})") from error
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        message = str(problem["msg"]).removeprefix("Value error, ")
        raise ContentError(f"{path.name}: {where}: {message}") from error


def load_figures(path: Path, content: Content) -> dict[str, Figure]:
    """Every exercise's figure, keyed by exercise id, each holding its versions' figures;
    or a ContentError naming the fault."""
    from lumbar.content.schema import FiguresFile

    checked = checked_file(path, FiguresFile).model_dump()
    drawn: dict[tuple[str, str | None], Figure] = {}
    for entry in checked["figure"]:
        exercise = content.catalogue.get(entry["exercise"])
        if exercise is None:
            raise ContentError(
                f"{path.name}: a figure for {entry['exercise']!r}, which is not in the catalogue"
            )
        version = entry["version"]
        versions = [v.id for v in (*exercise.variants, *exercise.alternatives)]
        if version is not None and version not in versions:
            raise ContentError(
                f"{path.name}: a figure for {exercise.id!r} version {version!r}, which the "
                f"exercise does not have (its versions: {', '.join(versions) or 'none'})"
            )
        drawn[(exercise.id, version)] = _figure(entry, exercise, path.name)
    figures = {}
    for exercise in content.catalogue.values():
        for version in (None, *(v.id for v in (*exercise.variants, *exercise.alternatives))):
            if (exercise.id, version) not in drawn:
                which = "" if version is None else f" version {version!r}"
                raise ContentError(
                    f"{path.name}: exercise {exercise.id!r}{which} has no figure; "
                    "every exercise and each of its versions needs 2 to 4 key poses"
                )
        own = drawn[(exercise.id, None)]
        figures[exercise.id] = replace(
            own,
            versions={
                version: figure
                for (exercise_id, version), figure in drawn.items()
                if exercise_id == exercise.id and version is not None
            },
        )
    return figures


def _figure(entry: Mapping[str, Any], exercise: Exercise, where: str) -> Figure:
    unknown = [m for m in exercise.muscles if m not in MUSCLES]
    if unknown:
        raise ContentError(
            f"{where}: {exercise.id!r} works {unknown[0]!r}, which the figure cannot show "
            "(figures/body.py MUSCLES lists those it can)"
        )
    which = repr(exercise.id) + ("" if entry["version"] is None else f" {entry['version']!r}")
    props = _props(entry)
    poses = tuple(_pose(p, f"{where}: {which} pose {p['name']!r}", props) for p in entry["pose"])
    figure = Figure(
        exercise_id=exercise.id,
        poses=poses,
        muscles=exercise.muscles,
        props=props,
        move=entry["move"],
        highlight_side=entry["highlight_side"],
        version=entry["version"],
    )
    for pose in poses:
        problems = pose_problems(figure, pose)
        if problems:
            raise ContentError(f"{where}: {which} pose {pose.name!r}: {problems[0]}")
    for frame in timeline(figure).frames:
        problems = frame_problems(frame.body, props)
        if problems:
            moving = frame.body.pose.name.replace(">", " to ")
            raise ContentError(f"{where}: {which} moving {moving}: {problems[0]}")
    return figure


def _props(entry: Mapping[str, Any]) -> Props:
    seat, counter = entry["seat"], entry["counter"]
    return Props(
        mat="mat" in entry["props"],
        weight="weight" in entry["props"],
        stick="stick" in entry["props"],
        seat=None
        if seat is None
        else Top(seat["front"] - SEAT_DEPTH, seat["front"], seat["height"]),
        counter=None
        if counter is None
        else Top(counter["left"], counter["right"], counter["height"], counter["beside"]),
        wall=entry["wall"],
    )


def _pose(entry: Mapping[str, Any], where: str, props: Props) -> Pose:
    for contact in entry["contacts"]:
        part, surface = split_contact(contact)
        if part not in CONTACTS and part != ROLLER_CONTACT:
            raise ContentError(
                f"{where}: unknown contact {contact!r}; the contacts are {', '.join(CONTACTS)}"
            )
        if surface != FLOOR and surface not in SURFACES:
            raise ContentError(
                f"{where}: unknown support in {contact!r}; after an @ come {', '.join(SURFACES)}"
            )
        if not props.support(surface):
            raise ContentError(
                f"{where}: {contact!r} rests on a {surface} the figure does not have"
            )
        if part == ROLLER_CONTACT and surface not in (FLOOR, "wall"):
            raise ContentError(f"{where}: the roller rests on the floor or against a wall")
    rolled = [c for c in entry["contacts"] if split_contact(c)[0] == ROLLER_CONTACT]
    if bool(rolled) != (entry["roller"] is not None) or len(rolled) > 1:
        raise ContentError(
            f"{where}: a roller contact needs a roller position, and the other way round"
        )
    roller = None
    if entry["roller"] is not None:
        if entry["roller"]["segment"] not in SEGMENTS:
            raise ContentError(
                f"{where}: roller under unknown segment {entry['roller']['segment']!r}"
            )
        roller = (entry["roller"]["segment"], entry["roller"]["at"])
    return Pose(
        name=entry["name"],
        label=entry["label"],
        angles=_by_segment(entry["angles"], where, "angles", required=True),
        contacts=tuple(entry["contacts"]),
        tilts=_by_segment(entry["tilt"], where, "tilt", required=False),
        twist_pelvis=entry["twist"]["pelvis"],
        twist_chest=entry["twist"]["chest"],
        hold=entry["hold"],
        pause=entry["pause"],
        move=entry["move"],
        roller=roller,
        turn=1.0 if entry["cue"] == "turn" else 0.0,
        rise=1.0 if entry["cue"] == "rise" else 0.0,
    )


def _by_segment(
    values: Mapping[str, float], where: str, what: str, *, required: bool
) -> dict[str, float]:
    """Expand `thigh = 60` to both thighs; `thigh_near = 70` sets one side."""
    out: dict[str, float] = {}
    for key, value in values.items():
        if key in LIMB_SEGMENTS:
            for side in SIDES:
                out.setdefault(f"{key}_{side}", value)
        elif key not in SEGMENTS:
            raise ContentError(f"{where}: {what}: unknown segment {key!r}")
    for key, value in values.items():
        if key in SEGMENTS:
            out[key] = value
    if required:
        missing = [s for s in SEGMENTS if s not in out]
        if missing:
            raise ContentError(f"{where}: {what}: no direction for {missing[0]!r}")
    return out
