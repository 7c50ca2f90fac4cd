"""Every page reads well (issue #17, item 6), in Chromium at phone width (390 px) and at
desktop width:

- a 5,000-character word typed into every free-text field a person fills (the activities
  and "who saw you" at the start, the problem report's note, the clearance's "who saw
  you") never makes a page wider than the window;
- no page shows a rule id (`schedule.rest_day`): they are for the API and `--json`;
- Learn's topics show their lists as lists;
- the charts' labels overlap neither the points nor each other, and stay inside the
  drawing, measured with getBBox on histories that used to collide;
- the pages changed for this pass axe-core, light and dark, and are photographed into
  test-artifacts/screenshots/ (`reading-*`).
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from lumbar.content.load import default_content
from tests.browser.conftest import DESKTOP, PHONE, LiveApp, fill_intake, start_by_api, visit

MONDAY = date(2026, 11, 2)
TUESDAY = date(2026, 11, 3)
LONG = "Unbroken" * 625
"""5,000 characters without a space (a field's maxlength may keep fewer of them)."""
MESSAGES = Path(__file__).parents[2] / "src" / "lumbar" / "content" / "messages.toml"
PREFIXES = sorted({key.split(".")[0] for key in tomllib.loads(MESSAGES.read_text())["rules"]})
RULE_ID = re.compile(rf"\b(?:{'|'.join(PREFIXES)})\.[a-z_]+\b")
"""A rule id as messages.toml keys them: `schedule.rest_day`, `pain.stop_exercise`."""
CONTENT = default_content()


def post(page: Any, live_app: LiveApp, path: str, body: Any) -> Any:
    response = page.request.post(
        f"{live_app.url}{path}",
        data=json.dumps(body),
        headers={"content-type": "application/json"},
    )
    assert response.status == 201, response.text()
    return response.json()


def record_session(page: Any, live_app: LiveApp, on: date, pains: dict[int, str]) -> None:
    """The whole session of `on` through the API: no pain, except at the given positions."""
    exercises = page.request.get(f"{live_app.url}/api/v1/today").json()["exercises"]
    answers = [{"id": e["id"], "pain": pains.get(i, "none")} for i, e in enumerate(exercises)]
    post(page, live_app, "/api/v1/sessions", {"date": on.isoformat(), "exercises": answers})


def assert_reads_well(page: Any, where: str) -> None:
    """Nothing wider than the window, and no rule id in the text."""
    page.wait_for_load_state("networkidle")
    width, window, widest = page.evaluate(
        """() => {
          const limit = window.innerWidth;
          const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '');
          const wide = [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > limit + 0.5
              || (e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0
                  && getComputedStyle(e).overflowX === 'visible'))
            .map(name);
          return [document.documentElement.scrollWidth, limit, wide.slice(0, 5)];
        }"""
    )
    assert width <= window, f"{where}: {width} px wide in a {window} px window: {widest}"
    said = page.locator("body").inner_text()
    assert RULE_ID.search(said) is None, f"{where}: shows {RULE_ID.search(said)}"


def each_width(page: Any, where: str) -> None:
    """The page as it is, checked at phone width and at desktop width."""
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        assert_reads_well(page, f"{where} ({label})")
    page.set_viewport_size(PHONE)


def test_long_words_rule_ids_and_lists_on_every_page(live_app: LiveApp, phone: Any) -> None:
    page = phone
    page.goto(f"{live_app.url}/start")
    each_width(page, "start")
    fill_intake(
        page,
        red_flags=("Numbness or tingling in one leg that is not getting worse?",),
        seen_by=LONG,
        activities=((LONG, "3"), (LONG, "4"), (LONG, "6")),
        each=lambda page, step: each_width(page, f"start, {step}, filled"),
    )
    page.wait_for_url("**/welcome")  # the first weeks, then today (issue 17)
    page.get_by_role("link", name="See today's plan").first.click()
    page.wait_for_url("**/today")
    each_width(page, "today, day 1")

    record_session(page, live_app, MONDAY, {0: "sharp"})
    live_app.clock.today = TUESDAY

    page.goto(f"{live_app.url}/problem")
    page.get_by_role("radio", name="Something else").check()
    page.locator("#note").fill(LONG)
    each_width(page, "problem, filled")
    page.get_by_role("button", name="Save the report").click()
    page.get_by_role("status").first.wait_for()
    each_width(page, "problem, saved")

    post(page, live_app, "/api/v1/checkins", {"symptoms": ["leg_weakness"]})
    page.goto(f"{live_app.url}/clear")
    page.locator("input[name=alerts]").first.check()
    page.locator("#by").fill(LONG)
    each_width(page, "clear, filled")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/today")

    pages = [
        "/today",
        "/progress",
        "/records",
        "/library",
        "/library/glute-bridge",
        "/learn",
        "/settings",
        "/share",
        "/check-in",
        "/check-in?focus=symptoms",
        "/problem",
        "/clear",
        "/summary",
        "/session",
    ]
    for path in pages:
        page.goto(f"{live_app.url}{path}")
        each_width(page, path)
    page.goto(f"{live_app.url}/records")
    page.get_by_role("link", name=re.compile("^Edit")).first.click()
    each_width(page, "a record's edit form")

    for topic in CONTENT.topics.values():
        page.goto(f"{live_app.url}/learn/{topic.id}")
        each_width(page, f"/learn/{topic.id}")
        items = sum(1 for line in topic.body.splitlines() if line.startswith("- "))
        assert page.locator("main ul > li").count() == items, topic.id
        assert "- " not in page.locator("main").inner_text().replace(" - ", ""), topic.id

    page.goto(f"{live_app.url}/today")
    why = page.locator("details.why")
    why.locator("summary").click()
    assert RULE_ID.search(why.inner_text()) is None
    assert "mon, wed" not in page.locator("body").inner_text()


def test_the_pages_changed_pass_axe_and_are_photographed(live_app: LiveApp, phone: Any) -> None:
    page = phone
    start_by_api(page, live_app)
    record_session(page, live_app, MONDAY, {1: "sharp"})
    live_app.clock.today = TUESDAY
    page.goto(f"{live_app.url}/progress")
    page.get_by_text("sharp pain after").wait_for()
    assert "the next on Wed 4 Nov 2026" in page.locator(".facts").inner_text()
    visit(page, "reading-progress-day-2")

    page.goto(f"{live_app.url}/learn/good-vs-bad-pain")
    assert page.locator("main ul > li").count() == 5
    visit(page, "reading-learn")

    page.goto(f"{live_app.url}/library")
    page.set_viewport_size(DESKTOP)
    columns = page.evaluate(
        "getComputedStyle(document.querySelector('.cards')).gridTemplateColumns.split(' ').length"
    )
    assert columns >= 3, "the library is a grid on a wide screen"
    page.set_viewport_size(PHONE)
    visit(page, "reading-library")

    page.goto(f"{live_app.url}/summary")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    back = page.get_by_role("link", name=re.compile("Back to your progress"))
    assert back.is_visible()
    font = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font >= 15, f"the summary's text is {font} px on a phone"
    visit(page, "reading-summary")
    back.click()
    page.wait_for_url("**/progress")

    page.goto(f"{live_app.url}/check-in?focus=symptoms")
    page.get_by_label(re.compile("around your genitals")).check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name=re.compile("care now")).wait_for()
    stripe = page.evaluate(
        "getComputedStyle(document.querySelector('.alert-emergency')).borderLeftColor"
    )
    assert stripe not in ("rgb(255, 255, 255)", "#ffffff"), "no white stripe on the emergency box"
    visit(page, "reading-emergency")


CHART_GEOMETRY = """() => [...document.querySelectorAll('.chart svg')].map(svg => {
  const box = b => ({left: b.x, top: b.y, right: b.x + b.width, bottom: b.y + b.height});
  const texts = which => [...svg.querySelectorAll(which)]
    .map(t => ({text: t.textContent, ...box(t.getBBox())}));
  const view = svg.viewBox.baseVal;
  return {
    view: {left: view.x, top: view.y, right: view.x + view.width, bottom: view.y + view.height},
    labels: texts('text.value, text.guide-label'),
    points: [...svg.querySelectorAll('circle.point')].map(c => box(c.getBBox())),
    axis: texts('text.axis'),
  };
})"""


def _overlap(one: dict[str, float], other: dict[str, float]) -> bool:
    return not (
        one["right"] <= other["left"]
        or other["right"] <= one["left"]
        or one["bottom"] <= other["top"]
        or other["bottom"] <= one["top"]
    )


def _inside(one: dict[str, float], frame: dict[str, float]) -> bool:
    return (
        one["left"] >= frame["left"]
        and one["top"] >= frame["top"]
        and one["right"] <= frame["right"]
        and one["bottom"] <= frame["bottom"]
    )


def assert_labels_clear(page: Any, where: str) -> int:
    """Every label of every chart clear of the points, of the other labels and of the
    edges, as Chromium draws them; how many labels there were."""
    charts = page.evaluate(CHART_GEOMETRY)
    assert charts, f"{where}: no chart"
    count = 0
    for chart in charts:
        texts = chart["labels"] + chart["axis"]
        for label in texts:
            assert _inside(label, chart["view"]), f"{where}: {label['text']!r} is cut by the edge"
        for label in chart["labels"]:
            count += 1
            hit = [p for p in chart["points"] if _overlap(label, p)]
            assert not hit, f"{where}: {label['text']!r} lies on a point"
        for i, one in enumerate(texts):
            for other in texts[i + 1 :]:
                assert not _overlap(one, other), f"{where}: {one['text']!r} on {other['text']!r}"
    return count


def test_chart_labels_never_overlap_points_each_other_or_the_edge(
    live_app: LiveApp, phone: Any
) -> None:
    """Five weeks of check-ins with pain near the 30% line and at the ends of the scale,
    and activity scores up to 10: the histories whose labels used to collide."""
    page = phone
    start_by_api(page, live_app)  # pain 6 (the 30% line at 4.2), activities 3, 4, 6
    pains = [4, 5, 4, 10, 0, 4, 3, 4, 10, 4, 0, 4]
    psfs = [[6, 6, 7], [10, 10, 10], [0, 0, 1], [6, 6, 7], [10, 9, 10], [9, 10, 10]]
    for index, pain in enumerate(pains):
        on = MONDAY + timedelta(days=3 * (index + 1))
        live_app.clock.today = on
        body: dict[str, Any] = {"date": on.isoformat(), "pain": pain}
        if index < len(psfs):
            body["psfs"] = psfs[index]
        post(page, live_app, "/api/v1/checkins", body)
    live_app.clock.today = MONDAY + timedelta(weeks=5)

    page.goto(f"{live_app.url}/progress")
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        shown = assert_labels_clear(page, f"progress at {label} width")
        assert shown >= 8
    page.set_viewport_size(PHONE)
    values = page.locator("text.value").all_text_contents()
    assert all(re.fullmatch(r"\d+(\.\d)?", v) for v in values), values
    assert "30% better 4.2" in page.locator("text.guide-label").all_text_contents()
    visit(page, "reading-progress-week-5")
