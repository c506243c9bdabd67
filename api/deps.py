"""Typed FastAPI dependencies: how a route reaches the app's services.

A route declares what it needs by type::

    async def post_receipt(body: ReceiptIn, settlement: SettlementDep, principal: Principal = Depends(WRITE)): ...

and never looks into ``request.app.state`` itself.  The services are built
once per app by :mod:`api.bootstrap`.
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine

from ledger.config import Settings
from ledger.crypto import Keyring
from ledger.service import Ledger
from recon.service import Reconciliation
from settlement.rates import RateService
from settlement.service import Settlement

from .context import AppContext
from .observability import Metrics


def app_context(request: Request) -> AppContext:
    """The app's context (services, metrics, background tasks)."""
    return cast(AppContext, request.app.state.ctx)


def _settings(request: Request) -> Settings:
    return app_context(request).settings


def _engine(request: Request) -> AsyncEngine:
    return app_context(request).engine


def _ledger(request: Request) -> Ledger:
    return app_context(request).ledger


def _keyring(request: Request) -> Keyring:
    return app_context(request).keyring


def _settlement(request: Request) -> Settlement:
    return app_context(request).settlement


def _rates(request: Request) -> RateService:
    return app_context(request).rates


def _recon(request: Request) -> Reconciliation:
    return app_context(request).recon


def _metrics(request: Request) -> Metrics:
    return app_context(request).metrics


CtxDep = Annotated[AppContext, Depends(app_context)]
SettingsDep = Annotated[Settings, Depends(_settings)]
EngineDep = Annotated[AsyncEngine, Depends(_engine)]
LedgerDep = Annotated[Ledger, Depends(_ledger)]
KeyringDep = Annotated[Keyring, Depends(_keyring)]
SettlementDep = Annotated[Settlement, Depends(_settlement)]
RatesDep = Annotated[RateService, Depends(_rates)]
ReconDep = Annotated[Reconciliation, Depends(_recon)]
MetricsDep = Annotated[Metrics, Depends(_metrics)]
