"""Short messages between a patient and their clinician, one thread per patient."""

from __future__ import annotations

from datetime import datetime

from lumbar.domain.access import Account, Message
from lumbar.errors import UserError, refuse_hidden_characters
from lumbar.store import accounts as rows
from lumbar.usecases.accounts import Accounts

MESSAGE_LIMIT = 2000


def thread(accounts: Accounts, patient: Account) -> list[Message]:
    with accounts.store.reading() as connection:
        return rows.thread(connection, patient.id)


def send(accounts: Accounts, sender: Account, patient: Account, body: str, now: datetime) -> None:
    """A message in a patient's thread, from the patient or their clinician (the caller has
    checked access with `audit.patient_for`)."""
    text = body.strip()
    refuse_hidden_characters(text, field="body")
    if not text:
        raise UserError("a message needs some text", field="body")
    if len(text) > MESSAGE_LIMIT:
        raise UserError(f"a message can be at most {MESSAGE_LIMIT} characters", field="body")
    with accounts.store.transaction() as tx:
        rows.add_message(
            tx.connection, patient_id=patient.id, sender_id=sender.id, now=now, body=text
        )
