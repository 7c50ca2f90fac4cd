"""Issue #16 in Chromium at phone size: the hands-free player.

A whole phase 1 and a whole phase 3 session where the only taps are one Start per
exercise, the pain answers and (in phase 1, where reps are at one's own pace) a Done after
each set of them; each side's count and "switch sides" for every exercise done on each
side; the exact spoken cues of the glute bridge; the screen kept awake; the pain question
in view at the end of each exercise; ending the session early asks first. Every stage of
the player passes axe-core in light and dark, and is photographed at 390×844 into
test-artifacts/screenshots/player-*.png.

Time is Playwright's fake clock: a whole session runs in no real time. The page's speech
synthesis and wake lock are stubs that record what they were asked (Chromium headless has
no voices), and a listener records every tap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from lumbar.content.load import default_content
from lumbar.domain.model import CheckIn
from lumbar.formats import archive
from lumbar.usecases import records
from lumbar.usecases.person import Person
from tests.browser.conftest import (
    ARTIFACTS,
    AXE_TAGS,
    PHONE,
    LiveApp,
    axe_source,
    exercise_title,
    start_by_api,
)
from tests.builders import START, Follower, history, program

PHASE_3_DAY = START + timedelta(days=14)
"""Monday 16 November 2026: the first phase 3 session of a person who had no pain."""

RECORDER = """
(() => {
  // Kept before Playwright's fake clock replaces them: axe-core needs real timers while
  // the fake clock is paused on a stage.
  window.__realTimers = {setTimeout: window.setTimeout, clearTimeout: window.clearTimeout};
  window.__spoken = [];
  window.__wakeLocks = [];
  window.__taps = [];
  window.__announced = [];
  const voice = {
    speak(utterance) { window.__spoken.push(utterance.text); },
    cancel() {}, pause() {}, resume() {}, getVoices() { return []; },
    speaking: false, pending: false, paused: false,
  };
  Object.defineProperty(window, "speechSynthesis", {configurable: true, value: voice});
  Object.defineProperty(navigator, "wakeLock", {configurable: true, value: {
    request(type) {
      window.__wakeLocks.push(type);
      const lock = new EventTarget();
      lock.type = type;
      lock.released = false;
      lock.release = () => Promise.resolve();
      return Promise.resolve(lock);
    },
  }});
  document.addEventListener("click", (event) => {
    const target = event.target.closest("button, summary, a, input");
    if (target) window.__taps.push((target.innerText || target.value).trim().split("\\n")[0]);
  }, true);
  // What the player announces at each step (its live region): the big word and the
  // counter line, once per step.
  new MutationObserver((changes) => {
    for (const change of changes) {
      const node = change.target.nodeType === 1 ? change.target : change.target.parentElement;
      if (node && node.matches("[data-announce]")) window.__announced.push(node.textContent);
    }
  }).observe(document, {subtree: true, childList: true, characterData: true});
})();
"""

AXE_WITH_REAL_TIMERS = """async tags => {
  const fake = {setTimeout: window.setTimeout, clearTimeout: window.clearTimeout};
  Object.assign(window, window.__realTimers);
  try { return await axe.run(document, {runOnly: {type: 'tag', values: tags}}); }
  finally { Object.assign(window, fake); }
}"""


@pytest.fixture
def player(phone: Any) -> Iterator[Any]:
    """The phone, recording speech, wake locks, taps and announcements, on a fake clock."""
    phone.add_init_script(RECORDER)
    phone.clock.install()
    yield phone


def recorded(page: Any, name: str) -> list[str]:
    found: list[str] = page.evaluate(f"() => window.__{name}")
    return found


def kind(page: Any) -> str | None:
    """The step under way: a step kind, "done" at the pain question, None before Start."""
    found: str | None = page.locator("#player .runner").get_attribute("data-kind")
    return found


def axe(page: Any, name: str) -> None:
    # Evaluated, not a <script> tag: the page's policy runs no inline script.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    result = page.evaluate(AXE_WITH_REAL_TIMERS, AXE_TAGS)
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
    ]
    assert problems == [], f"{name}: accessibility violations:\n" + "\n".join(problems)


def capture(page: Any, stage: str) -> None:
    """Stop the clock on this stage; check it with axe-core and photograph what the phone
    shows, in light and in dark; then let time run again."""
    now = page.evaluate("() => Date.now()")
    page.clock.pause_at(now / 1000 + 0.001)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        assert_in_view(page, "#player .stop-now")
        bar = page.locator("#player [data-runbar]")
        if bar.is_visible():  # Start, Pause and Skip, or Done: at the foot of the screen
            assert_in_view(page, "#player [data-runbar]")
            box = bar.bounding_box()
            assert box is not None and box["y"] + box["height"] == PHONE["height"]
        for scheme, suffix in (("light", ""), ("dark", "-dark")):
            page.emulate_media(color_scheme=scheme)
            page.wait_for_timeout(300)  # the colour transitions (120 ms)
            axe(page, f"player {stage} ({scheme})")
            page.screenshot(path=str(ARTIFACTS / f"player-{stage}{suffix}.png"))
    finally:
        page.emulate_media(color_scheme="light")
        page.clock.resume()


def assert_in_view(page: Any, selector: str) -> None:
    """Wholly inside the phone's screen (and below the sticky Stop bar, but for the bar)."""
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    top = 0.0
    if selector != "#player .stop-now":
        bar = page.locator("#player .stop-now").bounding_box()
        assert bar is not None
        top = bar["y"] + bar["height"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (selector, box)
    assert top <= box["y"] and box["y"] + box["height"] <= PHONE["height"], (selector, box)


def tap(page: Any, selector: str, taps: list[str]) -> None:
    button = page.locator(selector)
    taps.append(button.inner_text().strip())
    button.click()


def do_exercise(page: Any, taps: list[str], stages: dict[str, str] | None = None) -> None:
    """Tap Start and let the dose run itself on the clock, tapping Done only where the step
    waits for it; `stages` ({step kind: stage name}) are captured the first time they show."""
    stages = dict(stages or {})
    tap(page, "#player [data-start]", taps)
    for _ in range(2000):
        now = kind(page)
        if now in stages:
            capture(page, stages.pop(now))
        if now == "done":
            return
        if now == "reps" and page.locator("#player [data-done]").is_visible():
            tap(page, "#player [data-done]", taps)
        else:
            page.clock.run_for(1000)
    raise AssertionError("the exercise never ended")


def answer(page: Any, pain: str, taps: list[str]) -> None:
    """Press a pain button and wait for htmx to settle the next exercise (or the end)."""
    before = exercise_title(page)
    button = page.locator(".pain-grid").get_by_role("button", name=re.compile(f"^{pain}"))
    taps.append(pain)
    button.click()
    page.wait_for_function(
        """before => {
            const player = document.querySelector('#player'), h1 = player.querySelector('h1');
            // Settled: the title focused, and the player's script has taken it on.
            return h1.textContent !== before && document.activeElement === h1
                && player.dataset.ready === '1';
        }""",
        arg=before,
    )


@dataclass
class Done:
    """What a whole session took and showed."""

    taps: list[str]
    announced: dict[str, list[str]]
    """By exercise id: what the player announced at each step (the big word, the counter)."""
    spoken: dict[str, list[str]]
    """By exercise id: what it said, from its Start to its pain question."""


def run_session(
    page: Any, live_app: LiveApp, stages: dict[str, dict[str, str]] | None = None
) -> Done:
    """Do today's whole session, answering "No pain". At the end of each exercise the pain
    question is in view and said aloud; after each answer the next exercise is announced,
    with its figure. `stages`: what to capture ({exercise id: {step kind: stage name}})."""
    stages = stages or {}
    planned = page.request.get(f"{live_app.url}/api/v1/today").json()["exercises"]
    page.goto(f"{live_app.url}/session")
    done = Done([], {}, {})
    for index, exercise in enumerate(planned):
        name = exercise["taught_as"]
        assert exercise_title(page) == name
        if index:
            said = recorded(page, "spoken")[-1]
            assert said.startswith(f"Next: {name}, "), said
            assert page.locator("#player .player-figure svg").count() == 1
            if "next" in stages.get(exercise["id"], {}):
                capture(page, stages[exercise["id"]]["next"])
        start = page.evaluate("() => { window.__announced = []; return window.__spoken.length; }")
        do_exercise(page, done.taps, stages.get(exercise["id"]))
        assert_in_view(page, "#pain-question")
        spoken = recorded(page, "spoken")
        assert spoken[-1] == f"Exercise done. How did {name} feel?"
        done.spoken[exercise["id"]] = spoken[start:]
        done.announced[exercise["id"]] = recorded(page, "announced")
        answer(page, "No pain", done.taps)
    page.get_by_role("heading", name="Session saved").wait_for()
    assert recorded(page, "spoken")[-1] == "Session saved."
    today = page.request.get(f"{live_app.url}/api/v1/today").json()
    assert today["completed"] is True
    assert recorded(page, "taps") == done.taps, "no other tap was needed"
    return done


def sides(announced: list[str]) -> list[tuple[int, str, int]]:
    """(set, side, how many) for each side's run of holds or reps, as the player showed
    them: "Hold. Left side · hold 3 of 6 · set 1 of 2", "Do 6 on the left. …"."""
    found: list[tuple[int, str, int]] = []
    for line in announced:
        number = re.search(r"set (\d+) of", line)
        held = re.match(r"Hold\. (Left|Right) side(?: · hold (\d+) of \d+)?", line)
        reps = re.match(r"Do (\d+) on the (left|right)\. ", line)
        if held:
            side, count = held.group(1).lower(), int(held.group(2) or 1)
        elif reps:
            side, count = reps.group(2), int(reps.group(1))
        else:
            continue
        where = (int(number.group(1)) if number else 1, side)
        if held and found and found[-1][:2] == where:
            assert count == found[-1][2] + 1, f"holds counted out of order: {line}"
            found[-1] = (*where, count)
        else:
            assert not held or count == 1, f"a side that does not start at 1: {line}"
            found.append((*where, count))
    return found


def check_sides(exercise: dict[str, Any], announced: list[str]) -> None:
    """In every set the left side whole, "switch sides", then the right side whole."""
    each = exercise["reps"] or 1
    expected = [
        (number, side, each)
        for number in range(1, exercise["sets"] + 1)
        for side in ("left", "right")
    ]
    assert sides(announced) == expected, exercise["id"]
    switches = [line for line in announced if line.startswith("Switch sides.")]
    assert len(switches) == exercise["sets"], exercise["id"]


def per_side(live_app: LiveApp, page: Any) -> list[dict[str, Any]]:
    planned = page.request.get(f"{live_app.url}/api/v1/today").json()["exercises"]
    return [e for e in planned if e["per_side"]]


PHASE_1_SIDED = {"dead-bug", "hip-flexor-stretch", "piriformis-stretch"}
PHASE_3_SIDED = {"bird-dog", "side-plank", "lunge-with-twist"}
"""Between them, every exercise of the catalogue done on each side."""

GLUTE_BRIDGE_SET = [
    "Hold. 1 of 6.",
    "Release.",
    "Hold. 2.",
    "Release.",
    "Hold. 3.",
    "Release.",
    "Hold. 4.",
    "Release.",
    "Hold. 5.",
    "Release.",
    "Last one. Hold.",
]


def test_a_whole_phase_1_session_is_one_start_per_exercise_and_the_pain_answers(
    live_app: LiveApp, player: Any
) -> None:
    """Reps at one's own pace (cat-cow, dead bug) wait for Done; everything else runs
    itself. Every stage is checked with axe and photographed."""
    page = player
    start_by_api(page, live_app)
    sided = per_side(live_app, page)
    stages = {
        "diaphragmatic-breathing": {"breathe_in": "breathe"},
        "cat-cow": {"next": "next-up", "reps": "reps-own-pace"},
        "glute-bridge": {"get_ready": "get-ready", "hold": "hold", "rest": "rest"},
        "hip-flexor-stretch": {"switch_sides": "switch-sides", "done": "pain-question"},
    }

    done = run_session(page, live_app, stages)

    # 7 starts, 7 answers, and a Done after each set of reps at one's own pace: cat-cow's
    # 2 sets, and the dead bug's 2 sets on each side. 20 taps in all.
    assert done.taps == [
        *("Start", "No pain"),
        *("Start", "Done", "Done", "No pain"),
        *("Start", "No pain"),
        *("Start", "Done", "Done", "Done", "Done", "No pain"),
        *("Start", "No pain") * 3,
    ]
    assert recorded(page, "wakeLocks") == ["screen"]  # asked at the first Start, kept
    assert {e["id"] for e in sided} == PHASE_1_SIDED
    for exercise in sided:
        check_sides(exercise, done.announced[exercise["id"]])
    assert done.spoken["glute-bridge"] == [
        "Glute bridge. Set 1 of 2: get ready.",
        *GLUTE_BRIDGE_SET,
        "Release. Rest for 45 seconds. Then set 2 of 2.",
        "Set 2 of 2: get ready.",
        *GLUTE_BRIDGE_SET,
        "Exercise done. How did Glute bridge feel?",
    ]
    assert done.spoken["dead-bug"][:4] == [
        "Dead bug. Set 1 of 2, left side: get ready.",
        "Do 5 on the left, at your own pace. Then tap Done.",
        "Switch sides.",
        "Right side: get ready.",
    ]
    breaths = done.spoken["diaphragmatic-breathing"]
    assert breaths[1:3] == ["Breathe in.", "Breathe out."]
    assert breaths.count("Breathe in.") == 7 and "Last breath. Breathe in." in breaths


def seed_phase_3(live_app: LiveApp) -> None:
    """A person who followed phases 1 and 2 without pain, with weekly check-ins, and
    answered the safety questions on the day phase 3 begins: today is its first session."""
    content = default_content()
    screened = CheckIn(PHASE_3_DAY, 2, None, (), screened=True)
    lived = Follower(
        program(), history(), checkins={START + timedelta(days=7): (2, None)},
        extra={PHASE_3_DAY: [screened]}, skip={PHASE_3_DAY},
    ).follow(PHASE_3_DAY)  # fmt: skip
    text = archive.dumps(archive.to_document(lived))
    records.import_(Person(live_app.store, content, today=PHASE_3_DAY), text, source="test")
    live_app.clock.today = PHASE_3_DAY


def test_a_whole_phase_3_session_with_reps_counted_aloud_is_only_starts_and_answers(
    live_app: LiveApp, player: Any
) -> None:
    """The person chose once to have their reps counted aloud (kept in the browser): the
    squat, the hip hinge and the lunge count themselves too, and nothing waits for a tap."""
    page = player
    page.add_init_script("localStorage.setItem('lumbar-count', 'on')")
    seed_phase_3(live_app)
    today = page.request.get(f"{live_app.url}/api/v1/today").json()
    assert today["phase"] == 3 and not today["alerts"]
    sided = per_side(live_app, page)

    done = run_session(page, live_app)

    # One Start and one answer for each of the 7 exercises: 14 taps in all.
    assert len(today["exercises"]) == 7
    assert done.taps == ["Start", "No pain"] * 7
    catalogue = default_content().catalogue
    assert {e["id"] for e in sided} == PHASE_3_SIDED
    assert PHASE_1_SIDED | PHASE_3_SIDED == {i for i, e in catalogue.items() if e.per_side}
    for exercise in sided:
        check_sides(exercise, done.announced[exercise["id"]])
    lunge = done.spoken["lunge-with-twist"]
    assert lunge[:9] == [
        "Lunge. Set 1 of 2, left side: get ready.",
        "Do 6 on the left, with me.",
        *("1", "2", "3", "4", "5", "Last one."),
        "Switch sides.",
    ]
    squat = done.spoken["squat"]
    assert squat[1:11] == ["Do 8, with me.", *map(str, range(1, 8)), "Last one.", squat[10]]
    assert squat[10].startswith("Rest for 60 seconds.")
    assert squat.count("Last one.") == 3  # each of the 3 sets counted to its end
    assert recorded(page, "wakeLocks") == ["screen"]


def test_pause_skip_the_voice_setting_and_ending_the_session_early(
    live_app: LiveApp, player: Any
) -> None:
    page = player
    start_by_api(page, live_app)
    page.goto(f"{live_app.url}/session")
    runner = page.locator("#player .runner")
    assert runner.is_visible()
    assert page.get_by_label("Speak them").is_checked()  # on by default where it can speak

    # Where the screen cannot be kept awake (plain HTTP on the network, or the browser
    # refuses), a hint says to keep it on.
    refuse = "() => { navigator.wakeLock.request = () => Promise.reject(new Error('no')); }"
    page.evaluate(refuse)
    hint = page.locator("#player [data-awake]")
    assert hint.is_hidden()
    page.get_by_role("button", name="Start").click()
    hint.wait_for()
    assert "Keep your screen on" in hint.inner_text()
    page.clock.run_for(3500)  # past the get-ready: the first breath in
    assert kind(page) == "breathe_in"
    page.get_by_role("button", name="Pause").click()
    assert page.locator("#player [data-stage]").inner_text() == "Paused"
    paused = recorded(page, "spoken")
    page.clock.run_for(60_000)
    assert recorded(page, "spoken") == paused and kind(page) == "breathe_in"
    page.get_by_role("button", name="Resume").click()
    page.get_by_role("button", name="Skip").click()
    assert kind(page) == "breathe_out"
    assert recorded(page, "spoken")[-1] == "Breathe out."

    page.get_by_label("Speak them").uncheck()
    assert page.evaluate("() => localStorage.getItem('lumbar-voice')") == "off"
    quiet = recorded(page, "spoken")
    page.clock.run_for(20_000)
    assert recorded(page, "spoken") == quiet, "nothing said with the voice off"
    page.get_by_label("Speak them").check()

    # Stop, then end the session: it asks first, and only the second tap ends it.
    page.get_by_role("button", name="Stop: sharp pain").click()
    page.get_by_text("Sharp pain: stop Diaphragmatic breathing for this session").wait_for()
    page.locator("#player [data-awake]").wait_for()  # still said on the next exercise
    page.get_by_text("End the session here").click()
    confirm = page.get_by_role("button", name="Yes, end it here and save it")
    assert confirm.is_visible()
    capture(page, "end-the-session")
    assert page.request.get(f"{live_app.url}/api/v1/today").json()["completed"] is False
    confirm.click()
    page.get_by_role("heading", name="Session saved").wait_for()
    today = page.request.get(f"{live_app.url}/api/v1/today").json()
    assert today["completed"] is True
