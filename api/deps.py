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


async def _settings(request: Request) -> Settings:
    return app_context(request).settings


async def _engine(request: Request) -> AsyncEngine:
    return app_context(request).engine


async def _ledger(request: Request) -> Ledger:
    return app_context(request).ledger


async def _keyring(request: Request) -> Keyring:
    return app_context(request).keyring


async def _settlement(request: Request) -> Settlement:
    return app_context(request).settlement


async def _rates(request: Request) -> RateService:
    return app_context(request).rates


async def _recon(request: Request) -> Reconciliation:
    return app_context(request).recon


async def _metrics(request: Request) -> Metrics:
    return app_context(request).metrics


async def _context(request: Request) -> AppContext:
    return app_context(request)


# every dependency here is ``async def``: FastAPI runs a plain ``def`` one in
# a worker thread (a thread hand-off per request for a dictionary lookup)
CtxDep = Annotated[AppContext, Depends(_context)]
SettingsDep = Annotated[Settings, Depends(_settings)]
EngineDep = Annotated[AsyncEngine, Depends(_engine)]
LedgerDep = Annotated[Ledger, Depends(_ledger)]
KeyringDep = Annotated[Keyring, Depends(_keyring)]
SettlementDep = Annotated[Settlement, Depends(_settlement)]
RatesDep = Annotated[RateService, Depends(_rates)]
ReconDep = Annotated[Reconciliation, Depends(_recon)]
MetricsDep = Annotated[Metrics, Depends(_metrics)]
