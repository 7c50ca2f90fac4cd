"""A patient's date of birth at invitation is judged on the server's day (issue #20,
`serve --date`: the app's clock), not the computer's: born after that day is refused with
its reason, in the form and in the API, and nothing is written; born on it is taken."""

from __future__ import annotations

from datetime import timedelta

from tests.server.conftest import Clinic
from tests.server.test_invitations import rows
from tests.web.conftest import text

REFUSED = "a date of birth cannot be after today"


def test_a_birth_after_the_servers_day_is_refused_though_the_computer_has_passed_it(
    clinic: Clinic,
) -> None:
    day = clinic.clock.today
    after = (day + timedelta(days=1)).isoformat()
    pt = clinic.client("north_pt")
    before = rows(clinic)

    page = pt.post("/clinic/invite", data={"name": "Ida Brown", "birth_date": after})
    api = pt.post("/api/v1/clinic/invitations", json={"name": "Ida Brown", "birth_date": after})

    assert page.status_code == 422 and REFUSED in text(page).lower()
    assert api.status_code == 422 and REFUSED in api.json()["message"]
    assert rows(clinic) == before
    made = pt.post(
        "/api/v1/clinic/invitations", json={"name": "Ida Brown", "birth_date": day.isoformat()}
    )
    assert made.status_code == 201, made.text
