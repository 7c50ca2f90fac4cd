"""Issue #16's "Done when", end to end: a phone on the Wi-Fi pairs by its code, does a
session hands-free, loses the Wi-Fi in the middle, and nothing is lost.

`lumbar serve --phone` runs as a person runs it, answering on this side of a virtual cable
(tests/netns.py); Chromium runs on the other side, in the phone's own network namespace, at
phone size. It trusts lumbar's certificate by its public key (as a phone does once the
person installs it: the page is then a secure context, with its wake lock and service
worker). The link it opens is the one the QR code holds. The Wi-Fi drops for real: the
phone's end of the cable goes down.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, exercise_title, watch_policy
from tests.browser.test_offline import OFFLINE, next_exercise, outbox_line, recorded_sessions
from tests.browser.test_player_handsfree import RECORDER, do_exercise, recorded
from tests.cli.test_serve import _free_port
from tests.netns import PhoneNetwork, phone_network
from tests.web.conftest import ANSWERS, PHASE_1

MONDAY = "2026-11-02"


def _trusted_key(certificate: Path) -> str:
    """The certificate's public key as Chromium's --ignore-certificate-errors-spki-list
    names it: base64 of the SHA-256 of its SubjectPublicKeyInfo."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    loaded = x509.load_pem_x509_certificate(certificate.read_bytes())
    info = loaded.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(hashlib.sha256(info).digest()).decode()


def _serve(network: PhoneNetwork, folder: Path) -> tuple[subprocess.Popen[str], int, str]:
    """`lumbar serve --phone` on a fixed day; its port and the pairing link it printed."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "lumbar", "serve", "--phone", "--host", network.host_side]
        + ["--port", str(port), "--db", str(folder / "lumbar.db"), "--date", MONDAY],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    printed = []
    for line in process.stdout:
        printed.append(line)
        if line.startswith("A new code"):
            break
    link = re.search(r"^(https://\S+/pair/\S+)$", "".join(printed), re.MULTILINE)
    assert link is not None, "".join(printed)
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/program",
        data=json.dumps(ANSWERS).encode(),
        headers={"Content-Type": "application/json"},
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + 20  # the code is printed as the servers start
    while True:
        try:
            with opener.open(request, timeout=20) as answer:
                assert answer.status == 201
            return process, port, link.group(1)
        except urllib.error.URLError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.terminate()
                raise
            time.sleep(0.1)


def test_a_phone_pairs_by_its_code_does_a_session_and_loses_the_wifi_without_losing_it(
    browser: Any, tmp_path: Path
) -> None:

    with phone_network("b") as network:
        process, port, link = _serve(network, tmp_path)
        # Chromium in the phone's network: a wrapper that starts it there.
        wrapper = tmp_path / "chromium-on-the-phone"
        wrapper.write_text("#!/bin/sh\nexec " + " ".join(network.inside(str(CHROMIUM))) + ' "$@"\n')
        wrapper.chmod(0o755)
        key = _trusted_key(tmp_path / "phone-certificate.pem")
        trust = f"--ignore-certificate-errors-spki-list={key}"
        try:
            # Another Chromium, from the same Playwright as the other browser tests.
            phone_browser = browser.browser_type.launch(
                executable_path=str(wrapper), args=[*CHROMIUM_ARGS, trust]
            )
            try:
                context = phone_browser.new_context(
                    viewport=PHONE, device_scale_factor=2, has_touch=True
                )
                violations = watch_policy(context)
                page = context.new_page()
                page.set_default_timeout(15_000)
                base = link.split("/pair/")[0]

                # Unpaired, the phone is refused; the code's link pairs it.
                refused = page.goto(f"{base}/today")
                assert refused is not None and refused.status == 403
                page.goto(link)
                page.get_by_label("A name for this device").fill("Phone on the mat")
                page.get_by_role("button", name="Pair this device").click()
                page.wait_for_url(re.compile(r"/(today)?$"))
                assert page.evaluate("window.isSecureContext")
                assert context.cookies()[0]["httpOnly"] and context.cookies()[0]["secure"]
                # The refusal and the pairing page stand alone, their style allowed by its
                # hash (web/headers.py).
                assert violations == []

                # The first exercise hands-free: one Start, then its dose runs by itself.
                page.add_init_script(RECORDER)
                page.clock.install()
                page.goto(f"{base}/session")
                page.evaluate("navigator.serviceWorker.ready.then(() => true)")
                taps: list[str] = []
                do_exercise(page, taps)
                assert taps == ["Start"]
                assert recorded(page, "wakeLocks") == ["screen"]
                page.clock.resume()
                next_exercise(page, "No pain")  # online: the server's answer

                # The Wi-Fi drops: the session goes on, and says its answers are kept.
                network.cut()
                for pain in ["Dull ache", "No pain", "No pain", "No pain", "No pain"]:
                    next_exercise(page, pain)
                    assert outbox_line(page) == OFFLINE
                next_exercise(page, "Dull ache")
                assert exercise_title(page) == "Session done"
                assert recorded_sessions(tmp_path / "lumbar.db") == []

                # Back on the Wi-Fi: everything is sent, once.
                network.restore()
                page.locator("[data-outbox]", has_text="All sent.").wait_for(timeout=60_000)
            finally:
                phone_browser.close()
        finally:
            process.terminate()
            process.communicate(timeout=10)

    pains = ["none", "ache", "none", "none", "none", "none", "ache"]
    expected = [(e, p) for e, p in zip(PHASE_1, pains, strict=True)]
    assert recorded_sessions(tmp_path / "lumbar.db") == [expected]
