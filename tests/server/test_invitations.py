"""Invitations that travel (issue #20), on SQLite and on PostgreSQL: mailed to the patient
through a real SMTP server (aiosmtpd) or shown once with a QR code; the pending list with
resend (a new link: the old one stops working) and revoke, each audited; a clinician of
another clinic (or another clinician of the same one) sees none of it and changes nothing;
an admin sees their clinic's and sends one again by email only."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from datetime import timedelta
from email.message import Message
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lumbar.store.tables import audit_log, one_time_tokens, users
from lumbar.usecases import invitations
from lumbar.usecases.accounts import now_utc
from lumbar.usecases.joining import INVITATION_INVALID
from lumbar.usecases.mail import Mailer
from tests.server.conftest import PASSWORD, Clinic
from tests.server.test_mail import Inbox, inbox
from tests.web.conftest import text

__all__ = ["inbox"]  # the SMTP server fixture, shared with test_mail.py

IDA = {"name": "Ida Brown", "birth_date": "1990-05-06"}


@pytest.fixture
def mail(clinic: Clinic, inbox: tuple[Inbox, int]) -> Iterator[Inbox]:
    """The clinic's server, now with a mail server (a real one on loopback)."""
    handler, port = inbox
    clinic.app.state.mailer = Mailer.from_environment(
        {"LUMBAR_SMTP_URL": f"smtp://127.0.0.1:{port}", "LUMBAR_MAIL_FROM": "lumbar@clinic.example"}
    )
    yield handler
    clinic.app.state.mailer = None


def rows(clinic: Clinic) -> dict[str, list[str]]:
    """Every invitation and account, and the audit log's writes: what a refusal must leave
    as it was (a page shown again logs the reads of the dashboard it shows)."""
    with clinic.store.engine.connect() as connection:
        found = {
            t.name: sorted(repr(tuple(r)) for r in connection.execute(select(t)))
            for t in (one_time_tokens, users)
        }
        writes = select(audit_log).where(audit_log.c.action != "read")
        found["audit_log"] = [repr(tuple(r)) for r in connection.execute(writes)]
        return found


def body_of(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def code_in(answer: Any) -> str:
    found = re.search(r"/join/([\w-]+)", answer if isinstance(answer, str) else answer.text)
    assert found is not None, answer
    return found.group(1)


def join(clinic: Clinic, code: str, address: str) -> Any:
    return clinic.client().post(f"/join/{code}", data={"email": address, "password": PASSWORD})


def invite_api(client: TestClient, **extra: str) -> dict[str, Any]:
    response = client.post("/api/v1/clinic/invitations", json={**IDA, **extra})
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()
    return made


def test_an_invitation_by_email_reaches_the_patient_without_health_details(
    clinic: Clinic, mail: Inbox
) -> None:
    pt = clinic.client("north_pt")

    page = pt.post("/clinic/invite", data={**IDA, "email": "Ida@Example.org", "give": "mail"})

    assert page.status_code == 200, text(page)
    assert "sent by email to ida@example.org" in text(page)
    assert "/join/" not in page.text  # mailed, not shown
    [message] = mail.messages
    assert message["To"] == "ida@example.org"
    assert message["Subject"] == "An invitation to lumbar from North Clinic"
    body = body_of(message)
    until = (now_utc() + timedelta(days=14)).date()
    assert f"{until.day} {until:%B %Y}" in body
    assert "North Clinic" in body
    # Nothing about the patient: not their name, nor their birth date, nor any health word.
    for said in ("Ida", "Brown", "1990", "May", "pain", "back", "symptom", "exercise"):
        assert said.lower() not in body.lower().replace(f"{until:%B}".lower(), ""), said
    joined = join(clinic, code_in(body), "ida@example.org")
    assert joined.status_code == 303
    assert pt.get("/api/v1/clinic/invitations").json() == []  # accepted: no longer pending


def test_without_a_mail_server_the_page_says_so_and_shows_the_link_and_a_qr_code(
    clinic: Clinic,
) -> None:
    pt = clinic.client("north_pt")

    page = pt.post("/clinic/invite", data={**IDA, "email": "ida@example.org", "give": "mail"})

    assert page.status_code == 200, text(page)
    assert "no mail server set up" in text(page)
    assert "<svg" in page.text and "The invitation link for Ida Brown" in page.text
    assert page.headers["Cache-Control"] == "no-store"
    assert join(clinic, code_in(page), "ida@example.org").status_code == 303


def test_shown_on_screen_even_with_a_mail_server_when_asked(clinic: Clinic, mail: Inbox) -> None:
    pt = clinic.client("north_pt")
    page = pt.post("/clinic/invite", data={**IDA, "email": "ida@example.org", "give": "screen"})
    assert page.status_code == 200 and "<svg" in page.text
    assert "no mail server" not in text(page)
    assert mail.messages == []


@pytest.mark.parametrize(
    ("form", "said"),
    [
        ({**IDA, "email": "not an address", "give": "screen"}, "is not an email address"),
        ({**IDA, "email": "", "give": "mail"}, "Give their email address to send"),
        ({"name": "", "birth_date": "1990-05-06", "email": "ida@example.org"}, "name"),
    ],
)
def test_a_bad_invitation_form_says_why_and_writes_nothing(
    clinic: Clinic, form: dict[str, str], said: str
) -> None:
    pt = clinic.client("north_pt")
    before = rows(clinic)
    page = pt.post("/clinic/invite", data=form)
    assert page.status_code == 422
    assert said in text(page)
    assert "/join/" not in page.text
    assert rows(clinic) == before


def test_a_bad_address_in_the_api_is_refused_and_nothing_written(clinic: Clinic) -> None:
    pt = clinic.client("north_pt")
    before = rows(clinic)
    refused = pt.post("/api/v1/clinic/invitations", json={**IDA, "email": "nobody"})
    assert refused.status_code == 422
    assert "is not an email address" in refused.json()["message"]
    assert rows(clinic) == before


def test_the_pending_list_shows_each_invitation_on_the_patients_page(clinic: Clinic) -> None:
    pt = clinic.client("north_pt")
    made = invite_api(pt, email="ida@example.org")
    assert made["delivery"] == "no-server" and made["code"]

    [listed] = pt.get("/api/v1/clinic/invitations").json()

    assert listed["id"] == made["id"]
    assert (listed["name"], listed["email"], listed["expired"]) == (
        "Ida Brown", "ida@example.org", False,
    )  # fmt: skip
    assert listed["expires_at"] == made["expires_at"]
    page = text(pt.get("/clinic"))
    assert "Pending invitations" in page and "Ida Brown" in page and "ida@example.org" in page
    until = (now_utc() + timedelta(days=14)).date()
    assert f"{until.day} {until:%B %Y}" in page


def test_resend_gives_a_new_link_and_the_old_one_stops_working(clinic: Clinic, mail: Inbox) -> None:
    pt = clinic.client("north_pt")
    old = invite_api(pt, email="ida@example.org")
    assert old["delivery"] == "mailed"

    again = pt.post(f"/api/v1/clinic/invitations/{old['id']}/resend")

    assert again.status_code == 200, again.text
    new = again.json()
    assert new["id"] == old["id"] and new["code"] != old["code"]
    assert [code_in(body_of(m)) for m in mail.messages] == [old["code"], new["code"]]
    before = rows(clinic)
    refused = join(clinic, old["code"], "ida@example.org")
    assert refused.status_code == 422
    assert INVITATION_INVALID[1:] in text(refused)
    assert rows(clinic)["users"] == before["users"]
    assert rows(clinic)["one_time_tokens"] == before["one_time_tokens"]
    assert join(clinic, new["code"], "ida@example.org").status_code == 303
    targets = [e for e in _audit(clinic) if e.startswith("invitation ")]
    assert targets == [f"invitation {old['id']}: made", f"invitation {old['id']}: sent again"]


def test_the_resend_button_shows_the_new_link_once_without_a_mail_server(clinic: Clinic) -> None:
    pt = clinic.client("north_pt")
    old = invite_api(pt)
    page = pt.post(f"/clinic/invitations/{old['id']}/resend")
    assert page.status_code == 200
    assert "A new link for Ida Brown" in text(page) and "<svg" in page.text
    assert code_in(page) != old["code"]


def test_revoke_stops_the_link_and_empties_the_list(clinic: Clinic) -> None:
    pt = clinic.client("north_pt")
    made = invite_api(pt)

    gone = pt.post(f"/clinic/invitations/{made['id']}/revoke")

    assert gone.status_code == 303 and gone.headers["location"] == "/clinic#invitations"
    assert pt.get("/api/v1/clinic/invitations").json() == []
    assert join(clinic, made["code"], "ida@example.org").status_code == 422
    assert pt.delete(f"/api/v1/clinic/invitations/{made['id']}").status_code == 404
    assert f"invitation {made['id']}: revoked" in _audit(clinic)


def test_the_api_revokes_with_delete(clinic: Clinic) -> None:
    pt = clinic.client("north_pt")
    made = invite_api(pt)
    assert pt.delete(f"/api/v1/clinic/invitations/{made['id']}").status_code == 204
    assert pt.get("/api/v1/clinic/invitations").json() == []


@pytest.mark.parametrize("who", ["south_pt", "north_pt2", "south_admin"])
def test_another_clinician_or_clinic_sees_changes_nothing(
    clinic: Clinic, mail: Inbox, who: str
) -> None:
    made = invite_api(clinic.client("north_pt"), email="ida@example.org")
    other = clinic.client(who)
    mail.messages.clear()
    before = rows(clinic)

    assert other.get("/api/v1/clinic/invitations").json() == []
    assert "Ida Brown" not in other.get("/clinic/invitations").text
    for answer in (
        other.post(f"/api/v1/clinic/invitations/{made['id']}/resend"),
        other.delete(f"/api/v1/clinic/invitations/{made['id']}"),
        other.post(f"/clinic/invitations/{made['id']}/resend"),
        other.post(f"/clinic/invitations/{made['id']}/revoke"),
    ):
        assert answer.status_code == 404, answer.text
        assert made["code"] not in answer.text
    assert rows(clinic) == before
    assert mail.messages == []
    assert join(clinic, made["code"], "ida@example.org").status_code == 303  # still works


def test_a_patient_has_no_invitations_to_see(clinic: Clinic) -> None:
    made = invite_api(clinic.client("north_pt"))
    bob = clinic.client("bob")
    before = rows(clinic)
    assert bob.get("/api/v1/clinic/invitations").status_code == 403
    assert bob.delete(f"/api/v1/clinic/invitations/{made['id']}").status_code == 403
    assert rows(clinic) == before


def test_an_admin_sees_the_clinics_and_resends_by_email_only(clinic: Clinic, mail: Inbox) -> None:
    pt = clinic.client("north_pt")
    with_address = invite_api(pt, email="ida@example.org")
    without = invite_api(pt, name="Gil Moss")
    admin = clinic.client("north_admin")
    listed = admin.get("/api/v1/clinic/invitations").json()
    assert {i["id"] for i in listed} == {with_address["id"], without["id"]}
    assert {i["clinician_email"] for i in listed} == {"north_pt@example.org"}
    assert "Gil Moss" in text(admin.get("/clinic/invitations"))
    mail.messages.clear()

    sent = admin.post(f"/api/v1/clinic/invitations/{with_address['id']}/resend")

    assert sent.status_code == 200, sent.text
    assert (sent.json()["code"], sent.json()["url"], sent.json()["delivery"]) == (
        None, None, "mailed",
    )  # fmt: skip
    assert [m["To"] for m in mail.messages] == ["ida@example.org"]
    before = rows(clinic)
    refused = admin.post(f"/clinic/invitations/{without['id']}/resend")
    assert refused.status_code == 422
    assert "by email only" in text(refused)
    assert "/join/" not in refused.text
    assert rows(clinic) == before
    assert admin.post(f"/clinic/invitations/{without['id']}/revoke").status_code == 303
    assert [i["id"] for i in admin.get("/api/v1/clinic/invitations").json()] == [with_address["id"]]


def test_an_expired_invitation_is_shown_expired_and_can_be_sent_again(clinic: Clinic) -> None:
    long_ago = now_utc() - timedelta(days=20)
    made = invitations.invite(
        clinic.accounts, clinic.people["north_pt"], long_ago, name="Gil Moss", born="1958-07-14"
    )
    pt = clinic.client("north_pt")
    [listed] = pt.get("/api/v1/clinic/invitations").json()
    assert listed["expired"] is True
    assert "Expired" in text(pt.get("/clinic"))
    assert join(clinic, made.code, "gil@example.org").status_code == 422

    again = pt.post(f"/api/v1/clinic/invitations/{made.invitation.ref}/resend").json()

    assert pt.get("/api/v1/clinic/invitations").json()[0]["expired"] is False
    assert join(clinic, again["code"], "gil@example.org").status_code == 303


def test_an_invitation_id_that_is_no_ref_is_not_found(clinic: Clinic) -> None:
    pt = clinic.client("north_pt")
    before = rows(clinic)
    for ref in ("x" * 300, "a%00b", "..", "ünï"):
        assert pt.delete(f"/api/v1/clinic/invitations/{ref}").status_code == 404
    assert rows(clinic) == before


def _audit(clinic: Clinic) -> list[str]:
    with clinic.store.engine.connect() as connection:
        return list(
            connection.execute(select(audit_log.c.target).order_by(audit_log.c.id)).scalars()
        )


def test_the_servers_commands_list_resend_and_revoke(clinic: Clinic) -> None:
    """`lumbar admin invitations|resend-invitation|revoke-invitation`, acting as a staff
    account under the rules of its pages; an invitation made with `lumbar admin invite`
    is pending like any other."""
    from tests.server.test_admin import lumbar

    made = lumbar(clinic, "admin", "invite", "north_pt@example.org", *("--name", "Gil Moss"),
                  *("--born", "1958-07-14", "--json"))  # fmt: skip
    assert made.code == 0, made.stderr
    old_code = made.json()["code"]
    [listed] = lumbar(clinic, "admin", "invitations", "north_pt@example.org", "--json").json()
    assert (listed["name"], listed["expired"]) == ("Gil Moss", False)
    assert lumbar(clinic, "admin", "invitations", "south_pt@example.org", "--json").json() == []

    before = rows(clinic)
    refused = lumbar(clinic, "admin", "revoke-invitation", "south_pt@example.org", listed["id"])
    assert refused.code != 0 and "no such invitation" in refused.stderr
    by_admin = lumbar(clinic, "admin", "resend-invitation", "north_admin@example.org", listed["id"])
    assert by_admin.code != 0 and "by email only" in by_admin.stderr
    assert rows(clinic) == before

    again = lumbar(clinic, "admin", "resend-invitation", "north_pt@example.org", listed["id"],
                   "--json")  # fmt: skip
    assert again.code == 0, again.stderr
    assert join(clinic, old_code, "gil@example.org").status_code == 422
    gone = lumbar(clinic, "admin", "revoke-invitation", "north_pt@example.org", listed["id"])
    assert gone.code == 0 and f"Revoked invitation {listed['id']}" in gone.stdout
    assert join(clinic, again.json()["code"], "gil@example.org").status_code == 422
    assert lumbar(clinic, "admin", "invitations", "north_pt@example.org").stdout.strip() == (
        "No invitations are waiting to be accepted."
    )


def test_a_mail_server_that_refuses_leaves_the_link_shown_once(clinic: Clinic) -> None:
    """The mail server is down: the invitation is made all the same, and the page says
    nothing was mailed and shows the link, which works."""
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    clinic.app.state.mailer = Mailer.from_environment(
        {"LUMBAR_SMTP_URL": f"smtp://127.0.0.1:{port}", "LUMBAR_MAIL_FROM": "lumbar@clinic.example"}
    )
    pt = clinic.client("north_pt")

    page = pt.post("/clinic/invite", data={**IDA, "email": "ida@example.org", "give": "mail"})

    assert page.status_code == 200, text(page)
    assert "The mail server did not take the message, so nothing was mailed" in text(page)
    assert "<svg" in page.text
    assert join(clinic, code_in(page), "ida@example.org").status_code == 303
