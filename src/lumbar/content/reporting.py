"""The words of "Report a problem", from `content/reporting.toml`, checked when loaded: who
reads a report in each mode, and the advice for each kind of problem (every kind has one)."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

from lumbar.content.load import CONTENT_DIR, ContentError
from lumbar.domain.model import ProblemKind

FILE = "reporting.toml"


@dataclass(frozen=True, slots=True)
class Advice:
    title: str
    points: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReportWords:
    self_guided: str
    """Who reads a report on the person's own computer: nobody else."""
    clinic: str
    """Who reads it on a clinic's server: their clinician."""
    advice: dict[str, Advice]
    """By kind of problem (`ProblemKind` value)."""

    def who_reads(self, clinic: bool) -> str:
        return self.clinic if clinic else self.self_guided


@functools.cache
def report_words() -> ReportWords:
    """The validated words, loaded once per process."""
    return load_report_words(CONTENT_DIR / FILE)


def load_report_words(path: Path) -> ReportWords:
    from pydantic import BaseModel, ConfigDict, Field, ValidationError

    class _Strict(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True)

    class WhoReads(_Strict):
        self_guided: str = Field(min_length=1)
        clinic: str = Field(min_length=1)

    class AdviceFile(_Strict):
        title: str = Field(min_length=1)
        points: list[str] = Field(min_length=1, max_length=6)

    class File(_Strict):
        who_reads: WhoReads
        advice: dict[str, AdviceFile]

    try:
        checked = File.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, tomllib.TOMLDecodeError, ValidationError) as error:
        raise ContentError(f"{path.name}: {error}") from error
    kinds = {kind.value for kind in ProblemKind}
    if set(checked.advice) != kinds:
        raise ContentError(
            f"{path.name}: advice: expected one for each kind of problem, "
            f"{', '.join(sorted(kinds))} (got {', '.join(sorted(checked.advice))})"
        )
    for kind, advice in checked.advice.items():
        if any(not point.strip() for point in advice.points):
            raise ContentError(f"{path.name}: advice.{kind}: a point is empty")
    return ReportWords(
        checked.who_reads.self_guided,
        checked.who_reads.clinic,
        {k: Advice(a.title, tuple(a.points)) for k, a in checked.advice.items()},
    )
