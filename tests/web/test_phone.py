"""A phone on the same network (issue #16): local mode refuses every device that is not this
computer unless it is paired; pairing takes a one-time link of ten minutes.

The app runs in-process with the test client's address set: 127.0.0.1 is this computer,
192.168.1.50 a phone on the Wi-Fi. tests/server/test_phone_network.py does the same end to
end, through `lumbar serve --phone` and a real second network.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from html import unescape

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Mount

from lumbar.store.database import Store
from lumbar.usecases import devices
from lumbar.usecases.accounts import now_utc
from lumbar.usecases.phone import PhoneAddress, address_for
from lumbar.web.app import create_app
from lumbar.web.guard import DEVICE_COOKIE, NOT_PAIRED
from tests.web.conftest import LOOPBACK, Clock, start_program

PHONE = ("192.168.1.50", 41000)
NETWORK = "192.168.1.20"
PHONE_URL = f"https://{NETWORK}:8000"
FINGERPRINT = ":".join(["AB"] * 32)
ON_THE_COMPUTER = "This page opens only on the computer lumbar runs on."


def phone_app(store: Store, clock: Clock, *, over_http: bool = False) -> FastAPI:
    address = address_for(NETWORK, 8000, None)
    if not over_http:
        address = PhoneAddress(
            url=address.url.replace("http:", "https:"), host=NETWORK, fingerprint=FINGERPRINT
        )
    return create_app(store, clock=clock, phone_address=address)


@pytest.fixture
def app(store: Store, clock: Clock) -> FastAPI:
    return phone_app(store, clock)


@pytest.fixture
def computer(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False, client=LOOPBACK) as c:
        start_program(c)
        yield c


@pytest.fixture
def phone(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url=PHONE_URL, follow_redirects=False, client=PHONE) as c:
        yield c


def pairing_link(computer: TestClient) -> str:
    """What the computer's page shows after 'Show a pairing code'."""
    response = computer.post("/settings/phone/pairing")
    assert response.status_code == 200
    assert "<svg" in response.text and "QR code" in response.text
    found = re.search(r'<code class="link">([^<]+)</code>', response.text)
    assert found is not None
    return unescape(found.group(1))


def paired(computer: TestClient, phone: TestClient, name: str = "Kitchen phone") -> str:
    """Pair the phone; the device cookie's value."""
    link = pairing_link(computer)
    path = link.removeprefix(PHONE_URL)
    assert phone.get(path).status_code == 200
    response = phone.post(path, data={"name": name})
    assert response.status_code == 303
    secret = phone.cookies.get(DEVICE_COOKIE)
    assert secret
    return secret


def concrete(path: str) -> str:
    return re.sub(r"\{[^}:]+(:path)?\}", "x", path)


def every_route(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every route of the app, and a static file, from its route table."""
    found = [("GET", "/static/lumbar.css")]
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, Mount) or context.path is None:
            continue
        for method in sorted(context.methods or ()):
            if method != "HEAD":
                found.append((method, concrete(context.path)))
    return found


def test_every_route_refuses_a_device_that_is_not_paired(
    app: FastAPI, computer: TestClient, phone: TestClient, store: Store
) -> None:
    routes = every_route(app)
    assert len(routes) > 60  # the whole table, not a sample
    for method, path in routes:
        response = phone.request(method, path, headers={"Accept": "application/json"})
        if path.startswith("/pair/"):
            assert response.status_code in (200, 303, 404, 410), (method, path)
            continue
        assert response.status_code == 403, (method, path, response.status_code)
        said = NOT_PAIRED if not path.startswith("/settings/phone") else ON_THE_COMPUTER
        assert response.json() == {"message": said}, (method, path)
    # A browser is told the same in a page; nothing was paired along the way.
    page = phone.get("/today", headers={"Accept": "text/html"})
    assert page.status_code == 403 and "not paired" in page.text
    assert page.headers["x-frame-options"] == "DENY"
    assert devices.listed(store) == []


def test_a_paired_phone_opens_everything_but_the_pairing_page(
    computer: TestClient, phone: TestClient, store: Store
) -> None:
    paired(computer, phone)

    assert phone.get("/today").status_code == 200
    assert phone.get("/api/v1/today").status_code == 200
    assert phone.get("/static/lumbar.css").status_code == 200
    assert phone.get("/calendar.ics").status_code == 200
    refused = phone.get("/settings/phone", headers={"Accept": "application/json"})
    assert refused.status_code == 403
    assert "only on the computer" in refused.json()["message"]
    assert phone.post("/settings/phone/pairing").status_code == 403
    assert phone.post("/settings/phone/devices/1/revoke").status_code == 403
    # The computer's settings link to the page; the phone's do not.
    assert "/settings/phone" in computer.get("/settings").text
    assert "/settings/phone" not in phone.get("/settings").text
    [device] = devices.listed(store)
    assert device.name == "Kitchen phone" and device.live


def test_the_cookie_is_httponly_secure_and_strict_and_lasts(
    computer: TestClient, phone: TestClient
) -> None:
    link = pairing_link(computer).removeprefix(PHONE_URL)
    response = phone.post(link, data={"name": "Mat phone"})

    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith(f"{DEVICE_COOKIE}=")
    for flag in ("httponly", "secure", "samesite=strict", "path=/", "max-age=34560000"):
        assert flag in cookie, cookie
    assert response.headers["location"] == "/"


def test_over_plain_http_the_cookie_is_not_secure_and_the_page_says_why_it_is_risky(
    store: Store, clock: Clock
) -> None:
    app = phone_app(store, clock, over_http=True)
    with (
        TestClient(app, base_url="http://127.0.0.1", follow_redirects=False, client=LOOPBACK) as c,
        TestClient(app, base_url=f"http://{NETWORK}:8000", client=PHONE) as p,
    ):
        start_program(c)
        page = c.post("/settings/phone/pairing").text
        assert "without encryption" in page and "could read your health data" in page
        assert "fingerprint" not in page.lower()
        link = re.search(r'<code class="link">([^<]+)</code>', page)
        assert link is not None
        response = p.post(
            link.group(1).removeprefix(f"http://{NETWORK}:8000"),
            data={"name": "x"},
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert "secure" not in response.headers["set-cookie"].lower()


def test_the_link_pairs_once(computer: TestClient, app: FastAPI, store: Store) -> None:
    link = pairing_link(computer).removeprefix(PHONE_URL)
    with TestClient(app, base_url=PHONE_URL, follow_redirects=False, client=PHONE) as first:
        assert first.post(link, data={"name": "First"}).status_code == 303
    with TestClient(
        app, base_url=PHONE_URL, follow_redirects=False, client=("192.168.1.51", 5000)
    ) as second:
        assert second.get(link).status_code == 410
        again = second.post(link, data={"name": "Second"})
        assert again.status_code == 410
        assert "expired or was used already" in again.text
        assert DEVICE_COOKIE not in second.cookies
        assert second.get("/today").status_code == 403
    assert [d.name for d in devices.listed(store)] == ["First"]


def test_a_link_older_than_ten_minutes_is_refused(
    computer: TestClient, phone: TestClient, store: Store
) -> None:
    token = devices.start_pairing(store, now_utc() - timedelta(minutes=10, seconds=1))

    assert phone.get(f"/pair/{token}").status_code == 410
    assert phone.post(f"/pair/{token}", data={"name": "Late"}).status_code == 410
    assert devices.listed(store) == []
    fresh = devices.start_pairing(store, now_utc() - timedelta(minutes=9))
    assert phone.post(f"/pair/{fresh}", data={"name": "In time"}).status_code == 303


def test_a_revoked_phone_is_refused_at_once(
    computer: TestClient, phone: TestClient, store: Store
) -> None:
    paired(computer, phone)
    assert phone.get("/today").status_code == 200
    [device] = devices.listed(store)

    page = computer.get("/settings/phone").text
    assert "Kitchen phone" in page and "Revoke" in page
    response = computer.post(f"/settings/phone/devices/{device.id}/revoke")

    assert response.status_code == 303
    assert phone.get("/today").status_code == 403
    assert phone.get("/static/lumbar.css").status_code == 403
    assert "revoked" in computer.get("/settings/phone").text


def test_a_bad_name_is_refused_and_writes_nothing(
    computer: TestClient, phone: TestClient, store: Store
) -> None:
    link = pairing_link(computer).removeprefix(PHONE_URL)

    response = phone.post(link, data={"name": "Phone\x1b[2J"})

    assert response.status_code == 422
    assert "name" in response.text
    assert DEVICE_COOKIE not in phone.cookies
    assert devices.listed(store) == []
    assert phone.post(link, data={"name": "Phone"}).status_code == 303  # the link still works


def test_the_phone_page_shows_the_code_the_fingerprint_and_how_to_trust_it(
    computer: TestClient,
) -> None:
    page = computer.get("/settings/phone").text
    assert f"{PHONE_URL}/" in page
    assert FINGERPRINT in page
    assert "On Android" in page and "On iPhone" in page
    assert "<svg" not in page  # no code until asked for

    link = pairing_link(computer)
    assert link.startswith(f"{PHONE_URL}/pair/")


def test_without_a_phone_address_the_page_says_how_to_start_one(store: Store, clock: Clock) -> None:
    with TestClient(
        create_app(store, clock=clock), base_url="http://127.0.0.1", client=LOOPBACK
    ) as c:
        page = c.get("/settings/phone").text
        assert "lumbar serve --phone" in page
        assert c.post("/settings/phone/pairing", follow_redirects=False).status_code == 200
    assert devices.listed(store) == []


@pytest.mark.parametrize(
    ("client", "allowed"),
    [
        (("127.0.0.1", 1), True),
        (("127.8.9.10", 1), True),
        (("::1", 1), True),
        (("::ffff:127.0.0.1", 1), True),
        (("::ffff:192.168.1.50", 1), False),
        (("testclient", 1), False),
        (("192.168.1.50", 1), False),
    ],
)
def test_only_loopback_addresses_are_this_computer(
    store: Store, clock: Clock, client: tuple[str, int], allowed: bool
) -> None:
    app = phone_app(store, clock)
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False, client=client) as c:
        status = c.get("/library").status_code
    assert (status == 200) is allowed, (client, status)


def test_the_phone_must_use_the_address_it_was_given(phone: TestClient, app: FastAPI) -> None:
    with TestClient(app, base_url="https://rebound.example", client=PHONE) as other:
        assert other.get("/library").status_code == 400
