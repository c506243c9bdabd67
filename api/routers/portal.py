"""The SME portal (#17 item 5): server-rendered pages for a merchant's own
financing, on the SME self-service layer (:mod:`financing.sme`,
:mod:`financing.applications`; the same units of work as ``/v1/sme``).

* ``/portal/login`` -- institution code, username, password (``api.auth.login``,
  the console's check: throttled and audited); only users of role ``sme``
  enter (staff are refused with a page pointing them to the console).  The
  token is a ``portal`` session in an HttpOnly, SameSite=Strict cookie
  (Secure on https), refused as an API bearer token and by the console;
  every POST form carries a CSRF token (an HMAC of the session token; the
  login form: a double-submitted random cookie).
* ``/portal/assets`` -- what the merchant could finance and what each would advance;
* ``/portal/apply`` -- product, amount, tenor and orders; made once per form
  (an idempotency key in a hidden field, the API's idempotency store);
* ``/portal/loans`` and ``/portal/loans/{id}`` -- the decision with its reasons in
  words, the offer with its cost disclosure (accept / decline), the schedule
  (numbered instalments, paid or not), the statement with its running balance;
* ``/portal/loans/{id}/repay`` -- repay from the merchant's own current account;
  a double-submitted form posts once (the hidden key is the repayment's reference);
* ``/portal/documents`` -- the offer's disclosure (printable page) and the
  schedule (CSV, UTF-8 with a byte-order mark) of each loan.

Chinese first (the console's catalog and ``xb_console_lang`` cookie, here
on the ``/portal`` path).  Another merchant's (or institution's) loan is the
same 404 page as a loan that does not exist.  Every route is
``include_in_schema=False``; errors are pages, never a trace.
"""

from __future__ import annotations

import csv
import hmac
import io
import json
import logging
import secrets
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from financing import applications as FA
from financing import products as P
from financing import sme as S
from ledger.errors import LedgerError
from ledger.money import format_minor, parse_amount

from .. import auth as A
from ..console import STATIC_DIR, TEMPLATES_DIR, i18n, web
from ..console.charts import money
from ..deps import EngineDep, KeyringDep, LedgerDep, SettingsDep, app_context
from ..idempotency import run_idempotent
from ..logins import LoginPolicy, client_address
from ..problems import ProblemError
from ..scopes import PORTAL, PORTAL_ROLES, PUBLIC
from .console import SECURITY_HEADERS, STATIC_TYPES, ConsoleRefusal
from .financing import _caller, _explanations


def N_(message: str) -> str:
    """Marks a message for the catalog; translated where it is shown."""
    return message


log = logging.getLogger("xborder.api")

PREFIX = "/portal"
SESSION_COOKIE = "xb_portal"
LOGIN_CSRF_COOKIE = "xb_portal_login"
FLASH_COOKIE = "xb_portal_flash"
#: statement lines and assets a page shows
PAGE_ROWS = 500
#: statement lines read per query
STATEMENT_BATCH = 1000
#: a form's submission key (a UUID when the page made it): short enough for the
#: idempotency store with the user's prefix, and for a repayment reference
FORM_KEY_LENGTH = 64
#: the site's cookies, MACs, flash and redirects (shared with the console: api.console.web)
SITE = web.Site(PREFIX, SESSION_COOKIE, FLASH_COOKIE, "portal")
_mac, _set_cookie, _to_login = SITE.mac, SITE.set_cookie, SITE.to_login
_flash, _read_flash, _redirect = SITE.flash, SITE.read_flash, SITE.redirect
_refusal_text = web.refusal_text


# -- errors become pages --------------------------------------------------------------------


class _LoginRequired(Exception):
    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


def _problem_page(request: Request, exc: Exception) -> Response:
    t = _tr(request)
    if isinstance(exc, ConsoleRefusal):
        return _error_page(request, exc.status, t(exc.title), t(exc.detail, **exc.values))
    status = exc.status if isinstance(exc, LedgerError | ProblemError) else 500
    if isinstance(exc, LedgerError) and status == 404 and exc.details.get("kind") == "customer":  # the user's own merchant
        return _error_page(request, 403, t("Not a customer"), t("Your company is not (or no longer) a customer of the bank. Contact the bank."))
    if status == 404:  # the same page whatever was not found (another merchant's loan: nothing leaked)
        return _error_page(request, 404, t("Not found"), t("There is no such page or loan among yours."))
    if isinstance(exc, LedgerError):
        return _error_page(request, exc.status, exc.title, exc.message)
    if isinstance(exc, ProblemError):
        return _error_page(request, exc.status, exc.title, exc.detail or exc.title)
    log.exception("portal error", extra={"request_id": getattr(request.state, "request_id", None)})
    return _error_page(request, 500, t("Internal error"), t("An unexpected error occurred; nothing was changed. Quote the request id to support."))


class PortalRoute(APIRoute):
    """Every portal handler's errors become HTML pages (or a redirect to the sign-in page)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                response = await handler(request)
            except _LoginRequired as exc:
                response = _to_login(request, exc.message)
            except RequestValidationError:
                response = _error_page(request, 422, _t(request, "Invalid input"), _t(request, "The request is not valid."))
            except StarletteHTTPException as exc:
                response = _error_page(request, exc.status_code, _t(request, "Error"), exc.detail if isinstance(exc.detail, str) else "request refused")
            except Exception as exc:  # noqa: BLE001 - a page, never a trace (logged in _problem_page)
                response = _problem_page(request, exc)
            for k, v in SECURITY_HEADERS.items():
                response.headers.setdefault(k, v)
            return response

        return route


router = APIRouter(prefix=PREFIX, include_in_schema=False, route_class=PortalRoute)
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.filters["money"] = money
templates.env.filters["local_time"] = i18n.local_time


def _lang(request: Request) -> str:
    return i18n.lang_of(dict(request.cookies))


def _tr(request: Request) -> i18n.Gettext:
    return i18n.gettext_for(_lang(request))


def _t(request: Request, message: str, **values: Any) -> str:
    return _tr(request)(message, **values)


NAV = [("loans", N_("My financing")), ("assets", N_("Eligible assets")), ("apply", N_("Apply")), ("documents", N_("Documents")), ("notifications", N_("Notifications"))]


def _render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    session = getattr(request.state, "portal", None)
    flash = _read_flash(request)
    lang = _lang(request)
    base = {
        "session": session, "csrf": session.csrf if session else "", "flash": flash, "prefix": PREFIX, "nav": NAV if session else [],
        "_": i18n.gettext_for(lang), "lang": lang, "html_lang": i18n.HTML_LANG[lang],
    }
    response = templates.TemplateResponse(request, name, {**base, **context}, status_code=status)
    if flash is not None:
        response.delete_cookie(FLASH_COOKIE, path=PREFIX)
    return response


def _error_page(request: Request, status: int, title: str, detail: str) -> HTMLResponse:
    try:
        return _render(request, "portal_error.html", status=status, title=title, detail=detail, status_code=status, request_id=getattr(request.state, "request_id", ""))
    except Exception:  # the template itself failed: plain text, still no trace
        log.exception("portal error page failed")
        return HTMLResponse(f"<!doctype html><title>{status}</title><h1>{status}</h1><p>An error occurred.</p>", status_code=status)


# -- session, CSRF and flash ------------------------------------------------------------------


@dataclass(frozen=True)
class Session:
    principal: A.Principal
    token: str
    csrf: str
    institution_code: str
    merchant_name: str

    @property
    def username(self) -> str:
        return self.principal.username or ""

    @property
    def caller(self) -> FA.Caller:
        return _caller(self.principal)


LOGIN_REASONS = {
    "expired": N_("Your session has expired or is no longer valid. Sign in again."),
    "required": N_("Sign in to use the portal."),
    "logged_out": N_("You have signed out."),
}


def _staff_refusal(role: str) -> ConsoleRefusal:
    return ConsoleRefusal(403, N_("The portal is for SME users"), N_("Role '%(role)s' is bank staff: use the finance console (/console) instead."), role=role)


async def _session(request: Request) -> Session:
    """The signed-in SME user, else back to the sign-in page; staff: a 403 page."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise _LoginRequired("required")
    ctx = app_context(request)
    try:
        principal = await A._authenticate_user(ctx, token, request, channel="portal")
    except ProblemError:
        raise _LoginRequired("expired") from None
    request.state.principal = principal
    if principal.role not in PORTAL_ROLES:
        raise _staff_refusal(principal.role)
    inst = await ctx.ledger.get_institution(principal.institution_id)
    session = Session(principal, token, _mac(request, "csrf", token), inst.code, principal.merchant_ref or "")
    request.state.portal = session
    return session


async def _post_form(request: Request) -> tuple[Session, Any]:
    """The session and the form of a POST, after the CSRF check."""
    session = await _session(request)
    form = await request.form()
    sent = form.get("csrf")
    if not isinstance(sent, str) or not hmac.compare_digest(sent, session.csrf):
        raise ConsoleRefusal(403, N_("Form expired"), N_("The form's security token is missing or does not match your session (CSRF check). Reload the page and try again."))
    return session, form


def _loan_id(value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise ConsoleRefusal(404, N_("Not found"), N_("There is no such page or loan among yours.")) from None


def _form_key(form: Any) -> str:
    """The form's idempotency key (hidden field, made when the form was shown)."""
    key = str(form.get("key", "")).strip()
    if not key or len(key) > FORM_KEY_LENGTH or not key.isprintable():
        raise ConsoleRefusal(422, N_("Form expired"), N_("The form has no valid submission key. Reload the page and try again."))
    return key


# -- static, sign in, sign out, language ------------------------------------------------------------


@router.get("/static/{filename}", dependencies=[Depends(PUBLIC)])
async def static(filename: str) -> Response:
    path = STATIC_DIR / filename
    if "/" in filename or filename.startswith(".") or path.suffix != ".css" or not path.is_file():
        raise ConsoleRefusal(404, N_("Not found"), N_("No such file."))
    return Response(path.read_bytes(), media_type=STATIC_TYPES[".css"], headers={"Cache-Control": "public, max-age=300"})


@router.get("", dependencies=[Depends(PUBLIC)])
@router.get("/", dependencies=[Depends(PUBLIC)])
async def home(request: Request) -> Response:
    return RedirectResponse(f"{PREFIX}/loans", status_code=303)


def _login_form(request: Request, status: int, *, message: str = "", error: str = "", institution: str = "", username: str = "") -> Response:
    nonce = secrets.token_urlsafe(24)
    response = _render(request, "portal_login.html", status=status, message=message, error=error, institution=institution[:64], username=username[:100], login_csrf=nonce)
    _set_cookie(request, response, LOGIN_CSRF_COOKIE, nonce, max_age=3600)
    return response


@router.get("/login", dependencies=[Depends(PUBLIC)])
async def login_page(request: Request, reason: str = "", institution: str = "") -> Response:
    return _login_form(request, 200, message=_t(request, LOGIN_REASONS.get(reason, "")), institution=institution)


@router.post("/login", dependencies=[Depends(PUBLIC)])
async def login_submit(request: Request, engine: EngineDep, keyring: KeyringDep, settings: SettingsDep) -> Response:
    form = await request.form()
    institution, username, password = str(form.get("institution", "")).strip(), str(form.get("username", "")).strip(), str(form.get("password", ""))
    sent, cookie = form.get("csrf"), request.cookies.get(LOGIN_CSRF_COOKIE)
    if not isinstance(sent, str) or not cookie or not hmac.compare_digest(sent, cookie):
        raise ConsoleRefusal(403, N_("Form expired"), N_("The sign-in form's security token is missing or does not match (CSRF check). Reload the sign-in page and try again."))
    t = _tr(request)
    if not institution or not username or not password:
        return _login_form(request, 422, error=t("Enter the institution code, your username and your password."), institution=institution, username=username)
    attempt = A.LoginAttempt(institution, username, password, client_address(request), "portal")
    try:
        issued = await A.login(engine, keyring, attempt, policy=LoginPolicy.from_settings(settings), clock=app_context(request).clock, ttl_seconds=settings.token_ttl_seconds)
    except ProblemError as exc:
        if exc.status == 429:
            response = _login_form(request, 429, error=t("Too many failed logins for this user name or from this address. Try again in %(seconds)s seconds.", seconds=exc.extra.get("retry_after")),
                                   institution=institution, username=username)
            response.headers.update(exc.headers)
            return response
        return _login_form(request, 401, error=t("Unknown institution or user, wrong password, or disabled user."), institution=institution, username=username)
    if issued["role"] not in PORTAL_ROLES:
        raise _staff_refusal(issued["role"])
    response = RedirectResponse(f"{PREFIX}/loans", status_code=303)
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


@router.get("/lang/{code}", dependencies=[Depends(PUBLIC)])
async def choose_language(request: Request, code: str) -> Response:
    """The user's language (zh or en), a year in a cookie; back to the portal page he came from."""
    if code not in i18n.LANGS:
        raise ConsoleRefusal(404, N_("Not found"), N_("There is no such page or loan among yours."))
    back = request.headers.get("referer", "")
    path = urlsplit(back).path if back else ""
    target = path if path.startswith(PREFIX + "/") and not path.startswith(PREFIX + "/lang/") else f"{PREFIX}/loans"
    response = RedirectResponse(target, status_code=303)
    _set_cookie(request, response, i18n.COOKIE, code, max_age=365 * 24 * 3600)
    return response


# -- assets and applying ----------------------------------------------------------------------------


def _product_id(value: str) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        return None


@router.get("/assets", dependencies=[Depends(PORTAL)])
async def assets_page(request: Request, ledger: LedgerDep, product: str = "") -> Response:
    session = await _session(request)
    products = await P.list_products(ledger.engine, session.principal.institution_id)
    chosen = _product_id(product)
    if chosen is not None and chosen not in {p.id for p in products}:
        chosen = None
    rows = await S.eligible_assets(ledger, session.caller, product_id=chosen, limit=PAGE_ROWS)
    return _render(request, "portal_assets.html", active="assets", assets=rows, products=products, chosen=chosen)


def _order_choices(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [a for a in rows if a["kind"] == "order"]


@router.get("/apply", dependencies=[Depends(PORTAL)])
async def apply_page(request: Request, ledger: LedgerDep) -> Response:
    session = await _session(request)
    return await _apply_form(request, ledger, session)


async def _apply_form(request: Request, ledger: Any, session: Session, *, status: int = 200, error: str = "", values: dict[str, Any] | None = None) -> Response:
    products = await P.list_products(ledger.engine, session.principal.institution_id)
    orders = _order_choices(await S.eligible_assets(ledger, session.caller, limit=PAGE_ROWS))
    v = values or {"product": str(products[0].id) if products else "", "amount": "", "tenor": "90", "orders": set()}
    return _render(request, "portal_apply.html", status=status, active="apply", products=products, orders=orders, error=error, v=v, key=str(uuid.uuid4()))


def _offered_orders(form: Any) -> tuple[str, list[str]] | None:
    """The orders ticked on the form (``platform:order id``): one platform per application."""
    picked = [str(x) for x in form.getlist("orders") if isinstance(x, str) and ":" in x][:500]
    if not picked:
        return None
    platforms = {p.split(":", 1)[0] for p in picked}
    if len(platforms) != 1:
        raise ConsoleRefusal(422, N_("Invalid input"), N_("Offer the orders of one platform per application."))
    return platforms.pop(), [p.split(":", 1)[1] for p in picked]


@router.post("/apply", dependencies=[Depends(PORTAL)])
async def apply_submit(request: Request, ledger: LedgerDep) -> Response:
    """An application for the merchant, made once per form: the hidden key
    goes through the API's idempotency store (a double submit replays the
    first answer; the same key with other values is refused)."""
    session, form = await _post_form(request)
    key = _form_key(form)
    product, amount, tenor = str(form.get("product", "")), str(form.get("amount", "")).strip()[:40], str(form.get("tenor", "")).strip()[:6]
    values: dict[str, Any] = {"product": product, "amount": amount, "tenor": tenor, "orders": {str(x) for x in form.getlist("orders")}}
    product_id = _product_id(product)
    if product_id is None or not tenor.isdigit() or not amount:
        return await _apply_form(request, ledger, session, status=422, error=_t(request, "Choose a product and enter the amount and the tenor in days."), values=values)
    orders = _offered_orders(form)
    offered = None if orders is None else FA.OfferedOrders(orders[0], orders[1])

    async def handler(_key: str) -> Response:
        loan = await FA.apply(ledger, session.caller, customer_id=None, product_id=product_id, amount=amount, tenor_days=int(tenor), orders=offered)
        return Response(json.dumps({"id": str(loan["id"])}), status_code=201, media_type="application/json")

    answer = await run_idempotent(_keyed(request, f"portal:apply:{session.principal.actor}:{key}", form), session.principal, handler)
    body = json.loads(bytes(answer.body or b"{}"))
    if answer.status_code != 201:
        detail = body.get("detail") or body.get("title") or ""
        return await _apply_form(request, ledger, session, status=answer.status_code, error=f"{body.get('title', '')}: {detail}".strip(": "), values=values)
    return _redirect(request, f"loans/{body['id']}", "ok", _t(request, "Your application has been received."))


def _keyed(request: Request, key: str, form: Any) -> Request:
    """The request as the idempotency store reads it: the form's key as
    ``Idempotency-Key``, the body the form's values (the fingerprint: the
    same key with other values is refused)."""
    scope = dict(request.scope)
    scope["headers"] = [(k, v) for k, v in request.scope["headers"] if k.lower() != b"idempotency-key"] + [(b"idempotency-key", key.encode())]
    keyed = Request(scope, request.receive)
    keyed._body = urlencode(sorted((k, str(v)) for k, v in form.multi_items() if k != "csrf")).encode()
    return keyed


# -- loans ----------------------------------------------------------------------------------------------


@router.get("/loans", dependencies=[Depends(PORTAL)])
async def loans_page(request: Request, ledger: LedgerDep) -> Response:
    session = await _session(request)
    loans = await FA.list_loans(ledger, session.caller, limit=PAGE_ROWS)
    return _render(request, "portal_loans.html", active="loans", loans=list(reversed(loans)))


async def _schedule(ledger: Any, session: Session, loan: dict[str, Any]) -> dict[str, Any] | None:
    if loan["disbursed_on"] is None:
        return None
    try:
        return await FA.loan_schedule(ledger, session.caller, loan["id"])
    except LedgerError as exc:
        if exc.status == 404:  # disbursed before schedules were stored: the offer's schedule is shown
            return None
        raise


async def _statement_tail(ledger: Any, caller: FA.Caller, loan_id: UUID) -> tuple[dict[str, Any], list[dict[str, Any]], int]:
    """The loan, its latest ``PAGE_ROWS`` statement lines (the running balance
    counts every posting) and how many earlier lines are not shown."""
    lines: list[dict[str, Any]] = []
    after, seen, batch = None, 0, STATEMENT_BATCH
    while True:
        st = await S.statement(ledger, caller, loan_id, after=after, limit=batch)
        seen += len(st["lines"])
        lines = (lines + st["lines"])[-PAGE_ROWS:]
        if len(st["lines"]) < batch:
            return st["loan"], lines, seen - len(lines)
        after = (st["lines"][-1]["seq"], st["lines"][-1]["line_no"])


async def _loan_view(ledger: Any, session: Session, loan_id: UUID) -> dict[str, Any]:
    """Everything the loan page shows, from the self-service units of work."""
    caller = session.caller
    loan, lines, earlier = await _statement_tail(ledger, caller, loan_id)
    decision = loan.get("decision")
    return {
        "loan": loan, "cur": loan["currency"], "lines": lines, "earlier": earlier, "schedule": await _schedule(ledger, session, loan),
        "explanations": [e.model_dump() for e in _explanations(decision)] if decision else [],
        "next_due": S.next_due(loan, await S.repaid_minor(ledger, caller.institution_id, loan_id)),
    }


@router.get("/loans/{loan_id}", dependencies=[Depends(PORTAL)])
async def loan_page(request: Request, loan_id: str, ledger: LedgerDep) -> Response:
    session = await _session(request)
    view = await _loan_view(ledger, session, _loan_id(loan_id))
    return _render(request, "portal_loan.html", active="loans", **view)


async def _step(request: Request, loan_id: str, ledger: Any, step: str) -> Response:
    session, _form = await _post_form(request)
    lid = _loan_id(loan_id)
    try:
        if step == "accept":
            await S.accept(ledger, session.caller, lid)
        else:
            await S.decline(ledger, session.caller, lid)
    except LedgerError as exc:
        if exc.status == 404:
            raise
        # a double-submitted form: the first submission already did it
        if (await S.own_loan(ledger, session.caller, lid))["status"] != ("accepted" if step == "accept" else "offer_declined"):
            return _redirect(request, f"loans/{lid}", "error", _refusal_text(exc, _tr(request)))
    text = N_("You accepted the offer. The bank pays out the loan to your current account.") if step == "accept" else N_("You declined the offer.")
    return _redirect(request, f"loans/{lid}", "ok", _t(request, text))


@router.post("/loans/{loan_id}/accept", dependencies=[Depends(PORTAL)])
async def accept(request: Request, loan_id: str, ledger: LedgerDep) -> Response:
    return await _step(request, loan_id, ledger, "accept")


@router.post("/loans/{loan_id}/decline", dependencies=[Depends(PORTAL)])
async def decline(request: Request, loan_id: str, ledger: LedgerDep) -> Response:
    return await _step(request, loan_id, ledger, "decline")


# -- repaying ---------------------------------------------------------------------------------------------


async def _current_account(ledger: Any, session: Session, currency: str) -> dict[str, Any] | None:
    accounts = await S.customer_accounts(ledger, session.caller, limit=PAGE_ROWS)
    return next((a for a in accounts if a["kind"] == "current" and a["currency"] == currency and not a["closed"]), None)


@router.get("/loans/{loan_id}/repay", dependencies=[Depends(PORTAL)])
async def repay_page(request: Request, loan_id: str, ledger: LedgerDep) -> Response:
    session = await _session(request)
    lid = _loan_id(loan_id)
    loan = await S.own_loan(ledger, session.caller, lid)
    due = S.next_due(loan, await S.repaid_minor(ledger, session.caller.institution_id, lid))
    account = await _current_account(ledger, session, loan["currency"])
    amount = format_minor(min(due["amount_minor"], int(loan["outstanding_minor"])), loan["currency"]) if due else ""
    return _render(request, "portal_repay.html", active="loans", loan=loan, cur=loan["currency"], next_due=due, account=account, amount=amount, key=str(uuid.uuid4()))


@router.post("/loans/{loan_id}/repay", dependencies=[Depends(PORTAL)])
async def repay_submit(request: Request, loan_id: str, ledger: LedgerDep) -> Response:
    """A repayment from the merchant's own current account, today; the
    form's hidden key is the repayment's reference, so a double-submitted
    form posts once (the same key with another amount is refused)."""
    session, form = await _post_form(request)
    lid = _loan_id(loan_id)
    key = _form_key(form)
    amount = str(form.get("amount", "")).strip()[:40]
    try:
        loan = await S.repay(ledger, session.caller, lid, amount=amount, reference=f"portal:{key}"[:100])
    except LedgerError as exc:
        if exc.status == 404:
            raise
        return _redirect(request, f"loans/{lid}/repay", "error", _refusal_text(exc, _tr(request)))
    cur = loan["currency"]
    return _redirect(request, f"loans/{lid}", "ok", _t(request, "Repayment of %(amount)s %(currency)s received. Outstanding now %(outstanding)s %(currency)s.",
                                                        amount=money(_minor(amount, cur), cur), currency=cur, outstanding=money(int(loan["outstanding_minor"]), cur)))


def _minor(amount: str, currency: str) -> int:
    return parse_amount(amount, currency, field="amount")


# -- notifications ---------------------------------------------------------------------------------------------

#: what each notice says (its data fills the placeholders; amounts with separators)
NOTICE_TEXT = {
    "sme.offer_ready": N_("Your offer for loan %(loan)s is ready: principal %(currency)s %(principal)s, total repayable %(currency)s %(total_repayable)s, annualized cost %(apr)s%%. Accept or decline it on the loan's page."),
    "sme.payment_due": N_("Instalment %(instalment)s of loan %(loan)s, %(currency)s %(amount)s, is due on %(due_date)s."),
    "sme.overdue": N_("Loan %(loan)s is overdue: %(days_past_due)s day(s) past due, %(currency)s %(owed)s owed as of %(as_of)s."),
    "sme.margin_call": N_("Margin call on loan %(loan)s: the collateral no longer covers the loan; add collateral or repay %(currency)s %(shortfall)s by %(cure_by)s."),
}
NOTICE_TITLE = {"sme.offer_ready": N_("Offer ready"), "sme.payment_due": N_("Payment due"), "sme.overdue": N_("Overdue"), "sme.margin_call": N_("Margin call")}


def notice_text(notice: dict[str, Any], t: i18n.Gettext) -> str:
    """One notice as a sentence in the user's language."""
    data = dict(notice.get("data") or {})
    data.update(data.pop("margin_call", None) or {})
    cur = str(data.get("currency") or "")
    values: dict[str, Any] = {k: ("" if v is None else v) for k, v in data.items()}
    for key in ("principal", "total_repayable", "amount", "owed", "shortfall"):
        if data.get(key) and cur:
            values[key] = money(_minor(str(data[key]), cur), cur)
    values["loan"] = str(notice.get("loan_id") or data.get("loan_id") or "")[-8:]
    values["apr"] = data.get("annual_percentage_rate") or "-"
    template = NOTICE_TEXT.get(str(notice.get("kind")))
    if template is None:
        return str(notice.get("kind"))
    try:
        return t(template, **values)
    except (KeyError, ValueError, TypeError):  # a notice recorded with other data: its kind, never an error page
        return t(NOTICE_TITLE.get(str(notice.get("kind")), str(notice.get("kind"))))


@router.get("/notifications", dependencies=[Depends(PORTAL)])
async def notifications_page(request: Request, ledger: LedgerDep) -> Response:
    """The merchant's notices, newest first (also delivered to the bank by webhook)."""
    session = await _session(request)
    rows = await S.notifications(ledger, session.caller, limit=PAGE_ROWS)
    t = _tr(request)
    shown = [{"id": n["id"], "kind": n["kind"], "title": t(NOTICE_TITLE.get(n["kind"], n["kind"])), "text": notice_text(n, t), "loan_id": n["loan_id"], "created_at": n["created_at"]}
             for n in rows]
    return _render(request, "portal_notifications.html", active="notifications", notices=shown)


# -- documents -------------------------------------------------------------------------------------------------

@router.get("/documents", dependencies=[Depends(PORTAL)])
async def documents_page(request: Request, ledger: LedgerDep) -> Response:
    session = await _session(request)
    loans = [x for x in await FA.list_loans(ledger, session.caller, limit=PAGE_ROWS) if x.get("offer")]
    return _render(request, "portal_documents.html", active="documents", loans=list(reversed(loans)))


@router.get("/loans/{loan_id}/offer", dependencies=[Depends(PORTAL)])
async def offer_document(request: Request, loan_id: str, ledger: LedgerDep) -> Response:
    """The offer and its cost disclosure as a printable page."""
    session = await _session(request)
    loan = await S.own_loan(ledger, session.caller, _loan_id(loan_id))
    if not loan.get("offer"):
        raise ConsoleRefusal(404, N_("Not found"), N_("There is no such page or loan among yours."))
    return _render(request, "portal_offer_print.html", loan=loan, cur=loan["currency"], offer=loan["offer"])


@router.get("/loans/{loan_id}/schedule.csv", dependencies=[Depends(PORTAL)])
async def schedule_csv(request: Request, loan_id: str, ledger: LedgerDep) -> Response:
    """The loan's schedule (after disbursement: with what was paid; before: the offer's) as CSV
    in UTF-8 with a byte-order mark (Excel on a Chinese desktop reads it right); plain decimals."""
    session = await _session(request)
    loan = await S.own_loan(ledger, session.caller, _loan_id(loan_id))
    sched = await _schedule(ledger, session, loan)
    items = sched["instalments"] if sched else list((loan.get("offer") or {}).get("schedule") or [])
    if not items:
        raise ConsoleRefusal(404, N_("Not found"), N_("There is no such page or loan among yours."))
    cur, t = loan["currency"], _tr(request)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow([t("No."), t("Due date"), t("Currency"), t("Principal"), t("Interest"), t("Fee"), t("Total"), t("Paid"), t("Status")])
    for i in items:
        w.writerow([i.get("number"), str(i["due_date"]), cur, *(format_minor(int(i.get(k) or 0), cur) for k in ("principal_minor", "interest_minor", "fee_minor", "total_minor", "paid_minor")),
                    t(str(i.get("status") or "offered"))])
    filename = f"schedule-{loan['id']}.csv"
    return Response(("\ufeff" + out.getvalue()).encode("utf-8"), media_type="text/csv; charset=utf-8", headers={"Content-Disposition": f'attachment; filename="{filename}"'})


#: words shown from data (loan and instalment statuses, statement components, asset kinds)
DATA_WORDS = (
    N_("applied"), N_("declined"), N_("approved"), N_("offered"), N_("offer_declined"), N_("accepted"), N_("active"), N_("repaid"), N_("written_off"),
    N_("due"), N_("paid"), N_("overdue"), N_("partially_paid"), N_("principal"), N_("interest"), N_("fees"), N_("penalty"), N_("debit"), N_("credit"),
    N_("order"), N_("warehouse_receipt"), N_("insured_receivable"), N_("bullet"), N_("equal_principal"), N_("equal_instalment"),
    # the financing ledger's descriptions, as the statement shows them
    N_("loan disbursement"), N_("arrangement fee"), N_("interest accrual"), N_("penalty interest accrual"), N_("loan repayment (manual)"),
    N_("loan repayment (sweep)"), N_("loan write-off"),
)


@router.api_route("/{rest:path}", methods=["GET", "POST"], dependencies=[Depends(PUBLIC)])
async def not_found(request: Request, rest: str) -> Response:
    raise ConsoleRefusal(404, N_("Not found"), N_("There is no such page or loan among yours."))
