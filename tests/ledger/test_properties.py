"""Property tests: random valid and invalid batches keep every invariant.

For each generated batch (on a fresh institution and ledger):
* every per-currency sum of postings is zero and the trial balance nets out;
* stored balances equal the sum of postings (``verify(check_balances)``) and
  equal a plain Python model fed only with the accepted items;
* no balance flag is ever violated;
* replaying the whole batch changes nothing and returns the same results;
* the hash chain verifies.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from ledger.model import NewTransaction, Posting
from tests.support.books import make_book

ACCOUNTS = ["bank_usd", "merchant_usd", "merchant2_usd", "fees", "equity_usd", "bank_cny", "merchant_cny"]
CURRENCY = {a: ("CNY" if a.endswith("cny") else "USD") for a in ACCOUNTS}
FLAGGED = {"merchant_usd", "merchant2_usd", "merchant_cny"}


@st.composite
def postings_st(draw):
    """Mostly balanced transfers, sometimes deliberately broken ones."""
    kind = draw(st.sampled_from(["transfer", "transfer", "transfer", "multi", "unbalanced", "mixed_currency", "single"]))
    if kind == "single":
        a = draw(st.sampled_from(ACCOUNTS))
        return [(a, draw(st.integers(1, 10_000)), "debit")]
    if kind == "transfer":
        a = draw(st.sampled_from(ACCOUNTS))
        b = draw(st.sampled_from([x for x in ACCOUNTS if CURRENCY[x] == CURRENCY[a]]))
        amt = draw(st.integers(1, 10_000))
        return [(a, amt, "debit"), (b, amt, "credit")]
    if kind == "multi":
        usd = [x for x in ACCOUNTS if CURRENCY[x] == "USD"]
        a, b, c = draw(st.permutations(usd))[:3]
        x, y = draw(st.integers(1, 5_000)), draw(st.integers(1, 5_000))
        return [(a, x + y, "debit"), (b, x, "credit"), (c, y, "credit")]
    if kind == "unbalanced":
        amt = draw(st.integers(2, 10_000))
        return [("bank_usd", amt, "debit"), ("equity_usd", amt - 1, "credit")]
    amt = draw(st.integers(1, 10_000))
    return [("bank_usd", amt, "debit"), ("merchant_cny", amt, "credit")]


@st.composite
def batches(draw):
    n = draw(st.integers(1, 25))
    items = []
    for i in range(n):
        ps = draw(postings_st())
        key = draw(st.sampled_from([None, f"k{i}", f"k{i}", "dup"]))
        linked = draw(st.booleans()) if i < n - 1 and draw(st.integers(0, 4)) == 0 else False
        items.append((ps, key, linked))
    return items


def _build(book, spec):
    return [
        NewTransaction(book.ledger_id, [Posting(book[a], amt, side) for a, amt, side in ps], idempotency_key=key, linked=linked)
        for ps, key, linked in spec
    ]


@pytest.mark.parametrize("db_kind", ["sqlite", "postgresql"], indirect=True)
@hsettings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed_funds=st.integers(0, 20_000), spec=batches())
async def test_random_batches_keep_every_invariant(ledger, seed_funds, spec):
    book = await make_book(ledger)
    model = {a: 0 for a in ACCOUNTS}  # debits - credits per account
    if seed_funds:
        await book.post("bank_usd", "merchant_usd", seed_funds)
        model["bank_usd"] += seed_funds
        model["merchant_usd"] -= seed_funds
    items = _build(book, spec)
    results = await ledger.post_batch(book.institution_id, items)
    assert len(results) == len(items)

    seen_keys: dict[str, int] = {}
    for i, ((ps, key, _linked), res) in enumerate(zip(spec, results, strict=False)):
        if key is not None and key in seen_keys:
            first = results[seen_keys[key]]
            if res.code != "idempotency_conflict":
                assert (res.code, res.transaction_id) == (first.code, first.transaction_id)
            continue
        if key is not None:
            seen_keys[key] = i
        if res.ok:
            for a, amt, side in ps:
                model[a] += amt if side == "debit" else -amt
    # linked chains: all members share the outcome
    for i, (_ps, _key, linked) in enumerate(spec):
        if linked and results[i].ok and results[i + 1].code not in ("ok",) and not results[i + 1].replayed and results[i + 1].code != "idempotency_conflict":
            raise AssertionError(f"chain broken at {i}: {results[i].code} then {results[i + 1].code}")

    tb = await ledger.trial_balance(book.institution_id, book.ledger_id)
    for cur, (d, c) in tb.totals.items():
        assert d == c, cur
    for a in ACCOUNTS:
        acct = await ledger.get_account(book.institution_id, book[a])
        assert acct.debits_posted - acct.credits_posted == model[a], a
        if a in FLAGGED:
            assert acct.debits_posted + acct.debits_pending <= acct.credits_posted
    report = await ledger.verify(book.institution_id, book.ledger_id)
    assert report.ok, report.problem

    # an idempotent replay of the whole batch changes nothing
    head_before = (await ledger.get_ledger(book.institution_id, book.ledger_id)).chain_seq
    replay = await ledger.post_batch(book.institution_id, _build(book, spec))
    for (_ps, key, _l), a, b in zip(spec, results, replay, strict=False):
        if key is not None and a.code != "idempotency_conflict":
            assert (a.code, a.transaction_id) == (b.code, b.transaction_id)
    keyless_ok = sum(1 for (ps, key, _l), r in zip(spec, replay, strict=False) if key is None and r.ok)
    head_after = (await ledger.get_ledger(book.institution_id, book.ledger_id)).chain_seq
    assert head_after == head_before + keyless_ok  # only items without a key post again
