"""S7/S8 netting cycles: positions, the fewest instructions through the
central settlement account, one atomic ledger transaction per close."""

from __future__ import annotations

import itertools
import uuid
from collections import defaultdict
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from ledger.events import audit_log, outbox_events
from ledger.model import NewTransaction, Posting
from settlement import netting as N
from settlement.accounts import customer_account, ensure_account, institution_account, settlement_ledger_id

_n = itertools.count()

USD, EUR, CNY = "USD", "EUR", "CNY"


async def _inst(ledger, kind: str = "bank"):
    inst = await ledger.create_institution(f"net{next(_n)}-{uuid.uuid4().hex[:6]}", "Netting test", kind)
    return inst.id


async def _fund(ledger, inst, account_id, currency: str, amount: int) -> None:
    """Cash arrives for a participant: Dr nostro / Cr participant."""
    lid = await settlement_ledger_id(ledger, inst)
    nostro = await institution_account(ledger, inst, "nostro", currency)
    await ledger.post(inst, NewTransaction(lid, [Posting(nostro, amount, "debit", currency), Posting(account_id, amount, "credit", currency)]))


async def _posted(ledger, inst, account_id) -> int:
    return (await ledger.get_account(inst, account_id)).posted


async def _five_participants(ledger, inst, fund: int = 1_000_00):
    """Merchants M1, M2, provider P, platform PL (customer current accounts,
    may not go negative) and partner bank B (the institution's account at
    it, an asset), each in USD, EUR and CNY."""
    lid = await settlement_ledger_id(ledger, inst)
    ids = {name: uuid.uuid4() for name in ("M1", "M2", "P", "PL")}
    acct: dict[tuple[str, str], uuid.UUID] = {}
    for cur in (USD, EUR, CNY):
        for name, cid in ids.items():
            acct[(name, cur)] = await customer_account(ledger, inst, cid, "current", cur)
            if fund:
                await _fund(ledger, inst, acct[(name, cur)], cur, fund)
        acct[("B", cur)] = await ensure_account(ledger, inst, lid, f"bank:B:{cur}", cur, "asset", owner_ref="B")
    return acct


def _ob(acct, payer: str, payee: str, cur: str, amount: int, ref: str | None = None) -> N.ObligationIn:
    return N.ObligationIn(acct[(payer, cur)], acct[(payee, cur)], amount, cur, ref)


async def _events(engine, inst, type_: str):
    async with engine.connect() as conn:
        return (await conn.execute(select(outbox_events).where(outbox_events.c.institution_id == inst, outbox_events.c.type == type_))).all()


async def test_netting_cycle_over_3_currencies_and_5_participants_yields_instructions_matching_positions_and_a_zero_sum_transaction(ledger, engine):
    inst = await _inst(ledger)
    a = await _five_participants(ledger, inst)
    cycle = await N.open_cycle(ledger, inst, reference="2026-03-02/1", business_date=date(2026, 3, 2))
    obligations = [
        # USD
        _ob(a, "M1", "P", USD, 100_00), _ob(a, "M2", "P", USD, 50_00), _ob(a, "P", "PL", USD, 30_00),
        _ob(a, "PL", "M1", USD, 20_00), _ob(a, "B", "M1", USD, 500_00), _ob(a, "M1", "B", USD, 10_00),
        # EUR: M1 and M2 offset exactly
        _ob(a, "M1", "M2", EUR, 70_00), _ob(a, "M2", "M1", EUR, 70_00), _ob(a, "P", "B", EUR, 25_00),
        # CNY
        _ob(a, "M1", "PL", CNY, 1000_00), _ob(a, "M2", "PL", CNY, 500_00), _ob(a, "PL", "P", CNY, 300_00), _ob(a, "P", "M1", CNY, 100_00),
    ]
    await N.add_obligations(ledger, inst, cycle.id, obligations[:7])
    await N.add_obligations(ledger, inst, cycle.id, obligations[7:])
    before = {k: await _posted(ledger, inst, v) for k, v in a.items()}

    view = await N.close_cycle(ledger, inst, cycle.id)

    assert view.closed_now and view.cycle.status == "closed" and view.cycle.obligation_count == 13
    net = {(p.account_id, p.currency): p.net_minor for p in view.positions}
    expected = {
        ("M1", USD): 410_00, ("M2", USD): -50_00, ("P", USD): 120_00, ("PL", USD): 10_00, ("B", USD): -490_00,
        ("M1", EUR): 0, ("M2", EUR): 0, ("P", EUR): -25_00, ("B", EUR): 25_00,
        ("M1", CNY): -900_00, ("M2", CNY): -500_00, ("PL", CNY): 1200_00, ("P", CNY): 200_00,
    }
    assert net == {(a[k], k[1]): v for k, v in expected.items()}
    m1_usd = next(p for p in view.positions if p.account_id == a[("M1", USD)])
    assert (m1_usd.receivable_minor, m1_usd.payable_minor) == (520_00, 110_00)
    for cur in (USD, EUR, CNY):
        assert sum(p.net_minor for p in view.positions if p.currency == cur) == 0
    # the fewest instructions through the central account: one per non-zero position
    per_cur = defaultdict(list)
    for i in view.instructions:
        per_cur[i.currency].append(i)
    assert {c: len(v) for c, v in per_cur.items()} == {USD: 5, EUR: 2, CNY: 4}
    for i in view.instructions:
        assert i.signed_minor == net[(i.account_id, i.currency)]
    assert view.totals() == {USD: 540_00, EUR: 25_00, CNY: 1400_00}
    assert [(i.direction, i.amount_minor) for i in per_cur[EUR]] == [("pay", 25_00), ("receive", 25_00)]
    # one ledger transaction, every currency, summing to zero per currency
    tx = await ledger.get_transaction(inst, view.cycle.transaction_id)
    assert len(tx.postings) == 2 * 11
    sums = defaultdict(int)
    for p in tx.postings:
        sums[p.currency] += p.amount
    assert dict(sums) == {USD: 0, EUR: 0, CNY: 0}
    assert tx.effective_date == date(2026, 3, 2) and tx.metadata["netting_cycle_id"] == str(cycle.id)
    # participants moved by their net positions (customer accounts are liabilities;
    # the account at bank B is an asset: the bank pays by crediting it, Dr)
    for (name, cur), acct_id in a.items():
        delta = await _posted(ledger, inst, acct_id) - before[(name, cur)]
        want = expected.get((name, cur), 0)
        assert delta == (-want if name == "B" else want), (name, cur)
    for cur in (USD, EUR, CNY):
        central = view.central_accounts[cur]
        assert await _posted(ledger, inst, central) == 0
        assert (await ledger.get_account(inst, central)).debits_posted == view.totals()[cur]
    ev = await _events(ledger.engine, inst, "netting.closed")
    assert len(ev) == 1 and ev[0].payload["currencies"]["USD"] == {"currency": "USD", "participants": 5, "instructions": 5, "netted": "540.00", "gross": "710.00"}
    async with engine.connect() as conn:
        actions = [r.action for r in await conn.execute(select(audit_log.c.action).where(audit_log.c.object_id == str(cycle.id)).order_by(audit_log.c.created_at))]
    assert actions == ["netting.open", "netting.add_obligations", "netting.add_obligations", "netting.close"]


async def test_closing_a_closed_cycle_is_idempotent_and_changes_nothing(ledger):
    inst = await _inst(ledger)
    a = await _five_participants(ledger, inst)
    cycle = await N.open_cycle(ledger, inst)
    await N.add_obligations(ledger, inst, cycle.id, [_ob(a, "M1", "M2", USD, 12_34)])
    first = await N.close_cycle(ledger, inst, cycle.id)
    lid = await settlement_ledger_id(ledger, inst)
    seq = (await ledger.get_ledger(inst, lid)).chain_seq
    again = await N.close_cycle(ledger, inst, cycle.id)
    assert not again.closed_now and again.cycle.transaction_id == first.cycle.transaction_id
    assert again.cycle.closed_at == first.cycle.closed_at
    assert [(i.account_id, i.direction, i.amount_minor) for i in again.instructions] == [(a[("M1", USD)], "pay", 12_34), (a[("M2", USD)], "receive", 12_34)]
    assert (await ledger.get_ledger(inst, lid)).chain_seq == seq
    assert len(await _events(ledger.engine, inst, "netting.closed")) == 1


async def test_obligations_in_a_closed_cycle_are_refused(ledger):
    inst = await _inst(ledger)
    a = await _five_participants(ledger, inst)
    cycle = await N.open_cycle(ledger, inst)
    await N.add_obligations(ledger, inst, cycle.id, [_ob(a, "M1", "M2", USD, 1_00)])
    await N.close_cycle(ledger, inst, cycle.id)
    with pytest.raises(N.NettingCycleClosed) as err:
        await N.add_obligations(ledger, inst, cycle.id, [_ob(a, "M2", "M1", USD, 1_00)])
    assert err.value.status == 409 and err.value.details["cycle_id"] == str(cycle.id)
    view = await N.get_cycle(ledger, inst, cycle.id)
    assert view.cycle.obligation_count == 1 and len(await N.list_obligations(ledger, inst, cycle.id)) == 1


async def test_a_participant_without_enough_funds_makes_the_close_fail_atomically_naming_it(ledger):
    inst = await _inst(ledger)
    a = await _five_participants(ledger, inst, fund=0)
    await _fund(ledger, inst, a[("M1", USD)], USD, 100_00)
    await _fund(ledger, inst, a[("M2", EUR)], EUR, 10_00)
    cycle = await N.open_cycle(ledger, inst)
    await N.add_obligations(ledger, inst, cycle.id, [
        _ob(a, "M1", "P", USD, 80_00),   # M1 can pay this
        _ob(a, "M2", "P", EUR, 25_00),   # M2 has only 10.00 EUR
    ])
    lid = await settlement_ledger_id(ledger, inst)
    seq = (await ledger.get_ledger(inst, lid)).chain_seq
    with pytest.raises(N.NettingInsufficientFunds) as err:
        await N.close_cycle(ledger, inst, cycle.id)
    d = err.value.details
    assert d["participant_account_id"] == str(a[("M2", EUR)]) and d["currency"] == EUR
    assert (d["available"], d["requested"], d["currency"]) == ("10.00", "25.00", EUR)
    assert d["participant_code"].startswith("cust:") and d["participant_code"] in err.value.message
    assert "10.00 EUR available, 25.00 EUR required" in err.value.message
    # nothing posted, nothing recorded: the cycle is still open
    assert (await ledger.get_ledger(inst, lid)).chain_seq == seq
    assert await _posted(ledger, inst, a[("M1", USD)]) == 100_00
    view = await N.get_cycle(ledger, inst, cycle.id)
    assert view.cycle.status == "open" and view.cycle.transaction_id is None
    assert await _events(ledger.engine, inst, "netting.closed") == []
    # once funded, the same cycle closes
    await _fund(ledger, inst, a[("M2", EUR)], EUR, 15_00)
    closed = await N.close_cycle(ledger, inst, cycle.id)
    assert closed.cycle.status == "closed"
    assert await _posted(ledger, inst, a[("M2", EUR)]) == 0 and await _posted(ledger, inst, a[("M1", USD)]) == 20_00


async def test_fully_offsetting_obligations_close_without_instructions_or_postings(ledger):
    inst = await _inst(ledger)
    a = await _five_participants(ledger, inst, fund=0)
    cycle = await N.open_cycle(ledger, inst)
    await N.add_obligations(ledger, inst, cycle.id, [_ob(a, "M1", "M2", USD, 5_00), _ob(a, "M2", "P", USD, 5_00), _ob(a, "P", "M1", USD, 5_00)])
    view = await N.close_cycle(ledger, inst, cycle.id)
    assert view.cycle.status == "closed" and view.cycle.transaction_id is None and view.instructions == []
    assert sorted((p.receivable_minor, p.payable_minor, p.net_minor) for p in view.positions) == [(5_00, 5_00, 0)] * 3


async def test_obligations_are_checked_before_they_are_added(ledger):
    inst = await _inst(ledger)
    other = await _inst(ledger)
    a = await _five_participants(ledger, inst, fund=0)
    b = await _five_participants(ledger, other, fund=0)
    cycle = await N.open_cycle(ledger, inst)
    with pytest.raises(N.InvalidObligation) as err:
        await N.add_obligations(ledger, inst, cycle.id, [_ob(a, "M1", "M2", USD, 1_00), N.ObligationIn(a[("M1", USD)], a[("M1", USD)], 1_00)])
    assert err.value.details["index"] == 1
    with pytest.raises(N.InvalidObligation) as err:
        await N.add_obligations(ledger, inst, cycle.id, [N.ObligationIn(a[("M1", USD)], a[("M2", EUR)], 1_00)])
    assert "EUR" in err.value.message
    with pytest.raises(N.InvalidObligation):
        await N.add_obligations(ledger, inst, cycle.id, [N.ObligationIn(a[("M1", USD)], a[("M2", USD)], 0)])
    central = (await N.ensure_central_accounts(ledger, inst, await settlement_ledger_id(ledger, inst), [USD]))[USD]
    with pytest.raises(N.InvalidObligation):
        await N.add_obligations(ledger, inst, cycle.id, [N.ObligationIn(central, a[("M2", USD)], 1_00)])
    from ledger.errors import AccountNotFound

    with pytest.raises(AccountNotFound):  # another institution's account is unknown here
        await N.add_obligations(ledger, inst, cycle.id, [N.ObligationIn(a[("M1", USD)], b[("M2", USD)], 1_00)])
    with pytest.raises(N.NettingCycleNotFound):
        await N.add_obligations(ledger, other, cycle.id, [_ob(b, "M1", "M2", USD, 1_00)])
    assert (await N.get_cycle(ledger, inst, cycle.id)).cycle.obligation_count == 0


async def test_a_retried_batch_is_added_once_and_an_open_cycle_previews_its_instructions(ledger):
    inst = await _inst(ledger)
    a = await _five_participants(ledger, inst, fund=0)
    cycle = await N.open_cycle(ledger, inst, reference="daily-1")
    assert (await N.open_cycle(ledger, inst, reference="daily-1")).id == cycle.id
    batch = [_ob(a, "M1", "M2", USD, 7_00), _ob(a, "P", "M2", USD, 3_00)]
    await N.add_obligations(ledger, inst, cycle.id, batch, batch_key="req-1")
    again = await N.add_obligations(ledger, inst, cycle.id, batch, batch_key="req-1")
    assert again.obligation_count == 2
    view = await N.get_cycle(ledger, inst, cycle.id)
    assert view.cycle.status == "open" and view.cycle.transaction_id is None
    assert sorted(i.signed_minor for i in view.instructions) == [-7_00, -3_00, 10_00]
    assert view.participants[a[("M2", USD)]].currency == USD


async def test_daily_partner_bank_settlement_nets_the_days_flows_through_the_same_cycle(ledger):
    inst = await _inst(ledger, "payment_institution")
    lid = await settlement_ledger_id(ledger, inst)
    merchant = await customer_account(ledger, inst, uuid.uuid4(), "current", USD)
    merchant_eur = await customer_account(ledger, inst, uuid.uuid4(), "current", EUR)
    await _fund(ledger, inst, merchant_eur, EUR, 100_00)
    reserve_usd, clearing_usd = await N.partner_bank_accounts(ledger, inst, "ICBC-SH", USD)
    reserve_eur, clearing_eur = await N.partner_bank_accounts(ledger, inst, "ICBC-SH", EUR)
    # the day's bookings against the clearing account
    await ledger.post(inst, NewTransaction(lid, [Posting(clearing_usd, 300_00, "debit"), Posting(merchant, 300_00, "credit")]))  # receipts the bank collected
    await ledger.post(inst, NewTransaction(lid, [Posting(merchant, 100_00, "debit"), Posting(clearing_usd, 100_00, "credit")]))  # payments it executed
    await ledger.post(inst, NewTransaction(lid, [Posting(merchant_eur, 40_00, "debit"), Posting(clearing_eur, 40_00, "credit")]))
    reserve_before = {USD: await _posted(ledger, inst, reserve_usd), EUR: await _posted(ledger, inst, reserve_eur)}
    flows = [
        N.PartnerBankFlow("from_bank", USD, 300_00, "collections"),
        N.PartnerBankFlow("to_bank", USD, 100_00, "payouts"),
        N.PartnerBankFlow("to_bank", EUR, 40_00, "payouts"),
    ]
    view = await N.daily_partner_bank_settlement(ledger, inst, partner_bank_ref="ICBC-SH", business_date=date(2026, 3, 2), flows=flows)
    assert view.cycle.kind == "partner_bank" and view.cycle.reference == "partner-bank:ICBC-SH:2026-03-02" and view.cycle.status == "closed"
    assert [(i.account_id, i.currency, i.direction, i.amount_minor) for i in view.instructions] == [
        (clearing_eur, EUR, "pay", 40_00), (reserve_eur, EUR, "receive", 40_00),
        (reserve_usd, USD, "pay", 200_00), (clearing_usd, USD, "receive", 200_00),
    ]
    assert await _posted(ledger, inst, clearing_usd) == 0 and await _posted(ledger, inst, clearing_eur) == 0
    assert await _posted(ledger, inst, reserve_usd) - reserve_before[USD] == 200_00
    assert await _posted(ledger, inst, reserve_eur) - reserve_before[EUR] == -40_00
    tx = await ledger.get_transaction(inst, view.cycle.transaction_id)
    assert {c: sum(p.amount for p in tx.postings if p.currency == c) for c in (USD, EUR)} == {USD: 0, EUR: 0}
    # the same day again: the same cycle, nothing posted twice; other flows are refused
    again = await N.daily_partner_bank_settlement(ledger, inst, partner_bank_ref="ICBC-SH", business_date=date(2026, 3, 2), flows=flows)
    assert again.cycle.id == view.cycle.id and again.cycle.transaction_id == view.cycle.transaction_id
    with pytest.raises(N.NettingCycleClosed):
        await N.daily_partner_bank_settlement(ledger, inst, partner_bank_ref="ICBC-SH", business_date=date(2026, 3, 2), flows=flows[:1])
    assert await _posted(ledger, inst, reserve_usd) - reserve_before[USD] == 200_00


# -- the arithmetic, for any obligations ------------------------------------------------------

_ACCOUNTS = [uuid.UUID(int=i + 1) for i in range(6)]
_obligation = st.builds(
    lambda payer, shift, cur, amount: N.ObligationIn(_ACCOUNTS[payer], _ACCOUNTS[(payer + shift) % 6], amount, cur),
    st.integers(0, 5), st.integers(1, 5), st.sampled_from([USD, EUR, "JPY"]), st.integers(1, 10**12),
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_obligation, max_size=40))
def test_for_any_obligations_positions_sum_to_zero_per_currency_and_instructions_reproduce_them(obligations):
    positions = N.compute_positions(obligations)
    by_cur = defaultdict(int)
    for p in positions:
        by_cur[p.currency] += p.net_minor
    assert all(v == 0 for v in by_cur.values())
    gross = defaultdict(int)
    for o in obligations:
        gross[o.currency] += o.amount_minor
    assert {c: sum(p.receivable_minor for p in positions if p.currency == c) for c in gross} == dict(gross)
    instructions = N.settlement_instructions(positions)
    # one instruction per non-zero position, reproducing it exactly
    assert len(instructions) == sum(1 for p in positions if p.net_minor != 0)
    assert len({(i.account_id, i.currency) for i in instructions}) == len(instructions)
    nets = {(p.account_id, p.currency): p.net_minor for p in positions}
    assert all(i.signed_minor == nets[(i.account_id, i.currency)] and i.amount_minor > 0 for i in instructions)
    # the postings balance per currency and the central account nets to zero
    central = {c: uuid.UUID(int=1000 + n) for n, c in enumerate((USD, EUR, "JPY"))}
    postings = N.instruction_postings(instructions, central)
    balance = defaultdict(int)
    for p in postings:
        balance[(p.account_id, p.currency)] += p.amount if p.side == "debit" else -p.amount
    for c, acct in central.items():
        assert balance.get((acct, c), 0) == 0
    for (acct, c), net in nets.items():
        assert balance.get((acct, c), 0) == -net  # receivers credited, payers debited


async def test_concurrent_closes_of_one_cycle_post_one_transaction(ledger):
    import asyncio

    inst = await _inst(ledger)
    a = await _five_participants(ledger, inst)
    cycle = await N.open_cycle(ledger, inst)
    await N.add_obligations(ledger, inst, cycle.id, [_ob(a, "M1", "M2", USD, 3_00), _ob(a, "P", "M1", EUR, 4_00)])
    views = await asyncio.gather(*(N.close_cycle(ledger, inst, cycle.id) for _ in range(4)))
    assert len({v.cycle.transaction_id for v in views}) == 1 and sum(v.closed_now for v in views) == 1
    assert await _posted(ledger, inst, a[("M2", USD)]) == 1_003_00
    assert len(await _events(ledger.engine, inst, "netting.closed")) == 1
