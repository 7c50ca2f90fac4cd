"""The CSRF token as pages and answers carry it: masked afresh each time (BREACH).

A page compressed with gzip leaks, through its size, whether a guess matches a secret it
holds next to text the attacker chose (`/sign-in?next=...` puts that text in the page).
The session's token never appears as it is: each time it is written it is XORed with a new
random pad, and the pad is sent with it (`pad + masked`, base64url). Two renders of one
page carry different strings, so nothing repeats for compression to reveal, and any of
them unmasks to the session's token when it comes back (web/guard.py checks it).
"""

from __future__ import annotations

import base64
import binascii
import secrets


def mask(token: str) -> str:
    """The session's token, hidden under a new pad: a different string every call."""
    raw = token.encode()
    pad = secrets.token_bytes(len(raw))
    hidden = bytes(a ^ b for a, b in zip(pad, raw, strict=True))
    return base64.urlsafe_b64encode(pad + hidden).decode().rstrip("=")


def unmask(sent: str) -> str:
    """The token a masked string holds; "" for a string that is not one."""
    if not sent.isascii():
        return ""
    try:
        both = base64.urlsafe_b64decode(sent + "=" * (-len(sent) % 4))
    except (binascii.Error, ValueError):
        return ""
    half = len(both) // 2
    if half == 0 or len(both) != 2 * half:
        return ""
    pad, hidden = both[:half], both[half:]
    return bytes(a ^ b for a, b in zip(pad, hidden, strict=True)).decode("latin-1")


def matches(sent: str, token: str) -> bool:
    """Whether a token sent with a request is the session's: masked, or as it is (a
    client that took it from the session itself; pages and answers never show it so)."""
    expected = token.encode()
    # As bytes: compare_digest refuses str holding non-ASCII (a 500, not a 403).
    as_is = secrets.compare_digest(sent.encode(), expected)
    unmasked = secrets.compare_digest(unmask(sent).encode("latin-1", "replace"), expected)
    return as_is or unmasked
