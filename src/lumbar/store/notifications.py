"""What is new for whom (issue #20): unread messages and problem reports, a clinician's
choice of mail, and the concerns already mailed. On a connection the caller holds inside
one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from lumbar.store.notification_tables import (
    digest_days,
    mail_settings,
    mailed_concerns,
    problem_reads,
)
from lumbar.store.tables import messages, problem_reports
from lumbar.store.unread import REPORTS_AND_READS, UNREAD_MESSAGE, UNREAD_REPORT, recount


@dataclass(frozen=True, slots=True)
class Unread:
    """What a patient sent that their clinician has not opened yet."""

    messages: int = 0
    problems: int = 0

    @property
    def total(self) -> int:
        return self.messages + self.problems


NOTHING_NEW = Unread()


def unread_counts(connection: Connection, patient_ids: Iterable[int]) -> dict[int, Unread]:
    """Each patient's unread messages (from them) and problem reports (not deleted): two
    grouped queries however many patients. A patient with nothing new is left out."""
    ids = list(patient_ids)
    if not ids:
        return {}
    return _counts(connection, ids)


def _counts(connection: Connection, ids: list[int]) -> dict[int, Unread]:
    sent: dict[int, int] = dict(
        connection.execute(
            select(messages.c.patient_id, func.count())
            .where(messages.c.patient_id.in_(ids), UNREAD_MESSAGE)
            .group_by(messages.c.patient_id)
        ).all()
    )
    reported: dict[int, int] = dict(
        connection.execute(
            select(problem_reports.c.person_id, func.count())
            .select_from(REPORTS_AND_READS)
            .where(problem_reports.c.person_id.in_(ids), UNREAD_REPORT)
            .group_by(problem_reports.c.person_id)
        ).all()
    )
    return {
        patient: Unread(sent.get(patient, 0), reported.get(patient, 0))
        for patient in sorted(sent.keys() | reported.keys())
    }


def newest_unread(connection: Connection, patient_ids: Iterable[int]) -> dict[int, str]:
    """For each patient with something unread, a mark that changes when something new
    arrives (the newest unread message's and report's ids): the digest mails each mark
    once."""
    ids = list(patient_ids)
    if not ids:
        return {}
    sent: dict[int, int] = dict(
        connection.execute(
            select(messages.c.patient_id, func.max(messages.c.id))
            .where(
                messages.c.patient_id.in_(ids),
                messages.c.sender_id == messages.c.patient_id,
                messages.c.read_at.is_(None),
            )
            .group_by(messages.c.patient_id)
        ).all()
    )
    reported: dict[int, int] = dict(
        connection.execute(
            select(problem_reports.c.person_id, func.max(problem_reports.c.id))
            .select_from(
                problem_reports.outerjoin(
                    problem_reads, problem_reads.c.report_id == problem_reports.c.id
                )
            )
            .where(
                problem_reports.c.person_id.in_(ids),
                problem_reports.c.deleted_on.is_(None),
                problem_reads.c.report_id.is_(None),
            )
            .group_by(problem_reports.c.person_id)
        ).all()
    )
    return {
        patient: f"unread:m{sent.get(patient, 0)}:p{reported.get(patient, 0)}"
        for patient in ids
        if patient in sent or patient in reported
    }


def mark_thread_read(
    connection: Connection, patient_id: int, reader_id: int, now: datetime, *, mark: bool = True
) -> set[int]:
    """Mark read the messages of a patient's thread that the other side sent; the ids of
    those that were new (with `mark` false, only those ids: a HEAD request looks)."""
    new = set(
        connection.execute(
            select(messages.c.id).where(
                messages.c.patient_id == patient_id,
                messages.c.sender_id != reader_id,
                messages.c.read_at.is_(None),
            )
        ).scalars()
    )
    if new and mark:
        connection.execute(
            update(messages).where(messages.c.id.in_(new)).values(read_at=now, read_by=reader_id)
        )
        if reader_id != patient_id:  # the patient's were: their dashboard line says so
            recount(connection, [patient_id])
    return new


def mark_problems_read(
    connection: Connection, patient_id: int, reader_id: int, now: datetime, *, mark: bool = True
) -> set[int]:
    """Mark read a patient's problem reports; the ids of those that were new (with `mark`
    false, only those ids)."""
    new = set(
        connection.execute(
            select(problem_reports.c.id)
            .select_from(
                problem_reports.outerjoin(
                    problem_reads, problem_reads.c.report_id == problem_reports.c.id
                )
            )
            .where(
                problem_reports.c.person_id == patient_id,
                problem_reports.c.deleted_on.is_(None),
                problem_reads.c.report_id.is_(None),
            )
        ).scalars()
    )
    if new and mark:
        connection.execute(
            insert(problem_reads),
            [{"report_id": i, "read_by": reader_id, "read_at": now} for i in sorted(new)],
        )
        recount(connection, [patient_id])
    return new


def report_ids(connection: Connection, patient_id: int) -> list[int]:
    """A patient's problem reports' ids in the order `Transaction.problems` lists them
    (store/beside.py: by day, then as written), which has no ids."""
    query = (
        select(problem_reports.c.id)
        .where(problem_reports.c.person_id == patient_id, problem_reports.c.deleted_on.is_(None))
        .order_by(problem_reports.c.on_date, problem_reports.c.id)
    )
    return list(connection.execute(query).scalars())


@dataclass(frozen=True, slots=True)
class MailSettings:
    """Whether a clinician gets the alert mail and the daily digest (both unless opted out)."""

    alerts: bool = True
    digest: bool = True


def mail_settings_of(connection: Connection, user_id: int) -> MailSettings:
    row = connection.execute(
        select(mail_settings.c.alerts, mail_settings.c.digest).where(
            mail_settings.c.user_id == user_id
        )
    ).one_or_none()
    return MailSettings() if row is None else MailSettings(bool(row.alerts), bool(row.digest))


def set_mail_settings(connection: Connection, user_id: int, settings: MailSettings) -> None:
    values = {"alerts": settings.alerts, "digest": settings.digest}
    done = connection.execute(
        update(mail_settings).where(mail_settings.c.user_id == user_id).values(**values)
    )
    if done.rowcount == 0:
        connection.execute(insert(mail_settings).values(user_id=user_id, **values))


def mailed(connection: Connection, patient_id: int, kind: str) -> set[str]:
    """The concerns of a patient already mailed in this kind of mail."""
    return set(
        connection.execute(
            select(mailed_concerns.c.concern).where(
                mailed_concerns.c.patient_id == patient_id, mailed_concerns.c.kind == kind
            )
        ).scalars()
    )


def add_mailed(
    connection: Connection, patient_id: int, kind: str, concerns: Iterable[str], now: datetime
) -> None:
    rows = [
        {"patient_id": patient_id, "kind": kind, "concern": c, "mailed_at": now}
        for c in sorted(set(concerns))
    ]
    if rows:
        connection.execute(insert(mailed_concerns), rows)


def digest_sent_on(connection: Connection, user_id: int) -> date | None:
    """The last day the clinician was sent the digest, or None."""
    return connection.execute(
        select(digest_days.c.sent_on).where(digest_days.c.user_id == user_id)
    ).scalar_one_or_none()


def claim_digest_day(connection: Connection, user_id: int, on: date, previous: date | None) -> bool:
    """Mark the clinician's digest sent on `on`, if it was last sent on `previous` (read
    before): whether this sender has the day. Another sender that got there first leaves
    the row changed (0 rows updated), or holds the new row (an IntegrityError, raised, once
    it commits: the caller's transaction is then refused as a whole)."""
    if previous is None:
        connection.execute(insert(digest_days).values(user_id=user_id, sent_on=on))
        return True
    if previous >= on:
        return False
    done = connection.execute(
        update(digest_days)
        .where(digest_days.c.user_id == user_id, digest_days.c.sent_on == previous)
        .values(sent_on=on)
    )
    return done.rowcount == 1


def release_digest_day(
    connection: Connection, user_id: int, on: date, previous: date | None
) -> None:
    """Give the day back when the mail could not be sent: the next run tries again."""
    mine = (digest_days.c.user_id == user_id) & (digest_days.c.sent_on == on)
    if previous is None:
        connection.execute(delete(digest_days).where(mine))
    else:
        connection.execute(update(digest_days).where(mine).values(sent_on=previous))
