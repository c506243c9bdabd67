"""The web console for finance staff: server-rendered pages on the same app.

* ``/console/login`` -- institution code, username, password (``api.auth.login``).
  The access token goes into an HttpOnly, SameSite=Strict cookie (Secure on
  https); every POST form carries a CSRF token: an HMAC of the session token
  (the login form: a double-submitted random cookie).  Roles finance,
  approver and admin may use the console; sme and platform are refused.
  Logins are throttled and audited like the API's (:mod:`api.logins`); the
  token is a ``console`` session: refused as an API bearer token, revoked
  on the server by logout.  The institution's signing rule does not apply
  to it: a browser cannot keep a signing secret from the page's scripts, and
  the cookie (HttpOnly, SameSite=Strict, CSRF-checked, same origin) already
  makes a stolen token useless elsewhere.
* ``/console/dashboard`` -- daily receipts (count and amount per currency,
  last 30 days) and the daily match rate as inline SVG (:mod:`api.console.charts`), with the
  figures in tables.
* ``/console/exceptions`` -- unmatched statement lines and ledger entries;
  select some and propose a manual match, or propose an adjustment
  (search, filters, saved views and bulk work: :mod:`api.routers.console_queue`).
* ``/console/approvals`` -- pending proposals; approve or reject (maker-checker:
  the service refuses the maker).
* ``/console/statements`` -- statement upload (multipart).
* ``/console/reports`` -- the report catalogue, a report as an HTML table and
  its CSV download; accounts by name (:mod:`api.console.names`), figures
  linked to what stands behind them (:mod:`api.console.reportview`).
* ``/console/accounts/search`` -- the account picker's search (JSON).
* ``/console/transactions/{id}`` -- a transaction: postings, hash chain,
  matched statement lines, proposals (:mod:`api.console.drill`).
* ``/console/audit`` -- the audit trail (admins) or its read-only view.
* ``/console/bankbook`` -- bank vs book per reconciled account and day, and
  the approver's sign-off of a day (:mod:`recon.bankbook`).

Every route is ``include_in_schema=False``.  Errors are pages carrying the
problem's title and detail, never a stack trace.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.datastructures import FormData, QueryParams
from starlette.exceptions import HTTPException as StarletteHTTPException

from ledger.clock import business_today
from ledger.errors import LedgerError
from ledger.money import format_minor
from recon import bankbook
from recon.dashboard import dashboard as recon_dashboard
from recon.reporting import Report
from recon.reports import REPORTS, ReportEnv, ReportSpec, run_report
from recon.service import Actor, Proposal, ReconAccount, Reconciliation

from .. import auth as A
from .. import sod
from ..console import STATIC_DIR, TEMPLATES_DIR, drill, i18n, names, reportview, web
from ..console.charts import match_rate_svg, money, receipts_charts
from ..deps import EngineDep, KeyringDep, ReconDep, SettingsDep, app_context
from ..logins import LoginPolicy, client_address
from ..problems import ProblemError
from ..scopes import CONSOLE, CONSOLE_ROLES, PUBLIC
from .recon import actor_of, check_proposal_checker
from .reports import ReportEnvDep


def N_(message: str) -> str:
    """Marks a message for the catalog; translated where it is shown."""
    return message


log = logging.getLogger("xborder.api")

SESSION_COOKIE = "xb_console"
LOGIN_CSRF_COOKIE = "xb_console_login"
FLASH_COOKIE = "xb_console_flash"
PREFIX = "/console"
#: the site's cookies, MACs, flash and redirects (shared with the portal: api.console.web)
SITE = web.Site(PREFIX, SESSION_COOKIE, FLASH_COOKIE, "console")
_mac, _set_cookie, _to_login = SITE.mac, SITE.set_cookie, SITE.to_login
_flash, _read_flash, _redirect = SITE.flash, SITE.read_flash, SITE.redirect
_refusal_text = web.refusal_text

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}


# -- errors become pages --------------------------------------------------------------


class ConsoleRefusal(Exception):
    """A page-level refusal: rendered as the error page with this status."""

    def __init__(self, status: int, title: str, detail: str, **values: Any) -> None:
        super().__init__(detail % values if values else detail)
        #: title and detail are English messages of the catalog; ``values`` fill
        #: the detail's ``%(name)s`` placeholders after translation
        self.status, self.title, self.detail, self.values = status, title, detail, values


class _LoginRequired(Exception):
    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class ConsoleRoute(APIRoute):
    """Every console handler's errors become HTML pages (or a redirect to
    the login page), never a problem document or a trace."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                response = await handler(request)
            except _LoginRequired as exc:
                response = _to_login(request, exc.message)
            except ConsoleRefusal as exc:
                t = _tr(request)
                response = _error_page(request, exc.status, t(exc.title), t(exc.detail, **exc.values))
            except ProblemError as exc:
                response = _error_page(request, exc.status, exc.title, exc.detail or exc.title)
            except LedgerError as exc:
                response = _error_page(request, exc.status, exc.title, exc.message)
            except RequestValidationError as exc:
                detail = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', 'invalid')}" for e in exc.errors()[:5])
                response = _error_page(request, 422, _t(request, "Invalid input"), detail or "invalid request")
            except StarletteHTTPException as exc:
                response = _error_page(request, exc.status_code, _t(request, "Error"), exc.detail if isinstance(exc.detail, str) else "request refused")
            except Exception:  # a page, never a trace
                log.exception("console error", extra={"request_id": getattr(request.state, "request_id", None)})
                t = _tr(request)
                response = _error_page(request, 500, t("Internal error"), t("An unexpected error occurred; nothing was changed. Quote the request id to support."))
            for k, v in SECURITY_HEADERS.items():
                response.headers.setdefault(k, v)
            return response

        return route


router = APIRouter(prefix=PREFIX, include_in_schema=False, route_class=ConsoleRoute)
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))


templates.env.filters["money"] = money
templates.env.filters["decimal"] = format_minor  # a plain decimal string with the currency's decimals (data attributes)
templates.env.filters["local_time"] = i18n.local_time


def _lang(request: Request) -> str:
    return i18n.lang_of(dict(request.cookies))


def _tr(request: Request) -> i18n.Gettext:
    """The request's ``_``: the user's language (Chinese unless he chose English)."""
    return i18n.gettext_for(_lang(request))


def _t(request: Request, message: str, **values: Any) -> str:
    """``message`` in the request's language, ``%(name)s`` filled from ``values``."""
    return _tr(request)(message, **values)


def _cell(report: Report, row: dict[str, Any], col: Any) -> str:
    """A report cell for the page: amounts grouped (1,234.56), times in China time."""
    v = row.get(col.key)
    if v is not None and col.kind == "money" and row.get(col.currency_key):
        return money(int(v), row.get(col.currency_key) or "")
    if isinstance(v, datetime):
        return i18n.local_time(v)
    return report.cell(row, col)


def _render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    session = getattr(request.state, "console", None)
    flash = _read_flash(request)
    lang = _lang(request)
    base = {
        "session": session, "csrf": session.csrf if session else "", "flash": flash, "prefix": PREFIX, "nav": _nav(session),
        "_": i18n.gettext_for(lang), "lang": lang, "html_lang": i18n.HTML_LANG[lang], "cell": _cell,
    }
    response = templates.TemplateResponse(request, name, {**base, **context}, status_code=status)
    if flash is not None:
        response.delete_cookie(FLASH_COOKIE, path=PREFIX)
    return response


def _error_page(request: Request, status: int, title: str, detail: str) -> HTMLResponse:
    try:
        return _render(request, "error.html", status=status, title=title, detail=detail, status_code=status, request_id=getattr(request.state, "request_id", ""))
    except Exception:  # the template itself failed: plain text, still no trace
        log.exception("console error page failed")
        return HTMLResponse(f"<!doctype html><title>{status}</title><h1>{status}</h1><p>An error occurred.</p>", status_code=status)


def _nav(session: Session | None) -> list[tuple[str, str]]:
    if session is None:
        return []
    return [("dashboard", N_("Dashboard")), ("exceptions", N_("Exceptions")), ("approvals", N_("Approvals")), ("statements", N_("Statements")), ("reports", N_("Reports")), ("bankbook", N_("Bank vs book")), ("audit", N_("Audit trail"))]


# -- session, CSRF and flash ------------------------------------------------------------


@dataclass(frozen=True)
class Session:
    principal: A.Principal
    token: str
    csrf: str
    institution_code: str

    @property
    def username(self) -> str:
        return self.principal.username or ""

    @property
    def role(self) -> str:
        return self.principal.role


LOGIN_REASONS = {
    "expired": N_("Your session has expired or is no longer valid. Log in again."),
    "required": N_("Log in to use the console."),
    "logged_out": N_("You have logged out."),
}



async def _session(request: Request) -> Session:
    """The logged-in staff member, else back to the login page; the wrong
    role is a 403 page."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise _LoginRequired("required")
    ctx = app_context(request)
    try:
        principal = await A._authenticate_user(ctx, token, request, channel="console")
    except ProblemError:
        raise _LoginRequired("expired") from None
    request.state.principal = principal
    if principal.role not in CONSOLE_ROLES:
        raise ConsoleRefusal(403, N_("Not available for your role"), N_("The console is for finance staff (%(roles)s); role '%(role)s' cannot use it."), roles=", ".join(CONSOLE_ROLES), role=principal.role)
    inst = await ctx.ledger.get_institution(principal.institution_id)
    session = Session(principal, token, _mac(request, "csrf", token), inst.code)
    request.state.console = session
    return session


async def _post_form(request: Request) -> tuple[Session, Any]:
    """The session and the form of a POST, after the CSRF check."""
    session = await _session(request)
    form = await request.form()
    sent = form.get("csrf")
    if not isinstance(sent, str) or not hmac.compare_digest(sent, session.csrf):
        raise ConsoleRefusal(403, N_("Form expired"), N_("The form's security token is missing or does not match your session (CSRF check). Reload the page and try again."))
    return session, form


# -- static files ------------------------------------------------------------------------


@router.get("/static/{filename}", dependencies=[Depends(PUBLIC)])
async def static(filename: str) -> Response:
    path = STATIC_DIR / filename
    suffix = path.suffix
    if "/" in filename or filename.startswith(".") or suffix not in STATIC_TYPES or not path.is_file():
        raise ConsoleRefusal(404, N_("Not found"), N_("No such file."))
    return Response(path.read_bytes(), media_type=STATIC_TYPES[suffix], headers={"Cache-Control": "public, max-age=300"})


# -- login / logout ------------------------------------------------------------------------


@router.get("", dependencies=[Depends(PUBLIC)])
@router.get("/", dependencies=[Depends(PUBLIC)])
async def home(request: Request) -> Response:
    return RedirectResponse(f"{PREFIX}/dashboard", status_code=303)


@router.get("/login", dependencies=[Depends(PUBLIC)])
async def login_page(request: Request, reason: str = "", institution: str = "") -> Response:
    nonce = secrets.token_urlsafe(24)
    response = _render(request, "login.html", message=_tr(request)(LOGIN_REASONS.get(reason, "")), error="", institution=institution[:64], username="", login_csrf=nonce)
    _set_cookie(request, response, LOGIN_CSRF_COOKIE, nonce, max_age=3600)
    return response


@router.post("/login", dependencies=[Depends(PUBLIC)])
async def login_submit(request: Request, engine: EngineDep, keyring: KeyringDep, settings: SettingsDep) -> Response:
    form = await request.form()
    institution = str(form.get("institution", "")).strip()
    username = str(form.get("username", "")).strip()
    password = str(form.get("password", ""))
    sent, cookie = form.get("csrf"), request.cookies.get(LOGIN_CSRF_COOKIE)
    if not isinstance(sent, str) or not cookie or not hmac.compare_digest(sent, cookie):
        raise ConsoleRefusal(403, N_("Form expired"), N_("The login form's security token is missing or does not match (CSRF check). Reload the login page and try again."))

    t = _tr(request)

    def again(status: int, error: str) -> Response:
        nonce = secrets.token_urlsafe(24)
        response = _render(request, "login.html", status=status, message="", error=error, institution=institution[:64], username=username[:100], login_csrf=nonce)
        _set_cookie(request, response, LOGIN_CSRF_COOKIE, nonce, max_age=3600)
        return response

    if not institution or not username or not password:
        return again(422, t("Enter the institution code, your username and your password."))
    ctx = app_context(request)
    attempt = A.LoginAttempt(institution, username, password, client_address(request), "console")
    try:
        issued = await A.login(engine, keyring, attempt, policy=LoginPolicy.from_settings(settings), clock=ctx.clock, ttl_seconds=settings.token_ttl_seconds)
    except ProblemError as exc:
        if exc.status == 429:
            response = again(429, t("Too many failed logins for this user name or from this address. Try again in %(seconds)s seconds.", seconds=exc.extra.get("retry_after")))
            response.headers.update(exc.headers)
            return response
        return again(401, t("Unknown institution or user, wrong password, or disabled user."))
    if issued["role"] not in CONSOLE_ROLES:
        raise ConsoleRefusal(403, N_("Not available for your role"), N_("The console is for finance staff (%(roles)s); role '%(role)s' cannot use it."), roles=", ".join(CONSOLE_ROLES), role=issued["role"])
    response = RedirectResponse(f"{PREFIX}/dashboard", status_code=303)
    _set_cookie(request, response, SESSION_COOKIE, issued["access_token"], max_age=int(issued["expires_in"]))
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=PREFIX)
    return response


@router.post("/logout", dependencies=[Depends(PUBLIC)])
async def logout(request: Request) -> Response:
    session, _form = await _post_form(request)
    await A.logout(app_context(request), request, session.principal)  # the cookie's token is refused from now on
    response = RedirectResponse(f"{PREFIX}/login?reason=logged_out", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=PREFIX)
    return response


# -- dashboard -----------------------------------------------------------------------------------


@router.get("/dashboard", dependencies=[Depends(CONSOLE)])
async def dashboard(request: Request, recon: ReconDep, settings: SettingsDep) -> Response:
    session = await _session(request)
    board = await recon_dashboard(recon, session.principal.institution_id, business_today(settings.business_timezone))
    return _render(
        request, "dashboard.html", charts=receipts_charts(board), receipt_rows=board.receipts, start=board.start, today=board.today,
        rate_svg=match_rate_svg(board), rate_rows=board.match_rates, summary=board.summary, buckets=board.buckets,
    )


# -- reconciliation: exceptions, approvals, statements -------------------------------------------


def _actor(session: Session) -> Actor:
    """The console user as the reconciliation service's Actor: the id is
    ``user:<uuid>`` (Principal.actor), the same for every channel, so the
    maker of a proposal is recognised whichever way they approve."""
    return actor_of(session.principal)


def _field(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


def _uuid_or_404(value: str, kind: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise ConsoleRefusal(404, N_("Not found"), N_("There is no %(kind)s %(value)r."), kind=kind, value=value[:80]) from None


async def _user_names(engine: AsyncEngine, institution_id: UUID) -> dict[str, str]:
    """``user:<id>`` -> username, to show who matched or imported."""
    async with engine.connect() as conn:
        return {f"user:{u['id']}": u["username"] for u in await A.list_users(conn, institution_id)}


async def _resolve_account(request: Request, session: Session, text: str) -> UUID:
    """The account a picker field names (an id, a code or a picked name)."""
    ctx = app_context(request)
    return await names.resolve_account(ctx.engine, ctx.keyring, session.principal.institution_id, text, _tr(request))


async def _account_names(request: Request, session: Session, ids: Any) -> dict[UUID, names.AccountName]:
    ctx = app_context(request)
    return await names.account_names(ctx.engine, ctx.keyring, session.principal.institution_id, ids)


async def _merchant_names(request: Request, session: Session, refs: list[str]) -> dict[str, str]:
    ctx = app_context(request)
    return await names.customer_names_by_ref(ctx.engine, ctx.keyring, session.principal.institution_id, refs)


@router.get("/accounts/search", dependencies=[Depends(CONSOLE)])
async def account_search(request: Request, q: str = "") -> Response:
    """The account picker's search (name, code or owner) as JSON: ``value``
    is what the picker puts in the field (the name; the code when two
    accounts share a name), ``label`` the name, ``code`` and ``id`` for
    the hover."""
    session = await _session(request)
    ctx = app_context(request)
    found = await names.search_accounts(ctx.engine, ctx.keyring, session.principal.institution_id, q)
    t = _tr(request)
    labels = [a.label(t) for a in found]
    shared = {x for x in labels if labels.count(x) > 1}
    out = [{"id": str(a.id), "code": a.code, "label": x, "value": a.code if x in shared else x} for a, x in zip(found, labels, strict=True)]
    return JSONResponse({"accounts": out})


def _ids(form: FormData, name: str) -> list[str]:
    return [v for v in form.getlist(name) if isinstance(v, str) and v.strip()][:500]


@router.post("/exceptions/propose", dependencies=[Depends(CONSOLE)])
async def propose_match(request: Request, recon: ReconDep) -> Response:
    session, form = await _post_form(request)
    line_ids, entry_ids = _ids(form, "line_ids"), _ids(form, "entry_ids")
    if not line_ids or not entry_ids:
        return _redirect(request, "exceptions", "error", _t(request, "Select at least one statement line and one ledger entry to propose a match."))
    try:
        proposal = await recon.propose(
            session.principal.institution_id, kind="manual_match", maker=_actor(session), line_ids=line_ids, entry_ids=entry_ids, note=str(form.get("note", ""))[:500],
        )
    except LedgerError as exc:
        return _redirect(request, "exceptions", "error", _refusal_text(exc, _tr(request)))
    return _redirect(request, "exceptions", "ok", _t(request, 
        "Match proposed (%(lines)s statement line(s), %(entries)s ledger entry(ies)); it awaits a second approver. Proposal %(id)s.",
        lines=len(line_ids), entries=len(entry_ids), id=_field(proposal, "id"),
    ))


@router.post("/exceptions/adjust", dependencies=[Depends(CONSOLE)])
async def propose_adjustment(request: Request, recon: ReconDep) -> Response:
    """An adjustment entry explaining statement line(s): the service posts it
    against the counter account (default: the reconciled account's
    adjustment account) when a second person approves."""
    session, form = await _post_form(request)
    line_ids, entry_ids = _ids(form, "line_ids"), _ids(form, "entry_ids")
    if entry_ids:
        return _redirect(request, "exceptions", "error", _t(request, "An adjustment explains statement lines only (it creates the ledger entry): unselect the ledger entries."))
    if not line_ids:
        return _redirect(request, "exceptions", "error", _t(request, "Select the statement line(s) the adjustment explains."))
    adjustment: dict[str, Any] = {"description": str(form.get("adjustment_description", "")).strip()[:300] or "reconciliation adjustment"}
    counter = str(form.get("adjustment_account", "")).strip()
    if counter:
        try:
            adjustment["counter_account_id"] = str(await _resolve_account(request, session, counter))
        except names.AccountChoice as exc:
            return _redirect(request, "exceptions", "error", _t(request, exc.message, text=exc.text))
    value_date = str(form.get("adjustment_value_date", "")).strip()
    if value_date:
        adjustment["value_date"] = value_date[:10]
    amount_text = str(form.get("adjustment_amount", "")).strip()
    selected = set(line_ids)
    open_lines = [i for i in await recon.exceptions(session.principal.institution_id, side="line", limit=100_000) if i.id in selected]
    currency = open_lines[0].currency if open_lines else ""
    try:
        if amount_text:
            if not currency:
                return _redirect(request, "exceptions", "error", _t(request, "The selected statement line is no longer open."))
            adjustment["amount"] = amount_text[:40]  # parsed strictly by the service: the currency's decimals at most
        proposal = await recon.propose(
            session.principal.institution_id, kind="adjustment", maker=_actor(session), line_ids=line_ids, adjustment=adjustment, note=str(form.get("note", ""))[:500],
        )
    except LedgerError as exc:
        return _redirect(request, "exceptions", "error", _refusal_text(exc, _tr(request)))
    amount = ((_field(proposal, "payload") or {}).get("adjustment") or {}).get("amount_minor")
    t = _tr(request)
    if amount is not None and currency:
        text = t("Adjustment of %(amount)s %(currency)s proposed; it awaits a second approver. Proposal %(id)s.", amount=money(amount, currency), currency=currency, id=_field(proposal, "id"))
    else:
        text = t("Adjustment proposed; it awaits a second approver. Proposal %(id)s.", id=_field(proposal, "id"))
    return _redirect(request, "exceptions", "ok", text)


@router.get("/approvals", dependencies=[Depends(CONSOLE)])
async def approvals_page(request: Request, recon: ReconDep) -> Response:
    session = await _session(request)
    inst = session.principal.institution_id
    pending = await recon.proposals(inst, status="pending")
    decided = list(await recon.proposals(inst, status="approved")) + list(await recon.proposals(inst, status="rejected"))
    decided.sort(key=lambda p: str(_field(p, "decided_at") or _field(p, "created_at") or ""), reverse=True)
    accounts = {a.id: a for a in await recon.list_accounts(inst)}
    t = _tr(request)
    counters = await _account_names(request, session, _counter_ids([*pending, *decided[:50]]))
    labels = {str(k): v.label(t) for k, v in counters.items()}
    return _render(request, "approvals.html", pending=pending, decided=decided[:50], me=session.principal.actor, f=_field,
                   payload_text=lambda p: _payload_text(p, accounts, t, labels))


def _counter_ids(proposals: list[Any]) -> list[UUID]:
    out = []
    for p in proposals:
        adj = (_field(p, "payload") or {}).get("adjustment") if isinstance(_field(p, "payload"), dict) else None
        if isinstance(adj, dict) and adj.get("counter_account_id"):
            try:
                out.append(UUID(str(adj["counter_account_id"])))
            except ValueError:
                continue
    return out


def _payload_text(proposal: Proposal, accounts: dict[UUID, ReconAccount], t: i18n.Gettext, labels: dict[str, str] | None = None) -> str:
    payload = _field(proposal, "payload") or {}
    acct = accounts.get(_field(proposal, "recon_account_id"))
    cur = acct.currency if acct is not None else ""
    where = f"{acct.name or acct.bank_account} ({cur})" if acct is not None else ""
    if not isinstance(payload, dict):
        return where
    kind = _field(proposal, "kind")
    if kind == "adjustment" and isinstance(payload.get("adjustment"), dict):
        adj = payload["adjustment"]
        return where + ": " + t(
            "post %(amount)s %(currency)s against account %(account)s, value date %(date)s: %(description)s",
            amount=money(adj.get("amount_minor"), cur), currency=cur, account=(labels or {}).get(str(adj.get("counter_account_id", "")), adj.get("counter_account_id", "")), date=adj.get("value_date", ""),
            description=adj.get("description", ""),
        )
    if kind == "fee":
        return where + ": " + t("bank charges %(amount)s %(currency)s", amount=money(payload.get("fee_minor"), cur), currency=cur)
    if kind == "split":
        return where + ": " + t("split into %(parts)s", parts=" + ".join(money(p.get("amount_minor"), cur) for p in payload.get("parts", [])))
    diff = payload.get("difference_minor")
    if diff:
        return where + ": " + t("manual match, difference %(amount)s %(currency)s (bank charges)", amount=money(diff, cur), currency=cur)
    return where + ": " + t("manual match, amounts equal")


@router.post("/approvals/{proposal_id}/approve", dependencies=[Depends(CONSOLE)])
async def approve(request: Request, proposal_id: str, recon: ReconDep) -> Response:
    session, _form = await _post_form(request)
    pid = _uuid_or_404(proposal_id, "proposal")
    inst = session.principal.institution_id
    try:
        # four eyes (api/sod.py): also the maker under another name, or a user he set up within the cooling period
        await check_proposal_checker(app_context(request), session.principal, await recon.get_proposal(inst, pid), getattr(request.state, "request_id", None))
        done = await recon.approve(inst, pid, approver=_actor(session))
    except (LedgerError, ProblemError) as exc:
        if exc.status == 404:
            raise
        return _redirect(request, "approvals", "error", _refusal_text(exc, _tr(request)))
    tx = _field(done, "transaction_id")
    t = _tr(request)
    return _redirect(request, "approvals", "ok", t("Proposal %(id)s approved.", id=pid) + (" " + t("Posted transaction %(tx)s.", tx=tx) if tx else ""))


@router.post("/approvals/{proposal_id}/reject", dependencies=[Depends(CONSOLE)])
async def reject(request: Request, proposal_id: str, recon: ReconDep) -> Response:
    session, form = await _post_form(request)
    pid = _uuid_or_404(proposal_id, "proposal")
    try:
        await recon.reject(session.principal.institution_id, pid, approver=_actor(session), reason=str(form.get("reason", ""))[:500])
    except LedgerError as exc:
        if exc.status == 404:
            raise
        return _redirect(request, "approvals", "error", _refusal_text(exc, _tr(request)))
    return _redirect(request, "approvals", "ok", _t(request, "Proposal %(id)s rejected.", id=pid))


STATEMENT_FORMATS = ("", "camt.053", "camt.054", "mt940", "csv")


@router.get("/statements", dependencies=[Depends(CONSOLE)])
async def statements_page(request: Request, recon: ReconDep) -> Response:
    session = await _session(request)
    return await _statements(request, session, recon)


async def _statements(request: Request, session: Session, recon: Reconciliation, *, result: list[tuple[str, Any]] | None = None, filename: str = "", status: int = 200) -> Response:
    inst = session.principal.institution_id
    mappings = sorted(await recon.csv_mappings(inst))
    statements = await recon.list_statements(inst, limit=20)
    return _render(request, "statements.html", status=status, result=result, filename=filename, formats=STATEMENT_FORMATS,
                   mappings=mappings, statements=statements)


@router.post("/statements", dependencies=[Depends(CONSOLE)])
async def statements_upload(request: Request, recon: ReconDep) -> Response:
    session, form = await _post_form(request)
    upload = form.get("file")
    if upload is None or isinstance(upload, str) or not getattr(upload, "filename", ""):
        return _redirect(request, "statements", "error", _t(request, "Choose a statement file (camt.053, camt.054, MT940 or CSV) to upload."))
    fmt = str(form.get("format", "")).strip()
    if fmt not in STATEMENT_FORMATS:
        return _redirect(request, "statements", "error", _t(request, "Unknown statement format %(format)r.", format=fmt[:20]))
    mapping = str(form.get("csv_mapping", "")).strip() or None
    try:
        result = await recon.import_statement(
            session.principal.institution_id, upload.file, filename=upload.filename or "", fmt=fmt or None, csv_mapping=mapping, actor=session.principal.actor,
        )
        runs = await recon.run_matching(session.principal.institution_id, actor=session.principal.actor) if form.get("match") else []
    except LedgerError as exc:
        return _redirect(request, "statements", "error", _refusal_text(exc, _tr(request)))
    finally:
        await upload.close()
    matched = sum(sum(r.counts.values()) for r in runs)
    summary = [
        (N_("file"), result.filename), ("SHA-256", result.sha256), (N_("bytes"), result.bytes), (N_("statements"), len(result.statements)),
        (N_("lines imported"), result.lines_imported), (N_("statements already imported (skipped)"), result.duplicates_skipped),
    ]
    if runs:
        summary.append((N_("automatic matches"), matched))
    for st in result.statements:
        if st.balance_mismatch_minor:
            summary.append((_t(request, "statement %(id)s: balance mismatch", id=st.statement_id), f"{money(st.balance_mismatch_minor, st.currency)} {st.currency}"))
    return await _statements(request, session, recon, result=summary, filename=upload.filename or "")


# -- reports ----------------------------------------------------------------------------------


def _reports() -> dict[str, ReportSpec]:
    return REPORTS


def _raw_params(spec: ReportSpec, query: QueryParams) -> dict[str, str]:
    names = {p.name for p in spec.params}
    return {k: v for k, v in query.items() if k in names and v != ""}


def _param_views(spec: ReportSpec, query: QueryParams) -> list[dict[str, Any]]:
    out = []
    for p in spec.params:
        default = p.default
        value = query.get(p.name) if p.name in query else ("" if default is None else (default.isoformat() if isinstance(default, date) else str(default)))
        html_type = {"date": "date", "int": "number"}.get(p.type, "text")
        out.append({"name": p.name, "type": p.type, "html_type": html_type, "required": p.required, "help": p.help or "", "value": value, "choices": list(p.choices or ())})
    return out


def _spec(session: Session, name: str) -> ReportSpec:
    spec = _reports().get(name)
    if spec is None:
        raise ConsoleRefusal(404, N_("No such report"), N_("There is no report named '%(name)s'."), name=name[:80])
    if session.role not in spec.roles:
        raise ConsoleRefusal(403, N_("Not available for your role"), N_("Role '%(role)s' may not run the report '%(name)s'."), role=session.role, name=name)
    return spec


async def _run_report(env: ReportEnv, session: Session, spec: ReportSpec, raw: dict[str, str]) -> Report:
    return await run_report(env, session.principal.institution_id, spec.name, raw, role=session.role)


@router.get("/reports", dependencies=[Depends(CONSOLE)])
async def reports_page(request: Request) -> Response:
    session = await _session(request)
    specs = [s for s in _reports().values() if session.role in s.roles]
    return _render(request, "reports.html", specs=specs)


PICKERS = ("account_id",)  # report parameters chosen with the account picker


async def _picked(request: Request, session: Session, spec: ReportSpec, raw: dict[str, str]) -> dict[str, str]:
    """The report's raw parameters with picked accounts turned into ids
    (:class:`names.AccountChoice` when a pick names no account or several)."""
    out = dict(raw)
    for key in PICKERS:
        text = out.get(key, "")
        if text and key in {p.name for p in spec.params} and not _is_uuid(text):  # an id: the report finds it (or answers 404)
            out[key] = str(await _resolve_account(request, session, text))
    return out


@router.get("/reports/{name}", dependencies=[Depends(CONSOLE)])
async def report_page(request: Request, name: str, env: ReportEnvDep) -> Response:
    session = await _session(request)
    spec = _spec(session, name)
    query = request.query_params
    report, errors, csv_url, status, title = None, {}, "", 200, ""
    t = _tr(request)
    shown: dict[str, str] = {}
    if "run" in query:
        try:
            raw = await _picked(request, session, spec, _raw_params(spec, query))
            report = await _run_report(env, session, spec, raw)
        except names.AccountChoice as exc:
            errors["account_id"], status = t(exc.message, text=exc.text), 422
        except LedgerError as exc:
            if exc.code != "invalid_report_parameter":
                raise
            errors[str(exc.details.get("param", ""))] = str(exc.details.get("reason", exc.message))
            status = 422
        else:
            csv_url = f"{PREFIX}/reports/{name}/csv?{urlencode(raw)}"
            labels = await _account_names(request, session, reportview.account_ids(report))
            statement = _reports().get("account_statement")
            title = reportview.decorate(report, labels, t, prefix=PREFIX, statement_allowed=statement is not None and session.role in statement.roles,
                                        merchants=await _merchant_names(request, session, reportview.merchant_refs(report)))
            shown = {str(k): v.label(t) for k, v in labels.items()}
    params = _param_views(spec, query)
    for p in params:  # a picked account is shown by name
        if p["name"] in PICKERS:
            p["picker"] = True
            p["value"] = shown.get(p["value"], p["value"])
    columns = [c for c in report.columns if c.key not in reportview.hidden(report)] if report else []
    return _render(request, "report.html", status=status, spec=spec, params=params, errors=errors, report=report, csv_url=csv_url, title=title, columns=columns)


@router.get("/reports/{name}/csv", dependencies=[Depends(CONSOLE)])
async def report_csv(request: Request, name: str, env: ReportEnvDep, settings: SettingsDep) -> Response:
    session = await _session(request)
    spec = _spec(session, name)
    t = _tr(request)
    try:
        raw = await _picked(request, session, spec, _raw_params(spec, request.query_params))
    except names.AccountChoice as exc:
        raise ConsoleRefusal(422, N_("Invalid input"), exc.message, text=exc.text) from None
    report = await _run_report(env, session, spec, raw)
    reportview.decorate(report, await _account_names(request, session, reportview.account_ids(report)), t, prefix=PREFIX, statement_allowed=False,
                        merchants=await _merchant_names(request, session, reportview.merchant_refs(report)))
    filename = f"{name}-{business_today(settings.business_timezone).isoformat()}.csv"
    # UTF-8 with a byte-order mark: Excel on a Chinese Windows desktop reads it as UTF-8;
    # the header in the user's language, the cells as the API gives them (plain decimals),
    # the accounts' names next to their codes
    body = "\ufeff" + report.to_csv(labels=[c.translated(t) for c in report.columns])
    return Response(body.encode("utf-8"), media_type="text/csv; charset=utf-8", headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# -- drill-down: a transaction; the audit trail -----------------------------------------------------


@router.get("/transactions/{transaction_id}", dependencies=[Depends(CONSOLE)])
async def transaction_page(request: Request, transaction_id: str, engine: EngineDep) -> Response:
    """One ledger transaction: postings with account names, value date,
    recorded time, hash chain position and hash, the statement lines it was
    matched with, and the proposals behind it (maker and approver).
    Another institution's transaction is not found (404)."""
    session = await _session(request)
    inst = session.principal.institution_id
    tid = _uuid_or_404(transaction_id, "transaction")
    ctx = app_context(request)
    tx = await ctx.ledger.get_transaction(inst, tid)
    led = await ctx.ledger.get_ledger(inst, tx.ledger_id)
    links = await drill.transaction_links(engine, ctx.keyring, inst, tid)
    t = _tr(request)
    labels = await _account_names(request, session, [p.account_id for p in tx.postings])
    statement = _reports().get("account_statement")
    can_statement = statement is not None and session.role in statement.roles
    postings = [{
        "line_no": p.line_no, "account": labels[p.account_id].label(t) if p.account_id in labels else str(p.account_id),
        "hint": labels[p.account_id].hint if p.account_id in labels else str(p.account_id), "currency": p.currency, "phase": p.phase,
        "debit": p.amount if p.amount > 0 else None, "credit": -p.amount if p.amount < 0 else None,
        "href": f"{PREFIX}/reports/account_statement?{urlencode({'run': '1', 'account_id': str(p.account_id)})}" if can_statement else "",
    } for p in tx.postings]
    return _render(request, "transaction.html", tx=tx, ledger=led, postings=postings, links=links, reference=(tx.metadata or {}).get("reference", ""))


AUDIT_ROLES_FULL = ("admin",)


def _audit_filter(query: QueryParams, *, admin: bool, users: dict[str, str]) -> tuple[drill.AuditFilter, dict[str, str], dict[str, str]]:
    """The audit filter from the query string, the values to show again,
    and the fields' errors."""
    values = {k: str(query.get(k, "")).strip()[:100] for k in ("user", "action", "object", "date_from", "date_to")}
    errors: dict[str, str] = {}
    days: dict[str, date | None] = {}
    for k in ("date_from", "date_to"):
        try:
            days[k] = date.fromisoformat(values[k]) if values[k] else None
        except ValueError:
            errors[k], days[k] = N_("expected a date YYYY-MM-DD"), None
    actor_ids: tuple[str, ...] | None = None
    if values["user"]:
        actor_ids = tuple(a for a, name in users.items() if name == values["user"]) or ((values["user"],) if values["user"].startswith("user:") else ())
    return drill.AuditFilter(actor_ids, values["action"], values["object"], days["date_from"], days["date_to"], admin), values, errors


@router.get("/audit", dependencies=[Depends(CONSOLE)])
async def audit_page(request: Request, engine: EngineDep) -> Response:
    """The audit trail, newest first, 50 a page: admins see every action
    with what changed; finance and approver users a read-only view without
    the security actions (logins, users, keys) and without the changes."""
    session = await _session(request)
    inst = session.principal.institution_id
    admin = session.role in AUDIT_ROLES_FULL
    names_by_actor = await _user_names(engine, inst)
    users = {**names_by_actor, **{k.removeprefix("user:"): v for k, v in names_by_actor.items()}}
    f, values, errors = _audit_filter(request.query_params, admin=admin, users=users)
    before_text = str(request.query_params.get("before", ""))
    before = UUID(before_text) if _is_uuid(before_text) else None
    rows, next_before = ([], None) if errors else await drill.audit_entries(engine, inst, f, before=before)
    next_url = f"{PREFIX}/audit?{urlencode({**{k: v for k, v in values.items() if v}, 'before': str(next_before)})}" if next_before else ""
    return _render(request, "audit.html", status=422 if errors else 200, rows=rows, users=users, values=values, errors=errors, admin=admin,
                   next_url=next_url, usernames=sorted(set(names_by_actor.values())), paged=before is not None)


# -- bank vs book ----------------------------------------------------------------------------------------


BANKBOOK_DAYS = 31


def _bankbook_query(query: QueryParams, today: date) -> tuple[date, date, dict[str, str]]:
    errors: dict[str, str] = {}
    days: dict[str, date] = {"date_from": today - timedelta(days=BANKBOOK_DAYS - 1), "date_to": today}
    for k in days:
        text = str(query.get(k, "")).strip()
        if text:
            try:
                days[k] = date.fromisoformat(text[:10])
            except ValueError:
                errors[k] = N_("expected a date YYYY-MM-DD")
    return days["date_from"], days["date_to"], errors


@router.get("/bankbook", dependencies=[Depends(CONSOLE)])
async def bankbook_page(request: Request, recon: ReconDep, engine: EngineDep, settings: SettingsDep) -> Response:
    """Bank vs book per reconciled account and day: the bank's closing
    balance, the ledger's balance, the open items, the difference left;
    approvers sign reconciled days off."""
    session = await _session(request)
    inst = session.principal.institution_id
    accounts = list(await recon.list_accounts(inst))
    chosen = str(request.query_params.get("account", "")) or (str(accounts[0].id) if accounts else "")
    account = next((a for a in accounts if str(a.id) == chosen), None)
    if chosen and account is None:
        raise ConsoleRefusal(404, N_("Not found"), N_("There is no %(kind)s %(value)r."), kind="reconciled account", value=chosen[:80])
    date_from, date_to, errors = _bankbook_query(request.query_params, business_today(settings.business_timezone))
    days: list[bankbook.BankBookDay] = []
    if account is not None and not errors:
        try:
            days = await bankbook.bank_vs_book(engine, app_context(request).ledger, inst, account.id, date_from, date_to)
        except LedgerError as exc:
            if exc.status != 422:
                raise
            errors[str(exc.details.get("field", "date_from"))] = exc.message
    names_by_actor = await _user_names(engine, inst)
    return _render(request, "bankbook.html", status=422 if errors else 200, accounts=accounts, account=account, days=days, errors=errors,
                   date_from=date_from.isoformat(), date_to=date_to.isoformat(), can_sign=session.role in sod.POLICIES["recon.day_signoff"].checker_roles,
                   users=names_by_actor)


@router.post("/bankbook/signoff", dependencies=[Depends(CONSOLE)])
async def bankbook_signoff(request: Request, recon: ReconDep, engine: EngineDep) -> Response:
    """An approver signs a reconciled day off: four eyes against whoever
    last changed that day's matching (api/sod.py, ``recon.day_signoff``)."""
    session, form = await _post_form(request)
    inst = session.principal.institution_id
    rid = _uuid_or_404(str(form.get("account", "")), "reconciled account")
    await recon.get_account(inst, rid)  # another institution's: 404
    back = f"bankbook?{urlencode({'account': str(rid)})}"
    try:
        day = date.fromisoformat(str(form.get("day", ""))[:10])
    except ValueError:
        return _redirect(request, back, "error", _t(request, "expected a date YYYY-MM-DD"))
    ctx = app_context(request)
    try:
        current = next((d for d in await bankbook.bank_vs_book(engine, ctx.ledger, inst, rid, day, day) if d.day == day), None)
        for maker in (current.changed_by if current is not None else []) or ["system:matcher"]:
            maker_type, _, maker_id = maker.partition(":")
            async with engine.begin() as conn:
                refusal = await sod.checker_refusal(conn, inst, "recon.day_signoff", maker_type=maker_type, maker_id=maker_id, checker=session.principal,
                                                    cooling_hours=ctx.settings.four_eyes_cooling_hours)
                if refusal is not None:
                    await sod.audit_refusal(conn, inst, session.principal, refusal, object_type="recon_account", object_id=str(rid), request_id=getattr(request.state, "request_id", None))
            if refusal is not None:
                raise refusal
        await bankbook.sign_off_day(engine, ctx.ledger, inst, rid, day, actor=session.principal.actor, actor_name=session.username, request_id=getattr(request.state, "request_id", None))
    except (LedgerError, ProblemError) as exc:
        if exc.status == 404:
            raise
        return _redirect(request, back, "error", _refusal_text(exc, _tr(request)))
    return _redirect(request, back, "ok", _t(request, "%(day)s signed off.", day=day.isoformat()))


# -- anything else under /console -----------------------------------------------------------------


@router.get("/lang/{code}", dependencies=[Depends(PUBLIC)])
async def choose_language(request: Request, code: str) -> Response:
    """The user's language (zh or en), kept a year in a cookie; back to the
    page he came from when it is a console page."""
    if code not in i18n.LANGS:
        raise ConsoleRefusal(404, N_("Page not found"), N_("There is no such console page."))
    back = request.headers.get("referer", "")
    path = urlsplit(back).path if back else ""
    target = path if path.startswith(PREFIX + "/") and not path.startswith(PREFIX + "/lang/") else f"{PREFIX}/dashboard"
    response = RedirectResponse(target, status_code=303)
    _set_cookie(request, response, i18n.COOKIE, code, max_age=365 * 24 * 3600)
    return response


@router.api_route("/{rest:path}", methods=["GET", "POST"], dependencies=[Depends(PUBLIC)])
async def not_found(request: Request, rest: str) -> Response:
    raise ConsoleRefusal(404, N_("Page not found"), N_("There is no such console page."))
