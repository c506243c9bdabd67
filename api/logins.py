"""Hardened logins: throttling and lockout, the password policy, user
sessions (server-side revocation of user tokens) and their signing secrets.

* **Throttling.** Every login attempt is *counted before the password is
  checked*, with one atomic upsert per subject (``login_throttle``): the user
  name (an HMAC of institution code and user name, so an unknown name is
  counted and answered exactly like a known one, and no typed name is stored
  in clear) and the source address (``request.client.host``: the proxy
  headers are believed only from ``XBORDER_TRUSTED_PROXIES``, see
  ``xborder serve``).  An attempt whose number is beyond the limit is refused
  with 429 ``login_throttled`` and ``Retry-After`` without looking at the
  password, so parallel attempts on any number of workers never get more
  than the limit of password checks.  A successful login gives its
  reservation back.  The clock is injectable (``AppContext.clock``).
* **Sessions.** Each token carries a ``jti``: a row of ``user_sessions``
  read with the user's row on every request.  Logout revokes the row;
  password change and disable revoke every row of the user.  A token works
  only on the channel it was issued for (``api`` bearer or ``console``
  cookie).
* **Signing secrets.** An API session's signing secret is an HMAC of its
  ``jti`` under a key derived from ``XBORDER_SECRET_KEY``: shown once at
  login, never stored.
* **Passwords.** Minimum length, not the user name or institution code, and
  a minimum ``zxcvbn`` score (dictionaries of common passwords, names, words,
  keyboard patterns, repeats and sequences).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from fastapi import Request
from sqlalchemy import and_, case, literal, null, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from zxcvbn import zxcvbn

from ledger import errors as E
from ledger.clock import utc_now
from ledger.config import Settings
from ledger.crypto import Keyring
from ledger.db import insert_for
from ledger.events import record_audit
from ledger.types import TS

from .authcache import invalidate
from .problems import ProblemError
from .schema import login_throttle, user_sessions

Clock = Callable[[], datetime]

#: how much of a password zxcvbn looks at (its cost grows with the length)
ZXCVBN_MAX_CHARS = 100


@dataclass(frozen=True)
class LoginPolicy:
    """The limits of logins and passwords (``XBORDER_LOGIN_*``, ``XBORDER_PASSWORD_*``)."""

    max_failures: int = 5
    lockout_seconds: int = 900
    address_max_failures: int = 30
    address_window_seconds: int = 900
    password_min_length: int = 12
    password_min_score: int = 3

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginPolicy:
        return cls(
            max_failures=settings.login_max_failures, lockout_seconds=settings.login_lockout_seconds,
            address_max_failures=settings.login_address_max_failures, address_window_seconds=settings.login_address_window_seconds,
            password_min_length=settings.password_min_length, password_min_score=settings.password_min_score,
        )


def client_address(request: Request) -> str:
    """The caller's address as the server determined it: uvicorn rewrites it
    from X-Forwarded-For only for the proxies of XBORDER_TRUSTED_PROXIES."""
    return request.client.host if request.client else "unknown"


# -- password policy -----------------------------------------------------------------


class WeakPassword(E.InvalidInput):
    """A new password that the policy refuses; ``reasons`` says why."""

    code = "weak_password"
    title = "Password too weak"

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("the password is refused: " + "; ".join(reasons), field="password", reasons=reasons)


def password_weaknesses(password: str, *, username: str, institution_code: str, policy: LoginPolicy) -> list[str]:
    """Why ``password`` is refused (empty: accepted)."""
    reasons: list[str] = []
    if len(password) < policy.password_min_length:
        reasons.append(f"shorter than {policy.password_min_length} characters")
    folded = password.casefold()
    for what, value in (("user name", username), ("institution code", institution_code)):
        v = (value or "").casefold()
        if v and (folded == v or (len(v) >= 4 and v in folded)):
            reasons.append(f"contains the {what}")
    result = zxcvbn(password[:ZXCVBN_MAX_CHARS], user_inputs=[u for u in (username, institution_code, "xborder") if u])
    if result["score"] < policy.password_min_score:
        warning = result["feedback"].get("warning") or "a common password or an easily guessed pattern"
        reasons.append(f"too easy to guess (strength {result['score']} of 4, at least {policy.password_min_score} needed): {warning}")
    return reasons


def check_password(password: str, *, username: str, institution_code: str, policy: LoginPolicy) -> None:
    """Raise :class:`WeakPassword` when the policy refuses ``password``."""
    reasons = password_weaknesses(password, username=username, institution_code=institution_code, policy=policy)
    if reasons:
        raise WeakPassword(reasons)


# -- throttling ---------------------------------------------------------------------------


def user_subject(keyring: Keyring, institution_code: str, username: str) -> str:
    """The throttle key of a user name: the same for a name that exists and
    one that does not; the name itself is not recoverable from it."""
    key = keyring._subkey(keyring.current, "login-throttle")
    return "u:" + hmac.new(key, f"{institution_code}\x00{username}".encode(), hashlib.sha256).hexdigest()


def address_subject(address: str) -> str:
    return "a:" + address[:96]


@dataclass(frozen=True)
class Reservation:
    """One counted attempt: its number in the subject's window and the end of
    the subject's lock, if any."""

    key: str
    number: int
    locked_until: datetime | None


async def reserve_attempt(conn: AsyncConnection, key: str, now: datetime, *, limit: int, window_seconds: int, lock_seconds: int) -> Reservation:
    """Count an attempt on ``key`` atomically (one upsert; on PostgreSQL the
    row lock orders parallel attempts).  The count starts afresh when the
    lock ended or the window passed; the attempt beyond ``limit`` starts the
    lock."""
    t = login_throttle.c
    now_v = literal(now, TS)
    restart = or_(and_(t.locked_until.is_not(None), t.locked_until <= now_v), and_(t.locked_until.is_(None), t.window_start <= literal(now - timedelta(seconds=window_seconds), TS)))
    new_lock = literal(now + timedelta(seconds=lock_seconds), TS)
    ins = insert_for(conn, login_throttle).values(key=key, failures=1, window_start=now, locked_until=None)
    stmt = ins.on_conflict_do_update(
        index_elements=["key"],
        set_={
            "failures": case((restart, 1), else_=t.failures + 1),
            "window_start": case((restart, now_v), else_=t.window_start),
            "locked_until": case((restart, null()), (and_(t.locked_until.is_(None), t.failures + 1 > limit), new_lock), else_=t.locked_until),
        },
    ).returning(t.failures, t.locked_until)
    row = (await conn.execute(stmt)).one()
    return Reservation(key, int(row.failures), row.locked_until)


async def lock_now(conn: AsyncConnection, key: str, now: datetime, lock_seconds: int) -> None:
    """Start the lock of ``key`` (its last allowed attempt failed)."""
    t = login_throttle.c
    await conn.execute(update(login_throttle).where(t.key == key, t.locked_until.is_(None)).values(locked_until=now + timedelta(seconds=lock_seconds)))


async def release_attempt(conn: AsyncConnection, key: str, *, reset: bool) -> None:
    """A successful attempt: the user's count starts again (``reset``); the
    address gives its reservation back."""
    t = login_throttle.c
    values: dict[str, Any] = {"failures": 0, "locked_until": None} if reset else {"failures": case((t.failures > 0, t.failures - 1), else_=0)}
    await conn.execute(update(login_throttle).where(t.key == key).values(**values))


def retry_after(reservation: Reservation, now: datetime, limit: int, lock_seconds: int) -> int | None:
    """Seconds until ``reservation``'s subject may try again, or None when the
    attempt is within the limit and may go ahead."""
    if reservation.number <= limit:
        return None
    if reservation.locked_until is None:  # not reached: the upsert sets the lock beyond the limit
        return lock_seconds
    return max(1, math.ceil((reservation.locked_until - now).total_seconds()))


def throttled(seconds: int) -> ProblemError:
    """The 429 of a throttled login: the same for a known user, an unknown
    one and an address."""
    return ProblemError(
        429, "login_throttled", "Too many login attempts",
        f"too many failed logins for this user name or from this address: try again in {seconds} seconds",
        headers={"Retry-After": str(seconds)}, retry_after=seconds,
    )


async def audit_login(
    conn: AsyncConnection, action: str, *, institution_id: UUID | None, user_id: UUID | None, address: str, reason: str, channel: str, **extra: Any,
) -> None:
    """``auth.login``, ``auth.login_failed`` or ``auth.login_locked``: the user
    id when known, the address and the reason class; never the password nor
    a user name that does not exist (it may be a mistyped password)."""
    await record_audit(
        conn, institution_id=institution_id, actor_type="user" if user_id else "anonymous", actor_id=str(user_id) if user_id else address,
        action=action, object_type="user", object_id=str(user_id) if user_id else "unknown",
        after={"reason": reason, "address": address, "channel": channel, **extra},
    )


# -- sessions --------------------------------------------------------------------------------


def session_signing_secret(keyring: Keyring, session_id: UUID) -> str:
    """The signing secret of an API session: derived, never stored."""
    key = keyring._subkey(keyring.current, "session-signing")
    return base64.urlsafe_b64encode(hmac.new(key, str(session_id).encode(), hashlib.sha256).digest()).decode().rstrip("=")


async def open_session(conn: AsyncConnection, session_id: UUID, institution_id: UUID, user_id: UUID, channel: str, now: datetime, ttl_seconds: int) -> None:
    await conn.execute(user_sessions.insert().values(
        id=session_id, institution_id=institution_id, user_id=user_id, channel=channel, created_at=now, expires_at=now + timedelta(seconds=ttl_seconds), revoked_at=None, revoked_reason=None,
    ))


async def revoke_session(conn: AsyncConnection, session_id: UUID, reason: str, now: datetime | None = None) -> int:
    invalidate(("session", session_id))
    s = user_sessions.c
    res = await conn.execute(update(user_sessions).where(s.id == session_id, s.revoked_at.is_(None)).values(revoked_at=now or utc_now(), revoked_reason=reason))
    return res.rowcount or 0


async def revoke_user_sessions(conn: AsyncConnection, user_id: UUID, reason: str, now: datetime | None = None) -> int:
    """Revoke every live session of a user (password change, disable)."""
    invalidate(("user", user_id))
    s = user_sessions.c
    res = await conn.execute(update(user_sessions).where(s.user_id == user_id, s.revoked_at.is_(None)).values(revoked_at=now or utc_now(), revoked_reason=reason))
    return res.rowcount or 0


async def purge_sessions(engine: AsyncEngine, now: datetime | None = None, keep_seconds: int = 86400) -> int:
    """Forget sessions that expired more than ``keep_seconds`` ago (their
    tokens are refused by time) and throttle rows idle as long."""
    cutoff = (now or utc_now()) - timedelta(seconds=keep_seconds)
    async with engine.begin() as conn:
        res = await conn.execute(user_sessions.delete().where(user_sessions.c.expires_at < cutoff))
        t = login_throttle.c
        await conn.execute(login_throttle.delete().where(t.window_start < cutoff, or_(t.locked_until.is_(None), t.locked_until < cutoff)))
        return res.rowcount or 0


def session_query(user_table: Any, settings_table: Any, user_id: UUID, session_id: UUID) -> Any:
    """The user, the session and the institution's signing rule in one query."""
    s = user_sessions.c
    return (
        select(user_table, s.channel.label("session_channel"), s.expires_at.label("session_expires_at"), s.revoked_at.label("session_revoked_at"),
               settings_table.c.require_signing)
        .select_from(user_table.join(user_sessions, and_(s.user_id == user_table.c.id, s.id == session_id))
                     .outerjoin(settings_table, settings_table.c.institution_id == user_table.c.institution_id))
        .where(user_table.c.id == user_id)
    )
