"""Migration 0020: invitations that travel (issue #20). An invitation pending from before
gets an id and joins its clinician's pending list, where it can be sent again (its old
link then stops working); a used one and a reset link get none. Down and up again works,
on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import inspect, text

from lumbar.store.accounts import digest
from lumbar.store.database import Store
from lumbar.store.migrate import alembic_config
from lumbar.usecases import invitations
from lumbar.usecases.accounts import Accounts, now_utc
from tests.databases import Databases
from tests.server.conftest import CHEAP

OPEN, USED, RESET = "an-open-invitation", "a-used-invitation", "a-reset-link"


def test_an_invitation_pending_from_before_is_listed_and_can_be_sent_again(
    databases: Databases,
) -> None:
    from alembic import command

    url = databases.new()
    store = Store(url)
    now = now_utc()
    until = now + timedelta(days=14)
    try:
        with store.engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0018")
            connection.execute(text("INSERT INTO clinics (id, name) VALUES (1, 'North')"))
            connection.execute(
                text(
                    "INSERT INTO users (id, email, role, clinic_id, active, created_at)"
                    " VALUES (1, 'pt@example.org', 'clinician', 1, true, :at)"
                ),
                {"at": now},
            )
            for code, purpose, used in ((OPEN, "invite", None), (USED, "invite", now),
                                        (RESET, "reset", None)):  # fmt: skip
                connection.execute(
                    text(
                        "INSERT INTO one_time_tokens (token_hash, purpose, user_id, clinician_id,"
                        " created_at, expires_at, used_at, name) VALUES (:hash, :purpose,"
                        " :user, :clinician, :at, :until, :used, 'Gil Moss')"
                    ),
                    {
                        "hash": digest(code), "purpose": purpose, "at": now, "until": until,
                        "used": used, "user": 1 if purpose == "reset" else None,
                        "clinician": 1 if purpose == "invite" else None,
                    },
                )  # fmt: skip
            command.upgrade(alembic_config(connection), "head")
            refs: dict[str, str | None] = dict(
                connection.execute(text("SELECT token_hash, ref FROM one_time_tokens")).all()
            )
        assert refs[digest(OPEN)] and refs[digest(USED)]  # both invitations get an id
        assert refs[digest(RESET)] is None
        accounts = Accounts(store, CHEAP)
        clinician = accounts.account(1)
        assert clinician is not None
        [listed] = invitations.pending(accounts, clinician, now)
        assert (listed.invitation.ref, listed.invitation.name) == (refs[digest(OPEN)], "Gil Moss")
        made = invitations.resend(accounts, clinician, listed.invitation.ref, now, can_mail=False)
        assert made.code != OPEN
        with store.engine.begin() as connection:
            hashes = set(
                connection.execute(text("SELECT token_hash FROM one_time_tokens")).scalars()
            )
            assert digest(OPEN) not in hashes and digest(made.code) in hashes
            columns = {c["name"] for c in inspect(connection).get_columns("one_time_tokens")}
            assert {"ref", "email"} <= columns
            command.downgrade(alembic_config(connection), "0018")
            columns = {c["name"] for c in inspect(connection).get_columns("one_time_tokens")}
            assert not {"ref", "email"} & columns
            command.upgrade(alembic_config(connection), "head")
    finally:
        store.dispose()
