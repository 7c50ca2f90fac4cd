"""A clinician's own account in Chromium (issue #19): two-step sign-in set up from the
account page with an authenticator app's code, the recovery codes shown once, then a sign-in
that asks for the code after the password; and a password changed on the account page.

Every page passes axe-core (light and dark) and is photographed into
test-artifacts/screenshots/ (`staff-*`).
"""

from __future__ import annotations

import time
from typing import Any

import pyotp

from tests.browser.conftest import PHONE, visit
from tests.browser.test_clinic import PASSWORD, LiveClinic, live_clinic, sign_in

__all__ = ["live_clinic"]  # the fixture, shared with the clinic's journey

NEW_PASSWORD = "a completely new passphrase"


def test_a_clinician_sets_up_two_step_sign_in_and_changes_their_password(
    live_clinic: LiveClinic, browser: Any
) -> None:
    url = live_clinic.url
    context = browser.new_context(viewport=PHONE, device_scale_factor=2)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        sign_in(page, url, "pt@north.example")
        page.get_by_role("link", name="pt@north.example").click()
        page.wait_for_url(f"{url}/account")
        visit(page, "staff-account")

        page.get_by_role("link", name="Set up two-step sign-in").click()
        page.get_by_role("button", name="Set up two-step sign-in").click()
        page.wait_for_load_state("networkidle")
        assert page.locator(".qr svg").count() == 1
        secret = page.locator("code.link").inner_text().strip()
        visit(page, "staff-two-factor-setup")
        page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Turn on two-step sign-in").click()
        page.wait_for_load_state("networkidle")
        assert page.locator(".recovery-codes li").count() == 10
        visit(page, "staff-recovery-codes")

        page.get_by_role("button", name="Sign out").click()
        sign_in(page, url, "pt@north.example")
        assert page.url == f"{url}/sign-in/code"
        visit(page, "staff-sign-in-code")
        page.get_by_label("Code").fill(pyotp.TOTP(secret).at(time.time() + 30))
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{url}/clinic")

        page.goto(f"{url}/account")
        page.get_by_label("Current password").fill("not my password")
        page.get_by_label("New password").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Change the password").click()
        page.wait_for_load_state("networkidle")
        assert "not your current password" in page.locator(".error-summary").inner_text()
        visit(page, "staff-password-wrong")
        page.get_by_label("Current password").fill(PASSWORD)
        page.get_by_label("New password").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Change the password").click()
        page.wait_for_load_state("networkidle")
        assert "Your new password is set" in page.locator(".notice").inner_text()
        # The renewed session goes on: its forms carry the new token.
        page.goto(f"{url}/clinic")
        page.get_by_text("Invite a new patient").click()
        page.get_by_label("Name").fill("Ann Lee")
        page.get_by_label("Date of birth").fill("1961-02-03")
        page.get_by_role("button", name="Make an invitation link").click()
        page.wait_for_load_state("networkidle")
        assert "/join/" in page.locator("code.link").inner_text()
    finally:
        context.close()
