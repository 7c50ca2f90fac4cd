"""Unread counts kept in the concern summaries (issue #20): a patient's message raises the
count in their row, which the dashboard and the API list read; the clinician opening the
patient's page brings it to 0; a handover takes it to the new clinician's total; a refused
request writes nothing. On SQLite and on PostgreSQL, through the real app."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select, update

from lumbar.domain.model import ProblemKind, ProblemReport
from lumbar.store import accounts as account_rows
from lumbar.store import notifications as kept
from lumbar.store.tables import concern_summaries, messages
from lumbar.store.unread import recount
from lumbar.usecases import summaries
from tests.server.conftest import Clinic
from tests.web.conftest import text

s = concern_summaries
NOW = datetime(2026, 11, 2, 12, 0)


def row_counts(clinic: Clinic, name: str) -> tuple[int, int]:
    """The unread messages and reports the patient's row keeps."""
    with clinic.store.reading() as connection:
        row = connection.execute(
            select(s.c.unread_messages, s.c.unread_problems).where(
                s.c.patient_id == clinic.people[name].id
            )
        ).one()
    return row.unread_messages, row.unread_problems


def counted(clinic: Clinic, name: str) -> tuple[int, int]:
    """What the messages and reports themselves say."""
    patient = clinic.people[name].id
    with clinic.store.reading() as connection:
        found = kept.unread_counts(connection, [patient]).get(patient, kept.NOTHING_NEW)
    return found.messages, found.problems


def listed(client: TestClient, **params: Any) -> dict[str, tuple[int, int]]:
    """Each patient of the API's list → their unread messages and problem reports."""
    response = client.get("/api/v1/clinic/patients", params=params)
    assert response.status_code == 200, response.text
    return {p["email"]: (p["unread_messages"], p["unread_problems"]) for p in response.json()}


def stored(clinic: Clinic) -> tuple[int, list[Any]]:
    """How many messages there are, and every summary row: what a refusal must not change."""
    with clinic.store.reading() as connection:
        count = connection.execute(select(func.count()).select_from(messages)).scalar_one()
        rows = list(connection.execute(select(s).order_by(s.c.patient_id)).all())
    return count, rows


def test_a_message_raises_the_count_in_the_api_list_and_opening_the_page_clears_it(
    clinic: Clinic, ann: TestClient
) -> None:
    pt = clinic.client("north_pt")
    ann_email, bob_email = clinic.people["ann"].email, clinic.people["bob"].email
    assert listed(pt) == {ann_email: (0, 0), bob_email: (0, 0)}

    assert ann.post("/api/v1/messages", json={"body": "Can I swim?"}).status_code == 201
    assert row_counts(clinic, "ann") == counted(clinic, "ann") == (1, 0)
    assert listed(pt) == {ann_email: (1, 0), bob_email: (0, 0)}
    # The clinician's reply is not new to the clinician.
    reply = pt.post(f"/api/v1/clinic/patients/{clinic.people['ann'].id}/messages", json={})
    assert reply.status_code == 422  # (an empty body: refused, nothing written)
    assert pt.post(
        f"/api/v1/clinic/patients/{clinic.people['ann'].id}/messages", json={"body": "Yes."}
    ).is_success
    assert row_counts(clinic, "ann") == counted(clinic, "ann") == (1, 0)
    reported = ann.post("/api/v1/problems", json={"kind": "other", "note": "A sore knee."})
    assert reported.status_code == 201, reported.text
    assert row_counts(clinic, "ann") == counted(clinic, "ann") == (1, 1)
    assert listed(pt, q="ann") == {ann_email: (1, 1)}

    # The API's detail says the same and marks nothing read.
    detail = pt.get(f"/api/v1/clinic/patients/{clinic.people['ann'].id}").json()
    assert (detail["unread_messages"], detail["unread_problems"]) == (1, 1)
    assert row_counts(clinic, "ann") == (1, 1)

    assert pt.get(f"/clinic/patients/{clinic.people['ann'].id}").status_code == 200
    assert row_counts(clinic, "ann") == counted(clinic, "ann") == (0, 0)
    assert listed(pt) == {ann_email: (0, 0), bob_email: (0, 0)}


def test_the_dashboard_reads_the_counts_and_their_total_from_the_rows(
    clinic: Clinic, ann: TestClient
) -> None:
    """What the rows say is what is shown (no count of its own), and the total is over all
    the clinician's patients, not only those on the page: a search that hides Ann still
    says what she sent."""
    pt = clinic.client("north_pt")
    bob = clinic.client("bob")
    assert ann.post("/api/v1/messages", json={"body": "Stiff today."}).status_code == 201
    assert bob.post("/api/v1/messages", json={"body": "When do I start?"}).status_code == 201
    page = text(pt.get("/clinic"))
    assert "New since you last looked: 2 messages, from 2 patients" in page
    assert page.count("1 new message") == 2

    only_bob = text(pt.get("/clinic", params={"q": "bob"}))
    assert "New since you last looked: 2 messages, from 2 patients" in only_bob
    assert only_bob.count("1 new message") == 1

    with clinic.store.transaction() as tx:  # a row that says otherwise is believed
        tx.connection.execute(
            update(s).where(s.c.patient_id == clinic.people["ann"].id).values(unread_messages=7)
        )
    page = text(pt.get("/clinic"))
    assert "7 new messages" in page
    assert "New since you last looked: 8 messages, from 2 patients" in page

    # The nightly refresh counts again a row that says otherwise (a database written
    # before the counts were kept), and only that one.
    computed = summaries.refresh_all(clinic.store, clinic.app.state.content, clinic.clock.today)
    assert computed == 0
    assert row_counts(clinic, "ann") == counted(clinic, "ann") == (1, 0)
    assert "New since you last looked: 2 messages, from 2 patients" in text(pt.get("/clinic"))


def test_a_handover_takes_the_count_to_the_new_clinicians_dashboard(
    clinic: Clinic, ann: TestClient
) -> None:
    assert ann.post("/api/v1/messages", json={"body": "Who is my therapist?"}).status_code == 201
    me = clinic.client("north_pt")
    colleague = clinic.client("north_pt2")
    ann_id, to = clinic.people["ann"].id, clinic.people["north_pt2"].id
    moved = me.post("/clinic/handover", data={"patients": [str(ann_id)], "to": str(to)})
    assert moved.status_code == 303, moved.text

    assert clinic.people["ann"].email not in listed(me)
    assert listed(colleague)[clinic.people["ann"].email] == (1, 0)
    assert "New since you last looked" not in text(me.get("/clinic"))
    assert "1 message, from 1 patient" in text(colleague.get("/clinic"))
    colleague.get(f"/clinic/patients/{ann_id}")
    assert row_counts(clinic, "ann") == counted(clinic, "ann") == (0, 0)


def test_refusals_write_nothing(clinic: Clinic, ann: TestClient) -> None:
    """An unknown patient, a patient of another clinic or clinician, an empty message: no
    message, no read mark, no count changes."""
    pt = clinic.client("north_pt")
    assert ann.post("/api/v1/messages", json={"body": "Hello"}).status_code == 201
    before = stored(clinic)
    unknown = 987_654
    assert pt.get(f"/clinic/patients/{unknown}").status_code == 404
    assert (
        pt.post(f"/api/v1/clinic/patients/{unknown}/messages", json={"body": "Hi"}).status_code
        == 404
    )
    assert pt.get(f"/api/v1/clinic/patients/{unknown}").status_code == 404
    for other in ("south_pt", "north_pt2"):
        client = clinic.client(other)
        assert client.get(f"/clinic/patients/{clinic.people['ann'].id}").status_code == 404
    assert ann.post("/api/v1/messages", json={"body": "   "}).status_code == 422
    assert stored(clinic) == before
    assert row_counts(clinic, "ann") == (1, 0)


@pytest.mark.parametrize("second_writes", ["message", "report"])
def test_two_writes_at_once_are_both_counted(
    clinic: Clinic, ann: TestClient, second_writes: str
) -> None:
    """The first transaction holds its count until the second has written its message (or
    problem report) and waits to count: on PostgreSQL the second must count the first's
    message once that is committed (its row is locked before it counts, by `recount` or by
    the summary's upsert, so its counting statement does not see the database as it was
    before the first committed). On SQLite the second waits for the first at its start."""
    patient = clinic.people["ann"].id
    first_counted, second_sent = threading.Event(), threading.Event()
    on_sqlite = clinic.store.sqlite_path is not None

    def first() -> None:
        with clinic.store.transaction() as tx:
            account_rows.add_message(
                tx.connection, patient_id=patient, sender_id=patient, now=NOW, body="One"
            )
            first_counted.set()
            if second_sent.wait(0.2 if on_sqlite else 10):
                time.sleep(0.3)  # the second is waiting for the row now

    def second() -> None:
        first_counted.wait(10)
        with clinic.store.transaction() as tx:
            if second_writes == "message":
                tx.connection.execute(
                    insert(messages).values(
                        patient_id=patient, sender_id=patient, at=NOW, body="Two"
                    )
                )
                second_sent.set()
                recount(tx.connection, [patient])
            else:  # counted with the summary computed again as the transaction commits
                tx.add_problem(patient, ProblemReport(clinic.clock.today, ProblemKind.OTHER, ""))
                second_sent.set()

    with ThreadPoolExecutor(max_workers=2) as pool:
        done = [pool.submit(first), pool.submit(second)]
        for f in done:
            f.result(timeout=30)
    expected = (2, 0) if second_writes == "message" else (1, 1)
    assert row_counts(clinic, "ann") == counted(clinic, "ann") == expected
