"""Credentials, users, roles and request authentication.

* API keys ``xb_<prefix>_<secret>``: shown once, stored as SHA-256 (they are
  long random strings, so a fast hash is the right tool), listed by prefix,
  rotated and revoked.  Role ``system`` (an institution's integration) or
  ``platform`` (a trade-data supplier: write-only trade-data routes).
  Each key holds scopes (:mod:`api.scopes`): a route admits a key only if
  its role is admitted and it holds the route's scope (``require``).
* Request signing: ``X-Xborder-Timestamp`` (unix seconds) and
  ``X-Xborder-Signature: v1=<hex HMAC-SHA256(signing secret,
  METHOD \\n PATH?QUERY \\n TIMESTAMP \\n SHA256-HEX(BODY))>``.  Refused when
  the timestamp is more than 5 minutes off or the signature was already
  used.  An institution can require it.
* Users (finance, approver, admin, sme) log in with a password (scrypt) and
  receive a short-lived HMAC-signed token.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from fastapi import Request
from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ledger import errors as E
from ledger.clock import utc_now
from ledger.config import get_settings
from ledger.crypto import Keyring, hash_password, sha256_hex, verify_password
from ledger.events import record_audit
from ledger.ids import uuid7
from ledger.schema import institutions

from . import logins as L
from .authcache import AuthCache, Target, invalidate
from .institution_status import check_institution_enabled
from .problems import ProblemError
from .schema import api_keys, institution_settings, request_signatures, users
from .scopes import SCOPES, Policy, key_scopes

STAFF_ROLES = ("admin", "finance", "approver")
USER_ROLES = STAFF_ROLES + ("sme",)
KEY_ROLES = ("system", "platform")
ALL_ROLES = KEY_ROLES + USER_ROLES

#: what a username may not contain: control characters (Unicode category Cc);
#: the same rule is the ``pattern`` of ``UserIn.username``
USERNAME_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]+$"
USERNAME_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f]")

SIGNATURE_WINDOW_SECONDS = 300
TOKEN_TTL_SECONDS = 900


@dataclass(frozen=True)
class Principal:
    """Who is calling: always bound to exactly one institution."""

    institution_id: UUID
    actor_type: str  # api_key | user
    actor_id: UUID
    role: str
    merchant_ref: str | None = None
    platform_code: str | None = None
    username: str | None = None
    #: an API key's scopes; None for a user (users are governed by their role)
    scopes: frozenset[str] | None = None

    @property
    def actor(self) -> str:
        return f"{self.actor_type}:{self.actor_id}"


def _unauthorized(code: str, detail: str) -> ProblemError:
    return ProblemError(401, code, "Unauthorized", detail, headers={"WWW-Authenticate": 'Bearer realm="xborder"'})


# -- API keys -------------------------------------------------------------------


def _new_key() -> tuple[str, str, str]:
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return prefix, secret, f"xb_{prefix}_{secret}"


async def issue_api_key(
    conn: AsyncConnection,
    keyring: Keyring,
    institution_id: UUID,
    *,
    name: str = "default",
    role: str = "system",
    platform_code: str | None = None,
    expires_at: datetime | None = None,
    actor: str = "operator",
    scopes: list[str] | tuple[str, ...] | None = None,
    grantor_scopes: frozenset[str] | None = None,
    pending: bool = False,
) -> dict[str, Any]:
    """Issue a key.  Returns it with its signing secret: the only time either
    is shown.  ``scopes`` None: a system key gets the read-only scopes, a
    platform key ``tradedata:write`` (its only scope, whatever it asks).
    ``pending``: issued under four eyes, inactive (401) until
    :func:`activate_api_key`.  Raises :class:`InvalidInput`
    (:class:`~api.scopes.UnknownScope`, :class:`~api.scopes.ScopeNotAllowed`),
    :class:`NotFound`."""
    if role not in KEY_ROLES:
        raise E.InvalidInput(f"key role must be one of {', '.join(KEY_ROLES)}")
    if role == "platform" and not platform_code:
        raise PlatformCodeRequired()
    granted = key_scopes(role, scopes)
    _check_grantor(granted, grantor_scopes)
    if (await conn.execute(select(institutions.c.id).where(institutions.c.id == institution_id))).first() is None:
        raise E.NotFound("institution", institution_id)
    prefix, _secret, key = _new_key()
    signing_secret = secrets.token_urlsafe(32)
    key_id = uuid7()
    now = utc_now()
    row = dict(
        id=key_id,
        institution_id=institution_id,
        prefix=prefix,
        secret_hash=sha256_hex(key),
        signing_secret_enc=keyring.encrypt(signing_secret, context=f"api_key:{key_id}"),
        name=(name or "default")[:100],
        role=role,
        platform_code=platform_code,
        scopes=granted,
        created_at=now,
        expires_at=expires_at,
        revoked_at=None,
        replaced_by=None,
        created_by=actor[:200],
        pending=pending,
    )
    await conn.execute(api_keys.insert().values(**row))
    public = _key_public(row)
    await record_audit(conn, institution_id=institution_id, actor_type="operator" if actor == "operator" else actor.split(":")[0],
        actor_id=actor, action="api_key.issue", object_type="api_key", object_id=str(key_id), after=_jsonable(public))
    return {**public, "key": key, "signing_secret": signing_secret}


def _check_grantor(granted: list[str], grantor_scopes: frozenset[str] | None) -> None:
    """A key issuing (or rotating) a key cannot hand out a scope it does not
    hold itself (``grantor_scopes`` None: a user or the operator)."""
    if grantor_scopes is None:
        return
    for s in granted:
        if s not in grantor_scopes:
            raise ProblemError(
                403, "forbidden_scope", "Forbidden", f"this API key cannot grant the scope '{s}': it does not hold it", scope=s,
                rule="a key grants only scopes it holds",
            )


def _key_public(row: Any) -> dict[str, Any]:
    m = row if isinstance(row, dict) else row._mapping
    return {
        "id": m["id"],
        "prefix": m["prefix"],
        "name": m["name"],
        "role": m["role"],
        "platform_code": m["platform_code"],
        "scopes": list(m["scopes"] or ()),
        "created_at": m["created_at"],
        "expires_at": m["expires_at"],
        "revoked_at": m["revoked_at"],
        "replaced_by": m["replaced_by"],
        "pending": bool(m["pending"]),
    }


def _jsonable(d: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else str(v) if isinstance(v, UUID) else list(v) if isinstance(v, tuple) else v) for k, v in d.items()}


async def list_api_keys(conn: AsyncConnection, institution_id: UUID, *, after_id: UUID | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """The institution's keys in the order they were issued (ids are UUIDv7,
    time ordered): all, or up to ``limit`` after the key ``after_id``."""
    stmt = select(api_keys).where(api_keys.c.institution_id == institution_id)
    if after_id is not None:
        stmt = stmt.where(api_keys.c.id > after_id)
    stmt = stmt.order_by(api_keys.c.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [_key_public(r) for r in await conn.execute(stmt)]


async def _get_key(conn: AsyncConnection, institution_id: UUID, key_id: UUID) -> Any:
    row = (await conn.execute(select(api_keys).where(api_keys.c.id == key_id, api_keys.c.institution_id == institution_id))).first()
    if row is None:
        raise E.NotFound("api key", key_id)
    return row


class SelfRevocationUnconfirmed(E.Conflict):
    """A key asked to revoke (or rotate without grace) itself, without
    ``confirm_self``: the integration would lock itself out by mistake."""

    code = "confirm_self_required"
    title = "Confirmation required to revoke the calling key"


class PlatformCodeRequired(E.LedgerError):
    """A ``platform`` key is bound to one platform: it needs ``platform_code``."""

    code = "platform_code_required"
    title = "A platform key needs the platform code"

    def __init__(self) -> None:
        super().__init__("a platform key is bound to one platform: platform_code is required", field="platform_code")


class MerchantRefRequired(E.LedgerError):
    """An ``sme`` user is bound to one merchant: it needs ``merchant_ref``."""

    code = "merchant_ref_required"
    title = "An SME user needs the merchant reference"

    def __init__(self) -> None:
        super().__init__("an SME user is bound to one merchant: merchant_ref is required", field="merchant_ref")


class MerchantRefNotAllowed(E.LedgerError):
    """Only ``sme`` users are bound to a merchant."""

    code = "merchant_ref_not_allowed"
    title = "Only SME users are bound to a merchant"

    def __init__(self, role: str) -> None:
        super().__init__(f"only SME users are bound to a merchant, not {role} users", field="merchant_ref", role=role)


class LastSystemKey(E.Conflict):
    """Revoking this key would leave the institution without an active
    system key (its integration could no longer call the API)."""

    code = "last_system_key"
    title = "Last active system key"


def _check_self(actor: str, key_id: UUID, confirm_self: bool, what: str) -> None:
    if actor == f"api_key:{key_id}" and not confirm_self:
        raise SelfRevocationUnconfirmed(
            f"this request is authenticated by API key {key_id}: to {what} it, send \"confirm_self\": true (it stops working at once)",
            key_id=str(key_id), rule="a credential does not revoke or rotate itself out of existence without confirm_self",
        )


async def _check_not_last_system_key(conn: AsyncConnection, institution_id: UUID, row: Any) -> None:
    """Refuse to revoke the institution's last active system key.  A key
    replaced by a rotation (still valid during its grace period) does not
    count: it expires soon."""
    if row.role != "system" or row.revoked_at is not None:
        return
    now = utc_now()
    stmt = select(api_keys.c.id).where(
        api_keys.c.institution_id == institution_id, api_keys.c.role == "system", api_keys.c.revoked_at.is_(None), api_keys.c.pending.is_(False),
        api_keys.c.replaced_by.is_(None), or_(api_keys.c.expires_at.is_(None), api_keys.c.expires_at > now),
    )
    if conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update()  # two concurrent revocations cannot both pass
    others = [r.id for r in await conn.execute(stmt) if r.id != row.id]
    if not others:
        raise LastSystemKey(
            f"API key {row.id} is the institution's last active system key: issue another system key before revoking it",
            key_id=str(row.id), rule="an institution keeps at least one active system key",
        )


async def revoke_api_key(
    conn: AsyncConnection, institution_id: UUID, key_id: UUID, *, actor: str = "operator", confirm_self: bool = False, allow_last_system_key: bool = False,
) -> dict[str, Any]:
    """Revoke a key.  Raises :class:`NotFound`, :class:`SelfRevocationUnconfirmed`
    (the calling key, without ``confirm_self``), :class:`LastSystemKey`
    (unless ``allow_last_system_key``: an operator revoking a leaked key)."""
    row = await _get_key(conn, institution_id, key_id)
    before = _key_public(row)
    if row.revoked_at is None:
        _check_self(actor, key_id, confirm_self, "revoke")
        if not allow_last_system_key:
            await _check_not_last_system_key(conn, institution_id, row)
        invalidate(("key", key_id))
        await conn.execute(update(api_keys).where(api_keys.c.id == key_id).values(revoked_at=utc_now()))
    after = _key_public(await _get_key(conn, institution_id, key_id))
    await record_audit(conn, institution_id=institution_id, actor_type=actor.split(":")[0], actor_id=actor, action="api_key.revoke", object_type="api_key", object_id=str(key_id), before=_jsonable(before), after=_jsonable(after))
    return after


async def rotate_api_key(
    conn: AsyncConnection, keyring: Keyring, institution_id: UUID, key_id: UUID, *, grace_seconds: int = 0, actor: str = "operator", confirm_self: bool = False,
    grantor_scopes: frozenset[str] | None = None,
) -> dict[str, Any]:
    """Issue a replacement with the same name, role and scopes; the old key
    is revoked now, or expires after ``grace_seconds`` so clients can switch.
    The calling key rotating itself with no grace needs ``confirm_self``."""
    old = await _get_key(conn, institution_id, key_id)
    if old.revoked_at is not None:
        raise E.Conflict(f"api key {key_id} is revoked", key_id=str(key_id))
    if old.pending:  # rotating would give an active key without the approval
        raise E.Conflict(f"api key {key_id} waits for approval (four eyes): approve or reject its request", key_id=str(key_id))
    if grace_seconds <= 0:
        _check_self(actor, key_id, confirm_self, "rotate with no grace period")
    new = await issue_api_key(
        conn, keyring, institution_id, name=old.name, role=old.role, platform_code=old.platform_code, actor=actor, scopes=list(old.scopes or ()),
        grantor_scopes=grantor_scopes,
    )
    now = utc_now()
    values: dict[str, Any] = {"replaced_by": new["id"]}
    if grace_seconds > 0:
        values["expires_at"] = now + timedelta(seconds=grace_seconds)
    else:
        values["revoked_at"] = now
    invalidate(("key", key_id))
    await conn.execute(update(api_keys).where(api_keys.c.id == key_id).values(**values))
    await record_audit(conn, institution_id=institution_id, actor_type=actor.split(":")[0], actor_id=actor, action="api_key.rotate",
        object_type="api_key", object_id=str(key_id), before=_jsonable(_key_public(old)), after={"replaced_by": str(new["id"])})
    return new


async def set_require_signing(conn: AsyncConnection, institution_id: UUID, required: bool, *, actor: str = "operator") -> None:
    now = utc_now()
    invalidate(("institution", institution_id))
    existing = (await conn.execute(select(institution_settings).where(institution_settings.c.institution_id == institution_id))).first()
    if existing is None:
        await conn.execute(institution_settings.insert().values(institution_id=institution_id, require_signing=required, updated_at=now))
    else:
        await conn.execute(update(institution_settings).where(institution_settings.c.institution_id == institution_id).values(require_signing=required, updated_at=now))
    await record_audit(conn, institution_id=institution_id, actor_type=actor.split(":")[0], actor_id=actor, action="institution.require_signing",
        object_type="institution", object_id=str(institution_id), before={"require_signing": bool(existing.require_signing) if existing else False}, after={"require_signing": required})


# -- users ----------------------------------------------------------------------


async def create_user(
    conn: AsyncConnection,
    institution_id: UUID,
    username: str,
    password: str,
    role: str,
    *,
    merchant_ref: str | None = None,
    actor: str = "operator",
    policy: L.LoginPolicy | None = None,
    pending: bool = False,
) -> dict[str, Any]:
    """Create a staff or SME user.  ``pending``: created under four eyes,
    disabled until :func:`activate_user`.  Raises :class:`InvalidInput`,
    :class:`DuplicateCode`, :class:`api.logins.WeakPassword`."""
    if role not in USER_ROLES:
        raise E.InvalidInput(f"user role must be one of {', '.join(USER_ROLES)}")
    if role == "sme" and not merchant_ref:
        raise MerchantRefRequired()
    if role != "sme" and merchant_ref:
        raise MerchantRefNotAllowed(role)
    if not username or len(username) > 100 or USERNAME_FORBIDDEN.search(username):
        raise E.InvalidInput("username must be 1..100 characters without control characters")
    await check_new_password(conn, institution_id, username, password, policy)
    uid = uuid7()
    now = utc_now()
    row = dict(
        id=uid, institution_id=institution_id, username=username, password_hash=hash_password(password), role=role, merchant_ref=merchant_ref, disabled=pending,
        created_at=now, created_by=actor[:200], role_granted_by=actor[:200], role_granted_at=now, pending=pending,
    )
    dup = (await conn.execute(select(users.c.id).where(users.c.institution_id == institution_id, users.c.username == username))).first()
    if dup is not None:
        raise E.DuplicateCode("user", username)
    try:
        await conn.execute(users.insert().values(**row))
    except IntegrityError:
        raise E.DuplicateCode("user", username) from None
    public = _user_public(row)
    await record_audit(conn, institution_id=institution_id, actor_type=actor.split(":")[0], actor_id=actor, action="user.create", object_type="user", object_id=str(uid), after=_jsonable(public))
    return public


async def check_new_password(conn: AsyncConnection, institution_id: UUID, username: str, password: str, policy: L.LoginPolicy | None = None) -> None:
    """The password policy for a new user's password (default: the process
    settings).  Raises :class:`api.logins.WeakPassword`."""
    code = (await conn.execute(select(institutions.c.code).where(institutions.c.id == institution_id))).scalar() or ""
    L.check_password(password, username=username, institution_code=code, policy=policy or L.LoginPolicy.from_settings(get_settings()))


def _user_public(row: Any) -> dict[str, Any]:
    m = row if isinstance(row, dict) else row._mapping
    return {**{k: m[k] for k in ("id", "username", "role", "merchant_ref", "disabled", "created_at")}, "pending": bool(m["pending"])}


async def list_users(conn: AsyncConnection, institution_id: UUID, *, after: tuple[str, UUID] | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """The institution's users by username (then id): all, or up to ``limit``
    after ``after`` = (username, id)."""
    stmt = select(users).where(users.c.institution_id == institution_id)
    if after is not None:
        stmt = stmt.where(or_(users.c.username > after[0], and_(users.c.username == after[0], users.c.id > after[1])))
    stmt = stmt.order_by(users.c.username, users.c.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [_user_public(r) for r in await conn.execute(stmt)]


class LastAdmin(E.Conflict):
    """Disabling (or demoting) this user would leave the institution without
    an active admin: nobody could administer its users any more."""

    code = "last_admin"
    title = "Last active admin"


class UserPending(E.Conflict):
    """The user was created under four eyes and is not approved yet: approve
    (or reject) its ``user.create`` request instead."""

    code = "user_pending"
    title = "User not approved yet"


async def _get_user(conn: AsyncConnection, institution_id: UUID, user_id: UUID) -> Any:
    row = (await conn.execute(select(users).where(users.c.id == user_id, users.c.institution_id == institution_id))).first()
    if row is None:
        raise E.NotFound("user", user_id)
    return row


async def check_not_last_admin(conn: AsyncConnection, institution_id: UUID, row: Any, what: str = "disable") -> None:
    """Refuse to remove the institution's last active admin (disabled, or
    given another role)."""
    if row.role != "admin" or row.disabled or row.pending:
        return
    stmt = select(users.c.id).where(users.c.institution_id == institution_id, users.c.role == "admin", users.c.disabled.is_(False), users.c.pending.is_(False))
    if conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update()  # two concurrent removals cannot both pass
    if not [r.id for r in await conn.execute(stmt) if r.id != row.id]:
        raise LastAdmin(
            f"user {row.username!r} is the institution's last active admin: make another admin before you {what} him",
            user_id=str(row.id), rule="an institution keeps at least one active admin",
        )


async def set_user_disabled(conn: AsyncConnection, institution_id: UUID, user_id: UUID, disabled: bool, *, actor: str) -> dict[str, Any]:
    """Disable (at once: a protective action) or enable a user.  Through the
    API, enabling is a four-eyes action (``user.enable``, executed by
    :func:`enable_user`).  Raises :class:`NotFound`, :class:`LastAdmin`,
    :class:`UserPending` (enabling a user not approved yet)."""
    row = await _get_user(conn, institution_id, user_id)
    if disabled:
        await check_not_last_admin(conn, institution_id, row)
    elif row.pending:
        raise UserPending(f"user {row.username!r} is waiting for the approval of its creation", user_id=str(user_id))
    values: dict[str, Any] = {"disabled": disabled}
    if not disabled and row.disabled:
        values.update(enabled_by=actor[:200], enabled_at=utc_now())
    invalidate(("user", user_id))
    await conn.execute(update(users).where(users.c.id == user_id).values(**values))
    if disabled:  # its tokens stop at once, and stay dead if it is enabled again
        await L.revoke_user_sessions(conn, user_id, "disabled")
    await record_audit(conn, institution_id=institution_id, actor_type=actor.split(":")[0], actor_id=actor, action="user.disable" if disabled else "user.enable",
        object_type="user", object_id=str(user_id), before={"disabled": row.disabled}, after={"disabled": disabled})
    return {**_user_public(row), "disabled": disabled}


async def activate_user(conn: AsyncConnection, institution_id: UUID, user_id: UUID, *, checker: str) -> dict[str, Any]:
    """Approve the creation of a pending user (four eyes ``user.create``): he
    can log in from now.  ``enabled_by`` is the checker; ``created_by`` and
    ``role_granted_by`` stay the maker."""
    row = await _get_user(conn, institution_id, user_id)
    if not row.pending:
        raise E.Conflict(f"user {row.username!r} is not waiting for approval", user_id=str(user_id))
    now = utc_now()
    await conn.execute(update(users).where(users.c.id == user_id).values(pending=False, disabled=False, enabled_by=checker[:200], enabled_at=now, role_granted_at=now))
    await record_audit(conn, institution_id=institution_id, actor_type=checker.split(":")[0], actor_id=checker, action="user.activate",
        object_type="user", object_id=str(user_id), before={"pending": True, "disabled": True}, after={"pending": False, "disabled": False})
    return _user_public(await _get_user(conn, institution_id, user_id))


async def discard_pending_user(conn: AsyncConnection, institution_id: UUID, user_id: UUID, *, actor: str) -> None:
    """Remove a pending user whose creation was rejected (its name is free again)."""
    row = (await conn.execute(select(users).where(users.c.id == user_id, users.c.institution_id == institution_id, users.c.pending.is_(True)))).first()
    if row is None:
        return
    await conn.execute(delete(users).where(users.c.id == user_id, users.c.pending.is_(True)))
    await record_audit(conn, institution_id=institution_id, actor_type=actor.split(":")[0], actor_id=actor, action="user.discard",
        object_type="user", object_id=str(user_id), before=_jsonable(_user_public(row)))


async def set_user_role(conn: AsyncConnection, institution_id: UUID, user_id: UUID, role: str, *, actor: str) -> dict[str, Any]:
    """Give a staff user another staff role (four eyes ``user.role_change``;
    ``actor`` is the maker, recorded as ``role_granted_by``).  Raises
    :class:`NotFound`, :class:`InvalidInput` (an SME user, or not a staff
    role), :class:`UserPending`, :class:`LastAdmin` (demoting the last admin)."""
    row = await _get_user(conn, institution_id, user_id)
    check_role_change(row, role)
    if row.role == role:
        return _user_public(row)
    await check_not_last_admin(conn, institution_id, row, "demote")
    invalidate(("user", user_id))
    await conn.execute(update(users).where(users.c.id == user_id).values(role=role, role_granted_by=actor[:200], role_granted_at=utc_now()))
    await record_audit(conn, institution_id=institution_id, actor_type=actor.split(":")[0], actor_id=actor, action="user.role_change",
        object_type="user", object_id=str(user_id), before={"role": row.role}, after={"role": role})
    return _user_public(await _get_user(conn, institution_id, user_id))


class RoleChangeNotAllowed(E.LedgerError):
    """An SME user is bound to its merchant: it does not change role."""

    code = "role_change_not_allowed"
    title = "This user's role cannot change"


def check_role_change(row: Any, role: str) -> None:
    """Raises :class:`InvalidInput` (not a staff role), :class:`RoleChangeNotAllowed`
    (an SME user), :class:`UserPending`."""
    if role not in STAFF_ROLES:
        raise E.InvalidInput(f"a user's role changes to one of {', '.join(STAFF_ROLES)}", field="role")
    if row.role not in STAFF_ROLES:
        raise RoleChangeNotAllowed(f"user {row.username!r} is an SME user bound to its merchant: only staff users change role", user_id=str(row.id), role=row.role)
    if row.pending:
        raise UserPending(f"user {row.username!r} is waiting for the approval of its creation", user_id=str(row.id))


async def get_user(conn: AsyncConnection, institution_id: UUID, user_id: UUID) -> Any:
    """The user row; raises :class:`NotFound`."""
    return await _get_user(conn, institution_id, user_id)


async def activate_api_key(conn: AsyncConnection, institution_id: UUID, key_id: UUID, *, checker: str) -> dict[str, Any]:
    """Approve a key issued under four eyes (``api_key.issue``): it works from now."""
    row = await _get_key(conn, institution_id, key_id)
    if not row.pending or row.revoked_at is not None:
        raise E.Conflict(f"api key {key_id} is not waiting for approval", key_id=str(key_id))
    await conn.execute(update(api_keys).where(api_keys.c.id == key_id).values(pending=False))
    await record_audit(conn, institution_id=institution_id, actor_type=checker.split(":")[0], actor_id=checker, action="api_key.activate",
        object_type="api_key", object_id=str(key_id), before={"pending": True}, after={"pending": False})
    return _key_public(await _get_key(conn, institution_id, key_id))


async def discard_pending_key(conn: AsyncConnection, institution_id: UUID, key_id: UUID, *, actor: str) -> None:
    """Revoke a pending key whose issue was rejected (it never worked)."""
    row = (await conn.execute(select(api_keys).where(api_keys.c.id == key_id, api_keys.c.institution_id == institution_id, api_keys.c.pending.is_(True)))).first()
    if row is None or row.revoked_at is not None:
        return
    await conn.execute(update(api_keys).where(api_keys.c.id == key_id).values(revoked_at=utc_now()))
    await record_audit(conn, institution_id=institution_id, actor_type=actor.split(":")[0], actor_id=actor, action="api_key.revoke",
        object_type="api_key", object_id=str(key_id), before={"revoked_at": None}, after={"revoked_at": "rejected under four eyes"})


@dataclass(frozen=True)
class LoginAttempt:
    """What a login form or ``POST /v1/auth/token`` sends, with the source
    address (``request.client.host``) and the channel the token is for
    (``api``: bearer; ``console``: the console's cookie)."""

    institution_code: str
    username: str
    password: str
    address: str
    channel: str = "api"


async def login(
    engine: AsyncEngine, keyring: Keyring, attempt: LoginAttempt, *, policy: L.LoginPolicy | None = None, clock: L.Clock = utc_now, ttl_seconds: int = TOKEN_TTL_SECONDS,
) -> dict[str, Any]:
    """Check a password and open a session; return its token (and, on the
    ``api`` channel, its signing secret).  The same 401 for an unknown
    institution, user, wrong password or disabled user, and the same 429
    (``login_throttled``, ``Retry-After``) for a locked user name, known or
    not, or a throttled address.  Every refusal is audited."""
    policy = policy or L.LoginPolicy()
    now = clock()
    async with engine.begin() as conn:
        inst_id, row = await _login_subject(conn, attempt)
        user_res, addr_res, wait, scope = await _reserve_login(conn, keyring, attempt, now, policy)
        if wait is not None:
            await L.audit_login(conn, "auth.login_locked", institution_id=inst_id, user_id=row.id if row is not None else None, address=attempt.address,
                                reason=scope, channel=attempt.channel, retry_after=wait)
    if wait is not None:
        raise L.throttled(wait)
    # verify even when unknown, so timing does not reveal which part was wrong
    ok = verify_password(attempt.password, row.password_hash if row is not None else _DUMMY_HASH)
    if row is None or not ok or row.disabled:
        reason = "unknown_user" if row is None else "wrong_password" if not ok else "disabled_user"
        await _login_failed(engine, attempt, inst_id, row, reason, user_res, addr_res, now, policy)
        raise _unauthorized("invalid_login", "unknown institution or user, wrong password, or disabled user")
    session_id = uuid7()
    async with engine.begin() as conn:
        await check_institution_enabled(conn, row.institution_id)
        await L.release_attempt(conn, user_res.key, reset=True)
        await L.release_attempt(conn, addr_res.key, reset=False)
        await L.open_session(conn, session_id, row.institution_id, row.id, attempt.channel, now, ttl_seconds)
        await L.audit_login(conn, "auth.login", institution_id=row.institution_id, user_id=row.id, address=attempt.address, reason="ok", channel=attempt.channel)
    token = keyring.sign_token({"sub": str(row.id), "inst": str(row.institution_id), "role": row.role, "jti": str(session_id)}, ttl_seconds)
    out = {"access_token": token, "token_type": "bearer", "expires_in": ttl_seconds, "role": row.role, "merchant_ref": row.merchant_ref}
    if attempt.channel == "api":
        out["signing_secret"] = L.session_signing_secret(keyring, session_id)
    return out


async def _login_subject(conn: AsyncConnection, attempt: LoginAttempt) -> tuple[UUID | None, Any]:
    """The institution's id and the user's row, each None when unknown."""
    inst = (await conn.execute(select(institutions.c.id).where(institutions.c.code == attempt.institution_code))).first()
    if inst is None:
        return None, None
    row = (await conn.execute(select(users).where(users.c.institution_id == inst.id, users.c.username == attempt.username))).first()
    return inst.id, row


async def _reserve_login(
    conn: AsyncConnection, keyring: Keyring, attempt: LoginAttempt, now: datetime, policy: L.LoginPolicy,
) -> tuple[L.Reservation, L.Reservation, int | None, str]:
    """Count the attempt for the user name and the address; the seconds to
    wait (None: go ahead) and which limit was hit."""
    user_res = await L.reserve_attempt(conn, L.user_subject(keyring, attempt.institution_code, attempt.username), now,
                                       limit=policy.max_failures, window_seconds=policy.lockout_seconds, lock_seconds=policy.lockout_seconds)
    addr_res = await L.reserve_attempt(conn, L.address_subject(attempt.address), now, limit=policy.address_max_failures,
                                       window_seconds=policy.address_window_seconds, lock_seconds=policy.address_window_seconds)
    waits = [(w, scope) for w, scope in (
        (L.retry_after(user_res, now, policy.max_failures, policy.lockout_seconds), "user_locked"),
        (L.retry_after(addr_res, now, policy.address_max_failures, policy.address_window_seconds), "address_throttled"),
    ) if w is not None]
    if not waits:
        return user_res, addr_res, None, ""
    wait, scope = max(waits)
    return user_res, addr_res, wait, scope


async def _login_failed(
    engine: AsyncEngine, attempt: LoginAttempt, inst_id: UUID | None, row: Any, reason: str,
    user_res: L.Reservation, addr_res: L.Reservation, now: datetime, policy: L.LoginPolicy,
) -> None:
    """Audit a failed attempt; the last allowed one starts the lock."""
    user_id = row.id if row is not None else None
    async with engine.begin() as conn:
        await L.audit_login(conn, "auth.login_failed", institution_id=inst_id, user_id=user_id, address=attempt.address, reason=reason, channel=attempt.channel)
        for res, limit, seconds, scope in ((user_res, policy.max_failures, policy.lockout_seconds, "user_locked"),
                                           (addr_res, policy.address_max_failures, policy.address_window_seconds, "address_throttled")):
            if res.number >= limit:
                await L.lock_now(conn, res.key, now, seconds)
                await L.audit_login(conn, "auth.login_locked", institution_id=inst_id, user_id=user_id, address=attempt.address, reason=scope,
                                    channel=attempt.channel, lock_seconds=seconds)


_DUMMY_HASH = hash_password("not-a-real-password-xborder")


# -- authentication -----------------------------------------------------------------


def signature_base(method: str, path_qs: str, timestamp: str, body: bytes) -> bytes:
    return f"{method.upper()}\n{path_qs}\n{timestamp}\n{hashlib.sha256(body).hexdigest()}".encode()


def sign_request(signing_secret: str, method: str, path_qs: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """Headers a client adds to sign a request (used by tests and the docs)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    mac = hmac.new(signing_secret.encode(), signature_base(method, path_qs, ts, body), hashlib.sha256).hexdigest()
    return {"X-Xborder-Timestamp": ts, "X-Xborder-Signature": f"v1={mac}"}


async def authenticate(request: Request) -> Principal:
    """Resolve the caller from ``Authorization: Bearer ...``.  Raises a 401
    problem for anything missing, unknown, expired, revoked or badly signed."""
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    ctx = request.app.state.ctx
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("credentials_missing", "send 'Authorization: Bearer <api key or access token>'")
    token = token.strip()
    if token.startswith("xb_"):
        principal = await _authenticate_key(request, ctx, token)
    elif token.startswith("xbt."):
        principal = await _authenticate_user(ctx, token, request)
    else:
        raise _unauthorized("credentials_invalid", "unrecognised credential")
    request.state.principal = principal
    return principal


@dataclass(frozen=True)
class _KeyFacts:
    """What a request with a resolved API key still checks (cached with it)."""

    id: UUID
    institution_id: UUID
    signing_secret_enc: Any
    expires_at: datetime | None
    require_signing: bool


def _auth_cache(ctx: Any) -> AuthCache | None:
    cache = getattr(ctx, "auth_cache", None)
    return cache if cache is not None and cache.enabled else None


async def _authenticate_key(request: Request, ctx, key: str) -> Principal:
    """An API key: from the app's :class:`~api.authcache.AuthCache` when it
    resolved the same key lately, else from the database; its expiry and
    the request signature are checked on every request."""
    parts = key.split("_", 2)
    if len(parts) != 3 or not parts[1]:
        raise _unauthorized("credentials_invalid", "malformed API key")
    cache = _auth_cache(ctx)
    if cache is not None:
        async def load() -> tuple[Principal, frozenset[Target], _KeyFacts]:
            principal, facts = await _resolve_key(ctx, key, parts[1])
            return principal, frozenset({("key", facts.id), ("institution", facts.institution_id)}), facts

        entry = await cache.resolve(cache.digest(key), load)
        principal, facts = entry.principal, entry.detail
    else:
        principal, facts = await _resolve_key(ctx, key, parts[1])
    if facts.expires_at is not None and facts.expires_at <= utc_now():
        raise _unauthorized("credentials_expired", "this API key has expired")
    signature = request.headers.get("x-xborder-signature")
    if signature is not None or facts.require_signing:
        await _check_signature(request, ctx, facts, signature)
    return principal


async def _resolve_key(ctx, key: str, prefix: str) -> tuple[Principal, _KeyFacts]:
    """Look an API key up (its hash compared in constant time) with its
    institution's signing rule and status.  Raises the 401/403 problems."""
    async with ctx.engine.connect() as conn:
        # a prefix is unique per institution (its key is (prefix, institution_id)); the hash of the
        # whole key picks the one row even if two institutions drew the same 48-bit prefix
        row = (await conn.execute(select(api_keys).where(api_keys.c.prefix == prefix, api_keys.c.secret_hash == sha256_hex(key)))).first()
        settings_row = None
        if row is not None:
            settings_row = (await conn.execute(select(institution_settings.c.require_signing).where(institution_settings.c.institution_id == row.institution_id))).first()
        if row is None or not hmac.compare_digest(row.secret_hash, sha256_hex(key)):
            raise _unauthorized("credentials_invalid", "unknown API key")
        await check_institution_enabled(conn, row.institution_id)
    if row.revoked_at is not None:
        raise _unauthorized("credentials_revoked", "this API key was revoked")
    if row.pending:
        raise _unauthorized("credentials_pending", "this API key waits for the approval of a second admin (four eyes)")
    expires = row.expires_at
    if expires is not None and expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    if expires is not None and expires <= utc_now():
        raise _unauthorized("credentials_expired", "this API key has expired")
    facts = _KeyFacts(row.id, row.institution_id, row.signing_secret_enc, expires, bool(settings_row is not None and settings_row.require_signing))
    return Principal(row.institution_id, "api_key", row.id, row.role, platform_code=row.platform_code, scopes=frozenset(row.scopes or ())), facts


async def _check_signature(request: Request, ctx, key_row: _KeyFacts, signature: str | None) -> None:
    """An API key's request signature (its secret is stored encrypted)."""
    await _verify_signature(request, ctx, signature, credential_id=key_row.id, institution_id=key_row.institution_id, actor=f"api_key:{key_row.id}",
                            secret=lambda: ctx.keyring.decrypt(key_row.signing_secret_enc, context=f"api_key:{key_row.id}"))


#: the reason class of a refused signature in the audit log, by problem code
SIGNATURE_REFUSALS = {"signature_required": "missing", "signature_invalid": "wrong", "signature_expired": "stale", "signature_replayed": "replayed"}


async def _verify_signature(
    request: Request, ctx, signature: str | None, *, credential_id: UUID, institution_id: UUID, actor: str, secret: Callable[[], str],
) -> None:
    """Check ``X-Xborder-Signature`` (any credential kind); a refusal is
    audited (``auth.signature_refused``) and answered 401, nothing else
    changes."""
    try:
        await _signature_ok(request, ctx, signature, credential_id, secret)
    except ProblemError as exc:
        await _audit_signature_refused(request, ctx, institution_id, actor, exc.code)
        raise


async def _signature_ok(request: Request, ctx, signature: str | None, credential_id: UUID, secret: Callable[[], str]) -> None:
    if not signature:
        raise _unauthorized("signature_required", "this institution requires signed requests (X-Xborder-Timestamp, X-Xborder-Signature)")
    ts = request.headers.get("x-xborder-timestamp", "")
    if not ts.isdigit():
        raise _unauthorized("signature_invalid", "X-Xborder-Timestamp must be unix seconds")
    if abs(int(time.time()) - int(ts)) > SIGNATURE_WINDOW_SECONDS:
        raise _unauthorized("signature_expired", f"timestamp is more than {SIGNATURE_WINDOW_SECONDS} seconds off")
    body = await request.body()
    path_qs = request.url.path + (("?" + request.url.query) if request.url.query else "")
    expected = "v1=" + hmac.new(secret().encode(), signature_base(request.method, path_qs, ts, body), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature.strip()):
        raise _unauthorized("signature_invalid", "signature does not match the request")
    now = utc_now()
    try:
        async with ctx.engine.begin() as conn:
            # api_key_id: the credential's id (an API key's, or a user session's)
            await conn.execute(request_signatures.insert().values(signature=expected[3:], api_key_id=credential_id, seen_at=now))
    except IntegrityError:
        raise _unauthorized("signature_replayed", "this signature was already used") from None


async def _audit_signature_refused(request: Request, ctx, institution_id: UUID, actor: str, code: str) -> None:
    address = L.client_address(request)
    async with ctx.engine.begin() as conn:
        await record_audit(
            conn, institution_id=institution_id, actor_type=actor.split(":")[0], actor_id=actor.split(":", 1)[1], action="auth.signature_refused",
            object_type="request", object_id=f"{request.method} {request.url.path}"[:64],
            after={"reason": SIGNATURE_REFUSALS.get(code, "wrong"), "code": code, "method": request.method, "path": request.url.path[:500], "address": address},
            request_id=getattr(request.state, "request_id", None),
        )


async def purge_signatures(engine, older_than_seconds: int = 2 * SIGNATURE_WINDOW_SECONDS) -> int:
    """Forget signatures older than the window (they are refused by time)."""
    cutoff = utc_now() - timedelta(seconds=older_than_seconds)
    async with engine.begin() as conn:
        res = await conn.execute(delete(request_signatures).where(request_signatures.c.seen_at < cutoff))
        return res.rowcount or 0


@dataclass(frozen=True)
class _SessionFacts:
    """What a request with a resolved user token still checks (cached with it)."""

    session_id: UUID
    channel: str
    expires_at: datetime
    require_signing: bool


async def _authenticate_user(ctx, token: str, request: Request | None = None, channel: str = "api") -> Principal:
    """A user's token: valid signature and time, its session live (not
    logged out, no password change or disable since) and on ``channel``, the
    user enabled -- the user, session and signing rule read in one query,
    or taken from the app's :class:`~api.authcache.AuthCache` when the same
    token was resolved lately (the token's signature and expiry, the
    session's expiry and channel are checked on every request).  On the
    ``api`` channel the institution's signing rule applies (the session's
    signing secret).  Sets ``request.state.session_id``."""
    claims = ctx.keyring.verify_token(token)
    if claims is None:
        raise _unauthorized("token_invalid", "access token invalid or expired; log in again")
    cache = _auth_cache(ctx)
    clock = getattr(ctx, "clock", utc_now)
    if cache is not None:
        async def load() -> tuple[Principal, frozenset[Target], _SessionFacts]:
            principal, facts = await _resolve_session(ctx, claims, channel, clock)
            return principal, frozenset({("user", principal.actor_id), ("session", facts.session_id), ("institution", principal.institution_id)}), facts

        entry = await cache.resolve(cache.digest(token), load)
        principal, facts = entry.principal, entry.detail
        # a cached (or shared) resolution: the facts that change with time and channel, checked again
        if facts.expires_at <= clock():
            raise _unauthorized("token_revoked", "this access token was revoked (logout, password change or disabled user) or has expired; log in again")
        if facts.channel != channel:
            raise _unauthorized("token_invalid", "this access token was issued for another channel (console sessions are not API tokens)")
    else:
        principal, facts = await _resolve_session(ctx, claims, channel, clock)
    sid = facts.session_id
    if request is not None:
        request.state.session_id = sid
        signature = request.headers.get("x-xborder-signature")
        if channel == "api" and (signature is not None or facts.require_signing):
            await _verify_signature(request, ctx, signature, credential_id=sid, institution_id=principal.institution_id, actor=f"user:{principal.actor_id}",
                                    secret=lambda: L.session_signing_secret(ctx.keyring, sid))
    return principal


async def _resolve_session(ctx, claims: dict[str, Any], channel: str, clock: Callable[[], datetime]) -> tuple[Principal, _SessionFacts]:
    """The user and session of a token's claims, checked.  Raises the 401/403 problems."""
    try:
        uid, sid = UUID(claims["sub"]), UUID(claims["jti"])
    except (KeyError, ValueError, TypeError):
        raise _unauthorized("token_invalid", "access token invalid") from None
    async with ctx.engine.connect() as conn:
        row = (await conn.execute(L.session_query(users, institution_settings, uid, sid))).first()
        if row is None or row.disabled:
            raise _unauthorized("token_invalid", "user disabled or removed")
        if row.session_revoked_at is not None or row.session_expires_at <= clock():
            raise _unauthorized("token_revoked", "this access token was revoked (logout, password change or disabled user) or has expired; log in again")
        if row.session_channel != channel:
            raise _unauthorized("token_invalid", "this access token was issued for another channel (console sessions are not API tokens)")
        await check_institution_enabled(conn, row.institution_id)
    facts = _SessionFacts(sid, row.session_channel, row.session_expires_at, bool(row.require_signing))
    return Principal(row.institution_id, "user", row.id, row.role, merchant_ref=row.merchant_ref, username=row.username), facts


async def logout(ctx, request: Request, principal: Principal) -> None:
    """Revoke the calling session at once (audited ``auth.logout``)."""
    sid = getattr(request.state, "session_id", None)
    if principal.actor_type != "user" or sid is None:
        raise ProblemError(403, "not_a_user_session", "Forbidden", "only a user's session can log out; API keys are revoked with POST /v1/api-keys/{id}/revoke")
    async with ctx.engine.begin() as conn:
        await L.revoke_session(conn, sid, "logout", getattr(ctx, "clock", utc_now)())
        await record_audit(conn, institution_id=principal.institution_id, actor_type="user", actor_id=str(principal.actor_id), action="auth.logout",
                           object_type="user_session", object_id=str(sid), request_id=getattr(request.state, "request_id", None))


async def change_password(ctx, request: Request, principal: Principal, current_password: str, new_password: str) -> int:
    """Change the caller's own password: the current one checked (a wrong
    one counts towards the user name's lockout), the new one under the
    policy; every session of the user is revoked (log in again).  Returns the
    number of sessions revoked."""
    policy = L.LoginPolicy.from_settings(ctx.settings)
    now = getattr(ctx, "clock", utc_now)()
    async with ctx.engine.begin() as conn:
        row = (await conn.execute(select(users, institutions.c.code.label("institution_code")).join(institutions, institutions.c.id == users.c.institution_id)
                                  .where(users.c.id == principal.actor_id))).one()
        key = L.user_subject(ctx.keyring, row.institution_code, row.username)
        res = await L.reserve_attempt(conn, key, now, limit=policy.max_failures, window_seconds=policy.lockout_seconds, lock_seconds=policy.lockout_seconds)
    wait = L.retry_after(res, now, policy.max_failures, policy.lockout_seconds)
    if wait is not None:
        raise L.throttled(wait)
    address = L.client_address(request)
    if not verify_password(current_password, row.password_hash):
        async with ctx.engine.begin() as conn:
            await L.audit_login(conn, "auth.password_change_failed", institution_id=row.institution_id, user_id=row.id, address=address, reason="wrong_password", channel="api")
            if res.number >= policy.max_failures:
                await L.lock_now(conn, key, now, policy.lockout_seconds)
        raise ProblemError(403, "invalid_password", "Forbidden", "the current password is wrong")
    L.check_password(new_password, username=row.username, institution_code=row.institution_code, policy=policy)
    async with ctx.engine.begin() as conn:
        invalidate(("user", row.id))
        await conn.execute(update(users).where(users.c.id == row.id).values(password_hash=hash_password(new_password)))
        await L.release_attempt(conn, key, reset=True)
        revoked = await L.revoke_user_sessions(conn, row.id, "password_change", now)
        await record_audit(conn, institution_id=row.institution_id, actor_type="user", actor_id=str(row.id), action="user.password_change", object_type="user",
                           object_id=str(row.id), after={"sessions_revoked": revoked, "address": address}, request_id=getattr(request.state, "request_id", None))
    return revoked


_UNSET: Any = object()


def require(*roles: str, scope: str | None = _UNSET) -> Callable:
    """A dependency that authenticates and admits only ``roles``; an API key
    also needs ``scope`` (else 403 ``forbidden_scope`` naming it).  A route
    admitting a key role must name its scope (``scope=None``: any key of the
    role, e.g. ``/v1/me``).  The declaration is kept on the function
    (``.roles``, ``.scope``, ``.policy``) for the route table, the OpenAPI
    document (``x-required-scope``) and the access matrix test."""
    allowed = frozenset(roles)
    if not allowed or not allowed <= set(ALL_ROLES):
        raise ValueError(f"require(): unknown roles {sorted(allowed - set(ALL_ROLES))}")
    if scope is _UNSET:
        if allowed & set(KEY_ROLES):
            raise ValueError(f"require({', '.join(roles)}): a route open to API keys declares the scope they need (scope=...)")
        scope = None
    if scope is not None and scope not in SCOPES:
        raise ValueError(f"require(): unknown scope {scope!r}")

    async def dependency(request: Request) -> Principal:
        principal = await authenticate(request)
        if principal.role not in allowed:
            raise ProblemError(403, "forbidden_role", "Forbidden", f"role '{principal.role}' may not use this route; allowed: {', '.join(sorted(allowed))}", role=principal.role)
        if scope is not None and principal.scopes is not None and scope not in principal.scopes:
            raise ProblemError(
                403, "forbidden_scope", "Forbidden", f"this API key lacks the scope '{scope}' this route needs; its scopes: {', '.join(sorted(principal.scopes)) or 'none'}",
                scope=scope, role=principal.role,
            )
        return principal

    dependency.roles = allowed  # type: ignore[attr-defined]
    dependency.scope = scope  # type: ignore[attr-defined]
    dependency.policy = Policy("authenticated", allowed, scope)  # type: ignore[attr-defined]
    return dependency
