"""Reconciliation service on both databases: import once, all or nothing;
matching records its rule; maker-checker for manual matches, splits and
adjustments (self-approval refused, an unapproved adjustment moves no money)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from ledger import errors as E
from recon import model as M
from recon import service as RS
from recon.tables import recon_lines
from tests.support.books import make_book

D0 = date(2026, 11, 2)
MAKER = RS.Actor(id="user:maker", name="mei (finance)", roles=frozenset({"finance"}))
CHECKER = RS.Actor(id="user:checker", name="chen (approver)", roles=frozenset({"approver"}))
OTHER_FINANCE = RS.Actor(id="user:fin2", name="fang (finance)", roles=frozenset({"finance"}))
MAKER_APPROVER = RS.Actor(id="user:maker-approver", name="an approver who made it", roles=frozenset({"approver"}))


@pytest.fixture
async def setup(ledger):
    book = await make_book(ledger)
    charges = await ledger.create_account(book.institution_id, book.ledger_id, "bank_charges_usd", "USD", "expense")
    book.accounts["bank_charges"] = charges.id
    recon = RS.Reconciliation(ledger)
    acct = await recon.register_account(
        book.institution_id, bank_account="US00NOSTRO0001", ledger_account_id=book["bank_usd"], fee_account_id=charges.id,
        adjustment_account_id=book["equity_usd"], config={"date_window_days": 3, "charge_tolerance_minor": 2_000, "charge_tolerance_bp": 50},
    )
    return book, recon, acct


def header(statement_id="STMT-1", account="US00NOSTRO0001", currency="USD", opening=0):
    return M.StatementHeader(format="camt.053", statement_id=statement_id, account=account, currency=currency, opening_balance_minor=opening)


def entry(i, amount, *, ref=None, day=D0, desc=""):
    return M.StatementEntry(index=i, amount_minor=amount, currency="USD", booking_date=day, value_date=day, end_to_end_ref=ref, description=desc, position=f"line {10 + i}")


def statement(entries, statement_id="STMT-1", closing=None):
    opening = 0
    total = sum(e.amount_minor for e in entries)
    return [header(statement_id, opening=opening), *entries, M.StatementFooter(closing_balance_minor=opening + total if closing is None else closing, entry_count=len(entries))]


async def line_count(ledger, institution_id) -> int:
    async with ledger.engine.connect() as conn:
        return (await conn.execute(select(func.count()).select_from(recon_lines).where(recon_lines.c.institution_id == institution_id))).scalar_one()


async def _posted(ledger, account_id) -> int:
    from ledger.schema import accounts

    async with ledger.engine.connect() as conn:
        r = (await conn.execute(select(accounts.c.debits_posted, accounts.c.credits_posted).where(accounts.c.id == account_id))).one()
    return int(r.debits_posted) - int(r.credits_posted)


async def test_importing_the_same_statement_twice_imports_it_once(setup, ledger):
    book, recon, _ = setup
    events = statement([entry(0, 1_000_000, ref="E2E-1"), entry(1, -25_000)])
    first = await recon.import_events(book.institution_id, events)
    assert [s.duplicate for s in first.statements] == [False]
    assert first.lines_imported == 2
    second = await recon.import_events(book.institution_id, events)
    assert [s.duplicate for s in second.statements] == [True]
    assert second.lines_imported == 0
    assert await line_count(ledger, book.institution_id) == 2
    rows = await recon.list_statements(book.institution_id)
    assert len(rows) == 1 and rows[0]["credits_minor"] == 1_000_000 and rows[0]["debits_minor"] == 25_000 and rows[0]["balance_mismatch_minor"] is None


async def test_a_statement_whose_balances_disagree_is_kept_and_flagged(setup, ledger):
    book, recon, _ = setup
    res = await recon.import_events(book.institution_id, statement([entry(0, 500_00)], closing=499_00))
    assert res.statements[0].balance_mismatch_minor == 1_00


async def test_a_broken_file_imports_nothing_even_after_good_statements(setup, ledger):
    book, recon, _ = setup

    def events():
        yield from statement([entry(0, 100_00), entry(1, 200_00)], statement_id="GOOD")
        yield header("BROKEN")
        yield entry(0, 300_00)
        raise M.StatementRejected("amount is not a number", format="camt.053", position="line 40, element /Document/BkToCstmrStmt/Stmt/Ntry/Amt")

    with pytest.raises(M.StatementRejected) as info:
        await recon.import_events(book.institution_id, events())
    assert info.value.details["position"].startswith("line 40")
    assert await line_count(ledger, book.institution_id) == 0
    assert await recon.list_statements(book.institution_id) == []


async def test_a_statement_of_an_account_not_under_reconciliation_is_refused(setup, ledger):
    book, recon, _ = setup
    events = [M.StatementHeader(format="mt940", statement_id="X", account="DE00UNKNOWN", currency="USD"), entry(0, 1_00), M.StatementFooter()]
    with pytest.raises(RS.UnknownBankAccount) as info:
        await recon.import_events(book.institution_id, events)
    assert info.value.details["bank_account"] == "DE00UNKNOWN"
    assert await line_count(ledger, book.institution_id) == 0


async def test_an_entry_in_another_currency_is_refused_with_its_position(setup, ledger):
    book, recon, _ = setup
    bad = M.StatementEntry(index=0, amount_minor=1_00, currency="EUR", booking_date=D0, value_date=D0, position="line 17")
    with pytest.raises(M.StatementRejected) as info:
        await recon.import_events(book.institution_id, [header(), bad, M.StatementFooter()])
    assert info.value.details["position"] == "line 17"


async def _exceptions_by_side(recon, inst):
    items = await recon.exceptions(inst, as_of=D0 + timedelta(days=10))
    return [i for i in items if i.side == "line"], [i for i in items if i.side == "entry"]


async def test_matching_records_the_rule_and_empties_the_queue(setup, ledger):
    book, recon, acct = setup
    # ledger: a receipt with its end-to-end reference, a payout booked as two entries, an unrelated one
    await book.post("bank_usd", "merchant_usd", 1_000_000, key="receipt:E2E-100", effective_date=D0, metadata={"end_to_end_ref": "E2E-100"})
    await book.post("bank_usd", "merchant_usd", 123_456, key="k-a", effective_date=D0)
    await book.post("bank_usd", "merchant_usd", 76_543, key="k-b", effective_date=D0)
    await book.post("bank_usd", "merchant_usd", 777_77, key="k-c", effective_date=D0 - timedelta(days=20))
    await recon.import_events(book.institution_id, statement([
        entry(0, 1_000_000, ref="E2E-100", day=D0 + timedelta(days=1)),
        entry(1, 199_999, day=D0 + timedelta(days=1)),  # the two entries together
        entry(2, 42_00),  # nothing in the ledger
    ]))
    [run] = await recon.run_matching(book.institution_id)
    assert run.counts == {M.RULE_REFERENCE: 1, M.RULE_ONE_TO_MANY: 1}
    assert (run.unmatched_lines, run.unmatched_entries) == (1, 1)
    matches = await recon.matches(book.institution_id)
    assert sorted(m["rule"] for m in matches) == sorted([M.RULE_REFERENCE, M.RULE_ONE_TO_MANY])
    assert {len(m["entry_ids"]) for m in matches if m["rule"] == M.RULE_ONE_TO_MANY} == {2}
    lines, entries = await _exceptions_by_side(recon, book.institution_id)
    assert [(i.amount_minor, i.age_days) for i in lines] == [(42_00, 10)]
    assert [(i.amount_minor, i.age_days) for i in entries] == [(777_77, 30)]
    summary = await recon.summary(book.institution_id, as_of=D0 + timedelta(days=10))
    assert summary["lines"] == 3 and summary["matched_lines"] == 2 and summary["match_rate"] == "66.67"
    assert summary["accounts"][0]["entries_by_age"]["31+"] == 0 and summary["accounts"][0]["entries_by_age"]["8-30"] == 1
    # a second run finds nothing new and matches nothing twice
    [again] = await recon.run_matching(book.institution_id)
    assert again.counts == {} and again.lines_considered == 1 and again.entries_considered == 1


async def test_bank_charges_within_tolerance_are_posted_as_a_fee_only_when_approved(setup, ledger):
    book, recon, acct = setup
    await book.post("bank_usd", "merchant_usd", 1_000_000, key="k-fee", effective_date=D0)
    await recon.import_events(book.institution_id, statement([entry(0, 998_500)]))  # the bank kept 15.00
    [run] = await recon.run_matching(book.institution_id)
    assert run.counts == {M.RULE_CHARGES: 1} and run.fee_proposals == 1
    [fee] = await recon.proposals(book.institution_id)
    assert fee.kind == "fee" and fee.payload["fee_minor"] == 1_500
    assert await _posted(ledger, book["bank_charges"]) == 0  # nothing posted before approval
    approved = await recon.approve(book.institution_id, fee.id, approver=CHECKER)
    assert approved.status == "approved" and approved.transaction_id is not None
    assert await _posted(ledger, book["bank_charges"]) == 1_500
    assert await _posted(ledger, book["bank_usd"]) == 998_500  # now agrees with the bank
    [m] = await recon.matches(book.institution_id)
    assert m["status"] == "matched" and m["difference_minor"] == -1_500 and len(m["entry_ids"]) == 2


async def test_rejecting_a_fee_returns_the_items_to_the_queue(setup, ledger):
    book, recon, _ = setup
    await book.post("bank_usd", "merchant_usd", 1_000_000, key="k-fee2", effective_date=D0)
    await recon.import_events(book.institution_id, statement([entry(0, 999_000)]))
    await recon.run_matching(book.institution_id)
    [fee] = await recon.proposals(book.institution_id)
    await recon.reject(book.institution_id, fee.id, approver=CHECKER, reason="charge not agreed with the bank")
    lines, entries = await _exceptions_by_side(recon, book.institution_id)
    assert [i.amount_minor for i in lines] == [999_000] and [i.amount_minor for i in entries] == [1_000_000]
    assert await _posted(ledger, book["bank_charges"]) == 0


async def test_an_adjustment_moves_no_money_until_a_second_person_approves_it(setup, ledger):
    book, recon, acct = setup
    await recon.import_events(book.institution_id, statement([entry(0, 12_345, desc="interest credited by the bank")]))
    [line], _ = await _exceptions_by_side(recon, book.institution_id)
    before = await _posted(ledger, book["bank_usd"])
    prop = await recon.propose(book.institution_id, kind="adjustment", maker=MAKER, line_ids=[line.id], adjustment={"description": "bank interest"}, note="interest")
    assert prop.status == "pending" and prop.payload["adjustment"]["amount_minor"] == 12_345
    assert await _posted(ledger, book["bank_usd"]) == before  # unapproved: nothing posted
    # the line is reserved by the proposal: not in the queue, not proposable twice
    lines, _ = await _exceptions_by_side(recon, book.institution_id)
    assert lines == []
    with pytest.raises(RS.AlreadyMatched):
        await recon.propose(book.institution_id, kind="adjustment", maker=OTHER_FINANCE, line_ids=[line.id])
    # the maker cannot approve, even holding the approver role; finance cannot approve
    with pytest.raises(RS.ApproverRoleRequired):
        await recon.approve(book.institution_id, prop.id, approver=OTHER_FINANCE)
    self_made = await recon.propose(book.institution_id, kind="adjustment", maker=RS.Actor(MAKER_APPROVER.id, MAKER_APPROVER.name, frozenset({"approver"})),
                                    adjustment={"amount_minor": -500, "recon_account_id": str(acct.id)})
    with pytest.raises(RS.SelfApprovalRefused):
        await recon.approve(book.institution_id, self_made.id, approver=MAKER_APPROVER)
    assert (await recon.get_proposal(book.institution_id, self_made.id)).status == "pending"
    assert await _posted(ledger, book["bank_usd"]) == before
    # a second person with the approver role: posted, matched
    done = await recon.approve(book.institution_id, prop.id, approver=CHECKER)
    assert done.status == "approved" and done.approver_id == CHECKER.id and done.transaction_id is not None
    assert await _posted(ledger, book["bank_usd"]) == before + 12_345
    assert await _posted(ledger, book["equity_usd"]) == -12_345
    tx = await ledger.get_transaction(book.institution_id, done.transaction_id)
    assert tx.metadata["recon_proposal_id"] == str(prop.id)
    with pytest.raises(RS.ProposalNotPending):
        await recon.approve(book.institution_id, prop.id, approver=CHECKER)
    lines, entries = await _exceptions_by_side(recon, book.institution_id)
    assert lines == [] and entries == []


async def test_manual_match_and_split_need_an_approver(setup, ledger):
    book, recon, _ = setup
    await book.post("bank_usd", "merchant_usd", 60_000, key="pay-1", effective_date=D0 - timedelta(days=9))
    await book.post("bank_usd", "merchant_usd", 40_000, key="pay-2", effective_date=D0 - timedelta(days=9))
    await recon.import_events(book.institution_id, statement([entry(0, 100_000, ref="BANK-BATCH-7"), entry(1, 5_000)]))
    lines, entries = await _exceptions_by_side(recon, book.institution_id)
    big = next(i for i in lines if i.amount_minor == 100_000)
    # amounts that do not add up are refused at once
    with pytest.raises(RS.MatchDoesNotBalance) as info:
        await recon.propose(book.institution_id, kind="manual_match", maker=MAKER, line_ids=[big.id], entry_ids=[entries[0].id])
    assert info.value.details["difference"] == "400.00"
    # split the line 60,000 + 40,000, then match each part
    split = await recon.propose(book.institution_id, kind="split", maker=MAKER, line_ids=[big.id], parts=[{"amount_minor": 60_000}, {"amount_minor": 40_000}])
    with pytest.raises(RS.SelfApprovalRefused):
        await recon.approve(book.institution_id, split.id, approver=RS.Actor(MAKER.id, MAKER.name, frozenset({"approver"})))
    await recon.approve(book.institution_id, split.id, approver=CHECKER)
    lines, entries = await _exceptions_by_side(recon, book.institution_id)
    parts = sorted((i for i in lines if i.amount_minor in (60_000, 40_000)), key=lambda i: i.amount_minor)
    assert [p.amount_minor for p in parts] == [40_000, 60_000]
    by_amount = {e.amount_minor: e for e in entries}
    props = [await recon.propose(book.institution_id, kind="manual_match", maker=MAKER, line_ids=[p.id], entry_ids=[by_amount[p.amount_minor].id]) for p in parts]
    for p in props:
        assert (await recon.approve(book.institution_id, p.id, approver=CHECKER)).match_id is not None
    lines, entries = await _exceptions_by_side(recon, book.institution_id)
    assert [i.amount_minor for i in lines] == [5_000] and entries == []
    assert {m["rule"] for m in await recon.matches(book.institution_id)} == {M.RULE_MANUAL}


async def test_foreign_lines_and_entries_are_not_found(setup, ledger):
    book, recon, _ = setup
    other = await make_book(ledger)
    tx = await other.post("bank_usd", "merchant_usd", 1_00, key="foreign")
    await recon.import_events(book.institution_id, statement([entry(0, 1_00)]))
    [line], _ = await _exceptions_by_side(recon, book.institution_id)
    with pytest.raises(E.NotFound):
        await recon.propose(other.institution_id, kind="manual_match", maker=MAKER, line_ids=[line.id], entry_ids=[f"{tx.transaction_id}:0"])
    with pytest.raises(E.NotFound):
        await recon.propose(book.institution_id, kind="manual_match", maker=MAKER, line_ids=[line.id], entry_ids=[f"{tx.transaction_id}:0"])
