"""The national evidence registry (S2): a receipt or an exempt conversion
cites orders; its coverage is the value of the matched, unreturned orders it
cites.  The registry shared by every institution (``evidence_registry``)
makes sure an order's value backs one receipt anywhere: consumption is a
conditional update (``consumed + x <= value``) on a row keyed by an HMAC of
"platform|order" under the deployment registry key."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, bindparam, case, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger.clock import utc_now
from ledger.crypto import Keyring, deployment_keyring
from ledger.db import insert_for
from ledger.errors import InvalidInput
from ledger.ids import uuid7
from ledger.money import currency as check_currency

from ..tables_tradedata import evidence_claims, evidence_registry, trade_orders
from .model import MATCHED, ClaimRequest, EvidenceClaim, OrderRef
from .store import by_keys, chunks

EVIDENCE_PURPOSE = "xborder-evidence-v1"


def evidence_key(platform_code: str, external_id: str, *, keyring: Keyring | None = None, key: bytes | None = None) -> str:
    """The registry key of a platform order: HMAC-SHA256 of
    ``platform_code|external_id`` under the deployment registry key
    (``keyring``, default the process's; ``key``: a former registry key).
    The same at every institution of the deployment; recomputed by
    ``xborder keys rotate`` (settlement.rekey) when the registry key changes."""
    ring = keyring or deployment_keyring()
    return ring.registry_hmac(f"{platform_code}|{external_id}", purpose=EVIDENCE_PURPOSE, key=key)


def legacy_evidence_key(platform_code: str, external_id: str) -> str:
    """The key before 0024 (plain SHA-256): only to re-key old rows."""
    return hashlib.sha256(f"xborder-evidence-v1\x00{platform_code}|{external_id}".encode()).hexdigest()



async def lower_registry(conn: AsyncConnection, pairs: list[tuple[str, int]]) -> None:
    """Lower registry values to what is left of each order (never raises one)."""
    if not pairs:
        return
    await conn.execute(
        update(evidence_registry)
        .where(evidence_registry.c.evidence_key == bindparam("_key"), evidence_registry.c.value_minor > bindparam("_value"))
        .values(value_minor=bindparam("_value")),
        [{"_key": k, "_value": max(0, v)} for k, v in sorted(pairs)],
    )


async def claim_evidence(
    conn: AsyncConnection,
    institution_id: UUID,
    customer_id: UUID,
    platform_code: str | None,
    order_external_ids: Sequence[str | OrderRef],
    currency: str,
    up_to_minor: int,
    purpose: str,
    claim_ref: str,
) -> EvidenceClaim:
    """Consume evidence for an operation, inside the caller's transaction.

    Counts only the institution's matched orders of ``customer_id`` in
    ``currency`` whose effective value (after returns) is above zero; takes
    from the shared registry at most ``up_to_minor`` in total, in the order
    the ids are cited.  Orders whose value is already fully consumed (by
    anyone, at any institution) are listed in ``reused``: the caller raises
    an evidence-reuse alert.  A second call with the same ``claim_ref``
    (not released) returns the first claim unchanged (``replayed``).

    Correct under concurrent claims from several institutions: registry rows
    are locked in key order and consumed by a conditional update
    (``consumed + x <= value``), so the total consumed never exceeds an
    order's value.
    """
    # one claim is a batch of one: the rules live in claim_evidence_many
    request = ClaimRequest(customer_id, platform_code, order_external_ids, currency, up_to_minor, purpose, claim_ref)
    return (await claim_evidence_many(conn, institution_id, [request]))[0]


async def release_evidence(conn: AsyncConnection, institution_id: UUID, claim_ref: str) -> int:
    """Give back what the claim ``claim_ref`` consumed (its operation was
    cancelled), inside the caller's transaction.  Returns the amount given
    back; 0 when there is nothing (left) to release."""
    rows = (
        await conn.execute(
            select(evidence_claims).where(
                evidence_claims.c.institution_id == institution_id, evidence_claims.c.claim_ref == claim_ref, evidence_claims.c.released_at.is_(None)
            )
        )
    ).all()
    if not rows:
        return 0
    per_key: dict[str, int] = {}
    for r in rows:
        per_key[r.evidence_key] = per_key.get(r.evidence_key, 0) + int(r.amount_minor)
    for key in sorted(per_key):
        amount = per_key[key]
        await conn.execute(
            update(evidence_registry)
            .where(evidence_registry.c.evidence_key == key)
            .values(consumed_minor=case((evidence_registry.c.consumed_minor >= amount, evidence_registry.c.consumed_minor - amount), else_=0))
        )
    now = utc_now()
    await conn.execute(
        update(evidence_claims).where(evidence_claims.c.id.in_([r.id for r in rows])).values(released_at=now)
    )
    return sum(per_key.values())


#: a cited order: (as cited, platform code, external id)
_Cited = tuple[Any, str, str]


@dataclass(slots=True)
class _Candidate:
    """A cited order that qualifies as evidence for its claim."""

    item: Any
    order: Row[Any]
    key: str


@dataclass(slots=True)
class _Entry:
    """A locked registry row, as the batch consumes it."""

    currency: str
    value: int
    consumed: int
    changed: bool = False


async def claim_evidence_many(conn: AsyncConnection, institution_id: UUID, requests: Sequence[ClaimRequest]) -> list[EvidenceClaim]:
    """:func:`claim_evidence` for many claims at once (the bulk path of
    receipts): the same rules and results, claims served in the given order,
    with a handful of statements for the whole batch instead of several per
    claim.  Registry rows are upserted (and so locked) in key order."""
    _check_requests(requests)
    previous = await _previous_claims(conn, institution_id, [rq.claim_ref for rq in requests])
    replays = {n: _replay(rq, previous[rq.claim_ref]) for n, rq in enumerate(requests) if previous.get(rq.claim_ref)}
    cited = [[] if n in replays else _cited(rq) for n, rq in enumerate(requests)]
    orders = await _load_orders(conn, institution_id, cited)
    claims = [replays.get(n) or EvidenceClaim(rq.claim_ref, rq.currency, 0) for n, rq in enumerate(requests)]
    candidates = [_screen(rq, claims[n], cited[n], orders) for n, rq in enumerate(requests)]
    registry = await _lock_registry(conn, requests, candidates)
    now = utc_now()
    claim_rows: list[dict[str, Any]] = []
    for n, rq in enumerate(requests):
        if n not in replays:
            claim_rows += _consume(institution_id, rq, claims[n], candidates[n], registry, now)
    await _write_consumption(conn, registry, claim_rows)
    return claims


def _check_requests(requests: Sequence[ClaimRequest]) -> None:
    for rq in requests:
        check_currency(rq.currency)
        if rq.up_to_minor < 0:
            raise InvalidInput("up_to_minor must not be negative", up_to_minor=rq.up_to_minor)
        if not rq.claim_ref or len(rq.claim_ref) > 128:
            raise InvalidInput("claim_ref must be 1..128 characters")


async def _previous_claims(conn: AsyncConnection, institution_id: UUID, refs: list[str]) -> dict[str, list[Row[Any]]]:
    """The unreleased claim rows of claims already made, by claim ref."""
    previous: dict[str, list[Row[Any]]] = {}
    for part in chunks(refs):
        rows = await conn.execute(
            select(evidence_claims)
            .where(evidence_claims.c.institution_id == institution_id, evidence_claims.c.claim_ref.in_(part), evidence_claims.c.released_at.is_(None))
            .order_by(evidence_claims.c.created_at, evidence_claims.c.id)
        )
        for r in rows:
            previous.setdefault(r.claim_ref, []).append(r)
    return previous


def _replay(rq: ClaimRequest, prev: list[Row[Any]]) -> EvidenceClaim:
    """The claim as first made (a second call with the same claim ref)."""
    used = [(r.external_id if rq.platform_code == r.platform_code else OrderRef(r.platform_code, r.external_id), int(r.amount_minor)) for r in prev]
    return EvidenceClaim(rq.claim_ref, rq.currency, sum(a for _e, a in used), used=used, replayed=True)


def _cited(rq: ClaimRequest) -> list[_Cited]:
    """The orders a claim cites, once each, in the order cited."""
    cited: list[_Cited] = []
    seen: set[tuple[str, str]] = set()
    for item in rq.order_external_ids:
        if isinstance(item, OrderRef):
            pair = (item.platform_code, item.external_id)
        else:
            if rq.platform_code is None:
                raise InvalidInput("order ids given as text need a platform_code")
            pair = (rq.platform_code, str(item))
        if pair not in seen:
            seen.add(pair)
            cited.append((item, *pair))
    return cited


async def _load_orders(conn: AsyncConnection, institution_id: UUID, cited: list[list[_Cited]]) -> dict[tuple[str, str], Row[Any]]:
    """The institution's cited orders (share-locked on PostgreSQL), by (platform, external id)."""
    wanted: dict[str, set[str]] = {}
    for claim_cited in cited:
        for _item, p, e in claim_cited:
            wanted.setdefault(p, set()).add(e)
    orders: dict[tuple[str, str], Row[Any]] = {}
    for p, exts in wanted.items():
        for part in chunks(sorted(exts)):
            stmt = by_keys(
                conn, [trade_orders], trade_orders, trade_orders.c.external_id, part, trade_orders.c.institution_id == institution_id, trade_orders.c.platform_code == p
            ).order_by(trade_orders.c.id)
            if conn.dialect.name == "postgresql":
                stmt = stmt.with_for_update(read=True, of=trade_orders)
            for r in await conn.execute(stmt):
                orders[(p, r.external_id)] = r
    return orders


def _refusal(o: Row[Any] | None, rq: ClaimRequest) -> str | None:
    """Why an order cannot back this claim (None: it can)."""
    if o is None:
        return "no such order"
    if o.customer_id != rq.customer_id:
        return "order of another merchant"
    if o.currency != rq.currency:
        return f"order in {o.currency}"
    if o.match_status != MATCHED:
        return f"order {o.match_status}" + (f": {o.match_reason}" if o.match_reason else "")
    if o.amount_minor - o.refunded_minor <= 0:
        return "order fully returned or refunded"
    return None


def _screen(rq: ClaimRequest, claim: EvidenceClaim, cited: list[_Cited], orders: dict[tuple[str, str], Row[Any]]) -> list[_Candidate]:
    """The cited orders that qualify; the others go to ``claim.unmatched`` with the reason."""
    out: list[_Candidate] = []
    for item, p, e in cited:
        o = orders.get((p, e))
        reason = _refusal(o, rq)
        if reason is not None or o is None:
            claim.unmatched.append(item)
            claim.reasons[item] = reason or "no such order"
            continue
        out.append(_Candidate(item, o, evidence_key(p, e)))
    return out


async def _lock_registry(conn: AsyncConnection, requests: Sequence[ClaimRequest], candidates: list[list[_Candidate]]) -> dict[str, _Entry]:
    """Upsert (and so lock) every registry row the batch needs once, in key
    order, at the lowest value any claim sees of the order."""
    lowest: dict[str, tuple[str, int]] = {}
    for rq, mine in zip(requests, candidates, strict=True):
        for c in mine:
            value = c.order.amount_minor - c.order.refunded_minor
            prev_low = lowest.get(c.key)
            if prev_low is None or value < prev_low[1]:
                lowest[c.key] = (rq.currency, value)
    reg: dict[str, _Entry] = {}
    for part in chunks(sorted(lowest), 1000):
        ins = insert_for(conn, evidence_registry).values([dict(evidence_key=k, currency=lowest[k][0], value_minor=lowest[k][1], consumed_minor=0) for k in part])
        stmt = ins.on_conflict_do_update(
            index_elements=["evidence_key"],
            set_={"value_minor": case((ins.excluded.value_minor < evidence_registry.c.value_minor, ins.excluded.value_minor), else_=evidence_registry.c.value_minor)},
        ).returning(evidence_registry.c.evidence_key, evidence_registry.c.currency, evidence_registry.c.value_minor, evidence_registry.c.consumed_minor)
        for row in await conn.execute(stmt):
            reg[row.evidence_key] = _Entry(row.currency, int(row.value_minor), int(row.consumed_minor))
    return reg


def _consume(institution_id: UUID, rq: ClaimRequest, claim: EvidenceClaim, candidates: list[_Candidate], reg: dict[str, _Entry], now: datetime) -> list[dict[str, Any]]:
    """Take from the registry what the claim may, in the order cited; the claim rows to write."""
    rows: list[dict[str, Any]] = []
    remaining = rq.up_to_minor
    for c in candidates:
        entry = reg[c.key]
        if entry.currency != rq.currency:
            claim.unmatched.append(c.item)
            claim.reasons[c.item] = f"registered in {entry.currency}"
            continue
        available = entry.value - entry.consumed
        if available <= 0:
            claim.reused.append(c.item)
            claim.reasons[c.item] = "value already used as evidence"
            continue
        if remaining <= 0:
            continue
        x = min(available, remaining)
        entry.consumed += x
        entry.changed = True
        remaining -= x
        claim.used.append((c.item, x))
        claim.coverage_minor += x
        o = c.order
        rows.append(
            dict(
                id=uuid7(), institution_id=institution_id, claim_ref=rq.claim_ref, purpose=(rq.purpose or "receipt")[:32], customer_id=rq.customer_id,
                order_id=o.id, platform_code=o.platform_code, external_id=o.external_id, evidence_key=c.key, currency=rq.currency, amount_minor=x,
                created_at=now, released_at=None,
            )
        )
    return rows


async def _write_consumption(conn: AsyncConnection, reg: dict[str, _Entry], claim_rows: list[dict[str, Any]]) -> None:
    changed = [(k, e.consumed) for k, e in reg.items() if e.changed]
    if changed:
        # the rows are locked by the upsert above: the values computed here are the truth
        stmt = (
            update(evidence_registry)
            .where(evidence_registry.c.evidence_key == bindparam("b_key"))
            .values(consumed_minor=bindparam("b_consumed"))
        )
        await conn.execute(stmt, [{"b_key": k, "b_consumed": c} for k, c in changed])
    if claim_rows:
        await conn.execute(evidence_claims.insert(), claim_rows)
