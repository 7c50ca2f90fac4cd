"""Issue #18: the command line takes the words people type and says the day it is about.

An exercise by its id in any case or by the name shown, "did you mean" for a near miss (as
for commands), the same pain words and training days at a question as in an option (one
parser), ids never cut in a table, plurals right, the phase gate saying only what is
missing, and with `--date` the day named and repeated in hints."""

from __future__ import annotations

import io
import sys
from datetime import date
from typing import Any

import pytest
from rich.console import Console

from lumbar.cli import prompts, questions
from lumbar.content.load import default_content
from lumbar.domain.decisions import Decision
from lumbar.domain.model import Pain, SkipReason
from lumbar.domain.rules import RuleId
from tests.cli.conftest import Cli


def test_an_exercise_is_its_id_in_any_case_or_the_name_shown(started: Cli) -> None:
    for typed in ("bird-dog", "Bird-dog", "BIRD DOG", "bird_dog"):
        shown = started("exercises", typed, "--json")
        assert shown.code == 0, shown.stderr
        assert shown.json()["id"] == "bird-dog"
    logged = started("log", "-e", "Diaphragmatic breathing=None", "--date", "2026-11-02")
    assert logged.code == 0, logged.stderr
    answers = started("records", "--json").json()["records"]
    assert any("diaphragmatic-breathing" in str(record) for record in answers)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("exercises", "brid-dog"), "ID: unknown exercise 'brid-dog' (did you mean bird-dog?)"),
        (("learn", "breathng"), "TOPIC: unknown topic 'breathng' (did you mean breathing?)"),
        (("alternative", "sqat", "chair"), "(did you mean squat?)"),
        (
            ("log", "-e", "cat-cwo=none", "--date", "2026-11-02"),
            "--exercise: unknown exercise 'cat-cwo' (did you mean cat-cow?)",
        ),
        (
            ("checkin", "--symptom", "fevr", "--date", "2026-11-03"),
            "--symptom: unknown symptom code 'fevr' (did you mean fever?)",
        ),
        (("checkin", "--symptom", "zzz", "--date", "2026-11-03"), "unknown symptom code 'zzz';"),
    ],
)
def test_a_near_miss_is_refused_with_the_nearest_id_and_nothing_written(
    started: Cli, args: tuple[str, ...], said: str
) -> None:
    before = started("records", "--json").json()
    outcome = started(*args)
    assert outcome.code == 2
    assert said in outcome.stderr, outcome.stderr
    assert started("records", "--json").json() == before


def test_a_symptom_code_is_read_as_an_id_is(started: Cli) -> None:
    recorded = started("checkin", "--symptom", "Night pain", "--date", "2026-11-03", "--json")
    assert recorded.code == 0, recorded.stderr
    assert "night_pain" in recorded.stdout


def _answering(monkeypatch: pytest.MonkeyPatch, *lines: str) -> Console:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{line}\n" for line in lines)))
    return Console(file=io.StringIO(), width=100)


@pytest.mark.parametrize(
    ("typed", "pain"),
    [
        ("1", Pain.NONE),
        ("none", Pain.NONE),
        ("Ache", Pain.ACHE),
        ("sharp", Pain.SHARP),
        ("RADIATING", Pain.RADIATING),
    ],
)
def test_the_pain_question_takes_the_words_log_takes(
    monkeypatch: pytest.MonkeyPatch, typed: str, pain: Pain
) -> None:
    assert questions.ask_pain(_answering(monkeypatch, typed)) is pain


def test_the_pain_question_asks_again_for_anything_else(monkeypatch: pytest.MonkeyPatch) -> None:
    console = _answering(monkeypatch, "awful", "2")
    assert questions.ask_pain(console) is Pain.ACHE
    assert "please type 1, 2, 3 or 4 (or none, ache, sharp, radiating)" in str(
        console.file.getvalue()  # type: ignore[attr-defined]
    )


def test_the_skip_question_takes_the_reasons_of_log_skip(monkeypatch: pytest.MonkeyPatch) -> None:
    assert questions.ask_skip(_answering(monkeypatch, "no_time")) == (SkipReason.NO_TIME, "")
    assert questions.ask_skip(_answering(monkeypatch, "Floor")) == (SkipReason.FLOOR, "")


def test_training_days_are_the_same_words_at_the_question_and_in_days(started: Cli) -> None:
    parse = prompts._days(default_content())
    for typed in ("Monday, Wednesday, Friday", "monday wednesday friday", "every other day"):
        assert parse(typed) == typed
        changed = started("days", typed, "--date", "2026-11-03")
        assert changed.code == 0, changed.stderr
    with pytest.raises(ValueError, match="You chose 1 training day:"):
        parse("monday")
    one = started("days", "monday", "--date", "2026-11-03")
    assert one.code == 2 and "You chose 1 training day:" in one.stderr


def test_the_catalogue_never_cuts_an_id_at_60_columns(
    started: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    for command in ("exercises", "alternative"):
        shown = started(command)
        assert shown.code == 0, shown.stderr
        assert all(len(line) <= 60 for line in shown.stdout.splitlines())
        for exercise_id in default_content().catalogue:
            assert f" {exercise_id} " in shown.stdout, (command, exercise_id)


def test_with_date_the_words_name_the_day_and_the_hint_repeats_it(
    started: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = started("today", "--date", "2026-11-04")
    assert shown.code == 0, shown.stderr
    assert "The session of Wed 4 Nov 2026" in shown.stdout
    assert "Run lumbar session --date 2026-11-04 to be guided" in shown.stdout
    assert "Today's session" not in shown.stdout
    # The reasons too: the day they are about, never "today" (docs/cli.md).
    why = " ".join(shown.stdout.split("Why: ", 1)[1].split())
    assert "so it is done on Wed 4 Nov 2026 instead" in why
    assert "today" not in why.lower()
    stopped = started("session", "--no-timers", "--date", "2026-11-04", input="\n\n1\n")
    assert stopped.code == 1
    assert "The session of Wed 4 Nov 2026: 7 exercises" in stopped.stdout
    assert "Run `lumbar session --date 2026-11-04` again" in stopped.stdout
    monkeypatch.setenv("LUMBAR_TODAY", "2026-11-04")
    today = started("today")
    assert "Today's session" in today.stdout
    assert "so it is done today instead" in " ".join(today.stdout.split())
    assert "Run lumbar session to be guided" in today.stdout


def _not_yet(days: int, sessions: int) -> str:
    facts: dict[str, Any] = {
        "phase": 1,
        "days": days,
        "min_days": 7,
        "sessions": sessions,
        "min_sessions": 3,
        "pain_free_days": 7,
        "earliest": date(2026, 11, 20),
    }
    return default_content().say(Decision(RuleId.PROGRESSION_NOT_YET, facts))


def test_every_sentence_about_the_day_names_it_when_it_is_not_today() -> None:
    """`{today}` in a message is the day the decision is about: "today" in the app and
    `lumbar today`, "on Wed 4 Nov 2026" under `--date`; no message says "today" for it."""
    content = default_content()
    other = content.about("Wed 4 Nov 2026")
    advance = Decision(
        RuleId.PROGRESSION_ADVANCE_PHASE,
        {
            "from_phase": 1,
            "to_phase": 2,
            "days": 7,
            "sessions": 3,
            "pain_free_since": date(2026, 10, 28),
        },
    )

    assert content.say(advance).startswith("Phase 2 starts today: 7 days")
    assert other.say(advance).startswith("Phase 2 starts on Wed 4 Nov 2026: 7 days")
    assert content.wording.day == "today"  # the shared content is left as it was
    for rule, template in content.wording.messages.items():
        if rule != "screening.urgent":  # "see a doctor today": advice for now, whatever the day
            said = template.replace("{today}", "").replace("{Today}", "")
            assert "today" not in said.lower(), rule


def test_the_phase_gate_says_only_what_is_missing() -> None:
    assert "3 of 7 days in the phase so far and 1 of 3 complete sessions done" in _not_yet(3, 1)
    past = _not_yet(11, 2)
    assert "11 of 7" not in past and "2 of 3 complete sessions done" in past
    assert "the 7 days and 3 complete sessions are done" in _not_yet(9, 3)


def test_a_count_of_one_is_said_in_the_singular() -> None:
    content = default_content()
    one = Decision(RuleId.SCHEDULE_SESSIONS_PER_WEEK, {"count": 1, "min": 3, "max": 4})
    two = Decision(RuleId.SCHEDULE_SESSIONS_PER_WEEK, {"count": 2, "min": 3, "max": 4})
    assert content.say(one).startswith("You chose 1 training day:")
    assert content.say(two).startswith("You chose 2 training days:")
