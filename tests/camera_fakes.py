"""Camera specs for the tests of the camera's summaries (issue #21), shaped as the seam
says `lumbar.figures.camera.camera_specs()` gives them (kind, checks with id and fault),
until the shipped ones land; and a fixture that makes the app use them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from lumbar.formats import camera_summaries


@dataclass(frozen=True)
class Check:
    id: str
    fault: str
    cue: str = ""


@dataclass(frozen=True)
class Spec:
    kind: str
    checks: tuple[Check, ...]


SPECS: dict[tuple[str, str | None], Any] = {
    ("glute-bridge", None): Spec(
        "reps",
        (Check("hips-low", "hips stayed low"), Check("over-arch", "back arched past the line")),
    ),
    ("side-plank", None): Spec("hold", (Check("hips-sag", "hips sagged"),)),
    ("hip-flexor-stretch", None): Spec("hold", (Check("back-arch", "back arched"),)),
}

BRIDGE = {"reps": 8, "held_seconds": None, "faults": {"hips-low": 2}, "tracked_seconds": 41}
"""A glute bridge as the coach sums it up: 8 reps, the hips low on 2 of them."""
STRETCH = {"reps": None, "held_seconds": 30, "faults": {"back-arch": 2}, "tracked_seconds": 30}
"""A hip flexor stretch held 30 s, the back arched twice."""


@pytest.fixture
def camera_specs(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[tuple[str, str | None], Any]]:
    """The app's camera specs are `SPECS` for the test."""
    monkeypatch.setattr(camera_summaries, "shipped_specs", lambda: SPECS)
    yield SPECS
