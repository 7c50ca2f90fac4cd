"""Issue #15, item 2, at the command line: `lumbar records` lists every record with its id;
`records edit`, `delete` and `undo` correct one, and the plan, the status and the export
follow the corrected history. A refused correction says why and writes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.cli.conftest import Cli
from tests.cli.test_commands import _refused

ON_THE_NINTH = "2026-11-09"


@pytest.fixture
def recorded(started: Cli, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Two weeks in: the intake, a session on Monday 2 with an ache in the cat-cow, a weekly
    check-in on Friday 6 (pain 5), a problem report on Saturday 7; the clock on Monday 9."""
    monkeypatch.setenv("LUMBAR_TODAY", ON_THE_NINTH)
    plan = started("today", "--json", "--date", "2026-11-02").json()
    entries = [f"{e['id']}={'ache' if e['id'] == 'cat-cow' else 'none'}" for e in plan["exercises"]]
    logged = started("log", *[a for e in entries for a in ("-e", e)], "--date", "2026-11-02")
    assert logged.code == 0, logged.stderr
    assert started("checkin", "--pain", "5", "--date", "2026-11-06").code == 0
    assert started("problem", "other", "--note", "stiff knee", "--date", "2026-11-07").code == 0
    return started


def records(cli: Cli) -> list[dict[str, Any]]:
    outcome = cli("records", "--json")
    assert outcome.code == 0, outcome.stderr
    found: list[dict[str, Any]] = outcome.json()["records"]
    return found


def by_type(cli: Cli, kind: str) -> dict[str, Any]:
    return next(r for r in records(cli) if r["type"] == kind and not r["intake"])


def test_the_list_names_every_record_with_its_id_and_the_intake_first(recorded: Cli) -> None:
    found = records(recorded)
    assert [(r["type"], r["date"]) for r in found] == [
        ("checkin", "2026-11-02"),
        ("session", "2026-11-02"),
        ("checkin", "2026-11-06"),
        ("problem", "2026-11-07"),
    ]
    assert found[0]["intake"] and not any(r["intake"] for r in found[1:])
    assert [r["id"][0] for r in found] == ["c", "s", "c", "p"]
    table = recorded("records").stdout
    for record in found:
        assert record["id"] in table
    assert "an ache at most" in table and "stiff knee" in table


def test_an_edit_changes_the_record_the_status_follows_and_undo_takes_it_back(
    recorded: Cli,
) -> None:
    checkin = by_type(recorded, "checkin")
    before = recorded("export").json()
    edited = recorded("records", "edit", checkin["id"], "--pain", "2", "--json")
    assert edited.code == 0, edited.stderr
    assert edited.json()["pain"] == 2
    assert edited.json()["corrected_on"] == ON_THE_NINTH
    assert edited.json()["undo"] == "edit"
    weekly = [e for e in recorded("export").json()["events"] if e["date"] == "2026-11-06"]
    assert weekly[0]["pain"] == 2
    said = recorded("records").stdout
    assert "corrected on Mon 9 Nov 2026" in said

    undone = recorded("records", "undo", checkin["id"], "--json")
    assert undone.code == 0, undone.stderr
    assert undone.json()["pain"] == 5 and undone.json()["corrected_on"] is None
    assert recorded("export").json()["events"] == before["events"]
    _refused(recorded("records", "undo", checkin["id"]), "has no edit or delete to undo")


def test_a_wrong_pain_answer_in_a_session_is_corrected_and_the_plan_follows(
    recorded: Cli,
) -> None:
    session = by_type(recorded, "session")
    plan_before = recorded("today", "--json", "--date", "2026-11-09").json()
    edited = recorded("records", "edit", session["id"], "-e", "glute-bridge=sharp", "--json")
    assert edited.code == 0, edited.stderr
    pains = {e["id"]: e["pain"] for e in edited.json()["exercises"]}
    assert pains["glute-bridge"] == "sharp" and pains["cat-cow"] == "ache"
    assert len(pains) == len(session["exercises"])  # the others stay
    plan_after = recorded("today", "--json", "--date", "2026-11-09").json()
    assert plan_after != plan_before
    bridge = next(e for e in plan_after["exercises"] if e["id"] == "glute-bridge")
    assert bridge["range"] == "reduced"


def test_a_deleted_record_stays_marked_the_rules_read_past_it_and_undo_restores_it(
    recorded: Cli,
) -> None:
    session = by_type(recorded, "session")
    deleted = recorded("records", "delete", session["id"])
    assert deleted.code == 0, deleted.stderr
    assert "Deleted:" in deleted.stdout and f"records undo {session['id']}" in deleted.stdout
    marked = next(r for r in records(recorded) if r["id"] == session["id"])
    assert marked["deleted_on"] == ON_THE_NINTH
    assert "deleted on Mon 9 Nov 2026" in recorded("records").stdout
    exported = [e for e in recorded("export").json()["events"] if e["type"] == "session"]
    assert [e["deleted_on"] for e in exported] == [ON_THE_NINTH]
    status = recorded("status", "--json").json()
    assert status["sessions_in_phase"] == 0
    _refused(recorded("records", "edit", session["id"], "-e", "cat-cow=none"), "was deleted on")

    assert recorded("records", "undo", session["id"]).code == 0
    assert recorded("status", "--json").json()["sessions_in_phase"] == 1


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("delete", "c1"), "is where the program begins"),
        (("edit", "c1", "--date", "2026-11-03"), "stays on the day the program began"),
        (("edit", "CHECKIN", "--date", "2026-11-11"), "2026-11-11 is after today"),
        (("edit", "CHECKIN", "--date", "2026-10-01"), "is before the program started"),
        (("edit", "CHECKIN", "--pain", "11"), "pain is rated from 0 to 10"),
        (("edit", "CHECKIN", "--psfs", "4,4"), "expected 3 scores"),
        (("edit", "CHECKIN", "--note", "x"), "a check-in has no note to change"),
        (("edit", "CHECKIN", "--symptom", "hiccups"), "hiccups"),
        (("edit", "CHECKIN"), "nothing to change"),
        (("edit", "CHECKIN", "--pain", "5"), "already says that"),
        (("edit", "SESSION", "-e", "side-plank=none"), "is not in the plan"),
        (("edit", "PROBLEM", "--kind", "slip"), "choose what happened"),
        (("edit", "PROBLEM", "--note", ""), "say in a few words what happened"),
        (("delete", "s999"), "no record s999"),
        (("undo", "x12"), "is not a record's id"),
    ],
    ids=[
        "delete-intake",
        "move-intake",
        "ahead",
        "before-start",
        "pain",
        "psfs",
        "wrong-field",
        "unknown-symptom",
        "nothing",
        "same",
        "not-planned",
        "kind",
        "empty-note",
        "unknown-id",
        "bad-id",
    ],
)
def test_a_refused_correction_says_why_and_writes_nothing(
    recorded: Cli, args: tuple[str, ...], said: str
) -> None:
    ids = {
        kind.upper(): by_type(recorded, kind)["id"] for kind in ("checkin", "session", "problem")
    }
    before = records(recorded)
    _refused(recorded("records", *[ids.get(a, a) for a in args]), said)
    assert records(recorded) == before


def test_a_reported_danger_sign_cannot_be_corrected_away(recorded: Cli) -> None:
    """Only a clearance sets a danger sign aside: not an edit, not a delete, not a move to
    before a clearance that names it."""
    assert recorded("checkin", "--symptom", "leg_numbness", "--date", "2026-11-08").code == 0
    flagged = [r for r in records(recorded) if "leg_numbness" in r.get("symptoms", [])][0]
    before = records(recorded)
    said = "which you reported. A sign like that stays until a clinician has seen you"
    _refused(recorded("records", "delete", flagged["id"]), said)
    _refused(recorded("records", "edit", flagged["id"], "--no-symptoms"), "would say nothing")
    _refused(recorded("records", "edit", flagged["id"], "--symptom", "fever"), said)
    assert records(recorded) == before
    # Cleared on the ninth, the sign is set aside; moving a later report of it to before the
    # clearance would set that one aside too.
    assert recorded("clear", "--by", "Dr Rao", "--alert", "leg_numbness").code == 0
    assert recorded("checkin", "--symptom", "leg_numbness", "--pain", "3").code == 0
    again = [r for r in records(recorded) if "leg_numbness" in r.get("symptoms", [])][-1]
    _refused(recorded("records", "edit", again["id"], "--date", "2026-11-08"), said)
    # Deleting the clearance brings the first report back: allowed (it is stricter).
    clearance = by_type(recorded, "clearance")
    assert recorded("records", "delete", clearance["id"]).code == 0
    alerts = recorded("status", "--json").json()["alerts"]
    assert any(a["code"] == "leg_numbness" for a in alerts)
    # Bringing the clearance back (it names the sign) is the clearance recorded again.
    restored = recorded("records", "undo", clearance["id"], "--json")
    assert restored.code == 0, restored.stderr
    assert restored.json()["deleted_on"] is None


def test_every_record_kind_can_be_corrected(recorded: Cli) -> None:
    problem = by_type(recorded, "problem")
    edited = recorded("records", "edit", problem["id"], "--kind", "fall", "--note", "on ice")
    assert edited.code == 0, edited.stderr
    changed = next(r for r in records(recorded) if r["id"] == problem["id"])
    assert (changed["kind"], changed["note"]) == ("fall", "on ice")
    assert recorded("checkin", "--symptom", "leg_numbness", "--date", "2026-11-08").code == 0
    assert recorded("clear", "--by", "Dr Rao").code == 0
    clearance = by_type(recorded, "clearance")
    renamed = recorded("records", "edit", clearance["id"], "--by", "Dr Rao, physio", "--json")
    assert renamed.code == 0, renamed.stderr
    assert renamed.json()["by"] == "Dr Rao, physio"
    _refused(
        recorded("records", "edit", clearance["id"], "--date", "2026-11-08"),
        "a clearance has no date to change",
    )
    intake = records(recorded)[0]
    rescored = recorded("records", "edit", intake["id"], "--pain", "7", "--psfs", "3,4,3")
    assert rescored.code == 0, rescored.stderr
    status = recorded("status", "--json").json()
    assert status["improvement"]["baseline_pain"] == 7
