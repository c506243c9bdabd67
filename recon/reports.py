"""The report registry: every report the API, the CLI and the console offer.

A report is a :class:`ReportSpec`: a name, a title, declared parameters
(:class:`Param`, typed ``date`` / ``str`` / ``uuid`` / ``int``), the roles
that may run it, and ``run(env, institution_id, **params) -> Report``.
:func:`run_report` parses raw parameter values (text from a query string or
the command line, or typed values from Python), fills defaults, refuses
unknown or malformed ones (:class:`InvalidReportParameter`, 422) and runs
the report for one institution.  Another institution's ids behave as
unknown ids (404), as everywhere.

Every amount is an integer of minor units with the row's currency; sums
are integer sums (in SQL or in Python), never floats.  Rates are
``Decimal`` and shown as decimal strings.

Reports: ``trial_balance``, ``account_statement``, ``fx_position``,
``advance_aging``, ``loan_portfolio``, ``monitoring``.  Others register
theirs with :func:`register` (``recon_summary`` lands with the
reconciliation service).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

from sqlalchemy import select

from ledger import errors as E
from ledger.clock import business_today
from ledger.model import LedgerInfo
from ledger.money import currency as check_currency
from ledger.money import format_minor

from .report_registry import (
    DEFAULT_ROLES,
    MAX_DATE,
    MIN_DATE,
    PARAM_TYPES,
    REPORTS,
    InvalidReportParameter,
    Param,
    ReportEnv,
    ReportForbidden,
    ReportNotFound,
    ReportPeriodInverted,
    ReportSpec,
    get_report,
    register,
    run_report,
)
from .reporting import N_, Column, Report
from .summary_report import RECON_SUMMARY

__all__ = [
    "DEFAULT_ROLES", "MAX_DATE", "MIN_DATE", "PARAM_TYPES", "REPORTS", "InvalidReportParameter", "Param", "ReportEnv", "ReportForbidden",
    "ReportNotFound", "ReportPeriodInverted", "ReportSpec", "get_report", "register", "run_report",
]


# -- helpers ------------------------------------------------------------------------------


def _jsonable(params: dict[str, Any]) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, UUID) else v) for k, v in params.items()}


def _currency(report: str, param: str, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        check_currency(value)
    except E.UnknownCurrency:
        raise InvalidReportParameter(report, param, f"unknown currency {value!r}") from None
    return value


def _money(key: str, label: str, currency_key: str = "currency", *, values: tuple[tuple[str, Any], ...] = ()) -> Column:
    return Column(key, label, "money", currency_key, values)


async def _ledgers(env: ReportEnv, institution_id: UUID, ledger: str | None) -> list[LedgerInfo]:
    """The ledger named by code or id, or every ledger of the institution."""
    if ledger is None:
        return await env.ledger.list_ledgers(institution_id)
    try:
        lid = UUID(ledger)
    except ValueError:
        lid = None
    if lid is not None:
        return [await env.ledger.get_ledger(institution_id, lid)]
    found = await env.ledger.find_ledger(institution_id, ledger)
    if found is None:
        raise E.LedgerNotFound(ledger)
    return [found]


# -- trial balance ---------------------------------------------------------------------------


async def trial_balance(env: ReportEnv, institution_id: UUID, *, ledger: str | None = None, as_of_date: date | None = None) -> Report:
    """Per account: debits and credits posted (as of the end of a value date
    when given) and the balance on the debit or the credit side; totals per
    currency, where debits equal credits and the balances net to zero."""
    leds = await _ledgers(env, institution_id, ledger)
    rows: list[dict[str, Any]] = []
    totals: dict[str, list[int]] = {}
    for led in leds:
        tb = await env.ledger.trial_balance(institution_id, led.id, as_of_date=as_of_date)
        for line in tb.lines:
            net = line.debits - line.credits
            rows.append({
                "ledger": led.code, "account": line.code, "account_id": str(line.account_id), "type": line.type, "currency": line.currency,
                "debits": line.debits, "credits": line.credits, "balance_dr": net if net > 0 else 0, "balance_cr": -net if net < 0 else 0, "net": net,
            })
            t = totals.setdefault(line.currency, [0, 0, 0, 0])
            t[0] += line.debits
            t[1] += line.credits
            t[2] += net if net > 0 else 0
            t[3] += -net if net < 0 else 0
    rows.sort(key=lambda r: (r["ledger"], r["currency"], r["account"]))
    total_rows = []
    notes = []
    for cur in sorted(totals):
        d, c, bd, bc = totals[cur]
        total_rows.append({"ledger": "", "account": "total", "type": "", "currency": cur, "debits": d, "credits": c, "balance_dr": bd, "balance_cr": bc, "net": d - c})
        if d != c:
            notes.append(f"{cur} does not balance: debits - credits = {format_minor(d - c, cur)} {cur}")
    if not leds:
        notes.append("the institution has no ledger")
    return Report(
        "trial_balance", "Trial balance",
        [
            Column("ledger", "Ledger"), Column("account", "Account"), Column("type", "Type"), Column("currency", "Currency"),
            _money("debits", "Debits"), _money("credits", "Credits"), _money("balance_dr", "Debit balance"), _money("balance_cr", "Credit balance"),
            _money("net", "Net (Dr - Cr)"), Column("account_id", "Account id"),
        ],
        rows, params=_jsonable({"ledger": ledger, "as_of_date": as_of_date}), totals=total_rows, notes=notes,
    )


# -- account statement -----------------------------------------------------------------------


async def account_statement(
    env: ReportEnv, institution_id: UUID, *, account_id: UUID, date_from: date | None = None, date_to: date | None = None, max_rows: int = 10_000
) -> Report:
    """The posted lines of one account with value dates in [date_from,
    date_to], in value-date order (recorded order within a day), with the
    opening balance (end of the day before ``date_from``), the running
    balance on the account's normal side and the closing balance (end of
    ``date_to``).  The statement is read page by page to its end; at most
    ``max_rows`` lines are shown (the closing balance is then the ledger's)."""
    if date_from is not None and date_to is not None and date_to < date_from:
        raise ReportPeriodInverted("account_statement", "date_to", "is before date_from")
    acct = await env.ledger.get_account(institution_id, account_id)
    cur = acct.currency
    sign = 1 if acct.debit_normal else -1
    opening = 0
    if date_from is not None:
        opening = (await env.ledger.balance(institution_id, account_id, as_of_date=date_from - timedelta(days=1))).posted
    closing_balance = await (env.ledger.balance(institution_id, account_id, as_of_date=date_to) if date_to is not None
                             else env.ledger.balance(institution_id, account_id))
    ledger_closing = closing_balance.posted
    lines = []
    truncated = False
    cursor = None
    while True:
        page = await env.ledger.statement(institution_id, account_id, cursor=cursor, limit=1000)
        for x in page.lines:
            if (date_from is None or x.effective_date >= date_from) and (date_to is None or x.effective_date <= date_to):
                lines.append(x)
        if len(lines) > max_rows:
            truncated = True
            lines = lines[:max_rows]
            break
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    lines.sort(key=lambda x: (x.effective_date, x.account_version, x.line_no))
    running = opening
    total_dr = total_cr = 0
    rows: list[dict[str, Any]] = [{"date": date_from, "description": "opening balance", "currency": cur, "balance": opening}]
    for x in lines:
        running += sign * x.amount
        dr, cr = (x.amount, 0) if x.amount > 0 else (0, -x.amount)
        total_dr += dr
        total_cr += cr
        rows.append({
            "date": x.effective_date, "recorded_at": x.recorded_at, "kind": x.kind, "description": x.description, "currency": cur,
            "debit": dr or None, "credit": cr or None, "balance": running, "transaction_id": str(x.transaction_id),
        })
    notes = []
    closing = running
    if truncated:
        notes.append(f"more than {max_rows} lines: the statement shows the first {max_rows} in recorded order; the closing balance is the ledger's")
        closing = ledger_closing
    elif closing != ledger_closing:  # pragma: no cover - the ledger's invariant
        notes.append(f"the lines add up to {closing} but the ledger says {ledger_closing}")
    totals = [{"date": date_to, "description": "closing balance", "currency": cur, "debit": total_dr, "credit": total_cr, "balance": closing}]
    return Report(
        "account_statement", f"Statement of account {acct.code} ({cur})",
        [
            Column("date", "Value date", "date"), Column("recorded_at", "Recorded at", "date"), Column("kind", "Kind"), Column("description", "Description"),
            Column("currency", "Currency"), _money("debit", "Debit"), _money("credit", "Credit"), _money("balance", "Balance"),
            Column("transaction_id", "Transaction id"),
        ],
        rows,
        params=_jsonable({"account_id": account_id, "account": acct.code, "account_type": acct.type, "date_from": date_from, "date_to": date_to, "max_rows": max_rows}),
        totals=totals, notes=notes,
    )


# -- FX position -------------------------------------------------------------------------------


async def _assets_and_liabilities(env: ReportEnv, institution_id: UUID, as_of_date: date | None) -> dict[str, list[int]]:
    """currency -> [asset balances, liability balances] over every ledger."""
    per: dict[str, list[int]] = {}
    for led in await env.ledger.list_ledgers(institution_id):
        tb = await env.ledger.trial_balance(institution_id, led.id, as_of_date=as_of_date)
        for line in tb.lines:
            if line.type not in ("asset", "liability"):
                continue
            p = per.setdefault(line.currency, [0, 0])
            if line.type == "asset":
                p[0] += line.debits - line.credits
            else:
                p[1] += line.credits - line.debits
    return per


async def fx_position(env: ReportEnv, institution_id: UUID, *, base_currency: str = "CNY", as_of_date: date | None = None) -> Report:
    """Net open position per currency over every ledger of the institution:
    asset balances less liability balances (as of the end of a value date
    when given), with its equivalent in ``base_currency`` at the mid rate
    of the settlement rate service on that date (default today, China
    Standard Time), rounded half-up to the base currency's minor unit."""
    from settlement.rates import RateUnavailable, convert

    _currency("fx_position", "base_currency", base_currency)
    per = await _assets_and_liabilities(env, institution_id, as_of_date)
    on = as_of_date or business_today()
    rows = []
    notes = []
    total_base = 0
    missing: list[str] = []
    rounding = None
    for cur in sorted(per):
        assets, liabilities = per[cur]
        if assets == 0 and liabilities == 0:
            continue
        net = assets - liabilities
        row: dict[str, Any] = {"currency": cur, "assets": assets, "liabilities": liabilities, "net": net, "position": "long" if net > 0 else "short" if net < 0 else "flat", "base_currency": base_currency}
        rate = None
        rate_value: Decimal | None
        rate_date: date | None
        if cur == base_currency:
            rate_value, rate_date = Decimal(1), on
        elif env.rates is None:
            rate_value = rate_date = None
        else:
            try:
                rate = await env.rates.mid(institution_id, cur, base_currency, on)
                rate_value, rate_date = rate.value, rate.as_of
            except RateUnavailable:
                rate_value = rate_date = None
        if rate_value is None:
            row["note"] = f"no {cur}/{base_currency} rate on {on}"
            missing.append(cur)
        else:
            if rate is None:
                equivalent = net
            else:
                if rounding is None:
                    rounding = (await env.settlement_config(institution_id)).rounding
                equivalent = convert(net, cur, base_currency, rate, rounding)
            row.update(rate=format(rate_value, "f"), rate_date=rate_date, equivalent=equivalent)
            total_base += equivalent
        rows.append(row)
    totals = [{"currency": base_currency, "base_currency": base_currency, "position": "total", "equivalent": total_base}] if rows else []
    if missing:
        notes.append(f"no rate to {base_currency} for {', '.join(missing)}: left out of the total equivalent")
    notes.append("net = asset balances - liability balances of every ledger, per currency (long when positive)")
    return Report(
        "fx_position", N_("FX position (base %(currency)s)"),
        [
            Column("currency", "Currency"), _money("assets", "Assets"), _money("liabilities", "Liabilities"), _money("net", "Net position"),
            Column("position", "Long/short"), Column("rate", "Mid rate to %(currency)s", "rate", values=(("currency", base_currency),)), Column("rate_date", "Rate date", "date"),
            _money("equivalent", "Equivalent (%(currency)s)", "base_currency", values=(("currency", base_currency),)), Column("note", "Note"),
        ],
        rows, params=_jsonable({"base_currency": base_currency, "as_of_date": as_of_date, "rate_date": on}), totals=totals, notes=notes,
        title_values={"currency": base_currency},
    )


# -- advance aging ----------------------------------------------------------------------------


async def advance_aging_report(
    env: ReportEnv, institution_id: UUID, *, as_of_date: date | None = None, merchant_ref: str | None = None, currency: str | None = None
) -> Report:
    """Outstanding advances (S4) per merchant and currency in the aging
    buckets settlement defines (0-30, 31-90, 91-180, 181-365, >365 days by
    default, or the institution's), with the advances outstanding longer
    than the flag period; totals per currency."""
    from settlement.advances import advance_aging

    _currency("advance_aging", "currency", currency)
    cfg = await env.settlement_config(institution_id)
    aging = await advance_aging(env.ledger, institution_id, as_of=as_of_date, merchant_ref=merchant_ref, currency=currency, config=cfg)
    keys = [f"bucket_{i}" for i in range(len(aging.bucket_labels))]
    per: dict[tuple[str, str], dict[str, Any]] = {}
    for item in aging.items:
        if item.outstanding_minor <= 0:
            continue
        adv = item.advance
        row = per.setdefault((adv.merchant_ref, adv.currency), {"merchant_ref": adv.merchant_ref, "currency": adv.currency, "advances": 0, "outstanding": 0, "flagged": 0, "flagged_outstanding": 0, **{k: 0 for k in keys}})
        row["advances"] += 1
        row["outstanding"] += item.outstanding_minor
        row[keys[aging.bucket_labels.index(cast(str, item.bucket))]] += item.outstanding_minor
        if item.flagged:
            row["flagged"] += 1
            row["flagged_outstanding"] += item.outstanding_minor
    rows = [per[k] for k in sorted(per)]
    totals = []
    notes = []
    for cur in sorted({b.currency for b in aging.buckets}):
        t: dict[str, Any] = {"merchant_ref": "total", "currency": cur, "advances": 0, "outstanding": 0, "flagged": 0, "flagged_outstanding": aging.flagged_minor.get(cur, 0)}
        for b in aging.buckets:
            if b.currency == cur:
                k = keys[aging.bucket_labels.index(b.bucket)]
                t[k] = b.outstanding_minor
                t["advances"] += b.count
                t["outstanding"] += b.outstanding_minor
        t["flagged"] = sum(r["flagged"] for r in rows if r["currency"] == cur)
        if t["outstanding"] != sum(r["outstanding"] for r in rows if r["currency"] == cur):  # pragma: no cover - one source
            notes.append(f"{cur}: merchant rows do not add up to the bucket totals")
        totals.append(t)
    notes.append(f"flagged: outstanding longer than {cfg.advance_flag_months} calendar months on {aging.as_of}")
    return Report(
        "advance_aging", N_("Advance aging as of %(date)s"),
        [
            Column("merchant_ref", "Merchant"), Column("currency", "Currency"), Column("advances", "Advances", "int"),
            *[_money(k, "%(bucket)s days", values=(("bucket", label),)) for k, label in zip(keys, aging.bucket_labels, strict=True)],
            _money("outstanding", "Outstanding"), Column("flagged", "Flagged", "int"), _money("flagged_outstanding", "Flagged outstanding"),
        ],
        rows, params=_jsonable({"as_of_date": aging.as_of, "merchant_ref": merchant_ref, "currency": currency}), totals=totals, notes=notes,
        title_values={"date": aging.as_of.isoformat()},
    )


# -- loan portfolio ------------------------------------------------------------------------------


async def loan_portfolio(env: ReportEnv, institution_id: UUID, *, currency: str | None = None) -> Report:
    """Active loans per currency and days-past-due bucket (current, 1-30,
    31-60, 61-90, 90+: the buckets the accrual job keeps on each loan), with
    the count and the outstanding principal, interest, fees and penalty;
    totals per currency with the non-performing amount and ratio as
    ``financing.loans.portfolio`` computes them."""
    from financing.loans import ACTIVE, portfolio
    from financing.products import COMPONENTS, DEFAULT_BUCKETS
    from financing.tables_loans import financing_loans
    from ledger.schema import accounts

    _currency("loan_portfolio", "currency", currency)
    pf = await portfolio(env.ledger, institution_id)
    async with env.db.connect() as conn:
        loans = (
            await conn.execute(
                select(financing_loans.c.id, financing_loans.c.currency, financing_loans.c.bucket, financing_loans.c.accounts).where(
                    financing_loans.c.institution_id == institution_id, financing_loans.c.status.in_(ACTIVE)
                )
            )
        ).all()
        ids = [UUID(str(v)) for row in loans for v in (row.accounts or {}).values()]
        balances: dict[UUID, int] = {}
        for i in range(0, len(ids), 2000):
            q = select(accounts.c.id, accounts.c.debits_posted, accounts.c.credits_posted).where(accounts.c.institution_id == institution_id, accounts.c.id.in_(ids[i : i + 2000]))
            for a in await conn.execute(q):
                balances[a.id] = int(a.debits_posted) - int(a.credits_posted)
    order = ["current", *[b[0] for b in DEFAULT_BUCKETS]]
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for row in loans:
        if currency is not None and row.currency != currency:
            continue
        name = row.bucket or "current"
        if name not in order:
            order.append(name)
        cell = cells.setdefault((row.currency, name), {"loans": 0, **{c: 0 for c in COMPONENTS}})
        cell["loans"] += 1
        for comp, acct in (row.accounts or {}).items():
            cell[comp] = cell.get(comp, 0) + balances.get(UUID(str(acct)), 0)
    currencies = sorted({c for c, _ in cells})
    rows, totals, notes = [], [], []
    for cur in currencies:
        t = {"currency": cur, "bucket": "total", "loans": 0, "outstanding": 0, **{c: 0 for c in COMPONENTS}}
        for name in order:
            cell = cells.get((cur, name), {"loans": 0, **{c: 0 for c in COMPONENTS}})
            outstanding = sum(cell[c] for c in COMPONENTS)
            rows.append({"currency": cur, "bucket": name, "loans": cell["loans"], **{c: cell[c] for c in COMPONENTS}, "outstanding": outstanding})
            t["loans"] += cell["loans"]
            t["outstanding"] += outstanding
            for c in COMPONENTS:
                t[c] += cell[c]
            src = pf["buckets"].get(cur, {}).get(name)
            if src is not None and (src["loans"], src["outstanding_minor"]) != (cell["loans"], outstanding):  # pragma: no cover - one source
                notes.append(f"{cur} {name}: the portfolio says {src['loans']} loans, {format_minor(int(src['outstanding_minor']), cur)} {cur} outstanding")
        t["npl"] = pf["npl_minor"].get(cur, 0)
        t["npl_ratio"] = pf["npl_ratio"].get(cur, Decimal(0)) * 100
        totals.append(t)
    notes.append("NPL: outstanding in the buckets each product counts as non-performing (90+ by default); ratio in percent of outstanding")
    return Report(
        "loan_portfolio", N_("Loan portfolio by days past due"),
        [
            Column("currency", "Currency"), Column("bucket", "DPD bucket"), Column("loans", "Loans", "int"),
            _money("principal", "Principal"), _money("interest", "Interest"), _money("fees", "Fees"), _money("penalty", "Penalty"),
            _money("outstanding", "Outstanding"), _money("npl", "Non-performing"), Column("npl_ratio", "NPL %", "percent"),
        ],
        rows, params=_jsonable({"currency": currency}), totals=totals, notes=notes,
    )


# -- monitoring (S9) ------------------------------------------------------------------------------

MONITORING_DIMENSIONS = ("customs_mode", "destination_country", "merchant_kind")


#: the payments' column behind each monitoring dimension (payments have no customs mode)
_PAYMENT_DIMENSION = {"destination_country": "beneficiary_country", "merchant_kind": "merchant_kind"}
_PAYMENT_CELLS = {"payments": 0, "paid": 0, "paid_usd_equivalent": 0}
_RECEIPT_CELLS = {"receipts": 0, "gross": 0, "fees": 0, "net": 0, "usd_equivalent": 0}


async def _monitoring_cells(conn: Any, institution_id: UUID, date_from: date, date_to: date, dim: str | None) -> dict[tuple[str, str], dict[str, Any]]:
    """Receipts and outward payments of one dimension (None: the totals), by (value, currency)."""
    from settlement.monitoring import payment_statistics, receipt_statistics

    cells: dict[tuple[str, str], dict[str, Any]] = {}

    def cell(value: str | None, currency: str) -> dict[str, Any]:
        return cells.setdefault((value or "", currency), {**_RECEIPT_CELLS, **_PAYMENT_CELLS})

    for s in await receipt_statistics(conn, institution_id, date_from, date_to, () if dim is None else (dim,)):
        cell(s.key.get(dim) if dim else "", s.currency).update(receipts=s.count, gross=s.gross_minor, fees=s.fees_minor, net=s.net_minor, usd_equivalent=s.usd_equivalent_minor)
    pdim = None if dim is None else _PAYMENT_DIMENSION.get(dim)
    if dim is None or pdim is not None:
        for p in await payment_statistics(conn, institution_id, date_from, date_to, () if pdim is None else (pdim,)):
            cell(p.key.get(pdim) if pdim else "", p.currency).update(payments=p.count, paid=p.amount_minor, paid_usd_equivalent=p.usd_equivalent_minor)
    return dict(sorted(cells.items()))


async def monitoring(env: ReportEnv, institution_id: UUID, *, date_from: date | None = None, date_to: date | None = None, by: str = "all") -> Report:
    """Receipts and outward payments with value dates in [date_from,
    date_to] (default: the month to date, China Standard Time) by customs
    mode, destination country and merchant kind (or one of them), per
    currency: receipts' count, gross, the overseas fees netted, net and the
    USD equivalent; payments' count, amount and USD equivalent (by the
    beneficiary's country; payments have no customs mode); totals per currency."""
    date_to = date_to or business_today()
    date_from = date_from or date_to.replace(day=1)
    if date_to < date_from:
        raise ReportPeriodInverted("monitoring", "date_to", "is before date_from")
    dims = MONITORING_DIMENSIONS if by == "all" else (by,)
    rows = []
    async with env.db.connect() as conn:
        for dim in dims:
            for (value, cur), c in (await _monitoring_cells(conn, institution_id, date_from, date_to, dim)).items():
                rows.append({"dimension": dim, "value": value, "currency": cur, **c, "usd": "USD"})
        totals = [
            {"dimension": "total", "value": "", "currency": cur, **c, "usd": "USD"}
            for (_v, cur), c in (await _monitoring_cells(conn, institution_id, date_from, date_to, None)).items()
        ]
    return Report(
        "monitoring", N_("Monitoring statistics %(date_from)s to %(date_to)s"),
        [
            Column("dimension", "Dimension"), Column("value", "Value"), Column("currency", "Currency"), Column("receipts", "Receipts", "int"),
            _money("gross", "Gross"), _money("fees", "Fees netted"), _money("net", "Net"), _money("usd_equivalent", "USD equivalent", "usd"),
            Column("payments", "Payments", "int"), _money("paid", "Paid abroad"), _money("paid_usd_equivalent", "Paid, USD equivalent", "usd"),
        ],
        rows, params={"date_from": date_from, "date_to": date_to, "by": by}, totals=totals,
        notes=["receipts and outward payments by value date; payments by the beneficiary's country, none by customs mode; each dimension adds up to the totals of its currency"],
        title_values={"date_from": str(date_from), "date_to": str(date_to)},
    )


# -- the built-in reports --------------------------------------------------------------------------

register(ReportSpec(
    "trial_balance", "Trial balance",
    [
        Param("ledger", "str", help="ledger code or id (default: every ledger of the institution)"),
        Param("as_of_date", "date", help="as of the end of this value date (default: now)"),
    ],
    trial_balance, description="Debits, credits and balance per account; totals per currency net to zero.",
))
register(ReportSpec(
    "account_statement", "Account statement",
    [
        Param("account_id", "uuid", required=True, help="the account"),
        Param("date_from", "date", help="first value date (default: the first line)"),
        Param("date_to", "date", help="last value date (default: the last line)"),
        Param("max_rows", "int", default=10_000, help="most lines shown", minimum=1, maximum=100_000),
    ],
    account_statement, description="Opening balance, lines with running balance, closing balance.",
))
register(ReportSpec(
    "fx_position", "FX position",
    [
        Param("base_currency", "str", default="CNY", help="currency of the equivalents"),
        Param("as_of_date", "date", help="balances as of the end of this value date and the rate of that day (default: now, today's rate)"),
    ],
    fx_position, description="Assets less liabilities per currency, with the base-currency equivalent at the mid rate.",
))
register(ReportSpec(
    "advance_aging", "Advance aging",
    [
        Param("as_of_date", "date", help="aging date (default: today, China Standard Time)"),
        Param("merchant_ref", "str", help="one merchant"),
        Param("currency", "str", help="one currency"),
    ],
    advance_aging_report, description="Outstanding advances of overseas fees per merchant in aging buckets, with the 12-month flag.",
))
register(ReportSpec(
    "loan_portfolio", "Loan portfolio",
    [Param("currency", "str", help="one currency")],
    loan_portfolio, description="Active loans by days-past-due bucket: count, principal, interest, fees, penalty; NPL per currency.",
))
register(ReportSpec(
    "monitoring", "Monitoring statistics",
    [
        Param("date_from", "date", help="first value date (default: the first day of date_to's month)"),
        Param("date_to", "date", help="last value date (default: today, China Standard Time)"),
        Param("by", "str", default="all", choices=(*MONITORING_DIMENSIONS, "all"), help="dimension (default: all three)"),
    ],
    monitoring, description="Receipts and outward payments by customs mode, destination country and merchant kind: gross, net and paid per currency (S9).",
))


# reconciliation summary (its own module: it reads recon.service)
register(RECON_SUMMARY)
