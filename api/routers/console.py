"""The web console for finance staff: server-rendered pages on the same app.

* ``/console/login`` -- institution code, username, password (``api.auth.login``).
  The access token goes into an HttpOnly, SameSite=Strict cookie (Secure on
  https); every POST form carries a CSRF token: an HMAC of the session token
  (the login form: a double-submitted random cookie).  Roles finance,
  approver and admin may use the console; sme and platform are refused.
* ``/console/dashboard`` -- daily receipts (count and amount per currency,
  last 30 days) and the daily match rate as inline SVG drawn here, with the
  figures in tables.
* ``/console/exceptions`` -- unmatched statement lines and ledger entries;
  select some and propose a manual match, or propose an adjustment.
* ``/console/approvals`` -- pending proposals; approve or reject (maker-checker:
  the service refuses the maker).
* ``/console/statements`` -- statement upload (multipart).
* ``/console/reports`` -- the report catalogue, a report as an HTML table and
  its CSV download.

Every route is ``include_in_schema=False``.  Errors are pages carrying the
problem's title and detail, never a stack trace.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from sqlalchemy import func, select
from starlette.exceptions import HTTPException as StarletteHTTPException

from ledger.errors import LedgerError
from ledger.money import format_minor, to_minor
from recon.reports import REPORTS, ReportEnv, ReportSpec
from recon.service import Reconciliation

from .. import auth as A
from ..console import STATIC_DIR, TEMPLATES_DIR
from ..deps import app_context
from ..problems import ProblemError

log = logging.getLogger("xborder.api")

CONSOLE_ROLES = ("finance", "approver", "admin")
SESSION_COOKIE = "xb_console"
LOGIN_CSRF_COOKIE = "xb_console_login"
FLASH_COOKIE = "xb_console_flash"
PREFIX = "/console"

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}


# -- errors become pages --------------------------------------------------------------


class ConsoleRefusal(Exception):
    """A page-level refusal: rendered as the error page with this status."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail


class _LoginRequired(Exception):
    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class ConsoleRoute(APIRoute):
    """Every console handler's errors become HTML pages (or a redirect to
    the login page), never a problem document or a trace."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                response = await handler(request)
            except _LoginRequired as exc:
                response = _to_login(request, exc.message)
            except ConsoleRefusal as exc:
                response = _error_page(request, exc.status, exc.title, exc.detail)
            except ProblemError as exc:
                response = _error_page(request, exc.status, exc.title, exc.detail or exc.title)
            except LedgerError as exc:
                response = _error_page(request, exc.status, exc.title, exc.message)
            except RequestValidationError as exc:
                detail = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', 'invalid')}" for e in exc.errors()[:5])
                response = _error_page(request, 422, "Invalid input", detail or "invalid request")
            except StarletteHTTPException as exc:
                response = _error_page(request, exc.status_code, "Error", exc.detail if isinstance(exc.detail, str) else "request refused")
            except Exception:  # noqa: BLE001 - a page, never a trace
                log.exception("console error", extra={"request_id": getattr(request.state, "request_id", None)})
                response = _error_page(request, 500, "Internal error", "An unexpected error occurred; nothing was changed. Quote the request id to support.")
            for k, v in SECURITY_HEADERS.items():
                response.headers.setdefault(k, v)
            return response

        return route


router = APIRouter(prefix=PREFIX, include_in_schema=False, route_class=ConsoleRoute)
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))


def _money(amount: Any, currency: str = "") -> str:
    """Minor units for display: thousands separated, the currency's decimals."""
    if amount is None:
        return ""
    try:
        text = format_minor(int(amount), currency) if currency else str(amount)
    except Exception:  # noqa: BLE001 - unknown currency: plain integer
        text = str(amount)
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    grouped = f"{int(whole):,}" if whole.isdigit() else whole
    return f"{sign}{grouped}{'.' + frac if frac else ''}"


templates.env.filters["money"] = _money


def _render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    session = getattr(request.state, "console", None)
    flash = _read_flash(request)
    base = {"session": session, "csrf": session.csrf if session else "", "flash": flash, "prefix": PREFIX, "nav": _nav(session)}
    response = templates.TemplateResponse(request, name, {**base, **context}, status_code=status)
    if flash is not None:
        response.delete_cookie(FLASH_COOKIE, path=PREFIX)
    return response


def _error_page(request: Request, status: int, title: str, detail: str) -> HTMLResponse:
    try:
        return _render(request, "error.html", status=status, title=title, detail=detail, status_code=status, request_id=getattr(request.state, "request_id", ""))
    except Exception:  # noqa: BLE001 - the template itself failed: plain text, still no trace
        log.exception("console error page failed")
        return HTMLResponse(f"<!doctype html><title>{status}</title><h1>{status}</h1><p>An error occurred.</p>", status_code=status)


def _nav(session) -> list[tuple[str, str]]:
    if session is None:
        return []
    return [("dashboard", "Dashboard"), ("exceptions", "Exceptions"), ("approvals", "Approvals"), ("statements", "Statements"), ("reports", "Reports")]


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


def _mac(request: Request, purpose: str, value: str) -> str:
    keyring = request.app.state.ctx.keyring
    key = keyring._subkey(keyring.current, f"console:{purpose}")
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _set_cookie(request: Request, response: Response, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, path=PREFIX, httponly=True, samesite="strict", secure=_secure(request))


def _to_login(request: Request, message: str = "") -> Response:
    target = f"{PREFIX}/login" + (f"?{urlencode({'reason': message})}" if message else "")
    response = RedirectResponse(target, status_code=303)
    if request.cookies.get(SESSION_COOKIE):
        response.delete_cookie(SESSION_COOKIE, path=PREFIX)
    return response


LOGIN_REASONS = {
    "expired": "Your session has expired or is no longer valid. Log in again.",
    "required": "Log in to use the console.",
    "logged_out": "You have logged out.",
}


async def _session(request: Request) -> Session:
    """The logged-in staff member, else back to the login page; the wrong
    role is a 403 page."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise _LoginRequired("required")
    ctx = request.app.state.ctx
    try:
        principal = await A._authenticate_user(ctx, token)
    except ProblemError:
        raise _LoginRequired("expired") from None
    request.state.principal = principal
    if principal.role not in CONSOLE_ROLES:
        raise ConsoleRefusal(403, "Not available for your role", f"The console is for finance staff ({', '.join(CONSOLE_ROLES)}); role '{principal.role}' cannot use it.")
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
        raise ConsoleRefusal(403, "Form expired", "The form's security token is missing or does not match your session (CSRF check). Reload the page and try again.")
    return session, form


def _flash(request: Request, response: Response, kind: str, text: str) -> Response:
    payload = base64.urlsafe_b64encode(json.dumps({"kind": kind, "text": text[:1000]}).encode()).decode()
    _set_cookie(request, response, FLASH_COOKIE, f"{payload}.{_mac(request, 'flash', payload)}", max_age=120)
    return response


def _read_flash(request: Request) -> dict | None:
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw or "." not in raw:
        return None
    payload, _, mac = raw.rpartition(".")
    if not hmac.compare_digest(mac, _mac(request, "flash", payload)):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(payload.encode()))
    except (ValueError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) and data.get("kind") in ("ok", "error") else None


def _redirect(request: Request, page: str, kind: str | None = None, text: str = "") -> Response:
    response = RedirectResponse(f"{PREFIX}/{page}", status_code=303)
    if kind:
        _flash(request, response, kind, text)
    return response


def _refusal_text(exc: BaseException) -> str:
    if isinstance(exc, LedgerError):
        return f"{exc.title}: {exc.message}"
    if isinstance(exc, ProblemError):
        return f"{exc.title}: {exc.detail or ''}".rstrip(": ")
    return str(exc)


# -- static files ------------------------------------------------------------------------


@router.get("/static/{filename}")
async def static(filename: str):
    path = STATIC_DIR / filename
    suffix = path.suffix
    if "/" in filename or filename.startswith(".") or suffix not in STATIC_TYPES or not path.is_file():
        raise ConsoleRefusal(404, "Not found", "No such file.")
    return Response(path.read_bytes(), media_type=STATIC_TYPES[suffix], headers={"Cache-Control": "public, max-age=300"})


# -- login / logout ------------------------------------------------------------------------


@router.get("")
@router.get("/")
async def home(request: Request):
    return RedirectResponse(f"{PREFIX}/dashboard", status_code=303)


@router.get("/login")
async def login_page(request: Request, reason: str = "", institution: str = ""):
    nonce = secrets.token_urlsafe(24)
    response = _render(request, "login.html", message=LOGIN_REASONS.get(reason, ""), error="", institution=institution[:64], username="", login_csrf=nonce)
    _set_cookie(request, response, LOGIN_CSRF_COOKIE, nonce, max_age=3600)
    return response


@router.post("/login")
async def login_submit(request: Request):
    form = await request.form()
    institution = str(form.get("institution", "")).strip()
    username = str(form.get("username", "")).strip()
    password = str(form.get("password", ""))
    sent, cookie = form.get("csrf"), request.cookies.get(LOGIN_CSRF_COOKIE)
    if not isinstance(sent, str) or not cookie or not hmac.compare_digest(sent, cookie):
        raise ConsoleRefusal(403, "Form expired", "The login form's security token is missing or does not match (CSRF check). Reload the login page and try again.")
    ctx = request.app.state.ctx

    def again(status: int, error: str) -> Response:
        nonce = secrets.token_urlsafe(24)
        response = _render(request, "login.html", status=status, message="", error=error, institution=institution[:64], username=username[:100], login_csrf=nonce)
        _set_cookie(request, response, LOGIN_CSRF_COOKIE, nonce, max_age=3600)
        return response

    if not institution or not username or not password:
        return again(422, "Enter the institution code, your username and your password.")
    try:
        async with ctx.engine.connect() as conn:
            issued = await A.login(conn, ctx.keyring, institution, username, password, ctx.settings.token_ttl_seconds)
    except ProblemError:
        return again(401, "Unknown institution or user, wrong password, or disabled user.")
    if issued["role"] not in CONSOLE_ROLES:
        raise ConsoleRefusal(403, "Not available for your role", f"The console is for finance staff ({', '.join(CONSOLE_ROLES)}); role '{issued['role']}' cannot use it.")
    response = RedirectResponse(f"{PREFIX}/dashboard", status_code=303)
    _set_cookie(request, response, SESSION_COOKIE, issued["access_token"], max_age=int(issued["expires_in"]))
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=PREFIX)
    return response


@router.post("/logout")
async def logout(request: Request):
    await _post_form(request)
    response = RedirectResponse(f"{PREFIX}/login?reason=logged_out", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=PREFIX)
    return response


# -- dashboard -----------------------------------------------------------------------------------


def _business_today(request: Request) -> date:
    tz = ZoneInfo(request.app.state.ctx.settings.business_timezone)
    return datetime.now(UTC).astimezone(tz).date()


async def daily_receipts(engine, institution_id: UUID, date_from: date, date_to: date) -> list[dict[str, Any]]:
    """Receipts per value date and currency: count and gross amount."""
    from settlement.tables_receipts import receipts

    stmt = (
        select(receipts.c.value_date, receipts.c.currency, func.count(), func.sum(receipts.c.gross_minor))
        .where(receipts.c.institution_id == institution_id, receipts.c.value_date >= date_from, receipts.c.value_date <= date_to)
        .group_by(receipts.c.value_date, receipts.c.currency)
        .order_by(receipts.c.value_date, receipts.c.currency)
    )
    async with engine.connect() as conn:
        rows = (await conn.execute(stmt)).all()
    return [{"date": r[0] if isinstance(r[0], date) else date.fromisoformat(str(r[0])), "currency": r[1], "count": int(r[2]), "amount_minor": int(r[3] or 0)} for r in rows]


def _esc(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def bar_chart_svg(title: str, days: list[date], bars: list[float], bar_labels: list[str], line: list[float] | None = None, *, y_label: str = "", line_label: str = "", y_max: float | None = None, line_max: float | None = None, y_format: Callable[[float], str] = lambda v: f"{v:,.0f}", marks: list[bool] | None = None) -> str:
    """A bar chart (one bar a day) with an optional line on a right axis, as
    inline SVG.  Every bar has a <title> (tooltip and screen readers)."""
    width, height, left, right, top, bottom = 760, 240, 70, 50 if line is not None else 16, 24, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(days), 1)
    slot = plot_w / n
    top_value = y_max if y_max is not None else _nice_ceiling(max(bars, default=0))
    # counts: a multiple of 4, so the right axis' five ticks are whole numbers
    line_top = line_max if line_max is not None else 4 * max(1, -(-int(max(line or [0], default=0)) // 4))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{_esc(title)}">', f"<title>{_esc(title)}</title>"]
    # grid and left axis
    for i in range(5):
        v = top_value * i / 4
        y = top + plot_h - plot_h * i / 4
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#d8dde6" stroke-width="1"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#4a5568">{_esc(y_format(v))}</text>')
        if line is not None:
            lv = line_top * i / 4
            out.append(f'<text x="{left + plot_w + 6}" y="{y + 4:.1f}" font-size="11" fill="#b7410e">{lv:,.0f}</text>')
    if y_label:
        out.append(f'<text x="{left}" y="{top - 8}" font-size="11" fill="#4a5568">{_esc(y_label)}</text>')
    if line is not None and line_label:
        out.append(f'<text x="{left + plot_w}" y="{top - 8}" text-anchor="end" font-size="11" fill="#b7410e">{_esc(line_label)}</text>')
    for i, (d, v) in enumerate(zip(days, bars)):
        h = 0 if top_value <= 0 else plot_h * max(v, 0) / top_value
        x = left + i * slot + slot * 0.15
        y = top + plot_h - h
        label = bar_labels[i] if i < len(bar_labels) else ""
        out.append(f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" fill="#2b6cb0" data-date="{d.isoformat()}" data-value="{v}"><title>{_esc(label)}</title></rect>')
        if marks is not None and i < len(marks) and marks[i]:
            # a day with data, visible even when its bar is zero
            out.append(f'<circle class="mark" cx="{left + i * slot + slot / 2:.1f}" cy="{top + plot_h:.1f}" r="3" fill="#1a365d"><title>{_esc(label)}</title></circle>')
        if i % 5 == 0 or i == n - 1:
            out.append(f'<text x="{left + i * slot + slot / 2:.1f}" y="{height - 14}" text-anchor="middle" font-size="10" fill="#4a5568">{d.strftime("%m-%d")}</text>')
    if line is not None and line_top > 0:
        points = " ".join(f"{left + i * slot + slot / 2:.1f},{top + plot_h - plot_h * max(v, 0) / line_top:.1f}" for i, v in enumerate(line))
        out.append(f'<polyline points="{points}" fill="none" stroke="#b7410e" stroke-width="2"/>')
        for i, v in enumerate(line):
            if v:
                out.append(f'<circle cx="{left + i * slot + slot / 2:.1f}" cy="{top + plot_h - plot_h * v / line_top:.1f}" r="2.5" fill="#b7410e"/>')
    out.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#4a5568" stroke-width="1"/>')
    out.append("</svg>")
    return "".join(out)


def match_rate_rows(summary: dict | None) -> list[dict[str, Any]]:
    """The summary's daily rows: value date, lines, matched, match rate (an
    exact decimal percentage)."""
    out = []
    for row in (summary or {}).get("daily", []):
        d = row.get("day")
        d = d if isinstance(d, date) else date.fromisoformat(str(d)[:10])
        out.append({"date": d, "lines": int(row.get("lines", 0)), "matched": int(row.get("matched", 0)), "rate": Decimal(str(row.get("match_rate", "0")))})
    out.sort(key=lambda r: r["date"])
    return out


def age_buckets(summary: dict | None) -> list[dict[str, Any]]:
    """Open statement lines and unmatched ledger entries by age, summed over
    the reconciled accounts."""
    lines: dict[str, int] = {}
    entries: dict[str, int] = {}
    for acct in (summary or {}).get("accounts", []):
        for label, n in (acct.get("lines_by_age") or {}).items():
            lines[label] = lines.get(label, 0) + int(n)
        for label, n in (acct.get("entries_by_age") or {}).items():
            entries[label] = entries.get(label, 0) + int(n)
    return [{"age": label, "lines": lines.get(label, 0), "entries": entries.get(label, 0)} for label in dict.fromkeys([*lines, *entries])]


@router.get("/dashboard")
async def dashboard(request: Request):
    session = await _session(request)
    ctx = request.app.state.ctx
    inst = session.principal.institution_id
    today = _business_today(request)
    start = today - timedelta(days=29)
    days = [start + timedelta(days=i) for i in range(30)]
    rows = await daily_receipts(ctx.engine, inst, start, today)
    charts = []
    for cur in sorted({r["currency"] for r in rows}):
        by_day = {r["date"]: r for r in rows if r["currency"] == cur}
        amounts = [by_day[d]["amount_minor"] if d in by_day else 0 for d in days]
        counts = [by_day[d]["count"] if d in by_day else 0 for d in days]
        labels = [f"{d.isoformat()}: {counts[i]} receipt(s), {_money(amounts[i], cur)} {cur}" for i, d in enumerate(days)]
        svg = bar_chart_svg(
            f"Daily receipts in {cur}, last 30 days: amount (bars) and count (line)", days, amounts, labels, counts,
            y_label=f"gross amount ({cur})", line_label="count", y_format=lambda v, cur=cur: _money(int(v), cur).rsplit(".", 1)[0],
        )
        charts.append({"currency": cur, "svg": svg, "count": sum(counts), "amount_minor": sum(amounts)})
    summary, recon_error = None, ""
    recon = ctx.recon
    if recon is not None:
        try:
            summary = await recon.summary(inst, as_of=today, days=30)
        except LedgerError as exc:
            recon_error = _refusal_text(exc)
    rate_rows = [r for r in match_rate_rows(summary) if start <= r["date"] <= today]
    rate_svg = ""
    if rate_rows:
        by_day = {r["date"]: r for r in rate_rows}
        values = [float(by_day[d]["rate"]) if d in by_day else 0 for d in days]
        labels = [f"{d.isoformat()}: {by_day[d]['rate']}% of {by_day[d]['lines']} line(s) matched" if d in by_day else f"{d.isoformat()}: no statement lines" for d in days]
        rate_svg = bar_chart_svg("Daily match rate of statement lines, last 30 days (%)", days, values, labels, y_label="matched %", y_max=100, y_format=lambda v: f"{v:.0f}%", marks=[d in by_day for d in days])
    return _render(
        request, "dashboard.html", charts=charts, receipt_rows=rows, start=start, today=today, rate_svg=rate_svg, rate_rows=rate_rows,
        recon_available=recon is not None, recon_error=recon_error, summary=summary or {}, buckets=age_buckets(summary),
    )


# -- reconciliation: exceptions, approvals, statements -------------------------------------------




def _recon(ctx: Any) -> Reconciliation:
    return ctx.recon


def _actor(session: Session):
    """The console user as the reconciliation service's Actor: the id is
    ``user:<uuid>`` (Principal.actor), the same for every channel, so the
    maker of a proposal is recognised whichever way they approve."""
    try:
        from api.routers.recon import actor_of
    except ImportError:
        from recon.service import Actor

        return Actor(id=session.principal.actor, name=session.username or session.principal.actor, roles=frozenset({session.role}))
    return actor_of(session.principal)


def _field(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _uuid_or_404(value: str, kind: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise ConsoleRefusal(404, "Not found", f"There is no {kind} {value[:80]!r}.") from None


@router.get("/exceptions")
async def exceptions_page(request: Request):
    session = await _session(request)
    recon = _recon(request.app.state.ctx)
    inst = session.principal.institution_id
    items = await recon.exceptions(inst, limit=500)
    lines = [i for i in items if _field(i, "side") == "line"]
    entries = [i for i in items if _field(i, "side") == "entry"]
    matches = await recon.matches(inst, limit=20)
    accounts = {a.id: a for a in await recon.list_accounts(inst)}
    return _render(request, "exceptions.html", lines=lines, entries=entries, matches=matches, accounts=accounts, names=await _user_names(request, inst), f=_field)


async def _user_names(request: Request, institution_id: UUID) -> dict[str, str]:
    """``user:<id>`` -> username, to show who matched or imported."""
    async with request.app.state.ctx.engine.connect() as conn:
        return {f"user:{u['id']}": u["username"] for u in await A.list_users(conn, institution_id)}


def _ids(form, name: str) -> list[str]:
    return [v for v in form.getlist(name) if isinstance(v, str) and v.strip()][:500]


@router.post("/exceptions/propose")
async def propose_match(request: Request):
    session, form = await _post_form(request)
    recon = _recon(request.app.state.ctx)
    line_ids, entry_ids = _ids(form, "line_ids"), _ids(form, "entry_ids")
    if not line_ids or not entry_ids:
        return _redirect(request, "exceptions", "error", "Select at least one statement line and one ledger entry to propose a match.")
    try:
        proposal = await recon.propose(
            session.principal.institution_id, kind="manual_match", maker=_actor(session), line_ids=line_ids, entry_ids=entry_ids, note=str(form.get("note", ""))[:500],
        )
    except LedgerError as exc:
        return _redirect(request, "exceptions", "error", _refusal_text(exc))
    return _redirect(request, "exceptions", "ok", f"Match proposed ({len(line_ids)} statement line(s), {len(entry_ids)} ledger entry(ies)); it awaits a second approver. Proposal {_field(proposal, 'id')}.")


@router.post("/exceptions/adjust")
async def propose_adjustment(request: Request):
    """An adjustment entry explaining statement line(s): the service posts it
    against the counter account (default: the reconciled account's
    adjustment account) when a second person approves."""
    session, form = await _post_form(request)
    recon = _recon(request.app.state.ctx)
    line_ids, entry_ids = _ids(form, "line_ids"), _ids(form, "entry_ids")
    if entry_ids:
        return _redirect(request, "exceptions", "error", "An adjustment explains statement lines only (it creates the ledger entry): unselect the ledger entries.")
    if not line_ids:
        return _redirect(request, "exceptions", "error", "Select the statement line(s) the adjustment explains.")
    adjustment: dict[str, Any] = {"description": str(form.get("adjustment_description", "")).strip()[:300] or "reconciliation adjustment"}
    counter = str(form.get("adjustment_account", "")).strip()
    if counter:
        adjustment["counter_account_id"] = counter[:64]
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
                return _redirect(request, "exceptions", "error", "The selected statement line is no longer open.")
            adjustment["amount_minor"] = to_minor(amount_text, currency)
        proposal = await recon.propose(
            session.principal.institution_id, kind="adjustment", maker=_actor(session), line_ids=line_ids, adjustment=adjustment, note=str(form.get("note", ""))[:500],
        )
    except LedgerError as exc:
        return _redirect(request, "exceptions", "error", _refusal_text(exc))
    amount = ((_field(proposal, "payload") or {}).get("adjustment") or {}).get("amount_minor")
    what = f" of {_money(amount, currency)} {currency}" if amount is not None and currency else ""
    return _redirect(request, "exceptions", "ok", f"Adjustment{what} proposed; it awaits a second approver. Proposal {_field(proposal, 'id')}.")


@router.get("/approvals")
async def approvals_page(request: Request):
    session = await _session(request)
    recon = _recon(request.app.state.ctx)
    inst = session.principal.institution_id
    pending = await recon.proposals(inst, status="pending")
    decided = list(await recon.proposals(inst, status="approved")) + list(await recon.proposals(inst, status="rejected"))
    decided.sort(key=lambda p: str(_field(p, "decided_at") or _field(p, "created_at") or ""), reverse=True)
    accounts = {a.id: a for a in await recon.list_accounts(inst)} if hasattr(recon, "list_accounts") else {}
    return _render(request, "approvals.html", pending=pending, decided=decided[:50], me=session.principal.actor, f=_field, payload_text=lambda p: _payload_text(p, accounts))


def _payload_text(proposal, accounts: dict) -> str:
    payload = _field(proposal, "payload") or {}
    acct = accounts.get(_field(proposal, "recon_account_id"))
    cur = acct.currency if acct is not None else ""
    where = f"{acct.name or acct.bank_account} ({cur})" if acct is not None else ""
    if not isinstance(payload, dict):
        return where
    kind = _field(proposal, "kind")
    if kind == "adjustment" and isinstance(payload.get("adjustment"), dict):
        adj = payload["adjustment"]
        return f"{where}: post {_money(adj.get('amount_minor'), cur)} {cur} against account {adj.get('counter_account_id', '')}, value date {adj.get('value_date', '')}: {adj.get('description', '')}"
    if kind == "fee":
        return f"{where}: bank charges {_money(payload.get('fee_minor'), cur)} {cur}"
    if kind == "split":
        return f"{where}: split into " + " + ".join(_money(p.get("amount_minor"), cur) for p in payload.get("parts", []))
    diff = payload.get("difference_minor")
    return f"{where}: manual match" + (f", difference {_money(diff, cur)} {cur} (bank charges)" if diff else ", amounts equal")


@router.post("/approvals/{proposal_id}/approve")
async def approve(request: Request, proposal_id: str):
    session, _form = await _post_form(request)
    recon = _recon(request.app.state.ctx)
    pid = _uuid_or_404(proposal_id, "proposal")
    try:
        done = await recon.approve(session.principal.institution_id, pid, approver=_actor(session))
    except LedgerError as exc:
        if exc.status == 404:
            raise
        return _redirect(request, "approvals", "error", _refusal_text(exc))
    tx = _field(done, "transaction_id")
    return _redirect(request, "approvals", "ok", f"Proposal {pid} approved." + (f" Posted transaction {tx}." if tx else ""))


@router.post("/approvals/{proposal_id}/reject")
async def reject(request: Request, proposal_id: str):
    session, form = await _post_form(request)
    recon = _recon(request.app.state.ctx)
    pid = _uuid_or_404(proposal_id, "proposal")
    try:
        await recon.reject(session.principal.institution_id, pid, approver=_actor(session), reason=str(form.get("reason", ""))[:500])
    except LedgerError as exc:
        if exc.status == 404:
            raise
        return _redirect(request, "approvals", "error", _refusal_text(exc))
    return _redirect(request, "approvals", "ok", f"Proposal {pid} rejected.")


STATEMENT_FORMATS = ("", "camt.053", "camt.054", "mt940", "csv")


@router.get("/statements")
async def statements_page(request: Request):
    session = await _session(request)
    return await _statements(request, session)


async def _statements(request: Request, session: Session, *, result=None, filename: str = "", status: int = 200) -> Response:
    recon = app_context(request).recon
    mappings, statements = [], []
    if recon is not None:
        inst = session.principal.institution_id
        mappings = sorted(await recon.csv_mappings(inst)) if hasattr(recon, "csv_mappings") else []
        statements = await recon.list_statements(inst, limit=20) if hasattr(recon, "list_statements") else []
    return _render(request, "statements.html", status=status, recon_available=recon is not None, result=result, filename=filename, formats=STATEMENT_FORMATS,
                   mappings=mappings, statements=statements)


@router.post("/statements")
async def statements_upload(request: Request):
    session, form = await _post_form(request)
    recon = _recon(request.app.state.ctx)
    upload = form.get("file")
    if upload is None or isinstance(upload, str) or not getattr(upload, "filename", ""):
        return _redirect(request, "statements", "error", "Choose a statement file (camt.053, camt.054, MT940 or CSV) to upload.")
    fmt = str(form.get("format", "")).strip()
    if fmt not in STATEMENT_FORMATS:
        return _redirect(request, "statements", "error", f"Unknown statement format {fmt[:20]!r}.")
    mapping = str(form.get("csv_mapping", "")).strip() or None
    try:
        result = await recon.import_statement(
            session.principal.institution_id, upload.file, filename=upload.filename or "", fmt=fmt or None, csv_mapping=mapping, actor=session.principal.actor,
        )
        runs = await recon.run_matching(session.principal.institution_id, actor=session.principal.actor) if form.get("match") else []
    except LedgerError as exc:
        return _redirect(request, "statements", "error", _refusal_text(exc))
    finally:
        await upload.close()
    matched = sum(sum(r.counts.values()) for r in runs)
    summary = [
        ("file", result.filename), ("SHA-256", result.sha256), ("bytes", result.bytes), ("statements", len(result.statements)),
        ("lines imported", result.lines_imported), ("statements already imported (skipped)", result.duplicates_skipped),
    ]
    if runs:
        summary.append(("automatic matches", matched))
    for st in result.statements:
        if st.balance_mismatch_minor:
            summary.append((f"statement {st.statement_id}: balance mismatch", f"{_money(st.balance_mismatch_minor, st.currency)} {st.currency}"))
    return await _statements(request, session, result=summary, filename=upload.filename or "")


# -- reports ----------------------------------------------------------------------------------


def _reports() -> dict[str, ReportSpec]:
    return REPORTS


def _report_env(request: Request) -> ReportEnv:
    ctx = app_context(request)
    return ReportEnv(ctx.ledger, ctx.engine, ctx.settlement, rates=ctx.rates)


def _raw_params(spec, query) -> dict[str, str]:
    names = {p.name for p in spec.params}
    return {k: v for k, v in query.items() if k in names and v != ""}


def _param_views(spec, query) -> list[dict[str, Any]]:
    out = []
    for p in spec.params:
        default = p.default
        value = query.get(p.name) if p.name in query else ("" if default is None else (default.isoformat() if isinstance(default, date) else str(default)))
        html_type = {"date": "date", "int": "number"}.get(p.type, "text")
        out.append({"name": p.name, "type": p.type, "html_type": html_type, "required": p.required, "help": p.help or "", "value": value, "choices": list(p.choices or ())})
    return out


def _spec(session: Session, name: str):
    spec = _reports().get(name)
    if spec is None:
        raise ConsoleRefusal(404, "No such report", f"There is no report named '{name[:80]}'.")
    if session.role not in spec.roles:
        raise ConsoleRefusal(403, "Not available for your role", f"Role '{session.role}' may not run the report '{name}'.")
    return spec


async def _run_report(request: Request, session: Session, spec, raw: dict[str, str]):
    from recon.reports import run_report

    return await run_report(_report_env(request), session.principal.institution_id, spec.name, raw, role=session.role)


@router.get("/reports")
async def reports_page(request: Request):
    session = await _session(request)
    specs = [s for s in _reports().values() if session.role in s.roles]
    return _render(request, "reports.html", specs=specs)


@router.get("/reports/{name}")
async def report_page(request: Request, name: str):
    session = await _session(request)
    spec = _spec(session, name)
    query = request.query_params
    report, errors, csv_url, status = None, {}, "", 200
    if "run" in query:
        raw = _raw_params(spec, query)
        try:
            report = await _run_report(request, session, spec, raw)
        except LedgerError as exc:
            if exc.code != "invalid_report_parameter":
                raise
            errors[str(exc.details.get("param", ""))] = str(exc.details.get("reason", exc.message))
            status = 422
        else:
            csv_url = f"{PREFIX}/reports/{name}/csv?{urlencode(raw)}"
    return _render(request, "report.html", status=status, spec=spec, params=_param_views(spec, query), errors=errors, report=report, csv_url=csv_url)


@router.get("/reports/{name}/csv")
async def report_csv(request: Request, name: str):
    session = await _session(request)
    spec = _spec(session, name)
    report = await _run_report(request, session, spec, _raw_params(spec, request.query_params))
    filename = f"{name}-{_business_today(request).isoformat()}.csv"
    return Response(report.to_csv().encode("utf-8"), media_type="text/csv; charset=utf-8", headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# -- anything else under /console -----------------------------------------------------------------


@router.api_route("/{rest:path}", methods=["GET", "POST"])
async def not_found(request: Request, rest: str):
    raise ConsoleRefusal(404, "Page not found", "There is no such console page.")
