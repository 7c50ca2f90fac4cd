"""The dashboard at practice scale in Chromium (issue #20): a clinician with 62 patients
reads them 50 a page, goes to the next page, and searches by name with a concern filter;
the search and the filter stay in the address (a GET form, no script needed). Every page
passes axe-core in light and dark and is photographed (`clinic-dashboard-*`)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from lumbar.domain.access import Role
from lumbar.store import accounts as account_rows
from lumbar.usecases.accounts import now_utc
from tests.browser.conftest import PHONE, visit
from tests.browser.test_clinic import LiveClinic, live_clinic, sign_in

__all__ = ["live_clinic"]  # the fixture, shared with the clinic's journeys

NAMES = [f"Patient {n:02d}" for n in range(60)]


def add_patients(clinic: LiveClinic) -> None:
    clinician = next(a for a in clinic.accounts.accounts() if a.role is Role.CLINICIAN)
    with clinic.accounts.store.transaction() as tx:
        for name in NAMES:
            account_rows.add_user(
                tx.connection,
                email=name.lower().replace(" ", ".") + "@example.org",
                password_hash=None,
                role=Role.PATIENT,
                clinic_id=clinician.clinic_id,
                clinician_id=clinician.id,
                now=now_utc(),
                name=name,
            )


def names_shown(page: Any) -> list[str]:
    return [n.strip() for n in page.locator("table.patients tbody th a").all_inner_texts()]


def test_a_clinician_pages_searches_and_filters_their_patients(
    live_clinic: LiveClinic, browser: Any
) -> None:
    add_patients(live_clinic)
    url = live_clinic.url
    context = browser.new_context(viewport=PHONE, device_scale_factor=2)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        sign_in(page, url, "pt@north.example")
        assert page.url == f"{url}/clinic"
        assert names_shown(page) == NAMES[:50]
        assert page.get_by_text("1 to 50 of 60 patients").is_visible()
        visit(page, "clinic-dashboard-first")

        page.get_by_role("navigation", name="Pages of patients").get_by_role(
            "link", name="Page 2"
        ).click()
        page.wait_for_load_state("networkidle")
        assert names_shown(page) == NAMES[50:]
        assert page.get_by_role("link", name="Page 2").get_attribute("aria-current") == "page"

        page.get_by_label("Find a patient").fill("patient 3")
        page.get_by_label("Needs attention for").select_option(label="Has not started")
        page.get_by_role("button", name="Show").click()
        page.wait_for_load_state("networkidle")
        asked = parse_qs(urlsplit(page.url).query)
        assert asked == {"q": ["patient 3"], "level": ["not_started"]}
        assert names_shown(page) == NAMES[30:40]
        assert page.get_by_text("1 to 10 of 10 patients found").is_visible()
        visit(page, "clinic-dashboard-search")

        page.get_by_label("Needs attention for").select_option(label="Emergency sign")
        page.get_by_role("button", name="Show").click()
        page.wait_for_load_state("networkidle")
        assert names_shown(page) == []
        assert page.get_by_text("No patients match.").is_visible()

        page.goto(f"{url}/clinic?page=nine")
        summary = page.get_by_role("alert")
        assert re.search("The page is a whole number from 1", summary.inner_text())
        visit(page, "clinic-dashboard-refused")
    finally:
        context.close()
