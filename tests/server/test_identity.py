"""Who a patient is (issue #19, findings 4 and 7), through the real app on SQLite and on
PostgreSQL.

A look-alike address (`аnn@…` with a Cyrillic а, an invisible zero-width space) joined and
showed on the dashboard exactly like Ann: now every door refuses it, with words that say
why, and writes nothing. A clinician invites a patient by name and date of birth, which the
dashboard, the patient's page, messages, the prescription, the summary and the FHIR Patient
show. An invitation's code travels in no address and is shown only to the clinician who
made it; a disabled clinician's invitations stop working.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Table, func, select, update

from lumbar.errors import UserError
from lumbar.store.tables import login_failures, one_time_tokens, users
from lumbar.usecases.accounts import now_utc
from tests.server.conftest import PASSWORD, Clinic, email, start
from tests.web.conftest import assert_errors_beside_fields, text

GIL = {"name": "Gil Moss", "birth_date": "1958-07-14"}

LOOK_ALIKES = {
    "cyrillic": ("\u0430nn@patients.example", "alphabets (Cyrillic and Latin)"),
    "zero-width": ("an\u200bn@patients.example", "cannot be seen (zero width space)"),
    "bidi": ("ann\u202e@patients.example", "cannot be seen (right-to-left override)"),
    "latin-alpha": ("\u0251nn@patients.example", "looks like 'a' but is not"),
    "cyrillic-only": ("\u0430\u0441\u0435@patients.example", "looks like 'a' but is not"),
}
"""Addresses that would show like another's, and the words of their refusal."""


def count(clinic: Clinic, table: Table) -> int:
    with clinic.store.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def invite(client: TestClient, who: dict[str, str] = GIL) -> str:
    response = client.post("/api/v1/clinic/invitations", json=who)
    assert response.status_code == 201, response.text
    code: str = response.json()["code"]
    return code


def emails(clinic: Clinic) -> list[str]:
    return [a.email for a in clinic.accounts.accounts()]


# Addresses.


@pytest.mark.parametrize("kind", LOOK_ALIKES)
def test_a_look_alike_address_cannot_join_and_nothing_is_written(clinic: Clinic, kind: str) -> None:
    address, said = LOOK_ALIKES[kind]
    code = invite(clinic.client("north_pt"))
    before = (count(clinic, users), count(clinic, login_failures))

    response = clinic.client().post(f"/join/{code}", data={"email": address, "password": PASSWORD})

    assert response.status_code == 422
    beside = assert_errors_beside_fields(response)
    assert said in beside["email"], beside
    assert (count(clinic, users), count(clinic, login_failures)) == before
    assert address not in emails(clinic)
    # The invitation was not used up: Ann's real address still joins with it.
    joined = clinic.client().post(
        f"/join/{code}", data={"email": "ann.real@patients.example", "password": PASSWORD}
    )
    assert joined.status_code == 303


@pytest.mark.parametrize("kind", ["cyrillic", "zero-width"])
def test_a_look_alike_address_is_refused_at_every_door(clinic: Clinic, kind: str) -> None:
    """Sign-in, forgot, an account made on the server's command line: each says why, and
    none writes (no failure counted, no reset link, no account)."""
    address, said = LOOK_ALIKES[kind]
    sent: list[str] = []
    clinic.app.state.mailer = type("Mailer", (), {"send": lambda _, to, *__: sent.append(to)})()
    before = (count(clinic, users), count(clinic, login_failures), count(clinic, one_time_tokens))

    signing_in = clinic.client().post("/sign-in", data={"email": address, "password": PASSWORD})
    forgot = clinic.client().post("/forgot", data={"email": address})
    with pytest.raises(UserError, match=re.escape(said)):
        clinic.accounts.create_user(
            address, PASSWORD, "patient", now_utc(), clinician_email=email("north_pt")
        )
    refused_api = clinic.client().post(
        "/api/v1/sign-in", json={"email": address, "password": PASSWORD}
    )

    for response in (signing_in, forgot):
        assert response.status_code == 422
        assert said in assert_errors_beside_fields(response)["email"]
    assert refused_api.status_code == 401
    after = (count(clinic, users), count(clinic, login_failures), count(clinic, one_time_tokens))
    assert after == before
    assert sent == []


def test_addresses_are_one_form_whatever_is_typed(clinic: Clinic) -> None:
    """NFKC then lower case: a Kelvin sign is a K, full-width letters their plain ones. The
    account made with either signs in with the plain address, and the look-alike of an
    existing address is that address (no second account)."""
    made = clinic.accounts.create_user(
        "\u212aATE@Example.org", PASSWORD, "clinician", now_utc(), clinic="North Clinic"
    )
    assert made.email == "kate@example.org"
    with pytest.raises(UserError, match="already an account for kate@example.org"):
        clinic.accounts.create_user(
            "ｋａｔｅ@example.org", PASSWORD, "clinician", now_utc(), clinic="North Clinic"
        )
    for typed in ("KATE@EXAMPLE.ORG", "\u212aate@example.org", "ｋａｔｅ@ｅｘａｍｐｌｅ.ｏｒｇ"):
        response = clinic.client().post(
            "/api/v1/sign-in", json={"email": typed, "password": PASSWORD}
        )
        assert response.status_code == 200, (typed, response.text)
        assert response.json()["email"] == "kate@example.org"
    # Joining normalises the same way.
    code = invite(clinic.client("north_pt"))
    joined = clinic.client().post(
        f"/join/{code}", data={"email": "ＧＩＬ@Example.org", "password": PASSWORD}
    )
    assert joined.status_code == 303
    assert "gil@example.org" in emails(clinic)


# Who a patient is.


def test_the_invited_name_and_birth_date_show_wherever_the_patient_is(clinic: Clinic) -> None:
    pt = clinic.client("north_pt")
    page = pt.post("/clinic/invite", data=GIL)
    assert page.status_code == 200, text(page)
    link = re.search(r"/join/([\w-]+)</code>", page.text)
    assert link is not None
    gil = clinic.client()
    joined = gil.post(f"/join/{link.group(1)}", data={"email": email("gil"), "password": PASSWORD})
    assert joined.status_code == 303
    me = gil.get("/api/v1/me").json()
    gil.headers["X-CSRF-Token"] = me["csrf_token"]
    start(gil)
    gil.post("/api/v1/messages", json={"body": "The bridge pinches a little."})

    dashboard = text(pt.get("/clinic"))
    patient = text(pt.get(f"/clinic/patients/{me['id']}"))
    prescription = text(pt.get(f"/clinic/patients/{me['id']}/prescription"))
    summary = text(pt.get(f"/clinic/patients/{me['id']}/summary")).replace(" ,", ",")
    listed = pt.get("/api/v1/clinic/patients").json()

    assert "Gil Moss born 14 July 1958, gil@example.org" in dashboard
    assert "Gil Moss born 14 July 1958, gil@example.org" in patient
    assert "Gil Moss, " in patient and "Message to Gil Moss" in patient  # the thread
    assert "Program for Gil Moss" in prescription
    assert "Gil Moss, born 14 July 1958 (gil@example.org)" in summary, summary[:400]
    found = next(p for p in listed if p["id"] == me["id"])
    assert (found["name"], found["birth_date"]) == ("Gil Moss", "1958-07-14")
    # The patient's own FHIR export names them.
    bundle = gil.get("/api/v1/export", params={"format": "fhir"}).json()
    resource = next(
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    )
    assert resource["name"] == [{"use": "official", "text": "Gil Moss"}]
    assert resource["birthDate"] == "1958-07-14"


def test_patients_who_joined_before_names_show_their_address(
    clinic: Clinic, ann: TestClient
) -> None:
    """Ann's account was made without a name (as before this change): "name not given",
    and her FHIR Patient has no name nor birth date."""
    pt = clinic.client("north_pt")
    dashboard = text(pt.get("/clinic"))
    assert "ann@example.org name not given" in dashboard
    resource: dict[str, Any] = next(
        e["resource"]
        for e in ann.get("/api/v1/export", params={"format": "fhir"}).json()["entry"]
        if e["resource"]["resourceType"] == "Patient"
    )
    assert "name" not in resource and "birthDate" not in resource


@pytest.mark.parametrize(
    ("form", "said"),
    [
        ({"name": "", "birth_date": ""}, {"name": "Write", "birth_date": "Give"}),
        ({"name": "Gil\u202eMoss", "birth_date": "2999-01-01"}, {"name": "cannot be seen"}),
        ({"name": "G" * 101, "birth_date": "1958-02-30"}, {"name": "at most 100"}),
    ],
)
def test_an_invitation_without_a_proper_name_or_birth_date_is_refused(
    clinic: Clinic, form: dict[str, str], said: dict[str, str]
) -> None:
    pt = clinic.client("north_pt")
    before = count(clinic, one_time_tokens)

    page = pt.post("/clinic/invite", data=form)
    api = pt.post("/api/v1/clinic/invitations", json=form)

    assert page.status_code == 422 and api.status_code == 422
    beside = assert_errors_beside_fields(page)
    assert list(beside) == ["name", "birth_date"]
    for field, words in said.items():
        assert words in beside[field], beside
    assert "/join/" not in page.text
    assert "\u202e" not in page.text  # echoed without it: the name shows the right way round
    assert count(clinic, one_time_tokens) == before


# Invitation codes.


def test_a_code_in_the_address_is_never_shown(clinic: Clinic) -> None:
    """`/clinic?invited=CODE` showed any code (another clinic's) as the clinician's own."""
    south_code = invite(clinic.client("south_pt"))
    pt = clinic.client("north_pt")

    for shown in (south_code, "made-up-code"):
        page = pt.get("/clinic", params={"invited": shown})
        assert page.status_code == 200
        assert shown not in page.text
        assert "/join/" not in page.text
    # The form's answer carries the link itself: no redirect, no code in any address.
    made = pt.post("/clinic/invite", data=GIL)
    assert made.status_code == 200 and "location" not in made.headers
    assert made.headers["cache-control"] == "no-store"
    code = re.search(r"/join/([\w-]+)</code>", made.text)
    assert code is not None
    # Nobody else is ever shown it: not the colleague, not the clinician's own dashboard.
    for name in ("north_pt2", "north_pt"):
        assert code.group(1) not in clinic.client(name).get("/clinic").text


def test_a_disabled_clinicians_invitations_stop_working(clinic: Clinic) -> None:
    pt = clinic.client("north_pt")
    code, spare = invite(pt), invite(pt)
    admin = clinic.client("north_admin")
    clinician_id = clinic.people["north_pt"].id

    disabled = admin.post(f"/admin/accounts/{clinician_id}/active", data={"active": "0"})
    assert disabled.status_code == 303, disabled.text
    refused = clinic.client().post(
        f"/join/{code}", data={"email": email("gil"), "password": PASSWORD}
    )
    clinic.accounts.set_active(email("north_pt"), True)
    still = clinic.client().post(
        f"/join/{spare}", data={"email": email("hal"), "password": PASSWORD}
    )

    for response in (refused, still):
        assert response.status_code == 422
        assert "This invitation is not valid" in text(response)
    assert email("gil") not in emails(clinic) and email("hal") not in emails(clinic)


def test_accepting_checks_the_clinician_is_active(clinic: Clinic) -> None:
    """Even an invitation left standing (written before disabling revoked them) is refused
    while its clinician is disabled, and nothing is written."""
    code = invite(clinic.client("north_pt"))
    with clinic.store.engine.begin() as connection:
        connection.execute(
            update(users).where(users.c.id == clinic.people["north_pt"].id).values(active=False)
        )
    before = count(clinic, users)
    with pytest.raises(UserError, match="not valid"):
        clinic.accounts.accept_invite(code, email("gil"), PASSWORD, now_utc())
    assert count(clinic, users) == before
    with clinic.store.engine.connect() as connection:
        used = connection.execute(select(one_time_tokens.c.used_at)).scalars().all()
    assert used == [None]
