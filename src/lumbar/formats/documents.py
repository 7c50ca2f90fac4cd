"""The printable handout and the clinician summary, as HTML (which `pdf.py` prints).

Both are Jinja2 templates in `handouts/templates/`, filled from the same domain values the
screens show: the plan of the next session, the program's status and progress, the
problem reports. The figures are the exercises' key positions with their colours as
attributes, because PDF makers draw SVG without its style sheet; their labels are the
page's own text under each figure (text inside a drawing shrinks with it), and their
titles say what they show (the PDF's alternative text).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from lumbar.content.load import Content
from lumbar.content.wording import days_words, format_date, pain_change_words, skip_said
from lumbar.domain.loads import Unit
from lumbar.domain.model import (
    CheckIn,
    History,
    Level,
    Moment,
    Pain,
    PlannedExercise,
    ProblemReport,
    SessionLog,
    Status,
)
from lumbar.domain.program import Program
from lumbar.domain.reminders import Reminders
from lumbar.domain.rules import RuleId
from lumbar.formats.views import (
    describe_dose,
    phase_goal,
    taught,
    taught_cautions,
    taught_name,
)

if TYPE_CHECKING:
    from jinja2 import Environment

    from lumbar.domain.access import Account
    from lumbar.domain.progress import Progress
    from lumbar.figures.drawings import Drawings

TEMPLATES = Path(__file__).parent / "templates"
SUMMARY_STYLE = (TEMPLATES / "summary.css").read_text(encoding="utf-8")
"""The summary's style, written whole into the page (it stands alone as a file and a PDF);
a web server allows this one text by its hash in its Content-Security-Policy."""
SIZES = {"a4": "A4", "letter": "Letter"}
LEVEL_WORDS = {
    Level.EMERGENCY: "Emergency",
    Level.URGENT: "Urgent",
    Level.SEE_CLINICIAN: "See a clinician",
    Level.INFO: "Note",
}


@functools.cache
def _environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"])
    )
    environment.filters["long_date"] = format_date
    # The one wording of a change in pain (content/wording.py), as the pages and messages.
    environment.filters["pain_change"] = pain_change_words
    return environment


@dataclass(frozen=True, slots=True)
class HandoutExercise:
    name: str
    figure: str
    poses: tuple[str, ...]
    """What each key pose of the figure shows, left to right: the caption under it."""
    steps: tuple[str, ...]
    dose: str
    reduced: str | None
    cautions: tuple[str, ...] = ()
    note: str | None = None
    """The clinician's note on this exercise, as plain text (escaped when rendered)."""


def handout_html(
    *,
    on: date,
    content: Content,
    drawings: Drawings,
    program: Program,
    status: Status,
    exercises: Sequence[PlannedExercise],
    reminders: Reminders,
    size: str,
    unit: Unit,
    notes: str = "",
    exercise_notes: Mapping[str, str] | None = None,
) -> str:
    """One page: this phase's exercises, the week, the pain rules and the warning signs;
    and the clinician's notes (on the program, and on single exercises) when a clinician
    prescribed the program."""
    from markupsafe import Markup

    from lumbar.figures.drawings import Picture
    from lumbar.figures.svg import for_print

    phase = program.phase(status.phase)
    shown = []
    for planned in exercises:
        exercise = content.catalogue[planned.exercise_id]
        figure = for_print(drawings.svg(exercise.id, Picture.PRINT, version=planned.version))
        name = taught_name(exercise, planned.version)
        shown.append(
            HandoutExercise(
                f"Warm-up: {name}" if planned.warm_up else name,
                Markup(figure),  # noqa: S704 (drawn by lumbar.figures, text escaped there)
                tuple(drawings.labels(exercise.id, planned.version)),
                taught(exercise, planned.version).steps,
                describe_dose(planned.dose, per_side=exercise.per_side, unit=unit),
                exercise.reduced_range if planned.range.value == "reduced" else None,
                taught_cautions(exercise, planned.version),
                (exercise_notes or {}).get(exercise.id),
            )
        )
    symptoms = {
        level: [s.label for s in content.symptoms.values() if s.level is level]
        for level in (Level.EMERGENCY, Level.URGENT)
    }
    return (
        _environment()
        .get_template("handout.html")
        .render(
            on=on,
            page=SIZES[size],
            phase=phase,
            goal=phase_goal(phase, program, unit),
            phases=len(program.phases),
            exercises=shown,
            days=_days(program),
            session_time=reminders.session_time.strftime("%H:%M"),
            paused=any(a.level.blocks for a in status.alerts),
            # Each caution once, in the order the exercises come (several share one).
            cautions=list(dict.fromkeys(c for e in shown for c in e.cautions)),
            cleared=[
                content.say(a.decision)
                for a in status.alerts
                if a.decision.rule in (RuleId.SCREENING_CLEARED, RuleId.SCREENING_CLEARED_REPORTED)
            ],
            window=program.thresholds.radiating_window_days,
            emergency=symptoms[Level.EMERGENCY],
            urgent=symptoms[Level.URGENT],
            notes=notes,
        )
    )


def _days(program: Program) -> str:
    return days_words(program.training_days.label)


@dataclass(frozen=True, slots=True)
class BadPain:
    on: date
    exercise: str
    pain: str


@dataclass(frozen=True, slots=True)
class Commented:
    """The person's comment on an exercise (issue #20), with the answer it was given with."""

    on: date
    exercise: str
    pain: str
    said: str


COMMENTS_SHOWN = 6
COMMENTS_ROOM = 400
"""The summary prints the latest comments, at most `COMMENTS_SHOWN` of them and together
no longer than `COMMENTS_ROOM` characters (the latest always), so that after a year of
long comments the page is still one page; every comment is in the records, the FHIR
Bundle and the clinician's session list."""


def latest_comments(comments: Sequence[Commented]) -> list[Commented]:
    shown: list[Commented] = []
    room = COMMENTS_ROOM
    for comment in reversed(comments):
        if shown and (len(shown) == COMMENTS_SHOWN or len(comment.said) > room):
            break
        shown.insert(0, comment)
        room -= len(comment.said)
    return shown


def summary_html(
    *,
    on: date,
    content: Content,
    history: History,
    program: Program,
    progress: Progress,
    problems: Sequence[ProblemReport],
    back: tuple[str, str] | None = None,
    patient: Account | None = None,
    outcome_rows: Sequence[tuple[str, str, str]] = (),
) -> str:
    """What a physical therapist reads in one minute before an assessment: one A4 or
    Letter page printed, a page that reflows on a screen (with `back`, a link back).
    `patient`: who it is about, on a clinic's server (local mode knows no name).
    `outcome_rows`: the outcome measures a clinician entered (formats/scores.py)."""
    from lumbar.formats import charts

    status = progress.status
    improvement = status.improvement
    names = content.wording.exercise_names
    bad = [
        BadPain(event.on, names[r.exercise_id], _PAIN_WORDS[r.pain])
        for event in history.events
        if isinstance(event, SessionLog) and event.on <= on
        for r in event.results
        if r.pain.is_bad
    ]
    skipped = [
        BadPain(event.on, names[k.exercise_id], skip_said(k.reason.value, k.note))
        for event in history.events
        if isinstance(event, SessionLog) and event.on <= on
        for k in event.skipped
    ]
    comments = [
        Commented(
            event.on, names[r.exercise_id], content.wording.fact("pain", r.pain.value), r.comment
        )
        for event in history.events
        if isinstance(event, SessionLog) and event.on <= on
        for r in event.results
        if r.comment
    ]
    symptoms = [
        (event.on, [content.symptoms[code].label for code in event.symptoms])
        for event in history.events
        if isinstance(event, CheckIn) and event.symptoms and event.on <= on
    ]
    psfs_now = _latest_psfs(history, on)
    profile = history.profile
    return (
        _environment()
        .get_template("summary.html")
        .render(
            on=on,
            patient=patient,
            profile=profile,
            days=_days(program),
            improvement=improvement,
            pain_target=progress.pain_target,
            pain_target_pct=progress.pain_target_pct,
            psfs_rows=[
                (activity, first, psfs_now[i] if psfs_now else None)
                for i, (activity, first) in enumerate(
                    zip(profile.psfs_activities, _first_psfs(history), strict=True)
                )
            ],
            style=SUMMARY_STYLE,
            pain_chart=charts.pain_chart(progress),
            status=status,
            phase_name=program.phase(status.phase).name,
            phases=[(change, content.say(change.decision)) for change in status.phase_history],
            # The milestones that are not phase changes (those are in the phases' table).
            milestones=[
                (m, content.wording.title(m), content.say(m.decision))
                for m in status.milestones
                if m.moment not in (Moment.PHASE_UP, Moment.PHASE_BACK)
            ],
            alerts=[(LEVEL_WORDS[a.level], a, content.say(a.decision)) for a in status.alerts],
            bad=bad,
            skipped=skipped,
            comments=latest_comments(comments),
            comment_count=len(comments),
            symptoms=symptoms,
            problems=problems,
            problem_words=_PROBLEM_WORDS,
            back=back,
            outcome_rows=outcome_rows,
        )
    )


_PAIN_WORDS = {Pain.SHARP: "sharp pain", Pain.RADIATING: "pain down the leg"}
_PROBLEM_WORDS = {
    "pain_after_session": "More pain after a session",
    "fall": "A fall",
    "other": "Other",
}


def _first_psfs(history: History) -> tuple[int, ...]:
    first = history.events[0]
    assert isinstance(first, CheckIn) and first.psfs is not None
    return first.psfs


def _latest_psfs(history: History, on: date) -> tuple[int, ...] | None:
    rated = [
        e.psfs
        for e in history.events
        if isinstance(e, CheckIn) and e.psfs is not None and e.on <= on
    ]
    return rated[-1] if len(rated) > 1 else None
