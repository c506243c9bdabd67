"""Platform routes: log in, who am I, API keys, users, audit log."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import select

from ledger.events import audit_log

from .. import auth as A
from .. import logins as L
from .. import models as M
from ..auth import Principal, require
from ..deps import CtxDep, EngineDep
from ..paging import Page, PageQuery, page_query
from ..problems import COMMON_ERRORS
from ..scopes import PUBLIC
from .ledger import cursor_key

router = APIRouter(prefix="/v1", tags=["platform"], responses=COMMON_ERRORS)

KEYS = require("system", "admin", scope="keys:manage")
USERS = require("system", "admin", scope="users:manage")
AUDIT = require("system", "admin", scope="audit:read")
ANYONE = require(*A.ALL_ROLES, scope=None)
#: a signed-in user (log out, change the password)
SIGNED_IN = require(*A.USER_ROLES)
#: ?limit= (1 to 1000, default 100) and ?cursor= of every list here
PAGE = page_query(100)
#: an absent body of ``POST /v1/api-keys/{id}/revoke`` (the body is optional)
_NO_BODY = M.RevokeIn()


@router.post(
    "/auth/token", response_model=M.TokenOut, summary="Log in a staff or SME user; returns a short-lived bearer token and its signing secret",
    description=(
        "Failed logins are counted per user name (known or not) and per source address: beyond the limits the answer is 429 "
        "`login_throttled` with `Retry-After` (seconds), whatever the password. When the institution requires signed requests, "
        "requests with the token are signed with `signing_secret` like an API key's."
    ),
    responses={429: {"description": "Too many failed logins (`login_throttled`, `Retry-After`)"}},
    dependencies=[Depends(PUBLIC)],
)
async def token(body: M.LoginIn, request: Request, ctx: CtxDep):
    attempt = A.LoginAttempt(body.institution, body.username, body.password, L.client_address(request), "api")
    return await A.login(ctx.engine, ctx.keyring, attempt, policy=L.LoginPolicy.from_settings(ctx.settings), clock=ctx.clock, ttl_seconds=ctx.settings.token_ttl_seconds)


@router.post("/auth/logout", status_code=204, summary="Log out: the presented user token is revoked at once")
async def logout(request: Request, ctx: CtxDep, principal: Principal = Depends(SIGNED_IN)) -> Response:
    await A.logout(ctx, request, principal)
    return Response(status_code=204)


@router.post(
    "/auth/password", status_code=204, summary="Change your own password; every token of yours is revoked (log in again)",
    description="A wrong current password is 403 `invalid_password` and counts towards the lockout; a weak new password is 422 `weak_password` with the reasons.",
    responses={429: {"description": "Too many failed attempts (`login_throttled`, `Retry-After`)"}},
)
async def change_password(body: M.PasswordChangeIn, request: Request, ctx: CtxDep, principal: Principal = Depends(SIGNED_IN)) -> Response:
    await A.change_password(ctx, request, principal, body.current_password, body.new_password)
    return Response(status_code=204)


@router.get("/me", response_model=M.WhoAmI, summary="The authenticated caller")
async def me(principal: Principal = Depends(ANYONE)):
    return M.WhoAmI(
        institution_id=principal.institution_id, actor_type=principal.actor_type, actor_id=principal.actor_id, role=principal.role,
        merchant_ref=principal.merchant_ref, platform_code=principal.platform_code,
    )


@router.get("/api-keys", response_model=Page[M.ApiKeyOut], summary="List API keys (prefix only), in the order issued")
async def list_keys(request: Request, engine: EngineDep, page: PageQuery = Depends(PAGE), principal: Principal = Depends(KEYS)):
    after = cursor_key(page, "api_keys", UUID)
    async with engine.connect() as conn:
        rows = await A.list_api_keys(conn, principal.institution_id, after_id=None if after is None else after[0], limit=page.limit + 1)
    return page.build("api_keys", rows, key=lambda r: [str(r["id"])], out=lambda r: r)


@router.post(
    "/api-keys", status_code=201, response_model=M.ApiKeyIssued, summary="Issue an API key (shown once)",
    description=(
        "`scopes` absent: a `system` key gets the read-only scopes; `keys:manage` and `users:manage` only when listed. "
        "A `platform` key has exactly `tradedata:write`. An unknown scope is 422 `unknown_scope`; an API key cannot grant "
        "a scope it does not hold itself (403 `forbidden_scope`)."
    ),
)
async def issue_key(body: M.ApiKeyIn, request: Request, ctx: CtxDep, principal: Principal = Depends(KEYS)):
    async with ctx.engine.begin() as conn:
        return await A.issue_api_key(
            conn, ctx.keyring, principal.institution_id, name=body.name, role=body.role, platform_code=body.platform_code, actor=principal.actor, scopes=body.scopes,
            grantor_scopes=principal.scopes,
        )


@router.post(
    "/api-keys/{key_id}/rotate", status_code=201, response_model=M.ApiKeyIssued, summary="Rotate an API key: a new key replaces it",
    description=(
        "The new key has the old key's scopes. The calling key rotating itself with `grace_seconds` 0 needs `confirm_self: true` "
        "(else 409 `confirm_self_required`); an API key cannot rotate a key holding a scope it does not hold (403 `forbidden_scope`)."
    ),
)
async def rotate_key(key_id: UUID, body: M.RotateIn, request: Request, ctx: CtxDep, principal: Principal = Depends(KEYS)):
    async with ctx.engine.begin() as conn:
        return await A.rotate_api_key(
            conn, ctx.keyring, principal.institution_id, key_id, grace_seconds=body.grace_seconds, actor=principal.actor, confirm_self=body.confirm_self,
            grantor_scopes=principal.scopes,
        )


@router.post(
    "/api-keys/{key_id}/revoke", response_model=M.ApiKeyOut, summary="Revoke an API key",
    description=(
        "The calling key revoking itself needs `confirm_self: true` (else 409 `confirm_self_required`); "
        "the institution's last active system key cannot be revoked (409 `last_system_key`)."
    ),
)
async def revoke_key(key_id: UUID, request: Request, engine: EngineDep, body: M.RevokeIn = _NO_BODY, principal: Principal = Depends(KEYS)):
    async with engine.begin() as conn:
        return await A.revoke_api_key(conn, principal.institution_id, key_id, actor=principal.actor, confirm_self=body.confirm_self)


@router.get("/users", response_model=Page[M.UserOut], summary="List users by username")
async def list_users(request: Request, engine: EngineDep, page: PageQuery = Depends(PAGE), principal: Principal = Depends(USERS)):
    after = cursor_key(page, "users", str, UUID)
    async with engine.connect() as conn:
        rows = await A.list_users(conn, principal.institution_id, after=None if after is None else (after[0], after[1]), limit=page.limit + 1)
    return page.build("users", rows, key=lambda r: [r["username"], str(r["id"])], out=lambda r: r)


@router.post("/users", status_code=201, response_model=M.UserOut, summary="Create a staff or SME user")
async def create_user(body: M.UserIn, request: Request, engine: EngineDep, principal: Principal = Depends(USERS)):
    async with engine.begin() as conn:
        return await A.create_user(conn, principal.institution_id, body.username, body.password, body.role, merchant_ref=body.merchant_ref, actor=principal.actor)


@router.post("/users/{user_id}/disable", response_model=M.UserOut, summary="Disable a user (tokens stop working at once)")
async def disable_user(user_id: UUID, request: Request, engine: EngineDep, principal: Principal = Depends(USERS)):
    async with engine.begin() as conn:
        return await A.set_user_disabled(conn, principal.institution_id, user_id, True, actor=principal.actor)


@router.post("/users/{user_id}/enable", response_model=M.UserOut, summary="Enable a user")
async def enable_user(user_id: UUID, request: Request, engine: EngineDep, principal: Principal = Depends(USERS)):
    async with engine.begin() as conn:
        return await A.set_user_disabled(conn, principal.institution_id, user_id, False, actor=principal.actor)


@router.get("/audit-log", response_model=Page[M.AuditEntryOut], summary="Who did what to which object, newest first")
async def read_audit(
    request: Request,
    engine: EngineDep,
    object_type: str | None = Query(default=None, max_length=32),
    object_id: str | None = Query(default=None, max_length=64),
    page: PageQuery = Depends(PAGE),
    principal: Principal = Depends(AUDIT),
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
