"""Separation of duties (issue #18 item 1): the four-eyes mechanism of
api/sod.py through HTTP, on SQLite and PostgreSQL.  Each bypass of the issue
is reproduced and shown refused with the 403 code naming the rule."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from uuid import UUID

from sqlalchemy import select, update

from api.schema import approval_requests, users
from api.sod import POLICIES
from ledger.clock import utc_now
from ledger.events import audit_log

from .conftest import PASSWORD, approve, second_admin

PROBLEM = "application/problem+json"
NEW = {"password": PASSWORD}


def _problem(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert body["code"] == code and body["status"] == status
    return body


def _bearer(token: str, **extra) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **extra}


async def _login(client, t, username: str):
    return await client.post("/v1/auth/token", json={"institution": t.code, "username": username, "password": PASSWORD})


async def _approve_as(client, token: str, request_id: str, key: str):
    return await client.post(f"/v1/approval-requests/{request_id}/approve", headers=_bearer(token, **{"Idempotency-Key": key}))


async def _create_user(client, headers: dict[str, str], username: str, role: str, key: str):
    return await client.post("/v1/users", json={"username": username, "role": role, **NEW}, headers={**headers, "Idempotency-Key": key})


async def _refusals(t) -> list[str]:
    async with t.app.state.ctx.engine.connect() as conn:
        rows = await conn.execute(select(audit_log.c.after).where(audit_log.c.institution_id == t.institution_id, audit_log.c.action == "four_eyes.refused"))
        return [r.after["code"] for r in rows]


async def _age_lineage(t, user_id: str, hours: int) -> None:
    """Move the user's lineage times back: the cooling period has passed (no sleeping)."""
    past = utc_now() - timedelta(hours=hours)
    async with t.app.state.ctx.engine.begin() as conn:
        await conn.execute(update(users).where(users.c.id == UUID(user_id)).values(created_at=past, enabled_at=past, role_granted_at=past))


def test_the_policy_table_names_every_privileged_action():
    expected = {
        "user.create", "user.enable", "user.role_change", "api_key.issue", "product.create", "lpr.set", "rates.spreads", "rates.manual", "goods_haircut.set",
        "loan.write_off", "pledge.liquidate", "netting.close", "receipt.release", "payment.release", "conversion.review", "recon.proposal",
    }
    assert expected <= set(POLICIES)
    for p in POLICIES.values():
        assert p.checker_roles and p.checker_roles <= {"admin", "approver"}, p  # checkers are persons
        assert not p.checker_roles & {"system", "platform"}
    for a in ("user.create", "user.enable", "user.role_change", "api_key.issue"):
        assert POLICIES[a].checker_roles == {"admin"}


async def test_an_admin_cannot_create_an_approver_and_approve_with_him(client, tenant_a):
    """The bypass of the issue: an admin creates a user with the approver (or
    admin) role and uses it to check his own requests."""
    t = tenant_a
    admin = t.as_user("admin")
    r = await _create_user(client, admin, "accomplice", "admin", "u-1")
    assert r.status_code == 202, r.text
    assert r.headers["location"] == f"/v1/approval-requests/{r.json()['id']}"
    req = r.json()
    assert req["action"] == "user.create" and req["status"] == "pending" and req["maker"]["type"] == "user" and req["maker"]["name"] == "admin"
    assert req["user"]["pending"] is True and req["user"]["disabled"] is True and "password" not in req["params"]
    assert (await _login(client, t, "accomplice")).status_code == 401  # pending: cannot log in
    # he cannot approve his own request
    _problem(await _approve_as(client, t.tokens["admin"], req["id"], "a-self"), 403, "four_eyes_same_person")
    # a second admin approves: the user is active
    done = await _approve_as(client, await second_admin(client, t), req["id"], "a-2")
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "executed" and done.json()["checker"]["name"] == "admin2"
    assert done.json()["result"]["pending"] is False and done.json()["result"]["disabled"] is False
    login = await _login(client, t, "accomplice")
    assert login.status_code == 200
    accomplice = login.json()["access_token"]
    # the first admin's next request: the user he created cannot check it within the cooling period
    r2 = await _create_user(client, admin, "another", "finance", "u-2")
    _problem(await _approve_as(client, accomplice, r2.json()["id"], "a-3"), 403, "four_eyes_linked_checker")
    assert (await client.get(f"/v1/approval-requests/{r2.json()['id']}", headers=admin)).json()["status"] == "pending"
    # ... but can after it (24 h by default)
    await _age_lineage(t, req["user"]["id"], 25)
    ok = await _approve_as(client, accomplice, r2.json()["id"], "a-4")
    assert ok.status_code == 200 and ok.json()["status"] == "executed", ok.text
    assert await _refusals(t) == ["four_eyes_same_person", "four_eyes_linked_checker"]


async def test_the_cooling_period_is_a_setting(client, tenant_a):
    t = tenant_a
    t.app.state.ctx.settings.four_eyes_cooling_hours = 48
    r = await _create_user(client, t.as_user("admin"), "helper", "admin", "c-1")
    await approve(client, t, r)
    helper = (await _login(client, t, "helper")).json()["access_token"]
    r2 = await _create_user(client, t.as_user("admin"), "other", "finance", "c-2")
    await _age_lineage(t, r.json()["user"]["id"], 25)
    body = _problem(await _approve_as(client, helper, r2.json()["id"], "c-3"), 403, "four_eyes_linked_checker")
    assert body["cooling_hours"] == 48
    await _age_lineage(t, r.json()["user"]["id"], 49)
    assert (await _approve_as(client, helper, r2.json()["id"], "c-4")).json()["status"] == "executed"


async def test_a_user_enabled_or_promoted_by_the_maker_cannot_check_him(client, tenant_a):
    t = tenant_a
    admin = t.as_user("admin")
    admin2 = await second_admin(client, t)
    users_list = (await client.get("/v1/users", headers=t.h())).json()["data"]
    finance = next(u for u in users_list if u["username"] == "finance")
    # the admin gives the finance user the admin role; another admin approves
    r = await client.post(f"/v1/users/{finance['id']}/role", json={"role": "admin"}, headers={**admin, "Idempotency-Key": "r-1"})
    assert r.status_code == 202 and r.json()["action"] == "user.role_change"
    done = await _approve_as(client, admin2, r.json()["id"], "r-2")
    assert done.json()["status"] == "executed" and done.json()["result"]["role"] == "admin"
    promoted = (await _login(client, t, "finance")).json()["access_token"]
    r3 = await _create_user(client, admin, "x1", "finance", "r-3")
    _problem(await _approve_as(client, promoted, r3.json()["id"], "r-4"), 403, "four_eyes_linked_checker")
    # enabling: the admin re-enables a disabled user, another admin approves; the same rule
    assert (await client.post(f"/v1/users/{finance['id']}/disable", headers=admin)).status_code == 200
    r5 = await client.post(f"/v1/users/{finance['id']}/enable", headers={**t.h(), "Idempotency-Key": "r-5"})
    assert r5.status_code == 202 and r5.json()["action"] == "user.enable"
    assert (await _login(client, t, "finance")).status_code == 401  # still disabled until approved
    assert (await _approve_as(client, admin2, r5.json()["id"], "r-6")).json()["status"] == "executed"
    async with t.app.state.ctx.engine.connect() as conn:
        row = (await conn.execute(select(users).where(users.c.id == UUID(finance["id"])))).one()
    assert row.enabled_by == f"api_key:{t.key_id}" and row.role_granted_by.startswith("user:") and row.created_by == "operator"


async def test_a_key_issued_by_an_admin_is_the_admin_under_another_name(client, tenant_a):
    t = tenant_a
    admin = t.as_user("admin")
    r = await client.post("/v1/api-keys", json={"name": "admin's own", "scopes": ["users:manage", "approvals:read"]}, headers={**admin, "Idempotency-Key": "k-1"})
    assert r.status_code == 202, r.text
    issued = r.json()["api_key"]
    assert issued["pending"] is True and issued["key"].startswith("xb_") and issued["signing_secret"]
    key_headers = {"Authorization": f"Bearer {issued['key']}"}
    _problem(await client.get("/v1/me", headers=key_headers), 401, "credentials_pending")
    _problem(await client.post(f"/v1/api-keys/{issued['id']}/rotate", json={"grace_seconds": 0}, headers=admin), 409, "conflict")
    await approve(client, t, r)  # by the second admin
    assert (await client.get("/v1/me", headers=key_headers)).status_code == 200
    # the key makes a request; the admin who issued it cannot check it
    r2 = await _create_user(client, key_headers, "via-key", "admin", "k-2")
    assert r2.status_code == 202 and r2.json()["maker"]["type"] == "api_key" and r2.json()["maker"]["name"] == "admin's own"
    _problem(await _approve_as(client, t.tokens["admin"], r2.json()["id"], "k-3"), 403, "four_eyes_same_person")
    # and the other way round: the admin makes, his key cannot check (keys never check)
    r3 = await _create_user(client, admin, "by-admin", "finance", "k-4")
    _problem(await client.post(f"/v1/approval-requests/{r3.json()['id']}/approve", headers={**key_headers, "Idempotency-Key": "k-5"}), 403, "four_eyes_person_required")


async def test_api_keys_never_approve(client, tenant_a):
    t = tenant_a
    r = await _create_user(client, t.as_user("admin"), "someone", "finance", "p-1")
    body = _problem(await client.post(f"/v1/approval-requests/{r.json()['id']}/approve", headers=t.h(**{"Idempotency-Key": "p-2"})), 403, "four_eyes_person_required")
    assert body["action"] == "user.create"
    _problem(await _approve_as(client, t.tokens["approver"], r.json()["id"], "p-3"), 403, "four_eyes_checker_role")
    assert await _refusals(t) == ["four_eyes_person_required", "four_eyes_checker_role"]


async def test_two_checkers_approving_at_once_execute_it_once(client, tenant_a):
    t = tenant_a
    admin2 = await second_admin(client, t)
    for i in range(3):
        r = await _create_user(client, t.h(), f"race-{i}", "finance", f"race-{i}")
        answers = await asyncio.gather(_approve_as(client, t.tokens["admin"], r.json()["id"], f"x-{i}"), _approve_as(client, admin2, r.json()["id"], f"y-{i}"))
        codes = sorted(a.status_code for a in answers)
        assert codes == [200, 409], [a.text for a in answers]
        assert next(a for a in answers if a.status_code == 409).json()["code"] == "approval_request_not_pending"
        async with t.app.state.ctx.engine.connect() as conn:
            n = (await conn.execute(select(audit_log.c.id).where(audit_log.c.action == "user.activate", audit_log.c.object_id == r.json()["user"]["id"]))).all()
        assert len(n) == 1


async def test_a_rejected_request_is_never_executed(client, tenant_a):
    t = tenant_a
    r = await _create_user(client, t.h(), "rejected", "admin", "j-1")
    rid = r.json()["id"]
    # a non-checker may not reject; the checker may
    _problem(await client.post(f"/v1/approval-requests/{rid}/reject", json={"reason": "no"}, headers=t.as_user("finance")), 403, "four_eyes_checker_role")
    rej = await client.post(f"/v1/approval-requests/{rid}/reject", json={"reason": "not needed"}, headers=t.as_user("admin"))
    assert rej.status_code == 200 and rej.json()["status"] == "rejected" and rej.json()["reason"] == "not needed"
    _problem(await _approve_as(client, await second_admin(client, t), rid, "j-2"), 409, "approval_request_not_pending")
    assert (await _login(client, t, "rejected")).status_code == 401
    names = [u["username"] for u in (await client.get("/v1/users", headers=t.h())).json()["data"]]
    assert "rejected" not in names  # the pending user is removed: the name is free again
    r2 = await _create_user(client, t.h(), "rejected", "finance", "j-3")
    assert r2.status_code == 202
    # the maker withdraws his own request
    w = await client.post(f"/v1/approval-requests/{r2.json()['id']}/reject", headers=t.h())
    assert w.status_code == 200 and w.json()["status"] == "rejected" and w.json()["checker"]["type"] == "api_key"
    # a rejected key never works
    k = await client.post("/v1/api-keys", json={"name": "nope"}, headers=t.h(**{"Idempotency-Key": "j-4"}))
    await client.post(f"/v1/approval-requests/{k.json()['id']}/reject", headers=t.as_user("admin"))
    _problem(await client.get("/v1/me", headers={"Authorization": f"Bearer {k.json()['api_key']['key']}"}), 401, "credentials_revoked")


async def test_a_retried_submission_makes_one_request(client, tenant_a):
    t = tenant_a
    first = await _create_user(client, t.h(), "once", "finance", "same-key")
    again = await _create_user(client, t.h(), "once", "finance", "same-key")
    assert first.status_code == again.status_code == 202
    assert again.headers.get("idempotent-replayed") == "true" and again.json()["id"] == first.json()["id"]
    async with t.app.state.ctx.engine.connect() as conn:
        n = (await conn.execute(select(approval_requests.c.id).where(approval_requests.c.action == "user.create", approval_requests.c.institution_id == t.institution_id))).all()
    assert len(n) == 1
    # the approval is idempotent too
    a1 = await _approve_as(client, t.tokens["admin"], first.json()["id"], "ap")
    a2 = await _approve_as(client, t.tokens["admin"], first.json()["id"], "ap")
    assert a1.status_code == a2.status_code == 200 and a2.headers.get("idempotent-replayed") == "true"


async def test_the_last_admin_cannot_be_disabled(client, tenant_a):
    t = tenant_a
    admin_id = (await client.get("/v1/me", headers=t.as_user("admin"))).json()["actor_id"]
    body = _problem(await client.post(f"/v1/users/{admin_id}/disable", headers=t.h()), 409, "last_admin")
    assert body["user_id"] == admin_id
    _problem(await client.post(f"/v1/users/{admin_id}/disable", headers=t.as_user("admin")), 409, "last_admin")  # nor himself
    _problem(await client.post(f"/v1/users/{admin_id}/role", json={"role": "finance"}, headers=t.h(**{"Idempotency-Key": "d-1"})), 409, "last_admin")
    # a pending admin does not count
    await _create_user(client, t.h(), "pending-admin", "admin", "d-2")
    _problem(await client.post(f"/v1/users/{admin_id}/disable", headers=t.h()), 409, "last_admin")
    await second_admin(client, t)
    r = await client.post(f"/v1/users/{admin_id}/disable", headers=t.h())
    assert r.status_code == 200 and r.json()["disabled"] is True
    assert (await _login(client, t, "admin")).status_code == 401


async def test_requests_are_listed_paged_and_filtered(client, tenant_a, tenant_b):
    t = tenant_a
    ids = [(await _create_user(client, t.h(), f"list-{i}", "finance", f"l-{i}")).json()["id"] for i in range(3)]
    await client.post(f"/v1/approval-requests/{ids[0]}/reject", headers=t.h())
    seen, cursor = [], None
    while True:
        page = (await client.get("/v1/approval-requests", params={"limit": 1, **({"cursor": cursor} if cursor else {})}, headers=t.as_user("approver"))).json()
        seen += [r["id"] for r in page["data"]]
        if not page["has_more"]:
            break
        cursor = page["next_cursor"]
    assert seen == ids[::-1]
    pending = (await client.get("/v1/approval-requests", params={"status": "pending", "action": "user.create"}, headers=t.h())).json()["data"]
    assert [r["id"] for r in pending] == ids[:0:-1]
    assert (await client.get("/v1/approval-requests", headers=tenant_b.h())).json()["data"] == []
    _problem(await client.get(f"/v1/approval-requests/{ids[1]}", headers=tenant_b.h()), 404, "not_found")
    _problem(await client.get("/v1/approval-requests", headers=t.as_user("sme")), 403, "forbidden_role")


async def test_an_approver_created_by_the_admin_cannot_check_his_configuration(client, tenant_a):
    """The issue's scenario on configuration: the admin creates an approver
    (approved by a second admin), proposes an LPR and a spread; the new
    approver is refused for 24 h, the fixture's approver may check."""
    t = tenant_a
    admin = t.as_user("admin")
    r = await _create_user(client, admin, "new-approver", "approver", "cfg-1")
    await approve(client, t, r)  # by the second admin
    new_approver = (await _login(client, t, "new-approver")).json()["access_token"]
    lpr = await client.post("/v1/financing/lpr", json={"tenor": "1y", "effective_date": "2026-01-20", "rate": "0.0310"}, headers={**admin, "Idempotency-Key": "cfg-2"})
    assert lpr.status_code == 202 and lpr.json()["action"] == "lpr.set" and lpr.json()["params"]["rate"] == "0.0310"
    _problem(await _approve_as(client, new_approver, lpr.json()["id"], "cfg-3"), 403, "four_eyes_linked_checker")
    _problem(await _approve_as(client, t.tokens["admin"], lpr.json()["id"], "cfg-4"), 403, "four_eyes_same_person")
    _problem(await _approve_as(client, t.tokens["finance"], lpr.json()["id"], "cfg-5"), 403, "four_eyes_checker_role")
    done = await _approve_as(client, t.tokens["approver"], lpr.json()["id"], "cfg-6")
    assert done.json()["status"] == "executed" and done.json()["result"] == {"tenor": "1y", "effective_date": "2026-01-20", "rate": "0.0310"}
    # nothing happened before the approval: a spread is not applied while pending
    spread = await client.put("/v1/rates/spreads", json={"base": "USD", "quote": "CNY", "spread_bp": 77}, headers={**admin, "Idempotency-Key": "cfg-7"})
    assert (await client.get("/v1/rates/spreads", headers=admin)).json()["data"] == []
    await _age_lineage(t, r.json()["user"]["id"], 25)
    ok = await _approve_as(client, new_approver, spread.json()["id"], "cfg-8")
    assert ok.json()["status"] == "executed" and ok.json()["checker"]["name"] == "new-approver"
    assert [s["spread_bp"] for s in (await client.get("/v1/rates/spreads", headers=admin)).json()["data"]] == [77]


async def test_an_execution_that_fails_is_recorded_failed_with_the_problem(client, tenant_a):
    t = tenant_a
    body = {"code": "dup-usd", "kind": "order", "currency": "USD", "config": {"fixed_rate": "0.05"}}
    first = await client.post("/v1/financing/products", json=body, headers=t.h(**{"Idempotency-Key": "f-1"}))
    second = await client.post("/v1/financing/products", json=body, headers=t.h(**{"Idempotency-Key": "f-2"}))  # both pending: the code is free
    assert first.status_code == second.status_code == 202
    assert (await approve(client, t, first))["status"] == "executed"
    failed = await approve(client, t, second)
    assert failed["status"] == "failed" and failed["result"]["code"] == "conflict" and "dup-usd" in failed["reason"]
    _problem(await client.post("/v1/financing/products", json=body, headers=t.h(**{"Idempotency-Key": "f-3"})), 409, "conflict")  # checked when proposed


def test_a_role_outside_the_makers_is_refused_by_name():
    from api.auth import Principal
    from api.sod import maker_refusal

    p = Principal(UUID(int=1), "user", UUID(int=2), "finance")
    refusal = maker_refusal(p, "user.create")
    assert refusal is not None and refusal.status == 403 and refusal.code == "four_eyes_maker_role"
    assert maker_refusal(Principal(UUID(int=1), "api_key", UUID(int=3), "system"), "user.create") is None


async def test_an_sme_user_keeps_his_role(client, tenant_a):
    t = tenant_a
    sme = next(u for u in (await client.get("/v1/users", headers=t.h())).json()["data"] if u["username"] == "sme")
    body = _problem(await client.post(f"/v1/users/{sme['id']}/role", json={"role": "finance"}, headers=t.h(**{"Idempotency-Key": "sme-1"})), 422, "role_change_not_allowed")
    assert body["role"] == "sme"
    _problem(await client.post(f"/v1/users/{sme['id']}/role", json={"role": "sme"}, headers=t.h(**{"Idempotency-Key": "sme-2"})), 422, "validation_error")


async def test_another_institutions_checker_cannot_approve_or_reject_a_request(client, tenant_a, tenant_b):
    """A bank's admin holding another bank's request id: 404 as for a random
    id, and the request stays pending (nothing executes, nothing is rejected)."""
    r = await _create_user(client, tenant_a.as_user("admin"), "cross-bank", "finance", "x-1")
    rid = r.json()["id"]
    for role in ("admin", "approver"):
        _problem(await _approve_as(client, tenant_b.tokens[role], rid, f"x-b-{role}"), 404, "not_found")
        _problem(await client.post(f"/v1/approval-requests/{rid}/reject", headers=tenant_b.as_user(role, **{"Idempotency-Key": f"x-r-{role}"})), 404, "not_found")
    assert (await client.get(f"/v1/approval-requests/{rid}", headers=tenant_a.h())).json()["status"] == "pending"
    login = await client.post("/v1/auth/token", json={"institution": "bank-a", "username": "cross-bank", "password": NEW["password"]})
    assert login.status_code == 401  # still pending: cannot log in
