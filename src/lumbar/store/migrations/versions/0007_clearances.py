"""Clearances as records of their own (issue #14): a clearance names the alerts it clears,
and who cleared; a check-in can no longer carry one. The clinic's side: a patient's request
for clearance, an emergency answered at an invited patient's intake, and a clinician's
acknowledgement of an alert.

Check-ins marked `cleared_by_clinician` before this migration become clearance records:
- an intake's clearance was of the signs it reported, except an emergency (which only a
  later record could clear): a clearance after it, the same day, names those signs;
- a later check-in's clearance was of every alert standing before it: its own event
  becomes the clearance (so it keeps its place before the symptoms it reported), naming
  every sign reported before it and every alert the engine raises; the pain, scores and
  symptoms it carried move to a new check-in of the same day.
They read "a clinician" as who cleared, and are not confirmed: nothing recorded who it was.

On SQLite the events table is rebuilt to widen its `kind` check; `Store.migrate` runs the
migrations with foreign keys off, as SQLite's own procedure for a rebuild asks, and checks
them before it commits.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

LEGACY_BY = "a clinician"
EMERGENCIES = (
    "bladder_bowel",
    "saddle_numbness",
    "both_legs",
    "leg_weakness_worsening",
    "major_trauma",
)
"""The emergency codes as they stood before this migration (a migration keeps its own copy
of what it reads: the domain's list may grow)."""
ENGINE_ALERTS = (
    "over_50_new_episode",
    "radiating_twice",
    "phase1_bad_pain",
    "persistent_pain",
    "not_improving",
    "worse",
    "flare",
    "flare_persists",
    "review_missed",
)
"""The alerts the engine raised before this migration: an old clearance cleared them all."""

NEW_KIND = "kind IN ('session', 'checkin', 'clearance')"
OLD_KIND = "kind IN ('session', 'checkin')"


def _events(kind_check: str) -> sa.Table:
    """The events table as Alembic rebuilds it on SQLite (with the `kind` check given)."""
    return sa.Table(
        "events",
        sa.MetaData(),
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "person_id",
            sa.Integer(),
            sa.ForeignKey("people.id", ondelete="CASCADE", name="fk_events_person_id_people"),
            nullable=False,
        ),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.CheckConstraint(kind_check, name="ck_events_kind"),
        sa.Index("ix_events_person_date", "person_id", "on_date", "id"),
    )


def _set_kind_check(check: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("events", recreate="always", copy_from=_events(check)):
            pass
    else:
        op.drop_constraint(op.f("ck_events_kind"), "events", type_="check")
        op.create_check_constraint(op.f("ck_events_kind"), "events", check)


def upgrade() -> None:
    _set_kind_check(NEW_KIND)
    op.create_table(
        "clearances",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("cleared_by", sa.String(length=200), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_clearances_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_clearances")),
    )
    op.create_table(
        "clearance_codes",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_clearance_codes_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "code", name=op.f("pk_clearance_codes")),
    )
    with op.batch_alter_table("checkins") as batch:
        batch.add_column(
            sa.Column("screened", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("follow_up", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    _convert_clearances()
    with op.batch_alter_table("checkins") as batch:
        batch.drop_column("cleared_by_clinician")
    op.create_table(
        "clearance_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("codes", sa.String(length=1000), nullable=False),
        sa.Column("seen_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=10), nullable=True),
        sa.CheckConstraint(
            "outcome IN ('cleared', 'declined')", name=op.f("ck_clearance_requests_outcome")
        ),
        sa.ForeignKeyConstraint(
            ["closed_by"],
            ["users.id"],
            name=op.f("fk_clearance_requests_closed_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["users.id"],
            name=op.f("fk_clearance_requests_patient_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clearance_requests")),
    )
    op.create_index(
        "ix_clearance_requests_patient", "clearance_requests", ["patient_id", "id"], unique=False
    )
    op.create_table(
        "intake_emergencies",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("cleared_by", sa.Integer(), nullable=True),
        sa.Column("cleared_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["cleared_by"],
            ["users.id"],
            name=op.f("fk_intake_emergencies_cleared_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["users.id"],
            name=op.f("fk_intake_emergencies_patient_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "patient_id", "on_date", "code", name=op.f("pk_intake_emergencies")
        ),
    )
    op.create_table(
        "acknowledgements",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinician_id"],
            ["users.id"],
            name=op.f("fk_acknowledgements_clinician_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["users.id"],
            name=op.f("fk_acknowledgements_patient_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("patient_id", "code", "since", name=op.f("pk_acknowledgements")),
    )


def _convert_clearances() -> None:
    bind = op.get_bind()
    cleared = bind.execute(
        sa.text(
            "SELECT e.id, e.person_id, e.on_date, c.pain FROM checkins c"
            " JOIN events e ON e.id = c.event_id WHERE c.cleared_by_clinician"
            " ORDER BY e.id"
        )
    ).all()
    for event_id, person_id, on_date, pain in cleared:
        first = bind.execute(
            sa.text("SELECT MIN(id) FROM events WHERE person_id = :p"), {"p": person_id}
        ).scalar_one()
        symptoms = [
            row[0]
            for row in bind.execute(
                sa.text("SELECT code FROM checkin_symptoms WHERE event_id = :e ORDER BY code"),
                {"e": event_id},
            )
        ]
        if event_id == first:
            codes = [code for code in symptoms if code not in EMERGENCIES]
            if codes:
                clearance = _add_event(person_id, on_date, "clearance")
                _add_clearance(clearance, codes)
            continue
        earlier = [
            row[0]
            for row in bind.execute(
                sa.text(
                    "SELECT DISTINCT y.code FROM checkin_symptoms y"
                    " JOIN events e ON e.id = y.event_id"
                    " WHERE e.person_id = :p AND (e.on_date < :d OR (e.on_date = :d AND e.id < :e))"
                    " ORDER BY y.code"
                ),
                {"p": person_id, "d": on_date, "e": event_id},
            )
        ]
        scores = bind.execute(
            sa.text("SELECT COUNT(*) FROM checkin_psfs WHERE event_id = :e"), {"e": event_id}
        ).scalar_one()
        if pain is not None or scores or symptoms:
            moved = _add_event(person_id, on_date, "checkin")
            for table in ("checkins", "checkin_psfs", "checkin_symptoms"):
                bind.execute(
                    sa.text(f"UPDATE {table} SET event_id = :moved WHERE event_id = :e"),  # noqa: S608
                    {"moved": moved, "e": event_id},
                )
        else:
            bind.execute(sa.text("DELETE FROM checkins WHERE event_id = :e"), {"e": event_id})
        bind.execute(sa.text("UPDATE events SET kind = 'clearance' WHERE id = :e"), {"e": event_id})
        _add_clearance(event_id, sorted({*earlier, *ENGINE_ALERTS}))


def _add_event(person_id: int, on_date: object, kind: str) -> int:
    bind = op.get_bind()
    found = bind.execute(
        sa.text("INSERT INTO events (person_id, on_date, kind) VALUES (:p, :d, :k) RETURNING id"),
        {"p": person_id, "d": on_date, "k": kind},
    ).scalar_one()
    return int(found)


def _add_clearance(event_id: int, codes: list[str]) -> None:
    bind = op.get_bind()
    bind.execute(
        sa.text("INSERT INTO clearances (event_id, cleared_by, confirmed) VALUES (:e, :b, false)"),
        {"e": event_id, "b": LEGACY_BY},
    )
    bind.execute(
        sa.text("INSERT INTO clearance_codes (event_id, code) VALUES (:e, :c)"),
        [{"e": event_id, "c": code} for code in codes],
    )


def downgrade() -> None:
    op.drop_table("acknowledgements")
    op.drop_table("intake_emergencies")
    op.drop_index("ix_clearance_requests_patient", table_name="clearance_requests")
    op.drop_table("clearance_requests")
    with op.batch_alter_table("checkins") as batch:
        batch.add_column(
            sa.Column(
                "cleared_by_clinician", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    bind = op.get_bind()
    for (event_id,) in bind.execute(sa.text("SELECT event_id FROM clearances")).all():
        bind.execute(
            sa.text(
                "INSERT INTO checkins (event_id, pain, cleared_by_clinician)"
                " VALUES (:e, NULL, true)"
            ),
            {"e": event_id},
        )
        bind.execute(sa.text("UPDATE events SET kind = 'checkin' WHERE id = :e"), {"e": event_id})
    with op.batch_alter_table("checkins") as batch:
        batch.drop_column("follow_up")
        batch.drop_column("screened")
    op.drop_table("clearance_codes")
    op.drop_table("clearances")
    _set_kind_check(OLD_KIND)
