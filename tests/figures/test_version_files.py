"""A version's figure outside the library page: as a file from the web app, and from the
command line (`/figures/ID.svg?version=V`, `lumbar exercises ID --svg FILE --version V`)."""

from __future__ import annotations

import io
import json
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lumbar.cli.main import run
from lumbar.content.load import Content
from lumbar.store.database import Store, sqlite_url
from lumbar.web.app import create_app

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    store = Store(sqlite_url(tmp_path / "lumbar.db"))
    with TestClient(
        create_app(store), base_url="http://127.0.0.1", client=("127.0.0.1", 50000)
    ) as opened:
        yield opened
    store.dispose()


def test_each_version_has_its_figure_as_a_file_in_three_forms(
    client: TestClient, content: Content
) -> None:
    for exercise in content.catalogue.values():
        for version in (*exercise.variants, *exercise.alternatives):
            params = {"version": version.id}
            moving = client.get(f"/figures/{exercise.id}.svg", params=params)
            assert moving.status_code == 200, (exercise.id, version.id)
            assert moving.headers["content-type"] == "image/svg+xml"
            assert ET.fromstring(moving.text).get("aria-label") == version.name
            poses = client.get(f"/figures/{exercise.id}-poses.svg", params=params)
            assert ET.fromstring(poses.text).get("aria-label") == f"{version.name}: key poses"
            still = client.get(f"/figures/{exercise.id}-still.svg", params=params)
            assert list(ET.fromstring(still.text).iter(f"{SVG}animate")) == []
    held = client.get("/figures/side-plank.svg", params={"version": "knees", "hold": 20})
    root = ET.fromstring(held.text)
    assert float(root.get("data-hold-end", "")) - float(root.get("data-hold-start", "")) == 20


def test_a_figure_file_refuses_a_version_the_exercise_does_not_have(client: TestClient) -> None:
    for name, version in (("side-plank", "elbows"), ("squat-poses", "knees"), ("squat", "")):
        refused = client.get(f"/figures/{name}.svg", params={"version": version})
        assert refused.status_code == 404, (name, version)
        assert refused.headers["content-type"].startswith("text/plain")
        assert f"No version {version!r}" in refused.text
    assert client.get("/figures/crunch.svg", params={"version": "chair"}).status_code == 404
    bad_hold = client.get("/figures/squat.svg", params={"version": "chair", "hold": 0})
    assert bad_hold.status_code == 422


def lumbar(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    *args: str,
) -> tuple[int, str, str]:
    """`lumbar ARGS --db <a fresh file>`: the exit code and both streams."""
    monkeypatch.delenv("LUMBAR_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    try:
        run([*args, "--db", str(tmp_path / "lumbar.db")])
        code = 0
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line_writes_a_version_figure_and_refuses_an_unknown_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "sit-to-stand.svg"
    code, out, _ = lumbar(
        monkeypatch,
        capsys,
        tmp_path,
        "exercises",
        "squat",
        "--svg",
        str(target),
        "--version",
        "chair",
    )
    assert code == 0 and "Wrote the figure of Sit to stand" in out
    root = ET.fromstring(target.read_text(encoding="utf-8"))
    assert root.get("aria-label") == "Sit to stand" and list(root.iter(f"{SVG}animate"))
    poses = tmp_path / "knees.svg"
    code, out, _ = lumbar(
        monkeypatch, capsys, tmp_path,
        "exercises", "side-plank", "--svg", str(poses), "--poses", "--version", "knees", "--json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out) == {
        "exercise": "side-plank",
        "file": str(poses),
        "kind": "poses",
        "version": "knees",
    }
    labels = [t.text for t in ET.fromstring(poses.read_text(encoding="utf-8")).iter(f"{SVG}text")]
    assert labels == [
        "1. On your side, on one forearm, knees bent",
        "2. Hips up, head to knees in line",
    ]

    refused = tmp_path / "refused.svg"
    for args, fragment in (
        (
            ("squat", "--svg", str(refused), "--version", "knees"),
            "'squat' has no version 'knees'; its versions are chair",
        ),
        (("squat", "--version", "chair"), "--version draws a figure for --svg FILE"),
    ):
        code, out, err = lumbar(monkeypatch, capsys, tmp_path, "exercises", *args)
        assert code == 2, (args, out, err)
        assert err.startswith("lumbar: ") and err.count("\n") == 1 and fragment in err
        assert "Traceback" not in out + err
    assert not refused.exists()
