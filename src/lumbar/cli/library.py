"""Commands that read the content: the exercise catalogue and the education texts."""

from __future__ import annotations

from typing import Annotated

import typer

from lumbar.cli.options import DateOption, DbOption, Invocation, JsonOption, shell_unit


def exercises(
    exercise_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="An exercise id, to see it in full.")
    ] = None,
    svg: Annotated[
        str | None,
        typer.Option(
            "--svg",
            metavar="FILE",
            help="Write the exercise's figure as SVG to FILE ('-' for standard output): "
            "moving, or with --poses the key positions side by side.",
        ),
    ] = None,
    poses: Annotated[
        bool, typer.Option("--poses", help="With --svg: the key positions, still, for print.")
    ] = False,
    version: Annotated[
        str | None,
        typer.Option(
            "--version",
            metavar="V",
            help="With --svg: draw one of the exercise's versions instead (a variant such as "
            "'knees', or an alternative such as 'chair').",
        ),
    ] = None,
    db: DbOption = None,
    date: DateOption = None,
    json: JsonOption = False,
) -> None:
    """List the exercise catalogue, or show one exercise: steps, tips, doses, its figure."""
    from lumbar.cli.arguments import exercise_id as known_exercise
    from lumbar.formats.views import exercise_json

    run = Invocation(db, date, json)
    content = run.content
    if exercise_id is not None:
        exercise_id = known_exercise(exercise_id, content.catalogue, "ID")
    if svg is not None or poses or version is not None:
        _write_figure(run, exercise_id, svg, poses=poses, version=version)
        return
    if run.as_json:
        if exercise_id is None:
            run.emit(
                [exercise_json(e, content) for e in content.catalogue.values()],
                shape="library.Exercise",
                each=True,
            )
        else:
            run.emit(
                exercise_json(content.catalogue[exercise_id], content), shape="library.Exercise"
            )
        return
    from lumbar.cli import render

    console = run.console
    if exercise_id is not None:
        render.exercise(console, content.catalogue[exercise_id], content, unit=shell_unit())
        return
    from rich import box
    from rich.table import Table

    # No vertical rules, and no category below 72 columns (`lumbar exercises ID` says it):
    # the names keep whole words at 60 columns.
    wide = console.width >= 72
    table = Table(title="Exercises", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    # The id is what a person types: never cut or folded; the other columns give way.
    table.add_column("Id", no_wrap=True, min_width=max(len(i) for i in content.catalogue))
    table.add_column("Name", overflow="fold")
    if wide:
        table.add_column("Category", overflow="fold")
    table.add_column("Phases", no_wrap=True)
    for item in content.catalogue.values():
        phases = ", ".join(str(p.number) for p in content.program.phases if p.prescription(item.id))
        category = (item.category,) if wide else ()
        table.add_row(item.id, item.name, *category, phases or "optional")
    console.print(table)


def _write_figure(
    run: Invocation,
    exercise_id: str | None,
    target: str | None,
    *,
    poses: bool,
    version: str | None = None,
) -> None:
    """Draw one exercise's figure (or one of its versions') into a file, or refuse before
    writing anything."""
    import sys
    from pathlib import Path

    from lumbar.errors import UserError
    from lumbar.figures.drawings import Picture
    from lumbar.figures.load import drawings_for

    if target is None:
        option = "--poses" if poses else "--version"
        raise UserError(f"{option} draws a figure for --svg FILE; give the file too")
    if exercise_id is None:
        raise UserError("--svg draws one exercise: give its id (lumbar exercises ID --svg FILE)")
    if version is not None:
        exercise = run.content.catalogue[exercise_id]
        versions = [v.id for v in (*exercise.variants, *exercise.alternatives)]
        if version not in versions:
            raise UserError(
                f"{exercise_id!r} has no version {version!r}; "
                f"its versions are {', '.join(versions) or 'none'}"
            )
    if target == "-" and run.as_json:
        raise UserError("--svg - prints the SVG itself; leave out --json, or give a file")
    if target != "-" and not Path(target).parent.is_dir():
        raise UserError(f"cannot write {target}: the folder {Path(target).parent} does not exist")
    kind = Picture.POSES if poses else Picture.MOTION
    drawing = drawings_for(run.content).svg(exercise_id, kind, version=version)
    if target == "-":
        sys.stdout.write(drawing + "\n")
        return
    try:
        Path(target).write_text(drawing + "\n", encoding="utf-8")
    except OSError as error:
        raise UserError(f"cannot write {target}: {error.strerror}") from error
    if run.as_json:
        told = {"exercise": exercise_id, "file": target, "kind": "poses" if poses else "motion"}
        run.emit(told if version is None else {**told, "version": version})
    else:
        exercise = run.content.catalogue[exercise_id]
        name = next(
            (v.name for v in (*exercise.variants, *exercise.alternatives) if v.id == version),
            exercise.name,
        )
        run.console.print(f"Wrote the figure of {name} to {target}.")


def learn(
    topic: Annotated[
        str | None, typer.Argument(metavar="[TOPIC]", help="A topic id, to read it.")
    ] = None,
    db: DbOption = None,
    date: DateOption = None,
    json: JsonOption = False,
) -> None:
    """Read about back pain and the program: the topics, or one topic in full."""
    from lumbar.cli.arguments import topic_id
    from lumbar.formats.views import topic_json

    run = Invocation(db, date, json)
    topics = run.content.topics
    if topic is not None:
        topic = topic_id(topic, topics)
    if run.as_json:
        if topic is None:
            run.emit([topic_json(t) for t in topics.values()], shape="library.Topic", each=True)
        else:
            run.emit(topic_json(topics[topic]), shape="library.Topic")
        return
    from lumbar.cli import render

    console = run.console
    if topic is not None:
        render.topic(console, topics[topic])
        return
    for item in topics.values():
        console.print(f"[bold]{item.id}[/bold]: {item.title}. {item.summary}")
    console.print("\nRead one with [bold]lumbar learn TOPIC[/bold].")
