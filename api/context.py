"""The app's context: its services (built once by :mod:`api.bootstrap`),
metrics and background tasks.  Routers reach it through :mod:`api.deps`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncEngine

from ledger.clock import utc_now
from ledger.config import Settings
from ledger.crypto import Keyring
from ledger.events import record_audit
from ledger.service import Ledger
from recon.service import Reconciliation
from settlement.rates import RateService
from settlement.service import Settlement

from .auth import Principal
from .authcache import AuthCache
from .bootstrap import Services
from .idempotency import ClaimGroups
from .observability import Metrics


@dataclass
class AppContext:
    """The app's services (built once by :mod:`api.bootstrap`) and its
    metrics and background tasks.  Routers reach them through the typed
    dependencies of :mod:`api.deps`."""

    services: Services
    metrics: Metrics
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    #: the clock of login throttling and user sessions (tests inject one)
    clock: Callable[[], datetime] = utc_now
    #: resolved credentials (XBORDER_AUTH_CACHE_SECONDS; None: none)
    auth_cache: AuthCache | None = None
    _claims: ClaimGroups | None = field(default=None, repr=False)

    @property
    def claims(self) -> ClaimGroups:
        """The in-flight records of concurrent requests, written together (PostgreSQL)."""
        if self._claims is None:
            self._claims = ClaimGroups(self.engine)
        return self._claims

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def engine(self) -> AsyncEngine:
        return self.services.engine

    @property
    def ledger(self) -> Ledger:
        return self.services.ledger

    @property
    def keyring(self) -> Keyring:
        return self.services.keyring

    @property
    def settlement(self) -> Settlement:
        return self.services.settlement

    @property
    def rates(self) -> RateService:
        return self.services.rates

    @property
    def recon(self) -> Reconciliation:
        return self.services.recon

    async def audit(self, request: Request, principal: Principal, action: str, object_type: str, object_id: Any, *, before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
        """Record a state change made through the API."""
        async with self.engine.begin() as conn:
            await record_audit(
                conn, institution_id=principal.institution_id, actor_type=principal.actor_type, actor_id=str(principal.actor_id), action=action,
                object_type=object_type, object_id=str(object_id), before=before, after=after, request_id=getattr(request.state, "request_id", None),
            )
