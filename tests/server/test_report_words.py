"""Report a problem on a clinic's server: the patient's clinician sees it (and the page
says so), with the advice for the kind of problem right after it is sent."""

from __future__ import annotations

from lumbar.content.reporting import report_words
from tests.server.conftest import Clinic
from tests.web.conftest import text


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
