"""The single-posting hot path (api/hotpath.py) answers exactly as the full
FastAPI app does: every request below is sent to an app with the hot path
and to one without it (same database), and the two answers must match --
status, problem code and document, headers, body shape -- while the hot
path's counters show which requests it took and which it handed over."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import httpx
import pytest

from api.app import create_app

from .conftest import Tenant, add_read_only_key, transfer

#: values that differ between two postings of the same content
_VOLATILE = {"id", "transaction_id", "seq", "hash", "prev_hash", "recorded_at", "request_id", "created_at"}
#: headers whose values differ between two answers
_VOLATILE_HEADERS = {"x-request-id", "date", "location", "content-length", "etag"}


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: "*" if k in _VOLATILE else _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return value


def _answer(r: httpx.Response) -> tuple[int, Any, dict[str, str]]:
    try:
        body: Any = _shape(r.json())
    except ValueError:
        body = r.text
    headers = {k: ("*" if k in _VOLATILE_HEADERS else v) for k, v in r.headers.items()}
    return r.status_code, body, headers


@pytest.fixture
async def slow(engine, settings):
    """The same app without the hot path, on the same database."""
    app = create_app(settings.model_copy(update={"hot_path": False}), engine, background_jobs=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://xborder.test") as c:
        c.app = app  # type: ignore[attr-defined]
        yield c


@pytest.fixture
async def t(app, client, tenant_a) -> Tenant:
    return await add_read_only_key(app, tenant_a)


def _hot(app):
    return app.state.hot_posting


async def _both(client, slow, method_path: str, *, content: bytes | None = None, headers: dict[str, str] | None = None, key: str | None = "fresh"):
    """Send one request to both apps (a fresh Idempotency-Key each unless
    ``key`` names one); the two answers."""
    out = []
    for c, tag in ((client, "hot"), (slow, "slow")):
        h = dict(headers or {})
        if key == "fresh":
            h["Idempotency-Key"] = f"{tag}-{uuid.uuid4()}"
        elif key is not None:
            h["Idempotency-Key"] = f"{tag}-{key}"
        method, path = method_path.split(" ", 1)
        out.append(await c.request(method, path, content=content, headers=h))
    return out


def _body(doc: Any) -> bytes:
    return json.dumps(doc).encode()


async def test_a_well_formed_posting_is_answered_by_the_hot_path_as_by_the_app(app, client, slow, t):
    path = f"POST /v1/ledgers/{t.ledger_id}/transactions"
    doc = transfer(t, "bank", "merchant", "12.34", description="order 1", metadata={"order": "SO-1"})
    hot = _hot(app)
    answered, passed = hot.answered, hot.passed
    h, s = await _both(client, slow, path, content=_body(doc), headers=t.h(**{"Content-Type": "application/json"}))
    assert h.status_code == s.status_code == 201, (h.text, s.text)
    assert _answer(h) == _answer(s)
    assert h.json()["postings"][0]["amount"] == "12.34"
    assert (hot.answered, hot.passed) == (answered + 1, passed)
    # the replay: byte for byte, from the hot path as from the app
    key = {"Content-Type": "application/json", "Idempotency-Key": h.request.headers["idempotency-key"]}
    again = await client.post(path.split(" ", 1)[1], content=_body(doc), headers=t.h(**key))
    assert again.content == h.content and again.headers["idempotent-replayed"] == "true"
    slow_again = await slow.post(path.split(" ", 1)[1], content=_body(doc), headers=t.h(**key))
    assert slow_again.content == h.content
    # the merchant was credited twice (one posting per app), not four times
    r = await client.get(f"/v1/accounts/{t.accounts['merchant']}/balance", headers=t.h())
    assert r.json()["posted"] == "24.68", r.text
    # the request log and the latency metric name the route, not the path
    def routes(a) -> set[tuple[str, str, str]]:
        return {(x.labels["method"], x.labels["route"], x.labels["status"]) for m in a.state.ctx.metrics.registry.collect() for x in m.samples
                if x.name.endswith("_count") and "route" in x.labels}

    def posted(a) -> float:
        return next(x.value for m in a.state.ctx.metrics.registry.collect() for x in m.samples if x.name == "xborder_postings_total")

    assert ("POST", "/v1/ledgers/{ledger_id}/transactions", "201") in routes(app)
    assert routes(app) & {r for r in routes(slow.app) if r[0] == "POST"} == {("POST", "/v1/ledgers/{ledger_id}/transactions", "201")}
    assert posted(app) == posted(slow.app) == 1  # the replays are not postings


async def test_a_refusal_inside_the_endpoint_is_the_apps_problem_document(app, client, slow, t, tenant_b):
    path = f"POST /v1/ledgers/{t.ledger_id}/transactions"
    cases = {
        "unbalanced": {"postings": [
            {"account_id": t.accounts["bank"], "side": "debit", "amount": "1.00", "currency": "USD"},
            {"account_id": t.accounts["merchant"], "side": "credit", "amount": "2.00", "currency": "USD"},
        ]},
        "overdraft": transfer(t, "merchant", "bank", "999999.00"),
        "precision": transfer(t, "bank", "merchant", "1.001"),
        "other institution's account": {"postings": [
            {"account_id": tenant_b.accounts["bank"], "side": "debit", "amount": "1.00", "currency": "USD"},
            {"account_id": t.accounts["merchant"], "side": "credit", "amount": "1.00", "currency": "USD"},
        ]},
        "currency mismatch": transfer(t, "bank", "merchant", "1.00", currency="JPY"),
    }
    hot = _hot(app)
    for name, doc in cases.items():
        answered = hot.answered
        h, s = await _both(client, slow, path, content=_body(doc), headers=t.h(**{"Content-Type": "application/json"}))
        assert h.status_code >= 400, (name, h.text)
        assert _answer(h) == _answer(s), name
        assert h.headers["content-type"] == "application/problem+json", name
        assert hot.answered == answered + 1, name  # the hot path took it; the endpoint refused it
    other = f"POST /v1/ledgers/{tenant_b.ledger_id}/transactions"
    h, s = await _both(client, slow, other, content=_body(transfer(t, "bank", "merchant", "1.00")), headers=t.h(**{"Content-Type": "application/json"}))
    assert h.status_code == s.status_code and h.status_code in (403, 404), h.text
    assert _answer(h) == _answer(s)


async def test_a_refused_credential_is_answered_once_as_the_route_answers_it(app, client, slow, t):
    from sqlalchemy import text

    from api.auth import set_require_signing, sign_request

    base = f"/v1/ledgers/{t.ledger_id}/transactions"
    good = _body(transfer(t, "bank", "merchant", "1.00"))
    json_ct = {"Content-Type": "application/json"}
    hot = _hot(app)
    for name, headers in (
        ("unknown key", {**json_ct, "Authorization": "Bearer xb_nope_nope"}),
        ("not a bearer credential", {**json_ct, "Authorization": "Basic abc"}),
        ("read-only key", t.h_read(**json_ct)),
        ("sme user", t.as_user("sme", **json_ct)),
        ("approver user", t.as_user("approver", **json_ct)),
    ):
        answered = hot.answered
        h, s = await _both(client, slow, "POST " + base, content=good, headers=headers)
        assert h.status_code in (401, 403), (name, h.text)
        assert _answer(h) == _answer(s), name
        assert hot.answered == answered + 1, name

    async def refused() -> int:
        async with app.state.ctx.engine.begin() as conn:
            return (await conn.execute(text("SELECT count(*) FROM audit_log WHERE action = 'auth.signature_refused'"))).scalar_one()

    async with app.state.ctx.engine.begin() as conn:
        await set_require_signing(conn, t.institution_id, True)
    for a in (app, slow.app):
        a.state.ctx.auth_cache.clear()
    before = await refused()
    wrong = {**t.h(**json_ct), **sign_request(t.signing_secret, "POST", base, good), "X-Xborder-Signature": "v1=" + "0" * 64}
    h, s = await _both(client, slow, "POST " + base, content=good, headers=wrong)
    assert h.status_code == 401 and h.json()["code"] == "signature_invalid", h.text
    assert _answer(h) == _answer(s)
    assert await refused() == before + 2  # one audit row per request (one each app), not two for the hot path's
    missing = t.h(**json_ct)
    h, s = await _both(client, slow, "POST " + base, content=good, headers=missing)
    assert h.json()["code"] == "signature_required" and _answer(h) == _answer(s), h.text
    assert await refused() == before + 4
    answered = hot.answered
    signed = {**t.h(**json_ct, **{"Idempotency-Key": "signed-hot-1"}), **sign_request(t.signing_secret, "POST", base, good)}
    r = await client.post(base, content=good, headers=signed)
    assert r.status_code == 201 and hot.answered == answered + 1, r.text
    again = await client.post(base, content=good, headers=signed)
    assert again.status_code == 401 and again.json()["code"] == "signature_replayed", again.text
    assert await refused() == before + 5


async def test_edge_amounts_and_dates_get_the_apps_answer_and_refusals_move_nothing(app, client, slow, t):
    from sqlalchemy import text

    path = f"POST /v1/ledgers/{t.ledger_id}/transactions"
    json_ct = {"Content-Type": "application/json"}

    async def journal() -> int:
        async with app.state.ctx.engine.begin() as conn:
            return (await conn.execute(text("SELECT count(*) FROM transactions"))).scalar_one()

    def dated(value: Any) -> dict[str, Any]:
        return {**transfer(t, "bank", "merchant", "1.00"), "effective_date": value}

    refused = {
        "negative amount": transfer(t, "bank", "merchant", "-1.00"),
        "zero amount": transfer(t, "bank", "merchant", "0.00"),
        "amount beyond the range": transfer(t, "bank", "merchant", "99999999999999999999.99"),
        "date 0": dated(0),
        "date '0'": dated("0"),
        "date 0000-00-00": dated("0000-00-00"),
        "date 2026-02-30": dated("2026-02-30"),
    }
    for name, doc in refused.items():
        before = await journal()
        h, s = await _both(client, slow, path, content=_body(doc), headers=t.h(**json_ct))
        assert 400 <= h.status_code < 500, (name, h.text)
        assert _answer(h) == _answer(s), name
        assert h.headers["content-type"] == "application/problem+json", name
        assert await journal() == before, name  # nothing posted by either app
    # an Idempotency-Key differing only in case is another key, in both apps alike
    good = _body(transfer(t, "bank", "merchant", "1.00"))
    before = await journal()
    for key in ("Case-Key-1", "case-key-1"):
        h, s = await _both(client, slow, path, content=good, headers=t.h(**json_ct), key=key)
        assert h.status_code == s.status_code == 201, (key, h.text)
    assert await journal() == before + 4


_APP_POSTS = ("media type with other parameters", "+json media type", "query string", "upper-case ledger id")


async def test_everything_else_is_answered_by_the_full_app(app, client, slow, t):
    base = f"/v1/ledgers/{t.ledger_id}/transactions"
    good = _body(transfer(t, "bank", "merchant", "1.00"))
    json_ct = {"Content-Type": "application/json"}
    cases: list[tuple[str, str, bytes | None, dict[str, str], str | None]] = [
        ("no credentials", base, good, json_ct, "fresh"),
        ("no key", base, good, t.h(**json_ct), None),
        ("key of blanks", base, good, t.h(**json_ct, **{"Idempotency-Key": "   "}), None),
        ("key with a quote only", base, good, t.h(**json_ct, **{"Idempotency-Key": '"'}), None),
        ("key too long", base, good, t.h(**json_ct, **{"Idempotency-Key": "k" * 300}), None),
        ("text/plain", base, good, t.h(**{"Content-Type": "text/plain"}), "fresh"),
        ("no media type", base, good, t.h(), "fresh"),
        ("media type with other parameters", base, good, t.h(**{"Content-Type": "application/json; charset=utf-8; v=1"}), "fresh"),
        ("+json media type", base, good, t.h(**{"Content-Type": "application/vnd.x+json"}), "fresh"),
        ("query string", base + "?dry_run=1", good, t.h(**json_ct), "fresh"),
        ("upper-case ledger id", base.replace(str(t.ledger_id), str(t.ledger_id).upper()), good, t.h(**json_ct), "fresh"),
        ("malformed ledger id", "/v1/ledgers/0/transactions", good, t.h(**json_ct), "fresh"),
        ("invalid JSON", base, b'{"postings": [', t.h(**json_ct), "fresh"),
        ("empty body", base, b"", t.h(**json_ct), "fresh"),
        ("not an object", base, b"[]", t.h(**json_ct), "fresh"),
        ("float amount", base, _body({"postings": [{"account_id": t.accounts["bank"], "side": "debit", "amount": 10.5, "currency": "USD"},
                                                   {"account_id": t.accounts["merchant"], "side": "credit", "amount": 10.5, "currency": "USD"}]}), t.h(**json_ct), "fresh"),
        ("unknown field", base, _body({**transfer(t, "bank", "merchant", "1.00"), "priority": "high"}), t.h(**json_ct), "fresh"),
        ("value date 0", base, _body({**transfer(t, "bank", "merchant", "1.00"), "effective_date": 0}), t.h(**json_ct), "fresh"),
        ("NUL in the description", base, _body({**transfer(t, "bank", "merchant", "1.00"), "description": "a\u0000b"}), t.h(**json_ct), "fresh"),
        ("latin-1 bytes", base, b'{"postings": [], "description": "\xff"}', t.h(**json_ct), "fresh"),
    ]
    hot = _hot(app)
    before = await client.get(f"/v1/accounts/{t.accounts['merchant']}/balance", headers=t.h())
    posted = 0
    for name, path, content, headers, key in cases:
        answered = hot.answered
        h, s = await _both(client, slow, "POST " + path, content=content, headers=headers, key=key)
        assert _answer(h) == _answer(s), name
        assert hot.answered == answered, f"{name}: taken by the hot path"
        # the app posts other spellings of the JSON media type, and ignores query parameters and the
        # case of the ledger id; everything else it refuses
        assert (h.status_code == 201) == (name in _APP_POSTS), (name, h.text)
        posted += 2 if h.status_code == 201 else 0
    # two copies of the key (httpx sends both): the full app decides
    answered = hot.answered
    r = await client.post(base, content=good, headers=[("Authorization", f"Bearer {t.key}"), ("Content-Type", "application/json"),
                                                        ("Idempotency-Key", "dup-1"), ("Idempotency-Key", "dup-2")])
    assert hot.answered == answered, r.text
    after = await client.get(f"/v1/accounts/{t.accounts['merchant']}/balance", headers=t.h())
    # only the postings answered 201 moved money (the duplicate-header request is the app's to judge)
    posted += 1 if r.status_code == 201 else 0
    assert int(after.json()["posted"].replace(".", "")) - int(before.json()["posted"].replace(".", "")) == 100 * posted


async def test_the_hot_path_can_be_turned_off(engine, settings, tenant_a):
    app = create_app(settings.model_copy(update={"hot_path": False}), engine, background_jobs=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://xborder.test") as c:
        r = await c.post(f"/v1/ledgers/{tenant_a.ledger_id}/transactions", json=transfer(tenant_a, "bank", "merchant", "1.00"),
                         headers=tenant_a.h(**{"Idempotency-Key": "off-1"}))
    assert r.status_code == 201, r.text
    assert getattr(app.state, "hot_posting", None) is None


async def test_concurrent_hot_postings_with_one_key_move_the_money_once(app, client, t):
    import asyncio

    path = f"/v1/ledgers/{t.ledger_id}/transactions"
    doc = _body(transfer(t, "bank", "merchant", "5.00"))
    h = t.h(**{"Content-Type": "application/json", "Idempotency-Key": "race-hot-1"})
    rs = await asyncio.gather(*(client.post(path, content=doc, headers=h) for _ in range(8)))
    codes = sorted(r.status_code for r in rs)
    assert set(codes) <= {201, 409} and 201 in codes, codes
    bodies = {r.content for r in rs if r.status_code == 201}
    assert len(bodies) == 1
    r = await client.get(f"/v1/accounts/{t.accounts['merchant']}/balance", headers=t.h())
    assert r.json()["posted"] == "5.00"
    assert re.fullmatch(r"[0-9a-f-]{36}", json.loads(next(iter(bodies)))["id"])
