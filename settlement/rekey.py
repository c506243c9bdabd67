"""Key rotation of the settlement data, inside the caller's transaction
(the whole procedure, ``xborder keys rotate``, is api.rotation):

* customers' personal data re-encrypted under the current personal-data key,
  and their ID-number blind index recomputed under the current registry key;
* the national registries keyed by that index (quota registry, conversion
  log, watch list, S6 registry) moved from each customer's old index to the
  new one: the same person keeps the same usage, list entry and totals;
* the evidence registry and its claims moved to the HMAC of
  "platform|order" under the current registry key (from the key under a
  former registry key, or the plain SHA-256 of before 0024);
* held trade-data lines sealed (rows written in clear before 0024) or
  re-encrypted.

A row keyed by a former key that no known customer or order explains
(orphaned: e.g. an ID number corrected since) is left as it is."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, union, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger.crypto import Keyring
from ledger.rekey import remap_keys, reseal_columns

from .customers import _enc_context
from .tables_customers import customers
from .tables_payments import s6_registry
from .tables_receipts import conversion_log, quota_registry, watch_list
from .tables_tradedata import evidence_claims, evidence_registry, trade_orders, trade_rejects
from .tradedata.registry import evidence_key, legacy_evidence_key
from .tradedata.secrecy import reject_context

_BATCH = 500
_CUSTOMER_FIELDS = {"name_enc": "name", "id_number_enc": "id_number", "phone_enc": "phone"}


@dataclass
class SettlementRekey:
    """What one rotation changed in the settlement data (row counts)."""

    customers_resealed: int = 0
    customers_reindexed: int = 0
    registry_rows_moved: dict[str, int] = field(default_factory=dict)
    rejects_resealed: int = 0


async def _customers(conn: AsyncConnection, keyring: Keyring, out: SettlementRekey) -> dict[str, str]:
    """Re-encrypt and re-index the customers; the map old index -> new index."""
    mapping: dict[str, str] = {}
    last = None
    while True:
        stmt = select(customers.c.id, customers.c.name_enc, customers.c.id_number_enc, customers.c.phone_enc, customers.c.id_index).order_by(customers.c.id).limit(_BATCH)
        if last is not None:
            stmt = stmt.where(customers.c.id > last)
        rows = (await conn.execute(stmt)).all()
        if not rows:
            return mapping
        last = rows[-1].id
        for r in rows:
            values: dict[str, Any] = {}
            for col, name in _CUSTOMER_FIELDS.items():
                sealed = keyring.reseal(getattr(r, col), context=_enc_context(r.id, name))
                if sealed is not None:
                    values[col] = sealed
            if r.id_number_enc is not None:
                index = keyring.blind_index(keyring.decrypt(r.id_number_enc, context=_enc_context(r.id, "id_number")), purpose="id-number")
                if index != r.id_index:
                    values["id_index"] = index
                    if r.id_index is not None:
                        mapping[r.id_index] = index
            if values:
                await conn.execute(update(customers).where(customers.c.id == r.id).values(values))
                out.customers_resealed += any(c in values for c in _CUSTOMER_FIELDS)
                out.customers_reindexed += "id_index" in values


def _sum_merge(*cols: str) -> Any:
    def merge(old: Any, new: Any) -> dict[str, Any]:
        return {c: int(getattr(old, c)) + int(getattr(new, c)) for c in cols}
    return merge


def _s6_merge(old: Any, new: Any) -> dict[str, Any]:
    return {"usd_minor": int(old.usd_minor) + int(new.usd_minor), "warned": bool(old.warned or new.warned)}


def _watch_merge(old: Any, new: Any) -> dict[str, Any]:
    return {"until_year": max(int(old.until_year), int(new.until_year))} | ({"reason": old.reason} if old.until_year > new.until_year else {})


async def _evidence_mapping(conn: AsyncConnection, keyring: Keyring) -> dict[str, str]:
    """Old evidence key -> new, for every order known (orders and claims)."""
    stored = {k for (k,) in await conn.execute(select(evidence_registry.c.evidence_key))}
    stored |= {k for (k,) in await conn.execute(select(evidence_claims.c.evidence_key).distinct())}
    pairs = union(select(trade_orders.c.platform_code, trade_orders.c.external_id), select(evidence_claims.c.platform_code, evidence_claims.c.external_id))
    mapping: dict[str, str] = {}
    for platform_code, external_id in await conn.execute(pairs):
        new = evidence_key(platform_code, external_id, keyring=keyring)
        olds: Iterable[str] = [legacy_evidence_key(platform_code, external_id)] + [evidence_key(platform_code, external_id, keyring=keyring, key=k) for k in keyring.old_registry]
        for old in olds:
            if old != new and old in stored:
                mapping[old] = new
    return mapping


async def rekey_settlement(conn: AsyncConnection, keyring: Keyring) -> SettlementRekey:
    """Rotate the settlement data to the keyring's current keys (see the
    module docstring), inside the caller's transaction."""
    out = SettlementRekey()
    persons = await _customers(conn, keyring, out)
    moved = out.registry_rows_moved
    moved["quota_registry"] = await remap_keys(conn, quota_registry.c.person_index, persons, _sum_merge("used_usd_minor"))
    moved["conversion_log"] = await remap_keys(conn, conversion_log.c.person_index, persons)
    moved["watch_list"] = await remap_keys(conn, watch_list.c.person_index, persons, _watch_merge)
    moved["s6_registry"] = await remap_keys(conn, s6_registry.c.subject_index, persons, _s6_merge)  # "cust:<id>" keys unchanged
    evidence = await _evidence_mapping(conn, keyring)
    moved["evidence_registry"] = await remap_keys(conn, evidence_registry.c.evidence_key, evidence, _evidence_merge)
    moved["evidence_claims"] = await remap_keys(conn, evidence_claims.c.evidence_key, evidence)
    out.rejects_resealed = await reseal_columns(conn, keyring, trade_rejects, ["raw"], lambda row, _c: reject_context(row.institution_id), clear_ok=True)
    return out


def _evidence_merge(old: Any, new: Any) -> dict[str, Any]:
    return {"value_minor": min(int(old.value_minor), int(new.value_minor)), "consumed_minor": int(old.consumed_minor) + int(new.consumed_minor)}
