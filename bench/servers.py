"""The servers `bench/web.py` measures besides `lumbar serve`, each run in its own process.

- `hello`: a bare FastAPI app, the ceiling: `GET /` answers a small JSON object from an
  `async def` route (the event loop only); `GET /sync` answers the same from a plain `def`
  route, which FastAPI runs in its thread pool as it runs every lumbar route.
- `people`: the lumbar app as `lumbar serve` builds it (`create_app` on a SQLite file), with
  one change for the write benchmark: the services a request gets are those of the person
  named in its `X-Bench-Person` header (`create_app`'s `person_of`), instead of local
  mode's one person. Everything
  else (middleware, validation, the use case, the transaction, the answer) is the app's own.
  `GET /bench/pragmas` reports the journal mode and synchronous setting of a connection
  from the app's own engine, the one its writes go through.

Both run like `lumbar serve`: one uvicorn worker on 127.0.0.1, log level warning, no access
log, no server header, and the same garbage collector settings (`lumbar.web.process`).

Run: `.venv/bin/python bench/servers.py {hello,people} --port N [--db FILE --date DAY]`.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import uvicorn  # noqa: E402
from fastapi import FastAPI, Request  # noqa: E402
from fastapi.responses import JSONResponse  # noqa: E402

from lumbar.content.load import default_content  # noqa: E402
from lumbar.store.database import Store, sqlite_url  # noqa: E402
from lumbar.web.app import create_app  # noqa: E402
from lumbar.web.process import settle_collector  # noqa: E402

PERSON_HEADER = "X-Bench-Person"


def hello_app() -> FastAPI:
    app = FastAPI()

    @app.get("/")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}

    @app.get("/sync")
    def hello_sync() -> dict[str, str]:
        return {"hello": "world"}

    return app


def people_app(db: Path, day: date) -> FastAPI:
    store = Store(sqlite_url(db))
    content = default_content()

    def person_in_header(request: Request) -> int:
        return int(request.headers[PERSON_HEADER])

    app = create_app(store, content=content, clock=lambda: day, person_of=person_in_header)

    @app.get("/bench/pragmas")
    def pragmas() -> JSONResponse:
        with store.engine.connect() as connection:
            found = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous")
            }
        return JSONResponse(found)

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kind", choices=("hello", "people"))
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--date", type=date.fromisoformat)
    args = parser.parse_args()
    if args.kind == "hello":
        app = hello_app()
    else:
        if args.db is None or args.date is None:
            parser.error("people needs --db and --date")
        app = people_app(args.db, args.date)
    settle_collector()  # as `lumbar serve` does, for the ceiling as for the app
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        access_log=False,
        server_header=False,
    )


if __name__ == "__main__":
    main()
