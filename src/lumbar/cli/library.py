"""Commands that read the content: the exercise catalogue and the education texts."""

from __future__ import annotations

from typing import Annotated

import typer

from lumbar.cli.options import DateOption, DbOption, Invocation, JsonOption


def exercises(
    exercise_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="An exercise id, to see it in full.")
    ] = None,
    db: DbOption = None,
    date: DateOption = None,
    json: JsonOption = False,
) -> None:
    """List the exercise catalogue, or show one exercise: steps, tips, doses per phase."""
    from lumbar.errors import UserError
    from lumbar.views import exercise_json

    run = Invocation(db, date, json)
    content = run.content
    if exercise_id is not None and exercise_id not in content.catalogue:
        raise UserError(
            f"unknown exercise {exercise_id!r}; the ids are {', '.join(content.catalogue)}"
        )
    if run.as_json:
        if exercise_id is None:
            run.emit([exercise_json(e, content) for e in content.catalogue.values()])
        else:
            run.emit(exercise_json(content.catalogue[exercise_id], content))
        return
    from lumbar.cli import render

    console = run.console
    if exercise_id is not None:
        render.exercise(console, content.catalogue[exercise_id], content)
        return
    from rich.table import Table

    table = Table(title="Exercises", title_justify="left")
    for column in ("Id", "Name", "Category", "Phases"):
        table.add_column(column)
    for item in content.catalogue.values():
        phases = [str(p.number) for p in content.program.phases if p.prescription(item.id)]
        table.add_row(item.id, item.name, item.category, ", ".join(phases) or "optional")
    console.print(table)


def learn(
    topic: Annotated[
        str | None, typer.Argument(metavar="[TOPIC]", help="A topic id, to read it.")
    ] = None,
    db: DbOption = None,
    date: DateOption = None,
    json: JsonOption = False,
) -> None:
    """Read about back pain and the program: the topics, or one topic in full."""
    from lumbar.errors import UserError
    from lumbar.views import topic_json

    run = Invocation(db, date, json)
    topics = run.content.topics
    if topic is not None and topic not in topics:
        raise UserError(f"unknown topic {topic!r}; the topics are {', '.join(topics)}")
    if run.as_json:
        if topic is None:
            run.emit([topic_json(t) for t in topics.values()])
        else:
            run.emit(topic_json(topics[topic]))
        return
    from lumbar.cli import render

    console = run.console
    if topic is not None:
        render.topic(console, topics[topic])
        return
    for item in topics.values():
        console.print(f"[bold]{item.id}[/bold]: {item.title}. {item.summary}")
    console.print("\nRead one with [bold]lumbar learn TOPIC[/bold].")
