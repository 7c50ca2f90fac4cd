"""The audit log (issue #19, finding 10), on SQLite and PostgreSQL: a clinician's request
for a patient who is not theirs is logged (it was answered 404 and left no trace), and
the admin's view of the log comes 50 entries a page, filtered by who, which patient and
which days (it loaded the whole log on every view).
"""

from __future__ import annotations

from typing import Any

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from lumbar.store.database import Store
from lumbar.store.migrate import alembic_config
from lumbar.usecases import audit
from lumbar.usecases.accounts import now_utc
from tests.databases import Databases
from tests.server.conftest import ANN_ACTIVITY, Clinic


def test_a_clinician_s_probe_of_another_s_patient_is_refused_and_logged(
    clinic: Clinic, ann: Any
) -> None:
    patient = clinic.people["ann"]
    other = clinic.client("north_pt2")  # same clinic, not Ann's clinician
    before = audit.entries(clinic.accounts)
    response = other.get(f"/api/v1/clinic/patients/{patient.id}/export")
    assert response.status_code == 404
    assert ANN_ACTIVITY not in response.text
    nobody = other.post("/clinic/patients/987654/messages", data={"body": "hello"})
    assert nobody.status_code == 404

    logged = audit.entries(clinic.accounts)[len(before) :]
    prober = clinic.people["north_pt2"].id
    assert [(e.actor_id, e.action, e.patient_id, e.target) for e in logged] == [
        (prober, "refused", patient.id, f"GET /api/v1/clinic/patients/{patient.id}/export"),
        (prober, "refused", None, "POST /clinic/patients/987654/messages"),
    ]
    # Nothing else was written: no message to anyone.
    assert ann.get("/api/v1/messages").json() == []


def test_the_admin_sees_the_probe_on_the_page(clinic: Clinic, ann: Any) -> None:
    patient = clinic.people["ann"]
    clinic.client("north_pt2").get(f"/clinic/patients/{patient.id}")
    page = clinic.client("north_admin").get("/admin", params={"action": "refused"})
    assert page.status_code == 200
    assert "north_pt2@example.org" in page.text
    assert "refused" in page.text


def _many_reads(clinic: Clinic, count: int) -> None:
    """`count` reads of Ann's record by her clinician, logged as the app logs them."""
    clinician = clinic.people["north_pt"]
    patient = clinic.people["ann"]
    for number in range(count):
        audit.log(clinic.accounts, clinician, audit.Action.READ, f"GET /n/{number}", now_utc(),
                  patient.id)  # fmt: skip


def _rows(page_text: str) -> int:
    body = page_text.split('<table class="audit">', 1)[1].split("</table>", 1)[0]
    return body.count("<tr>") - 1  # the header's row


def test_the_audit_view_shows_50_entries_a_page_newest_first(clinic: Clinic, ann: Any) -> None:
    _many_reads(clinic, 120)
    admin = clinic.client("north_admin")
    first = admin.get("/admin")
    assert first.status_code == 200
    assert _rows(first.text) == 50
    assert "GET /n/119" in first.text and "GET /n/70<" in first.text
    assert "GET /n/69<" not in first.text
    assert 'href="/admin?page=2"' in first.text
    third = admin.get("/admin", params={"page": 3})
    assert _rows(third.text) == 20  # 120 reads; the rest of the log (Ann's own) is not logged
    assert "GET /n/0<" in third.text
    assert "Newer entries" in third.text
    assert "Older entries" not in third.text


def test_the_audit_view_filters_by_actor_patient_and_days(clinic: Clinic, ann: Any) -> None:
    _many_reads(clinic, 3)
    bob = clinic.people["bob"]
    clinic.client("north_pt").get(f"/clinic/patients/{bob.id}")
    admin = clinic.client("north_admin")
    by_patient = admin.get("/admin", params={"patient": bob.id})
    assert _rows(by_patient.text) == 1
    assert f"/clinic/patients/{bob.id}" in by_patient.text
    by_actor = admin.get("/admin", params={"actor": clinic.people["north_pt2"].id})
    assert _rows(by_actor.text) == 0
    assert "No entries match" in by_actor.text
    today = now_utc().date()
    on_the_day = admin.get(
        "/admin", params={"since": today.isoformat(), "until": today.isoformat()}
    )
    assert _rows(on_the_day.text) == 4
    before = admin.get("/admin", params={"until": "2020-01-01"})
    assert _rows(before.text) == 0
    # The filters stay in the page links.
    assert f'value="{bob.id}" selected' in by_patient.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "0"}, "page"),
        ({"since": "yesterday"}, "since"),
        ({"actor": "x"}, "actor"),
    ],
)
def test_a_filter_that_is_not_one_is_refused_422(
    clinic: Clinic, params: dict[str, str], message: str
) -> None:
    response = clinic.client("north_admin").get("/admin", params=params)
    assert response.status_code == 422
    assert message in response.text


def test_migration_0017_lets_the_log_hold_refusals_and_keeps_it_append_only(
    databases: Databases,
) -> None:
    store = Store(databases.new())
    try:
        with store.engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0014")
            connection.execute(
                text(
                    "INSERT INTO audit_log (at, actor_id, actor_role, action, patient_id, "
                    "target) VALUES (:at, 3, 'clinician', 'read', 9, 'GET /clinic')"
                ),
                {"at": now_utc()},
            )
        store.migrate()
        with store.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO audit_log (at, actor_id, actor_role, action, patient_id, "
                    "target) VALUES (:at, 3, 'clinician', 'refused', NULL, 'GET /x')"
                ),
                {"at": now_utc()},
            )
        rows = [(e.action, e.target) for e in _entries(store)]
        assert rows == [("read", "GET /clinic"), ("refused", "GET /x")]
        for statement in ("UPDATE audit_log SET target = 'gone'", "DELETE FROM audit_log"):
            with pytest.raises(DBAPIError, match="the audit log is append-only"):
                with store.engine.begin() as connection:
                    connection.execute(text(statement))
        assert [(e.action, e.target) for e in _entries(store)] == rows
    finally:
        store.dispose()


def _entries(store: Store) -> list[Any]:
    with store.engine.connect() as connection:
        return list(connection.execute(text("SELECT action, target FROM audit_log ORDER BY id")))
