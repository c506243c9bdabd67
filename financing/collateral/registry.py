"""The one-asset-one-financing registry (F5).

Every financed asset -- a platform order, a warehouse receipt, an insured
receivable -- has a key: the SHA-256 of its identity ("order|platform|external
id", "wr2|warehouse registry code|receipt number", "ins2|buyer registry
code|invoice number", numbers normalized: :mod:`.identity`), the
same at every institution.  The shared table ``financing_asset_registry``
keeps one row per key with its state; :func:`encumber` is a single
conditional ``INSERT ... ON CONFLICT DO UPDATE ... WHERE state =
'released'``, so of two institutions racing for the same asset exactly one
wins (the primary key and the database's row lock decide, not the
application).  A refused financing raises :class:`AssetAlreadyFinanced`,
which names neither the other lender nor its financing.  Only the holder (a
hash of institution and financing reference) can release.

Every function works inside the caller's transaction (``conn``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger.clock import utc_now
from ledger.db import insert_for
from ledger.errors import InvalidInput
from ledger.events import record_audit
from ledger.ids import uuid7

from ..tables_collateral import financing_asset_registry as registry
from ..tables_collateral import financing_encumbrances
from .common import ASSET_KINDS, ORDER, check_ref
from .errors import AssetAlreadyFinanced, AssetNotEncumbered
from .identity import normalize_number, uscc

ENCUMBERED, RELEASED, RETIRED = "encumbered", "released", "retired"


def _key(*parts: str) -> str:
    for p in parts:
        if not isinstance(p, str) or not p:
            raise InvalidInput("asset identity parts must be non-empty text")
    return hashlib.sha256(("xborder-asset-v1\x00" + "|".join(parts)).encode()).hexdigest()


def order_asset_key(platform_code: str, external_id: str) -> str:
    """SHA-256 of "order|platform|external id": the same at every institution."""
    return _key("order", platform_code, external_id)


def warehouse_receipt_key(warehouse_code: str, receipt_number: str) -> str:
    """SHA-256 of "wr|warehouse registry code|normalized receipt number":
    the warehouse's unified social credit code (validated) and the number
    in its normalized form, never the warehouse's name."""
    return _key("wr2", uscc(warehouse_code), normalize_number(receipt_number, "receipt_number"))


def insured_receivable_key(buyer_code: str, invoice_number: str) -> str:
    """SHA-256 of "ins|buyer registry code|invoice number" (both normalized):
    one invoice on one buyer is one asset, whatever policy declares it."""
    return _key("ins2", normalize_number(buyer_code, "buyer_ref"), normalize_number(invoice_number, "invoice_number"))


def policy_key(insurer_code: str, policy_number: str) -> str:
    """The identity of a policy: the insurer's code and the policy number (normalized)."""
    return _key("policy", normalize_number(insurer_code, "insurer_code"), normalize_number(policy_number, "policy_number"))


def _holder(institution_id: UUID, financing_ref: str) -> str:
    return hashlib.sha256(f"xborder-holder-v1\x00{institution_id}|{financing_ref}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Encumbrance:
    asset_key: str
    asset_kind: str
    financing_ref: str
    #: the same institution and financing encumbered it before: nothing changed
    replayed: bool = False


async def encumber(conn: AsyncConnection, institution_id: UUID, asset_key: str, financing_ref: str, *, asset_kind: str = ORDER) -> Encumbrance:
    """Register ``asset_key`` as backing ``financing_ref`` of the institution.

    One statement decides: insert the registry row, or take over a released
    one; a row encumbered (or retired) by anyone else is left alone and
    :class:`AssetAlreadyFinanced` is raised.  Encumbering again under the
    same institution and financing is a no-op (``replayed``).
    """
    check_ref(financing_ref)
    if asset_kind not in ASSET_KINDS:
        raise InvalidInput(f"asset_kind must be one of {', '.join(ASSET_KINDS)}", asset_kind=asset_kind)
    if not isinstance(asset_key, str) or len(asset_key) != 64:
        raise InvalidInput("asset_key must be a 64-character hash")
    holder = _holder(institution_id, financing_ref)
    now = utc_now()
    ins = insert_for(conn, registry).values(asset_key=asset_key, asset_kind=asset_kind, state=ENCUMBERED, holder=holder, encumbered_at=now, released_at=None)
    stmt = ins.on_conflict_do_update(
        index_elements=["asset_key"],
        set_={"state": ENCUMBERED, "holder": holder, "asset_kind": asset_kind, "encumbered_at": now, "released_at": None},
        where=registry.c.state == RELEASED,
    ).returning(registry.c.asset_key)
    won = (await conn.execute(stmt)).first() is not None
    if not won:
        row = (await conn.execute(select(registry.c.state, registry.c.holder).where(registry.c.asset_key == asset_key))).one()
        if row.state == ENCUMBERED and row.holder == holder:
            return Encumbrance(asset_key, asset_kind, financing_ref, replayed=True)
        raise AssetAlreadyFinanced(asset_kind)
    await conn.execute(
        financing_encumbrances.insert().values(
            id=uuid7(), institution_id=institution_id, asset_key=asset_key, asset_kind=asset_kind, financing_ref=financing_ref, encumbered_at=now, released_at=None
        )
    )
    await record_audit(
        conn, institution_id=institution_id, actor_type="system", actor_id="collateral", action="asset.encumbered",
        object_type="asset", object_id=asset_key[:64], after={"asset_kind": asset_kind, "financing_ref": financing_ref},
    )
    return Encumbrance(asset_key, asset_kind, financing_ref)


async def _release(conn: AsyncConnection, institution_id: UUID, asset_key: str, financing_ref: str, *, retire: bool = False) -> None:
    holder = _holder(institution_id, financing_ref)
    now = utc_now()
    res = await conn.execute(
        update(registry)
        .where(registry.c.asset_key == asset_key, registry.c.state == ENCUMBERED, registry.c.holder == holder)
        .values(state=RETIRED if retire else RELEASED, released_at=now)
        .returning(registry.c.asset_kind)
    )
    row = res.first()
    if row is None:
        kind = (await conn.execute(select(registry.c.asset_kind).where(registry.c.asset_key == asset_key))).scalar()
        raise AssetNotEncumbered(kind or "asset", financing_ref)
    await conn.execute(
        update(financing_encumbrances)
        .where(
            financing_encumbrances.c.institution_id == institution_id,
            financing_encumbrances.c.asset_key == asset_key,
            financing_encumbrances.c.financing_ref == financing_ref,
            financing_encumbrances.c.released_at.is_(None),
        )
        .values(released_at=now)
    )
    await record_audit(
        conn, institution_id=institution_id, actor_type="system", actor_id="collateral", action="asset.retired" if retire else "asset.released",
        object_type="asset", object_id=asset_key[:64], before={"financing_ref": financing_ref}, after={"state": RETIRED if retire else RELEASED},
    )


async def release(conn: AsyncConnection, institution_id: UUID, asset_key: str, financing_ref: str, *, retire: bool = False) -> None:
    """Free the asset for another financing (``retire``: never again, the
    goods were liquidated).  Only the institution and financing that
    encumbered it can; anyone else gets :class:`AssetNotEncumbered` (which
    says nothing of the holder)."""
    check_ref(financing_ref)
    await _release(conn, institution_id, asset_key, financing_ref, retire=retire)


async def release_financing(conn: AsyncConnection, institution_id: UUID, financing_ref: str) -> int:
    """Release every asset still encumbered by the institution's financing
    (the loan was repaid or cancelled).  Returns how many."""
    check_ref(financing_ref)
    keys = (
        await conn.execute(
            select(financing_encumbrances.c.asset_key)
            .where(
                financing_encumbrances.c.institution_id == institution_id,
                financing_encumbrances.c.financing_ref == financing_ref,
                financing_encumbrances.c.released_at.is_(None),
            )
            .order_by(financing_encumbrances.c.asset_key)
        )
    ).scalars().all()
    for k in keys:
        await _release(conn, institution_id, k, financing_ref)
    return len(keys)


async def is_encumbered(conn: AsyncConnection, asset_key: str) -> bool:
    state = (await conn.execute(select(registry.c.state).where(registry.c.asset_key == asset_key))).scalar()
    return state in (ENCUMBERED, RETIRED)


async def encumbrances(conn: AsyncConnection, institution_id: UUID, financing_ref: str, *, active_only: bool = True) -> list[dict[str, Any]]:
    """The institution's own encumbrances of a financing."""
    q = select(financing_encumbrances).where(
        financing_encumbrances.c.institution_id == institution_id, financing_encumbrances.c.financing_ref == financing_ref
    )
    if active_only:
        q = q.where(financing_encumbrances.c.released_at.is_(None))
    return [dict(r._mapping) for r in await conn.execute(q.order_by(financing_encumbrances.c.encumbered_at, financing_encumbrances.c.id))]



@dataclass(frozen=True, slots=True)
class AssetClaim:
    """An asset a financing is to encumber: its registry key and kind."""

    asset_key: str
    asset_kind: str


async def check_available(conn: AsyncConnection, institution_id: UUID, claims: Iterable[AssetClaim], financing_ref: str) -> None:
    """Raise :class:`AssetAlreadyFinanced` when one of ``claims`` backs
    another financing (a read: :func:`encumber_all` decides)."""
    holder = _holder(institution_id, financing_ref)
    for claim in claims:
        row = (await conn.execute(select(registry.c.state, registry.c.holder).where(registry.c.asset_key == claim.asset_key))).first()
        if row is not None and row.state != RELEASED and not (row.state == ENCUMBERED and row.holder == holder):
            raise AssetAlreadyFinanced(claim.asset_kind)


async def encumber_all(conn: AsyncConnection, institution_id: UUID, claims: Iterable[AssetClaim], financing_ref: str) -> list[Encumbrance]:
    """Encumber every claimed asset for ``financing_ref``, all or nothing (a
    lost race raises and the caller's transaction rolls back).  Keys are
    taken in sorted order so two financings never deadlock."""
    out = []
    for claim in sorted(claims, key=lambda c: c.asset_key):
        out.append(await encumber(conn, institution_id, claim.asset_key, financing_ref, asset_kind=claim.asset_kind))
    return out


async def taken_keys(conn: AsyncConnection, asset_keys: Iterable[str]) -> set[str]:
    """Which of ``asset_keys`` back a financing (encumbered or retired)."""
    keys = list(asset_keys)
    taken: set[str] = set()
    for i in range(0, len(keys), 1000):
        stmt = select(registry.c.asset_key).where(registry.c.asset_key.in_(keys[i : i + 1000]), registry.c.state != RELEASED)
        taken.update((await conn.execute(stmt)).scalars())
    return taken
