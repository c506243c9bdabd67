"""Separation of duties ("four eyes"): one mechanism for every privileged action.

* :data:`POLICIES` is the one table of privileged actions: for each, the
  roles that may propose it (makers) and the roles that may approve it
  (checkers).  A route of such an action does not perform it: it calls
  :func:`submit`, which stores a pending *approval request* and answers 202.
* A checker approves it with ``POST /v1/approval-requests/{id}/approve``
  (:mod:`api.routers.approvals`); the action's executor (registered with
  :func:`register`) then performs it, once, however many checkers approve
  at the same moment (a conditional ``pending -> executing`` update).
* :func:`check_checker` is the rule a checker passes: a person (a user, never
  an API key), with a checker role of the action, who is not the maker (nor
  the maker under another name: the person behind the maker's API key, or a
  key the maker issued), and who was not created, enabled or given his role
  by the maker (directly or through a key the maker issued) within the
  cooling period (``XBORDER_FOUR_EYES_COOLING_HOURS``, default 24).
  Every refusal is a 403 problem naming the rule, and is audited
  (``four_eyes.refused``).

Operator paths (the ``xborder`` CLI, bootstrap, the demo) act directly: the
operator has the database itself.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger.clock import utc_now
from ledger.config import get_settings
from ledger.events import record_audit
from ledger.ids import uuid7

from .auth import Principal
from .problems import ProblemError
from .schema import api_keys, approval_requests, users


@dataclass(frozen=True)
class Policy:
    """A privileged action: who may propose it, who may approve it."""

    action: str
    maker_roles: frozenset[str]
    checker_roles: frozenset[str]
    summary: str


def _p(action: str, makers: tuple[str, ...], checkers: tuple[str, ...], summary: str) -> Policy:
    return Policy(action, frozenset(makers), frozenset(checkers), summary)


_ADMINS = ("admin",)
_APPROVERS = ("approver", "admin")
_STAFF_WRITE = ("system", "admin", "finance")

#: the one table of privileged actions (checkers are always persons: users)
POLICIES: dict[str, Policy] = {p.action: p for p in (
    # user and key administration
    _p("user.create", ("system", "admin"), _ADMINS, "create a staff or SME user"),
    _p("user.enable", ("system", "admin"), _ADMINS, "enable a disabled user"),
    _p("user.role_change", ("system", "admin"), _ADMINS, "change a user's role"),
    _p("api_key.issue", ("system", "admin"), _ADMINS, "issue an API key"),
    # configuration
    _p("product.create", ("system", "admin"), _APPROVERS, "configure a financing product"),
    _p("lpr.set", ("system", "admin"), _APPROVERS, "record a Loan Prime Rate"),
    _p("rates.spreads", ("system", "admin"), _APPROVERS, "set the spread of a currency pair"),
    _p("rates.manual", ("system", "admin"), _APPROVERS, "enter a manual mid rate"),
    _p("goods_haircut.set", ("system", "admin"), _APPROVERS, "set the haircut of a goods type"),
    # money-moving actions
    # (makers: the roles that could act alone before four eyes; the route admits exactly them)
    _p("loan.write_off", ("system", "admin", "approver"), _APPROVERS, "write off a loan"),
    _p("pledge.liquidate", ("system", "finance"), _APPROVERS, "liquidate pledged collateral"),
    _p("netting.close", ("system", "finance"), _APPROVERS, "close a netting cycle (also a partner-bank day)"),
    _p("receipt.release", ("system", "approver"), _APPROVERS, "release a held receipt"),
    _p("payment.release", ("system", "approver"), _APPROVERS, "release a held outward payment"),
    _p("conversion.review", ("system", "approver"), _APPROVERS, "convert through the review path (documentary proof), the checker the reviewer"),
    # the reconciliation service keeps its proposals; its approval routes apply the checker rule (approvers only, as the service requires)
    _p("recon.proposal", ("admin", "finance", "approver"), ("approver",), "approve a reconciliation proposal (match, split, adjustment, fee)"),
    # the maker of a day's sign-off is whoever last changed that day's matching (the console's bank vs book page)
    _p("recon.day_signoff", ("admin", "finance", "approver"), ("approver",), "sign off a reconciled account's day (bank vs book)"),
)}

#: a stored request as the executor sees it (a SQLAlchemy row of ``approval_requests``)
ApprovalRequestRow = Any
Executor = Callable[[Any, UUID, dict[str, Any], Principal, ApprovalRequestRow], Awaitable[tuple[int, dict[str, Any]]]]
OnReject = Callable[[AsyncConnection, UUID, dict[str, Any], ApprovalRequestRow], Awaitable[None]]

_EXECUTORS: dict[str, Executor] = {}
_ON_REJECT: dict[str, OnReject] = {}

STATUSES = ("pending", "executing", "executed", "rejected", "failed")


def register(action: str, executor: Executor, *, on_reject: OnReject | None = None) -> None:
    """The function that performs ``action`` once approved; ``on_reject``
    undoes what the submission prepared (a pending user or key) when the
    request is rejected or withdrawn (inside the rejection's transaction)."""
    if action not in POLICIES:
        raise KeyError(f"no four-eyes policy for {action!r}")
    _EXECUTORS[action] = executor
    if on_reject is not None:
        _ON_REJECT[action] = on_reject


def executor_for(action: str) -> Executor | None:
    return _EXECUTORS.get(action)


def on_reject_for(action: str) -> OnReject | None:
    return _ON_REJECT.get(action)


def policy(action: str) -> Policy:
    return POLICIES[action]


def _aware(ts: datetime | None) -> datetime | None:
    return None if ts is None else ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts


# -- the checker rule -------------------------------------------------------------------


#: the refusals' titles by code (also in the console's catalog)
FOUR_EYES_TITLES = {
    "four_eyes_same_person": "The checker is the maker",
    "four_eyes_checker_role": "The checker's role may not approve this action",
    "four_eyes_linked_checker": "The checker was set up by the maker",
    "four_eyes_person_required": "Only a person can approve",
    "four_eyes_maker_role": "The role may not propose this action",
}


def four_eyes_problem(code: str, detail: str, **extra: Any) -> ProblemError:
    return ProblemError(403, code, FOUR_EYES_TITLES[code], detail, **extra)


async def _key_creators(conn: AsyncConnection, actor: str) -> list[str]:
    """The chain of issuers behind ``actor`` (an API key: who issued it, who
    issued that key, ...)."""
    out: list[str] = []
    seen = {actor}
    while actor.startswith("api_key:") and len(out) < 16:
        try:
            kid = UUID(actor.split(":", 1)[1])
        except ValueError:
            break
        row = (await conn.execute(select(api_keys.c.created_by).where(api_keys.c.id == kid))).first()
        if row is None or not row.created_by or row.created_by in seen or not row.created_by.startswith(("user:", "api_key:")):
            break  # the operator (CLI, bootstrap) is nobody's other name
        actor = row.created_by
        seen.add(actor)
        out.append(actor)
    return out


async def maker_identities(conn: AsyncConnection, institution_id: UUID, maker: str) -> set[str]:
    """Every actor that is the maker "under another name": the maker, the
    persons and keys behind his key, and every key issued by any of them."""
    found = {maker, *await _key_creators(conn, maker)}
    for _ in range(8):  # keys issued by keys issued by ...: a bounded fixpoint
        rows = await conn.execute(select(api_keys.c.id).where(api_keys.c.institution_id == institution_id, api_keys.c.created_by.in_(sorted(found))))
        more = {f"api_key:{r.id}" for r in rows} - found
        if not more:
            break
        found |= more
    return found


def _linked(row: Any, identities: set[str], since: datetime) -> str | None:
    """How the maker set the checker up within the cooling period, if he did."""
    for by, at, what in (
        (row.created_by, row.created_at, "created"),
        (row.enabled_by, row.enabled_at, "enabled"),
        (row.role_granted_by, row.role_granted_at, "given the role"),
    ):
        when = _aware(at)
        if by in identities and when is not None and when > since:
            return what
    return None


async def checker_refusal(
    conn: AsyncConnection, institution_id: UUID, action: str, *, maker_type: str, maker_id: str, checker: Principal, cooling_hours: int | None = None,
) -> ProblemError | None:
    """The refusal of ``checker`` for a request of ``action`` made by
    ``maker_type:maker_id``, or None when he may approve it."""
    pol = POLICIES[action]
    maker = f"{maker_type}:{maker_id}"
    if checker.actor_type != "user":
        return four_eyes_problem("four_eyes_person_required", f"'{action}' is approved by a person (a user with role {', '.join(sorted(pol.checker_roles))}), never by an API key", action=action)
    identities = await maker_identities(conn, institution_id, maker)
    if checker.actor in identities:
        return four_eyes_problem("four_eyes_same_person", f"the checker of '{action}' must be another person than its maker (also through an API key the maker issued or uses)", action=action)
    if checker.role not in pol.checker_roles:
        return four_eyes_problem("four_eyes_checker_role", f"role '{checker.role}' may not approve '{action}'; checker roles: {', '.join(sorted(pol.checker_roles))}", action=action, role=checker.role)
    row = (await conn.execute(select(users).where(users.c.id == checker.actor_id, users.c.institution_id == institution_id))).first()
    hours = get_settings().four_eyes_cooling_hours if cooling_hours is None else cooling_hours
    since = utc_now() - timedelta(hours=hours)
    how = None if row is None else _linked(row, identities, since)
    if how is not None:
        return four_eyes_problem(
            "four_eyes_linked_checker", f"this user was {how} by the maker of '{action}' less than {hours} hours ago: he cannot check the maker's requests yet",
            action=action, cooling_hours=hours,
        )
    return None


async def audit_refusal(conn: AsyncConnection, institution_id: UUID, principal: Principal, refusal: ProblemError, *, object_type: str, object_id: str, request_id: str | None = None) -> None:
    await record_audit(
        conn, institution_id=institution_id, actor_type=principal.actor_type, actor_id=principal.actor, action="four_eyes.refused",
        object_type=object_type, object_id=object_id, after={"code": refusal.code, "detail": refusal.detail, **{k: v for k, v in refusal.extra.items() if v is not None}},
        request_id=request_id,
    )


async def check_checker(
    conn: AsyncConnection, institution_id: UUID, action: str, *, maker_type: str, maker_id: str, checker: Principal, cooling_hours: int | None = None,
    object_type: str = "approval_request", object_id: str = "-",
) -> None:
    """Raise the 403 refusal of ``checker`` (see :func:`checker_refusal`),
    after recording it (``four_eyes.refused``) in ``conn``: commit it (run
    this in its own transaction) so the refusal stays in the audit log."""
    refusal = await checker_refusal(conn, institution_id, action, maker_type=maker_type, maker_id=maker_id, checker=checker, cooling_hours=cooling_hours)
    if refusal is not None:
        await audit_refusal(conn, institution_id, checker, refusal, object_type=object_type, object_id=object_id)
        raise refusal


# -- requests ---------------------------------------------------------------------------


def maker_refusal(principal: Principal, action: str) -> ProblemError | None:
    pol = POLICIES[action]
    if principal.role in pol.maker_roles:
        return None
    return four_eyes_problem("four_eyes_maker_role", f"role '{principal.role}' may not propose '{action}'; maker roles: {', '.join(sorted(pol.maker_roles))}", action=action, role=principal.role)


async def _maker_name(conn: AsyncConnection, principal: Principal) -> str | None:
    if principal.username:
        return principal.username
    if principal.actor_type == "api_key":
        row = (await conn.execute(select(api_keys.c.name).where(api_keys.c.id == principal.actor_id))).first()
        return None if row is None else row.name
    return None


async def create_request(
    conn: AsyncConnection, principal: Principal, action: str, params: dict[str, Any], *, summary: str, object_type: str, object_id: str | None,
    request_id: str | None = None,
) -> Any:
    """Store a pending request of ``action`` by ``principal`` in ``conn`` and
    audit it (``four_eyes.submitted``); returns the stored row.  The caller
    has checked the maker role (:func:`maker_refusal`)."""
    rid = uuid7()
    values = dict(
        id=rid, institution_id=principal.institution_id, action=action, params=jsonable_encoder(params), summary=summary[:500], object_type=object_type[:32],
        object_id=None if object_id is None else str(object_id)[:64], maker_type=principal.actor_type, maker_id=str(principal.actor_id),
        maker_name=await _maker_name(conn, principal), status="pending", created_at=utc_now(),
    )
    await conn.execute(approval_requests.insert().values(**values))
    await record_audit(
        conn, institution_id=principal.institution_id, actor_type=principal.actor_type, actor_id=principal.actor, action="four_eyes.submitted",
        object_type="approval_request", object_id=str(rid), after={"action": action, "summary": values["summary"], "object_type": object_type, "object_id": values["object_id"]},
        request_id=request_id,
    )
    return (await conn.execute(select(approval_requests).where(approval_requests.c.id == rid))).one()


def request_out(row: Any) -> dict[str, Any]:
    """The public shape of a request (``ApprovalRequestOut``)."""
    m = row._mapping
    return {
        "id": m["id"], "action": m["action"], "status": m["status"], "summary": m["summary"], "object_type": m["object_type"], "object_id": m["object_id"],
        "params": m["params"], "maker": {"type": m["maker_type"], "id": m["maker_id"], "name": m["maker_name"]},
        "checker": None if m["checker_id"] is None else {
            "type": m["maker_type"] if m["checker_id"] == m["maker_id"] else "user", "id": m["checker_id"], "name": m["checker_name"],
        },
        "reason": m["reason"], "result": m["result"], "created_at": _aware(m["created_at"]), "decided_at": _aware(m["decided_at"]),
    }


def render(row: Any, status: int = 202, extra: dict[str, Any] | None = None) -> Response:
    body = {**request_out(row), **(extra or {})}
    headers = {"Location": f"/v1/approval-requests/{row.id}"} if status == 202 else None
    return Response(content=json.dumps(jsonable_encoder(body), separators=(",", ":")).encode(), status_code=status, media_type="application/json", headers=headers)


async def submit(request: Request, principal: Principal, action: str, params: dict[str, Any], *, summary: str, object_type: str, object_id: str | None) -> Response:
    """Propose ``action``: 403 ``four_eyes_maker_role`` (audited) when the
    caller's role may not, else a stored pending request answered 202 with
    ``Location: /v1/approval-requests/{id}``.  Call it inside
    ``run_idempotent`` so a retried submission makes one request."""
    ctx = request.app.state.ctx
    rid = getattr(request.state, "request_id", None)
    refusal = maker_refusal(principal, action)
    async with ctx.engine.begin() as conn:
        if refusal is not None:
            await audit_refusal(conn, principal.institution_id, principal, refusal, object_type=object_type, object_id=str(object_id or "-"), request_id=rid)
        else:
            row = await create_request(conn, principal, action, params, summary=summary, object_type=object_type, object_id=object_id, request_id=rid)
    if refusal is not None:
        raise refusal
    return render(row)


async def check_maker(request: Request, principal: Principal, action: str, *, object_type: str, object_id: str | None = None) -> None:
    """Raise (after auditing) 403 ``four_eyes_maker_role`` when the caller
    may not propose ``action``: for routes that prepare something (a pending
    user or key) before :func:`create_request`."""
    refusal = maker_refusal(principal, action)
    if refusal is None:
        return
    async with request.app.state.ctx.engine.begin() as conn:
        await audit_refusal(conn, principal.institution_id, principal, refusal, object_type=object_type, object_id=str(object_id or "-"),
            request_id=getattr(request.state, "request_id", None))
    raise refusal


async def claim(conn: AsyncConnection, institution_id: UUID, request_id: UUID, checker: Principal) -> bool:
    """``pending -> executing`` for this checker; False when another got it first."""
    res = await conn.execute(
        update(approval_requests)
        .where(approval_requests.c.id == request_id, approval_requests.c.institution_id == institution_id, approval_requests.c.status == "pending")
        .values(status="executing", checker_id=str(checker.actor_id), checker_name=checker.username)
    )
    return res.rowcount == 1


async def finish(conn: AsyncConnection, request_id: UUID, status: str, *, result: Any = None, reason: str | None = None) -> None:
    await conn.execute(
        update(approval_requests).where(approval_requests.c.id == request_id)
        .values(status=status, result=None if result is None else jsonable_encoder(result), reason=reason, decided_at=utc_now())
    )
