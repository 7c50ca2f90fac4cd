"""The words of the hand-outs, from `content/handouts.toml`, checked when loaded."""

from __future__ import annotations

import functools
import tomllib
from typing import Any

from lumbar.content.load import CONTENT_DIR, ContentError

FILE = "handouts.toml"


@functools.cache
def handout_text() -> dict[str, Any]:
    """The validated text, loaded once per process."""
    from pydantic import BaseModel, ConfigDict, Field, ValidationError

    class Calendar(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True)
        name: str = Field(min_length=1)
        session_title: str = Field(min_length=1)
        session_description: str = Field(min_length=1)
        session_alarm: str = Field(min_length=1)
        checkin_title: str = Field(min_length=1)
        checkin_description: str = Field(min_length=1)
        review_title: str = Field(min_length=1)
        review_description: str = Field(min_length=1)
        paused_title: str = Field(min_length=1)
        paused_description: str = Field(min_length=1)
        posture_title: str = Field(min_length=1)
        posture_tips: list[str] = Field(min_length=3, max_length=3)

    class File(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True)
        calendar: Calendar

    path = CONTENT_DIR / FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return File.model_validate(data).model_dump()
    except (OSError, tomllib.TOMLDecodeError, ValidationError) as error:
        raise ContentError(f"{FILE}: {error}") from error
