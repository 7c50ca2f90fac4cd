"""The camera coach's accuracy on synthetic landmark streams (issue #21's second benchmark),
and what the engine adds to the time from a frame to a counted rep.

For each exercise and version the camera follows (content/camera.toml), SEEDS streams of the
figure's own movement (figures/landmark_streams.py) with a pose model's noise
(`REALISTIC`: wobble, stray points, dropped frames, a limb hidden for a moment, uneven
frame times), seen from either side, 2 to 5 reps, at 10, 15 or 30 frames a second, run
through static/camera/coach.js in headless Chromium:

- **exact** / **within one**: streams whose rep count is exact / off by at most one (holds:
  the seconds held within 3 of the seconds spent in the pose);
- **false cues**: streams of good form on which a cue was spoken (should be none);
- **rough, 4 fps**: the same with twice the noise (`ROUGH`) at 4 frames a second, about what
  the lite model gives here in software rendering: counts within one, and false cues;
- **faults caught**: for each form check, streams of the movement done wrong that way, on
  which the check failed on all reps but one at least and its cue was spoken.

The engine's own time: the milliseconds `coach.push` takes for a frame (in the page, each
stream's mean; the median of those), and the frames by which the count trails the movement (the
median smoothing: the rep event comes that many frames after the raw measure crosses back).
A frame's way to a counted rep is then the model's latency (bench/camera.py) plus these.

Run alone: `.venv/bin/python bench/camera_accuracy.py [--seeds 30]`; bench/camera.py runs it
too and puts the table beside the model's figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from lumbar.figures.camera import CameraSpec, default_camera  # noqa: E402
from lumbar.figures.landmark_streams import REALISTIC, ROUGH, Noise, faults, stream  # noqa: E402

CAMERA = ROOT / "src" / "lumbar" / "web" / "static" / "camera"
CHROMIUM = Path(os.environ.get("LUMBAR_CHROMIUM", "/usr/bin/chromium"))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SEEDS = 30
RATES = (10.0, 15.0, 30.0)
ROUGH_FPS = 4.0
"""About what the lite model gives in software rendering on this machine (bench/camera.py)."""

RUN = """([spec, frames]) => {
  frames = JSON.parse(frames);
  const coach = LumbarCoach.create(spec);
  const cues = [];
  // The page's clock is coarse (0.1 ms): time the whole stream, and divide.
  const t0 = performance.now();
  for (const frame of frames) {
    for (const e of coach.push(frame)) if (e.type === 'cue') cues.push(e.check);
  }
  const pushMs = (performance.now() - t0) / frames.length;
  return {summary: coach.summary(), cues, pushMs};
}"""

LAG = """([spec, frames]) => {
  // Frames between the raw measure crossing back past `start` and the rep event.
  frames = JSON.parse(frames);
  const coach = LumbarCoach.create(spec);
  const rising = spec.count.reach > spec.count.start;
  const lags = [];
  let crossed = null, wasPast = false;
  frames.forEach((frame, i) => {
    if (frame.landmarks) {
      const v = LumbarCoach.measure(spec.count.measure, frame, 'right');
      const past = rising ? v >= spec.count.reach : v <= spec.count.reach;
      const back = rising ? v < spec.count.start : v > spec.count.start;
      if (past) wasPast = true;
      if (wasPast && back && crossed === null) crossed = i;
    }
    for (const e of coach.push(frame)) {
      if (e.type !== 'rep' || crossed === null) continue;
      lags.push(i - crossed);
      crossed = null;
      wasPast = false;
    }
  });
  return lags;
}"""


@contextmanager
def coach_page() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page()
        page.set_content("<!doctype html><title>coach</title>")
        for script in ("body.js", "coach.js"):
            page.add_script_tag(path=str(CAMERA / script))
        try:
            yield page
        finally:
            browser.close()


def _name(key: tuple[str, str | None]) -> str:
    return key[0] + (f" ({key[1]})" if key[1] else "")


def _run(page: Any, spec: CameraSpec, frames: Any) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(RUN, [spec.as_json(), json.dumps(frames)])
    return result


def _counts(
    page: Any,
    key: tuple[str, str | None],
    spec: CameraSpec,
    seeds: int,
    noise: Noise,
    draw: Callable[[random.Random], tuple[int, float]],
    push_ms: list[float],
) -> tuple[int, int, int]:
    """Over `seeds` streams of good form with this noise (reps and frame rate drawn for each):
    how many counted exactly, how many within one, and on how many a cue was spoken."""
    exact = within = cues = 0
    rng = random.Random(f"{key}")
    for seed in range(seeds):
        reps, fps = draw(rng)
        if spec.kind == "hold":
            reps = 1
        hold = 2.0 if spec.kind == "reps" else 15.0
        made = stream(
            key[0],
            key[1],
            reps,
            fps=fps,
            hold=hold,
            noise=noise,
            seed=seed,
            mirrored=seed % 2 == 1,
        )
        result = _run(page, spec, made.frames)
        push_ms.append(result["pushMs"])
        got = result["summary"]
        if spec.kind == "reps":
            exact += got["reps"] == reps
            within += abs(got["reps"] - reps) <= 1
        else:
            exact += abs(got["held_seconds"] - hold) <= 3
            within += abs(got["held_seconds"] - hold) <= 3
        cues += bool(result["cues"])
    return exact, within, cues


def accuracy(seeds: int = SEEDS) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """One row per exercise and version followed, and the engine's own timing."""
    rows = []
    push_ms: list[float] = []
    lags: list[int] = []
    specs = sorted(default_camera().specs.items(), key=lambda i: (i[0][0], i[0][1] or ""))
    with coach_page() as page:
        for key, spec in specs:
            exact, within, false_cues = _counts(
                page,
                key,
                spec,
                seeds,
                REALISTIC,
                lambda rng: (rng.randint(2, 5), rng.choice(RATES)),
                push_ms,
            )
            # Rougher still, at the frame rate this machine's software rendering gives.
            _, rough_within, rough_cues = _counts(
                page, key, spec, seeds, ROUGH, lambda rng: (3, ROUGH_FPS), push_ms
            )
            if spec.kind == "reps":
                clean = stream(key[0], key[1], 4)
                lags += page.evaluate(LAG, [spec.as_json(), json.dumps(clean.frames)])
            caught: dict[str, int] = {}
            for check in faults(key[0], key[1]):
                caught[check] = 0
                for seed in range(seeds):
                    made = stream(
                        key[0],
                        key[1],
                        4,
                        hold=8.0,
                        noise=REALISTIC,
                        seed=seed,
                        mirrored=seed % 2 == 1,
                        fault=check,
                    )
                    result = _run(page, spec, made.frames)
                    got = result["summary"]
                    flagged = got["faults"].get(check, 0)
                    enough = flagged >= max(1, (got["reps"] or 1) - 1)
                    caught[check] += enough and check in result["cues"]
            rows.append(
                {
                    "exercise": _name(key),
                    "kind": spec.kind,
                    "streams": seeds,
                    "exact": exact,
                    "within_one": within,
                    "false_cues": false_cues,
                    "rough_within_one": rough_within,
                    "rough_false_cues": rough_cues,
                    "faults_caught": caught,
                }
            )
    timing = {
        "push_ms_median": statistics.median(push_ms),
        "push_ms_max": max(push_ms),
        "lag_frames_median": statistics.median(lags) if lags else 0.0,
        "lag_frames_max": float(max(lags)) if lags else 0.0,
    }
    return rows, timing


def table(rows: list[dict[str, Any]], timing: dict[str, float]) -> str:
    lines = [
        "| exercise | streams | count exact | within one | false cues | rough, 4 fps: within one"
        " | rough: false cues | faults caught |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        caught = ", ".join(f"{k} {v}/{row['streams']}" for k, v in row["faults_caught"].items())
        lines.append(
            f"| {row['exercise']}{' (hold)' if row['kind'] == 'hold' else ''} | {row['streams']} "
            f"| {row['exact']} | {row['within_one']} | {row['false_cues']} "
            f"| {row['rough_within_one']} | {row['rough_false_cues']} | {caught or '-'} |"
        )
    lines.append("")
    lines.append(
        f"The engine: `coach.push` takes {timing['push_ms_median']:.3f} ms a frame (the median "
        f"of the streams' means; the slowest stream's {timing['push_ms_max']:.3f} ms); the "
        f"count comes {timing['lag_frames_median']:g} frame(s) after the movement crosses "
        f"back (median; at most {timing['lag_frames_max']:g}), the median smoothing."
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=SEEDS, help="streams per exercise")
    args = parser.parse_args()
    if args.seeds < 1:
        parser.error("--seeds: at least 1")
    rows, timing = accuracy(args.seeds)
    print(table(rows, timing))


if __name__ == "__main__":
    main()
