"""The patient's comment on an exercise (issue #20): a few words for their clinician, given
with the pain answer, never instead of it.

It is free text that someone else reads, so it is held to what the other such texts are held
to (a skip's note, a message): at most `COMMENT_MAX` characters, and no control or invisible
characters (errors.refuse_hidden_characters). An empty comment is none: skipping it costs
nothing. Refused, nothing of the answer is written.
"""

from __future__ import annotations

from lumbar.domain.model import COMMENT_MAX
from lumbar.errors import UserError, refuse_hidden_characters


def check_comment(text: str | None, *, field: str = "comment") -> str | None:
    """The comment as kept (its spaces and line breaks tidied), None for none, or UserError."""
    if text is None:
        return None
    refuse_hidden_characters(text, field=field)
    cleaned = " ".join(text.split())
    if not cleaned:
        return None
    if len(cleaned) > COMMENT_MAX:
        raise UserError(
            f"keep the comment to {COMMENT_MAX} characters (it has {len(cleaned)})", field=field
        )
    return cleaned
