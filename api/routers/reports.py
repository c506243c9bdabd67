"""Report routes: the registry of ``recon.reports`` as JSON and CSV.

``GET /v1/reports`` lists the reports and their parameters;
``GET /v1/reports/{name}?param=value...`` runs one for the caller's
institution and answers the report as JSON (``Report.to_dict()``), or as a
CSV file with ``?format=csv`` or ``Accept: text/csv``.  Unknown report: 404;
an unknown, missing or malformed parameter: 422; another institution's
ledger or account: 404, as for an id that does not exist."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, Field

from ledger.clock import utc_now
from recon.reports import DEFAULT_ROLES, REPORTS, InvalidReportParameter, ReportEnv, get_report, run_report

from ..auth import Principal, require
from ..deps import EngineDep, LedgerDep, RatesDep, SettlementDep
from ..models import Timestamp
from ..paging import Page, PageQuery, invalid_cursor, page_query
from ..problems import COMMON_ERRORS

router = APIRouter(prefix="/v1/reports", tags=["reports"], responses=COMMON_ERRORS)

READ = require(*DEFAULT_ROLES)
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
PAGE = page_query()


def report_env(ledger: LedgerDep, engine: EngineDep, settlement: SettlementDep, rates: RatesDep) -> ReportEnv:
    """What reports read: the app's ledger, engine, settlement facade and rates."""
    return ReportEnv(ledger, engine, settlement, rates=rates)


ReportEnvDep = Annotated[ReportEnv, Depends(report_env)]


# -- response shapes ----------------------------------------------------------------------------


class ReportParamOut(BaseModel):
    name: str
    type: Literal["date", "str", "uuid", "int"]
    required: bool
    default: str | int | None = None
    help: str = ""
    choices: list[str] | None = None


class ReportInfoOut(BaseModel):
    name: str = Field(examples=["trial_balance"])
    title: str
    description: str = ""
    roles: list[str]
    params: list[ReportParamOut]


class ReportColumnOut(BaseModel):
    key: str
    label: str
    kind: Literal["text", "money", "int", "date", "percent", "rate"] = Field(description="money: a decimal string in the row's currency; rate: a decimal string; date: ISO 8601")


class ReportOut(BaseModel):
    """A report: typed columns and rows of display values (money as decimal
    strings in the row's currency, never floats); ``totals`` are shown under
    a rule."""

    name: str
    title: str
    params: dict[str, str | int | None] = Field(description="the parameters the report ran with, defaults filled")
    generated_at: Timestamp
    columns: list[ReportColumnOut]
    rows: list[dict[str, str | None]] = Field(description="one object per row: column key -> display value (null when empty)")
    totals: list[dict[str, str | None]]
    notes: list[str]


# -- parameters in the OpenAPI document ----------------------------------------------------------------

_SCHEMAS: dict[str, dict[str, Any]] = {"date": {"type": "string", "format": "date"}, "uuid": {"type": "string", "format": "uuid"}, "int": {"type": "integer"}, "str": {"type": "string", "minLength": 1, "maxLength": 128}}


def _documented_params() -> list[dict[str, Any]]:
    """Every report parameter as an optional query parameter (each report
    takes its own; the others are refused with 422)."""
    seen: dict[str, dict[str, Any]] = {}
    for spec in REPORTS.values():
        for p in spec.params:
            entry = seen.get(p.name)
            schema = dict(_SCHEMAS[p.type])
            if p.minimum is not None:
                schema["minimum"] = p.minimum
            if p.maximum is not None:
                schema["maximum"] = p.maximum
            if p.choices:
                schema["enum"] = list(p.choices)
            if entry is None:
                seen[p.name] = {"name": p.name, "in": "query", "required": False, "schema": schema, "description": f"{spec.name}: {p.help}", "_type": p.type}
            else:
                if entry["_type"] != p.type:
                    entry["schema"] = {"type": "string"}
                entry["description"] += f"; {spec.name}: {p.help}"
    return [{k: v for k, v in e.items() if k != "_type"} for e in seen.values()]


# -- routes ---------------------------------------------------------------------------------------


@router.get("", response_model=Page[ReportInfoOut], summary="The reports the caller may run and their parameters, by name")
async def list_reports(page: PageQuery = Depends(PAGE), principal: Principal = Depends(READ)) -> Page[Any]:
    key = page.after("reports")
    if key is not None and (len(key) != 1 or not isinstance(key[0], str)):
        raise invalid_cursor("this cursor was altered")
    specs = sorted((s for s in REPORTS.values() if principal.role in s.roles), key=lambda s: s.name)
    rows = [s for s in specs if key is None or s.name > key[0]][: page.limit + 1]
    return page.build("reports", rows, key=lambda s: [s.name], out=lambda s: ReportInfoOut(**s.describe()))


@router.get(
    "/{name}",
    response_model=ReportOut,
    summary="Run a report (JSON, or CSV with ?format=csv or Accept: text/csv)",
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "The report as JSON, or as a CSV file (Content-Disposition: attachment)"}},
    openapi_extra={"parameters": _documented_params()},
)
async def run(
    request: Request,
    env: ReportEnvDep,
    name: str = Path(max_length=64, description="report name, from GET /v1/reports", examples=["trial_balance"]),
    format: Literal["json", "csv"] | None = Query(default=None, description="json (default) or csv; Accept: text/csv also selects CSV"),
    principal: Principal = Depends(READ),
) -> Response | ReportOut:
    spec = get_report(name)
    raw: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key == "format":
            continue
        if key in raw:
            raise InvalidReportParameter(spec.name, key, "given more than once")
        raw[key] = value
    report = await run_report(env, principal.institution_id, spec.name, raw, role=principal.role)
    accept = request.headers.get("accept", "")
    if format == "csv" or (format is None and "text/csv" in accept.lower()):
        stamp = utc_now().strftime("%Y%m%d")
        return Response(
            content=report.to_csv().encode("utf-8"), media_type=CSV_MEDIA_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{spec.name}-{stamp}.csv"'},
        )
    return ReportOut.model_validate(report.to_dict())
