"""Reports at the library level (recon/reports.py), on SQLite and PostgreSQL:
each report's numbers after known postings, receipts, conversions, advances
and loans; parameters parsed and refused; another institution's ids unknown."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest

from financing import loans as L
from ledger import errors as E
from ledger.model import NewTransaction, Posting
from recon.reports import REPORTS, InvalidReportParameter, ReportEnv, ReportForbidden, ReportNotFound, run_report
from settlement.advances import record_advance
from settlement.conversions import ConversionIn
from settlement.receipts import ReceiptIn
from tests.financing.conftest import usd_order_product  # noqa: F401 - fixture
from tests.settlement.conftest import bank, stl, today_cst  # noqa: F401 - fixtures
from tests.settlement.helpers import merchant
from tests.support.books import make_book


@pytest.fixture
def env(stl):
    return ReportEnv(stl.ledger, stl.ledger.engine, stl)


def _by(rows, *keys):
    """Rows by the value of one key, or by a tuple of several."""
    return {(r[keys[0]] if len(keys) == 1 else tuple(r[k] for k in keys)): r for r in rows}


def test_the_registry_declares_the_six_reports_with_typed_params():
    assert {"trial_balance", "account_statement", "fx_position", "advance_aging", "loan_portfolio", "monitoring"} <= set(REPORTS)
    assert "recon_summary" not in REPORTS or REPORTS["recon_summary"].name == "recon_summary"
    stmt = REPORTS["account_statement"]
    assert [(p.name, p.type, p.required) for p in stmt.params] == [("account_id", "uuid", True), ("date_from", "date", False), ("date_to", "date", False), ("max_rows", "int", False)]
    for spec in REPORTS.values():
        assert "sme" not in spec.roles and "platform" not in spec.roles


# -- trial balance ------------------------------------------------------------------------


async def test_trial_balance_per_account_with_totals_per_currency_that_net_to_zero(ledger):
    b = await make_book(ledger)
    await b.post("bank_usd", "merchant_usd", 100_000)  # receipt 1,000.00
    await b.post("merchant_usd", "fees", 2_500)  # fee 25.00
    await b.post("bank_usd", "equity_usd", 7_00)
    await ledger.post(b.institution_id, NewTransaction(b.ledger_id, [Posting(b["bank_cny"], 710_000, "debit"), Posting(b["merchant_cny"], 710_000, "credit")]))
    env = ReportEnv(ledger)
    rep = await run_report(env, b.institution_id, "trial_balance", {"ledger": "main"})
    rows = _by(rep.rows, "account")
    assert (rows["bank_usd"]["debits"], rows["bank_usd"]["credits"], rows["bank_usd"]["balance_dr"], rows["bank_usd"]["balance_cr"]) == (100_700, 0, 100_700, 0)
    assert (rows["merchant_usd"]["debits"], rows["merchant_usd"]["credits"], rows["merchant_usd"]["balance_cr"], rows["merchant_usd"]["net"]) == (2_500, 100_000, 97_500, -97_500)
    assert (rows["fees"]["balance_cr"], rows["equity_usd"]["balance_cr"], rows["bank_cny"]["balance_dr"], rows["merchant_cny"]["balance_cr"]) == (2_500, 700, 710_000, 710_000)
    assert rows["merchant2_usd"]["debits"] == rows["merchant2_usd"]["credits"] == 0
    totals = _by(rep.totals, "currency")
    assert (totals["USD"]["debits"], totals["USD"]["credits"], totals["USD"]["balance_dr"], totals["USD"]["balance_cr"], totals["USD"]["net"]) == (103_200, 103_200, 100_700, 100_700, 0)
    assert (totals["CNY"]["debits"], totals["CNY"]["credits"], totals["CNY"]["net"]) == (710_000, 710_000, 0)
    assert rep.notes == []
    # the rendering: decimal strings with the currency's decimals
    d = rep.to_dict()
    assert _by(d["rows"], "account")["bank_usd"]["debits"] == "1007.00"
    # by id, all ledgers, and as of a value date before everything
    by_id = await run_report(env, b.institution_id, "trial_balance", {"ledger": str(b.ledger_id)})
    assert by_id.totals == rep.totals
    assert (await run_report(env, b.institution_id, "trial_balance", {})).totals == rep.totals
    early = await run_report(env, b.institution_id, "trial_balance", {"as_of_date": "2000-01-01"})
    assert all(t["debits"] == t["credits"] == 0 for t in early.totals)


async def test_another_institutions_ledger_and_account_are_not_found(ledger):
    a = await make_book(ledger)
    other = await make_book(ledger)
    env = ReportEnv(ledger)
    with pytest.raises(E.LedgerNotFound):
        await run_report(env, a.institution_id, "trial_balance", {"ledger": str(other.ledger_id)})
    with pytest.raises(E.LedgerNotFound):
        await run_report(env, a.institution_id, "trial_balance", {"ledger": "nope"})
    with pytest.raises(E.AccountNotFound):
        await run_report(env, a.institution_id, "account_statement", {"account_id": str(other["bank_usd"])})


async def test_parameters_are_typed_and_refused_with_the_parameter_named(ledger):
    b = await make_book(ledger)
    env = ReportEnv(ledger)
    with pytest.raises(ReportNotFound):
        await run_report(env, b.institution_id, "nope", {})
    cases = [
        ("account_statement", {}, "account_id"),
        ("account_statement", {"account_id": "not-a-uuid"}, "account_id"),
        ("account_statement", {"account_id": str(b["bank_usd"]), "max_rows": "0"}, "max_rows"),
        ("account_statement", {"account_id": str(b["bank_usd"]), "max_rows": "1.5"}, "max_rows"),
        ("account_statement", {"account_id": str(b["bank_usd"]), "date_from": "2026-02-30"}, "date_from"),
        ("account_statement", {"account_id": str(b["bank_usd"]), "date_from": "2026-03-02", "date_to": "2026-03-01"}, "date_to"),
        ("trial_balance", {"as_of_date": "0001-01-01"}, "as_of_date"),
        ("trial_balance", {"colour": "red"}, "colour"),
        ("monitoring", {"by": "planet"}, "by"),
        ("fx_position", {"base_currency": "XXX"}, "base_currency"),
        ("advance_aging", {"currency": "usd"}, "currency"),
        ("loan_portfolio", {"currency": "ZZZ"}, "currency"),
    ]
    for name, params, bad in cases:
        with pytest.raises(InvalidReportParameter) as info:
            await run_report(env, b.institution_id, name, params)
        assert info.value.details["param"] == bad and info.value.status == 422, (name, params)
    with pytest.raises(ReportForbidden):
        await run_report(env, b.institution_id, "trial_balance", {}, role="sme")


# -- account statement --------------------------------------------------------------------


async def test_statement_opening_running_and_closing_balance_in_value_date_order(ledger):
    b = await make_book(ledger)
    d1, d2, d3, d4 = date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)
    await b.post("bank_usd", "merchant_usd", 100_00, effective_date=d1)
    await b.post("merchant_usd", "bank_usd", 30_00, effective_date=d3)
    await b.post("bank_usd", "merchant_usd", 50_00, effective_date=d2)  # recorded after d3's, back-valued
    await b.post("bank_usd", "merchant_usd", 20_00, effective_date=d4)
    env = ReportEnv(ledger)
    rep = await run_report(env, b.institution_id, "account_statement", {"account_id": str(b["bank_usd"]), "date_from": "2026-03-02", "date_to": "2026-03-03"})
    assert rep.rows[0]["description"] == "opening balance" and rep.rows[0]["balance"] == 100_00
    lines = rep.rows[1:]
    assert [(x["date"], x["debit"], x["credit"], x["balance"]) for x in lines] == [(d2, 50_00, None, 150_00), (d3, None, 30_00, 120_00)]
    assert (rep.totals[0]["debit"], rep.totals[0]["credit"], rep.totals[0]["balance"]) == (50_00, 30_00, 120_00)
    assert rep.notes == []
    # a liability: the balance on its credit side; the whole history with pages of the cursor
    many = await run_report(env, b.institution_id, "account_statement", {"account_id": str(b["merchant_usd"])})
    assert [x["balance"] for x in many.rows[1:]] == [100_00, 150_00, 120_00, 140_00]
    assert many.totals[0]["balance"] == 140_00
    capped = await run_report(env, b.institution_id, "account_statement", {"account_id": str(b["merchant_usd"]), "max_rows": 2})
    assert len(capped.rows) == 3 and capped.totals[0]["balance"] == 140_00 and "more than 2 lines" in capped.notes[0]


async def test_statement_pages_through_more_than_one_page_of_the_cursor(ledger):
    b = await make_book(ledger)
    items = [b.tx("bank_usd", "merchant_usd", n + 1, effective_date=date(2026, 1, 1)) for n in range(1_205)]
    results = await ledger.post_batch(b.institution_id, items)
    assert all(r.ok for r in results)
    rep = await run_report(ReportEnv(ledger), b.institution_id, "account_statement", {"account_id": str(b["bank_usd"])})
    assert len(rep.rows) == 1 + 1_205
    assert rep.totals[0]["balance"] == sum(range(1, 1_206)) == rep.rows[-1]["balance"]


# -- FX position ---------------------------------------------------------------------------


async def test_fx_position_after_a_usd_receipt_and_a_conversion_with_cny_equivalents(stl, bank, env):
    m = await merchant(stl, bank, ref="M1")
    out = await stl.receipts.post_receipt(bank, ReceiptIn(customer_id=m.id, currency="USD", gross_minor=100_000, net_minor=98_000, customs_mode="9610", destination_country="US", external_ref="r-1", fees={"logistics": 2_000}))
    assert out["status"] == "credited"
    conv = await stl.conversions.convert(bank, ConversionIn(customer_id=m.id, direction="settle", currency="USD", amount_minor=50_000, external_ref="c-1"))
    # buy rate 7.1000 x (1 - 50 bp) = 7.0645: USD 500.00 -> CNY 3,532.25
    assert conv["cny_minor"] == 353_225
    # a JPY position without any JPY rate
    led = await stl.ledger.create_ledger(bank, "treasury")
    jpy = await stl.ledger.create_account(bank, led.id, "cash-jpy", "JPY", "asset")
    cap = await stl.ledger.create_account(bank, led.id, "capital-jpy", "JPY", "equity")
    await stl.ledger.post(bank, NewTransaction(led.id, [Posting(jpy.id, 5_000, "debit"), Posting(cap.id, 5_000, "credit")]))

    rep = await run_report(env, bank, "fx_position", {})
    rows = _by(rep.rows, "currency")
    usd, cny, yen = rows["USD"], rows["CNY"], rows["JPY"]
    # USD: nostro 980.00 in, customer keeps 480.00 after converting 500.00: long 500.00
    assert (usd["assets"], usd["liabilities"], usd["net"], usd["position"]) == (98_000, 48_000, 50_000, "long")
    assert (usd["rate"], usd["equivalent"]) == ("7.1000", 355_000)
    # CNY: the customer's 3,532.25: short
    assert (cny["assets"], cny["liabilities"], cny["net"], cny["position"], cny["rate"], cny["equivalent"]) == (0, 353_225, -353_225, "short", "1", -353_225)
    assert (yen["net"], yen.get("equivalent"), yen["note"]) == (5_000, None, f"no JPY/CNY rate on {today_cst()}")
    # the total equivalent is the spread earned: 3,550.00 - 3,532.25 = 17.75
    assert rep.totals[0]["equivalent"] == 1_775 and rep.totals[0]["currency"] == "CNY"
    assert any("JPY" in n for n in rep.notes)
    d = rep.to_dict()
    assert _by(d["rows"], "currency")["USD"]["equivalent"] == "3550.00" and _by(d["rows"], "currency")["JPY"]["equivalent"] is None
    # in another base: USD, CNY converted at the inverse of 7.1 (12 significant digits), rounded to cents
    usd_base = await run_report(env, bank, "fx_position", {"base_currency": "USD"})
    rows = _by(usd_base.rows, "currency")
    assert rows["USD"]["equivalent"] == 50_000
    assert rows["CNY"]["equivalent"] == -49_750  # -3,532.25 / 7.1 = -497.50
    assert usd_base.totals[0]["equivalent"] == 250


# -- advance aging -------------------------------------------------------------------------


async def test_advance_aging_buckets_per_merchant_with_known_ages(stl, bank, env):
    today = today_cst()
    for ref, days, amount in (("M1", 10, 10_000), ("M1", 45, 20_000), ("M1", 400, 30_000), ("M2", 100, 40_000)):
        await record_advance(stl.ledger, bank, merchant_ref=ref, provider_ref="LOG1", kind="logistics", currency="USD", amount_minor=amount, advance_date=today - timedelta(days=days))
    rep = await run_report(env, bank, "advance_aging", {"as_of_date": today.isoformat()})
    labels = [c.text for c in rep.columns if c.key.startswith("bucket_")]
    assert labels == ["0-30 days", "31-90 days", "91-180 days", "181-365 days", ">365 days"]
    rows = _by(rep.rows, "merchant_ref")
    m1, m2 = rows["M1"], rows["M2"]
    assert [m1[f"bucket_{i}"] for i in range(5)] == [10_000, 20_000, 0, 0, 30_000]
    assert (m1["advances"], m1["outstanding"], m1["flagged"], m1["flagged_outstanding"]) == (3, 60_000, 1, 30_000)
    assert [m2[f"bucket_{i}"] for i in range(5)] == [0, 0, 40_000, 0, 0]
    (t,) = rep.totals
    assert [t[f"bucket_{i}"] for i in range(5)] == [10_000, 20_000, 40_000, 0, 30_000]
    assert (t["currency"], t["advances"], t["outstanding"], t["flagged"], t["flagged_outstanding"]) == ("USD", 4, 100_000, 1, 30_000)
    # 50 days earlier: the 10- and 45-day advances did not exist yet; the 100-day one was 50 days old
    earlier = await run_report(env, bank, "advance_aging", {"as_of_date": (today - timedelta(days=50)).isoformat()})
    (t,) = earlier.totals
    assert [t[f"bucket_{i}"] for i in range(5)] == [0, 40_000, 0, 30_000, 0]
    only_m2 = await run_report(env, bank, "advance_aging", {"merchant_ref": "M2"})
    assert [r["merchant_ref"] for r in only_m2.rows] == ["M2"] and only_m2.totals[0]["outstanding"] == 40_000


# -- loan portfolio -------------------------------------------------------------------------


async def _active_loan(stl, bank, product, customer_id, *, on, amount, tenor):
    lg = stl.ledger
    loan = await L.apply(lg, bank, customer_id=customer_id, product_id=product.id, requested_minor=amount, tenor_days=tenor, asset_refs=[f"order:{amount}"], limit_minor=amount)
    await L.decide(lg, bank, loan["id"], approve=True, reasons=["score_ok"], inputs={"score": 712})
    await L.make_offer(lg, bank, loan["id"], start=on)
    await L.accept(lg, bank, loan["id"])
    return await L.disburse(lg, bank, loan["id"], on=on)


async def test_loan_portfolio_puts_a_loan_45_days_past_due_in_31_60(stl, bank, usd_order_product, env):
    m1 = await merchant(stl, bank, ref="M1")
    m2 = await merchant(stl, bank, ref="M2")
    P = 1_000_000
    late = await _active_loan(stl, bank, usd_order_product, m1.id, on=date(2026, 1, 1), amount=P, tenor=30)  # due 31 Jan
    good = await _active_loan(stl, bank, usd_order_product, m2.id, on=date(2026, 1, 1), amount=300_000, tenor=180)
    await L.accrue(stl.ledger, bank, date(2026, 3, 17))
    got = await L.get_loan(stl.ledger, bank, late["id"])
    assert (got["dpd"], got["bucket"]) == (45, "31-60")
    days = 76  # 1 Jan to 17 Mar inclusive
    interest = int(Fraction(P) * Fraction(73, 1000) / 360 * days)
    penalty = int(Fraction(P) * Fraction(18, 100) / 360 * (days - 30))
    assert got["balances"] == {"penalty": penalty, "interest": interest, "fees": 5_000, "principal": P}
    good_now = await L.get_loan(stl.ledger, bank, good["id"])

    rep = await run_report(env, bank, "loan_portfolio", {})
    rows = _by(rep.rows, "currency", "bucket")
    assert [r["bucket"] for r in rep.rows] == ["current", "1-30", "31-60", "61-90", "90+"]
    b = rows[("USD", "31-60")]
    assert (b["loans"], b["principal"], b["interest"], b["fees"], b["penalty"], b["outstanding"]) == (1, P, interest, 5_000, penalty, got["outstanding_minor"])
    c = rows[("USD", "current")]
    assert (c["loans"], c["principal"], c["outstanding"]) == (1, 300_000, good_now["outstanding_minor"])
    assert all(rows[("USD", n)]["loans"] == 0 and rows[("USD", n)]["outstanding"] == 0 for n in ("1-30", "61-90", "90+"))
    (t,) = rep.totals
    assert (t["loans"], t["principal"], t["outstanding"], t["npl"]) == (2, P + 300_000, got["outstanding_minor"] + good_now["outstanding_minor"], 0)
    assert not [n for n in rep.notes if "portfolio says" in n]
    assert (await run_report(env, bank, "loan_portfolio", {"currency": "EUR"})).rows == []


# -- monitoring -----------------------------------------------------------------------------


async def test_monitoring_gross_and_net_by_customs_mode_for_known_receipts(stl, bank, env):
    m1 = await merchant(stl, bank, ref="M1")
    p1 = await merchant(stl, bank, ref="P1", kind="individual_business")
    for ref, cust, gross, fees, mode, country in (
        ("r-1", m1, 100_000, {"logistics": 2_000}, "9610", "US"),
        ("r-2", m1, 50_000, {}, "9810", "DE"),
        ("r-3", p1, 20_000, {"warehousing": 700, "tax": 300}, "9610", "DE"),
    ):
        net = gross - sum(fees.values())
        await stl.receipts.post_receipt(bank, ReceiptIn(customer_id=cust.id, currency="USD", gross_minor=gross, net_minor=net, customs_mode=mode, destination_country=country, external_ref=ref, fees=fees))
    day = today_cst().isoformat()
    rep = await run_report(env, bank, "monitoring", {"date_from": day, "date_to": day})
    rows = _by(rep.rows, "dimension", "value", "currency")
    m9610, m9810 = rows[("customs_mode", "9610", "USD")], rows[("customs_mode", "9810", "USD")]
    assert (m9610["receipts"], m9610["gross"], m9610["fees"], m9610["net"]) == (2, 120_000, 3_000, 117_000)
    assert (m9810["receipts"], m9810["gross"], m9810["fees"], m9810["net"]) == (1, 50_000, 0, 50_000)
    us, de = rows[("destination_country", "US", "USD")], rows[("destination_country", "DE", "USD")]
    assert (us["gross"], us["net"], de["gross"], de["net"]) == (100_000, 98_000, 70_000, 69_000)
    ent, ib = rows[("merchant_kind", "enterprise", "USD")], rows[("merchant_kind", "individual_business", "USD")]
    assert (ent["receipts"], ent["gross"], ib["receipts"], ib["net"]) == (2, 150_000, 1, 19_000)
    (t,) = rep.totals
    assert (t["receipts"], t["gross"], t["fees"], t["net"], t["usd_equivalent"]) == (3, 170_000, 3_000, 167_000, 170_000)
    only = await run_report(env, bank, "monitoring", {"date_from": day, "date_to": day, "by": "customs_mode"})
    assert {r["dimension"] for r in only.rows} == {"customs_mode"}
    before = await run_report(env, bank, "monitoring", {"date_from": "2020-01-01", "date_to": "2020-01-31"})
    assert before.rows == [] and before.totals == []
