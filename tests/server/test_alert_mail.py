"""Mail to a clinician when a patient needs them (issue #20), through a real SMTP server on
loopback (aiosmtpd): an alert at once for an emergency or urgent sign, the daily digest of
new concerns, each opted out of per clinician; the mail carries no name, address, symptom
or other health detail, only a link to the patient's page. On SQLite and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from email.message import Message

import pytest
from sqlalchemy import func, select, update

from lumbar.content.load import default_content
from lumbar.store.notification_tables import mailed_concerns
from lumbar.store.tables import users
from lumbar.usecases import alerts, notifications
from lumbar.usecases.accounts import now_utc
from lumbar.usecases.mail import Mailer
from lumbar.web.app import create_app
from tests.server.conftest import ANN_ACTIVITY, BASE_URL, Clinic, email, start
from tests.server.test_admin import lumbar
from tests.server.test_mail import Inbox
from tests.web.conftest import ANSWERS, text

ANN_NAME = "Annabel Quist"
FORBIDDEN = (
    ANN_NAME, "Annabel", "Quist", "ann@", "example.org", ANN_ACTIVITY,
    "saddle", "numb", "bladder", "bowel", "fever", "chest", "emergency", "urgent", "pain",
    "hurts", "stiff", "tripped", "leg", "message", "problem",
)  # fmt: skip
"""What no mail may say: the patient's name and address, their own words (an activity, a
message, a report's note), a symptom's code or words, what kind of sign or news it was."""


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, dict[str, str]]]:
    """A real SMTP server on a free port of loopback, and the settings that reach it."""
    import socket

    from aiosmtpd.controller import Controller

    handler = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield (
            handler,
            {
                "LUMBAR_SMTP_URL": f"smtp://127.0.0.1:{port}",
                "LUMBAR_MAIL_FROM": "lumbar@clinic.example",
            },
        )
    finally:
        controller.stop()


@pytest.fixture
def mailing(clinic: Clinic, smtp: tuple[Inbox, dict[str, str]]) -> Iterator[tuple[Clinic, Inbox]]:
    """The clinic's server with a mail server; Ann has a name (from her invitation)."""
    inbox, settings = smtp
    app = create_app(
        clinic.store,
        accounts=clinic.accounts,
        clock=clinic.clock,
        allowed_hosts=None,
        mailer=Mailer.from_environment(settings),
        public_url=BASE_URL,
    )
    with clinic.store.engine.begin() as connection:
        patient = clinic.people["ann"].id
        connection.execute(update(users).where(users.c.id == patient).values(name=ANN_NAME))
    served = Clinic(app, clinic.store, clinic.accounts, clinic.clock, clinic.people)
    yield served, inbox
    served.close()


def body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def assert_says_nothing_of_health(message: Message) -> None:
    said = f"{message['Subject']}\n{body(message)}".lower()
    found = [word for word in FORBIDDEN if word.lower() in said]
    assert found == [], said


def mailed_rows(clinic: Clinic) -> int:
    with clinic.store.reading() as connection:
        return connection.execute(select(func.count()).select_from(mailed_concerns)).scalar_one()


def started_ann(served: Clinic) -> None:
    ann = served.client("ann")
    psfs = [{"activity": ANN_ACTIVITY, "score": 3}, *ANSWERS["psfs"][1:]]
    start(ann, psfs=psfs)


# The alert at once.


def test_an_emergency_sign_at_a_check_in_mails_the_clinician_once(
    mailing: tuple[Clinic, Inbox],
) -> None:
    served, inbox = mailing
    started_ann(served)
    ann = served.client("ann")
    assert inbox.messages == []  # starting is no alert

    response = ann.post("/api/v1/checkins", json={"symptoms": ["saddle_numbness"]})
    assert response.status_code == 201, response.text

    assert [m["To"] for m in inbox.messages] == [email("north_pt")]
    message = inbox.messages[0]
    assert message["Subject"] == "A patient needs your attention"
    link = f"{BASE_URL}/clinic/patients/{served.people['ann'].id}"
    assert link in body(message)
    assert_says_nothing_of_health(message)
    # The same sign again is not news; the form's check-in goes the same way.
    again = ann.post("/api/v1/checkins", json={"symptoms": ["saddle_numbness"]})
    assert again.status_code == 201
    assert len(inbox.messages) == 1


def test_an_urgent_sign_reported_with_a_problem_mails_the_clinician(
    mailing: tuple[Clinic, Inbox],
) -> None:
    served, inbox = mailing
    started_ann(served)
    ann = served.client("ann")
    reported = ann.post(
        "/api/v1/problems",
        json={"kind": "pain_after_session", "note": "It hurts down my leg", "symptoms": ["fever"]},
    )
    assert reported.status_code == 201, reported.text
    assert [m["To"] for m in inbox.messages] == [email("north_pt")]
    assert_says_nothing_of_health(inbox.messages[0])


def test_an_emergency_at_a_refused_intake_mails_the_clinician(
    mailing: tuple[Clinic, Inbox],
) -> None:
    served, inbox = mailing
    bob = served.client("bob")
    refused = bob.post("/api/v1/program", json={**ANSWERS, "red_flags": ["bladder_bowel"]})
    assert refused.status_code == 409, refused.text
    assert [m["To"] for m in inbox.messages] == [email("north_pt")]
    assert f"/clinic/patients/{served.people['bob'].id}" in body(inbox.messages[0])
    assert_says_nothing_of_health(inbox.messages[0])


def test_an_emergency_on_the_intakes_signs_step_mails_the_clinician(
    mailing: tuple[Clinic, Inbox],
) -> None:
    served, inbox = mailing
    bob = served.client("bob")
    about = bob.post("/start/about", data={"understood": "1", "age": "42", "pain_weeks": "3"})
    assert about.status_code == 303, about.text
    refused = bob.post("/start/signs", data={"red_flags": ["chest_pain"]})
    assert refused.status_code == 200 and "Please get care now" in refused.text
    assert [m["To"] for m in inbox.messages] == [email("north_pt")]
    assert_says_nothing_of_health(inbox.messages[0])


def test_a_clinician_who_opted_out_gets_no_alert_and_the_dashboard_still_shows_it(
    mailing: tuple[Clinic, Inbox],
) -> None:
    served, inbox = mailing
    started_ann(served)
    pt = served.client("north_pt")
    saved = pt.post("/account/mail", data={"digest": "on"})  # alerts not ticked: off
    assert saved.status_code == 303
    assert "Your choice of mail is saved" in text(pt.get(saved.headers["location"]))

    ann = served.client("ann")
    assert ann.post("/api/v1/checkins", json={"symptoms": ["both_legs"]}).status_code == 201

    assert inbox.messages == []
    assert mailed_rows(served) == 0
    assert "Emergency sign reported" in text(pt.get("/clinic"))


def test_without_a_mail_server_nothing_is_sent_and_the_dashboard_shows_it(
    clinic: Clinic, ann: object
) -> None:
    patient = clinic.client("ann")
    response = patient.post("/api/v1/checkins", json={"symptoms": ["saddle_numbness"]})
    assert response.status_code == 201, response.text
    assert mailed_rows(clinic) == 0
    assert "Emergency sign reported" in text(clinic.client("north_pt").get("/clinic"))
    assert "no mail is sent for now" in text(clinic.client("north_pt").get("/account"))


def test_a_mail_server_that_refuses_does_not_fail_the_patients_check_in(
    clinic: Clinic, ann: object
) -> None:
    """The patient's answer is recorded whatever the mail server does; the alert is left
    unmarked, to go with the next write or the digest."""
    dead = Mailer.from_environment(
        {"LUMBAR_SMTP_URL": "smtp://127.0.0.1:9", "LUMBAR_MAIL_FROM": "lumbar@clinic.example"}
    )
    app = create_app(
        clinic.store, accounts=clinic.accounts, clock=clinic.clock, allowed_hosts=None,
        mailer=dead, public_url=BASE_URL,
    )  # fmt: skip
    served = Clinic(app, clinic.store, clinic.accounts, clinic.clock, clinic.people)
    try:
        response = served.client("ann").post(
            "/api/v1/checkins", json={"symptoms": ["saddle_numbness"]}
        )
        assert response.status_code == 201, response.text
        assert mailed_rows(clinic) == 0
    finally:
        served.close()


# The daily digest.


def test_the_digest_names_each_clinicians_patients_with_new_concerns_once(
    mailing: tuple[Clinic, Inbox], smtp: tuple[Inbox, dict[str, str]]
) -> None:
    served, inbox = mailing
    _, settings = smtp
    started_ann(served)
    served.client("ann").post("/api/v1/messages", json={"body": "My back hurts"})
    cy = served.client("cy")
    start(cy)
    cy.post("/api/v1/problems", json={"kind": "other", "note": "Tripped"})
    mailer = Mailer.from_environment(settings)
    assert mailer is not None
    now = now_utc()

    def run() -> alerts.DigestSent:
        return alerts.send_digest(
            served.store, default_content(), mailer, base_url=BASE_URL, on=served.clock(), now=now
        )

    first = run()

    # Bob (invited, not started), Cy (a problem report) and Ann (a message) are news.
    by = {m["To"]: m for m in inbox.messages}
    assert set(by) == {email("north_pt"), email("north_pt2"), email("south_pt")}
    assert (first.mails, first.failed) == (3, ())
    assert f"/clinic/patients/{served.people['bob'].id}" in body(by[email("north_pt")])
    assert f"/clinic/patients/{served.people['cy'].id}" in body(by[email("north_pt2")])
    assert f"/clinic/patients/{served.people['ann'].id}" in body(by[email("north_pt")])
    for message in inbox.messages:
        assert_says_nothing_of_health(message)
    # South's clinician's patient Dee has not started either: in her own clinician's mail.
    assert f"/clinic/patients/{served.people['dee'].id}" in body(by[email("south_pt")])
    assert f"/clinic/patients/{served.people['dee'].id}" not in body(by[email("north_pt")])

    assert run().mails == 0  # nothing new since
    assert len(inbox.messages) == 3
    # A new message is news again, the next day (one digest a day); one the clinician has
    # opened is not.
    served.client("north_pt").get(f"/clinic/patients/{served.people['cy'].id}")
    served.client("ann").post("/api/v1/messages", json={"body": "Still stiff"})
    assert run().mails == 0  # the same day: today's digest has gone
    served.clock.today += timedelta(days=1)
    again = run()
    news = {m["To"]: m for m in inbox.messages[3:]}
    assert again.mails == len(news) >= 1
    assert f"/clinic/patients/{served.people['ann'].id}" in body(news[email("north_pt")])
    assert f"/clinic/patients/{served.people['bob'].id}" not in body(news[email("north_pt")])
    assert_says_nothing_of_health(news[email("north_pt")])


def test_a_clinician_who_opted_out_of_the_digest_gets_none(
    mailing: tuple[Clinic, Inbox], smtp: tuple[Inbox, dict[str, str]]
) -> None:
    served, inbox = mailing
    _, settings = smtp
    pt = served.client("north_pt")
    put = pt.put("/api/v1/clinic/mail-settings", json={"alerts": True, "digest": False})
    assert put.status_code == 200, put.text
    assert pt.get("/api/v1/clinic/mail-settings").json() == {"alerts": True, "digest": False}
    mailer = Mailer.from_environment(settings)
    assert mailer is not None
    now = now_utc()
    alerts.send_digest(
        served.store, default_content(), mailer, base_url=BASE_URL, on=served.clock(), now=now
    )
    assert email("north_pt") not in [m["To"] for m in inbox.messages]
    assert email("north_pt2") in [m["To"] for m in inbox.messages]


def test_send_digest_from_the_command_line(
    clinic: Clinic, smtp: tuple[Inbox, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, settings = smtp
    without = lumbar(clinic, "admin", "send-digest", "--base-url", BASE_URL)
    assert without.code == 0, without.stderr
    assert "No mail server is set up" in without.stdout
    assert inbox.messages == [] and mailed_rows(clinic) == 0

    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    assert os.environ["LUMBAR_SMTP_URL"] == settings["LUMBAR_SMTP_URL"]
    wrong = lumbar(clinic, "admin", "send-digest", "--base-url", BASE_URL, "--date", "soon")
    assert wrong.code != 0 and "is not a date" in wrong.stderr
    assert inbox.messages == [] and mailed_rows(clinic) == 0
    day = clinic.clock().isoformat()
    sent = lumbar(clinic, "admin", "send-digest", "--base-url", BASE_URL, "--date", day, "--json")
    assert sent.code == 0, sent.stderr
    assert sent.json()["mails"] == len(inbox.messages) >= 2
    assert lumbar(clinic, "admin", "send-digest", "--base-url", BASE_URL, "--json").json() == {
        "mails": 0,
        "patients": 0,
        "failed": [],
    }


# The settings.


def test_mail_settings_refuse_what_is_not_a_yes_or_no_and_write_nothing(clinic: Clinic) -> None:
    pt = clinic.client("north_pt")
    for sent in ({"alerts": "yes", "digest": True}, {"alerts": False}, {"alerts": 1, "digest": 0}):
        refused = pt.put("/api/v1/clinic/mail-settings", json=sent)
        assert refused.status_code == 422, (sent, refused.text)
    assert pt.get("/api/v1/clinic/mail-settings").json() == {"alerts": True, "digest": True}
    with pytest.raises(Exception, match="only a clinician"):
        notifications.set_mail_settings(
            clinic.store, clinic.people["ann"], notifications.MailSettings(False, False)
        )
    # The account page shows the choice, ticked as saved.
    assert pt.post("/account/mail", data={}).status_code == 303
    page = pt.get("/account").text
    assert 'name="alerts" value="on">' in page and 'name="digest" value="on">' in page
    assert pt.get("/api/v1/clinic/mail-settings").json() == {"alerts": False, "digest": False}


def test_an_alert_that_breaks_does_not_fail_the_patients_check_in(
    mailing: tuple[Clinic, Inbox], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check-in is committed before the alert: whatever goes wrong after, the patient
    is told it was recorded (or they would send it again)."""
    served, inbox = mailing
    started_ann(served)

    def broken(*_: object, **__: object) -> bool:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(alerts, "alert", broken)
    ann = served.client("ann")
    response = ann.post("/api/v1/checkins", json={"symptoms": ["saddle_numbness"]})
    assert response.status_code == 201, response.text
    assert inbox.messages == []
    assert "Emergency sign reported" in text(served.client("north_pt").get("/clinic"))
