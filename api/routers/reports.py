"""Report routes: the registry of ``recon.reports`` as JSON and CSV.

``GET /v1/reports`` lists the reports and their parameters;
``GET /v1/reports/<name>?param=value...`` runs one for the caller's
institution (one operation per report in the OpenAPI document, with exactly
its parameters) and answers the report as JSON (``Report.to_dict()``), or as a
CSV file with ``?format=csv`` or ``Accept: text/csv``.  Unknown report: 404;
an unknown, missing or malformed parameter: 422; another institution's
ledger or account: 404, as for an id that does not exist."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, Field

from ledger.clock import utc_now
from recon.report_registry import ReportSpec
from recon.reports import DEFAULT_ROLES, REPORTS, InvalidReportParameter, ReportEnv, get_report, run_report

from ..auth import Principal, require
from ..deps import EngineDep, LedgerDep, RatesDep, SettlementDep
from ..models import Timestamp
from ..paging import Page, PageQuery, invalid_cursor, page_query
from ..problems import COMMON_ERRORS

router = APIRouter(prefix="/v1/reports", tags=["reports"], responses=COMMON_ERRORS)

READ = require(*DEFAULT_ROLES, scope="reports:read")
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
PAGE = page_query()


async def report_env(ledger: LedgerDep, engine: EngineDep, settlement: SettlementDep, rates: RatesDep) -> ReportEnv:
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

#: a report date: a calendar date from 1900-01-01 to 9999-12-30 (``recon.report_registry.MIN_DATE``/``MAX_DATE``)
_DATE_PATTERN = (
    r"^((19[0-9]{2}|[2-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])-[0-9]{2}-[0-9]{2}"
    r"|9999-(0[0-9]|1[01])-[0-9]{2}|9999-12-([0-2][0-9]|30))$"
)
_SCHEMAS: dict[str, dict[str, Any]] = {
    "date": {"type": "string", "format": "date", "pattern": _DATE_PATTERN},
    "uuid": {"type": "string", "format": "uuid"},
    "int": {"type": "integer"},
    # 1..128 characters without control characters (recon.report_registry.Param._parse_str)
    "str": {"type": "string", "minLength": 1, "maxLength": 128, "pattern": r"^[^\u0000-\u001f\u007f]+$"},
}


def _parameters(spec: ReportSpec) -> list[dict[str, Any]]:
    """The report's own query parameters, exactly as ``ReportSpec.parse_params`` accepts them."""
    out = []
    for p in spec.params:
        schema = dict(_SCHEMAS[p.type])
        if p.minimum is not None:
            schema["minimum"] = p.minimum
        if p.maximum is not None:
            schema["maximum"] = p.maximum
        if p.choices:
            schema = {"type": "string", "enum": list(p.choices)}
        if p.default is not None:
            schema["default"] = p.default
        out.append({"name": p.name, "in": "query", "required": p.required, "schema": schema, "description": p.help})
    return out


# -- routes ---------------------------------------------------------------------------------------


@router.get("", response_model=Page[ReportInfoOut], summary="The reports the caller may run and their parameters, by name")
async def list_reports(page: PageQuery = Depends(PAGE), principal: Principal = Depends(READ)) -> Page[Any]:
    key = page.after("reports")
    if key is not None and (len(key) != 1 or not isinstance(key[0], str)):
        raise invalid_cursor("this cursor was altered")
    specs = sorted((s for s in REPORTS.values() if principal.role in s.roles), key=lambda s: s.name)
    rows = [s for s in specs if key is None or s.name > key[0]][: page.limit + 1]
    return page.build("reports", rows, key=lambda s: [s.name], out=lambda s: ReportInfoOut(**s.describe()))


FormatQuery = Annotated[Literal["json", "csv"] | None, Query(description="json (default) or csv; Accept: text/csv also selects CSV")]
_CSV_RESPONSE: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "The report as JSON, or as a CSV file (Content-Disposition: attachment)"}}


async def _run(request: Request, env: ReportEnv, name: str, format: str | None, principal: Principal) -> Response | ReportOut:
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


#: parameters naming an object of the institution: an unknown one is 404
_LOOKUPS = {"ledger", "account_id"}
_PERIOD_NOTE = "A period whose `date_to` is before its `date_from` is 422 `report_period_inverted`."


def _add_report_route(spec: ReportSpec) -> None:
    """``GET /v1/reports/<name>``: one operation per report, with exactly the
    report's parameters (an unknown one, a repeated one or a malformed value
    is 422 ``invalid_report_parameter``)."""
    allowed = require(*spec.roles, scope="reports:read")

    async def run_one(request: Request, env: ReportEnvDep, format: FormatQuery = None, principal: Principal = Depends(allowed)) -> Response | ReportOut:
        return await _run(request, env, spec.name, format, principal)

    looks_up = {p.name for p in spec.params} & _LOOKUPS
    responses: dict[int | str, dict[str, Any]] = dict(_CSV_RESPONSE)
    if looks_up:
        responses[404] = {"description": f"No such {' or '.join(sorted(looks_up))} (also another institution's)"}
    router.add_api_route(
        f"/{spec.name}", run_one, methods=["GET"], response_model=ReportOut, name=f"report_{spec.name}",
        summary=f"{spec.title} (JSON, or CSV with ?format=csv or Accept: text/csv)",
        description=((spec.description + "\n\n") if spec.description else "") + _PERIOD_NOTE if {"date_from", "date_to"} <= {p.name for p in spec.params} else spec.description or None,
        responses=responses, openapi_extra={"parameters": _parameters(spec)},
    )


for _spec in sorted(REPORTS.values(), key=lambda s: s.name):
    _add_report_route(_spec)


@router.get("/{name}", response_model=ReportOut, include_in_schema=False)
async def run(
    request: Request,
    env: ReportEnvDep,
    name: str = Path(max_length=64),
    format: FormatQuery = None,
    principal: Principal = Depends(READ),
) -> Response | ReportOut:
    """Any other name: 404 ``report_not_found`` naming the reports there are."""
    return await _run(request, env, name, format, principal)
