"""A fake camera for Chromium made from a photograph of a person (issue #21): the tests of
the real pose model and bench/camera.py feed it to the page with
`--use-file-for-fake-video-capture`, so that MediaPipe sees a real body, with no camera.

The photograph is scikit-image's public-domain astronaut (NASA's portrait of Eileen
Collins), kept in .cache/test-photos/ by scripts/fetch-test-photo (`make test` runs it).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PHOTO = ROOT / ".cache" / "test-photos" / "astronaut.png"
VENDOR = ROOT / "src" / "lumbar" / "web" / "static" / "vendor" / "mediapipe-pose"
WIDTH, HEIGHT = 640, 480


def missing() -> str | None:
    """Why the real-model tests cannot run here, or None."""
    if not (VENDOR / "pose.js").is_file():
        return "the pose model is not fetched (scripts/fetch-pose-model, run by make test)"
    if not PHOTO.is_file():
        return "the test photograph is not fetched (scripts/fetch-test-photo, run by make test)"
    return None


def write_y4m(
    target: Path, frames: int = 10, photo: Path = PHOTO, size: tuple[int, int] = (WIDTH, HEIGHT)
) -> Path:
    """A YUV4MPEG2 video (640x480 unless `size` says) of `frames` frames, which Chromium
    plays in a loop at 30 a second: the photograph scaled to the frame's height, centred
    on grey, moved one pixel to the side each frame so that each is a new picture."""
    from PIL import Image

    width, height = size
    person = Image.open(photo).convert("RGB").resize((height, height))
    chunks = [f"YUV4MPEG2 W{width} H{height} F30:1 Ip A1:1 C420jpeg\n".encode()]
    for index in range(frames):
        canvas = Image.new("RGB", (width, height), (128, 128, 128))
        canvas.paste(person, ((width - height) // 2 + index % 3 - 1, 0))
        y, cb, cr = canvas.convert("YCbCr").split()
        half = (width // 2, height // 2)
        chunks += [
            b"FRAME\n",
            y.tobytes(),
            cb.resize(half, Image.Resampling.BOX).tobytes(),
            cr.resize(half, Image.Resampling.BOX).tobytes(),
        ]
    target.write_bytes(b"".join(chunks))
    return target


def camera_args(video: Path) -> list[str]:
    """Chromium's flags for a camera that plays `video`, allowed without asking."""
    return [
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
