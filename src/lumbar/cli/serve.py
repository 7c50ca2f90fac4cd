"""`lumbar serve`: the web app on this computer, or a clinic's server.

Local mode has no accounts, so it answers only on the loopback address: anything else would
let other people on the network read and change a person's health data. Accounts mode
(`--accounts`) signs everyone in and may answer on any address.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Annotated

import typer

from lumbar.cli.options import DateOption, DbOption, Invocation

LOOPBACK = ("127.0.0.1", "localhost", "::1")
DEFAULT_PORT = 8000


def serve(
    host: Annotated[
        str,
        typer.Option("--host", help="The address to answer on; local mode allows only 127.0.0.1."),
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="The port to answer on.")
    ] = DEFAULT_PORT,
    accounts: Annotated[
        bool,
        typer.Option(
            "--accounts",
            help="A clinic's server: sign-in, roles (patient, clinician, admin), and any "
            "--host. Make the first admin with `lumbar admin create-user`.",
        ),
    ] = False,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            metavar="NAME",
            help="With --accounts: a host name the server answers to (repeat for more); "
            "without it, any (for a reverse proxy that checks the name itself).",
        ),
    ] = None,
    public_url: Annotated[
        str | None,
        typer.Option(
            "--public-url",
            metavar="URL",
            help="With --accounts: the address people reach the server at (such as "
            "https://lumbar.clinic.example), for the links it emails and shows.",
        ),
    ] = None,
    allow_http: Annotated[
        bool,
        typer.Option(
            "--allow-http",
            help="With --accounts: send the sign-in cookie over plain HTTP too. Only to try "
            "the server out; a clinic serves HTTPS (see docs/deploy.md).",
        ),
    ] = False,
    db: DbOption = None,
    date: DateOption = None,
) -> None:
    """Start the web app and print its address: on this computer (local mode), or as a
    clinic's server with accounts (--accounts)."""
    from lumbar.errors import UserError

    if host not in LOOPBACK and not accounts:
        raise UserError(
            f"--host: local mode answers only on this computer (127.0.0.1), not on {host}: "
            "it has no accounts, so anyone who could reach that address could read and "
            "change your health data (a clinic's server runs with --accounts)"
        )
    if (allowed_host or allow_http or public_url) and not accounts:
        raise UserError(
            "--allowed-host, --public-url and --allow-http are for a server with --accounts"
        )
    check_port_free(host, port)
    run = Invocation(db, date, False)
    fixed = run.day if date is not None else None
    person = run.person

    import uvicorn

    from lumbar.web.app import create_app

    clock = (lambda: fixed) if fixed is not None else dt.date.today
    if accounts:
        from lumbar.usecases.accounts import Accounts
        from lumbar.usecases.mail import Mailer

        mailer = Mailer.from_environment(os.environ)
        if mailer is not None and not (public_url or allowed_host):
            raise UserError(
                "--public-url: a server that emails links must know its own address "
                "(or check its host names with --allowed-host)"
            )
        clinic = Accounts(person.store)
        app = create_app(
            person.store,
            content=person.content,
            clock=clock,
            accounts=clinic,
            allowed_hosts=tuple(allowed_host) if allowed_host else None,
            secure_cookies=not allow_http,
            mailer=mailer,
            public_url=public_url,
        )
        if not clinic.accounts():
            typer.echo(
                "No accounts yet: make the first admin with `lumbar admin create-user EMAIL "
                "--role admin --clinic NAME`."
            )
    else:
        app = create_app(person.store, content=person.content, clock=clock)
    shown = "127.0.0.1" if host == "localhost" else host
    address = f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"
    from lumbar.web.process import settle_collector

    settle_collector()
    typer.echo(f"lumbar is running at {address}")
    typer.echo("Open that address in your browser. Press Ctrl+C to stop.")
    uvicorn.run(
        app, host=host, port=port, log_level="warning", access_log=False, server_header=False
    )


def check_port_free(host: str, port: int) -> None:
    """Refuse a port another program holds, with a message instead of a traceback."""
    import errno
    import socket

    from lumbar.errors import UserError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise UserError(
                    f"--port: port {port} is already in use by another program; "
                    f"choose another, for example --port {port + 1}"
                ) from error
            raise UserError(f"--host: cannot answer on {host}:{port} ({error.strerror})") from error
