"""The outcome scores a clinician entered (issue #20), as the clinic's API answers them."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from lumbar.formats.shapes.base import Shape


class OutcomeScore(Shape):
    """One total: the measure's id (`start_back`, `odi`, `rmdq`, `mskhq`) and name, and for
    STarT Back the psychosocial subscale and the risk group in words."""

    date: dt.date
    measure: str
    name: str
    total: int
    subscale: int | None = None
    risk: str | None = Field(default=None, description="STarT Back's risk group, in words")
