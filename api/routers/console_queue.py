"""The console's exceptions queue at scale (issue #16 item 3).

* ``GET /console/exceptions`` -- the queue with search (reference,
  description, counterparty, or an amount), filters (account, side,
  direction, amount range, age bucket, value dates), sort and pages of
  :data:`PER_PAGE`; a bad filter is a message on the page (the rest
  applies), never an error page;
* saved views: a user names the current filters and order
  (``POST /console/exceptions/views``) and finds them as links; deleting one
  is ``POST /console/exceptions/views/delete``;
* bulk proposals: one manual match per selected line, each paired with the
  selected entry of the same amount and currency
  (``POST /console/exceptions/bulk-match``), or one adjustment per selected
  line against the same counter account (``POST /console/exceptions/bulk-adjust``);
  each proposal still waits for a second person;
* bulk approval by an approver (``POST /console/approvals/bulk-approve``):
  each proposal goes through the same four-eyes checks as one approved alone;
  refusals are reported one by one and do not stop the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from starlette.datastructures import QueryParams

from ledger.clock import utc_now
from ledger.errors import LedgerError
from recon import service as RS

from ..console import names
from ..deps import EngineDep, ReconDep, app_context
from ..problems import ProblemError
from ..schema import console_saved_views
from ..scopes import CONSOLE
from .console import (
    N_,
    PREFIX,
    ConsoleRoute,
    _actor,
    _field,
    _ids,
    _post_form,
    _redirect,
    _refusal_text,
    _render,
    _resolve_account,
    _session,
    _t,
    _tr,
    _user_names,
)
from .recon import check_proposal_checker

router = APIRouter(prefix=PREFIX, include_in_schema=False, route_class=ConsoleRoute)

PER_PAGE = 50
#: the query parameters of the queue, in the order links carry them
QUEUE_PARAMS = ("q", "account", "side", "direction", "amount_min", "amount_max", "age", "value_from", "value_to", "sort", "order", "page")
MAX_VIEWS = 20
_AMOUNT = re.compile(r"^[0-9]{1,15}(\.[0-9]{1,4})?$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
SORT_LABELS = {"value_date": N_("Value date"), "amount": N_("Amount"), "age": N_("Age (days)"), "reference": N_("Reference")}


@dataclass
class QueueQuery:
    """The queue's filters, order and page as the clerk asked for them;
    ``problems`` names what could not be read (and was left out)."""

    filters: RS.ExceptionFilter = field(default_factory=RS.ExceptionFilter)
    account: UUID | None = None
    side: str | None = None
    sort: str = "value_date"
    descending: bool = False
    page: int = 1
    given: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def link(self, **changes: Any) -> str:
        """The queue's URL with these parameters changed (None: removed)."""
        params = {**self.given, **{k: str(v) for k, v in changes.items() if v is not None}}
        for k, v in changes.items():
            if v is None:
                params.pop(k, None)
        ordered = [(k, params[k]) for k in QUEUE_PARAMS if params.get(k)]
        return f"{PREFIX}/exceptions" + (f"?{urlencode(ordered)}" if ordered else "")

    @property
    def view_query(self) -> str:
        """What a saved view keeps: every parameter but the page."""
        return urlencode([(k, self.given[k]) for k in QUEUE_PARAMS if k != "page" and self.given.get(k)])


def _amount(raw: str) -> Decimal | None:
    cleaned = raw.replace(",", "").replace("，", "").strip()
    if not _AMOUNT.match(cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain decimals
        return None


def _day(raw: str) -> date | None:
    if not _DATE.match(raw):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def parse_queue_query(params: QueryParams, t: Any) -> QueueQuery:
    """The queue's query string read leniently: each value that cannot be read
    is reported and ignored, the others apply."""
    given = {k: params[k].strip()[:200] for k in QUEUE_PARAMS if params.get(k, "").strip()}
    out = QueueQuery(given=given)
    values: dict[str, Any] = {"text": given.get("q") or None}
    bad: dict[str, str] = {}
    for name in ("amount_min", "amount_max"):
        if name in given:
            values[name] = _amount(given[name])
            if values[name] is None:
                bad[name] = t("%(field)s: enter an amount such as 1,234.50 (no sign)", field=t("Smallest amount") if name == "amount_min" else t("Largest amount"))
    for name in ("value_from", "value_to"):
        if name in given:
            values[name] = _day(given[name])
            if values[name] is None:
                bad[name] = t("%(field)s: enter a date as YYYY-MM-DD", field=t("Value date from") if name == "value_from" else t("Value date to"))
    choices = {"direction": ("in", "out"), "age": tuple(RS.AGE_BUCKET_RANGES), "side": ("line", "entry"), "sort": RS.SORTS, "order": ("asc", "desc")}
    for name, allowed in choices.items():
        if name in given and given[name] not in allowed:
            bad[name] = t("%(field)s: choose one of %(choices)s", field=name, choices=", ".join(allowed))
    if "account" in given:
        try:
            out.account = UUID(given["account"])
        except ValueError:
            bad["account"] = t("Account: choose an account from the list")
    if "page" in given:
        out.page = int(given["page"]) if given["page"].isdigit() and 0 < len(given["page"]) < 7 and int(given["page"]) > 0 else 1
    for name in bad:
        given.pop(name, None)
    out.problems = list(bad.values())
    out.side = given.get("side")
    out.sort, out.descending = given.get("sort", "value_date"), given.get("order") == "desc"
    try:
        out.filters = RS.ExceptionFilter(
            text=values["text"], direction=given.get("direction"), amount_min=values.get("amount_min") if "amount_min" in given else None,
            amount_max=values.get("amount_max") if "amount_max" in given else None, age=given.get("age"),
            value_from=values.get("value_from") if "value_from" in given else None, value_to=values.get("value_to") if "value_to" in given else None,
        )
    except LedgerError as exc:  # a range upside down: the page says so, the range is dropped
        out.problems.append(exc.message)
        for name in ("amount_min", "amount_max", "value_from", "value_to"):
            given.pop(name, None)
        out.filters = RS.ExceptionFilter(text=values["text"], direction=given.get("direction"), age=given.get("age"))
    return out


@router.get("/exceptions", dependencies=[Depends(CONSOLE)])
async def exceptions_page(request: Request, recon: ReconDep, engine: EngineDep) -> Response:
    session = await _session(request)
    inst = session.principal.institution_id
    query = parse_queue_query(request.query_params, _tr(request))
    accounts = {a.id: a for a in await recon.list_accounts(inst)}
    if query.account is not None and query.account not in accounts:
        query.problems.append(_t(request, "Account: choose an account from the list"))
        query.given.pop("account", None)
        query.account = None
    items = await recon.exceptions(inst, side=query.side, recon_account_id=query.account, limit=100_000, filters=query.filters)
    items = RS.sort_exceptions(list(items), query.sort, query.descending)
    pages = max(1, -(-len(items) // PER_PAGE))
    query.page = min(query.page, pages)
    shown = items[(query.page - 1) * PER_PAGE : query.page * PER_PAGE]
    lines = [i for i in shown if i.side == "line"]
    entries = [i for i in shown if i.side == "entry"]
    matches = await recon.matches(inst, limit=20)
    views = await _views(engine, inst, session.principal.actor_id)
    return _render(
        request, "exceptions.html", lines=lines, entries=entries, matches=matches, accounts=accounts, names=await _user_names(engine, inst), f=_field,
        query=query, total=len(items), pages=pages, views=views, age_buckets=list(RS.AGE_BUCKET_RANGES), sort_labels=SORT_LABELS,
    )


# -- saved views ---------------------------------------------------------------------------------


async def _views(engine: Any, institution_id: UUID, user_id: UUID) -> list[dict[str, str]]:
    t = console_saved_views
    async with engine.connect() as conn:
        rows = (await conn.execute(select(t.c.name, t.c.query).where(t.c.institution_id == institution_id, t.c.user_id == user_id).order_by(t.c.name))).all()
    return [{"name": r.name, "href": f"{PREFIX}/exceptions" + (f"?{r.query}" if r.query else "")} for r in rows]


@router.post("/exceptions/views", dependencies=[Depends(CONSOLE)])
async def save_view(request: Request, engine: EngineDep) -> Response:
    session, form = await _post_form(request)
    name = " ".join(str(form.get("view_name", "")).split())[:60]
    if not name:
        return _redirect(request, "exceptions", "error", _t(request, "Give the view a name."))
    query = parse_queue_query(QueryParams(str(form.get("view_query", ""))[:2000]), _tr(request)).view_query
    inst, user = session.principal.institution_id, session.principal.actor_id
    t = console_saved_views
    values = {"institution_id": inst, "user_id": user, "name": name, "query": query, "created_at": utc_now()}
    async with engine.begin() as conn:
        count = (await conn.execute(select(func.count()).select_from(t).where(t.c.institution_id == inst, t.c.user_id == user, t.c.name != name))).scalar_one()
        if count >= MAX_VIEWS:
            return _redirect(request, "exceptions?" + query, "error", _t(request, "You have %(n)s saved views already: delete one first.", n=MAX_VIEWS))
        insert = (postgresql.insert(t) if conn.dialect.name == "postgresql" else sqlite.insert(t)).values(**values)
        await conn.execute(insert.on_conflict_do_update(index_elements=[t.c.institution_id, t.c.user_id, t.c.name], set_={"query": query, "created_at": values["created_at"]}))
    return _redirect(request, "exceptions?" + query, "ok", _t(request, "View %(name)s saved.", name=name))


@router.post("/exceptions/views/delete", dependencies=[Depends(CONSOLE)])
async def delete_view(request: Request, engine: EngineDep) -> Response:
    session, form = await _post_form(request)
    name = str(form.get("view_name", ""))[:60]
    t = console_saved_views
    async with engine.begin() as conn:
        gone = (await conn.execute(delete(t).where(t.c.institution_id == session.principal.institution_id, t.c.user_id == session.principal.actor_id, t.c.name == name))).rowcount
    if not gone:
        return _redirect(request, "exceptions", "error", _t(request, "There is no saved view %(name)s.", name=name))
    return _redirect(request, "exceptions", "ok", _t(request, "View %(name)s deleted.", name=name))


# -- bulk work -----------------------------------------------------------------------------------


def pair_by_amount(lines: list[RS.ExceptionItem], entries: list[RS.ExceptionItem]) -> tuple[list[tuple[str, str]], list[str]]:
    """Each line with one entry of the same account, currency and amount, one
    to one, the closest value dates first (ties by the line's date and the
    ids).  Returns the pairs (in the lines' order) and the ids left without a
    partner."""
    candidates = sorted(
        (abs((e.value_date - ln.value_date).days), ln.value_date, ln.id, e.id)
        for ln in lines for e in entries
        if (e.recon_account_id, e.currency, e.amount_minor) == (ln.recon_account_id, ln.currency, ln.amount_minor)
    )
    taken: dict[str, str] = {}
    used: set[str] = set()
    for _gap, _day, line_id, entry_id in candidates:
        if line_id not in taken and entry_id not in used:
            taken[line_id] = entry_id
            used.add(entry_id)
    order = sorted(lines, key=lambda x: (x.value_date, x.id))
    pairs = [(ln.id, taken[ln.id]) for ln in order if ln.id in taken]
    alone = [ln.id for ln in order if ln.id not in taken] + [e.id for e in sorted(entries, key=lambda x: (x.value_date, x.id)) if e.id not in used]
    return pairs, alone


async def _selected(recon: RS.Reconciliation, institution_id: UUID, form: Any) -> tuple[list[RS.ExceptionItem], list[RS.ExceptionItem]]:
    """The selected items that are still open (by side)."""
    wanted_lines, wanted_entries = set(_ids(form, "line_ids")), set(_ids(form, "entry_ids"))
    items = await recon.exceptions(institution_id, limit=100_000)
    return [i for i in items if i.side == "line" and i.id in wanted_lines], [i for i in items if i.side == "entry" and i.id in wanted_entries]


def _back(form: Any) -> str:
    """The queue as the clerk saw it (its filters), to return to after a bulk action."""
    query = str(form.get("return_query", ""))[:2000]
    return "exceptions" + (f"?{query}" if query else "")


def _outcome(request: Request, made: int, refused: list[str]) -> str:
    text = _t(request, "%(n)s proposal(s) made; each awaits a second approver.", n=made)
    if refused:
        text += " " + _t(request, "Refused: %(list)s", list="; ".join(refused[:10]))
    return text


@router.post("/exceptions/bulk-match", dependencies=[Depends(CONSOLE)])
async def bulk_match(request: Request, recon: ReconDep) -> Response:
    session, form = await _post_form(request)
    inst = session.principal.institution_id
    lines, entries = await _selected(recon, inst, form)
    if not lines or not entries:
        return _redirect(request, _back(form), "error", _t(request, "Select statement lines and the ledger entries of the same amounts."))
    pairs, alone = pair_by_amount(lines, entries)
    if alone:
        return _redirect(request, _back(form), "error", _t(
            request, "Nothing proposed: %(n)s selected item(s) have no partner of the same amount and currency (%(ids)s).", n=len(alone), ids=", ".join(a[:13] for a in alone[:10]),
        ))
    made, refused = 0, []
    note = str(form.get("note", ""))[:500]
    for line_id, entry_id in pairs:
        try:
            await recon.propose(inst, kind="manual_match", maker=_actor(session), line_ids=[line_id], entry_ids=[entry_id], note=note)
            made += 1
        except LedgerError as exc:
            refused.append(f"{line_id[:8]}: {_refusal_text(exc, _tr(request))}")
    return _redirect(request, _back(form), "error" if refused and not made else "ok", _outcome(request, made, refused))


@router.post("/exceptions/bulk-adjust", dependencies=[Depends(CONSOLE)])
async def bulk_adjust(request: Request, recon: ReconDep) -> Response:
    session, form = await _post_form(request)
    inst = session.principal.institution_id
    if _ids(form, "entry_ids"):
        return _redirect(request, _back(form), "error", _t(request, "An adjustment explains statement lines only (it creates the ledger entry): unselect the ledger entries."))
    lines, _entries = await _selected(recon, inst, form)
    if not lines:
        return _redirect(request, _back(form), "error", _t(request, "Select the statement line(s) the adjustment explains."))
    adjustment: dict[str, Any] = {"description": str(form.get("adjustment_description", "")).strip()[:300] or "reconciliation adjustment"}
    if counter := str(form.get("adjustment_account", "")).strip():
        try:  # the picker's text: an id, a code or a picked name
            adjustment["counter_account_id"] = str(await _resolve_account(request, session, counter))
        except names.AccountChoice as exc:
            return _redirect(request, _back(form), "error", _t(request, exc.message, text=exc.text))
    if value_date := str(form.get("adjustment_value_date", "")).strip():
        adjustment["value_date"] = value_date[:10]
    made, refused = 0, []
    for line in lines:  # each line its own adjustment of its own amount
        try:
            await recon.propose(inst, kind="adjustment", maker=_actor(session), line_ids=[line.id], adjustment=dict(adjustment), note=str(form.get("note", ""))[:500])
            made += 1
        except LedgerError as exc:
            refused.append(f"{line.id[:8]}: {_refusal_text(exc, _tr(request))}")
    return _redirect(request, _back(form), "error" if refused and not made else "ok", _outcome(request, made, refused))


@router.post("/approvals/bulk-approve", dependencies=[Depends(CONSOLE)])
async def bulk_approve(request: Request, recon: ReconDep) -> Response:
    session, form = await _post_form(request)
    inst = session.principal.institution_id
    chosen = _ids(form, "proposal_ids")
    if not chosen:
        return _redirect(request, "approvals", "error", _t(request, "Select the proposals to approve."))
    approved, refused = 0, []
    for raw in chosen:
        try:
            pid = UUID(raw)
            # four eyes (api/sod.py) for each one, as when approved alone
            await check_proposal_checker(app_context(request), session.principal, await recon.get_proposal(inst, pid), getattr(request.state, "request_id", None))
            await recon.approve(inst, pid, approver=_actor(session))
            approved += 1
        except ValueError:
            refused.append(f"{raw[:36]}: " + _t(request, "Not found"))
        except (LedgerError, ProblemError) as exc:
            refused.append(f"{raw[:8]}: " + (_t(request, "Not found") if exc.status == 404 else _refusal_text(exc, _tr(request))))
    text = _t(request, "%(n)s proposal(s) approved.", n=approved)
    if refused:
        text += " " + _t(request, "Refused: %(list)s", list="; ".join(refused[:10]))
    return _redirect(request, "approvals", "error" if refused and not approved else "ok", text)
