"""Outcome scores in Chromium (issue #20): the clinician enters an ODI and a STarT Back score
on the patient's page, is refused a total out of range beside its field, and reads the
chart, the change against the MCID and the risk group. Each page passes axe-core in the
light and dark schemes and is photographed (`clinic-scores-*`)."""

from __future__ import annotations

from typing import Any

from lumbar.usecases.accounts import now_utc
from tests.browser.conftest import PHONE, visit
from tests.browser.test_clinic import PASSWORD, LiveClinic, api, live_clinic, sign_in

__all__ = ["live_clinic"]  # the fixture, shared with the clinic's journey


def enter(page: Any, measure: str, total: str, subscale: str = "", on: str = "") -> None:
    page.get_by_label("Measure", exact=True).select_option(label=measure)
    if on:
        page.get_by_label("Day the patient answered").fill(on)
    page.get_by_label("Total", exact=True).fill(total)
    page.get_by_label("Psychosocial subscale").fill(subscale)
    page.get_by_role("button", name="Save the score").click()
    page.wait_for_load_state("networkidle")


def test_the_clinician_enters_scores_and_reads_the_chart(
    live_clinic: LiveClinic, browser: Any
) -> None:
    url = live_clinic.url
    ann = live_clinic.accounts.create_user(
        "ann@example.org", PASSWORD, "patient", now_utc(), clinician_email="pt@north.example"
    )
    patient_context = browser.new_context(viewport=PHONE, device_scale_factor=2)
    clinician_context = browser.new_context(viewport=PHONE, device_scale_factor=2)
    try:
        patient = patient_context.new_page()
        sign_in(patient, url, "ann@example.org")
        answers = {
            "understood": True,
            "age": 42,
            "pain_weeks": 10,
            "pain": 6,
            "days": ["mon", "wed", "fri"],
            "psfs": [{"activity": "lift my child", "score": 3}],
        }
        api(patient, url, "POST", "/api/v1/program", answers)

        clinician = clinician_context.new_page()
        clinician.set_default_timeout(10_000)
        sign_in(clinician, url, "pt@north.example")
        clinician.goto(f"{url}/clinic/patients/{ann.id}")
        assert "No scores entered yet." in clinician.content()

        # A total out of range: refused beside its field, what was typed shown again.
        enter(clinician, "ODI (0 to 100%)", "140")
        summary = clinician.locator("#error-summary")
        assert "The ODI total is from 0 to 100%" in summary.inner_text()
        assert clinician.get_by_label("Total", exact=True).input_value() == "140"
        visit(clinician, "clinic-scores-refused")

        enter(clinician, "ODI (0 to 100%)", "44", on="2026-10-26")  # at the first visit
        enter(clinician, "ODI (0 to 100%)", "30")
        enter(clinician, "STarT Back (0 to 9)", "6", "4")
        section = clinician.locator("#scores")
        said = section.inner_text()
        assert "Latest: ODI 30%" in said
        assert "ODI 14 points better since 26 October 2026: more than the 10 points" in said
        assert "High risk by the STarT Back" in said
        chart = section.get_by_role("img", name="ODI, 0 to 100% (lower is better)")
        assert chart.is_visible()
        assert section.locator("svg circle.point").count() == 3  # two ODI, one STarT Back
        section.scroll_into_view_if_needed()
        visit(clinician, "clinic-scores")
    finally:
        clinician_context.close()
        patient_context.close()
