"""The settlement facade: one object holding the ledger, the rate service
and per-institution configuration, with the receipt, outward-payment and
conversion services."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from ledger.clock import utc_now, zone
from ledger.crypto import Keyring
from ledger.events import record_audit
from ledger.service import Ledger

from . import alerts, monitoring
from .advances import register_advance_netting
from .config import SettlementConfig, check_overrides, national_parameters
from .conversions import ConversionService
from .payments import PaymentService
from .rates import RateService, RateSource
from .receipts import ReceiptService
from .tables_receipts import settlement_settings


class Settlement:
    def __init__(self, ledger: Ledger, keyring: Keyring, rates: RateService) -> None:
        self.ledger = ledger
        self.keyring = keyring
        self.rates = rates
        self.receipts = ReceiptService(self)
        self.conversions = ConversionService(self)
        self.payments = PaymentService(self)
        self._config_cache: dict[UUID, SettlementConfig] = {}
        #: the deployment's national parameters, the same for every institution
        self.national: dict[str, Any] = national_parameters(ledger.settings)
        if rates.config is None:
            rates.config = self.config
        # advances owed by a customer are netted from each of its receipts
        register_advance_netting()

    @classmethod
    def build(cls, ledger: Ledger, keyring: Keyring, sources: Iterable[RateSource] = ()) -> Settlement:
        """The facade with its own rate service over ``sources`` (none: only
        stored and manual rates), reading each institution's configuration."""
        return cls(ledger, keyring, RateService(ledger.engine, sources))

    @property
    def engine(self) -> AsyncEngine:
        return self.ledger.engine

    async def config(self, institution_id: UUID) -> SettlementConfig:
        """The institution's settlement parameters (defaults overridden by
        the institution, national parameters from the deployment)."""
        cached = self._config_cache.get(institution_id)
        if cached is not None:
            return cached
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(settlement_settings.c.config).where(settlement_settings.c.institution_id == institution_id))).first()
        cfg = SettlementConfig.from_dict(row.config if row else None, self.national)
        self._config_cache[institution_id] = cfg
        return cfg

    async def set_config(self, institution_id: UUID, overrides: dict[str, Any], *, actor: str = "operator") -> SettlementConfig:
        """Override the institution's own parameters (validated by building
        the config).  National parameters are refused
        (:class:`~settlement.config.NationalParameter`, 403), internal limits
        looser than the national figure too (``LooserThanNational``, 422);
        a refusal changes nothing."""
        check_overrides(overrides, self.national)
        current = await self.config(institution_id)
        merged = {**current.institution_dict(), **overrides}
        cfg = SettlementConfig.from_dict(merged, self.national)
        now = utc_now()
        async with self.engine.begin() as conn:
            exists = (await conn.execute(select(settlement_settings.c.institution_id).where(settlement_settings.c.institution_id == institution_id))).first()
            if exists:
                await conn.execute(update(settlement_settings).where(settlement_settings.c.institution_id == institution_id).values(config=cfg.institution_dict(), updated_at=now))
            else:
                await conn.execute(settlement_settings.insert().values(institution_id=institution_id, config=cfg.institution_dict(), updated_at=now))
            await record_audit(
                conn, institution_id=institution_id, actor_type=actor.split(":")[0], actor_id=actor, action="settlement.config",
                object_type="institution", object_id=str(institution_id), before=current.institution_dict(), after=cfg.institution_dict(),
            )
        self._config_cache[institution_id] = cfg
        return cfg

    # -- risk alerts and monitoring (S9) ------------------------------------------------

    async def list_alerts(self, institution_id: UUID, **filters: Any) -> list[dict[str, Any]]:
        """Risk alerts, newest first (filters: kind, status, customer_id, limit, before)."""
        async with self.engine.connect() as conn:
            return await alerts.list_alerts(conn, institution_id, **filters)

    async def close_alert(self, institution_id: UUID, alert_id: UUID, *, actor_type: str, actor_id: str, request_id: str | None = None) -> dict[str, Any]:
        """Close a risk alert, with its audit entry, in one transaction."""
        async with self.engine.begin() as conn:
            row = await alerts.close_alert(conn, institution_id, alert_id)
            await record_audit(
                conn, institution_id=institution_id, actor_type=actor_type, actor_id=actor_id, action="risk_alert.close", object_type="risk_alert",
                object_id=str(alert_id), before={"status": "open"}, after={"status": "closed"}, request_id=request_id,
            )
        return row

    async def receipt_statistics(self, institution_id: UUID, date_from: date, date_to: date, group_by: list[str]) -> list[monitoring.StatRow]:
        """Receipts by value date in [date_from, date_to], grouped (S9)."""
        async with self.engine.connect() as conn:
            return await monitoring.receipt_statistics(conn, institution_id, date_from, date_to, group_by)

    async def payment_statistics(self, institution_id: UUID, date_from: date, date_to: date, group_by: list[str]) -> list[monitoring.PaymentStatRow]:
        """Outward payments by value date in [date_from, date_to], grouped (S9)."""
        async with self.engine.connect() as conn:
            return await monitoring.payment_statistics(conn, institution_id, date_from, date_to, group_by)

    async def conversion_statistics(self, institution_id: UUID, date_from: date, date_to: date) -> list[dict[str, Any]]:
        """Conversions on the calendar days [date_from, date_to] of the
        regulatory time zone, per direction, currency and merchant kind."""
        monitoring.check_period(date_from, date_to)
        tz = zone((await self.config(institution_id)).regulatory_timezone)
        start = datetime.combine(date_from, time.min, tzinfo=tz)
        end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz)
        async with self.engine.connect() as conn:
            return await monitoring.conversion_statistics(conn, institution_id, start.astimezone(UTC), end.astimezone(UTC))

