"""Four-eyes approval requests (api/sod.py): list, read, approve, reject.

A privileged route (user and key administration, configuration, money-moving
approvals) answers 202 with a pending request; a different person with a
checker role approves it here, which executes the action once.
"""

from __future__ import annotations

import json
from typing import Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import select, update

from ledger.clock import utc_now
from ledger.errors import LedgerError
from ledger.events import record_audit

from .. import models as M
from .. import sod
from ..auth import Principal, require
from ..context import AppContext
from ..deps import CtxDep, EngineDep
from ..idempotency import idempotency_key_header, run_idempotent
from ..paging import Page, PageQuery, page_query
from ..problems import COMMON_ERRORS, ProblemError, exception_to_response
from ..schema import approval_requests
from .ledger import cursor_key

router = APIRouter(prefix="/v1", tags=["approvals"], responses=COMMON_ERRORS)

#: staff and system keys read requests; an API key asking to approve is refused 403 ``four_eyes_person_required``
STAFF = require("system", "admin", "finance", "approver", scope="approvals:read")
PAGE = page_query(100)
_NO_BODY = M.ApprovalRejectIn()

_REFUSALS = (
    "403 problems naming the rule: `four_eyes_person_required` (an API key), `four_eyes_same_person` (the maker, also through a key he issued or "
    "the person behind the maker's key), `four_eyes_checker_role`, `four_eyes_linked_checker` (a user the maker created, enabled or gave the role "
    "within the cooling period, `XBORDER_FOUR_EYES_COOLING_HOURS`, default 24). Each refusal is audited (`four_eyes.refused`)."
)


def _not_pending(row: Any) -> ProblemError:
    return ProblemError(409, "approval_request_not_pending", "The request is not pending", f"approval request {row.id} is {row.status}", request_status=row.status)


async def _get(conn, institution_id: UUID, request_id: UUID) -> Any:
    row = (await conn.execute(select(approval_requests).where(approval_requests.c.id == request_id, approval_requests.c.institution_id == institution_id))).first()
    if row is None:
        raise ProblemError(404, "not_found", "Not found", f"approval request {request_id} not found", object="approval_request", id=str(request_id))
    return row


@router.get("/approval-requests", response_model=Page[M.ApprovalRequestOut], summary="List four-eyes approval requests, newest first")
async def list_requests(
    engine: EngineDep,
    status: Literal["pending", "executing", "executed", "rejected", "failed"] | None = Query(default=None, description="only requests in this status"),
    action: str | None = Query(default=None, max_length=64, description="only requests of this action, e.g. `user.create`"),
    page: PageQuery = Depends(PAGE),
    principal: Principal = Depends(STAFF),
):
    after = cursor_key(page, "approval_requests", UUID)
    stmt = select(approval_requests).where(approval_requests.c.institution_id == principal.institution_id)
    if status:
        stmt = stmt.where(approval_requests.c.status == status)
    if action:
        stmt = stmt.where(approval_requests.c.action == action)
    if after is not None:
        stmt = stmt.where(approval_requests.c.id < after[0])
    async with engine.connect() as conn:
        rows = (await conn.execute(stmt.order_by(approval_requests.c.id.desc()).limit(page.limit + 1))).all()
    return page.build("approval_requests", rows, key=lambda r: [str(r.id)], out=sod.request_out)


@router.get("/approval-requests/{request_id}", response_model=M.ApprovalRequestOut, summary="An approval request")
async def get_request(request_id: UUID, engine: EngineDep, principal: Principal = Depends(STAFF)):
    async with engine.connect() as conn:
        return sod.request_out(await _get(conn, principal.institution_id, request_id))


@router.post(
    "/approval-requests/{request_id}/approve", response_model=M.ApprovalRequestOut, summary="Approve a request: its action is executed, once",
    description=(
        "Requires `Idempotency-Key`. Executes the action once even when several checkers approve at the same moment (the others get 409 "
        "`approval_request_not_pending`). Answers 200 with the request: `executed` with the action's response as `result`, or `failed` with "
        "the action's problem as `result` and its detail as `reason`. Refusals are " + _REFUSALS
    ),
)
async def approve_request(request_id: UUID, request: Request, ctx: CtxDep, principal: Principal = Depends(STAFF), _key: str = Depends(idempotency_key_header)) -> Response:
    async def handler(key: str) -> Response:
        return await _approve(ctx, request, principal, request_id)

    return await run_idempotent(request, principal, handler)


async def _approve(ctx: AppContext, request: Request, principal: Principal, request_id: UUID) -> Response:
    inst = principal.institution_id
    rid = getattr(request.state, "request_id", None)
    claimed = False
    async with ctx.engine.begin() as conn:
        row = await _get(conn, inst, request_id)
        if row.status != "pending":
            raise _not_pending(row)
        refusal = await sod.checker_refusal(
            conn, inst, row.action, maker_type=row.maker_type, maker_id=row.maker_id, checker=principal, cooling_hours=ctx.settings.four_eyes_cooling_hours,
        )
        if refusal is not None:
            await sod.audit_refusal(conn, inst, principal, refusal, object_type="approval_request", object_id=str(request_id), request_id=rid)
        else:
            claimed = await sod.claim(conn, inst, request_id, principal)
    if refusal is not None:
        raise refusal
    if not claimed:
        async with ctx.engine.connect() as conn:
            raise _not_pending(await _get(conn, inst, request_id))
    status, outcome, reason = await _execute(ctx, inst, principal, row)
    async with ctx.engine.begin() as conn:
        await sod.finish(conn, request_id, status, result=outcome, reason=reason)
        await record_audit(
            conn, institution_id=inst, actor_type=principal.actor_type, actor_id=principal.actor, action="four_eyes.approved" if status == "executed" else "four_eyes.failed",
            object_type="approval_request", object_id=str(request_id), before={"status": "pending"},
            after={"status": status, "action": row.action, "object_type": row.object_type, "object_id": row.object_id, "reason": reason}, request_id=rid,
        )
        row = await _get(conn, inst, request_id)
    return sod.render(row, 200)


async def _execute(ctx: AppContext, inst: UUID, principal: Principal, row: Any) -> tuple[str, Any, str | None]:
    """Run the action's executor: ('executed', its body, None) or ('failed',
    the problem, its detail).  A server-side failure (5xx, the database
    unavailable) puts the request back to pending and is raised: it can be
    approved again."""
    executor = sod.executor_for(row.action)
    if executor is None:
        return "failed", None, f"no executor is registered for '{row.action}'"
    try:
        code, body = await executor(ctx, inst, dict(row.params or {}), principal, row)
    except (ProblemError, LedgerError) as exc:
        response = exception_to_response(exc)
        if response.status_code >= 500:
            await _back_to_pending(ctx, row.id)
            raise
        problem = json.loads(bytes(response.body))
        return "failed", problem, str(problem.get("detail") or problem.get("title"))
    except BaseException:
        await _back_to_pending(ctx, row.id)
        raise
    if code >= 400:
        return "failed", body, str(body.get("detail") or body.get("title") or code)
    return "executed", body, None


async def _back_to_pending(ctx: AppContext, request_id: UUID) -> None:
    async with ctx.engine.begin() as conn:
        await conn.execute(
            update(approval_requests).where(approval_requests.c.id == request_id, approval_requests.c.status == "executing").values(status="pending", checker_id=None, checker_name=None)
        )


@router.post(
    "/approval-requests/{request_id}/reject", response_model=M.ApprovalRequestOut, summary="Reject a request (a checker), or withdraw it (its maker)",
    description="A pending request is rejected by a person with a checker role of its action, or withdrawn by its maker; it can then never be approved. " + _REFUSALS,
)
async def reject_request(request_id: UUID, request: Request, ctx: CtxDep, body: M.ApprovalRejectIn = _NO_BODY, principal: Principal = Depends(STAFF)):
    inst = principal.institution_id
    rid = getattr(request.state, "request_id", None)
    async with ctx.engine.begin() as conn:
        row = await _get(conn, inst, request_id)
        if row.status != "pending":
            raise _not_pending(row)
        withdrawn = principal.actor == f"{row.maker_type}:{row.maker_id}"
        refusal = None if withdrawn else _reject_refusal(principal, row.action)
        if refusal is None:
            res = await conn.execute(
                update(approval_requests).where(approval_requests.c.id == request_id, approval_requests.c.status == "pending")
                .values(status="rejected", checker_id=str(principal.actor_id), checker_name=principal.username, reason=body.reason, decided_at=utc_now())
            )
            if res.rowcount != 1:
                raise _not_pending(await _get(conn, inst, request_id))
            undo = sod.on_reject_for(row.action)
            if undo is not None:
                await undo(conn, inst, dict(row.params or {}), row)
            await record_audit(
                conn, institution_id=inst, actor_type=principal.actor_type, actor_id=principal.actor, action="four_eyes.withdrawn" if withdrawn else "four_eyes.rejected",
                object_type="approval_request", object_id=str(request_id), before={"status": "pending"},
                after={"status": "rejected", "action": row.action, "reason": body.reason}, request_id=rid,
            )
        else:
            await sod.audit_refusal(conn, inst, principal, refusal, object_type="approval_request", object_id=str(request_id), request_id=rid)
    if refusal is not None:
        raise refusal
    async with ctx.engine.connect() as conn:
        return sod.request_out(await _get(conn, inst, request_id))


def _reject_refusal(principal: Principal, action: str) -> ProblemError | None:
    """Who else than the maker may reject: a person with a checker role."""
    pol = sod.policy(action)
    if principal.actor_type != "user":
        return sod.four_eyes_problem("four_eyes_person_required", f"'{action}' is rejected by a person with role {', '.join(sorted(pol.checker_roles))} or withdrawn by its maker", action=action)
    if principal.role not in pol.checker_roles:
        return sod.four_eyes_problem("four_eyes_checker_role", f"role '{principal.role}' may not reject '{action}'", action=action, role=principal.role)
    return None
