"""The settlement facade: one object holding the ledger, the rate service
and per-institution configuration, with the receipt and conversion services."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select, update

from ledger.crypto import Keyring
from ledger.events import record_audit
from ledger.service import Ledger

from .advances import register_advance_netting
from .config import SettlementConfig
from .conversions import ConversionService
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
        self._config_cache: dict[UUID, SettlementConfig] = {}
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
    def engine(self):
        return self.ledger.engine

    async def config(self, institution_id: UUID) -> SettlementConfig:
        """The institution's settlement parameters (defaults overridden)."""
        cached = self._config_cache.get(institution_id)
        if cached is not None:
            return cached
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(settlement_settings.c.config).where(settlement_settings.c.institution_id == institution_id))).first()
        cfg = SettlementConfig.from_dict(row.config if row else None)
        self._config_cache[institution_id] = cfg
        return cfg

    async def set_config(self, institution_id: UUID, overrides: dict[str, Any], *, actor: str = "operator") -> SettlementConfig:
        """Override parameters for one institution (validated by building the config)."""
        current = await self.config(institution_id)
        merged = {**current.to_dict(), **overrides}
        cfg = SettlementConfig.from_dict(merged)
        now = datetime.now(UTC)
        async with self.engine.begin() as conn:
            exists = (await conn.execute(select(settlement_settings.c.institution_id).where(settlement_settings.c.institution_id == institution_id))).first()
            if exists:
                await conn.execute(update(settlement_settings).where(settlement_settings.c.institution_id == institution_id).values(config=cfg.to_dict(), updated_at=now))
            else:
                await conn.execute(settlement_settings.insert().values(institution_id=institution_id, config=cfg.to_dict(), updated_at=now))
            await record_audit(conn, institution_id=institution_id, actor_type=actor.split(":")[0], actor_id=actor, action="settlement.config", object_type="institution", object_id=str(institution_id), before=current.to_dict(), after=cfg.to_dict())
        self._config_cache[institution_id] = cfg
        return cfg
