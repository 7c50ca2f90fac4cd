"""The shape of `camera.toml`: what the camera coach counts and checks for each exercise.

Checked by pydantic when the camera's content loads (`figures/camera.py`, which also checks
every landmark and pose it names against the pose model's landmarks and the exercise's
figure). docs/camera.md explains the fields and each check in a clinician's words.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

KINDS = ("angle", "bend", "incline", "gap", "ahead")
"""What a measure can be, and how many landmarks each takes (see static/camera/coach.js)."""
POINTS = {"angle": 3, "bend": 3, "incline": 2, "gap": 2, "ahead": 2}
THROUGHOUT = "throughout"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class MeasureFile(_Strict):
    """One number read from a frame's landmarks; exactly one kind is given."""

    angle: list[str] | None = None
    bend: list[str] | None = None
    incline: list[str] | None = None
    gap: list[str] | None = None
    ahead: list[str] | None = None
    pick: Literal["near", "max", "min", "front"] = "near"
    """Which side's value: the side facing the camera, the larger or smaller of the two
    sides' (the limb that is moving), or the leg in front (a lunge)."""

    @model_validator(mode="after")
    def _one_kind(self) -> MeasureFile:
        given = [kind for kind in KINDS if getattr(self, kind) is not None]
        if len(given) != 1:
            raise ValueError(f"a measure is exactly one of {', '.join(KINDS)}")
        names = getattr(self, given[0])
        if len(names) != POINTS[given[0]]:
            raise ValueError(f"{given[0]} takes {POINTS[given[0]]} landmarks, not {len(names)}")
        return self

    @property
    def kind(self) -> str:
        return next(kind for kind in KINDS if getattr(self, kind) is not None)

    @property
    def landmarks(self) -> list[str]:
        return list(getattr(self, self.kind))


class CountFile(_Strict):
    """How a repetition (or a hold) is found: the measure moves from the `from` pose past
    `start` toward the `to` pose, past `reach`; back past `start`, the rep is done. The gap
    between the two thresholds is the hysteresis that keeps jitter from counting twice."""

    kind: Literal["reps", "hold"]
    from_: str = Field(alias="from", min_length=1)
    to: str = Field(min_length=1)
    measure: MeasureFile
    start: float
    reach: float

    @model_validator(mode="after")
    def _apart(self) -> CountFile:
        if self.start == self.reach:
            raise ValueError("start and reach must differ (the hysteresis between them)")
        if self.from_ == self.to:
            raise ValueError("a count goes from one pose to another")
        return self


class CheckFile(_Strict):
    """One form check: a measure kept between `min` and `max` at a pose or throughout."""

    id: str = Field(pattern=r"^[a-z]+(-[a-z]+)*$")
    measure: MeasureFile
    at: str = Field(min_length=1)
    """The pose of the exercise's figure it is judged at, or "throughout" the movement."""
    min: float | None = None
    max: float | None = None
    relative: bool = False
    """Judged against the value at rest just before the rep (a line that must not move)."""
    rate: bool = False
    """Judged on how fast the measure changes, per second (a jerk at the end of a range)."""
    cue: str = Field(min_length=8, max_length=110)
    """Spoken when the check fails twice running: what to do, in a few calm words."""
    fault: str = Field(min_length=4, max_length=40)
    """The summary's words for a failure: "hips stayed low" (on 2 of 8 reps)."""

    @model_validator(mode="after")
    def _bounded(self) -> CheckFile:
        if self.min is None and self.max is None:
            raise ValueError("a check needs a min, a max, or both")
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise ValueError("a check's min must be below its max")
        return self


class CameraEntryFile(_Strict):
    """One exercise (or one version of it): either what the camera follows, or `none`, the
    plain reason it follows nothing there."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True)

    exercise: str
    version: str | None = None
    none: str | None = Field(default=None, min_length=10, max_length=200)
    view: Literal["side", "front"] | None = None
    visible: list[str] = []
    count: CountFile | None = None
    check: list[CheckFile] = []
    limits: str | None = Field(default=None, max_length=200)
    """This exercise's own limits, beyond the ones every exercise has (docs/camera.md)."""

    @model_validator(mode="after")
    def _either(self) -> CameraEntryFile:
        followed = self.view is not None or self.count is not None or self.visible
        if self.none is not None:
            if followed or self.check or self.limits:
                raise ValueError("an exercise the camera does not follow has only its reason")
            return self
        if self.view is None or self.count is None or not self.visible:
            raise ValueError("needs view, visible and count, or `none` with a reason")
        ids = [c.id for c in self.check]
        if len(set(ids)) != len(ids):
            raise ValueError("two checks with the same id")
        return self


class CameraFile(_Strict):
    cue_gap: float = Field(ge=1, le=30)
    """Seconds between two spoken cues at the least: a coach, not a nag."""
    camera: list[CameraEntryFile] = Field(min_length=1)
