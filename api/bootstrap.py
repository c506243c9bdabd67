"""Wiring, done once: the engine, the ledger, the keyring, the rate service,
the settlement facade, the reconciliation service and the proceeds hooks.

The HTTP app (:func:`api.app.create_app`), the CLI, the benchmarks and the
tests all build their services here, so there is exactly one place that
decides how the parts fit together.  Nothing below ``api`` imports this
module (``tests/test_tidy.py`` checks the layering).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from financing.loans import register_loan_sweep
from ledger.config import Settings, get_settings
from ledger.crypto import Keyring
from ledger.db import create_engine
from ledger.service import Ledger
from recon.service import Reconciliation
from settlement.advances import register_advance_netting
from settlement.rates import EcbXmlRateSource, RateService, RateSource
from settlement.service import Settlement

from .preflight import require_production_ready


def register_hooks() -> None:
    """Register the proceeds hooks that net advances and sweep order loans
    from every receipt (idempotent: a hook registered twice runs once)."""
    register_advance_netting()
    register_loan_sweep()


@dataclass
class Services:
    """Every long-lived service of one process, built on one engine."""

    settings: Settings
    engine: AsyncEngine
    ledger: Ledger
    keyring: Keyring
    rates: RateService
    settlement: Settlement
    recon: Reconciliation
    #: True when :func:`build_services` created the engine (then it disposes it)
    owns_engine: bool = False

    async def aclose(self) -> None:
        if self.owns_engine:
            await self.engine.dispose()


def build_services(
    settings: Settings | None = None, engine: AsyncEngine | None = None, *, rate_sources: list[RateSource] | None = None, fetch_rates: bool = True
) -> Services:
    """The services of one process on ``engine`` (default: the configured
    database).  ``rate_sources`` replaces the published ECB source;
    ``fetch_rates=False`` builds a rate service that only reads stored rates
    (reports, benchmarks)."""
    settings = settings or get_settings()
    require_production_ready(settings)  # production mode: PostgreSQL, keys from the environment, proxies named
    owns_engine = engine is None
    engine = engine or create_engine(settings=settings)
    ledger = Ledger(engine, settings)
    keyring = Keyring.from_settings(settings)
    if rate_sources is None:
        rate_sources = [EcbXmlRateSource(settings.rates_url)] if fetch_rates and settings.rates_url else []
    settlement = Settlement.build(ledger, keyring, rate_sources)
    register_hooks()
    return Services(
        settings=settings, engine=engine, ledger=ledger, keyring=keyring, rates=settlement.rates, settlement=settlement,
        recon=Reconciliation(ledger, keyring), owns_engine=owns_engine,
    )
