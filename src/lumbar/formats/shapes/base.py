"""The one rule every shape keeps: no key that the model does not name."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Shape(BaseModel):
    """A JSON document's shape. A key the model does not know is refused (and written
    `additionalProperties: false` in the schema): a key added to a view and not here
    fails the `--json` check (cli/options.py `check_shape`) and the API's schema tests,
    instead of drifting unseen."""

    model_config = ConfigDict(extra="forbid", defer_build=True)
