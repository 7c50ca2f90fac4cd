"""The dashboard's table (issue #20): each patient's concern summary, kept by every write.

A clinician's dashboard is one indexed query on this table instead of a replay of every
patient's history at every view (usecases/summaries.py keeps it; docs/deploy.md says how).
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, Text, text

from lumbar.store.metadata import metadata

concern_summaries = Table(
    "concern_summaries",
    metadata,
    Column("patient_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("clinic_id", Integer, nullable=True),
    Column("clinician_id", Integer, nullable=True),
    Column("rank", Integer, nullable=False),
    Column("level", String(30), nullable=False),
    Column("findings", Text, nullable=False),
    Column("last_active", Date, nullable=True),
    Column("pain", Text, nullable=False),
    Column("started", Boolean, nullable=False),
    Column("name", String(200), nullable=True),
    Column("email", String(254), nullable=False),
    Column("sort_name", String(254), nullable=False),
    Column("search", String(500), nullable=False),
    Column("revision", Integer, nullable=True),
    Column("computed_on", Date, nullable=True),
    Column("steady_until", Date, nullable=True),
    Column("unread_messages", Integer, nullable=False, server_default=text("0")),
    Column("unread_problems", Integer, nullable=False, server_default=text("0")),
    Index("ix_concern_summaries_list", "clinician_id", "rank", "sort_name", "patient_id"),
    Index("ix_concern_summaries_level", "clinician_id", "level", "sort_name"),
    Index("ix_concern_summaries_name", "clinic_id", "sort_name"),
)
"""One row per patient with an account. `rank` and `level` are the gravest concern's
(`domain/monitoring.py`: `level` "none" and the last rank when there is nothing to look at),
`findings` every concern as JSON (its kind and facts, for the one-line reasons), `pain` the
last twelve pain scores (the sparkline's points) as JSON. `name`, `email`, `clinician_id`
and `revision` (the person's history revision) are as they were when the row was computed:
a row that no longer matches its account or history is recomputed before a listing, as is
one computed for another day than today or past `steady_until` (the first day its concerns
can change with the date alone; None: not without a write). `sort_name` and `search` are
the name (or address) case-folded, to sort and to search by. `computed_on` None: not yet
computed (a row the migration made). `unread_messages` and `unread_problems` are what the
patient sent that their clinician has not opened, counted again by every write that
changes them (`store/unread.py:recount`)."""
