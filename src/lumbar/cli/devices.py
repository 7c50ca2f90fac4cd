"""`lumbar devices`: the phones paired with the app on this computer (issue #16), and
revoking one, which shuts it out at once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from lumbar.cli.options import DbOption, Invocation, JsonOption

if TYPE_CHECKING:
    from lumbar.domain.access import Device

app = typer.Typer(
    help="The devices paired with the app on this computer; `lumbar devices revoke ID`.",
    invoke_without_command=True,
    no_args_is_help=False,
    rich_markup_mode=None,
)


@app.callback()
def devices(ctx: typer.Context, db: DbOption = None, json: JsonOption = False) -> None:
    """List the paired devices: name, when paired, when last seen, and whether revoked."""
    if ctx.invoked_subcommand is not None:
        return
    from lumbar.usecases import devices as pairing

    run = Invocation(db, None, json)
    found = pairing.listed(run.person.store)
    if run.as_json:
        run.emit({"devices": [_json(d) for d in found]})
        return
    if not found:
        run.console.print("No device is paired.")
        return
    for device in found:
        state = "live" if device.live else f"revoked {_at(device.revoked_at)}"
        run.console.print(
            f"{device.id}  {device.name}  paired {_at(device.paired_at)}, "
            f"last seen {_at(device.last_seen)}, {state}",
            soft_wrap=True,
        )


def revoke(
    device_id: Annotated[int, typer.Argument(metavar="ID", help="The device's id, as listed.")],
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Revoke a paired device: its next request is refused."""
    from lumbar.usecases import devices as pairing
    from lumbar.usecases.accounts import now_utc

    run = Invocation(db, None, json)
    device = pairing.revoke(run.person.store, device_id, now_utc())
    if run.as_json:
        run.emit(_json(device))
        return
    run.console.print(f"Revoked: {device.name}. It can no longer open lumbar.")


app.command("revoke")(revoke)


def _at(moment: object) -> str:
    from datetime import datetime

    return moment.strftime("%Y-%m-%d %H:%M UTC") if isinstance(moment, datetime) else "never"


def _json(device: Device) -> dict[str, object]:
    return {
        "id": device.id,
        "name": device.name,
        "paired_at": device.paired_at.isoformat(),
        "last_seen": device.last_seen.isoformat(),
        "revoked_at": None if device.revoked_at is None else device.revoked_at.isoformat(),
    }
