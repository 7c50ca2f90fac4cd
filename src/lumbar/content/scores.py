"""The outcome measures a clinic administers itself, from `content/scores.toml`, checked
when loaded: a range that is one, an MCID inside it for every measure but the risk tool,
and STarT Back with its psychosocial subscale. Names and numbers only: no item text of a
licensed questionnaire (docs' evidence brief §3)."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

from lumbar.content.load import CONTENT_DIR, ContentError
from lumbar.domain.scores import START_BACK, Better, Measure, Subscale

FILE = "scores.toml"

EXPECTED = (START_BACK, "odi", "rmdq", "mskhq")
"""The measures the code knows (the store keeps their ids, the FHIR export names them)."""


@functools.cache
def measures() -> dict[str, Measure]:
    """The validated measures, by id, in the file's order; loaded once per process."""
    return load_measures(CONTENT_DIR / FILE)


def load_measures(path: Path) -> dict[str, Measure]:
    from pydantic import BaseModel, ConfigDict, Field, ValidationError

    class _Strict(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    class SubscaleFile(_Strict):
        name: str = Field(min_length=1, max_length=60)
        minimum: int = Field(ge=0)
        maximum: int = Field(ge=1)

    class MeasureFile(_Strict):
        name: str = Field(min_length=1, max_length=20)
        long_name: str = Field(min_length=1, max_length=120)
        minimum: int = Field(ge=0)
        maximum: int = Field(ge=1, le=1000)
        unit: str = Field(pattern="^(points|%)$")
        better: Better
        mcid: int | None = Field(default=None, ge=1)
        subscale: SubscaleFile | None = None

    class File(_Strict):
        measures: dict[str, MeasureFile]

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        checked = File.model_validate(raw, strict=False)
    except (OSError, tomllib.TOMLDecodeError, ValidationError) as error:
        raise ContentError(f"{path.name}: {error}") from error
    if tuple(checked.measures) != EXPECTED:
        raise ContentError(
            f"{path.name}: measures: expected {', '.join(EXPECTED)} "
            f"(got {', '.join(checked.measures)})"
        )
    found: dict[str, Measure] = {}
    for key, m in checked.measures.items():
        where = f"{path.name}: measures.{key}"
        if m.minimum >= m.maximum:
            raise ContentError(f"{where}: the minimum must be below the maximum")
        if key == START_BACK:
            if m.subscale is None or m.mcid is not None:
                raise ContentError(f"{where}: a risk tool has a subscale and no mcid")
        elif m.mcid is None or m.subscale is not None:
            raise ContentError(f"{where}: needs an mcid (and has no subscale)")
        elif m.mcid > m.maximum - m.minimum:
            raise ContentError(f"{where}: the mcid is more than the whole range")
        sub = m.subscale
        if sub is not None and not sub.minimum < sub.maximum <= m.maximum:
            raise ContentError(f"{where}: the subscale's range must fit in the total's")
        found[key] = Measure(
            id=key,
            name=m.name,
            long_name=m.long_name,
            minimum=m.minimum,
            maximum=m.maximum,
            unit=m.unit,
            better=m.better,
            mcid=m.mcid,
            subscale=None if sub is None else Subscale(sub.name, sub.minimum, sub.maximum),
        )
    return found
