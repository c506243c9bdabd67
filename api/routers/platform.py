"""Platform routes: log in, who am I, API keys, users, audit log."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select

from ledger.events import audit_log

from .. import auth as A
from .. import models as M
from ..auth import Principal, require
from ..deps import CtxDep, EngineDep
from ..problems import COMMON_ERRORS

router = APIRouter(prefix="/v1", tags=["platform"], responses=COMMON_ERRORS)

ADMIN = require("system", "admin")
ANYONE = require(*A.ALL_ROLES)


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


@router.get("/api-keys", response_model=list[M.ApiKeyOut], summary="List API keys (prefix only)")
async def list_keys(request: Request, engine: EngineDep, principal: Principal = Depends(ADMIN)):
    async with engine.connect() as conn:
        return await A.list_api_keys(conn, principal.institution_id)


@router.post("/api-keys", status_code=201, response_model=M.ApiKeyIssued, summary="Issue an API key (shown once)")
async def issue_key(body: M.ApiKeyIn, request: Request, ctx: CtxDep, principal: Principal = Depends(ADMIN)):
    async with ctx.engine.begin() as conn:
        return await A.issue_api_key(conn, ctx.keyring, principal.institution_id, name=body.name, role=body.role, platform_code=body.platform_code, actor=principal.actor)


@router.post("/api-keys/{key_id}/rotate", status_code=201, response_model=M.ApiKeyIssued, summary="Rotate an API key: a new key replaces it")
async def rotate_key(key_id: UUID, body: M.RotateIn, request: Request, ctx: CtxDep, principal: Principal = Depends(ADMIN)):
    async with ctx.engine.begin() as conn:
        return await A.rotate_api_key(conn, ctx.keyring, principal.institution_id, key_id, grace_seconds=body.grace_seconds, actor=principal.actor)


@router.post("/api-keys/{key_id}/revoke", response_model=M.ApiKeyOut, summary="Revoke an API key")
async def revoke_key(key_id: UUID, request: Request, engine: EngineDep, principal: Principal = Depends(ADMIN)):
    async with engine.begin() as conn:
        return await A.revoke_api_key(conn, principal.institution_id, key_id, actor=principal.actor)


@router.get("/users", response_model=list[M.UserOut], summary="List users")
async def list_users(request: Request, engine: EngineDep, principal: Principal = Depends(ADMIN)):
    async with engine.connect() as conn:
        return await A.list_users(conn, principal.institution_id)


@router.post("/users", status_code=201, response_model=M.UserOut, summary="Create a staff or SME user")
async def create_user(body: M.UserIn, request: Request, engine: EngineDep, principal: Principal = Depends(ADMIN)):
    async with engine.begin() as conn:
        return await A.create_user(conn, principal.institution_id, body.username, body.password, body.role, merchant_ref=body.merchant_ref, actor=principal.actor)


@router.post("/users/{user_id}/disable", response_model=M.UserOut, summary="Disable a user (tokens stop working at once)")
async def disable_user(user_id: UUID, request: Request, engine: EngineDep, principal: Principal = Depends(ADMIN)):
    async with engine.begin() as conn:
        return await A.set_user_disabled(conn, principal.institution_id, user_id, True, actor=principal.actor)


@router.post("/users/{user_id}/enable", response_model=M.UserOut, summary="Enable a user")
async def enable_user(user_id: UUID, request: Request, engine: EngineDep, principal: Principal = Depends(ADMIN)):
    async with engine.begin() as conn:
        return await A.set_user_disabled(conn, principal.institution_id, user_id, False, actor=principal.actor)


@router.get("/audit-log", response_model=M.AuditList, summary="Who did what to which object, newest first")
async def read_audit(
    request: Request,
    engine: EngineDep,
    object_type: str | None = Query(default=None, max_length=32),
    object_id: str | None = Query(default=None, max_length=64),
    before: UUID | None = Query(default=None, description="id of the last entry of the previous page"),
    limit: int = Query(default=100, ge=1, le=1000),
    principal: Principal = Depends(ADMIN),
):
    stmt = select(audit_log).where(audit_log.c.institution_id == principal.institution_id)
    if object_type:
        stmt = stmt.where(audit_log.c.object_type == object_type)
    if object_id:
        stmt = stmt.where(audit_log.c.object_id == object_id)
    if before is not None:
        stmt = stmt.where(audit_log.c.id < before)
    stmt = stmt.order_by(audit_log.c.id.desc()).limit(limit + 1)
    async with engine.connect() as conn:
        rows = (await conn.execute(stmt)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    items = [M.AuditEntryOut(**{k: r._mapping[k] for k in M.AuditEntryOut.model_fields}) for r in rows]
    return M.AuditList(items=items, next_after=rows[-1].id if more and rows else None)
