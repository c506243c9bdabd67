"""The API served by a real uvicorn on a loopback port, called with a real
HTTP client: key auth, signed requests and replays, idempotent replays,
readiness, metrics and the JSON request log, on SQLite and PostgreSQL.

:class:`LiveServer` is also used by ``test_schemathesis.py``.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
import socket
import threading
import time
import uuid
from collections.abc import Coroutine
from typing import Any

import httpx
import uvicorn

from api.app import create_app
from api.auth import create_user, issue_api_key, sign_request
from api.observability import JsonFormatter
from api.scopes import ALL_SCOPES
from ledger.config import Settings
from ledger.db import create_engine

PROBLEM = "application/problem+json"
PASSWORD = "correct horse battery"


class LiveServer:
    """``create_app()`` on ``db_url`` served by uvicorn in a background
    thread, on a port of 127.0.0.1 chosen by the kernel.

    The server's event loop owns the engine; :meth:`run` executes a
    coroutine on that loop (to seed data through the library)."""

    def __init__(self, settings: Settings, db_url: str) -> None:
        self.settings = settings
        self.engine = create_engine(db_url, settings=settings)
        self.app = create_app(settings, self.engine, background_jobs=False)
        # proto=IPPROTO_TCP so that asyncio sets TCP_NODELAY on accepted
        # connections (it checks sock.proto): without it every response
        # waits ~40 ms for a delayed ACK (Nagle)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(self.app, lifespan="on", log_config=None, log_level="warning", access_log=False, timeout_graceful_shutdown=5)
        self.server = uvicorn.Server(config)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, name=f"uvicorn-{self.port}", daemon=True)
        self.error: BaseException | None = None

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self._serve())
        except BaseException as exc:  # noqa: BLE001 - reported by start()/stop()
            self.error = exc
        finally:
            self.loop.close()

    async def _serve(self) -> None:
        try:
            await self.server.serve(sockets=[self.sock])
        finally:
            # the ledger's group committer idles on the loop for a while
            others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for t in others:
                t.cancel()
            await asyncio.gather(*others, return_exceptions=True)
            await self.engine.dispose()

    def start(self, timeout: float = 30) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start: {self.error!r}")
            time.sleep(0.01)
        return self

    def run(self, coro: Coroutine[Any, Any, Any], timeout: float = 120) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)
        self.sock.close()
        assert not self.thread.is_alive(), "uvicorn did not stop"

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


class _Capture(logging.Handler):
    """The JSON lines the ``xborder.api`` logger writes."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.stream = io.StringIO()
        self.setFormatter(JsonFormatter())

    def emit(self, record: logging.LogRecord) -> None:
        self.stream.write(self.format(record) + "\n")

    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(x) for x in self.stream.getvalue().splitlines() if x.strip()]


async def _seed(app) -> dict[str, Any]:
    ctx = app.state.ctx
    inst = await ctx.ledger.create_institution("live-bank", "Live Bank")
    async with ctx.engine.begin() as conn:
        issued = await issue_api_key(conn, ctx.keyring, inst.id, name="live", scopes=ALL_SCOPES)
        await create_user(conn, inst.id, "admin", PASSWORD, "admin")
    led = await ctx.ledger.create_ledger(inst.id, "main", "Main")
    bank = await ctx.ledger.create_account(inst.id, led.id, "bank", "USD", "asset")
    merchant = await ctx.ledger.create_account(inst.id, led.id, "merchant", "USD", "liability")
    return {"key": issued["key"], "signing_secret": issued["signing_secret"], "ledger_id": str(led.id), "bank": str(bank.id), "merchant": str(merchant.id)}


def _problem(r: httpx.Response, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert body["code"] == code and body["status"] == status
    return body


async def test_the_api_over_real_http(db_url, settings):
    capture = _Capture()
    api_log = logging.getLogger("xborder.api")
    old_level = api_log.level
    api_log.addHandler(capture)
    api_log.setLevel(logging.INFO)
    try:
        with LiveServer(settings.model_copy(update={"metrics_token": "metrics-over-http"}), db_url) as live:
            seed = live.run(_seed(live.app))
            auth = {"Authorization": f"Bearer {seed['key']}"}
            async with httpx.AsyncClient(base_url=live.base_url, timeout=30) as http:
                # operations
                r = await http.get("/readyz")
                assert r.status_code == 200, r.text
                assert r.json()["status"] == "ready" and r.json()["database"] == live.engine.dialect.name

                # key auth: refused without, accepted with; the request id is echoed
                _problem(await http.get("/v1/ledgers"), 401, "credentials_missing")
                rid = f"live-{uuid.uuid4().hex}"
                r = await http.get("/v1/ledgers", headers={**auth, "X-Request-ID": rid})
                assert r.status_code == 200 and [x["id"] for x in r.json()["data"]] == [seed["ledger_id"]]
                assert r.headers["X-Request-ID"] == rid

                # a signed request verifies once; the same signature again is a replay
                path = f"/v1/ledgers/{seed['ledger_id']}"
                signed = {**auth, **sign_request(seed["signing_secret"], "GET", path, b"")}
                r = await http.get(path, headers=signed)
                assert r.status_code == 200, r.text
                _problem(await http.get(path, headers=signed), 401, "signature_replayed")

                # a signed POST with a body
                body = json.dumps({
                    "postings": [
                        {"account_id": seed["bank"], "side": "debit", "amount": "125.50", "currency": "USD"},
                        {"account_id": seed["merchant"], "side": "credit", "amount": "125.50", "currency": "USD"},
                    ],
                    "description": "over the wire",
                }).encode()
                tx_path = f"/v1/ledgers/{seed['ledger_id']}/transactions"
                headers = {**auth, "Content-Type": "application/json", "Idempotency-Key": f"live-{uuid.uuid4()}"}
                first = await http.post(tx_path, content=body, headers={**headers, **sign_request(seed["signing_secret"], "POST", tx_path, body)})
                assert first.status_code == 201, first.text
                assert "Idempotent-Replayed" not in first.headers

                # the retry (signed afresh) gets the stored response byte for byte
                again = await http.post(tx_path, content=body, headers={**headers, **sign_request(seed["signing_secret"], "POST", tx_path, body, int(time.time()) + 1)})
                assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
                assert again.content == first.content
                assert again.headers["content-type"] == first.headers["content-type"]
                # ... and posted only once
                bal = (await http.get(f"/v1/accounts/{seed['merchant']}/balance", headers=auth)).json()
                assert bal["posted"] == "125.50"
                listed = (await http.get(tx_path, headers=auth)).json()
                assert [t["id"] for t in listed["data"]] == [first.json()["id"]]

                # metrics: the posting counter and the latency histogram
                assert (await http.get("/metrics")).status_code == 401  # a credential of its own
                assert (await http.get("/metrics", headers=auth)).status_code == 401  # an API key is not one
                r = await http.get("/metrics", headers={"Authorization": "Bearer metrics-over-http"})
                assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
                postings = re.search(r"^xborder_postings_total ([0-9.e+]+)$", r.text, re.M)
                assert postings is not None, r.text
                assert float(postings.group(1)) >= 1
                assert "xborder_http_request_duration_seconds_bucket" in r.text

                # a user token works over the wire too
                r = await http.post("/v1/auth/token", json={"institution": "live-bank", "username": "admin", "password": PASSWORD})
                assert r.status_code == 200, r.text
                me = (await http.get("/v1/me", headers={"Authorization": f"Bearer {r.json()['access_token']}"})).json()
                assert me["role"] == "admin" and me["actor_type"] == "user"
    finally:
        api_log.removeHandler(capture)
        api_log.setLevel(old_level)

    lines = capture.lines()
    mine = [x for x in lines if x.get("request_id") == rid]
    assert len(mine) == 1, lines
    entry = mine[0]
    assert entry["msg"] == "request" and entry["logger"] == "xborder.api" and entry["level"] == "info"
    assert entry["method"] == "GET" and entry["path"] == "/v1/ledgers" and entry["route"] == "/v1/ledgers" and entry["status"] == 200
    assert entry["institution_id"] and entry["actor"].startswith("api_key:") and isinstance(entry["duration_ms"], (int, float))
    # every request was logged with a request id, and the replayed POST's too
    assert all(x.get("request_id") for x in lines if x.get("msg") == "request")
    statuses = [(x["method"], x["route"], x["status"]) for x in lines if x.get("msg") == "request"]
    assert statuses.count(("POST", "/v1/ledgers/{ledger_id}/transactions", 201)) == 2
