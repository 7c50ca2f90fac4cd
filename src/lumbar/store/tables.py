"""The tables, as SQLAlchemy Core metadata: the one definition Alembic migrations follow.

A person's tables are in store/person_tables.py, a clinic's in store/clinic_tables.py; this
module gathers them, so that importing it registers every table on `metadata`.
"""

from __future__ import annotations

from lumbar.store.clinic_tables import (
    acknowledgements,
    audit_log,
    auth_sessions,
    clearance_requests,
    clinics,
    intake_emergencies,
    login_failures,
    messages,
    one_time_tokens,
    prescriptions,
    recovery_codes,
    users,
)
from lumbar.store.handover_tables import handovers, monitoring_time, prescription_changes
from lumbar.store.metadata import metadata
from lumbar.store.notification_tables import (
    digest_days,
    mail_settings,
    mailed_concerns,
    problem_reads,
)
from lumbar.store.person_tables import (
    checkin_psfs,
    checkin_symptoms,
    checkins,
    clearance_codes,
    clearances,
    corrections,
    devices,
    earlier_training_days,
    equipment,
    events,
    exercise_alternatives,
    idempotency_keys,
    intake_drafts,
    pairings,
    people,
    problem_reports,
    psfs_activities,
    put_away_cards,
    reminders,
    session_draft_skips,
    session_drafts,
    session_exercises,
    session_skips,
)
from lumbar.store.score_tables import outcome_scores
from lumbar.store.summary_tables import concern_summaries
from lumbar.store.template_tables import program_templates

__all__ = [
    "handovers",
    "monitoring_time",
    "prescription_changes",
    "acknowledgements",
    "audit_log",
    "auth_sessions",
    "checkin_psfs",
    "checkin_symptoms",
    "checkins",
    "clearance_codes",
    "clearance_requests",
    "clearances",
    "clinics",
    "concern_summaries",
    "corrections",
    "devices",
    "digest_days",
    "earlier_training_days",
    "equipment",
    "events",
    "exercise_alternatives",
    "idempotency_keys",
    "intake_drafts",
    "intake_emergencies",
    "login_failures",
    "mail_settings",
    "mailed_concerns",
    "messages",
    "metadata",
    "one_time_tokens",
    "outcome_scores",
    "pairings",
    "people",
    "prescriptions",
    "problem_reads",
    "problem_reports",
    "program_templates",
    "psfs_activities",
    "put_away_cards",
    "recovery_codes",
    "reminders",
    "session_draft_skips",
    "session_drafts",
    "session_exercises",
    "session_skips",
    "users",
]
