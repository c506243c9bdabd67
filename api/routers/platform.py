"""Platform routes: log in, who am I, API keys, users, audit log."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger.events import audit_log

from .. import auth as A
from .. import models as M
from .. import sod
from ..auth import Principal, require
from ..deps import CtxDep, EngineDep
from ..idempotency import idempotency_key_header, run_idempotent
from ..paging import Page, PageQuery, page_query
from ..problems import COMMON_ERRORS
from .ledger import cursor_key

router = APIRouter(prefix="/v1", tags=["platform"], responses=COMMON_ERRORS)

ADMIN = require("system", "admin")
ANYONE = require(*A.ALL_ROLES)
#: ?limit= (1 to 1000, default 100) and ?cursor= of every list here
PAGE = page_query(100)
#: an absent body of ``POST /v1/api-keys/{id}/revoke`` (the body is optional)
_NO_BODY = M.RevokeIn()


@router.post("/auth/token", response_model=M.TokenOut, summary="Log in a staff or SME user; returns a short-lived bearer token")
async def token(body: M.LoginIn, request: Request, ctx: CtxDep):
    async with ctx.engine.connect() as conn:
        return await A.login(conn, ctx.keyring, body.institution, body.username, body.password, ctx.settings.token_ttl_seconds)


@router.get("/me", response_model=M.WhoAmI, summary="The authenticated caller")
async def me(principal: Principal = Depends(ANYONE)):
    return M.WhoAmI(
        institution_id=principal.institution_id, actor_type=principal.actor_type, actor_id=principal.actor_id, role=principal.role,
        merchant_ref=principal.merchant_ref, platform_code=principal.platform_code,
    )


@router.get("/api-keys", response_model=Page[M.ApiKeyOut], summary="List API keys (prefix only), in the order issued")
async def list_keys(request: Request, engine: EngineDep, page: PageQuery = Depends(PAGE), principal: Principal = Depends(ADMIN)):
    after = cursor_key(page, "api_keys", UUID)
    async with engine.connect() as conn:
        rows = await A.list_api_keys(conn, principal.institution_id, after_id=None if after is None else after[0], limit=page.limit + 1)
    return page.build("api_keys", rows, key=lambda r: [str(r["id"])], out=lambda r: r)


_FOUR_EYES_ADMIN = (
    "Four eyes (`{action}`): requires `Idempotency-Key`; answers 202 with a pending approval request (`Location: /v1/approval-requests/{{id}}`); "
    "a second admin (a user, not the maker nor a user the maker set up within the cooling period) approves it with "
    "`POST /v1/approval-requests/{{id}}/approve`. 403 `four_eyes_maker_role` when the caller's role may not propose it."
)


@router.post(
    "/api-keys", status_code=202, response_model=M.ApiKeySubmitted, summary="Issue an API key (shown once; works once a second admin approves it)",
    description=_FOUR_EYES_ADMIN.format(action="api_key.issue") + " The key and its signing secret are in `api_key`, shown only in this answer; the key answers 401 "
    "`credentials_pending` until approved. Rotation and revocation stay immediate (they grant nothing; a revocation never waits).",
)
async def issue_key(body: M.ApiKeyIn, request: Request, ctx: CtxDep, principal: Principal = Depends(ADMIN), _key: str = Depends(idempotency_key_header)) -> Response:
    async def handler(key: str) -> Response:
        await sod.check_maker(request, principal, "api_key.issue", object_type="api_key")
        async with ctx.engine.begin() as conn:
            issued = await A.issue_api_key(
                conn, ctx.keyring, principal.institution_id, name=body.name, role=body.role, platform_code=body.platform_code, actor=principal.actor, pending=True,
            )
            params = {"key_id": issued["id"], "name": issued["name"], "role": issued["role"], "platform_code": issued["platform_code"]}
            row = await sod.create_request(
                conn, principal, "api_key.issue", params, summary=f"issue {issued['role']} API key {issued['name']!r} ({issued['prefix']})",
                object_type="api_key", object_id=str(issued["id"]), request_id=getattr(request.state, "request_id", None),
            )
        return sod.render(row, extra={"api_key": jsonable_encoder(issued)})

    return await run_idempotent(request, principal, handler)


async def _execute_key_issue(ctx: Any, institution_id: UUID, params: dict[str, Any], checker: Principal, req: Any) -> tuple[int, dict[str, Any]]:
    async with ctx.engine.begin() as conn:
        return 200, jsonable_encoder(await A.activate_api_key(conn, institution_id, UUID(params["key_id"]), checker=checker.actor))


async def _reject_key_issue(conn: AsyncConnection, institution_id: UUID, params: dict[str, Any], req: Any) -> None:
    await A.discard_pending_key(conn, institution_id, UUID(params["key_id"]), actor=f"approval_request:{req.id}")


sod.register("api_key.issue", _execute_key_issue, on_reject=_reject_key_issue)


@router.post(
    "/api-keys/{key_id}/rotate", status_code=201, response_model=M.ApiKeyIssued, summary="Rotate an API key: a new key replaces it",
    description="The calling key rotating itself with `grace_seconds` 0 needs `confirm_self: true` (else 409 `confirm_self_required`).",
)
async def rotate_key(key_id: UUID, body: M.RotateIn, request: Request, ctx: CtxDep, principal: Principal = Depends(ADMIN)):
    async with ctx.engine.begin() as conn:
        return await A.rotate_api_key(
            conn, ctx.keyring, principal.institution_id, key_id, grace_seconds=body.grace_seconds, actor=principal.actor, confirm_self=body.confirm_self,
        )


@router.post(
    "/api-keys/{key_id}/revoke", response_model=M.ApiKeyOut, summary="Revoke an API key",
    description=(
        "The calling key revoking itself needs `confirm_self: true` (else 409 `confirm_self_required`); "
        "the institution's last active system key cannot be revoked (409 `last_system_key`)."
    ),
)
async def revoke_key(key_id: UUID, request: Request, engine: EngineDep, body: M.RevokeIn = _NO_BODY, principal: Principal = Depends(ADMIN)):
    async with engine.begin() as conn:
        return await A.revoke_api_key(conn, principal.institution_id, key_id, actor=principal.actor, confirm_self=body.confirm_self)


@router.get("/users", response_model=Page[M.UserOut], summary="List users by username")
async def list_users(request: Request, engine: EngineDep, page: PageQuery = Depends(PAGE), principal: Principal = Depends(ADMIN)):
    after = cursor_key(page, "users", str, UUID)
    async with engine.connect() as conn:
        rows = await A.list_users(conn, principal.institution_id, after=None if after is None else (after[0], after[1]), limit=page.limit + 1)
    return page.build("users", rows, key=lambda r: [r["username"], str(r["id"])], out=lambda r: r)


@router.post(
    "/users", status_code=202, response_model=M.UserSubmitted, summary="Create a staff or SME user (pending until a second admin approves)",
    description=_FOUR_EYES_ADMIN.format(action="user.create") + " The user is created pending (`user`): he cannot log in until approved; a rejection removes him.",
)
async def create_user(body: M.UserIn, request: Request, ctx: CtxDep, principal: Principal = Depends(ADMIN), _key: str = Depends(idempotency_key_header)) -> Response:
    async def handler(key: str) -> Response:
        await sod.check_maker(request, principal, "user.create", object_type="user")
        async with ctx.engine.begin() as conn:
            user = await A.create_user(conn, principal.institution_id, body.username, body.password, body.role, merchant_ref=body.merchant_ref, actor=principal.actor, pending=True)
            params = {"user_id": user["id"], "username": user["username"], "role": user["role"], "merchant_ref": user["merchant_ref"]}
            row = await sod.create_request(
                conn, principal, "user.create", params, summary=f"create {user['role']} user {user['username']!r}", object_type="user", object_id=str(user["id"]),
                request_id=getattr(request.state, "request_id", None),
            )
        return sod.render(row, extra={"user": jsonable_encoder(user)})

    return await run_idempotent(request, principal, handler)


@router.post(
    "/users/{user_id}/disable", response_model=M.UserOut, summary="Disable a user (tokens stop working at once)",
    description="Immediate (a protective action, no four eyes). The institution's last active admin cannot be disabled (409 `last_admin`), also not by himself.",
)
async def disable_user(user_id: UUID, request: Request, engine: EngineDep, principal: Principal = Depends(ADMIN)):
    async with engine.begin() as conn:
        return await A.set_user_disabled(conn, principal.institution_id, user_id, True, actor=principal.actor)


@router.post(
    "/users/{user_id}/enable", status_code=202, response_model=M.ApprovalRequestOut, summary="Enable a user (once a second admin approves)",
    description=_FOUR_EYES_ADMIN.format(action="user.enable") + " A user still waiting for the approval of his creation is 409 `user_pending`.",
)
async def enable_user(user_id: UUID, request: Request, ctx: CtxDep, principal: Principal = Depends(ADMIN), _key: str = Depends(idempotency_key_header)) -> Response:
    async def handler(key: str) -> Response:
        async with ctx.engine.connect() as conn:
            row = await A.get_user(conn, principal.institution_id, user_id)
        if row.pending:
            raise A.UserPending(f"user {row.username!r} is waiting for the approval of its creation", user_id=str(user_id))
        params = {"user_id": user_id, "username": row.username}
        return await sod.submit(request, principal, "user.enable", params, summary=f"enable user {row.username!r}", object_type="user", object_id=str(user_id))

    return await run_idempotent(request, principal, handler)


@router.post(
    "/users/{user_id}/role", status_code=202, response_model=M.ApprovalRequestOut, summary="Give a staff user another role (once a second admin approves)",
    description=_FOUR_EYES_ADMIN.format(action="user.role_change") + " Staff roles only (an SME user keeps his role: 422 `role_change_not_allowed`); demoting the last active admin is 409 `last_admin`.",
)
async def change_role(user_id: UUID, body: M.UserRoleIn, request: Request, ctx: CtxDep, principal: Principal = Depends(ADMIN), _key: str = Depends(idempotency_key_header)) -> Response:
    async def handler(key: str) -> Response:
        async with ctx.engine.connect() as conn:
            row = await A.get_user(conn, principal.institution_id, user_id)
            A.check_role_change(row, body.role)
            if row.role != body.role:
                await A.check_not_last_admin(conn, principal.institution_id, row, "demote")
        params = {"user_id": user_id, "username": row.username, "from_role": row.role, "role": body.role}
        return await sod.submit(
            request, principal, "user.role_change", params, summary=f"change the role of {row.username!r} from {row.role} to {body.role}", object_type="user", object_id=str(user_id),
        )

    return await run_idempotent(request, principal, handler)


def _maker(req: Any) -> str:
    return f"{req.maker_type}:{req.maker_id}"


async def _execute_user_create(ctx: Any, institution_id: UUID, params: dict[str, Any], checker: Principal, req: Any) -> tuple[int, dict[str, Any]]:
    async with ctx.engine.begin() as conn:
        return 201, jsonable_encoder(await A.activate_user(conn, institution_id, UUID(params["user_id"]), checker=checker.actor))


async def _reject_user_create(conn: AsyncConnection, institution_id: UUID, params: dict[str, Any], req: Any) -> None:
    await A.discard_pending_user(conn, institution_id, UUID(params["user_id"]), actor=f"approval_request:{req.id}")


async def _execute_user_enable(ctx: Any, institution_id: UUID, params: dict[str, Any], checker: Principal, req: Any) -> tuple[int, dict[str, Any]]:
    async with ctx.engine.begin() as conn:
        return 200, jsonable_encoder(await A.set_user_disabled(conn, institution_id, UUID(params["user_id"]), False, actor=_maker(req)))


async def _execute_role_change(ctx: Any, institution_id: UUID, params: dict[str, Any], checker: Principal, req: Any) -> tuple[int, dict[str, Any]]:
    async with ctx.engine.begin() as conn:
        return 200, jsonable_encoder(await A.set_user_role(conn, institution_id, UUID(params["user_id"]), params["role"], actor=_maker(req)))


sod.register("user.create", _execute_user_create, on_reject=_reject_user_create)
sod.register("user.enable", _execute_user_enable)
sod.register("user.role_change", _execute_role_change)


@router.get("/audit-log", response_model=Page[M.AuditEntryOut], summary="Who did what to which object, newest first")
async def read_audit(
    request: Request,
    engine: EngineDep,
    object_type: str | None = Query(default=None, max_length=32),
    object_id: str | None = Query(default=None, max_length=64),
    page: PageQuery = Depends(PAGE),
    principal: Principal = Depends(ADMIN),
):
    after = cursor_key(page, "audit_log", UUID)
    stmt = select(audit_log).where(audit_log.c.institution_id == principal.institution_id)
    if object_type:
        stmt = stmt.where(audit_log.c.object_type == object_type)
    if object_id:
        stmt = stmt.where(audit_log.c.object_id == object_id)
    if after is not None:
        stmt = stmt.where(audit_log.c.id < after[0])
    stmt = stmt.order_by(audit_log.c.id.desc()).limit(page.limit + 1)
    async with engine.connect() as conn:
        rows = (await conn.execute(stmt)).all()
    return page.build("audit_log", rows, key=lambda r: [str(r.id)], out=lambda r: M.AuditEntryOut(**{k: r._mapping[k] for k in M.AuditEntryOut.model_fields}))
