"""The questions after each exercise in the terminal: how it felt, a comment on it, why it
is skipped, and whether a stop (Ctrl-C) was for pain.

Each takes the number shown beside its choice or the word `lumbar log` takes for it (the
same parser, cli/arguments.py), so a person types at the prompt what the options say.
"""

from __future__ import annotations

from rich.console import Console
from rich.prompt import Prompt
from rich.text import Text

from lumbar.cli.arguments import pain_word
from lumbar.cli.timer import STOP_KEYS
from lumbar.content.wording import SKIP_WORDS
from lumbar.domain.model import SKIP_NOTE_MAX, Pain, SkipReason

PAIN_CHOICES = {
    "1": Pain.NONE,
    "2": Pain.ACHE,
    "3": Pain.SHARP,
    "4": Pain.RADIATING,
}
PAIN_LABELS = {
    Pain.NONE: "no pain",
    Pain.ACHE: "a dull ache or tired muscles",
    Pain.SHARP: "sharp or stabbing pain",
    Pain.RADIATING: "pain travelling down my leg",
}
SKIP_CHOICES = {
    "1": SkipReason.NO_EQUIPMENT,
    "2": SkipReason.NO_TIME,
    "3": SkipReason.FLOOR,
    "4": SkipReason.OTHER,
    # The words of `lumbar log --skip ID=REASON` too.
    **{reason.value: reason for reason in SkipReason},
}


def stopped(console: Console) -> Pain:
    """Ctrl-C during an exercise: was it pain? Sharp or down the leg is recorded for this
    exercise at once; anything else ends the session as Ctrl-C always did."""
    console.print()
    answer = Prompt.ask(
        "Stopped. Was it pain? 3 = sharp pain, 4 = pain down your leg, Enter = just stop",
        console=console,
        default="",
        show_default=False,
    ).strip()
    if answer in STOP_KEYS:
        return STOP_KEYS[answer]
    try:
        pain = pain_word(answer)
    except ValueError:
        raise KeyboardInterrupt from None
    if pain.is_bad:
        return pain
    raise KeyboardInterrupt


def ask_pain(console: Console) -> Pain:
    """The pain question: its number, or the word `lumbar log` takes (none, ache, sharp,
    radiating: the same parser)."""
    console.print("How did that feel?")
    for key, pain in PAIN_CHOICES.items():
        console.print(f"  {key}. {PAIN_LABELS[pain]} ({pain.value})")
    while True:
        answer = Prompt.ask("Your answer (1-4)", console=console).strip()
        if answer in PAIN_CHOICES:
            return PAIN_CHOICES[answer]
        try:
            return pain_word(answer)
        except ValueError:
            console.print(
                Text("  please type 1, 2, 3 or 4 (or none, ache, sharp, radiating)", style="yellow")
            )


COMMENT_QUESTION = "Anything to add about this exercise? (Enter to skip)"


def ask_comment(console: Console) -> str | None:
    """The comment after the pain answer (issue #20): a few words for the physical
    therapist, or None (Enter). Its checks are the use case's, which the guide asks again
    after (usecases/comments.py), so the terminal and the web player refuse the same."""
    answer = Prompt.ask(COMMENT_QUESTION, console=console, default="", show_default=False)
    return answer if answer.strip() else None


def ask_skip(console: Console) -> tuple[SkipReason, str] | None:
    """Why an exercise is skipped, or None (Enter): left out without a reason."""
    console.print("Why skip it? (it keeps its dose; Enter leaves it out without a reason)")
    for key, reason in SKIP_CHOICES.items():
        if key.isdigit():
            console.print(f"  {key}. {SKIP_WORDS[reason.value]} ({reason.value})")
    while True:
        answer = Prompt.ask("Your reason (1-4)", console=console, default="", show_default=False)
        answer = answer.strip().lower()
        if not answer:
            return None
        if answer in SKIP_CHOICES:
            break
        console.print(Text("  please type 1, 2, 3 or 4, or press Enter", style="yellow"))
    reason = SKIP_CHOICES[answer]
    if reason is not SkipReason.OTHER:
        return reason, ""
    while True:
        note = " ".join(Prompt.ask("In a few words, why?", console=console).split())
        if note and len(note) <= SKIP_NOTE_MAX:
            return reason, note
        console.print(Text(f"  a few words, up to {SKIP_NOTE_MAX} characters", style="yellow"))
