"""The questions of the interactive intake and check-in.

Answers are checked as they are given, and a wrong answer is asked again with the reason,
so an interactive run never ends in an error for a typo.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from rich.console import Console
from rich.prompt import Confirm, Prompt
from rich.text import Text

from lumbar.cli.render import topic as render_topic
from lumbar.content.load import Content
from lumbar.domain.loads import Unit
from lumbar.domain.model import Alert, Level
from lumbar.domain.schedule import refuse_training_days, training_days_from_choice
from lumbar.domain.screening import refuse_minor
from lumbar.errors import UserError
from lumbar.formats.intake import EquipmentAnswer, IntakeAnswers, PsfsAnswer
from lumbar.usecases.problems import FallAnswers

_T = TypeVar("_T")

TIER_HEADINGS = {
    Level.EMERGENCY: "Signs that need emergency care",
    Level.URGENT: "Signs to see a doctor about today",
    Level.SEE_CLINICIAN: "Signs to have checked in the next few days",
}


def ask(console: Console, question: str, parse: Callable[[str], _T], *, default: str = "") -> _T:
    """Ask until `parse` accepts the answer; it raises ValueError with the reason otherwise."""
    while True:
        answer = Prompt.ask(question, console=console, default=default, show_default=bool(default))
        try:
            return parse(answer.strip())
        except ValueError as error:
            console.print(Text(f"  {error}", style="yellow"))


def whole_number(low: int, high: int, *, optional: bool = False) -> Callable[[str], int | None]:
    def parse(text: str) -> int | None:
        if not text and optional:
            return None
        if not text.isdigit() or not low <= int(text) <= high:
            raise ValueError(f"please answer with a whole number from {low} to {high}")
        return int(text)

    return parse


def _required(parse: Callable[[str], int | None]) -> Callable[[str], int]:
    def strict(text: str) -> int:
        value = parse(text)
        if value is None:
            raise ValueError("please answer")
        return value

    return strict


def _pick(count: int, enter: str) -> Callable[[str], list[int]]:
    """Parse "2, 5" into the (0-based) positions of a numbered list; Enter gives none."""

    def parse(text: str) -> list[int]:
        if not text or text.lower() in ("none", "no", "0", "all"):
            return []
        picked = []
        for part in text.replace(" ", ",").split(","):
            if not part:
                continue
            if not part.isdigit() or not 1 <= int(part) <= count:
                raise ValueError(f"type numbers from 1 to {count}, {enter}")
            picked.append(int(part) - 1)
        return list(dict.fromkeys(picked))

    return parse


def symptoms(console: Console, content: Content) -> list[str]:
    """Show every red-flag question, grouped by tier; return the codes the person picks."""
    numbered = []
    for level, heading in TIER_HEADINGS.items():
        console.print(Text(heading, style="bold"))
        for symptom in content.symptoms.values():
            if symptom.level is level:
                numbered.append(symptom.code)
                console.print(f"  {len(numbered):>2}. {symptom.question}")

    picked = ask(
        console,
        "Type the numbers that apply, separated by commas (Enter if none)",
        _pick(len(numbered), "or press Enter"),
    )
    return [numbered[i] for i in picked]


def intake(
    console: Console,
    content: Content,
    screen: Callable[[list[str]], None],
    *,
    unit: Unit = Unit.KG,
) -> IntakeAnswers:
    """The intake questions; `screen` is called with the red flags as soon as they are known
    (it raises to stop the intake over an emergency sign), unless the person says a
    clinician has already seen them about what they report."""
    console.print(Text("Welcome to lumbar.", style="bold"))
    if "disclaimer" in content.topics:
        console.print()
        render_topic(console, content.topics["disclaimer"])
    understood = Confirm.ask(
        "\nHave you read this, and do you understand it?", console=console, default=False
    )
    if not understood:
        raise UserError(
            "the program starts once you have read the safety information and understand it; "
            "run `lumbar learn disclaimer` to read it again"
        )
    console.print("\nA few questions first; they take about two minutes.\n")
    age = ask(console, "Your age", _required(whole_number(0, 120)))
    refusal = refuse_minor(age)
    if refusal is not None:
        raise UserError(content.say(refusal))
    pain = weekly_pain(console)
    pain_weeks = ask(
        console,
        "How many weeks ago did this episode of back pain begin? (0 if this week)",
        _required(whole_number(0, 5200)),
    )
    console.print("\nHave you noticed any of these since your back pain began?")
    flags = symptoms(console, content)
    seen_by = ""
    if flags:
        seen = Confirm.ask(
            "Has a doctor or physical therapist already seen you about this since it began, "
            "and cleared you to exercise?",
            console=console,
            default=False,
        )
        if seen:
            seen_by = ask(console, "Who saw you? (a name or a role, such as Dr Rao)", _who)
    if not seen_by:
        screen(flags)
    days = ask(
        console,
        "Your training days (for example mon,wed,fri or every-other-day)",
        _days(content),
        default="mon,wed,fri",
    )
    console.print(
        "\nName 3 activities (up to 5) that your back makes hard, such as 'lift groceries', "
        "and rate each from 0 (can't do it) to 10 (as well as before). "
        "Press Enter on an empty activity when you are done."
    )
    psfs: list[PsfsAnswer] = []
    while len(psfs) < 5:
        activity = Prompt.ask(
            f"Activity {len(psfs) + 1}", console=console, default="", show_default=False
        ).strip()
        if not activity:
            if psfs:
                break
            console.print(Text("  please name at least one activity", style="yellow"))
            continue
        score = activity_score(console, activity)
        psfs.append(PsfsAnswer(activity=activity[:200], score=score))
    chosen, equipment = equipment_questions(console, unit)
    return IntakeAnswers(
        understood=True,
        age=age,
        pain=pain,
        pain_weeks=pain_weeks,
        red_flags=flags,
        seen_by=seen_by or None,
        days=days,
        psfs=psfs,
        unit=chosen.value,
        equipment=equipment,
    )


def equipment_questions(console: Console, unit: Unit) -> tuple[Unit, EquipmentAnswer]:
    """What the person has to lift, and the unit they read weights in (`unit`: the
    locale's, the default answer)."""
    from lumbar.usecases.equipment import amounts, owned, unit_named

    console.print(
        "\nThe third phase uses a light weight. What do you have at home? With nothing, "
        "lumbar suggests something from home, weighed out."
    )

    def parse_unit(text: str) -> Unit:
        try:
            return unit_named(text)
        except UserError as error:
            raise ValueError(error.message) from error

    chosen = ask(console, "Weights in kg or lb?", parse_unit, default=unit.value)

    def weights(text: str) -> list[float]:
        try:
            typed = amounts(text, field="weights")
            found = owned(typed, (), band=False, unit=chosen)
        except UserError as error:
            raise ValueError(error.message) from error
        return [w.in_unit(chosen) for w in found.weights]

    dumbbells = ask(
        console, f"Dumbbells: the weight of each, in {chosen.value} (Enter for none)", weights
    )
    kettlebells = ask(
        console, f"A kettlebell: its weight, in {chosen.value} (Enter for none)", weights
    )
    band = Confirm.ask("A resistance band?", console=console, default=False)
    return chosen, EquipmentAnswer(dumbbells=dumbbells, kettlebells=kettlebells, band=band)


def _who(text: str) -> str:
    if not text:
        raise ValueError("please give a name or a role")
    if len(text) > 200:
        raise ValueError("please keep it to 200 characters")
    return text


def _days(content: Content) -> Callable[[str], str]:
    def parse(text: str) -> str:
        chosen = training_days_from_choice(text)
        refusal = refuse_training_days(chosen)
        if refusal is not None:
            raise ValueError(content.say(refusal))
        return text

    return parse


def weekly_pain(console: Console) -> int:
    return ask(
        console,
        "Your average back pain over the past week, 0 (none) to 10 (worst imaginable)",
        _required(whole_number(0, 10)),
    )


def activity_score(console: Console, activity: str) -> int:
    """One PSFS rating: 0 (can't do it) to 10 (as well as before the back pain)."""
    return ask(console, f"How well can you {activity} now (0-10)?", _required(whole_number(0, 10)))


def checkin(
    console: Console, content: Content, activities: tuple[str, ...]
) -> tuple[int, tuple[int, ...], list[str]]:
    """The weekly check-in: pain, each activity, and the screening questions again."""
    pain = weekly_pain(console)
    scores = tuple(activity_score(console, activity) for activity in activities)
    console.print("\nAnything new since your last check-in?")
    return pain, scores, symptoms(console, content)


def clearance(
    console: Console, content: Content, standing: tuple[Alert, ...]
) -> tuple[str, tuple[str, ...]]:
    """Which standing alerts a clinician cleared, and who: the answers of `lumbar clear`."""
    if not standing:
        raise UserError("nothing to clear: no alert stands today")
    console.print(Text("The alerts standing:", style="bold"))
    for number, alert in enumerate(standing, start=1):
        label = content.wording.symptom_labels.get(alert.code, alert.code)
        console.print(f"  {number:>2}. {label} (since {alert.since.isoformat()})")

    picked = ask(
        console,
        "Which did the clinician clear? (numbers, Enter for all)",
        _pick(len(standing), "or press Enter for all"),
    )
    codes = tuple(standing[i].code for i in picked)
    by = ask(console, "Who saw you? (a name or a role, such as Dr Rao)", _who)
    return by, codes


def fall(console: Console, content: Content, codes: tuple[str, ...]) -> FallAnswers:
    """A fall's questions, asked at once: the injury, fragility, then the signs that need care."""
    hurt = Confirm.ask(
        "Did the fall hurt your back, or make your back pain worse?", console=console, default=True
    )
    major = fragile = False
    if hurt:
        major = Confirm.ask(
            content.symptoms["major_trauma"].question, console=console, default=False
        )
        if not major:
            fragile = Confirm.ask(
                content.symptoms["steroids_osteoporosis"].question,
                console=console,
                default=False,
            )
    console.print("\nSince the fall, have you noticed any of these?")
    signs = pick_symptoms(console, content, codes)
    return FallAnswers(hurt, major, fragile, tuple(signs))


def pick_symptoms(console: Console, content: Content, codes: tuple[str, ...]) -> list[str]:
    """Some of the screening questions, numbered; the codes the person picks."""
    numbered = [content.symptoms[code] for code in codes]
    for number, symptom in enumerate(numbered, start=1):
        console.print(f"  {number:>2}. {symptom.question}")
    picked = ask(
        console,
        "Type the numbers that apply, separated by commas (Enter if none)",
        _pick(len(numbered), "or press Enter"),
    )
    return [numbered[i].code for i in picked]
