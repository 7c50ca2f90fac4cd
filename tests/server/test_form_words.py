"""Words on a clinic's server: Report a problem says the patient's clinician sees it, with
the advice for the kind of problem right after it is sent; the account forms and the
clinician's forms say every problem at once, beside its field."""

from __future__ import annotations

from lumbar.content.reporting import report_words
from tests.server.conftest import Clinic
from tests.web.conftest import assert_errors_beside_fields, text


def test_a_patients_report_says_their_clinician_sees_it_and_gives_the_advice(
    clinic: Clinic, ann: object
) -> None:
    client = clinic.client("ann")
    words = report_words()

    form = client.get("/problem")
    sent = client.post("/problem", data={"kind": "fall", "hurt_back": "no"})

    assert form.status_code == 200
    assert "Your clinician sees it on their dashboard" in text(form)
    assert "Nobody else reads it" not in text(form)
    assert sent.status_code == 200
    page = text(sent)
    assert "Thank you: it is saved. Your clinician sees it on their dashboard" in page
    assert "Nobody else reads it" not in page
    for point in words.advice["fall"].points:
        assert point in page


# The account forms and the clinician's forms: every problem at once, beside its field.


def test_join_shows_every_problem_beside_its_field_and_makes_no_account(clinic: Clinic) -> None:
    pt = clinic.client("north_pt")
    invited = {"name": "Nell Patel", "birth_date": "1979-11-30"}
    code = pt.post("/api/v1/clinic/invitations", json=invited).json()["code"]
    newcomer = clinic.client()
    pasted = "x" * 5000

    response = newcomer.post(f"/join/{code}", data={"email": pasted, "password": "short"})

    assert response.status_code == 422
    beside = assert_errors_beside_fields(response)
    assert list(beside) == ["email", "password"]
    assert beside["email"].endswith("is not an email address")
    assert beside["password"] == "A password needs at least 10 characters"
    assert pasted not in response.text and "x" * 300 not in response.text
    assert [a.email for a in clinic.accounts.accounts()].count(pasted) == 0
    # The invitation still works: nothing was used up.
    assert newcomer.get(f"/join/{code}").status_code == 200


def test_sign_in_with_nothing_typed_asks_for_both(clinic: Clinic) -> None:
    response = clinic.client().post("/sign-in", data={"email": "", "password": ""})

    assert response.status_code == 422
    assert assert_errors_beside_fields(response) == {
        "email": "Enter your email address",
        "password": "Enter your password",
    }


def test_a_clinicians_empty_message_is_said_beside_the_message_field(
    clinic: Clinic, ann: object
) -> None:
    pt = clinic.client("north_pt")
    patient = clinic.people["ann"].id

    message = pt.post(f"/clinic/patients/{patient}/messages", data={"body": "  "})

    assert message.status_code == 422
    assert list(assert_errors_beside_fields(message)) == ["body"]
