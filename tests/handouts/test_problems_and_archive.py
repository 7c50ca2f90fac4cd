"""`lumbar problem` (the adverse-event log) and the export format version 2 that carries the
problem reports and the reminder settings: a round trip through a second database gives the
same bytes, version 1 still imports, and a document that is newer or broken writes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lumbar.domain.model import ProblemKind
from tests.cli.conftest import Cli
from tests.handouts import steps

# The command-line fixtures (`cli`, and `started`: a program started on Monday 2 November
# 2026, training on Monday, Wednesday and Friday).

NOTE = "Slipped on the wet stairs, ça glissait — no new numbness."


def _reports(cli: Cli, db: Path | None = None) -> list[dict[str, str]]:
    found: list[dict[str, str]] = steps.ok(cli("problem", "--json", db=db)).json()
    return found


# Reporting a problem.


def test_a_fall_is_saved_with_its_note_and_points_to_the_screening(started: Cli) -> None:
    outcome = steps.ok(started("problem", "fall", "--note", NOTE, "--date", steps.iso(3)))

    assert outcome.stdout.startswith("Saved: fall on 2026-11-05. It will be in the summary")
    assert "lumbar checkin --symptom CODE" in outcome.stdout
    assert _reports(started) == [{"date": "2026-11-05", "kind": "fall", "note": NOTE}]


def test_more_pain_after_a_session_needs_no_note(started: Cli) -> None:
    outcome = steps.ok(started("problem", "pain_after_session", "--date", steps.iso(0), "--json"))

    assert outcome.json() == {"date": "2026-11-02", "kind": "pain_after_session", "note": ""}
    assert _reports(started) == [outcome.json()]


def test_other_with_a_note_is_saved_and_the_note_is_trimmed(started: Cli) -> None:
    steps.ok(
        started("problem", "other", "--note", "  dizzy after the bridge  ", "--date", steps.iso(2))
    )

    assert _reports(started) == [
        {"date": "2026-11-04", "kind": "other", "note": "dizzy after the bridge"}
    ]


def test_a_note_of_exactly_1000_characters_is_kept(started: Cli) -> None:
    steps.ok(started("problem", "fall", "--note", "x" * 1000, "--date", steps.iso(0)))

    assert _reports(started)[0]["note"] == "x" * 1000


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("other",), "--note: say in a few words what happened"),
        (("other", "--note", "   "), "--note: say in a few words what happened"),
        (("slip",), "KIND: choose what happened: pain_after_session, fall, other"),
        (("FALL",), "KIND: choose what happened"),
        (
            ("fall", "--date", "2026-11-01"),
            "--date: 2026-11-01 is before the program started (2026-11-02)",
        ),
        (("fall", "--note", "x" * 1001), "--note: keep the note to 1000 characters at most"),
        (("fall", "--date", "2026-02-30"), "--date"),
    ],
)
def test_a_bad_report_is_refused_and_nothing_is_written(
    started: Cli, args: tuple[str, ...], fragment: str
) -> None:
    outcome = started("problem", *args)

    steps.refused(outcome, fragment)
    assert _reports(started) == []


def test_a_report_needs_a_program(cli: Cli) -> None:
    steps.refused(cli("problem", "fall", "--date", steps.iso(0)), "no program yet")
    steps.refused(cli("problem"), "no program yet")


def test_the_list_is_in_date_order_in_text_and_json(started: Cli) -> None:
    assert steps.ok(started("problem")).stdout == "No problems reported.\n"
    steps.ok(started("problem", "fall", "--note", "on the ice", "--date", steps.iso(5)))
    steps.ok(started("problem", "pain_after_session", "--date", steps.iso(2)))

    listed = steps.ok(started("problem")).stdout

    assert listed == "2026-11-04  pain_after_session\n2026-11-07  fall  on the ice\n"
    assert [r["date"] for r in _reports(started)] == ["2026-11-04", "2026-11-07"]
    assert {r["kind"] for r in _reports(started)} <= {k.value for k in ProblemKind}


def test_a_report_changes_nothing_in_the_program(started: Cli) -> None:
    steps.log(started, 0)
    before = [
        steps.ok(started(c, "--date", steps.iso(2), "--json")).stdout for c in ("today", "status")
    ]

    steps.ok(
        started(
            "problem", "pain_after_session", "--note", "stiff all evening", "--date", steps.iso(0)
        )
    )
    steps.ok(started("problem", "fall", "--note", NOTE, "--date", steps.iso(1)))

    after = [
        steps.ok(started(c, "--date", steps.iso(2), "--json")).stdout for c in ("today", "status")
    ]
    assert after == before


# Export and import.


@pytest.fixture
def other_db(tmp_path: Path) -> Path:
    """A second, empty database file."""
    return tmp_path / "other.db"


@pytest.fixture
def recorded(started: Cli) -> Cli:
    """Sessions (one with sharp pain), a check-in with a symptom, two problem reports recorded
    out of date order, changed reminders and a calendar address."""
    steps.log(started, 0, {"glute-bridge": "sharp"})
    steps.log(started, 2)
    steps.ok(
        started(
            "checkin",
            "--pain",
            "5",
            "--psfs",
            "5,5,4",
            "--symptom",
            "leg_numbness",
            "--date",
            steps.iso(7),
        )
    )
    steps.ok(started("problem", "fall", "--note", NOTE, "--date", steps.iso(4)))
    steps.ok(started("problem", "pain_after_session", "--date", steps.iso(2)))
    steps.ok(
        started(
            "calendar",
            "--at",
            "07:30",
            "--work",
            "08:00-16:00",
            "--breaks",
            "45",
            "--work-days",
            "mon,tue",
            "--date",
            steps.iso(7),
        )  # fmt: skip
    )
    steps.ok(started("calendar", "--link"))
    return started


def _export(cli: Cli, db: Path | None = None) -> str:
    return steps.ok(cli("export", db=db)).stdout


def _write(tmp_path: Path, document: dict[str, Any] | str, name: str = "export.json") -> Path:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document), "utf-8")
    return path


def _empty(cli: Cli, db: Path) -> bool:
    outcome = cli("today", "--date", steps.iso(0), db=db)
    return outcome.code == 2 and "no program yet" in outcome.stderr


def test_the_export_holds_the_problems_and_the_reminders_but_not_the_address(
    recorded: Cli,
) -> None:
    document = json.loads(_export(recorded))

    assert (document["format"], document["version"]) == ("lumbar-export", 2)
    assert document["problems"] == [
        {"date": "2026-11-04", "kind": "pain_after_session", "note": ""},
        {"date": "2026-11-06", "kind": "fall", "note": NOTE},
    ]
    assert document["reminders"] == {
        "session_time": "07:30",
        "work_days": ["mon", "tue"],
        "work_start": "08:00",
        "work_end": "16:00",
        "break_minutes": 45,
    }
    address = steps.ok(recorded("calendar", "--link")).stdout.strip()
    token = address.rsplit("/", 1)[1].removesuffix(".ics")
    assert token not in json.dumps(document)


def test_export_import_export_gives_the_same_bytes(
    recorded: Cli, other_db: Path, tmp_path: Path
) -> None:
    exported = _export(recorded)
    path = _write(tmp_path, exported)

    imported = steps.ok(recorded("import", str(path), "--json", db=other_db)).json()

    assert imported == {
        "imported": {"start": "2026-11-02", "events": 4, "sessions": 2, "checkins": 2}
    }
    assert _export(recorded, db=other_db) == exported
    assert _reports(recorded, db=other_db) == _reports(recorded)
    calendar = ("calendar", "--date", steps.iso(8))
    assert steps.ok(recorded(*calendar, db=other_db)).stdout == steps.ok(recorded(*calendar)).stdout


def test_an_imported_database_makes_its_own_calendar_address(
    recorded: Cli, other_db: Path, tmp_path: Path
) -> None:
    steps.ok(recorded("import", str(_write(tmp_path, _export(recorded))), db=other_db))

    here = steps.ok(recorded("calendar", "--link")).stdout
    there = steps.ok(recorded("calendar", "--link", db=other_db)).stdout

    assert here != there


def test_a_version_1_document_still_imports(recorded: Cli, other_db: Path, tmp_path: Path) -> None:
    document = json.loads(_export(recorded))
    version_1 = {k: v for k, v in document.items() if k not in ("problems", "reminders")}
    version_1["version"] = 1

    steps.ok(recorded("import", str(_write(tmp_path, version_1)), db=other_db))

    again = json.loads(_export(recorded, db=other_db))
    assert again == {**version_1, "version": 2, "problems": []}
    assert "reminders" not in again
    assert _reports(recorded, db=other_db) == []


def _document(cli: Cli) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(_export(cli))
    return found


def _version_3(d: dict[str, Any]) -> None:
    d["version"] = 3


def _unknown_kind(d: dict[str, Any]) -> None:
    d["problems"][1]["kind"] = "slip"


def _before_the_start(d: dict[str, Any]) -> None:
    d["problems"][1]["date"] = "2026-10-01"


def _long_note(d: dict[str, Any]) -> None:
    d["problems"][0]["note"] = "x" * 1001


def _short_breaks(d: dict[str, Any]) -> None:
    d["reminders"]["break_minutes"] = 5


def _backwards_hours(d: dict[str, Any]) -> None:
    d["reminders"]["work_start"] = "18:00"


def _bad_time(d: dict[str, Any]) -> None:
    d["reminders"]["session_time"] = "25:00"


def _unknown_day(d: dict[str, Any]) -> None:
    d["reminders"]["work_days"] = ["mon", "funday"]


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        pytest.param(
            _version_3,
            "made by a newer lumbar (export version 3; this one reads up to 2)",
            id="version_3",
        ),
        pytest.param(_unknown_kind, "problems.1.kind", id="unknown_kind"),
        pytest.param(
            _before_the_start,
            "problems.1: 2026-10-01 is outside the program's dates",
            id="before_the_start",
        ),
        pytest.param(_long_note, "problems.0.note", id="long_note"),
        pytest.param(
            _short_breaks,
            "reminders.break_minutes: a break every 20 to 240 minutes, or 0 for none",
            id="short_breaks",
        ),
        pytest.param(
            _backwards_hours,
            "reminders.work_end: the working day must end after it starts",
            id="backwards_hours",
        ),
        pytest.param(_bad_time, "reminders.session_time", id="bad_time"),
        pytest.param(_unknown_day, "reminders.work_days", id="unknown_day"),
    ],
)
def test_a_newer_or_broken_document_is_refused_and_nothing_is_written(
    recorded: Cli,
    other_db: Path,
    tmp_path: Path,
    change: Callable[[dict[str, Any]], None],
    fragment: str,
) -> None:
    document = _document(recorded)
    change(document)
    path = _write(tmp_path, document)

    outcome = recorded("import", str(path), db=other_db)

    steps.refused(outcome, fragment)
    assert outcome.stderr.startswith(f"lumbar: {path}: ")
    assert _empty(recorded, other_db)
