"""Matching a clerk can trust (issue #16 item 6): a transaction and its
reversal clear each other; a small match on amount and date alone is proposed
for a person, not applied.  Pure matcher and service, on both databases."""

from __future__ import annotations

from datetime import timedelta

from ledger.model import Reverse
from recon import model as M
from recon import service as RS
from recon.matching import match

from .test_service import CHECKER, D0, _exceptions_by_side, entry, setup, statement  # noqa: F401 - setup is a fixture

CFG = M.MatchingConfig(date_window_days=3)


def e(id_, amount, tx, reverses=""):
    return M.EntryForMatch(id=id_, amount_minor=amount, currency="USD", value_date=D0, transaction_id=tx, reverses=reverses)


def test_an_entry_and_its_reversal_clear_each_other_without_a_line():
    res = match([], [e("a", 500_00, "T1"), e("b", -500_00, "T2", reverses="T1"), e("c", 70_00, "T3")], CFG)
    assert [(m.rule, m.line_ids, m.entry_ids) for m in res.matches] == [(M.RULE_REVERSAL, (), ("a", "b"))]
    assert res.unmatched_entry_ids == ["c"] and res.counts[M.RULE_REVERSAL] == 1


def test_a_reversal_whose_original_reached_the_bank_stays_open():
    line = M.LineForMatch(id="L1", amount_minor=500_00, currency="USD", value_date=D0, references=("E2E-9",))
    orig = M.EntryForMatch(id="a", amount_minor=500_00, currency="USD", value_date=D0, references=("E2E-9",), transaction_id="T1")
    res = match([line], [orig, e("b", -500_00, "T2", reverses="T1")], CFG)
    assert [(m.rule, m.entry_ids) for m in res.matches] == [(M.RULE_REFERENCE, ("a",))]
    assert res.unmatched_entry_ids == ["b"]


def test_a_reversal_pairs_only_with_the_opposite_amount_of_its_own_original():
    res = match([], [e("a", 500_00, "T1"), e("b", -400_00, "T2", reverses="T1"), e("x", 400_00, "T9")], CFG)
    assert res.matches == []


async def test_a_reversed_booking_leaves_the_exceptions_queue(setup, ledger):
    book, recon, _acct = setup
    wrong = await book.post("bank_usd", "merchant_usd", 321_00, key="typo", effective_date=D0)
    await ledger.post(book.institution_id, Reverse(wrong.transaction_id, idempotency_key="typo:reverse", effective_date=D0))
    [run] = await recon.run_matching(book.institution_id)
    assert run.counts == {M.RULE_REVERSAL: 1} and run.unmatched_entries == 0
    _lines, entries = await _exceptions_by_side(recon, book.institution_id)
    assert entries == []
    [m] = await recon.matches(book.institution_id)
    assert m["rule"] == M.RULE_REVERSAL and len(m["entry_ids"]) == 2 and m["line_ids"] == []


async def test_a_small_amount_only_match_is_proposed_and_matched_once_approved(setup, ledger):
    book, recon, _acct = setup
    await book.post("bank_usd", "merchant_usd", 12_34, key="small", effective_date=D0)
    await book.post("bank_usd", "merchant_usd", 150_00, key="big", effective_date=D0)
    await recon.import_events(book.institution_id, statement([entry(0, 12_34, day=D0 + timedelta(days=1)), entry(1, 150_00, day=D0 + timedelta(days=1))]))
    [run] = await recon.run_matching(book.institution_id)
    # 150.00 is at or above the default threshold of 100.00: applied; 12.34 is proposed
    assert run.counts == {M.RULE_AMOUNT_DATE: 1} and run.review_proposals == 1 and run.fee_proposals == 0
    assert (run.unmatched_lines, run.unmatched_entries) == (1, 1)
    [p] = await recon.proposals(book.institution_id)
    assert p.kind == "manual_match" and p.maker_name == "automatic matcher" and p.payload["rule"] == M.RULE_AMOUNT_DATE
    assert p.note == "amount and value date only, no shared reference: 12.34 USD is below the review threshold of 100.00; approve to match"
    # a second run neither matches them behind the proposal nor proposes them again
    [again] = await recon.run_matching(book.institution_id)
    assert again.counts == {} and again.review_proposals == 0 and again.lines_considered == 0
    assert len(await recon.proposals(book.institution_id)) == 1
    done = await recon.approve(book.institution_id, p.id, approver=CHECKER)
    assert done.status == "approved" and done.match_id is not None
    lines, entries = await _exceptions_by_side(recon, book.institution_id)
    assert (lines, entries) == ([], [])


async def test_the_review_threshold_is_per_account_and_zero_applies_everything(ledger):
    from tests.support.books import make_book

    book = await make_book(ledger)
    recon = RS.Reconciliation(ledger)
    acct = await recon.register_account(book.institution_id, bank_account="US00NOSTRO0002", ledger_account_id=book["bank_usd"], config={"review_amount_only_below": "0"})
    assert acct.config.review_amount_only_below_minor == 0
    await book.post("bank_usd", "merchant_usd", 12_34, key="small", effective_date=D0)
    await recon.import_events(book.institution_id, [
        M.StatementHeader(format="camt.053", statement_id="S2", account="US00NOSTRO0002", currency="USD", opening_balance_minor=0), entry(0, 12_34),
        M.StatementFooter(closing_balance_minor=12_34, entry_count=1),
    ])
    [run] = await recon.run_matching(book.institution_id)
    assert run.counts == {M.RULE_AMOUNT_DATE: 1} and run.review_proposals == 0


async def test_a_review_threshold_that_is_not_a_plain_amount_of_the_currency_is_refused_and_nothing_registered(ledger):
    import pytest

    from ledger import errors as E
    from tests.support.books import make_book

    book = await make_book(ledger)
    recon = RS.Reconciliation(ledger)
    for bad in ("100.001", "-1", "1e3", 100, "１００"):  # over-precise, negative, exponent, a number, full-width digits
        with pytest.raises(E.LedgerError):
            await recon.register_account(book.institution_id, bank_account="US00NOSTRO0003", ledger_account_id=book["bank_usd"], config={"review_amount_only_below": bad})
    assert await recon.list_accounts(book.institution_id) == []
