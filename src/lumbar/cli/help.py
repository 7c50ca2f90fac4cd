"""What every command's help says beyond its options, in one place: the summary in the
command list, examples to copy (like gh's), and where the codes it accepts are listed.

Kept apart from the commands so that the whole command line reads alike, and so that a
test can hold every command to it (tests/cli/test_help.py). Only strings and Typer here:
`lumbar --help` must stay fast.
"""

from __future__ import annotations

from typing import Any

import typer

SYMPTOM_CODES = (
    "saddle_numbness, bladder_bowel, sexual_dysfunction, both_legs, leg_weakness_worsening, "
    "major_trauma, minor_trauma_fragile, chest_pain, fever, weight_loss, deformity, "
    "night_pain, cough_sneeze, thoracic_pain, cancer_history, infection_risk, "
    "recent_spinal_surgery, trauma, steroids_osteoporosis, leg_numbness, leg_weakness, "
    "below_knee_pain, pregnancy, not_coping"
)
"""The screening codes `--symptom` takes, as content/symptoms.toml names them (a test holds
this list to the content; `lumbar learn disclaimer` says what each sign is)."""

SUMMARIES = {
    "start": "Start the program: screening, days, pain, activities.",
    "today": "Show the day's plan, or why the program is paused.",
    "session": "Be guided through today's session, with timers.",
    "log": "Record a session without the guide.",
    "checkin": "The weekly check-in, or a new symptom at any time.",
    "clear": "Record that a clinician cleared you to exercise.",
    "status": "Show your phase, sessions, alerts and progress.",
    "days": "Show or change your training days.",
    "alternative": "Do an exercise on a chair or standing instead.",
    "equipment": "Show or change your equipment and weight unit.",
    "exercises": "List the exercises, or show one in full.",
    "learn": "Read about back pain and the program.",
    "export": "Print all your data as one JSON document.",
    "import": "Load an export into a database.",
    "backup": "Copy the whole database into a file.",
    "restore": "Put a backup back into the database.",
    "calendar": "Print the coming weeks as an iCalendar file.",
    "handout": "Write the printable handout (PDF).",
    "summary": "Write the one-page summary for a clinician.",
    "problem": "Report a problem for your clinician, or list them.",
    "serve": "Start the web app and print its address.",
    "records": "Your records with their ids, and corrections.",
    "records edit": "Correct what a record says.",
    "records delete": "Delete a record (undo brings it back).",
    "records undo": "Undo the last edit or delete of a record.",
    "devices": "The devices paired with the app on this computer.",
    "devices revoke": "Revoke a paired device.",
    "admin": "Accounts of a clinic's server.",
    "admin create-user": "Make an account: clinician, admin or patient.",
    "admin users": "List every account.",
    "admin disable": "Disable an account and sign it out everywhere.",
    "admin enable": "Enable a disabled account again.",
    "admin reset-link": "Print a one-time link to choose a new password.",
    "admin reset-two-factor": "Turn off a staff account's two-step sign-in (a lost phone).",
    "admin invite": "Print a one-time link for a new patient.",
    "admin move-patients": "Hand a clinician's patients over to another clinician.",
    "admin invitations": "The pending invitations of a clinician or a clinic.",
    "admin resend-invitation": "A new link for an invitation; the old one stops.",
    "admin revoke-invitation": "Stop a pending invitation's link working.",
    "admin audit": "The audit log of clinicians' and admins' reads.",
    "admin send-digest": "Mail each clinician the patients with new concerns (daily).",
    "admin refresh-summaries": "Compute again the dashboard's summaries the date made stale.",
}
"""Each command's line in the command list: whole at 80 columns (Click cuts longer ones)."""

EXAMPLES: dict[str, tuple[str, ...]] = {
    "": ("lumbar", "lumbar today", "lumbar session", "lumbar exercises bird-dog"),
    "start": ("lumbar start", "lumbar start --answers answers.json --date 2026-11-02"),
    "today": ("lumbar today", "lumbar today --date 2026-12-09 --json"),
    "session": ("lumbar session", "lumbar session --no-timers --quiet"),
    "log": (
        "lumbar log -e cat-cow=none -e bird-dog=ache",
        "lumbar log --skip squat=no_equipment -e cat-cow=none --date 2026-12-09",
        "lumbar log --swap squat=chair -e squat=none",
        'lumbar log -e squat=ache --comment "squat=tight on the left"',
    ),
    "checkin": (
        "lumbar checkin",
        "lumbar checkin --pain 4 --psfs 6,5,7",
        "lumbar checkin --symptom fever",
    ),
    "clear": ("lumbar clear", "lumbar clear --by 'Dr Rao' --alert fever"),
    "status": ("lumbar status", "lumbar status --json"),
    "days": ("lumbar days", "lumbar days mon,wed,fri", "lumbar days every-other-day"),
    "alternative": ("lumbar alternative", "lumbar alternative squat chair"),
    "equipment": (
        "lumbar equipment",
        "lumbar equipment --dumbbells '2, 4' --unit kg",
        "lumbar equipment --nothing",
    ),
    "exercises": (
        "lumbar exercises",
        "lumbar exercises bird-dog",
        "lumbar exercises squat --svg squat.svg --poses",
    ),
    "learn": ("lumbar learn", "lumbar learn breathing"),
    "export": ("lumbar export --out lumbar.json", "lumbar export --format fhir --out fhir.json"),
    "import": ("lumbar import lumbar.json", "lumbar import lumbar.json --replace"),
    "backup": ("lumbar backup lumbar-backup.db",),
    "restore": ("lumbar restore lumbar-backup.db", "lumbar restore lumbar-backup.db --force"),
    "calendar": (
        "lumbar calendar --out plan.ics",
        "lumbar calendar --at 07:30 --weeks 8",
        "lumbar calendar --link --server http://127.0.0.1:8000",
    ),
    "handout": ("lumbar handout --out handout.pdf --size letter",),
    "summary": ("lumbar summary --out summary.pdf", "lumbar summary --out summary.html"),
    "problem": (
        "lumbar problem",
        "lumbar problem fall",
        "lumbar problem pain_after_session --note 'sore the next morning'",
    ),
    "serve": ("lumbar serve", "lumbar serve --phone", "lumbar serve --port 8080"),
    "records": ("lumbar records", "lumbar records --json"),
    "records edit": ("lumbar records edit c5 --pain 3", "lumbar records edit s2 -e cat-cow=ache"),
    "records delete": ("lumbar records delete c5",),
    "records undo": ("lumbar records undo c5",),
    "devices": ("lumbar devices",),
    "devices revoke": ("lumbar devices revoke 2",),
    "admin": ("lumbar admin users",),
    "admin create-user": (
        "lumbar admin create-user ana@clinic.example --role clinician --clinic Riverside",
    ),
    "admin users": ("lumbar admin users",),
    "admin disable": ("lumbar admin disable ana@clinic.example",),
    "admin enable": ("lumbar admin enable ana@clinic.example",),
    "admin reset-link": ("lumbar admin reset-link ana@clinic.example --send",),
    "admin reset-two-factor": ("lumbar admin reset-two-factor ana@clinic.example",),
    "admin invite": ('lumbar admin invite ana@clinic.example --name "Ann Lee" --born 1961-02-03',),
    "admin invitations": ("lumbar admin invitations ana@clinic.example",),
    "admin resend-invitation": (
        "lumbar admin resend-invitation ana@clinic.example 3f9c2a7b1e4d8c06 --send",
    ),
    "admin revoke-invitation": (
        "lumbar admin revoke-invitation ana@clinic.example 3f9c2a7b1e4d8c06",
    ),
    "admin audit": ("lumbar admin audit --out audit.csv",),
    "admin move-patients": (
        "lumbar admin move-patients ana@clinic.example ben@clinic.example --by al@clinic.example",
    ),
    "admin send-digest": ("lumbar admin send-digest --base-url https://lumbar.clinic.example",),
    "admin refresh-summaries": ("lumbar admin refresh-summaries",),
}
"""Commands to copy, each one a test parses (the command and its options exist)."""

CODES = {
    "log": "The exercise ids: `lumbar exercises`; the alternatives: `lumbar alternative`.",
    "checkin": f"Symptom codes: {SYMPTOM_CODES}.",
    "clear": "The alert codes: `lumbar status --json` (each alert's code).",
    "alternative": "The exercise ids and their alternatives: `lumbar alternative`.",
    "exercises": "The exercise ids: `lumbar exercises`.",
    "learn": "The topics: `lumbar learn`.",
    "problem": f"Symptom codes: {SYMPTOM_CODES}.",
    "records edit": "The ids: `lumbar records`; exercise ids: `lumbar exercises`; "
    f"symptom codes: {SYMPTOM_CODES}.",
    "records delete": "The ids: `lumbar records`.",
    "records undo": "The ids: `lumbar records`.",
    "devices revoke": "The ids: `lumbar devices`.",
}
"""Where the codes a command takes from the content are listed: the list itself when it is
short and fixed, else the command that lists them."""


def epilog(name: str) -> str:
    """The text after the options: the examples, one a line (Click's `\\b` keeps them
    unwrapped), then where the codes are listed."""
    lines = ["Examples:\n\n\b", *(f"  $ {example}" for example in EXAMPLES[name])]
    text = "\n".join(lines)
    if name in CODES:
        text += "\n\n" + CODES[name]
    return text


def _strip_braces(pieces: list[str]) -> list[str]:
    """Typer writes a required argument as {FILE} in the usage line: FILE, as git does."""
    return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]


class Command(typer.core.TyperCommand):
    """A command whose arguments are named in capitals, and whose usage line says them as
    words (FILE, ID), never {FILE} or a type."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if getattr(param, "param_type_name", "") == "argument" and param.metavar is None:
                param.metavar = (param.name or "value").upper()

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return _strip_braces(super().collect_usage_pieces(ctx))


def dress(app: typer.Typer, prefix: str = "") -> None:
    """Give every command of `app` (and of its groups) its summary, examples and class."""
    for info in app.registered_commands:
        name = f"{prefix}{info.name}"
        if info.cls in (None, typer.core.TyperCommand):  # Typer's default: ours instead
            info.cls = Command
        info.short_help = info.short_help or SUMMARIES[name]
        info.epilog = info.epilog or epilog(name)
    for group in app.registered_groups:
        name = f"{prefix}{group.name}"
        sub = group.typer_instance
        assert sub is not None
        group.short_help = group.short_help or SUMMARIES[name]
        group.epilog = group.epilog or epilog(name)
        dress(sub, prefix=f"{name} ")
