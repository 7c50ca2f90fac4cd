"""The dashboard at practice scale (issue #20), through the real app on SQLite and on
PostgreSQL: 50 patients a page from the kept concern summaries, searched by name or address
and filtered by concern, the search and filter kept in every page's address; one audit
insert for the patients shown; nothing of another clinic's; bad input said, nothing written.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from sqlalchemy import event, select
from typer.testing import CliRunner

from lumbar.cli.main import run
from lumbar.domain.access import Account, Role
from lumbar.domain.model import CheckIn
from lumbar.store import accounts as account_rows
from lumbar.store.tables import concern_summaries, people
from lumbar.usecases import audit, caseload, summaries
from lumbar.usecases.accounts import now_utc
from tests.builders import START, intake, profile
from tests.server.conftest import Clinic, email, start
from tests.server.test_admin import Outcome
from tests.web.conftest import text

NAMES = [f"Patient {n:03d}" for n in range(120)]


def add_patients(clinic: Clinic, names: list[str], clinician: str = "north_pt") -> None:
    """Patients of `clinician` with these names, as joining by an invitation makes them."""
    who = clinic.people[clinician]
    with clinic.store.transaction() as tx:
        for name in names:
            account_rows.add_user(
                tx.connection,
                email=name.lower().replace(" ", ".") + "@example.org",
                password_hash=None,
                role=Role.PATIENT,
                clinic_id=who.clinic_id,
                clinician_id=who.id,
                now=now_utc(),
                name=name,
            )


@contextmanager
def audit_inserts(clinic: Clinic) -> Iterator[list[int]]:
    """The number of rows of each INSERT into the audit log made meanwhile."""
    made: list[int] = []

    def seen(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO AUDIT_LOG"):
            made.append(len(params) if isinstance(params, list) else 1)

    engine = clinic.store.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield made
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def listed_names(page: str) -> list[str]:
    return re.findall(r'<a href="/clinic/patients/\d+">([^<]+)</a>', page)


def test_the_dashboard_shows_fifty_a_page_and_keeps_the_search_in_every_address(
    clinic: Clinic,
) -> None:
    add_patients(clinic, NAMES)
    pt = clinic.client("north_pt")
    seen = len(audit.entries(clinic.accounts))

    with audit_inserts(clinic) as inserts:
        first = pt.get("/clinic")

    assert first.status_code == 200, first.text
    shown = listed_names(first.text)
    # Nobody has started: one concern each, so by name (Ann and Bob joined without one).
    assert shown == [email("ann"), email("bob"), *NAMES[:48]]
    assert "1 to 50 of 122 patients" in text(first)
    assert 'href="/clinic?page=3"' in first.text and 'aria-current="page"' in first.text
    assert len(inserts) == 1 and inserts[0] == 50  # one statement, a row per patient shown
    entries = audit.entries(clinic.accounts)[seen:]
    shown_ids = {clinic.people[n].id for n in ("ann", "bob")}
    assert len(entries) == 50 and {e.patient_id for e in entries} >= shown_ids
    assert {e.target for e in entries} == {"GET /clinic (dashboard)"}

    last = pt.get("/clinic", params={"page": 3})
    assert listed_names(last.text) == NAMES[98:]
    assert "101 to 122 of 122 patients" in text(last)

    found = pt.get("/clinic", params={"q": "PATIENT 01", "level": "not_started"})
    assert listed_names(found.text) == NAMES[10:20]
    assert "1 to 10 of 10 patients found" in text(found)
    assert 'value="PATIENT 01"' in found.text and 'value="not_started" selected' in found.text

    many = pt.get("/clinic", params={"q": "patient", "level": "not_started", "page": "2"})
    assert listed_names(many.text) == NAMES[50:100]
    assert 'href="/clinic?q=patient&amp;level=not_started&amp;page=3"' in many.text

    by_address = pt.get("/clinic", params={"q": "bob@example"})
    assert listed_names(by_address.text) == [email("bob")]
    none = pt.get("/clinic", params={"level": "emergency"})
    assert listed_names(none.text) == [] and "No patients match" in text(none)


def test_the_api_pages_by_offset_and_says_how_many_match(clinic: Clinic) -> None:
    add_patients(clinic, NAMES)
    pt = clinic.client("north_pt")

    response = pt.get("/api/v1/clinic/patients", params={"limit": 7, "offset": 100})

    assert response.status_code == 200, response.text
    assert [p["name"] for p in response.json()] == NAMES[98:105]
    assert response.headers["X-Total-Count"] == "122"
    default = pt.get("/api/v1/clinic/patients").json()
    assert len(default) == 50
    assert default[0]["concerns"] == [
        {"concern": "not_started", "text": "Has not started the program yet"}
    ]
    searched = pt.get("/api/v1/clinic/patients", params={"q": "patient 11", "level": "not_started"})
    assert [p["name"] for p in searched.json()] == NAMES[110:120]
    assert searched.headers["X-Total-Count"] == "10"
    both = pt.get("/api/v1/clinic/patients", params=[("level", "inactive"), ("level", "emergency")])
    assert both.json() == [] and both.headers["X-Total-Count"] == "0"


def test_bad_paging_search_or_filter_is_refused_and_nothing_is_logged(clinic: Clinic) -> None:
    add_patients(clinic, NAMES[:3])
    pt = clinic.client("north_pt")
    seen = len(audit.entries(clinic.accounts))

    for params in (
        {"limit": "0"},
        {"limit": "201"},
        {"offset": "-1"},
        {"level": "worried"},
        {"q": "x" * 101},
    ):
        refused = pt.get("/api/v1/clinic/patients", params=params)
        assert refused.status_code == 422, params
        assert refused.json()["message"], params
    for params, said in (
        ({"page": "0"}, "The page is a whole number from 1"),
        ({"page": "two"}, "The page is a whole number from 1"),
        ({"level": "worried"}, "'worried' is not a concern: choose one from the list"),
        ({"q": "x" * 101}, "Search for at most 100 characters of a name or an address"),
    ):
        page = pt.get("/clinic", params=params)
        assert page.status_code == 422, params
        assert said in text(page), params
        assert listed_names(page.text) == [], params

    assert audit.entries(clinic.accounts)[seen:] == []


def test_a_clinician_lists_only_their_own_patients(clinic: Clinic) -> None:
    add_patients(clinic, NAMES[:5])
    add_patients(clinic, ["Patient 900"], clinician="south_pt")
    south = clinic.client("south_pt")
    seen = len(audit.entries(clinic.accounts))

    response = south.get("/api/v1/clinic/patients", params={"q": "patient"})
    assert [p["name"] for p in response.json()] == ["Patient 900"]
    everyone = south.get("/api/v1/clinic/patients", params={"limit": 200})
    assert {p["email"] for p in everyone.json()} == {email("dee"), "patient.900@example.org"}
    page = south.get("/clinic", params={"q": "example"})
    assert sorted(listed_names(page.text)) == ["Patient 900", email("dee")]
    for other in ("ann", "bob", "cy"):
        assert email(other) not in page.text
    theirs = {clinic.people["dee"].id, response.json()[0]["id"]}
    logged = audit.entries(clinic.accounts)[seen:]
    assert logged and {e.patient_id for e in logged} == theirs
    colleague = clinic.client("north_pt2")
    assert [p["email"] for p in colleague.get("/api/v1/clinic/patients").json()] == [email("cy")]
    admin = clinic.client("north_admin")
    assert admin.get("/api/v1/clinic/patients").status_code == 403


def row_of(clinic: Clinic, patient_id: int) -> Any:
    with clinic.store.reading() as connection:
        return connection.execute(
            select(concern_summaries, people.c.revision.label("now"))
            .outerjoin(people, people.c.id == concern_summaries.c.patient_id)
            .where(concern_summaries.c.patient_id == patient_id)
        ).one()


def test_a_write_keeps_the_summary_in_its_own_transaction(clinic: Clinic) -> None:
    """No listing in between: the patient's own write brought their row up to date; a
    refused write leaves it as it was; the unread counts, kept by the messages themselves,
    are still right after a write that computes the row again."""
    patient = clinic.client("ann")
    ann = clinic.people["ann"]
    assert row_of(clinic, ann.id).level == "not_started"
    for body in ("Stiff this morning.", "Better now."):
        assert patient.post("/api/v1/messages", json={"body": body}).status_code == 201
    assert (row_of(clinic, ann.id).unread_messages, row_of(clinic, ann.id).level) == (
        2,
        "not_started",
    )
    plan = start(patient)
    exercises = [{"id": e["id"], "pain": "sharp"} for e in plan["exercises"][:1]]
    response = patient.post("/api/v1/sessions", json={"date": plan["date"], "exercises": exercises})
    assert response.status_code == 201, response.text

    row = row_of(clinic, ann.id)
    assert row.level == "bad_pain" and row.computed_on == clinic.clock.today
    assert row.revision == row.now and row.started
    assert (row.unread_messages, row.unread_problems) == (2, 0)
    refused = patient.post("/api/v1/checkins", json={"pain": 11})
    assert refused.status_code == 422
    assert row_of(clinic, ann.id) == row


def test_views_and_writes_at_once_on_a_new_day_all_succeed_and_agree(clinic: Clinic) -> None:
    """Two views of a dashboard on a new day compute the same stale rows at once, while
    patients write: every one succeeds (the rows are upserted), and every row then says
    what the full computation says."""
    add_patients(clinic, NAMES[:12])
    patients = [a for a in clinic.accounts.accounts() if a.name in NAMES[:12]]
    with clinic.store.transaction() as tx:
        for patient in patients:
            tx.add_person(patient.id, profile())
            tx.add_checkin(patient.id, intake())
    clinic.clock.today = START + timedelta(days=9)
    content = clinic.app.state.content
    clinician = clinic.people["north_pt"]
    today = clinic.clock.today

    def view(_: int) -> int:
        found = summaries.dashboard(
            clinic.store,
            content,
            clinician,
            summaries.Query(),
            on=today,
            now=now_utc(),
            target="test",
        )
        return found.total

    def write(patient: Account) -> int:
        with clinic.store.transaction() as tx:
            return tx.add_checkin(patient.id, CheckIn(today, 3, None, (), True))

    with ThreadPoolExecutor(max_workers=4) as pool:
        views = [pool.submit(view, n) for n in range(3)]
        writes = [pool.submit(write, p) for p in patients[:6]]
        assert [f.result() for f in views] == [14, 14, 14]
        assert all(f.result() > 0 for f in writes)

    for patient in patients:
        expected = caseload.overview(clinic.store, content, patient, today)
        row = row_of(clinic, patient.id)
        shown = [caseload.describe(f, content) for f in summaries.findings_of(row.findings)]
        assert shown == expected.concerns and row.revision == row.now


def lumbar(clinic: Clinic, *args: str, today: date) -> Outcome:
    """`lumbar ARGS --db URL` on the clinic's database with `LUMBAR_TODAY` set."""
    runner = CliRunner()
    env = {"LUMBAR_DATABASE_URL": None, "LUMBAR_TODAY": today.isoformat()}
    with runner.isolation(env=env) as (out, err, _):
        try:
            run([*args, "--db", clinic.store.url])
            code = 0
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 1
        sys.stdout.flush()
        sys.stderr.flush()
        return Outcome(code, out.getvalue().decode(), err.getvalue().decode())


def test_refresh_summaries_computes_the_stale_rows_of_every_clinician(clinic: Clinic) -> None:
    """The nightly command: the rows the date made stale are computed for today, those of
    every clinician, and a second run finds none left."""
    add_patients(clinic, NAMES[:3])
    add_patients(clinic, ["Patient 900"], clinician="south_pt")
    started = [a for a in clinic.accounts.accounts() if a.name in (NAMES[0], "Patient 900")]
    with clinic.store.transaction() as tx:
        for patient in started:
            tx.add_person(patient.id, profile())
            tx.add_checkin(patient.id, intake())
    later = START + timedelta(days=8)

    made = lumbar(clinic, "admin", "refresh-summaries", "--json", today=later)

    assert made.code == 0, made.stderr
    assert made.json() == {"date": later.isoformat(), "computed": 2}
    for patient in started:
        row = row_of(clinic, patient.id)
        assert row.computed_on == later and "inactive" in row.findings
    again = lumbar(clinic, "admin", "refresh-summaries", today=later)
    assert again.stdout == f"Computed again 0 patients' concern summaries for {later}.\n"
    refused = lumbar(clinic, "admin", "refresh-summaries", "--date", "2026-13-01", today=later)
    assert refused.code != 0 and "2026-13-01" in refused.stderr
    assert [row_of(clinic, p.id).computed_on for p in started] == [later, later]


def test_one_pain_score_is_drawn_as_a_dot_and_more_as_a_line(clinic: Clinic) -> None:
    """A line through one point draws nothing: the first score is a dot, so the trend
    cell never looks empty beside a patient who has a score."""
    patient = clinic.client("ann")
    start(patient)
    pt = clinic.client("north_pt")
    first = pt.get("/clinic").text
    spark = re.search(r'<svg class="spark".*?</svg>', first, re.S)
    assert spark is not None and "<circle" in spark.group(0) and "<polyline" not in spark.group(0)

    clinic.clock.today += timedelta(days=1)
    assert patient.post("/api/v1/checkins", json={"pain": 3}).status_code == 201
    later = re.search(r'<svg class="spark".*?</svg>', pt.get("/clinic").text, re.S)
    assert later is not None and "<polyline" in later.group(0) and "<circle" not in later.group(0)
