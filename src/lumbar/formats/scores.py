"""The outcome scores a clinician entered, in words and charts (the patient page, the
summary): each total with its range, the change since the first against the MCID ("ODI 12
points better: more than the 10 points that matter"), STarT Back's risk group."""

from __future__ import annotations

from dataclasses import dataclass

from lumbar.content.load import Content
from lumbar.domain.progress import Score as Point
from lumbar.domain.scores import Change, Measure, Score, Summary
from lumbar.formats.charts import Chart, score_chart


def total_said(measure: Measure, score: Score) -> str:
    """ "ODI 32%", "RMDQ 11 of 24", "STarT Back 5 of 9, psychosocial subscale 4 of 5"."""
    if measure.unit == "%":
        said = f"{measure.name} {score.total}%"
    else:
        said = f"{measure.name} {score.total} of {measure.maximum}"
    sub = measure.subscale
    if sub is not None and score.subscale is not None:
        said += f", {sub.name} {score.subscale} of {sub.maximum}"
    return said


def change_said(found: Change) -> str:
    """The change since the first score against the change that matters (the MCID)."""
    m, points = found.measure, found.points
    since = f"since {found.first.on.day} {found.first.on.strftime('%B %Y')}"
    if points == 0:
        return f"{m.name} unchanged {since}."
    size = abs(points)
    way = "better" if points > 0 else "worse"
    unit = "point" if size == 1 else "points"  # ODI's too: points of its 0-100 scale
    mcid = m.mcid
    if mcid is None:  # a risk tool has no change score (`domain.scores.change`)
        return f"{m.name} {size} {unit} {way} {since}."
    if size > mcid:
        against = f"more than the {mcid} points that matter"
    elif size == mcid:
        against = f"as much as the {mcid} points that matter"
    else:
        against = f"less than the {mcid} points that matter"
    return f"{m.name} {size} {unit} {way} {since}: {against}."


@dataclass(frozen=True, slots=True)
class Shown:
    """One measure as the clinician reads it."""

    id: str
    title: str
    latest: str
    change: str | None
    risk: str | None
    chart: Chart
    rows: list[tuple[Score, str]]
    """Every score with its words, oldest first."""


def shown(summaries: list[Summary], content: Content) -> list[Shown]:
    found = []
    for s in summaries:
        m = s.measure
        first = s.scores[0]
        better = "lower is better" if m.better.value == "lower" else "higher is better"
        chart = score_chart(
            f"{m.name}, {m.minimum} to {m.maximum}{'%' if m.unit == '%' else ''} ({better})",
            tuple(Point(x.on, x.total) for x in s.scores),
            maximum=m.maximum,
            first=f"first {first.total}{'%' if m.unit == '%' else ''}",
        )
        found.append(
            Shown(
                id=m.id,
                title=m.long_name,
                latest=total_said(m, s.scores[-1]),
                change=None if s.change is None else change_said(s.change),
                risk=None if s.risk is None else content.say(s.risk),
                chart=chart,
                rows=[(x, total_said(m, x)) for x in s.scores],
            )
        )
    return found


def summary_rows(summaries: list[Summary], content: Content) -> list[tuple[str, str, str]]:
    """The clinician's one-page summary's lines: the measure, its first and latest totals
    with their days, and the change against the MCID (STarT Back: the risk group)."""
    rows = []
    for s in summaries:
        m, first, latest = s.measure, s.scores[0], s.scores[-1]
        said = f"{total_said(m, latest)} ({_day(latest)})"
        if len(s.scores) > 1:
            said = f"{total_said(m, first)} ({_day(first)}); now {said}"
        if s.change is not None:
            note = change_said(s.change)
        elif s.risk is not None:
            note = content.say(s.risk)
        else:
            note = ""
        rows.append((m.long_name, said, note))
    return rows


def _day(score: Score) -> str:
    return f"{score.on.day} {score.on.strftime('%b %Y')}"
