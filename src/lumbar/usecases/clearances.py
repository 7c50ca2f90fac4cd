"""Clearances: a clinician's word that an alert may be set aside, recorded on its own.

A clearance names the alerts it clears; it is never part of the record that reports a
symptom, so it can only clear what was reported before it (domain/escalation.py:clear).

- Self-guided (one person, their own machine): the person records that a named clinician saw
  them (`record`); what they see afterwards says it was their statement.
- On a clinic's server only the patient's clinician clears (`clear_patient`), with their own
  account; the patient's "a clinician has seen me" is a request shown to that clinician
  (`request`), and changes nothing in the program by itself.
"""

from __future__ import annotations

from datetime import date, datetime

from lumbar.domain.access import Account
from lumbar.domain.model import Alert, Clearance, History, Status
from lumbar.domain.plan import clearable, program_status
from lumbar.domain.program import Program
from lumbar.errors import UserError, refuse_hidden_characters
from lumbar.store import notices
from lumbar.usecases.person import Person, check_date, check_written_on, with_event

BY_LIMIT = 200
"""The longest name or role kept for who cleared (the column's size)."""


class ClinicClears(UserError):
    """On a clinic's server a patient cannot record a clearance: their clinician does."""

    def __init__(self) -> None:
        super().__init__(
            "on a clinic's server your clinician records clearances: send them a request "
            "saying who saw you, and they will clear you",
            field="by",
        )


def standing(person: Person, on: date) -> tuple[Alert, ...]:
    """The alerts a clearance on `on` could clear, gravest first."""
    history = person.history()
    check_date(history, on)
    return clearable(on, history, person.program_for(history.profile))


def record(person: Person, on: date, *, by: str, codes: tuple[str, ...] = ()) -> Status:
    """Self-guided: record that `by` (a clinician's name or role) saw the person about the
    alerts named (all those standing when none is named)."""
    if person.clinic:
        raise ClinicClears()
    who = checked_name(
        by, "say who saw you: a name or a role, such as Dr Rao or my physical therapist"
    )
    with person.store.transaction() as tx:
        history = person.history_in(tx)
        program = person.program_for(history.profile)
        names = _named(person, on, history, program, codes)
        clearance = Clearance(on, names, who, confirmed=False)
        tx.add_clearance(person.id, clearance)
    return program_status(on, with_event(history, clearance), program)


def request(
    person: Person, on: date, *, seen_by: str, now: datetime, codes: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """On a clinic's server: the patient tells their clinician who saw them about the alerts
    named (all standing when none is); the clinician decides. Returns the alerts named."""
    who = checked_name(seen_by, "say who saw you: a name or a role, such as Dr Rao or my GP")
    with person.store.transaction() as tx:
        history = person.history_in(tx)
        names = _named(person, on, history, person.program_for(history.profile), codes)
        notices.add_request(tx.connection, person.id, on, names, who, now)
    return names


def clear_patient(
    person: Person, clinician: Account, on: date, *, now: datetime, codes: tuple[str, ...] = ()
) -> Status | None:
    """A clinician clears their patient's alerts (all standing when none is named): the
    record names the clinician's account, and answers the patient's open requests. Before
    the patient has started, it clears the emergency signs of their refused intake (they
    may then start; None is returned)."""
    if not person.has_program():
        clear_intake(person, clinician, now=now, codes=codes)
        return None
    with person.store.transaction() as tx:
        history = person.history_in(tx)
        program = person.program_for(history.profile)
        names = _named(person, on, history, program, codes)
        clearance = Clearance(on, names, clinician.email, confirmed=True)
        tx.add_clearance(person.id, clearance)
        notices.close_requests(
            tx.connection, person.id, by=clinician.id, outcome="cleared", now=now
        )
    return program_status(on, with_event(history, clearance), program)


def clear_intake(
    person: Person, clinician: Account, *, now: datetime, codes: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """Clear the emergency signs a patient answered at a refused intake (all when none is
    named): their next intake may report them and start, with a clearance in this
    clinician's name."""
    with person.store.transaction() as tx:
        waiting = [
            e.code
            for e in notices.intake_emergencies_of(tx.connection, person.id)
            if e.cleared_by is None
        ]
        names = _pick(
            codes,
            waiting,
            none="nothing to clear: no emergency sign waits from the intake",
            what="an emergency sign waiting from the intake; those waiting are",
        )
        notices.clear_intake_emergencies(tx.connection, person.id, names, by=clinician.id, now=now)
        notices.close_requests(
            tx.connection, person.id, by=clinician.id, outcome="cleared", now=now
        )
    return names


def acknowledge(
    person: Person, clinician: Account, on: date, *, code: str, since: date, now: datetime
) -> None:
    """The clinician has seen an emergency or urgent alert (or an intake's emergency sign):
    the dashboard lists it lower from now on; it stands until they clear it."""
    with person.store.transaction() as tx:
        waiting = {
            (e.code, e.on)
            for e in notices.intake_emergencies_of(tx.connection, person.id)
            if e.cleared_by is None
        }
        history = tx.history(person.id) and person.history_in(tx)
        if history is not None and on >= history.profile.start:
            alerts = clearable(on, history, person.program_for(history.profile))
            waiting |= {(a.code, a.since) for a in alerts if a.level.blocks}
        if (code, since) not in waiting:
            raise UserError(
                f"no emergency or urgent alert {code!r} raised on {since.isoformat()} stands",
                field="code",
            )
        notices.acknowledge(tx.connection, person.id, code, since, clinician.id, now)


def decline(person: Person, clinician: Account, *, now: datetime) -> None:
    """A clinician answers the patient's open requests without clearing: the alerts stand."""
    with person.store.transaction() as tx:
        person.history_in(tx)
        notices.close_requests(
            tx.connection, person.id, by=clinician.id, outcome="declined", now=now
        )


def requests(person: Person, *, open_only: bool = False) -> list[notices.ClearanceRequest]:
    with person.store.transaction() as tx:
        return notices.requests(tx.connection, person.id, open_only=open_only)


def _named(
    person: Person, on: date, history: History, program: Program, codes: tuple[str, ...]
) -> tuple[str, ...]:
    """The alerts a clearance names: those asked for, each standing on `on`, or every one
    standing when none is asked for; a refusal names the ones that stand."""
    check_written_on(person, history, on)
    day = on.isoformat()
    return _pick(
        codes,
        [alert.code for alert in clearable(on, history, program)],
        none=f"nothing to clear: no alert stands on {day}",
        what=f"an alert standing on {day}; the alerts standing are",
    )


def _pick(codes: tuple[str, ...], among: list[str], *, none: str, what: str) -> tuple[str, ...]:
    """The codes asked for, each one of `among`, or all of `among` when none is asked for;
    a refusal names those there are."""
    if not among:
        raise UserError(none, field="alerts")
    there = tuple(dict.fromkeys(among))
    names = tuple(dict.fromkeys(code.strip() for code in codes if code.strip()))
    unknown = [code for code in names if code not in there]
    if unknown:
        raise UserError(f"{unknown[0]!r} is not {what}: {', '.join(there)}", field="alerts")
    return names or there


def checked_name(text: str, missing: str) -> str:
    who = text.strip()
    if not who:
        raise UserError(missing, field="by")
    if "\n" in who or "\r" in who:
        raise UserError("give the name on one line", field="by")
    if len(who) > BY_LIMIT:
        raise UserError(f"keep the name to {BY_LIMIT} characters at most", field="by")
    refuse_hidden_characters(who, field="by")
    return who
