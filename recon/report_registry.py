"""The report registry: declared parameters, the environment reports read,
:class:`ReportSpec`, :data:`REPORTS`, :func:`register` and :func:`run_report`.

:func:`run_report` parses raw parameter values (text from a query string or
the command line, or typed values from Python), fills defaults, refuses
unknown or malformed ones (:class:`InvalidReportParameter`, 422) and runs
the report for one institution.  The reports themselves live in
:mod:`recon.reports` (which registers them) and :mod:`recon.summary_report`.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine

from ledger import errors as E
from ledger.service import Ledger

from .reporting import Report

if TYPE_CHECKING:
    from settlement.config import SettlementConfig

PARAM_TYPES = ("date", "str", "uuid", "int")
#: who may run a report unless its spec says otherwise: an institution's
#: integration key and staff (not SME users, not platform keys)
DEFAULT_ROLES: tuple[str, ...] = ("system", "admin", "finance", "approver")
#: dates a report accepts (a day either side stays representable)
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(9999, 12, 30)
_MAX_TEXT = 128


# -- errors -----------------------------------------------------------------------------


class ReportNotFound(E.NotFound):
    code = "report_not_found"
    title = "Report not found"

    def __init__(self, name: object) -> None:
        E.LedgerError.__init__(self, f"no report named {str(name)[:80]!r}; known: {', '.join(sorted(REPORTS))}", kind="report", ref=str(name)[:80])


class ReportForbidden(E.LedgerError):
    """The caller's role may not run this report."""

    code = "report_forbidden"
    status = 403
    title = "Forbidden"

    def __init__(self, report: str, role: str, allowed: tuple[str, ...]) -> None:
        super().__init__(f"role '{role}' may not run report {report}; allowed: {', '.join(sorted(allowed))}", report=report, role=role)


class InvalidReportParameter(E.InvalidInput):
    code = "invalid_report_parameter"
    title = "Invalid report parameter"

    def __init__(self, report: str, param: str, reason: str) -> None:
        E.LedgerError.__init__(self, f"{report}: parameter {param!r}: {reason}", report=report, param=param[:80], reason=reason)


class ReportPeriodInverted(InvalidReportParameter):
    """A period whose end is before its start: each date is well formed, the
    two do not fit together."""

    code = "report_period_inverted"
    title = "Report period ends before it starts"


# -- the registry -----------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """A declared report parameter."""

    name: str
    type: str  # one of PARAM_TYPES
    required: bool = False
    default: Any = None
    help: str = ""
    choices: tuple[str, ...] | None = None  # str parameters: the accepted values
    minimum: int | None = None  # int parameters
    maximum: int | None = None

    def __post_init__(self) -> None:
        if self.type not in PARAM_TYPES:
            raise ValueError(f"parameter type must be one of {PARAM_TYPES}")

    def parse(self, report: str, raw: Any) -> Any:
        """The typed value of ``raw`` (text, or already the type)."""
        parser = {"date": self._parse_date, "uuid": self._parse_uuid, "int": self._parse_int}.get(self.type, self._parse_str)
        return parser(report, raw)

    def _bad(self, report: str, reason: str) -> InvalidReportParameter:
        return InvalidReportParameter(report, self.name, reason)

    def _parse_date(self, report: str, raw: Any) -> date:
        if isinstance(raw, datetime):
            raise self._bad(report, "expected a date (YYYY-MM-DD), got an instant")
        if isinstance(raw, date):
            value = raw
        else:
            text = str(raw).strip()
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
                raise self._bad(report, "expected a date YYYY-MM-DD")
            try:
                value = date.fromisoformat(text)
            except ValueError:
                raise self._bad(report, "not a calendar date") from None
        if not MIN_DATE <= value <= MAX_DATE:
            raise self._bad(report, f"dates run from {MIN_DATE} to {MAX_DATE}")
        return value

    def _parse_uuid(self, report: str, raw: Any) -> UUID:
        if isinstance(raw, UUID):
            return raw
        try:
            return UUID(str(raw).strip())
        except ValueError:
            raise self._bad(report, "expected a UUID") from None

    def _parse_int(self, report: str, raw: Any) -> int:
        if isinstance(raw, bool):
            raise self._bad(report, "expected an integer")
        if isinstance(raw, int):
            value = raw
        else:
            text = str(raw).strip()
            if not re.fullmatch(r"-?[0-9]{1,18}", text):
                raise self._bad(report, "expected an integer")
            value = int(text)
        if self.minimum is not None and value < self.minimum or self.maximum is not None and value > self.maximum:
            raise self._bad(report, f"must be from {self.minimum} to {self.maximum}")
        return value

    def _parse_str(self, report: str, raw: Any) -> str:
        text = str(raw)
        if not text or len(text) > _MAX_TEXT or any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
            raise self._bad(report, f"expected 1 to {_MAX_TEXT} printable characters")
        if self.choices is not None and text not in self.choices:
            raise self._bad(report, f"must be one of {', '.join(self.choices)}")
        return text

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name, "type": self.type, "required": self.required, "default": self.default, "help": self.help,
            "choices": list(self.choices) if self.choices else None,
        }


@dataclass
class ReportEnv:
    """What reports read: the ledger, its engine, and the settlement facade
    (``settlement.service.Settlement``: its rate service and per-institution
    configuration).  Financing is read through the ledger (module functions
    of ``financing.loans``)."""

    ledger: Ledger
    engine: AsyncEngine | None = None
    settlement: Any = None
    rates: Any = None  # settlement.rates.RateService; default: the facade's

    def __post_init__(self) -> None:
        if self.engine is None:
            self.engine = self.ledger.engine
        if self.rates is None and self.settlement is not None:
            self.rates = getattr(self.settlement, "rates", None)

    @property
    def db(self) -> AsyncEngine:
        """The engine reports read (the ledger's unless another was given)."""
        return self.engine if self.engine is not None else self.ledger.engine

    async def settlement_config(self, institution_id: UUID) -> SettlementConfig:
        """The institution's settlement parameters."""
        if self.settlement is not None:
            return cast("SettlementConfig", await self.settlement.config(institution_id))
        from settlement.advances import institution_config

        return await institution_config(self.db, institution_id)


ReportRun = Callable[..., Awaitable[Report]]


@dataclass(frozen=True)
class ReportSpec:
    name: str
    title: str
    params: list[Param]
    run: ReportRun
    roles: tuple[str, ...] = DEFAULT_ROLES
    description: str = ""

    def parse_params(self, raw: Mapping[str, Any] | None) -> dict[str, Any]:
        """Typed values of every declared parameter (defaults filled; None
        for an optional one without a default).  Unknown names, missing
        required ones and malformed values raise :class:`InvalidReportParameter`."""
        raw = dict(raw or {})
        known = {p.name for p in self.params}
        for k in raw:
            if k not in known:
                raise InvalidReportParameter(self.name, str(k), f"unknown parameter; {self.name} takes {', '.join(sorted(known)) or 'none'}")
        out: dict[str, Any] = {}
        for p in self.params:
            value = raw.get(p.name)
            if value is None or value == "":
                if p.required:
                    raise InvalidReportParameter(self.name, p.name, "is required")
                out[p.name] = p.default
            else:
                out[p.name] = p.parse(self.name, value)
        return out

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "description": self.description, "roles": list(self.roles), "params": [p.describe() for p in self.params]}


REPORTS: dict[str, ReportSpec] = {}


def register(spec: ReportSpec) -> ReportSpec:
    """Add (or replace) a report in :data:`REPORTS`."""
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,63}", spec.name):
        raise ValueError("report names are lowercase identifiers")
    REPORTS[spec.name] = spec
    return spec


def get_report(name: str) -> ReportSpec:
    spec = REPORTS.get(name)
    if spec is None:
        raise ReportNotFound(name)
    return spec


async def run_report(env: ReportEnv, institution_id: UUID, name: str, params: Mapping[str, Any] | None = None, *, role: str | None = None) -> Report:
    """Run report ``name`` for one institution.  ``role``: the caller's
    role, checked against the report's roles when given.  Raises
    :class:`ReportNotFound`, :class:`ReportForbidden`,
    :class:`InvalidReportParameter` and the domain errors of the sources
    (another institution's ledger or account: not found)."""
    spec = get_report(name)
    if role is not None and role not in spec.roles:
        raise ReportForbidden(spec.name, role, spec.roles)
    values = spec.parse_params(params)
    return await spec.run(env, institution_id, **values)
