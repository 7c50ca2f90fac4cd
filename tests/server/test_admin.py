"""The admin's side of a clinic's server: the clinic's accounts, disabling them, reset
links, the audit log (and that the database itself keeps it append-only), and `lumbar
admin` on the server's command line, on SQLite and on PostgreSQL.

An admin manages the accounts of their own clinic and no other, and reads who looked at
which patient's record; nothing here may let an account in that was shut out, or change
what the audit log says happened.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text as sql
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from lumbar.cli.main import run
from lumbar.usecases import audit
from tests.server.conftest import BASE_URL, PASSWORD, PEOPLE, Clinic, email
from tests.web.conftest import text

NEW_PASSWORD = "a completely new passphrase"
AUDIT_HEADER = ["id", "at", "actor", "role", "action", "patient", "target"]


def clinic_of(name: str) -> str:
    """The clinic a person of the fixture belongs to (a patient: their clinician's)."""
    _, clinic_name, clinician = PEOPLE[name]
    if clinician is not None:
        return clinic_of(clinician)
    assert clinic_name is not None
    return clinic_name


NORTH = {email(n) for n in PEOPLE if clinic_of(n) == "North Clinic"}
SOUTH = {email(n) for n in PEOPLE if clinic_of(n) == "South Clinic"}


def signs_in(clinic: Clinic, address: str, password: str = PASSWORD) -> int:
    """The status of a sign-in through the API, by a new anonymous browser."""
    response = clinic.client().post(
        "/api/v1/sign-in", json={"email": address, "password": password}
    )
    return response.status_code


def reset_token(page: str) -> str:
    """The token of a link printed by `lumbar admin`."""
    found = re.search(rf"{re.escape(BASE_URL)}/reset/([\w-]+)", page)
    assert found is not None, "no reset link on the page"
    return found.group(1)


def audit_rows(response: Any) -> list[dict[str, str]]:
    """The audit CSV as rows, after checking its header."""
    reader = csv.DictReader(io.StringIO(response.text))
    assert reader.fieldnames == AUDIT_HEADER
    return list(reader)


# The clinic's accounts.


def test_the_admin_sees_the_accounts_of_their_clinic_only(clinic: Clinic) -> None:
    """The page and the API list every account of the admin's clinic, patients included,
    and none of the other clinic's."""
    for admin, own, other in (("north_admin", NORTH, SOUTH), ("south_admin", SOUTH, NORTH)):
        client = clinic.client(admin)

        page = client.get("/admin")
        listed = client.get("/api/v1/admin/accounts")

        assert page.status_code == 200 and listed.status_code == 200
        assert {(a["email"], a["role"]) for a in listed.json()} == {
            (email(name), role) for name, (role, _, _) in PEOPLE.items() if email(name) in own
        }
        assert all(address in page.text for address in own)
        assert not any(address in page.text for address in other)


def test_disabling_an_account_ends_its_sign_in_until_it_is_enabled(clinic: Clinic) -> None:
    """A disabled account is signed out at once (API 401, pages to the sign-in) and cannot
    sign in, with the same answer as a wrong password; enabling lets it in again. Each
    change is in the audit log."""
    admin = clinic.client("north_admin")
    ann = clinic.client("ann")
    patient = clinic.people["ann"]
    assert ann.get("/api/v1/messages").status_code == 200
    wrong = clinic.client().post(
        "/api/v1/sign-in", json={"email": email("ann"), "password": "not the password"}
    )

    response = admin.post(f"/admin/accounts/{patient.id}/active", data={"active": "0"})

    assert response.status_code == 303 and response.headers["location"] == "/admin"
    assert ann.get("/api/v1/messages").status_code == 401
    page = ann.get("/messages")
    assert page.status_code == 303
    assert page.headers["location"] == "/sign-in?next=/messages"
    refused = clinic.client().post(
        "/api/v1/sign-in", json={"email": email("ann"), "password": PASSWORD}
    )
    assert refused.status_code == 401
    assert refused.json() == wrong.json()
    assert f"{email('ann')}</th><td>patient</td><td>disabled" in admin.get("/admin").text
    entry = audit.entries(clinic.accounts)[-1]
    assert (entry.actor_id, entry.action, entry.patient_id) == (
        clinic.people["north_admin"].id,
        "write",
        patient.id,
    )
    assert entry.target == f"disable account {patient.id}"

    response = admin.post(f"/admin/accounts/{patient.id}/active", data={"active": "1"})

    assert response.status_code == 303
    assert signs_in(clinic, email("ann")) == 200
    assert audit.entries(clinic.accounts)[-1].target == f"enable account {patient.id}"


def test_an_admin_cannot_disable_another_clinics_account_or_their_own(clinic: Clinic) -> None:
    """Another clinic's account is answered as if it did not exist; one's own is refused on
    the page. Neither is changed."""
    admin = clinic.client("north_admin")
    me = clinic.people["north_admin"]
    seen = len(audit.entries(clinic.accounts))

    other = admin.post(f"/admin/accounts/{clinic.people['dee'].id}/active", data={"active": "0"})
    link = admin.post(f"/admin/accounts/{clinic.people['dee'].id}/reset-link")
    own = admin.post(f"/admin/accounts/{me.id}/active", data={"active": "0"})

    assert (other.status_code, link.status_code) == (404, 404)
    assert "/reset/" not in link.text
    assert own.status_code == 422
    assert "you cannot disable your own account" in text(own)
    assert signs_in(clinic, email("dee")) == 200
    assert admin.get("/admin").status_code == 200
    assert len(audit.entries(clinic.accounts)) == seen


def tokens(clinic: Clinic) -> int:
    with clinic.store.engine.connect() as connection:
        return int(connection.execute(sql("SELECT count(*) FROM one_time_tokens")).scalar_one())


@pytest.mark.parametrize("name", ["ann", "north_pt2", "north_admin"])
def test_an_admin_is_never_shown_a_reset_link(clinic: Clinic, name: str) -> None:
    """Issue #19: a clinician's link shown to the admin let the admin sign in as the
    clinician and read every one of their patients' records (a patient's, their own). The
    page says to give the link on the server itself, and nothing is written: no link, no
    audit entry; the person's password still works."""
    admin = clinic.client("north_admin")
    before, made = audit.entries(clinic.accounts), tokens(clinic)

    page = admin.post(f"/admin/accounts/{clinic.people[name].id}/reset-link")

    assert page.status_code == 422
    assert f"lumbar admin reset-link {email(name)}" in text(page)
    assert "/reset/" not in page.text
    assert tokens(clinic) == made
    assert audit.entries(clinic.accounts) == before
    assert signs_in(clinic, email(name)) == 200


def test_an_admins_changes_to_a_staff_account_are_audited(clinic: Clinic) -> None:
    """Disabling and enabling a clinician is in the log, by the admin, about no patient."""
    admin = clinic.client("north_admin")
    target = clinic.people["north_pt2"]
    for active in ("0", "1"):
        response = admin.post(f"/admin/accounts/{target.id}/active", data={"active": active})
        assert response.status_code == 303
    logged = [(e.actor_id, e.actor_role, e.action, e.patient_id, e.target)
              for e in audit.entries(clinic.accounts)[-2:]]  # fmt: skip
    me = clinic.people["north_admin"].id
    assert logged == [
        (me, "admin", "write", None, f"disable account {target.id}"),
        (me, "admin", "write", None, f"enable account {target.id}"),
    ]


# The audit log.


def test_the_audit_log_holds_the_clinics_entries_as_csv_and_json(
    clinic: Clinic, ann: TestClient
) -> None:
    """Reads by the clinic's clinicians and changes by its admin are in the CSV download and
    the API, the same entries in both, in order; the other clinic's are not."""
    north_pt, south_pt = clinic.client("north_pt"), clinic.client("south_pt")
    ann_id, dee_id = clinic.people["ann"].id, clinic.people["dee"].id
    assert north_pt.get(f"/clinic/patients/{ann_id}").status_code == 200
    assert north_pt.get(f"/api/v1/clinic/patients/{ann_id}/export").status_code == 200
    assert south_pt.get(f"/clinic/patients/{dee_id}").status_code == 200
    admin = clinic.client("north_admin")
    bob_id = clinic.people["bob"].id
    assert admin.post(f"/admin/accounts/{bob_id}/active", data={"active": "0"}).status_code == 303

    download = admin.get("/admin/audit.csv")
    api = admin.get("/api/v1/admin/audit")

    assert download.status_code == 200 and api.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    rows = audit_rows(download)
    north_pt_id, admin_id = clinic.people["north_pt"].id, clinic.people["north_admin"].id
    assert [(r["actor"], r["role"], r["action"], r["patient"], r["target"]) for r in rows] == [
        (str(north_pt_id), "clinician", "read", str(ann_id), f"GET /clinic/patients/{ann_id}"),
        (
            str(north_pt_id),
            "clinician",
            "read",
            str(ann_id),
            f"GET /api/v1/clinic/patients/{ann_id}/export",
        ),
        (str(admin_id), "admin", "write", str(bob_id), f"disable account {bob_id}"),
    ]
    times = [datetime.fromisoformat(r["at"]) for r in rows]
    assert times == sorted(times)
    assert [
        (str(e["id"]), e["at"], str(e["actor"]), e["role"], e["action"], str(e["patient"]))
        for e in api.json()
    ] == [(r["id"], r["at"], r["actor"], r["role"], r["action"], r["patient"]) for r in rows]
    assert f"GET /clinic/patients/{ann_id}" in text(admin.get("/admin"))
    # The other clinic's admin sees only their clinician's read.
    south = audit_rows(clinic.client("south_admin").get("/admin/audit.csv"))
    assert [(r["role"], r["patient"]) for r in south] == [("clinician", str(dee_id))]


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET target = 'nothing happened'", "DELETE FROM audit_log"],
    ids=["update", "delete"],
)
def test_the_database_itself_refuses_to_change_the_audit_log(
    clinic: Clinic, statement: str
) -> None:
    """The audit log is append-only below the application: a statement that would change
    or remove entries, sent straight to the database, fails, and the entries stay."""
    patient = clinic.people["ann"]
    assert clinic.client("north_pt").get(f"/clinic/patients/{patient.id}").status_code == 200
    before = audit.entries(clinic.accounts)
    assert len(before) == 1

    with pytest.raises(DBAPIError, match="the audit log is append-only"):
        with clinic.store.engine.begin() as connection:
            connection.execute(sql(statement))

    assert audit.entries(clinic.accounts) == before


def test_postgresql_refuses_to_truncate_the_audit_log(clinic: Clinic, backend: str) -> None:
    """TRUNCATE empties a PostgreSQL table without deleting row by row, so the row triggers
    that refuse DELETE do not see it. (SQLite has no TRUNCATE: its `DELETE FROM` without a
    WHERE runs the triggers, tested above.)"""
    if backend != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    patient = clinic.people["ann"]
    assert clinic.client("north_pt").get(f"/clinic/patients/{patient.id}").status_code == 200
    before = audit.entries(clinic.accounts)

    with pytest.raises(DBAPIError, match="the audit log is append-only"):
        with clinic.store.engine.begin() as connection:
            connection.execute(sql("TRUNCATE audit_log"))

    assert audit.entries(clinic.accounts) == before


# `lumbar admin`.


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def lumbar(clinic: Clinic, *args: str, input: str = "") -> Outcome:
    """`lumbar ARGS --db URL` on the clinic's database, as the console script runs it (its
    error handling included), with standard input, output and error captured."""
    runner = CliRunner()
    with runner.isolation(input=input, env={"LUMBAR_DATABASE_URL": None}) as (out, err, _):
        try:
            run([*args, "--db", clinic.store.url])
            code = 0
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 1
        sys.stdout.flush()
        sys.stderr.flush()
        return Outcome(code, out.getvalue().decode(), err.getvalue().decode())


def test_cli_made_accounts_can_sign_in_where_they_belong(clinic: Clinic) -> None:
    """A clinician made with a password from standard input signs in and joins their
    clinic; a patient made for them appears on their dashboard; an admin made without a
    password gets a one-time link to choose one."""
    made = lumbar(
        clinic,
        *("admin", "create-user", "Nia@Example.org", "--role", "clinician"),
        *("--clinic", "North Clinic", "--password-stdin", "--json"),
        input=PASSWORD + "\n",
    )
    assert made.code == 0, made.stderr
    assert made.json() == {
        "id": made.json()["id"],
        "email": "nia@example.org",
        "role": "clinician",
        "link": None,
    }
    patient = lumbar(
        clinic,
        *("admin", "create-user", "oli@example.org", "--role", "patient"),
        *("--clinician", "nia@example.org", "--password-stdin"),
        input=PASSWORD + "\n",
    )
    assert patient.code == 0, patient.stderr
    assert re.fullmatch(r"Made patient account \d+ for oli@example\.org\.\n", patient.stdout)
    admin = lumbar(
        clinic,
        *("admin", "create-user", "pam@example.org", "--role", "admin"),
        *("--clinic", "South Clinic", "--base-url", BASE_URL),
    )
    assert admin.code == 0, admin.stderr
    assert "To choose a password (once, within an hour): " in admin.stdout

    assert signs_in(clinic, "nia@example.org") == 200
    nia = clinic.client("nia")
    assert [p["email"] for p in nia.get("/api/v1/clinic/patients").json()] == ["oli@example.org"]
    assert signs_in(clinic, "oli@example.org") == 200
    north = clinic.client("north_admin").get("/api/v1/admin/accounts").json()
    assert {"nia@example.org", "oli@example.org"} <= {a["email"] for a in north}
    assert signs_in(clinic, "pam@example.org") == 401  # no password yet
    token = reset_token(admin.stdout)
    assert clinic.client().post(f"/reset/{token}", data={"password": PASSWORD}).status_code == 200
    pam = clinic.client("pam")
    assert pam.get("/api/v1/me").json()["role"] == "admin"
    assert {a["email"] for a in pam.get("/api/v1/admin/accounts").json()} == {
        *SOUTH,
        "pam@example.org",
    }


def test_cli_lists_disables_and_enables_accounts(clinic: Clinic) -> None:
    """`users` lists every account; `disable` shuts one out of the web app at once, and
    `enable` lets it in again."""
    ann = clinic.client("ann")

    listed = lumbar(clinic, "admin", "users", "--json")

    assert listed.code == 0, listed.stderr
    assert {(a["email"], a["role"], a["active"]) for a in listed.json()} == {
        (email(n), role, True) for n, (role, _, _) in PEOPLE.items()
    }

    disabled = lumbar(clinic, "admin", "disable", email("ann"), "--json")

    assert disabled.code == 0, disabled.stderr
    assert disabled.json() == {
        "id": clinic.people["ann"].id,
        "email": email("ann"),
        "active": False,
    }
    assert ann.get("/api/v1/messages").status_code == 401
    assert signs_in(clinic, email("ann")) == 401
    plain = lumbar(clinic, "admin", "users").stdout
    assert f"{email('ann')} (disabled)" in plain
    assert f"{email('bob')} (disabled)" not in plain

    enabled = lumbar(clinic, "admin", "enable", email("ann"))

    assert (enabled.code, enabled.stdout) == (0, f"{email('ann')} is active.\n")
    assert signs_in(clinic, email("ann")) == 200


def test_cli_reset_links_and_invitations_work_in_the_web_app(clinic: Clinic) -> None:
    """A reset link from the command line sets a new password once; an invitation makes a
    patient of that clinician."""
    reset = lumbar(clinic, "admin", "reset-link", email("bob"), "--base-url", BASE_URL, "--json")
    invite = lumbar(
        clinic,
        "admin",
        "invite",
        email("north_pt2"),
        *("--name", "Una Lind", "--born", "1984-09-01", "--base-url", BASE_URL),
    )

    assert reset.code == 0 and invite.code == 0, reset.stderr + invite.stderr
    token = reset_token(reset.json()["link"])
    assert (
        clinic.client().post(f"/reset/{token}", data={"password": NEW_PASSWORD}).status_code == 200
    )
    assert signs_in(clinic, email("bob")) == 401
    assert signs_in(clinic, email("bob"), NEW_PASSWORD) == 200
    link = invite.stdout.strip()
    assert link.startswith(f"{BASE_URL}/join/")
    joined = clinic.client().post(
        link.removeprefix(BASE_URL), data={"email": "una@example.org", "password": PASSWORD}
    )
    assert joined.status_code == 303
    listed = clinic.client("north_pt2").get("/api/v1/clinic/patients").json()
    assert sorted(p["email"] for p in listed) == [email("cy"), "una@example.org"]
    una = next(p for p in listed if p["email"] == "una@example.org")
    assert (una["name"], una["birth_date"]) == ("Una Lind", "1984-09-01")


def test_cli_audit_writes_the_whole_log(clinic: Clinic, tmp_path: Path) -> None:
    """`audit` gives every clinic's entries, as JSON, as CSV on standard output, and as a
    CSV file; all three agree."""
    assert clinic.client("north_pt").get(f"/clinic/patients/{clinic.people['ann'].id}").is_success
    assert clinic.client("south_pt").get(f"/clinic/patients/{clinic.people['dee'].id}").is_success
    out = tmp_path / "audit.csv"

    as_json = lumbar(clinic, "admin", "audit", "--json")
    as_csv = lumbar(clinic, "admin", "audit")
    to_file = lumbar(clinic, "admin", "audit", "--out", str(out))

    assert (as_json.code, as_csv.code, to_file.code) == (0, 0, 0)
    assert to_file.stdout == f"Wrote 2 entries to {out}\n"
    entries = as_json.json()
    assert [(e["role"], e["patient"]) for e in entries] == [
        ("clinician", clinic.people["ann"].id),
        ("clinician", clinic.people["dee"].id),
    ]
    for document in (as_csv.stdout, out.read_text(encoding="utf-8")):
        reader = csv.DictReader(io.StringIO(document))
        assert reader.fieldnames == AUDIT_HEADER
        assert [r["target"] for r in reader] == [e["target"] for e in entries]


CLI_REFUSALS = {
    "unknown role": (
        ["create-user", "x@example.org", "--role", "doctor", "--clinic", "North Clinic"],
        "",
        "lumbar: --role: 'doctor' is not a role: choose patient, clinician or admin",
    ),
    "short password": (
        ["create-user", "x@example.org", "--role", "clinician", "--clinic", "North Clinic"]
        + ["--password-stdin"],
        "too short\n",
        "lumbar: a password needs at least 10 characters",
    ),
    "duplicate email": (
        ["create-user", "North_PT@example.org", "--role", "clinician", "--clinic", "North Clinic"]
        + ["--password-stdin"],
        PASSWORD + "\n",
        "lumbar: there is already an account for north_pt@example.org",
    ),
    "patient without a clinician": (
        ["create-user", "x@example.org", "--role", "patient", "--password-stdin"],
        PASSWORD + "\n",
        "lumbar: a patient needs a clinician: give the clinician's email",
    ),
    "patient of a non-clinician": (
        ["create-user", "x@example.org", "--role", "patient", "--clinician", email("ann")]
        + ["--password-stdin"],
        PASSWORD + "\n",
        f"lumbar: {email('ann')} is not a clinician's account",
    ),
    "invitation for a birth date to come": (
        ["invite", email("north_pt"), "--name", "Nell Patel", "--born", "2999-01-01"],
        "",
        "lumbar: --born: a date of birth cannot be after today",
    ),
    "invitation without a name": (
        ["invite", email("north_pt"), "--name", " ", "--born", "1979-11-30"],
        "",
        "lumbar: --name: write the patient's name",
    ),
    "invitation by a patient": (
        ["invite", email("ann"), "--name", "Nell Patel", "--born", "1979-11-30"],
        "",
        "lumbar: only a clinician invites patients",
    ),
    "unknown account": (
        ["disable", "nobody@example.org"],
        "",
        "lumbar: there is no account for nobody@example.org",
    ),
}


@pytest.mark.parametrize("case", list(CLI_REFUSALS))
def test_cli_refusals_say_why_in_one_line_and_write_nothing(clinic: Clinic, case: str) -> None:
    """Each refusal exits 2 with one line on standard error that says what is wrong, prints
    nothing else, and leaves the accounts as they were."""
    args, stdin, message = CLI_REFUSALS[case]
    before = clinic.accounts.accounts()

    outcome = lumbar(clinic, "admin", *args, input=stdin)

    assert (outcome.code, outcome.stdout, outcome.stderr) == (2, "", message + "\n")
    assert clinic.accounts.accounts() == before
    assert audit.entries(clinic.accounts) == []
