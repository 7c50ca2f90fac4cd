"""Figures in the web app: on the library, exercise and session pages, and as SVG files."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from lumbar.content.load import Content
from tests.web.conftest import PHASE_1, answer, plan

SVG = "{http://www.w3.org/2000/svg}"


def svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg .*?</svg>", html, flags=re.S)]


def test_each_exercise_has_its_figure_as_a_file_in_three_forms(
    client: TestClient, content: Content
) -> None:
    for exercise in content.catalogue.values():
        moving = client.get(f"/figures/{exercise.id}.svg")
        assert moving.status_code == 200
        assert moving.headers["content-type"] == "image/svg+xml"
        root = ET.fromstring(moving.text)
        assert root.get("aria-label") == exercise.name
        poses = ET.fromstring(client.get(f"/figures/{exercise.id}-poses.svg").text)
        assert len(list(poses.iter(f"{SVG}text"))) >= 2
        still = ET.fromstring(client.get(f"/figures/{exercise.id}-still.svg").text)
        assert list(still.iter(f"{SVG}animate")) == []


def test_a_figure_file_takes_the_hold_and_refuses_what_it_cannot_draw(client: TestClient) -> None:
    held = ET.fromstring(client.get("/figures/glute-bridge.svg", params={"hold": 20}).text)
    assert float(held.get("data-hold-end", "")) - float(held.get("data-hold-start", "")) == 20
    missing = client.get("/figures/crunch.svg")
    assert missing.status_code == 404 and "crunch" in missing.text
    for hold in ("0", "301", "ten"):
        refused = client.get("/figures/glute-bridge.svg", params={"hold": hold})
        assert refused.status_code == 422, hold


def test_the_library_shows_each_exercise_with_its_main_pose(
    client: TestClient, content: Content
) -> None:
    page = client.get("/library").text
    figures = svgs(page)
    assert len(figures) == len(content.catalogue)
    assert all("figure-pose" in (f.get("class") or "") for f in figures)
    assert page.count('class="card-figure" aria-hidden="true"') == len(content.catalogue)


def test_an_exercise_page_moves_the_figure_and_numbers_its_key_positions(
    client: TestClient,
) -> None:
    page = client.get("/library/lunge-with-twist").text
    figures = svgs(page)
    assert "figure-motion" in (figures[0].get("class") or "")
    # The moving figure, its three key poses, and one figure for each of its three versions
    # (the plain lunge, the twist without a weight, the split squat at a counter).
    assert len(figures) == 1 + 3 + 3
    for number, label in enumerate(
        ["Stand tall, weight at chest", "Step forward and lower", "Turn chest to the front leg"], 1
    ):
        assert f"{number}. {label}" in page
    assert 'href="/figures/lunge-with-twist-poses.svg"' in page


def test_the_player_shows_the_exercise_moving_with_its_dose_hold(
    started: TestClient, content: Content
) -> None:
    held = 0
    for exercise_id in PHASE_1:
        planned = next(e for e in plan(started)["exercises"] if e["id"] == exercise_id)
        page = started.get("/session").text
        # The exercise shown (the ones to come wait in <template>s, for offline use).
        shown = svgs(re.sub(r"<template\b.*?</template>", "", page, flags=re.S))
        assert len(shown) == 1
        assert shown[0].get("aria-label") == content.catalogue[exercise_id].name
        if planned["hold_seconds"]:
            start = float(shown[0].get("data-hold-start", ""))
            end = float(shown[0].get("data-hold-end", ""))
            assert end - start == pytest.approx(planned["hold_seconds"]), exercise_id
            held += 1
        answer(started, exercise_id, "none")
    assert held >= 2


def test_the_api_says_where_each_exercise_figure_is(client: TestClient) -> None:
    squat = client.get("/api/v1/exercises/squat").json()
    assert squat["figures"] == {
        "moving": "/figures/squat.svg",
        "poses": "/figures/squat-poses.svg",
        "still": "/figures/squat-still.svg",
    }
    for entry in client.get("/api/v1/exercises").json():
        for address in entry["figures"].values():
            assert client.get(address).status_code == 200, address
