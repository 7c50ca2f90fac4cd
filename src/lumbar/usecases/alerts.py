"""Mail to a clinician when a patient needs them (issue #20): an alert at once for an
emergency or urgent sign, and a daily digest of new concerns.

The mail says no more than that a patient needs attention, with a link to the patient's
page: no name, no address, no symptom, nothing of their health. Mail crosses servers the
clinic does not run; the page behind the link asks the clinician to sign in. Each concern is
mailed once per kind of mail (`mailed_concerns`). Without a mail server nothing is sent and
nothing is marked as mailed: the dashboard shows it all the same.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError

from lumbar.content.load import Content
from lumbar.domain.access import Account, Role
from lumbar.domain.monitoring import Concern, Finding
from lumbar.store import accounts as rows
from lumbar.store import notifications as kept
from lumbar.store.database import Store
from lumbar.usecases import caseload
from lumbar.usecases.mail import Mailer, MailError

log = logging.getLogger(__name__)

ALERTING = frozenset({Concern.EMERGENCY, Concern.URGENT})
"""The concerns mailed at once."""
QUIET = frozenset({Concern.ACKNOWLEDGED})
"""Concerns the clinician has already seen: not news for the digest."""
KEY_FACTS = ("code", "since", "last_on")
"""The facts that make a concern that one concern (a sign raised on a day, the last bad
pain), so that the same one is not mailed again and a new one is."""


def concern_key(finding: Finding) -> str:
    """What `mailed_concerns` keeps of a concern: its kind and its key facts."""
    facts = [str(finding.facts[name]) for name in KEY_FACTS if name in finding.facts]
    return ":".join([finding.concern.value, *facts])[:120]


def patient_link(base_url: str, patient: Account) -> str:
    return f"{base_url.rstrip('/')}/clinic/patients/{patient.id}"


def alert_message(link: str) -> tuple[str, str]:
    """The alert's subject and text: that a patient needs attention, and where to look."""
    return (
        "A patient needs your attention",
        "A patient needs your attention.\n\n"
        f"Open their page (you will be asked to sign in):\n{link}\n\n"
        "You get this mail because you asked for alerts about your patients; you can turn "
        "them off on your account page.\n",
    )


def digest_message(links: list[str]) -> tuple[str, str]:
    """The digest's subject and text: how many patients need attention, and their pages."""
    many = len(links) != 1
    said = f"{len(links)} patients need" if many else "A patient needs"
    pages = "\n".join(links)
    return (
        f"{said} your attention",
        f"{said} your attention.\n\n"
        f"Open {'their pages' if many else 'their page'} (you will be asked to sign in):\n"
        f"{pages}\n\n"
        "You get this mail once a day when something is new; you can turn it off on your "
        "account page.\n",
    )


def _new_keys(
    store: Store, content: Content, patient: Account, on: date, kind: str, wanted: set[Concern]
) -> set[str]:
    """The keys of the patient's concerns of `wanted` kinds not mailed yet in `kind`."""
    found = caseload.overview(store, content, patient, on).attention.findings
    keys = {concern_key(f) for f in found if f.concern in wanted}
    if not keys:
        return set()
    with store.reading() as connection:
        return keys - kept.mailed(connection, patient.id, kind)


def _clinician_of(store: Store, patient: Account) -> Account | None:
    """The patient's clinician, when they want alerts."""
    if patient.clinician_id is None:
        return None
    with store.reading() as connection:
        clinician = rows.account(connection, patient.clinician_id)
        if clinician is None or not clinician.active:
            return None
        if not kept.mail_settings_of(connection, clinician.id).alerts:
            return None
    return clinician


def alert(
    store: Store,
    content: Content,
    mailer: Mailer | None,
    patient_id: int,
    *,
    base_url: str,
    on: date,
    now: datetime,
) -> bool:
    """After a patient's write: mail their clinician at once if it raised an emergency or
    urgent sign not mailed before. Whether a mail went; a mail server that refuses is
    logged, and the sign is mailed at the next write or in the digest."""
    if mailer is None:
        return False
    with store.reading() as connection:
        patient = rows.account(connection, patient_id)
    if patient is None or patient.role is not Role.PATIENT:
        return False
    clinician = _clinician_of(store, patient)
    if clinician is None:
        return False
    new = _new_keys(store, content, patient, on, "alert", set(ALERTING))
    if not new:
        return False
    try:
        mailer.send(clinician.email, *alert_message(patient_link(base_url, patient)))
    except MailError as error:
        log.warning("the alert mail was not sent: %s", error.message)
        return False
    with store.transaction() as tx:
        kept.add_mailed(tx.connection, patient.id, "alert", new, now)
    return True


@dataclass(frozen=True, slots=True)
class DigestSent:
    """What one run of the digest did."""

    mails: int
    """Clinicians mailed."""
    patients: int
    """Patients named in them (by link)."""
    failed: tuple[str, ...] = ()
    """Why a mail was not sent, one line each (the mail server refused)."""


def send_digest(
    store: Store, content: Content, mailer: Mailer, *, base_url: str, on: date, now: datetime
) -> DigestSent:
    """Mail each active clinician who wants it the patients with a concern new since their
    last digest, or a message or problem report they have not opened and were not told of;
    a clinician with nothing new gets nothing. One digest a clinician a day (`on`) at most:
    the day is claimed in the database before the mail goes (`digest_days`), so a second
    run, a restarted server or a second server finds it taken and sends nothing."""
    wanted = set(Concern) - QUIET
    mails = patients = 0
    failed: list[str] = []
    with store.reading() as connection:
        clinicians = [
            a
            for a in rows.accounts(connection)
            if a.role is Role.CLINICIAN
            and a.active
            and kept.mail_settings_of(connection, a.id).digest
            and (kept.digest_sent_on(connection, a.id) or date.min) < on
        ]
    for clinician in clinicians:
        with store.reading() as connection:
            theirs = [p for p in rows.patients_of(connection, clinician.id) if p.active]
            unread = kept.newest_unread(connection, [p.id for p in theirs])
        news = {}
        for patient in theirs:
            keys = _new_keys(store, content, patient, on, "digest", wanted)
            if patient.id in unread:  # a message or a report not opened yet
                with store.reading() as connection:
                    keys |= {unread[patient.id]} - kept.mailed(connection, patient.id, "digest")
            if keys:
                news[patient.id] = (patient, keys)
        if not news:
            continue
        claimed, previous = _claim_day(store, clinician.id, on)
        if not claimed:
            continue  # another sender has sent today's
        links = [patient_link(base_url, p) for p, _ in news.values()]
        try:
            mailer.send(clinician.email, *digest_message(links))
        except MailError as error:
            with store.transaction() as tx:
                kept.release_digest_day(tx.connection, clinician.id, on, previous)
            failed.append(error.message)
            continue
        with store.transaction() as tx:
            for patient, keys in news.values():
                kept.add_mailed(tx.connection, patient.id, "digest", keys, now)
        mails += 1
        patients += len(news)
    return DigestSent(mails, patients, tuple(failed))


def _claim_day(store: Store, clinician_id: int, on: date) -> tuple[bool, date | None]:
    """Claim the day's digest of one clinician: whether this run has it, and the day it
    was last sent (to give it back if the mail fails). Two senders at once: the one that
    commits second meets the first one's row and has nothing to send."""
    try:
        with store.transaction() as tx:
            previous = kept.digest_sent_on(tx.connection, clinician_id)
            return kept.claim_digest_day(tx.connection, clinician_id, on, previous), previous
    except IntegrityError:
        return False, None
