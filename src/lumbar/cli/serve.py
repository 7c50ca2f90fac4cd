"""`lumbar serve`: the web app on this computer, or a clinic's server.

Local mode has no accounts, so it answers only on the loopback address: anything else would
let other people on the network read and change a person's health data. With `--phone` it
also answers on one network address, over HTTPS, to the phones the person pairs (issue #16;
web/guard.py refuses every other device). Accounts mode (`--accounts`) signs everyone in and
may answer on any address.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING, Annotated, Any

import typer

from lumbar.cli.options import DateOption, DbOption, Invocation
from lumbar.cli.serve_environment import secret_sealer, staff_idle_limit
from lumbar.cli.serve_jobs import DigestAtOption, NoJobsOption, daily_jobs, refuse_without_accounts

if TYPE_CHECKING:
    from lumbar.usecases.person import Person
    from lumbar.usecases.phone import PhoneAddress

LOOPBACK = ("127.0.0.1", "localhost", "::1")
DEFAULT_PORT = 8000


def serve(
    host: Annotated[
        str | None,
        typer.Option(
            "--host",
            metavar="ADDRESS",
            help="The address to answer on: local mode allows only 127.0.0.1 (the default); "
            "with --phone, the network address the phone reaches (default: the one of the "
            "network this computer is on).",
        ),
    ] = None,
    port: Annotated[
        int,
        typer.Option("--port", metavar="PORT", help="The port to answer on (default 8000)."),
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
    phone: Annotated[
        bool,
        typer.Option(
            "--phone",
            help="Also answer on this computer's network address, over HTTPS, to a phone on "
            "the same Wi-Fi that you pair by scanning the code it prints (or Settings, Use "
            "on your phone). Every device you have not paired is refused.",
        ),
    ] = False,
    phone_over_http: Annotated[
        bool,
        typer.Option(
            "--phone-over-http",
            help="With --phone: plain HTTP instead of HTTPS. Risky: anyone on the same "
            "Wi-Fi could read your health data as it travels and copy the phone's pairing. "
            "Only on a network you fully trust.",
        ),
    ] = False,
    max_body: Annotated[
        float,
        typer.Option(
            "--max-body",
            metavar="MB",
            help="The largest request the server reads, in megabytes (default 1); a larger "
            "one is refused unread.",
        ),
    ] = 1,
    max_import: Annotated[
        float,
        typer.Option(
            "--max-import",
            metavar="MB",
            help="The largest import (an archive of someone's records) the server reads, in "
            "megabytes (default 20).",
        ),
    ] = 20,
    digest_at: DigestAtOption = None,
    no_background_jobs: NoJobsOption = False,
    db: DbOption = None,
    date: DateOption = None,
) -> None:
    """Start the web app and print its address: on this computer (local mode; --phone for
    a phone on the same Wi-Fi too), or as a clinic's server with accounts (--accounts)."""
    from lumbar.errors import UserError

    if phone and accounts:
        raise UserError(
            "--phone is for lumbar on your own computer; a clinic's server (--accounts) "
            "already answers phones, which sign in"
        )
    if not 1 <= port <= 65535:
        raise UserError(f"--port: give a port from 1 to 65535 (got {port})")
    if phone_over_http and not phone:
        raise UserError("--phone-over-http goes with --phone")
    for flag, megabytes in (("--max-body", max_body), ("--max-import", max_import)):
        if not 0.001 <= megabytes <= 1000:
            raise UserError(f"{flag}: give a size from 0.001 to 1000 megabytes (got {megabytes:g})")
    body_limit, import_limit = int(max_body * 1e6), int(max_import * 1e6)
    refuse_without_accounts(accounts, digest_at, no_background_jobs)
    if host is None:
        host = "127.0.0.1"
    elif host not in LOOPBACK and not accounts and not phone:
        raise UserError(
            f"--host: local mode answers only on this computer (127.0.0.1), not on {host}: "
            "it has no accounts, so anyone who could reach that address could read and "
            "change your health data (use --phone to pair a phone on the same Wi-Fi; a "
            "clinic's server runs with --accounts)"
        )
    if (allowed_host or allow_http or public_url) and not accounts:
        raise UserError(
            "--allowed-host, --public-url and --allow-http are for a server with --accounts"
        )
    network = None
    if phone:
        from lumbar.usecases.phone import checked_address, network_address

        network = network_address() if host in ("127.0.0.1", "localhost") else None
        network = network or checked_address(host)
        host = "127.0.0.1"
        check_port_free(network, port)
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
        clinic = Accounts(
            person.store,
            staff_idle=staff_idle_limit(os.environ),
            sealer=secret_sealer(os.environ, person.store.sqlite_path),
        )
        jobs = daily_jobs(
            person, clock, mailer, digest_at=digest_at,
            no_jobs=no_background_jobs, public_url=public_url,
            allowed_hosts=allowed_host or (), allow_http=allow_http,
        )  # fmt: skip
        app = create_app(
            person.store,
            content=person.content,
            clock=clock,
            accounts=clinic,
            allowed_hosts=tuple(allowed_host) if allowed_host else None,
            secure_cookies=not allow_http,
            mailer=mailer,
            public_url=public_url,
            body_limit=body_limit,
            import_limit=import_limit,
            jobs=jobs,
        )
        if not clinic.accounts():
            typer.echo(
                "No accounts yet: make the first admin with `lumbar admin create-user EMAIL "
                "--role admin --clinic NAME`."
            )
    else:
        phone_address = None
        if network is not None:
            phone_address = _phone_address(person, network, port, over_http=phone_over_http)
        app = create_app(
            person.store,
            content=person.content,
            clock=clock,
            phone_address=phone_address,
            body_limit=body_limit,
            import_limit=import_limit,
        )
    shown = "127.0.0.1" if host == "localhost" else host
    address = f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"
    from lumbar.web.process import settle_collector

    settle_collector()
    typer.echo(f"lumbar is running at {address}")
    if network is not None:
        assert phone_address is not None
        _announce_phone(person, phone_address)
        _serve_both(app, host, phone_address, port, network)
        return
    typer.echo("Open that address in your browser. Press Ctrl+C to stop.")
    # uvicorn.run would swallow the Ctrl-C that stops the server; its Server re-raises it
    # once shut down, so the command ends as every command does on Ctrl-C (exit 130).
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=False, server_header=False
    )
    uvicorn.Server(config).run()


def _phone_address(person: Person, network: str, port: int, *, over_http: bool) -> PhoneAddress:
    """The phone's address, with the certificate made or found in the data folder (the
    database's folder; lumbar's own for a database that is not a file)."""
    from lumbar.usecases.accounts import now_utc
    from lumbar.usecases.phone import address_for, certificate_for

    if over_http:
        return address_for(network, port, None)
    sqlite = person.store.sqlite_path
    if sqlite is not None:
        folder = sqlite.parent
    else:
        from pathlib import Path

        from platformdirs import user_data_dir

        folder = Path(user_data_dir("lumbar", appauthor=False))
    return address_for(network, port, certificate_for(folder, network, now_utc()))


def _announce_phone(person: Person, address: PhoneAddress) -> None:
    """The phone's address, the certificate's fingerprint, and a pairing code to scan."""
    from lumbar.formats import qr
    from lumbar.usecases import devices
    from lumbar.usecases.accounts import now_utc
    from lumbar.usecases.phone import pairing_url

    typer.echo(f"For your phone on the same Wi-Fi: {address.url}")
    if address.over_http:
        typer.echo(
            "Warning: plain HTTP (--phone-over-http). Anyone on this Wi-Fi could read your "
            "health data as it travels and copy the phone's pairing.",
            err=True,
        )
    else:
        typer.echo(f"Its certificate's SHA-256 fingerprint: {address.fingerprint}")
        typer.echo("Your phone will show the same one: if it differs, do not go on.")
    link = pairing_url(address, devices.start_pairing(person.store, now_utc()))
    typer.echo("Scan this code with the phone's camera to pair it (once, within 10 minutes):")
    typer.echo(qr.terminal(link), nl=False)
    typer.echo(link)
    typer.echo("A new code: Settings, Use on your phone, on this computer. Press Ctrl+C to stop.")


def _serve_both(app: Any, host: str, address: PhoneAddress, port: int, network: str) -> None:
    """Answer on this computer over HTTP and on the network address over HTTPS (or HTTP),
    both in one process with one app; Ctrl+C stops both."""
    import asyncio
    import contextlib
    import signal
    from collections.abc import Iterator

    import uvicorn

    class Beside(uvicorn.Server):
        # The signals are caught once, below, for both servers.
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield

    common: dict[str, Any] = {
        "log_level": "warning",
        "access_log": False,
        "server_header": False,
    }
    tls: dict[str, Any] = {}
    if address.certificate is not None and address.key is not None:
        tls = {"ssl_certfile": str(address.certificate), "ssl_keyfile": str(address.key)}
    servers = [
        Beside(uvicorn.Config(app, host=host, port=port, **common)),
        Beside(uvicorn.Config(app, host=network, port=port, **common, **tls)),
    ]

    caught_signals: list[int] = []

    def stop(caught: int, _frame: object) -> None:
        caught_signals.append(caught)
        for server in servers:
            server.force_exit = server.should_exit
            server.should_exit = True

    for caught in (signal.SIGINT, signal.SIGTERM):
        signal.signal(caught, stop)

    async def both() -> None:
        await asyncio.gather(*(server.serve() for server in servers))

    asyncio.run(both())
    if signal.SIGINT in caught_signals:
        raise KeyboardInterrupt  # stopped with Ctrl-C: exit 130, as every command


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
