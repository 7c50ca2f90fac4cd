"""docs/camera.md holds to camera.toml: every exercise the camera follows or not, and every
check, is explained there in words."""

from __future__ import annotations

from pathlib import Path

from lumbar.content.load import default_content
from lumbar.figures.camera import default_camera

DOC = (Path(__file__).parents[2] / "docs" / "camera.md").read_text(encoding="utf-8")


def test_every_check_is_explained_with_its_cue() -> None:
    for spec in default_camera().specs.values():
        for check in spec.checks:
            assert f"**{check.id}**" in DOC, check.id
            assert check.cue in DOC, check.cue


def test_every_exercise_followed_or_not_is_named() -> None:
    catalogue = default_content().catalogue
    camera = default_camera()
    for exercise_id, _ in (*camera.specs, *camera.not_followed):
        assert catalogue[exercise_id].name in DOC, exercise_id
