"""`Idempotency-Key` on `POST /api/v1/sessions`, the API's answers and the session player's
answers and end: a retried session or answer is written once.

Against the real app and database (SQLite, then PostgreSQL): what was recorded is read back
through the export, and the concurrent tests send their requests from real threads.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from lumbar.domain.model import Pain
from lumbar.store.beside import KeyTaken
from lumbar.store.database import Store
from lumbar.store.tables import idempotency_keys
from lumbar.usecases import sessions as session_cases
from lumbar.usecases.idempotency import KEYS_KEPT, Idempotency
from lumbar.usecases.person import Person
from tests.web.conftest import (
    MONDAY,
    PHASE_1,
    TUESDAY,
    WEDNESDAY,
    Clock,
    exported,
    form_error,
    live_until,
    plan,
    sessions,
)
from tests.web.conftest import text as page_text

KEY = "7d0c5a52-1f7e-4a53-9a43-session-monday"
NOW = datetime(2026, 11, 2, 18, 5)


def session_body(client: TestClient, on: date, pains: dict[str, str] | None = None) -> Any:
    """The whole session of `on`, no pain unless `pains` says otherwise."""
    exercises = [
        {"id": e["id"], "pain": (pains or {}).get(e["id"], "none")}
        for e in plan(client, on)["exercises"]
    ]
    return {"date": on.isoformat(), "exercises": exercises}


def post(client: TestClient, body: Any, key: str | bytes | None = KEY) -> httpx2.Response:
    """The session, with the key as text, or as raw bytes (to send what is not ASCII)."""
    headers: dict[bytes, bytes] = {}
    if key is not None:
        headers[b"Idempotency-Key"] = key if isinstance(key, bytes) else key.encode("latin-1")
    return client.post("/api/v1/sessions", json=body, headers=headers)


def test_a_retry_gets_the_first_answer_and_the_session_is_recorded_once(
    started: TestClient,
) -> None:
    body = session_body(started, MONDAY, {"cat-cow": "ache"})

    first = post(started, body)
    again = post(started, body)

    assert first.status_code == again.status_code == 201
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert first.json()["date"] == "2026-11-02"
    assert [s["date"] for s in sessions(started)] == ["2026-11-02"]


def test_a_late_retry_still_gets_the_answer_of_its_day(started: TestClient) -> None:
    body = session_body(started, MONDAY)
    first = post(started, body)
    assert first.status_code == 201
    live_until(started, WEDNESDAY)
    recorded = post(started, session_body(started, WEDNESDAY), key="wednesday")
    assert recorded.status_code == 201

    again = post(started, body)

    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()  # Monday's plan as it was, not today's
    assert [s["date"] for s in sessions(started)] == ["2026-11-02", "2026-11-04"]


def test_without_a_key_the_same_session_sent_twice_is_refused(started: TestClient) -> None:
    body = session_body(started, MONDAY)
    assert post(started, body, key=None).status_code == 201
    twice = post(started, body, key=None)
    assert twice.status_code == 422
    assert "already recorded" in twice.json()["message"]
    assert len(sessions(started)) == 1


def test_the_same_key_with_a_different_body_is_refused_and_nothing_is_written(
    started: TestClient,
) -> None:
    body = session_body(started, MONDAY)
    assert post(started, body).status_code == 201
    before = exported(started)

    changed = post(started, session_body(started, MONDAY, {"dead-bug": "sharp"}))
    other_day = post(started, session_body(started, WEDNESDAY))

    for refused in (changed, other_day):
        assert refused.status_code == 422
        assert refused.json() == {
            "message": "this Idempotency-Key was already used for a different request"
        }
        assert "Idempotent-Replayed" not in refused.headers
    assert exported(started) == before


def test_a_refused_request_does_not_use_up_its_key(started: TestClient) -> None:
    """Nothing is written when a session is refused, the key included: a corrected retry
    with the same key is recorded."""
    wrong = {"date": MONDAY.isoformat(), "exercises": [{"id": "squat", "pain": "none"}]}
    refused = post(started, wrong)
    assert refused.status_code == 422 and "squat is not in the plan" in refused.json()["message"]

    recorded = post(started, session_body(started, MONDAY))

    assert recorded.status_code == 201
    assert "Idempotent-Replayed" not in recorded.headers
    assert len(sessions(started)) == 1


@pytest.mark.parametrize(
    ("key", "said"),
    [
        ("", "(this one is empty)"),
        ("k" * 129, "(this one has 129)"),
        ("tab\there", "(this one holds '\\t')"),
        ("bell\x07", "(this one holds '\\x07')"),
        ("clé".encode(), "(this one holds 'Ã')"),  # header bytes are read as Latin-1
    ],
)
def test_a_key_that_is_not_1_to_128_printable_ascii_characters_is_refused(
    started: TestClient, key: str | bytes, said: str
) -> None:
    before = exported(started)

    refused = post(started, session_body(started, MONDAY), key=key)

    assert refused.status_code == 422
    assert refused.json() == {
        "message": "Idempotency-Key: give a key of 1 to 128 printable ASCII characters " + said
    }
    assert exported(started) == before


def test_the_longest_key_and_any_printable_character_are_accepted(started: TestClient) -> None:
    key = ("a Z~!0" * 22)[:128]
    body = session_body(started, MONDAY)
    assert post(started, body, key=key).status_code == 201
    assert post(started, body, key=key).headers["Idempotent-Replayed"] == "true"
    assert len(sessions(started)) == 1


def test_keys_are_kept_per_person_with_the_time_the_shell_gave(
    started: TestClient, store: Store
) -> None:
    sent = datetime.now(UTC).replace(tzinfo=None)
    assert post(started, session_body(started, MONDAY)).status_code == 201
    with store.engine.connect() as connection:
        rows = connection.execute(select(idempotency_keys)).all()
    assert [(row.person_id, row.key) for row in rows] == [(1, KEY)]
    created = rows[0].created_at
    assert isinstance(created, datetime) and created.tzinfo is None
    assert sent <= created <= datetime.now(UTC).replace(tzinfo=None)


def test_the_header_is_described_in_the_openapi_schema(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    route = schema["paths"]["/api/v1/sessions"]["post"]
    header = next(p for p in route["parameters"] if p["name"] == "Idempotency-Key")
    assert header["in"] == "header" and not header.get("required", False)
    assert "1 to 128 printable ASCII characters" in header["description"]
    assert "Idempotent-Replayed" in route["responses"]["201"]["headers"]


# Concurrent requests with the same key.


def test_the_same_key_sent_at_once_from_many_threads_records_one_session(
    started: TestClient,
) -> None:
    body = session_body(started, MONDAY)
    senders = 8
    ready = threading.Barrier(senders)
    answers: list[httpx2.Response] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def send() -> None:
        try:
            ready.wait(timeout=30)
            response = post(started, body)
            with lock:
                answers.append(response)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=send) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    assert [a.status_code for a in answers] == [201] * senders
    replayed = [a.headers.get("Idempotent-Replayed") for a in answers]
    assert sorted(replayed, key=str) == [None] + ["true"] * (senders - 1)
    assert len({a.content for a in answers}) == 1
    assert [s["date"] for s in sessions(started)] == ["2026-11-02"]


def test_different_keys_sent_at_once_for_the_same_session_record_it_once(
    started: TestClient,
) -> None:
    """Two different clients (keys) sending the same session: the rules let one through."""
    body = session_body(started, MONDAY)
    ready = threading.Barrier(2)
    answers: dict[str, httpx2.Response] = {}

    def send(key: str) -> None:
        ready.wait(timeout=30)
        answers[key] = post(started, body, key=key)

    threads = [threading.Thread(target=send, args=(key,)) for key in ("phone", "laptop")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(a.status_code for a in answers.values()) == [201, 422]
    assert len(sessions(started)) == 1


def test_a_key_stored_by_a_racing_writer_turns_into_its_answer(
    started: TestClient, store: Store, services: Person, clock: Clock
) -> None:
    """A writer that stores the key without the person's row lock, while a request with the
    same key records its session: the request's insert meets the primary key, its whole
    transaction rolls back, and it answers what the other stored; not a 500, and no session.
    """
    on_postgres = store.sqlite_path is None
    request = Idempotency(KEY, request="the same request", at=NOW)
    entries = [(e["id"], Pain.NONE) for e in plan(started, MONDAY)["exercises"]]
    other = store.engine.connect()
    other_tx = other.begin()  # on SQLite: BEGIN IMMEDIATE, holding the write lock
    other.execute(
        text(
            "INSERT INTO idempotency_keys (person_id, key, response, created_at) "
            "VALUES (1, :key, :response, :at)"
        ),
        {"key": KEY, "response": request.stored({"from": "the other writer"}), "at": NOW},
    )
    outcome: list[Any] = []

    def record() -> None:
        try:
            outcome.append(session_cases.log(services, MONDAY, entries, idempotency=request))
        except BaseException as error:
            outcome.append(error)

    thread = threading.Thread(target=record)
    thread.start()
    if on_postgres:
        _wait_until_blocked(store)  # at its insert, behind the other's uncommitted row
    else:
        time.sleep(0.3)  # waiting for the write lock
    other_tx.commit()
    other.close()
    thread.join(timeout=60)

    assert len(outcome) == 1 and not isinstance(outcome[0], BaseException), outcome
    assert outcome[0].replayed and outcome[0].body == {"from": "the other writer"}
    assert sessions(started) == []


def _wait_until_blocked(store: Store) -> None:
    deadline = time.monotonic() + 30
    with store.engine.connect() as watcher:
        while True:
            waiting = watcher.execute(
                text("SELECT count(*) FROM pg_locks WHERE NOT granted")
            ).scalar_one()
            if waiting:
                return
            assert time.monotonic() < deadline, "the request never reached the insert"
            time.sleep(0.01)
            watcher.rollback()


def test_the_store_refuses_a_key_stored_twice(started: TestClient, store: Store) -> None:
    with store.transaction() as tx:
        tx.add_idempotent_response(1, "twice", '{"first": true}', NOW)
    with pytest.raises(KeyTaken), store.transaction() as tx:
        tx.add_idempotent_response(1, "twice", '{"second": true}', NOW)
    with store.transaction() as tx:
        assert tx.idempotent_response(1, "twice") == '{"first": true}'
        assert tx.idempotent_response(2, "twice") is None


# The session player's answers and end (issue #16: answers kept offline and sent later).


def player_post(client: TestClient, path: str, key: str | None, **fields: str) -> httpx2.Response:
    headers = {"HX-Request": "true"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(path, data=fields, headers=headers)


def given(services: Person, on: date = MONDAY) -> list[tuple[str, str]]:
    """The answers of the session in progress, as the store keeps them."""
    return [(r.exercise_id, r.pain.value) for r in session_cases.in_progress(services, on).answers]


def test_a_player_answer_sent_again_with_its_key_is_kept_once(
    started: TestClient, services: Person
) -> None:
    first = player_post(started, "/session/answer", "a-1", exercise=PHASE_1[0], pain="ache")
    again = player_post(started, "/session/answer", "a-1", exercise=PHASE_1[0], pain="ache")

    assert first.status_code == again.status_code == 200
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert given(services) == [(PHASE_1[0], "ache")]
    assert f'data-exercise="{PHASE_1[1]}"' in again.text  # the player goes on, as the first


def test_a_whole_session_sent_twice_with_its_keys_records_one_session_with_every_answer(
    started: TestClient,
) -> None:
    pains = ["none", "ache", "none", "ache", "none", "none", "ache"]
    for round_ in range(2):
        for n, (exercise, pain) in enumerate(zip(PHASE_1, pains, strict=True)):
            sent = player_post(
                started, "/session/answer", f"k{n}", exercise=exercise, pain=pain, date="2026-11-02"
            )
            assert sent.status_code == 200, page_text(sent)
            assert ("Idempotent-Replayed" in sent.headers) == (round_ == 1)
        assert "Session saved" in page_text(sent)

    recorded = sessions(started)
    assert len(recorded) == 1
    assert [(r["id"], r["pain"]) for r in recorded[0]["exercises"]] == list(
        zip(PHASE_1, pains, strict=True)
    )


def test_a_player_key_sent_with_another_answer_is_refused_and_nothing_is_written(
    started: TestClient, services: Person
) -> None:
    assert player_post(started, "/session/answer", "a-1", exercise=PHASE_1[0], pain="none")
    before = exported(started)

    changed = player_post(started, "/session/answer", "a-1", exercise=PHASE_1[0], pain="sharp")
    other = player_post(started, "/session/answer", "a-1", exercise=PHASE_1[1], pain="none")

    for refused in (changed, other):
        assert refused.status_code == 422
        assert (
            form_error(refused) == "this Idempotency-Key was already used for a different request"
        )
    assert given(services) == [(PHASE_1[0], "none")]
    assert exported(started) == before


def test_the_player_without_a_key_works_as_before(started: TestClient, services: Person) -> None:
    assert player_post(started, "/session/answer", None, exercise=PHASE_1[0], pain="none")
    twice = player_post(started, "/session/answer", None, exercise=PHASE_1[0], pain="none")

    assert twice.status_code == 422
    assert "given twice" in form_error(twice)
    assert given(services) == [(PHASE_1[0], "none")]


def test_an_end_sent_again_with_its_key_records_the_session_once(
    started: TestClient, services: Person
) -> None:
    player_post(started, "/session/answer", "a-1", exercise=PHASE_1[0], pain="none")
    player_post(started, "/session/answer", "a-2", exercise=PHASE_1[1], pain="sharp")

    first = player_post(started, "/session/finish", "end", date="2026-11-02")
    again = player_post(started, "/session/finish", "end", date="2026-11-02")
    without = player_post(started, "/session/finish", None, date="2026-11-02")

    assert first.status_code == again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Session saved" in page_text(first) and "Session saved" in page_text(again)
    assert without.status_code == 422  # no key: the rules refuse a second end
    recorded = sessions(started)
    assert len(recorded) == 1
    assert [(r["id"], r["pain"]) for r in recorded[0]["exercises"]] == [
        (PHASE_1[0], "none"),
        (PHASE_1[1], "sharp"),
    ]


def test_answers_kept_overnight_are_of_the_day_they_were_given(
    started: TestClient, clock: Clock, services: Person
) -> None:
    """A phone offline on Monday evening sends Monday's answers on Tuesday: they are of
    Monday's session (the form carries its day), and the session is recorded on Monday."""
    clock.today = TUESDAY
    for n, exercise in enumerate(PHASE_1):
        sent = player_post(
            started, "/session/answer", f"k{n}", exercise=exercise, pain="none", date="2026-11-02"
        )
        assert sent.status_code == 200, page_text(sent)

    assert [s["date"] for s in sessions(started)] == ["2026-11-02"]


def test_the_api_answer_sent_again_with_its_key_is_kept_once(
    started: TestClient, services: Person
) -> None:
    body = {"date": "2026-11-02", "exercise": PHASE_1[0], "pain": "ache"}
    first = started.post("/api/v1/session/answers", json=body, headers={"Idempotency-Key": "x"})
    again = started.post("/api/v1/session/answers", json=body, headers={"Idempotency-Key": "x"})
    other = started.post(
        "/api/v1/session/answers", json={**body, "pain": "none"}, headers={"Idempotency-Key": "x"}
    )

    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert other.status_code == 422
    assert other.json() == {
        "message": "this Idempotency-Key was already used for a different request"
    }
    assert given(services) == [(PHASE_1[0], "ache")]


def test_keys_expire_after_24_hours() -> None:
    """Issue #19: keys were kept a week; they hold 24 hours (docs/api.md)."""
    assert KEYS_KEPT == timedelta(hours=24)


def _age_keys(store: Store, hours: float) -> None:
    """Make every stored key `hours` old (the table is not append-only)."""
    at = datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=hours)
    with store.engine.begin() as connection:
        connection.execute(idempotency_keys.update().values(created_at=at))


def test_an_answer_sent_again_within_24_hours_is_replayed(
    started: TestClient, services: Person, store: Store
) -> None:
    body = {"date": "2026-11-02", "exercise": PHASE_1[0], "pain": "ache"}
    first = started.post("/api/v1/session/answers", json=body, headers={"Idempotency-Key": "x"})
    _age_keys(store, 23.5)
    again = started.post("/api/v1/session/answers", json=body, headers={"Idempotency-Key": "x"})

    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert given(services) == [(PHASE_1[0], "ache")]


def test_an_expired_key_sent_again_is_a_new_request_that_the_rules_refuse(
    started: TestClient, services: Person, store: Store
) -> None:
    """After 24 hours the key no longer answers for the first request: the answer is taken
    as new, and the session's own rules refuse it (that exercise is answered), so nothing
    is written twice, and the expired key is not replayed."""
    body = {"date": "2026-11-02", "exercise": PHASE_1[0], "pain": "ache"}
    started.post("/api/v1/session/answers", json=body, headers={"Idempotency-Key": "x"})
    _age_keys(store, 24.5)
    again = started.post("/api/v1/session/answers", json=body, headers={"Idempotency-Key": "x"})

    assert again.status_code == 422
    assert "Idempotent-Replayed" not in again.headers
    assert given(services) == [(PHASE_1[0], "ache")]


def test_a_session_sent_again_after_24_hours_is_not_recorded_twice(
    started: TestClient, store: Store
) -> None:
    body = session_body(started, MONDAY)
    assert post(started, body).status_code == 201
    _age_keys(store, 25)
    again = post(started, body)

    assert again.status_code == 422
    assert "Idempotent-Replayed" not in again.headers
    assert [s["date"] for s in sessions(started)] == ["2026-11-02"]


def test_keys_older_than_24_hours_are_forgotten_when_the_next_is_kept(
    started: TestClient, store: Store
) -> None:
    old = datetime.now(UTC).replace(tzinfo=None) - KEYS_KEPT - timedelta(minutes=1)
    with store.transaction() as tx:
        tx.add_idempotent_response(1, "last-month", '{"request": "", "body": {}}', old)
        tx.add_idempotent_response(2, "another-person", '{"request": "", "body": {}}', old)

    player_post(started, "/session/answer", "today", exercise=PHASE_1[0], pain="none")

    with store.engine.connect() as connection:
        rows = connection.execute(select(idempotency_keys)).all()
    assert sorted((row.person_id, row.key) for row in rows) == [(1, "today"), (2, "another-person")]
