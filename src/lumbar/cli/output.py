"""Where a command writes a document, the same for every one of them (issue #15, item 5).

`--out FILE` writes a file the person can find: private (0600: it is health data), its
suffix matching what is in it, in a folder that exists (a folder named by mistake is said,
not made). `--out -`, or no `--out` where standard output is the command's default (the
calendar, the export), writes to standard output.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from lumbar.cli.options import Invocation
from lumbar.errors import UserError

STDOUT = "-"

OutOption = Annotated[
    str | None,
    typer.Option(
        "--out",
        metavar="FILE",
        help="Write it to FILE (made readable by you only); - for standard output.",
    ),
]


def target(out: str | None, suffixes: tuple[str, ...], *, stdout_by_default: bool) -> Path | None:
    """Where to write, checked before the document is made: a file, or None for standard
    output. Refused (UserError) for a missing `--out`, a wrong suffix or a missing folder."""
    if out is None and not stdout_by_default:
        raise UserError(f"give --out FILE{suffixes[0]} (or --out - for standard output)")
    if out is None or out == STDOUT:
        return None
    path = Path(out)
    if path.suffix.lower() not in suffixes:
        given = f"ends in {path.suffix}" if path.suffix else "has no suffix"
        raise UserError(f"{path} {given}: give a file ending in {' or '.join(suffixes)}")
    if path.is_dir():
        raise UserError(f"{path} is a folder: give the name of the file to write")
    if not path.parent.is_dir():
        raise UserError(f"cannot write {path}: the folder {path.parent} does not exist")
    return path


def write_document(run: Invocation, to: Path | None, data: bytes, *, what: str) -> None:
    """Write the document to the file (0600) or to standard output."""
    if to is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    from lumbar.private_files import write_private

    try:
        write_private(to, data)
    except OSError as error:
        raise UserError(f"cannot write {to}: {error.strerror}") from error
    if run.as_json:
        run.emit({"file": str(to), "bytes": len(data), "kind": what})
    else:
        typer.echo(f"Wrote the {what} to {to}.")
