"""Who may move a clinician's patients to another clinician, and what a clinician may log
as remote-monitoring time (issue #20). Pure rules over accounts and dates the caller passes
in; each answers with what is wrong, in words for the person asking, or None."""

from __future__ import annotations

from datetime import date

from lumbar.domain.access import Account, Role

MINUTES_IN_A_DAY = 24 * 60
NOTE_LIMIT = 500


def may_hand_over(actor: Account, source: Account) -> bool:
    """Whether `actor` may move `source`'s patients: an admin of the source's clinic, or
    the source clinician themselves. Anyone else is answered as if there were no such
    clinician."""
    if not actor.active or source.role is not Role.CLINICIAN:
        return False
    if actor.role is Role.ADMIN:
        return actor.clinic_id is not None and actor.clinic_id == source.clinic_id
    return actor.role is Role.CLINICIAN and actor.id == source.id


def receiver_problem(source: Account, target: Account | None) -> str | None:
    """What stops `target` taking `source`'s patients, or None: they must be another active
    clinician of the same clinic (patients never leave their clinic, nor go to an account
    that cannot sign in)."""
    if target is None or target.role is not Role.CLINICIAN or target.clinic_id != source.clinic_id:
        return "choose a clinician of your clinic to take the patients"
    if target.id == source.id:
        return "choose another clinician: these patients are already theirs"
    if not target.active:
        return "that clinician's account is disabled: choose an active clinician"
    return None


def time_problem(minutes: int, on: date, today: date) -> str | None:
    """What is wrong with a time entry, or None: whole minutes, more than none and at most
    a day's, on a day that has come."""
    if minutes <= 0:
        return "give the minutes spent: more than 0"
    if minutes > MINUTES_IN_A_DAY:
        return f"a day has {MINUTES_IN_A_DAY} minutes: give at most that (24 hours)"
    if on > today:
        return "the day is in the future: log time on the day it was spent"
    return None
