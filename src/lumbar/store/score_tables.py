"""The totals of the outcome measures a clinician enters for a patient (issue #20): beside
the person's history, like their problem reports, so that a native export carries them."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, ForeignKey, Index, Integer, String, Table

from lumbar.store.metadata import metadata

outcome_scores = Table(
    "outcome_scores",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
    Column("on_date", Date, nullable=False),
    Column("measure", String(20), nullable=False),
    Column("total", Integer, nullable=False),
    Column("subscale", Integer, nullable=True),
    Column("entered_at", DateTime, nullable=True),
    Index("ix_outcome_scores_person_date", "person_id", "on_date", "id"),
)
"""One row per total entered: `measure` is an id of content/scores.toml (checked by the use
case, not here, so a measure added to the content needs no migration); `subscale` is the
STarT Back's psychosocial subscale; `entered_at` when the clinician entered it (None for an
imported score)."""
