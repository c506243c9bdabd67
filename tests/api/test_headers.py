"""Security headers (issue #18): ``X-Content-Type-Options: nosniff`` on
every answer, ``Cache-Control: no-store`` on every API and authenticated
answer (problems too), HSTS over TLS (directly or through a trusted proxy),
the console's and the docs' CSP kept; ``/metrics`` behind its own token.
On SQLite and PostgreSQL."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest

from api.app import create_app
from api.headers import HSTS, trusted_networks

ID = str(uuid.uuid4())


def _get_routes(app) -> list[str]:
    """Every documented GET of the API, path parameters filled with an id nobody has."""
    paths = app.openapi()["paths"]
    return sorted(re.sub(r"\{[^}]+\}", ID, p) for p, ops in paths.items() if "get" in ops and p.startswith("/v1"))


def _protected(r: httpx.Response) -> None:
    label = f"{r.request.method} {r.request.url.path} -> {r.status_code}"
    assert r.headers.get("x-content-type-options") == "nosniff", label
    assert r.headers.get("cache-control") == "no-store", label


async def test_every_get_route_answers_nosniff_and_no_store(app, client, tenant_a):
    paths = _get_routes(app)
    assert len(paths) > 40
    statuses = set()
    for path in paths:
        for headers in (tenant_a.h(), tenant_a.as_user("finance"), {}):
            r = await client.get(path, headers=headers)
            statuses.add(r.status_code)
            _protected(r)
            assert "strict-transport-security" not in r.headers  # plain http, no trusted proxy
    assert {200, 401, 404} <= statuses  # answers and problems alike
    # the balance of an account, personal data of a customer: not stored by any cache
    _protected(await client.get(f"/v1/accounts/{tenant_a.accounts['merchant']}/balance", headers=tenant_a.h()))


async def test_problems_and_refusals_of_the_middleware_carry_them_too(client, tenant_a, settings):
    t = tenant_a
    too_big = await client.post(f"/v1/ledgers/{t.ledger_id}/transactions", content=b"x" * (settings.max_body_bytes + 1),
                                headers=t.h(**{"Idempotency-Key": "big", "Content-Type": "application/json"}))
    nul = await client.get("/v1/events?type=a%00b", headers=t.h())
    bad = await client.post("/v1/webhook-endpoints", json={"url": "http://127.0.0.1/x"}, headers=t.h(**{"Idempotency-Key": "h-1"}))
    unknown = await client.get("/v1/no-such-thing", headers=t.h())
    assert [too_big.status_code, nul.status_code, bad.status_code, unknown.status_code] == [413, 422, 422, 404]
    for r in (too_big, nul, bad, unknown):
        _protected(r)


async def test_operations_and_docs_carry_nosniff_and_keep_their_own_policies(client):
    health = await client.get("/healthz")
    assert health.headers["x-content-type-options"] == "nosniff" and "cache-control" not in health.headers
    docs = await client.get("/docs")
    assert docs.headers["x-content-type-options"] == "nosniff" and "default-src" in docs.headers["content-security-policy"]
    login = await client.get("/console/login")
    assert login.status_code == 200 and "frame-ancestors 'none'" in login.headers["content-security-policy"]
    assert login.headers["cache-control"] == "no-store" and login.headers["x-content-type-options"] == "nosniff"


async def test_hsts_when_served_over_tls_or_through_a_trusted_proxy(app, engine, settings, tenant_a):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://xborder.test") as tls:
        for r in (await tls.get("/healthz"), await tls.get("/v1/ledgers", headers=tenant_a.h()), await tls.get("/v1/ledgers")):
            assert r.headers["strict-transport-security"] == HSTS and r.headers["x-content-type-options"] == "nosniff"
    forwarded = {"X-Forwarded-Proto": "https"}
    # the test client connects from 127.0.0.1; without trusted proxies the header is anyone's word
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=("127.0.0.1", 5000)), base_url="http://xborder.test") as plain:
        assert "strict-transport-security" not in (await plain.get("/healthz", headers=forwarded)).headers
    behind = create_app(settings.model_copy(update={"trusted_proxies": "10.0.0.0/8, 127.0.0.1"}), engine, background_jobs=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=behind, client=("127.0.0.1", 5000)), base_url="http://xborder.test") as proxied:
        assert (await proxied.get("/healthz", headers=forwarded)).headers["strict-transport-security"] == HSTS
        assert "strict-transport-security" not in (await proxied.get("/healthz", headers={"X-Forwarded-Proto": "http"})).headers
        assert "strict-transport-security" not in (await proxied.get("/healthz")).headers
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=behind, client=("192.0.2.9", 5000)), base_url="http://xborder.test") as stranger:
        assert "strict-transport-security" not in (await stranger.get("/healthz", headers=forwarded)).headers


def test_trusted_proxies_setting_is_read_like_the_server_reads_it():
    nets, everyone = trusted_networks("127.0.0.1, 10.0.0.0/8,::1, none, /run/proxy.sock")
    assert [str(n) for n in nets] == ["127.0.0.1/32", "10.0.0.0/8", "::1/128"] and not everyone
    assert trusted_networks(None) == ([], False) and trusted_networks("none") == ([], False) and trusted_networks("*")[1] is True


# -- /metrics -------------------------------------------------------------------------------------


async def test_metrics_are_not_served_without_a_token_setting(client, tenant_a):
    for headers in ({}, tenant_a.h(), {"Authorization": "Bearer anything"}):
        r = await client.get("/metrics", headers=headers)
        assert r.status_code == 404 and r.json()["code"] == "not_found"
        assert r.json() == (await client.get("/no-such-route")).json() | {"status": 404}


@pytest.fixture
def metrics_app(engine, settings):
    return create_app(settings.model_copy(update={"metrics_token": "s3cret-scrape-token"}), engine, background_jobs=False)


async def test_metrics_need_the_token_and_nothing_else(metrics_app, tenant_a):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=metrics_app), base_url="http://xborder.test") as c:
        for headers, code in (({}, "credentials_missing"), ({"Authorization": "Bearer wrong"}, "credentials_invalid"),
                              ({"Authorization": "Basic s3cret-scrape-token"}, "credentials_invalid"), (tenant_a.h(), "credentials_invalid"),
                              ({"Authorization": "Bearer s3cret-scrape-token-and-more"}, "credentials_invalid")):
            r = await c.get("/metrics", headers=headers)
            assert r.status_code == 401 and r.json()["code"] == code and r.headers["www-authenticate"].startswith("Bearer"), headers
            assert "xborder_" not in r.text
        r = await c.get("/metrics", headers={"Authorization": "Bearer s3cret-scrape-token"})
        assert r.status_code == 200 and "xborder_http_request_duration_seconds" in r.text
        _protected(r)
