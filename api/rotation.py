"""The key rotation procedure (``xborder keys rotate``): one database
transaction that brings every stored secret and index to the current keys.

* personal data (customers, held trade-data lines, statement counterparties)
  and the stored secrets (API key signing secrets, webhook signing secrets)
  re-encrypted under the current personal-data key (``XBORDER_SECRET_KEY``),
  rows still in clear from before 0024 sealed;
* every blind index and registry key recomputed under the current registry
  key (``XBORDER_REGISTRY_KEY``): customers' ID-number index, the national
  quota registry, the conversion log, the watch list, the S6 registry and
  the evidence registry with its claims.

Run it with the new keys current and the former ones in
``XBORDER_OLD_SECRET_KEYS`` / ``XBORDER_OLD_REGISTRY_KEYS``; once it has
committed the former keys are no longer needed.  It is idempotent: a second
run changes nothing.  Either everything is rotated or nothing is (one
transaction), so the service can keep running with the new keys only after
it committed (docs/DEPLOYING.md)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ledger.crypto import Keyring, key_id
from ledger.db import run_in_transaction
from ledger.events import record_audit
from ledger.rekey import reseal_columns
from recon.secrecy import rekey_recon
from settlement.rekey import SettlementRekey, rekey_settlement

from .schema import api_keys, webhook_endpoints
from .webhooks import SECRET_CONTEXT


@dataclass
class RotationReport:
    """What the rotation changed (row counts) and the keys it rotated to."""

    secret_key_id: str
    registry_key_id: str
    settlement: SettlementRekey
    recon_lines_resealed: int
    api_keys_resealed: int
    webhook_secrets_resealed: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


async def rotate_keys(engine: AsyncEngine, keyring: Keyring, *, actor: str = "cli") -> RotationReport:
    """Rotate everything to ``keyring``'s current keys in one transaction
    (audited as ``keys.rotated``, with the counts)."""

    async def work(conn: AsyncConnection) -> RotationReport:
        report = RotationReport(
            secret_key_id=key_id(keyring.current), registry_key_id=keyring.registry_id(), settlement=await rekey_settlement(conn, keyring),
            recon_lines_resealed=await rekey_recon(conn, keyring),
            api_keys_resealed=await reseal_columns(conn, keyring, api_keys, ["signing_secret_enc"], lambda row, _c: f"api_key:{row.id}"),
            webhook_secrets_resealed=await reseal_columns(conn, keyring, webhook_endpoints, ["secret_enc"], lambda _row, _c: SECRET_CONTEXT),
        )
        await record_audit(conn, institution_id=None, actor_type="system", actor_id=actor, action="keys.rotated", object_type="deployment_keys",
                           object_id=f"{report.secret_key_id}/{report.registry_key_id}", after=report.as_dict())
        return report

    return await run_in_transaction(engine, work)


async def stale_keys(engine: AsyncEngine, keyring: Keyring, *, sample: int = 200) -> list[str]:
    """What ``xborder doctor`` reports as not yet rotated to the current keys
    (on a sample of the newest rows): blind indexes computed under another
    registry key (lookups and the national registries would miss them),
    personal data under a former personal-data key or still in clear."""
    from sqlalchemy import select

    from ledger.crypto import DecryptionError, is_ciphertext
    from recon.tables import recon_lines
    from settlement.customers import _enc_context
    from settlement.tables_customers import customers
    from settlement.tables_tradedata import trade_rejects

    out: list[str] = []
    async with engine.connect() as conn:
        rows = (await conn.execute(select(customers.c.id, customers.c.id_number_enc, customers.c.id_index).where(
            customers.c.id_number_enc.is_not(None)).order_by(customers.c.id.desc()).limit(sample))).all()
        rejects = [r for (r,) in await conn.execute(select(trade_rejects.c.raw).order_by(trade_rejects.c.id.desc()).limit(sample))]
        names = [r for (r,) in await conn.execute(select(recon_lines.c.description).order_by(recon_lines.c.id.desc()).limit(sample))]
    stale = 0
    for r in rows:
        try:
            stale += keyring.blind_index(keyring.decrypt(r.id_number_enc, context=_enc_context(r.id, "id_number"))) != r.id_index
        except DecryptionError:
            out.append("customers: personal data under a key this process does not hold")
            break
    if stale:
        out.append(f"customers: {stale} ID-number index(es) not under the current registry key")
    if any(not is_ciphertext(v) for v in rejects + names):
        out.append("held trade-data lines or statement counterparties in clear (written before 0024)")
    if any(is_ciphertext(v) and keyring.needs_rotation(v) for v in rejects + names + [r.id_number_enc for r in rows]):
        out.append("personal data under a former personal-data key")
    return out
