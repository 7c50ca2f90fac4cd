"""The docs are held to the code: every rule, command, option and JSON key is documented."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from lumbar.cli.main import app
from lumbar.domain.rules import RULES

ROOT = Path(__file__).resolve().parents[2]
RULES_MD = (ROOT / "docs" / "rules.md").read_text()
CLI_MD = (ROOT / "docs" / "cli.md").read_text()
WITHOUT = {
    "serve": {"--json"},
    **{
        f"admin {name}": {"--date"}
        for name in (
            "create-user",
            "users",
            "disable",
            "enable",
            "reset-link",
            "reset-two-factor",
            "invite",
            "invitations",
            "resend-invitation",
            "revoke-invitation",
            "audit",
            "move-patients",
        )
    },
    "records delete": {"--date"},
    "records undo": {"--date"},
    "devices revoke": {"--date"},
}
"""Commands that do without a global option (the web app prints no JSON; accounts are
changed at the time they are changed, and so are corrections: `records edit` takes
`--date` as the record's new day)."""
GLOBAL_OPTIONS = ("--db", "--date", "--json")


def _sections(text: str, level: str) -> dict[str, str]:
    parts = re.split(rf"^{level} (.+)$", text, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def test_every_rule_id_has_a_section_in_rules_md() -> None:
    headings = set(_sections(RULES_MD, "###"))
    assert sorted(set(RULES) - headings) == []
    assert sorted(h for h in headings - set(RULES)) == []


def test_every_rule_section_says_what_triggers_it() -> None:
    for rule_id, body in _sections(RULES_MD, "###").items():
        assert "Trigger" in body, rule_id


def _commands() -> dict[str, Any]:
    """Every command by its full name; a group's commands as "group command"."""
    group = typer.main.get_command(app)
    found: dict[str, Any] = {}
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        if hasattr(command, "commands"):
            found.update({f"{name} {sub}": c for sub, c in command.commands.items()})
        else:
            found[name] = command
    return found


def test_every_command_is_documented_with_its_options_and_has_help() -> None:
    sections = _sections(CLI_MD, "##")
    globals_section = sections["Options every command takes"]
    for option in GLOBAL_OPTIONS:
        assert f"`{option}" in globals_section
    for name, command in _commands().items():
        assert command.help, name
        section = sections.get(f"lumbar {name}")
        assert section is not None, f"docs/cli.md has no section for `lumbar {name}`"
        for param in command.params:
            for flag in param.opts:
                if flag.startswith("--") and flag not in GLOBAL_OPTIONS:
                    assert flag in section, f"`lumbar {name}` does not document {flag}"
            expected = set(GLOBAL_OPTIONS) - WITHOUT.get(name, set())
            assert expected <= {o for p in command.params for o in p.opts}, name


def _keys(document: Any) -> Iterator[str]:
    if isinstance(document, dict):
        for key, value in document.items():
            if not key.isdigit():  # the keys of `doses` are phase numbers, not names
                yield key
            if key != "facts":  # rule facts are documented per rule in docs/rules.md
                yield from _keys(value)
    elif isinstance(document, list):
        for item in document:
            yield from _keys(item)


@pytest.fixture
def outputs(tmp_path: Path) -> list[Any]:
    runner = CliRunner()
    db = str(tmp_path / "docs.db")
    answers = tmp_path / "answers.json"
    answers.write_text(
        json.dumps(
            {
                "understood": True,
                "age": 44,
                "pain": 5,
                "pain_weeks": 20,
                "psfs": [{"activity": "walk the dog", "score": 4}],
            }
        )
    )
    documents = []

    def run(*args: str, into: str = db) -> None:
        result = runner.invoke(app, [*args, "--db", into])
        assert result.exit_code == 0, result.output
        documents.append(json.loads(result.stdout))

    run("start", "--answers", str(answers), "--date", "2026-11-02", "--json")
    run("log", "-e", "cat-cow=sharp", "--date", "2026-11-02", "--json")
    run("today", "--date", "2026-11-03", "--json")
    run("checkin", "--pain", "4", "--psfs", "6", "--symptom", "fever", "--date", "2026-11-09",
        "--json")  # fmt: skip
    run("clear", "--by", "Dr Rao", "--alert", "fever", "--date", "2026-11-10", "--json")
    run("checkin", "--screened", "--date", "2026-11-11", "--json")
    run("status", "--date", "2026-12-10", "--json")
    run("records", "--json")
    run("records", "edit", "c5", "--pain", "3", "--json")
    run("records", "delete", "c5", "--json")
    run("records", "undo", "c5", "--json")
    run("exercises", "--json")
    run("exercises", "squat", "--json")
    run("learn", "--json")
    run("learn", "breathing", "--json")
    run("export", "--json")
    export = tmp_path / "export.json"
    export.write_text(json.dumps(documents[-1]))
    documents.append({"exported_at": None})
    run("import", str(export), "--json", into=str(tmp_path / "other.db"))
    return documents


def test_every_json_key_is_documented_in_cli_md(outputs: list[Any]) -> None:
    keys = {key for document in outputs for key in _keys(document)}
    missing = sorted(key for key in keys if f"`{key}`" not in CLI_MD)
    assert missing == []


def test_the_readme_opens_with_the_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```sh\n(.*?)```", readme, flags=re.DOTALL)
    assert block is not None and readme.index("```sh") < readme.index("\n\n", 12) + 3
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    assert commands == ["make run", "make test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "\nmake test\n" in ci
