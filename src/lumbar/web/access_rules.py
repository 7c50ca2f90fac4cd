"""The table of who may call which route in accounts mode (web/authorization.py enforces
it): one rule per route, every route of the app listed, so that a new route cannot be
reachable by accident (a test generated from the route table fails without its rule)."""

from __future__ import annotations

from enum import StrEnum


class Access(StrEnum):
    PUBLIC = "public"
    """Anyone, signed in or not: sign-in pages, the catalogue, figures, static files."""
    SIGNED_IN = "signed-in"
    """Any signed-in account (signing out)."""
    PATIENT = "patient"
    """A signed-in patient, on their own record."""
    CLINICIAN = "clinician"
    """A signed-in clinician; a `{patient_id}` in the path must be one of theirs."""
    ADMIN = "admin"
    """A signed-in admin: accounts and the audit log, never clinical data."""
    STAFF = "staff"
    """A signed-in clinician or admin (their two-step sign-in)."""


P, S, PT, C, A = Access.PUBLIC, Access.SIGNED_IN, Access.PATIENT, Access.CLINICIAN, Access.ADMIN
ST = Access.STAFF

RULES: dict[tuple[str, str], Access] = {
    # The person's own program (patients; in local mode, the one person).
    ("GET", "/"): S,
    ("GET", "/start"): PT,
    ("POST", "/start"): PT,
    ("GET", "/start/{slug}"): PT,
    ("POST", "/start/{slug}"): PT,
    ("GET", "/today"): PT,
    ("POST", "/today/cards/{card}"): PT,
    ("GET", "/welcome"): PT,
    ("GET", "/check-in"): PT,
    ("POST", "/check-in"): PT,
    ("GET", "/clear"): PT,
    ("POST", "/clear"): PT,
    ("GET", "/progress"): PT,
    ("GET", "/settings"): PT,
    ("POST", "/settings/days"): PT,
    ("POST", "/settings/alternatives"): PT,
    ("POST", "/settings/equipment"): PT,
    ("GET", "/settings/export"): PT,
    ("POST", "/settings/import"): PT,
    ("POST", "/settings/import/replace"): PT,
    ("GET", "/session"): PT,
    ("POST", "/session/answer"): PT,
    ("POST", "/session/skip"): PT,
    ("POST", "/session/swap"): PT,
    ("POST", "/session/finish"): PT,
    ("POST", "/session/alternative"): PT,
    ("GET", "/routine"): PT,
    ("GET", "/routine/stopped"): PT,
    # The camera check (issue #21): a page only; frames and landmarks stay in the browser.
    ("GET", "/camera"): PT,
    ("GET", "/share"): PT,
    ("GET", "/handout.pdf"): PT,
    ("GET", "/summary"): PT,
    ("GET", "/summary.pdf"): PT,
    ("GET", "/settings/export/fhir"): PT,
    ("GET", "/calendar.ics"): PT,
    ("POST", "/settings/reminders"): PT,
    ("POST", "/settings/calendar-link"): PT,
    ("GET", "/problem"): PT,
    ("POST", "/problem"): PT,
    # Correcting one's own records (issue #15): the use case lets a patient correct only
    # what they recorded themselves.
    ("GET", "/records"): PT,
    ("GET", "/records/{record_id}"): PT,
    ("POST", "/records/{record_id}"): PT,
    ("POST", "/records/{record_id}/delete"): PT,
    ("POST", "/records/{record_id}/undo"): PT,
    ("GET", "/messages"): PT,
    ("POST", "/messages"): PT,
    ("GET", "/api/v1/today"): PT,
    ("GET", "/api/v1/status"): PT,
    ("GET", "/api/v1/progress"): PT,
    ("POST", "/api/v1/program"): PT,
    ("POST", "/api/v1/sessions"): PT,
    ("POST", "/api/v1/session/answers"): PT,
    ("POST", "/api/v1/session/skips"): PT,
    ("POST", "/api/v1/checkins"): PT,
    ("POST", "/api/v1/clearances"): PT,
    ("PUT", "/api/v1/settings/days"): PT,
    ("GET", "/api/v1/settings/equipment"): PT,
    ("PUT", "/api/v1/settings/equipment"): PT,
    ("GET", "/api/v1/settings/alternatives"): PT,
    ("PUT", "/api/v1/settings/alternatives/{exercise_id}"): PT,
    ("GET", "/api/v1/export"): PT,
    ("GET", "/api/v1/problems"): PT,
    ("POST", "/api/v1/problems"): PT,
    ("GET", "/api/v1/settings/reminders"): PT,
    ("PUT", "/api/v1/settings/reminders"): PT,
    ("GET", "/api/v1/calendar"): PT,
    ("POST", "/api/v1/import"): PT,
    ("GET", "/api/v1/messages"): PT,
    ("POST", "/api/v1/messages"): PT,
    # A patient's own records (issue #15): the signed-in patient's, never another's.
    ("GET", "/api/v1/records"): PT,
    ("PATCH", "/api/v1/records/{record_id}"): PT,
    ("DELETE", "/api/v1/records/{record_id}"): PT,
    ("POST", "/api/v1/records/{record_id}/undo"): PT,
    # The secret in the address is the access (calendar apps cannot sign in).
    ("GET", "/calendar/{token}.ics"): P,
    # The catalogue and education are the same for everyone.
    ("GET", "/library"): P,
    ("GET", "/library/{exercise_id}"): P,
    ("GET", "/learn"): P,
    ("GET", "/learn/{topic_id}"): P,
    ("GET", "/manifest.webmanifest"): P,
    ("GET", "/sw.js"): P,
    ("GET", "/figures/{name}.svg"): P,
    ("GET", "/api/v1/exercises"): P,
    ("GET", "/api/v1/exercises/{exercise_id}"): P,
    ("GET", "/api/v1/topics"): P,
    ("GET", "/api/v1/topics/{topic_id}"): P,
    ("GET", "/api/docs"): P,
    ("GET", "/api/v1/openapi.json"): P,
    # Signing in and out.
    ("GET", "/sign-in"): P,
    ("POST", "/sign-in"): P,
    ("POST", "/api/v1/sign-in"): P,
    ("POST", "/sign-out"): S,
    ("POST", "/api/v1/sign-out"): S,
    ("GET", "/api/v1/me"): S,
    ("GET", "/forgot"): P,
    ("POST", "/forgot"): P,
    ("GET", "/reset/{token}"): P,
    ("POST", "/reset/{token}"): P,
    ("GET", "/join/{code}"): P,
    ("POST", "/join/{code}"): P,
    # One's own account (issue #19): the password, and a second factor for staff. The code
    # page is public: a pending session (password checked, code not yet) is no one signed in.
    ("GET", "/account"): S,
    ("POST", "/account/password"): S,
    ("POST", "/api/v1/me/password"): S,
    ("GET", "/sign-in/code"): P,
    ("POST", "/sign-in/code"): P,
    ("POST", "/api/v1/sign-in/code"): P,
    ("GET", "/account/two-factor"): ST,
    ("POST", "/account/two-factor"): ST,
    ("POST", "/account/two-factor/confirm"): ST,
    # Clinicians.
    ("POST", "/account/mail"): C,
    ("GET", "/api/v1/clinic/mail-settings"): C,
    ("PUT", "/api/v1/clinic/mail-settings"): C,
    ("GET", "/clinic"): C,
    ("POST", "/clinic/invite"): C,
    ("GET", "/clinic/patients/{patient_id}"): C,
    ("POST", "/clinic/patients/{patient_id}/messages"): C,
    ("GET", "/clinic/patients/{patient_id}/prescription"): C,
    ("POST", "/clinic/patients/{patient_id}/prescription"): C,
    ("GET", "/clinic/patients/{patient_id}/summary"): C,
    ("POST", "/clinic/patients/{patient_id}/clearances"): C,
    ("POST", "/clinic/patients/{patient_id}/clearances/decline"): C,
    ("POST", "/clinic/patients/{patient_id}/acknowledgements"): C,
    ("POST", "/clinic/patients/{patient_id}/records/{record_id}/delete"): C,
    ("POST", "/clinic/patients/{patient_id}/scores"): C,
    ("GET", "/api/v1/clinic/patients"): C,
    ("POST", "/api/v1/clinic/invitations"): C,
    ("GET", "/api/v1/clinic/invitations"): ST,
    ("POST", "/api/v1/clinic/invitations/{invitation_id}/resend"): ST,
    ("DELETE", "/api/v1/clinic/invitations/{invitation_id}"): ST,
    ("GET", "/clinic/invitations"): ST,
    ("POST", "/clinic/invitations/{invitation_id}/resend"): ST,
    ("POST", "/clinic/invitations/{invitation_id}/revoke"): ST,
    ("GET", "/api/v1/clinic/patients/{patient_id}"): C,
    ("GET", "/api/v1/clinic/patients/{patient_id}/export"): C,
    ("GET", "/api/v1/clinic/patients/{patient_id}/messages"): C,
    ("POST", "/api/v1/clinic/patients/{patient_id}/messages"): C,
    ("POST", "/api/v1/clinic/patients/{patient_id}/clearances"): C,
    ("POST", "/api/v1/clinic/patients/{patient_id}/acknowledgements"): C,
    ("GET", "/api/v1/clinic/patients/{patient_id}/records"): C,
    ("PATCH", "/api/v1/clinic/patients/{patient_id}/records/{record_id}"): C,
    ("DELETE", "/api/v1/clinic/patients/{patient_id}/records/{record_id}"): C,
    ("POST", "/api/v1/clinic/patients/{patient_id}/records/{record_id}/undo"): C,
    ("GET", "/api/v1/clinic/patients/{patient_id}/prescription"): C,
    ("PUT", "/api/v1/clinic/patients/{patient_id}/prescription"): C,
    # A clinic's program templates (issue #20): the use case keeps each to its clinic.
    ("GET", "/clinic/templates"): C,
    ("POST", "/clinic/patients/{patient_id}/templates"): C,
    ("POST", "/clinic/templates/{template_id}/rename"): C,
    ("POST", "/clinic/templates/{template_id}/delete"): C,
    ("GET", "/api/v1/clinic/templates"): C,
    ("POST", "/api/v1/clinic/templates"): C,
    ("PATCH", "/api/v1/clinic/templates/{template_id}"): C,
    ("DELETE", "/api/v1/clinic/templates/{template_id}"): C,
    ("POST", "/api/v1/clinic/patients/{patient_id}/prescription/template"): C,
    ("POST", "/api/v1/clinic/patients/{patient_id}/prescription/copy"): C,
    # Handover (issue #20): a clinician's own patients; an admin's, any clinician's of the
    # clinic (usecases/handover.py refuses another clinic's as not found).
    ("GET", "/clinic/handover"): C,
    ("POST", "/clinic/handover"): C,
    ("POST", "/api/v1/clinic/handover"): C,
    ("GET", "/admin/accounts/{user_id}/handover"): A,
    ("POST", "/admin/accounts/{user_id}/handover"): A,
    ("POST", "/api/v1/admin/accounts/{user_id}/handover"): A,
    # Records for the chart (issue #20): one of the clinician's own patients.
    ("GET", "/clinic/patients/{patient_id}/summary.pdf"): C,
    ("GET", "/clinic/patients/{patient_id}/fhir.json"): C,
    ("GET", "/clinic/patients/{patient_id}/monitoring"): C,
    ("GET", "/clinic/patients/{patient_id}/monitoring.csv"): C,
    ("GET", "/clinic/patients/{patient_id}/monitoring.pdf"): C,
    ("POST", "/clinic/patients/{patient_id}/time"): C,
    ("POST", "/clinic/patients/{patient_id}/timer"): C,
    ("GET", "/api/v1/clinic/patients/{patient_id}/time"): C,
    ("POST", "/api/v1/clinic/patients/{patient_id}/time"): C,
    ("GET", "/api/v1/clinic/patients/{patient_id}/monitoring"): C,
    ("POST", "/api/v1/clinic/patients/{patient_id}/monitoring/timer"): C,
    ("POST", "/api/v1/clinic/patients/{patient_id}/monitoring/timer/stop"): C,
    ("DELETE", "/api/v1/clinic/patients/{patient_id}/monitoring/timer"): C,
    ("GET", "/api/v1/clinic/patients/{patient_id}/scores"): C,
    ("POST", "/api/v1/clinic/patients/{patient_id}/scores"): C,
    # Admins.
    ("GET", "/admin"): A,
    ("POST", "/admin/accounts/{user_id}/active"): A,
    ("POST", "/admin/accounts/{user_id}/reset-link"): A,
    ("GET", "/admin/audit.csv"): A,
    ("POST", "/admin/two-factor"): A,
    ("GET", "/api/v1/admin/accounts"): A,
    ("GET", "/api/v1/admin/audit"): A,
}
"""(method, path template) → who may call it. `GET /` answers everyone signed in, each
with their own start page."""
