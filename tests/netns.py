"""A second network for the tests that play a phone on the Wi-Fi (issue #16).

A network namespace joined to this one by a virtual cable (veth): 10.213.N.1 on this side,
where `lumbar serve --phone` answers, and 10.213.N.2 inside, where the "phone" runs (a
Python client, or Chromium). Nothing leaves this machine, and a test can cut the cable as
Wi-Fi drops. Making it needs root (CAP_NET_ADMIN): where it cannot be made the tests that
need it are skipped, unless LUMBAR_REQUIRE_NETNS is set (CI sets it), which makes that a
failure.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class PhoneNetwork:
    namespace: str
    host_link: str
    phone_link: str
    host_side: str
    phone_side: str

    def inside(self, *command: str) -> list[str]:
        """The command as run inside the phone's network."""
        return ["ip", "netns", "exec", self.namespace, *command]

    def cut(self) -> None:
        """The phone's Wi-Fi drops: its end of the cable goes down."""
        _ip("netns", "exec", self.namespace, "ip", "link", "set", self.phone_link, "down")

    def restore(self) -> None:
        _ip("netns", "exec", self.namespace, "ip", "link", "set", self.phone_link, "up")


def _ip(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", *arguments], capture_output=True, text=True, check=False)


@contextmanager
def phone_network(tag: str) -> Iterator[PhoneNetwork]:
    """Make the namespace and the cable for the block; `tag` (a letter) keeps two apart."""
    suffix = os.getpid() % 10_000
    octet = (os.getpid() + ord(tag)) % 250 + 1
    network = PhoneNetwork(
        namespace=f"lumbar-test-{tag}{suffix}",
        host_link=f"lb{tag}h{suffix}",
        phone_link=f"lb{tag}p{suffix}",
        host_side=f"10.213.{octet}.1",
        phone_side=f"10.213.{octet}.2",
    )
    inside = ("netns", "exec", network.namespace, "ip")
    steps = [
        ("netns", "add", network.namespace),
        ("link", "add", network.host_link, "type", "veth", "peer", "name", network.phone_link),
        ("link", "set", network.phone_link, "netns", network.namespace),
        ("addr", "add", f"{network.host_side}/24", "dev", network.host_link),
        ("link", "set", network.host_link, "up"),
        (*inside, "addr", "add", f"{network.phone_side}/24", "dev", network.phone_link),
        (*inside, "link", "set", network.phone_link, "up"),
        (*inside, "link", "set", "lo", "up"),
    ]
    try:
        for step in steps:
            made = _ip(*step)
            if made.returncode != 0:
                reason = f"cannot make a network namespace ({' '.join(step)}): {made.stderr}"
                if os.environ.get("LUMBAR_REQUIRE_NETNS"):
                    pytest.fail(reason)
                pytest.skip(reason)
        yield network
    finally:
        _ip("netns", "del", network.namespace)
        _ip("link", "del", network.host_link)
