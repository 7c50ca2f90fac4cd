"""Benchmarks of the camera coach's pose model in Chromium (issue #21): how many frames a
second MediaPipe Pose gives in the page, and how long a frame takes from the moment it is
handed to the model to its landmarks.

Targets (issue #21), each reported next to a baseline measured in the same run, because the
machines this runs on are shared and noisy:

- **Frames per second**, lite model: at least 15 (and what the full model gives).
- **Latency**, a frame handed to the model -> its landmarks back in the page (the
  `lumbar:pose` event), p50 and p95: under 150 ms.
- Baseline: the same page and fake camera with no model: the frames the camera delivers a
  second (`requestVideoFrameCallback`), and the time to copy a frame to a canvas and read
  its pixels back (what touching a frame costs at all, before any model).

How it is measured:

- The server is a real process, as `lumbar serve` runs it (one uvicorn worker on
  127.0.0.1, `bench/web.py`'s `serving`), on an empty SQLite file: the camera check page
  (`GET /camera`) needs no program.
- Chromium is Debian's (`/usr/bin/chromium`), launched by Playwright for Python, headless,
  with the flags of tests/browser/conftest.py and a fake camera playing a 640x480 (or
  320x240) .y4m made from scikit-image's astronaut photograph (tests/browser/fake_camera.py;
  `make test-photo` fetches it). Each configuration is a new browser.
- In the page, `LumbarPose.start({video, model})` (static/camera/pose-source.js) runs the
  model on the camera; a listener records, for each `lumbar:pose` event, when it came
  and `performance.now() - detail.time` (the frame's hand-off time). The first WARM_UP_S
  seconds after the first landmarks are not counted (shader compilation, caches), then
  frames are counted over MEASURE_S seconds. A configuration whose frames have no
  landmarks (the model found nobody) fails the run: its speed would mean nothing.
- Configurations: each model with the default flags (`--disable-gpu`: WebGL2 is
  SwiftShader, software, on the CPU), and what was tried to make software rendering
  faster (see CONFIGURATIONS).

A missed target is reported, not a failure. Figures go to `bench/results/camera-latest.json`.

Run: `.venv/bin/python bench/camera.py [--measure 10] [--only NAME]` (or `python -m
bench.camera`). Needs Chromium, Playwright for Python, the pose model
(`scripts/fetch-pose-model`) and the test photograph (`scripts/fetch-test-photo`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))

from bench.camera_accuracy import table  # noqa: E402
from bench.web import Failure, free_port, percentile, serving  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.browser.fake_camera import camera_args, missing, write_y4m  # noqa: E402

TARGET_FPS = 15.0
TARGET_MS = 150.0
WARM_UP_S = 3.0
START_TIMEOUT_S = 90.0


@dataclass(frozen=True)
class Configuration:
    name: str
    model: str  # "lite" | "full" | "none" (the baseline: no model)
    flags: tuple[str, ...] = ()
    """Added to CHROMIUM_ARGS; a flag prefixed with "-" removes that flag from them."""
    size: tuple[int, int] = (640, 480)


SWIFTSHADER = ("--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader")
CONFIGURATIONS = (
    Configuration("baseline: camera only, no model", "none"),
    Configuration("lite", "lite"),
    Configuration("full", "full"),
    # What was tried to help software GL: ANGLE on SwiftShader explicitly (the GPU process
    # on, WebGL through ANGLE), a smaller camera frame, and WebGL off altogether.
    Configuration("lite, ANGLE SwiftShader", "lite", ("-" + "--disable-gpu", *SWIFTSHADER)),
    Configuration("full, ANGLE SwiftShader", "full", ("-" + "--disable-gpu", *SWIFTSHADER)),
    Configuration("lite, 320x240 camera", "lite", (), (320, 240)),
    Configuration("lite, no WebGL", "lite", ("--disable-webgl", "--disable-webgl2")),
)


@dataclass
class Measured:
    name: str
    model: str
    command_flags: list[str]
    frames: int
    seconds: float
    with_landmarks: int
    latency_ms: list[float]
    first_landmarks_ms: float | None
    """From LumbarPose.start() to the first landmarks (files, compile, model, camera)."""
    webgl2: str
    failed: str | None = None
    """Why the model did not run in this configuration (reported; the run goes on)."""

    @property
    def fps(self) -> float:
        return self.frames / self.seconds if self.seconds else 0.0


RECORDER = """
() => {
  window.__frames = [];
  document.addEventListener("lumbar:pose", (event) => {
    const now = performance.now();
    window.__frames.push([now, now - event.detail.time, event.detail.landmarks ? 1 : 0]);
  });
}
"""

START = """
async (model) => {
  const video = document.querySelector("[data-camera-video]");
  video.hidden = false;
  const began = performance.now();
  window.__session = await LumbarPose.start({video: video, model: model});
  return began;
}
"""

# The baseline: the same fake camera, no model. Each presented frame is copied to a canvas
# and one pixel read back (what any use of a frame costs), timed like a model's frame.
CAMERA_ONLY = """
async () => {
  const video = document.querySelector("[data-camera-video]");
  video.hidden = false;
  const stream = await navigator.mediaDevices.getUserMedia({video: {width: {ideal: 640},
    height: {ideal: 480}}, audio: false});
  video.srcObject = stream;
  await video.play();
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", {willReadFrequently: true});
  const frame = () => {
    const handed = performance.now();
    canvas.width = video.videoWidth; canvas.height = video.videoHeight;
    context.drawImage(video, 0, 0);
    context.getImageData(0, 0, 1, 1);
    const detail = {time: handed, landmarks: [], width: video.videoWidth,
      height: video.videoHeight};
    document.dispatchEvent(new CustomEvent("lumbar:pose", {detail: detail}));
    video.requestVideoFrameCallback(frame);
  };
  video.requestVideoFrameCallback(frame);
  return performance.now();
}
"""

WEBGL2 = """
() => {
  const gl = document.createElement("canvas").getContext("webgl2");
  if (!gl) return "none";
  const info = gl.getExtension("WEBGL_debug_renderer_info");
  return info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : "webgl2";
}
"""


def flags_of(configuration: Configuration, video: Path) -> list[str]:
    removed = {flag[1:] for flag in configuration.flags if flag.startswith("-" + "--")}
    added = [flag for flag in configuration.flags if not flag.startswith("-" + "--")]
    return [f for f in CHROMIUM_ARGS if f not in removed] + added + camera_args(video)


def measure(
    playwright: Any, url: str, configuration: Configuration, video: Path, seconds: float
) -> Measured:
    flags = flags_of(configuration, video)
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=flags)
    try:
        page = browser.new_page()
        page.goto(f"{url}/camera")
        page.evaluate(RECORDER)
        renderer = str(page.evaluate(WEBGL2))
        started = time.monotonic()
        try:
            if configuration.model == "none":
                began = float(page.evaluate(CAMERA_ONLY))
            else:
                began = float(page.evaluate(START, configuration.model))
        except Exception as error:  # the page's own words, first line: "... could not start"
            if configuration.model == "none":
                raise Failure(f"{configuration.name}: the camera did not start: {error}") from None
            said = str(error).splitlines()[0].split("LumbarPoseError: ")[-1]
            return Measured(
                configuration.name,
                configuration.model,
                flags[: -len(camera_args(video))],
                0,
                0.0,
                0,
                [],
                None,
                renderer,
                failed=said,
            )
        while not page.evaluate("() => window.__frames.some((f) => f[2])"):
            if time.monotonic() - started > START_TIMEOUT_S:
                raise Failure(f"{configuration.name}: no landmarks in {START_TIMEOUT_S:g} s")
            time.sleep(0.1)
        first = page.evaluate("() => window.__frames.find((f) => f[2])[0]")
        time.sleep(WARM_UP_S)
        from_ms = float(page.evaluate("() => performance.now()"))
        time.sleep(seconds)
        to_ms = float(page.evaluate("() => performance.now()"))
        frames: list[list[float]] = page.evaluate(
            "([a, b]) => window.__frames.filter((f) => f[0] >= a && f[0] < b)", [from_ms, to_ms]
        )
    finally:
        browser.close()
    return Measured(
        name=configuration.name,
        model=configuration.model,
        command_flags=flags[: -len(camera_args(video))],
        frames=len(frames),
        seconds=(to_ms - from_ms) / 1000,
        with_landmarks=sum(1 for f in frames if f[2]),
        latency_ms=[f[1] for f in frames],
        first_landmarks_ms=None if configuration.model == "none" else first - began,
        webgl2=renderer,
    )


def synthetic_accuracy() -> tuple[list[dict[str, Any]], dict[str, float]]:
    """The rep-count accuracy, false cues and faults caught per exercise over the synthetic
    landmark streams, and the engine's own time per frame (bench/camera_accuracy.py)."""
    from bench.camera_accuracy import accuracy

    return accuracy()


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def report(version: str, cores: int | None, results: list[Measured], measure_s: float) -> None:
    load = os.getloadavg()
    baseline = results[0]
    base_p50 = percentile(baseline.latency_ms, 50) if baseline.latency_ms else 0.0
    print(f"Chromium {version}, Python {sys.version.split()[0]}, {cores} cores, ", end="")
    print(f"{measure_s:g} s counted per configuration after {WARM_UP_S:g} s of warm-up; ", end="")
    # The machine is shared: how busy it was says how far to trust the figures.
    print("load average (1, 5, 15 min) at the end: " + ", ".join(f"{x:.2f}" for x in load) + "\n")
    print("| configuration | frames/s | latency p50 ms | p95 ms | first landmarks s | WebGL2 |")
    print("|---|---|---|---|---|---|")
    for m in results:
        if m.failed:
            print(f"| {m.name} | did not start: {m.failed} | | | | {m.webgl2} |")
            continue
        first = "" if m.first_landmarks_ms is None else f"{m.first_landmarks_ms / 1000:.1f}"
        p50, p95 = percentile(m.latency_ms, 50), percentile(m.latency_ms, 95)
        print(f"| {m.name} | {m.fps:.1f} | {p50:.0f} | {p95:.0f} | {first} | {m.webgl2} |")
    print("\n| target | figure | verdict | baseline (same run) |")
    print("|---|---|---|---|")
    for m in results[1:]:
        if m.failed:
            continue
        p50, p95 = percentile(m.latency_ms, 50), percentile(m.latency_ms, 95)
        print(
            f"| {m.name}: >= {TARGET_FPS:g} frames/s | {m.fps:.1f} | "
            f"{verdict(m.fps >= TARGET_FPS)} | camera alone {baseline.fps:.1f} frames/s |"
        )
        print(
            f"| {m.name}: latency < {TARGET_MS:g} ms | p50 {p50:.0f}, p95 {p95:.0f} | "
            f"{verdict(p95 < TARGET_MS)} | a frame copied and read {base_p50:.1f} ms |"
        )
    print("\nThe flags of each configuration (besides the fake camera's):\n")
    for m in results:
        print(f"- {m.name}: `{' '.join(m.command_flags)}`")
    rows, timing = synthetic_accuracy()
    print("\nRep counts, false cues and faults caught over the synthetic streams:\n")
    print(table(rows, timing))
    lite = next((m for m in results if m.model == "lite" and m.latency_ms), None)
    if lite is not None:
        # A rep is counted on the frame after the movement crosses back (the median of three
        # steadies each measure): the model's latency, the engine's time, and a frame.
        frame_ms = 1000 / lite.fps if lite.fps else 0.0
        for at_fps, gap in (("measured", frame_ms), ("15 fps", 1000 / 15)):
            total = percentile(lite.latency_ms, 95) + timing["push_ms_median"]
            total += timing["lag_frames_median"] * gap
            print(
                f"\nA frame to a counted rep, lite model, {at_fps}: "
                f"{total:.0f} ms (p95 latency + engine + {timing['lag_frames_median']:g} frame "
                f"of {gap:.0f} ms); target < {TARGET_MS:g} ms: {verdict(total < TARGET_MS)}"
            )
    results_dir = BENCH / "results"
    results_dir.mkdir(exist_ok=True)
    summary = {
        "chromium": version,
        "cores": cores,
        "measure_s": measure_s,
        "load_average": load,
        "configurations": [
            {
                **asdict(m),
                "fps": m.fps,
                "p50_ms": percentile(m.latency_ms, 50) if m.latency_ms else None,
                "p95_ms": percentile(m.latency_ms, 95) if m.latency_ms else None,
            }
            for m in results
        ],
        "synthetic_accuracy": rows,
        "engine": timing,
    }
    (results_dir / "camera-latest.json").write_text(json.dumps(summary, indent=2) + "\n")


def main() -> None:
    try:
        run()
    except Failure as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        sys.exit(1)


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--measure", type=float, default=10.0, help="seconds counted each")
    parser.add_argument("--only", action="append", default=[], help="configuration names")
    args = parser.parse_args()
    if args.measure <= 0:
        parser.error("--measure: more than 0 seconds")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sys.exit("Playwright for Python is not installed (pip install playwright)")
    if not CHROMIUM.exists():
        sys.exit(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    why = missing()
    if why is not None:
        sys.exit(why)
    chosen = [c for c in CONFIGURATIONS if not args.only or c.name in args.only]
    if not chosen or chosen[0].model != "none":
        chosen = [CONFIGURATIONS[0], *chosen]  # the baseline, always
    lumbar_script = str(Path(sys.executable).with_name("lumbar"))

    with tempfile.TemporaryDirectory(prefix="lumbar-bench-camera-") as scratch_name:
        scratch = Path(scratch_name)
        videos = {
            size: write_y4m(scratch / f"astronaut-{size[0]}.y4m", size=size)
            for size in {c.size for c in chosen}
        }
        port = free_port()
        serve = [lumbar_script, "serve", "--db", str(scratch / "lumbar.db"), "--port", str(port)]
        with serving("lumbar", serve, port, scratch) as lumbar, sync_playwright() as playwright:
            results = []
            version = ""
            for configuration in chosen:
                results.append(
                    measure(
                        playwright,
                        lumbar.base,
                        configuration,
                        videos[configuration.size],
                        args.measure,
                    )
                )
                print(f"measured: {configuration.name}", file=sys.stderr)
            probe = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            version = probe.version
            probe.close()
    for m in results[1:]:
        if m.frames and m.with_landmarks < m.frames / 2:
            raise Failure(f"{m.name}: landmarks in only {m.with_landmarks} of {m.frames} frames")
    report(version, os.cpu_count(), results, args.measure)


if __name__ == "__main__":
    main()
