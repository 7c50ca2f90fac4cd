"""MediaPipe Pose as the app serves it (issue #21): the files fetched by
scripts/fetch-pose-model are those its committed manifest names, with those hashes; the app
serves them under /static with the types a browser needs (WebAssembly must be
`application/wasm` to be compiled as it streams in); and the fetch script refuses, said
plainly and writing nothing, a registry it cannot reach, a tarball that is not the one
pinned, or a file whose hash differs.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import http.server
import importlib.machinery
import importlib.util
import io
import re
import socket
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lumbar.web.assets import IMMUTABLE, STATIC, static_url

ROOT = Path(__file__).resolve().parents[2]
VENDOR = STATIC / "vendor" / "mediapipe-pose"
SCRIPT = ROOT / "scripts" / "fetch-pose-model"
BINARY = {"application/octet-stream"}
TYPES = {
    # Either name of JavaScript's type (Python's own table, or the system's mime.types).
    ".js": {"text/javascript", "application/javascript"},
    # The only one that must be exact: a browser compiles WebAssembly as it streams in only
    # when it is served as application/wasm (pose.js falls back to a slower way otherwise).
    ".wasm": {"application/wasm"},
    ".tflite": BINARY,
    ".data": BINARY,
    ".binarypb": BINARY,
}


def manifest() -> dict[str, str]:
    lines = (VENDOR / "SHA256SUMS").read_text().splitlines()
    return {name: digest for digest, name in (line.split() for line in lines if line)}


def fetched() -> dict[str, str]:
    files = {name: digest for name, digest in manifest().items() if (VENDOR / name).is_file()}
    if not files:
        pytest.skip("the pose model is not fetched here (scripts/fetch-pose-model)")
    return files


def test_the_manifest_names_what_the_pose_source_asks_for() -> None:
    source = (STATIC / "camera" / "pose-source.js").read_text()
    asked = set(re.findall(r'"(pose_[\w.]+)"', source)) | {"pose.js"}
    assert asked == set(manifest()), "scripts/fetch-pose-model fetches what the page loads"
    assert all(re.fullmatch(r"[0-9a-f]{64}", digest) for digest in manifest().values())
    assert "Apache License" in (VENDOR / "LICENSE").read_text()
    readme = (VENDOR / "README.md").read_text()
    assert "@mediapipe/pose" in readme and "0.5.1675469404" in readme
    assert "0.5.1675469404" in SCRIPT.read_text()
    # The binaries stay out of git: only the licence, README and manifest are kept.
    ignored = (ROOT / ".gitignore").read_text()
    assert "/src/lumbar/web/static/vendor/mediapipe-pose/*" in ignored


def test_the_files_on_disk_are_those_of_the_manifest() -> None:
    for name, digest in fetched().items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    assert set(fetched()) == set(manifest()), "every file of the manifest, or none"


def test_the_app_serves_them_with_the_types_a_browser_needs(client: TestClient) -> None:
    for name in fetched():
        response = client.get(f"/static/vendor/mediapipe-pose/{name}")
        assert response.status_code == 200, name
        assert response.headers["content-type"].split(";")[0] in TYPES[Path(name).suffix], name
        assert response.content == (VENDOR / name).read_bytes(), name
        # Asked for by their plain names (by MediaPipe's own code): checked again each time.
        assert response.headers["cache-control"] == "no-cache", name
    # Pages name the pose source by its hash, kept a year like every other script.
    response = client.get(static_url("camera/pose-source.js"))
    assert response.status_code == 200
    assert response.headers["cache-control"] == IMMUTABLE
    assert response.headers["content-type"].startswith("text/javascript")
    with pytest.raises(ValueError, match="no static file"):
        static_url("vendor/mediapipe-pose/pose.js")  # third-party: plain names only


# The fetch script, against a registry on loopback.


def load_script(target: Path, url: str) -> Any:
    """The script as a module (its name has no .py), pointed at `target` and `url`."""
    loader = importlib.machinery.SourceFileLoader("fetch_pose_model", str(SCRIPT))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module: Any = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    module.TARGET, module.MANIFEST, module.URL = target, target / "SHA256SUMS", url
    module.TIMEOUT = 5
    return module


def tarball(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder served over HTTP on loopback: (the folder, its URL)."""
    folder = tmp_path / "registry"
    folder.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


FILES = {"pose.js": b"window.Pose = function () {};", "pose_web.binarypb": b"\x08\x01"}


def setup_target(tmp_path: Path, files: dict[str, bytes]) -> Path:
    target = tmp_path / "vendor"
    target.mkdir()
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in files.items())
    (target / "SHA256SUMS").write_text(sums)
    return target


def test_the_script_fetches_checks_and_then_does_nothing(
    tmp_path: Path, registry: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, url = registry
    package = tarball({**FILES, "pose_landmark_heavy.tflite": b"not wanted"})
    (folder / "pose.tgz").write_bytes(package)
    target = setup_target(tmp_path, FILES)
    script = load_script(target, f"{url}/pose.tgz")
    script.INTEGRITY = integrity(package)

    assert script.main() == 0
    assert {p.name for p in target.iterdir()} == {"SHA256SUMS", *FILES}
    assert (target / "pose.js").read_bytes() == FILES["pose.js"]
    # Present and matching: no network at all (the registry is gone).
    (folder / "pose.tgz").unlink()
    assert script.main() == 0
    # A file changed on disk is fetched again (and the registry is asked).
    (target / "pose.js").write_text("changed")
    assert script.main() == 1
    assert "could not download" in capsys.readouterr().err


def test_the_script_refuses_a_tarball_that_is_not_the_pinned_one(
    tmp_path: Path, registry: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, url = registry
    (folder / "pose.tgz").write_bytes(tarball(FILES))
    target = setup_target(tmp_path, FILES)
    script = load_script(target, f"{url}/pose.tgz")
    script.INTEGRITY = integrity(b"another package")

    assert script.main() == 1
    said = capsys.readouterr().err
    assert "is not the one pinned" in said and "Nothing was written" in said
    assert [p.name for p in target.iterdir()] == ["SHA256SUMS"]


def test_the_script_refuses_a_file_whose_hash_differs(
    tmp_path: Path, registry: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, url = registry
    package = tarball({**FILES, "pose.js": b"window.Pose = 'tampered';"})
    (folder / "pose.tgz").write_bytes(package)
    target = setup_target(tmp_path, FILES)
    script = load_script(target, f"{url}/pose.tgz")
    script.INTEGRITY = integrity(package)

    assert script.main() == 1
    said = capsys.readouterr().err
    assert "pose.js" in said and "expects" in said and "Nothing was written" in said
    assert [p.name for p in target.iterdir()] == ["SHA256SUMS"]


def test_the_script_says_plainly_when_the_registry_cannot_be_reached(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = setup_target(tmp_path, FILES)
    with closed_port() as port:
        script = load_script(target, f"http://127.0.0.1:{port}/pose.tgz")
        assert script.main() == 1
    said = capsys.readouterr().err
    assert "could not download" in said and "check the network connection" in said
    assert [p.name for p in target.iterdir()] == ["SHA256SUMS"]


@contextlib.contextmanager
def closed_port() -> Iterator[int]:
    """A loopback port nobody listens on (bound, never listening: connections refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        yield port
