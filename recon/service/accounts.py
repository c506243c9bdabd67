"""Accounts under reconciliation and saved CSV column mappings."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import and_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger import errors as E
from ledger.clock import utc_now
from ledger.events import record_audit
from ledger.ids import uuid7
from ledger.money import parse_amount

from ..parsers.csvfmt import CsvMapping
from ..tables import (
    recon_accounts,
    recon_csv_mappings,
)
from .common import (
    ReconAccount,
    ServiceBase,
    _config_dict,
    matching_config,
)


class AccountsMixin(ServiceBase):
    """Register reconciled accounts; keep CSV column mappings."""

    async def register_account(
        self, institution_id: UUID, *, bank_account: str, ledger_account_id: UUID, currency: str | None = None, name: str = "",
        fee_account_id: UUID | None = None, adjustment_account_id: UUID | None = None, start_date: date | None = None,
        config: dict[str, Any] | None = None, actor: str = "operator",
    ) -> ReconAccount:
        """Put a bank account under reconciliation against its mirror in the ledger.

        Raises NotFound for a ledger account of another institution, InvalidInput
        for a currency that differs from the ledger account's, Conflict when the
        bank account or ledger account is already registered."""
        bank_account = (bank_account or "").replace(" ", "").strip()
        if not bank_account or len(bank_account) > 64:
            raise E.InvalidInput("bank_account must be 1 to 64 characters", field="bank_account")
        acct = await self.ledger.get_account(institution_id, ledger_account_id)
        config = dict(config or {})
        if "charge_tolerance" in config:  # a decimal string in the account's currency (the API's shape)
            text = config.pop("charge_tolerance")
            if not isinstance(text, str):
                raise E.InvalidInput('matching.charge_tolerance must be a decimal string such as "30.00"', field="matching.charge_tolerance")
            config["charge_tolerance_minor"] = parse_amount(text, acct.currency, field="matching.charge_tolerance", allow_zero=True)
        if "review_amount_only_below" in config:  # the same shape
            text = config.pop("review_amount_only_below")
            if not isinstance(text, str):
                raise E.InvalidInput('matching.review_amount_only_below must be a decimal string such as "100.00"', field="matching.review_amount_only_below")
            config["review_amount_only_below_minor"] = parse_amount(text, acct.currency, field="matching.review_amount_only_below", allow_zero=True)
        cfg = matching_config(config)
        if currency is not None and currency != acct.currency:
            raise E.InvalidInput(f"ledger account is in {acct.currency}, not {currency}", field="currency")
        for other in (fee_account_id, adjustment_account_id):
            if other is not None:
                o = await self.ledger.get_account(institution_id, other)
                if o.currency != acct.currency:
                    raise E.InvalidInput(f"account {other} is in {o.currency}, not {acct.currency}", field="fee_account_id")
        rid = uuid7()

        async def work(conn: AsyncConnection) -> None:
            clash = (await conn.execute(select(recon_accounts.c.id).where(
                (recon_accounts.c.ledger_account_id == ledger_account_id)
                | and_(recon_accounts.c.institution_id == institution_id, recon_accounts.c.bank_account == bank_account, recon_accounts.c.currency == acct.currency)
            ))).first()
            if clash is not None:
                raise E.Conflict("bank account or ledger account already under reconciliation", bank_account=bank_account, ledger_account_id=str(ledger_account_id))
            await conn.execute(recon_accounts.insert().values(
                id=rid, institution_id=institution_id, bank_account=bank_account, currency=acct.currency, ledger_account_id=ledger_account_id,
                fee_account_id=fee_account_id, adjustment_account_id=adjustment_account_id, name=(name or bank_account)[:200],
                start_date=start_date or date(2000, 1, 1), config=_config_dict(cfg), created_at=utc_now(),
            ))
            await record_audit(conn, institution_id=institution_id, actor_type="user" if actor.startswith("user:") else "system", actor_id=actor,
                               action="recon.account_registered", object_type="recon_account", object_id=str(rid), after={"bank_account": bank_account, "currency": acct.currency})

        await self._tx(work)
        return await self.get_account(institution_id, rid)
    # -- CSV column mappings ------------------------------------------------------------------

    async def save_csv_mapping(self, institution_id: UUID, name: str, mapping: dict[str, Any], *, actor: str) -> dict[str, Any]:
        """Save (or replace) a named CSV column mapping; validated before it is kept."""
        if not name or len(name) > 64 or not name.replace("-", "").replace("_", "").isalnum():
            raise E.InvalidInput("mapping name must be 1 to 64 letters, digits, '-' or '_'", field="name")
        try:
            parsed = CsvMapping.from_dict(mapping)
        except E.LedgerError:
            raise
        except (TypeError, ValueError, KeyError) as exc:
            raise E.InvalidInput(f"invalid CSV mapping: {exc}", field="mapping") from None
        stored = parsed.to_dict()

        async def work(conn: AsyncConnection) -> None:
            exists = (await conn.execute(select(recon_csv_mappings.c.name).where(recon_csv_mappings.c.institution_id == institution_id, recon_csv_mappings.c.name == name))).first()
            values = dict(mapping=stored, updated_by=actor, updated_at=utc_now())
            if exists:
                await conn.execute(update(recon_csv_mappings).where(recon_csv_mappings.c.institution_id == institution_id, recon_csv_mappings.c.name == name).values(**values))
            else:
                await conn.execute(recon_csv_mappings.insert().values(institution_id=institution_id, name=name, **values))

        await self._tx(work)
        return stored

