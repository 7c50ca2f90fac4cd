"""The export carries the corrected records (issue #15, export version 5): every record as
it reads now, the deleted ones still in their place, each marked with the day of its
latest edit (`corrected_on`) and the day it was deleted (`deleted_on`). An import writes
them back as they were: the list shows the same marks, the plan reads past the same
records, and the new database exports the same bytes. The FHIR bundle says the same in
FHIR's words: `corrected`, `amended`, `entered-in-error`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import CLOCK, Cli
from tests.handouts import steps

# The command-line fixtures (`cli`, and `started`: a program started on Monday 2 November
# 2026, training on Monday, Wednesday and Friday; the clock stands at the end of 2027).

Clock = Callable[[int], None]
"""Set the command line's clock to a day of the program (counted from its start)."""


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    def set_to(offset: int) -> None:
        monkeypatch.setenv("LUMBAR_TODAY", steps.iso(offset))

    return set_to


@pytest.fixture
def other_db(tmp_path: Path) -> Path:
    """A second, empty database file."""
    return tmp_path / "other.db"


@pytest.fixture
def lived(started: Cli) -> Cli:
    """Three sessions (the second with an ache in the glute bridge), two check-ins after
    the intake and two problem reports, none of them corrected yet."""
    steps.log(started, 0)
    steps.log(started, 2, {"glute-bridge": "ache"})
    steps.ok(started("checkin", "--pain", "5", "--psfs", "5,5,4", "--date", steps.iso(4)))
    steps.log(started, 4)
    steps.ok(started("checkin", "--pain", "4", "--psfs", "6,6,5", "--date", steps.iso(7)))
    steps.ok(started("problem", "other", "--note", "stiff after the drive", "--date", steps.iso(2)))
    steps.ok(started("problem", "other", "--note", "sore knee", "--date", steps.iso(3)))
    return started


def _records(cli: Cli, db: Path | None = None) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = steps.ok(cli("records", "--json", db=db)).json()["records"]
    return found


def _id(cli: Cli, kind: str, offset: int) -> str:
    [found] = [
        r["id"]
        for r in _records(cli)
        if r["type"] == kind and r["date"] == steps.iso(offset) and not r["intake"]
    ]
    return str(found)


def _correct(cli: Cli, clock: Clock) -> None:
    """Edit the check-in of day 4 and the session of day 2's pain; edit the check-in of day
    7, then delete it; edit the first problem report's note; delete the session of day 4
    and the second problem report. Each on a day of its own."""
    checkin, session = _id(cli, "checkin", 4), _id(cli, "session", 2)
    later, last_session = _id(cli, "checkin", 7), _id(cli, "session", 4)
    first, second = _id(cli, "problem", 2), _id(cli, "problem", 3)
    clock(10)
    steps.ok(cli("records", "edit", checkin, "--pain", "3"))
    clock(11)
    steps.ok(cli("records", "edit", session, "-e", "glute-bridge=none"))
    clock(12)
    steps.ok(cli("records", "edit", later, "--pain", "2"))
    steps.ok(cli("records", "edit", first, "--note", "stiff after the long drive"))
    clock(13)
    steps.ok(cli("records", "delete", later))
    steps.ok(cli("records", "delete", last_session))
    steps.ok(cli("records", "delete", second))
    clock((CLOCK - steps.day(0)).days)


@pytest.fixture
def corrected(lived: Cli, clock: Clock) -> Cli:
    _correct(lived, clock)
    return lived


def _export(cli: Cli, db: Path | None = None) -> str:
    return steps.ok(cli("export", db=db)).stdout


def _write(tmp_path: Path, document: dict[str, Any] | str, name: str = "export.json") -> Path:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document), "utf-8")
    return path


def _empty(cli: Cli, db: Path) -> bool:
    outcome = cli("today", "--date", steps.iso(0), db=db)
    return outcome.code == 2 and "no program yet" in outcome.stderr


def _without(record: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in keys}


# The document.


def test_the_export_holds_every_record_as_it_reads_now_each_marked(corrected: Cli) -> None:
    document = json.loads(_export(corrected))

    assert document["version"] == 8
    marks = [
        (e["type"], e["date"], e.get("corrected_on"), e.get("deleted_on"))
        for e in document["events"]
    ]
    assert marks == [
        ("checkin", "2026-11-02", None, None),  # the intake
        ("session", "2026-11-02", None, None),
        ("session", "2026-11-04", "2026-11-13", None),
        ("checkin", "2026-11-06", "2026-11-12", None),
        ("session", "2026-11-06", None, "2026-11-15"),
        ("checkin", "2026-11-09", "2026-11-14", "2026-11-15"),
    ]
    events = document["events"]
    assert events[3] == {
        "type": "checkin",
        "date": "2026-11-06",
        "pain": 3,
        "psfs": [5, 5, 4],
        "symptoms": [],
        "screened": False,
        "follow_up": False,
        "corrected_on": "2026-11-12",
    }
    assert [e["pain"] for e in events[2]["exercises"]] == ["none"] * len(events[2]["exercises"])
    # A deleted record says what it said when it was deleted.
    assert events[5]["pain"] == 2
    assert document["problems"] == [
        {
            "date": "2026-11-04",
            "kind": "other",
            "note": "stiff after the long drive",
            "corrected_on": "2026-11-14",
        },
        {"date": "2026-11-05", "kind": "other", "note": "sore knee", "deleted_on": "2026-11-15"},
    ]


def test_records_never_corrected_read_as_in_version_4(lived: Cli, clock: Clock) -> None:
    before = json.loads(_export(lived))
    assert "corrected_on" not in json.dumps(before) and "deleted_on" not in json.dumps(before)

    _correct(lived, clock)
    after = json.loads(_export(lived))

    unmarked = [e for e in after["events"] if not {"corrected_on", "deleted_on"} & e.keys()]
    assert unmarked == [before["events"][0], before["events"][1]]
    assert _export(lived) == _export(lived)  # no clock in it


def test_a_version_4_document_still_imports_and_exports_as_version_5(
    lived: Cli, other_db: Path, tmp_path: Path
) -> None:
    exported = _export(lived)
    version_4 = {**json.loads(exported), "version": 4}

    steps.ok(lived("import", str(_write(tmp_path, version_4)), db=other_db))

    assert _export(lived, db=other_db) == exported


# The round trip.


def test_export_import_gives_the_same_records_the_same_plan_and_the_same_bytes(
    corrected: Cli, other_db: Path, tmp_path: Path
) -> None:
    exported = _export(corrected)

    imported = steps.ok(
        corrected("import", str(_write(tmp_path, exported)), "--json", db=other_db)
    ).json()

    # The records that stand: a deleted session and check-in do not count.
    assert imported["imported"] == {
        "start": "2026-11-02",
        "events": 4,
        "sessions": 2,
        "checkins": 2,
        "clearances": 0,
    }
    here, there = _records(corrected), _records(corrected, db=other_db)
    assert [_without(r, "id", "undo") for r in there] == [_without(r, "id", "undo") for r in here]
    assert [r["id"][0] for r in there] == [r["id"][0] for r in here]
    # A deleted record can be brought back as before; an imported edit cannot be undone,
    # since what the record said before is not in the export.
    assert [(r["type"], r["undo"]) for r in here] == [
        ("checkin", None), ("session", None), ("session", "edit"), ("problem", "edit"),
        ("problem", "delete"), ("checkin", "edit"), ("session", "delete"), ("checkin", "delete"),
    ]  # fmt: skip
    assert [r["undo"] for r in there] == [
        None, None, None, None, "delete", None, "delete", "delete",
    ]  # fmt: skip
    assert _export(corrected, db=other_db) == exported
    for command in ("today", "status"):
        for offset in (14, 16):
            asked = (command, "--date", steps.iso(offset), "--json")
            assert steps.ok(corrected(*asked, db=other_db)).json() == (
                steps.ok(corrected(*asked)).json()
            )


def test_an_imported_delete_can_be_undone(corrected: Cli, other_db: Path, tmp_path: Path) -> None:
    steps.ok(corrected("import", str(_write(tmp_path, _export(corrected))), db=other_db))
    deleted = [r for r in _records(corrected, db=other_db) if r["deleted_on"] is not None]

    for record in deleted:
        steps.ok(corrected("records", "undo", record["id"], db=other_db))

    back = {r["id"]: r for r in _records(corrected, db=other_db)}
    assert [back[r["id"]]["deleted_on"] for r in deleted] == [None, None, None]
    assert json.loads(_export(corrected, db=other_db))["events"][5] == {
        "type": "checkin",
        "date": "2026-11-09",
        "pain": 2,
        "psfs": [6, 6, 5],
        "symptoms": [],
        "screened": False,
        "follow_up": False,
        "corrected_on": "2026-11-14",
    }


def test_a_deleted_session_is_not_replayed(corrected: Cli, other_db: Path, tmp_path: Path) -> None:
    """An import replays the sessions that stand; a deleted one is kept as it was."""
    document = json.loads(_export(corrected))
    deleted = document["events"][4]
    assert deleted["type"] == "session" and "deleted_on" in deleted
    deleted["exercises"] = [{"id": "squat", "pain": "none"}]  # not in the plan of its day

    steps.ok(corrected("import", str(_write(tmp_path, document)), db=other_db))

    del deleted["deleted_on"]
    again = tmp_path / "again.db"
    steps.refused(
        corrected("import", str(_write(tmp_path, document, "again.json")), db=again),
        "events.4: squat is not in the plan for 2026-11-06",
    )
    assert _empty(corrected, again)


# Refused.


def _deleted_intake(d: dict[str, Any]) -> None:
    d["events"][0]["deleted_on"] = "2026-11-20"


def _deleted_before_its_day(d: dict[str, Any]) -> None:
    d["events"][5]["deleted_on"] = "2026-11-08"


def _deleted_after_today(d: dict[str, Any]) -> None:
    d["events"][1]["deleted_on"] = "2028-01-05"


def _problem_deleted_before_its_day(d: dict[str, Any]) -> None:
    d["problems"][1]["deleted_on"] = "2026-11-02"


def _corrected_after_today(d: dict[str, Any]) -> None:
    d["problems"][0]["corrected_on"] = "2028-01-05"


def _corrected_before_its_day(d: dict[str, Any]) -> None:
    d["events"][3]["corrected_on"] = "2026-11-05"


def _marks_in_version_4(d: dict[str, Any]) -> None:
    d["version"] = 4


def _not_a_date(d: dict[str, Any]) -> None:
    d["events"][5]["deleted_on"] = "yesterday"


def _legacy_clearance_in_version_5(d: dict[str, Any]) -> None:
    d["events"][3]["cleared_by_clinician"] = True


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        pytest.param(
            _deleted_intake,
            "events.0: deleted_on: the intake check-in cannot be deleted",
            id="deleted_intake",
        ),
        pytest.param(
            _deleted_before_its_day,
            "events.5: deleted_on: 2026-11-08 is before the record's day (2026-11-09)",
            id="deleted_before_its_day",
        ),
        pytest.param(
            _deleted_after_today,
            "events.1: deleted_on: 2028-01-05 is after today (2027-12-31)",
            id="deleted_after_today",
        ),
        pytest.param(
            _problem_deleted_before_its_day,
            "problems.1: deleted_on: 2026-11-02 is before the record's day (2026-11-05)",
            id="problem_deleted_before_its_day",
        ),
        pytest.param(
            _corrected_after_today,
            "problems.0: corrected_on: 2028-01-05 is after today (2027-12-31)",
            id="corrected_after_today",
        ),
        pytest.param(
            _corrected_before_its_day,
            "events.3: corrected_on: 2026-11-05 is before the record's day (2026-11-06)",
            id="corrected_before_its_day",
        ),
        pytest.param(
            _marks_in_version_4,
            "events.2: corrected_on: a version 4 document has no corrections (they came "
            "with version 5)",
            id="marks_in_version_4",
        ),
        pytest.param(_not_a_date, "events.5.checkin.deleted_on", id="not_a_date"),
        pytest.param(
            _legacy_clearance_in_version_5,
            "events.3: cleared_by_clinician: versions 1 and 2 only",
            id="legacy_clearance_in_version_5",
        ),
    ],
)
def test_a_document_with_impossible_marks_is_refused_and_nothing_is_written(
    corrected: Cli,
    other_db: Path,
    tmp_path: Path,
    change: Callable[[dict[str, Any]], None],
    fragment: str,
) -> None:
    document = json.loads(_export(corrected))
    change(document)
    path = _write(tmp_path, document)

    outcome = corrected("import", str(path), db=other_db)

    steps.refused(outcome, fragment)
    assert outcome.stderr.startswith(f"lumbar: {path}")
    assert _empty(corrected, other_db)


# FHIR.

OBSERVATION_STATUSES = {
    "registered", "preliminary", "final", "amended", "corrected", "cancelled",
    "entered-in-error", "unknown",
}  # fmt: skip
RESPONSE_STATUSES = {"in-progress", "completed", "amended", "entered-in-error", "stopped"}
PROCEDURE_STATUSES = {
    "preparation", "in-progress", "not-done", "on-hold", "stopped", "completed",
    "entered-in-error", "unknown",
}  # fmt: skip
"""FHIR R4's codes (the models do not check them)."""


def _bundle(cli: Cli, db: Path | None = None) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(
        steps.ok(cli("export", "--format", "fhir", "--date", steps.iso(16), db=db)).stdout
    )
    return found


def _statuses(bundle: dict[str, Any]) -> dict[str, str]:
    """The status of each record's resource (a session's exercise Observations apart)."""
    return {
        e["resource"]["id"]: e["resource"]["status"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] in ("Observation", "QuestionnaireResponse", "Procedure")
        and "partOf" not in e["resource"]
    }


def _exercise_statuses(bundle: dict[str, Any], session: str) -> set[str]:
    """The statuses of the pain Observations of a session's exercises."""
    found = {e["fullUrl"] for e in bundle["entry"] if e["resource"]["id"] == session}
    return {
        e["resource"]["status"]
        for e in bundle["entry"]
        if {p["reference"] for p in e["resource"].get("partOf", [])} & found
    }


def test_the_fhir_bundle_says_what_was_corrected_and_what_was_entered_in_error(
    lived: Cli, clock: Clock, other_db: Path, tmp_path: Path
) -> None:
    from fhir.resources.R4B import get_fhir_model_class

    before = _bundle(lived)
    _correct(lived, clock)
    after = _bundle(lived)

    assert _statuses(before) == {
        "pain-2026-11-02": "final",
        "psfs-2026-11-02": "completed",
        "session-2026-11-02": "completed",
        "session-2026-11-04": "completed",
        "pain-2026-11-06": "final",
        "psfs-2026-11-06": "completed",
        "session-2026-11-06": "completed",
        "pain-2026-11-09": "final",
        "psfs-2026-11-09": "completed",
    }
    assert _statuses(after) == {
        "pain-2026-11-02": "final",
        "psfs-2026-11-02": "completed",
        "session-2026-11-02": "completed",
        "session-2026-11-04": "completed",  # R4's Procedure has no status for a correction
        "pain-2026-11-06": "corrected",
        "psfs-2026-11-06": "amended",
        "session-2026-11-06": "entered-in-error",
        "pain-2026-11-09": "entered-in-error",
        "psfs-2026-11-09": "entered-in-error",
    }
    # A corrected session's exercise pains are corrected; a deleted one's are in error.
    assert _exercise_statuses(before, "session-2026-11-04") == {"final"}
    assert _exercise_statuses(after, "session-2026-11-02") == {"final"}
    assert _exercise_statuses(after, "session-2026-11-04") == {"corrected"}
    assert _exercise_statuses(after, "session-2026-11-06") == {"entered-in-error"}
    # The same addresses: a record system that holds a resource learns what became of it.
    addresses = {e["resource"]["id"]: e["fullUrl"] for e in after["entry"]}
    for entry in before["entry"]:
        if entry["resource"]["id"] in _statuses(before):
            assert addresses[entry["resource"]["id"]] == entry["fullUrl"]
    observations = {
        e["resource"]["id"]: e["resource"]
        for e in after["entry"]
        if e["resource"]["resourceType"] == "Observation"
    }
    assert observations["pain-2026-11-06"]["valueInteger"] == 3
    for entry in after["entry"]:
        resource = entry["resource"]
        model = get_fhir_model_class(resource["resourceType"])
        assert model.model_validate(resource).model_dump(mode="json", exclude_none=True) == (
            resource
        )
        allowed = {
            "Observation": OBSERVATION_STATUSES,
            "QuestionnaireResponse": RESPONSE_STATUSES,
            "Procedure": PROCEDURE_STATUSES,
        }.get(resource["resourceType"])
        assert allowed is None or resource["status"] in allowed
    # An import gives the same bundle.
    steps.ok(lived("import", str(_write(tmp_path, _export(lived))), db=other_db))
    assert _bundle(lived, db=other_db) == after
