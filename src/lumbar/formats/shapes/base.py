"""The one rule every shape keeps: no key that the model does not name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

D = TypeVar("D")


class Shape(BaseModel):
    """A JSON document's shape. A key the model does not know is refused (and written
    `additionalProperties: false` in the schema): a key added to a view and not here
    fails the `--json` check and the API's schema tests, instead of drifting unseen."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    @classmethod
    def checked(cls, document: D) -> D:
        """The document itself, once it is shown to have this shape (ValidationError if
        not): printed as built, its keys in their order."""
        cls.model_validate(document)
        return document

    @classmethod
    def checked_all(cls, documents: Sequence[Any]) -> list[Any]:
        """A list of documents, each of this shape."""
        return [cls.checked(d) for d in documents]
