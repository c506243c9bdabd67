"""The matching engine: one test per rule with numbers, refusals, the
generated 10,000-entry day, and properties that hold whatever the input."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from recon.generate import DEFAULT_CONFIG, generate_day
from recon.matching import batch_part_matches, charge_tolerance, match
from recon.model import (
    RULE_AMOUNT_DATE,
    RULE_BATCH_REFERENCE,
    RULE_CHARGES,
    RULE_MANY_TO_ONE,
    RULE_ONE_TO_MANY,
    RULE_REFERENCE,
    RULES,
    EntryForMatch,
    LineForMatch,
    MatchingConfig,
    PartForMatch,
)

D = date(2026, 11, 16)
CFG = MatchingConfig(date_window_days=3, charge_tolerance_minor=2_000, charge_tolerance_bp=50, max_group_size=6)


def L(id, amount, day=0, refs=(), cur="USD"):
    return LineForMatch(id, amount, cur, D + timedelta(days=day), tuple(refs))


def E(id, amount, day=0, refs=(), cur="USD"):
    return EntryForMatch(id, amount, cur, D + timedelta(days=day), tuple(refs))


def pairs(res):
    return {(m.rule, m.line_ids, m.entry_ids, m.difference_minor) for m in res.matches}


# -- rule 1: reference ------------------------------------------------------------


def test_reference_matches_an_exact_reference_and_amount_whatever_the_dates():
    res = match([L("l1", 123_456, 0, ["BNK1", "E2E-1"])], [E("e1", 123_456, 9, ["E2E-1"])], CFG)
    assert pairs(res) == {(RULE_REFERENCE, ("l1",), ("e1",), 0)}
    assert res.counts[RULE_REFERENCE] == 1 and res.unmatched_line_ids == [] and res.unmatched_entry_ids == []


def test_reference_needs_the_same_currency():
    res = match([L("l1", 10_000, refs=["R"], cur="USD")], [E("e1", 10_000, 10, refs=["R"], cur="CNY")], CFG)
    assert res.matches == []


def test_reference_on_two_entries_of_the_same_amount_refuses_rather_than_guess():
    # a customer reference carried by two entries of 100.00: the line could be either
    res = match([L("l1", 10_000, 0, ["CUST7"])], [E("e1", 10_000, 20, ["CUST7"]), E("e2", 10_000, 30, ["CUST7"])], CFG)
    assert res.matches == [] or all(m.rule != RULE_REFERENCE for m in res.matches)
    assert res.counts[RULE_REFERENCE] == 0


def test_reference_shared_by_several_entries_picks_the_one_sharing_most_references():
    res = match(
        [L("l1", 10_000, 0, ["CUST7", "E2E-2"])],
        [E("e1", 10_000, 0, ["CUST7", "E2E-1"]), E("e2", 10_000, 0, ["CUST7", "E2E-2"])],
        CFG,
    )
    assert (RULE_REFERENCE, ("l1",), ("e2",), 0) in pairs(res)


def test_reference_within_charges_tolerance_records_the_fee_under_the_reference_rule():
    # 10,000.00 booked, 9,985.00 credited: fee 15.00 <= min(20.00, 0.5 % = 50.00)
    res = match([L("l1", 998_500, 1, ["E2E-9"])], [E("e1", 1_000_000, 0, ["E2E-9"])], CFG)
    assert pairs(res) == {(RULE_REFERENCE, ("l1",), ("e1",), -1_500)}


def test_reference_with_a_difference_beyond_the_tolerance_is_not_matched():
    res = match([L("l1", 997_500, 1, ["E2E-9"])], [E("e1", 1_000_000, 0, ["E2E-9"])], CFG)  # 25.00 > 20.00
    assert res.matches == []


def test_reference_batch_one_line_carrying_the_batch_id_of_three_entries():
    res = match(
        [L("l1", 600_000, 1, ["BAT1", "BNK"])],
        [E("e1", 100_000, 0, ["BAT1", "a"]), E("e2", 200_000, 0, ["BAT1", "b"]), E("e3", 300_000, 0, ["BAT1", "c"])],
        CFG,
    )
    assert pairs(res) == {(RULE_REFERENCE, ("l1",), ("e1", "e2", "e3"), 0)}


def test_reference_split_two_lines_carrying_the_entrys_reference():
    res = match([L("l1", 70_000, 1, ["E2E-5"]), L("l2", 30_000, 1, ["E2E-5"])], [E("e1", 100_000, 0, ["E2E-5"])], CFG)
    assert pairs(res) == {(RULE_REFERENCE, ("l1", "l2"), ("e1",), 0)}


# -- rule 2: amount and date ---------------------------------------------------------


def test_amount_date_matches_same_amount_within_the_window():
    res = match([L("l1", 12_345, 2)], [E("e1", 12_345, 0)], CFG)
    assert pairs(res) == {(RULE_AMOUNT_DATE, ("l1",), ("e1",), 0)}


def test_amount_date_outside_the_window_is_not_matched():
    res = match([L("l1", 12_345, 4)], [E("e1", 12_345, 0)], CFG)
    assert res.matches == [] and res.unmatched_line_ids == ["l1"] and res.unmatched_entry_ids == ["e1"]


def test_amount_date_picks_the_closest_dates_when_the_assignment_is_unique():
    # two 100.00 lines, two 100.00 entries: pairing by date costs 0 + 0, crossing 2 + 2
    res = match([L("l1", 10_000, 0), L("l2", 10_000, 2)], [E("e1", 10_000, 0), E("e2", 10_000, 2)], CFG)
    assert pairs(res) == {(RULE_AMOUNT_DATE, ("l1",), ("e1",), 0), (RULE_AMOUNT_DATE, ("l2",), ("e2",), 0)}


def test_amount_date_equally_good_candidates_are_left_unmatched():
    # a 100.00 line one day after one entry and one day before another
    res = match([L("l1", 10_000, 1)], [E("e1", 10_000, 0), E("e2", 10_000, 2)], CFG)
    assert res.matches == [] and res.unmatched_entry_ids == ["e1", "e2"]


def test_amount_date_two_identical_lines_and_entries_are_left_unmatched():
    res = match([L("l1", 10_000, 0), L("l2", 10_000, 0)], [E("e1", 10_000, 0), E("e2", 10_000, 0)], CFG)
    assert res.matches == []


def test_amount_date_a_surplus_entry_closer_in_date_does_not_win_by_default():
    # the line (day 2) belongs to e1 (day 0); e2 (day 3) is not on the statement yet.
    # Closest date would pick e2: with a surplus on one side only forced pairs are taken.
    res = match([L("l1", 10_000, 2)], [E("e1", 10_000, 0), E("e2", 10_000, 3)], CFG)
    assert res.matches == []


# -- rules 3 and 4: groups by sum --------------------------------------------------------


def test_one_line_many_entries_1500_is_1000_plus_500():
    res = match([L("l1", 150_012, 1)], [E("e1", 100_007, 0), E("e2", 50_005, 0), E("e3", 77_777, 0)], CFG)
    assert pairs(res) == {(RULE_ONE_TO_MANY, ("l1",), ("e1", "e2"), 0)}
    assert res.unmatched_entry_ids == ["e3"]


def test_one_line_many_entries_two_solutions_refuse():
    # 300.01 = 100.00 + 200.01 = 150.00 + 150.01
    es = [E("e1", 10_000), E("e2", 20_001), E("e3", 15_000), E("e4", 15_001)]
    res = match([L("l1", 30_001, 1)], es, CFG)
    assert res.counts[RULE_ONE_TO_MANY] == 0


def test_one_line_many_entries_whole_amounts_are_not_evidence():
    # 1,500.00 = 1,000.00 + 500.00: round amounts add up to round amounts too easily
    res = match([L("l1", 150_000, 1)], [E("e1", 100_000, 0), E("e2", 50_000, 0)], CFG)
    assert res.matches == [] and res.refusals.get("one_line_many_entries_round_amounts") == 1


def test_one_line_many_entries_entries_sharing_a_batch_id_match_even_in_whole_amounts():
    res = match([L("l1", 150_000, 1)], [E("e1", 100_000, 0, ["PAY-77", "x"]), E("e2", 50_000, 0, ["PAY-77", "y"])], CFG)
    assert pairs(res) == {(RULE_ONE_TO_MANY, ("l1",), ("e1", "e2"), 0)}


def test_many_lines_one_entry_mirror():
    res = match([L("l1", 60_033, 1), L("l2", 40_011, 1), L("l3", 5_555, 1)], [E("e1", 100_044, 0)], CFG)
    assert pairs(res) == {(RULE_MANY_TO_ONE, ("l1", "l2"), ("e1",), 0)}


def test_many_lines_one_entry_competing_entries_of_the_same_amount_refuse():
    res = match([L("l1", 60_033, 1), L("l2", 40_011, 1)], [E("e1", 100_044, 0), E("e2", 100_044, 1)], CFG)
    assert res.matches == []


def test_group_members_must_share_one_value_date():
    res = match([L("l1", 150_012, 1)], [E("e1", 100_007, 0), E("e2", 50_005, 2)], CFG)
    assert res.matches == []


# -- rule 5: charges -------------------------------------------------------------


def test_charges_10000_vs_9985_with_tolerance_20_gives_difference_minus_15():
    res = match([L("l1", 998_500, 1)], [E("e1", 1_000_000, 0)], CFG)
    assert pairs(res) == {(RULE_CHARGES, ("l1",), ("e1",), -1_500)}


def test_charges_tolerance_is_the_smaller_of_the_two_bounds():
    assert charge_tolerance(CFG, "USD", 1_000_000) == 2_000  # 20.00 < 0.5 % of 10,000.00
    assert charge_tolerance(CFG, "USD", 100_000) == 500  # 0.5 % of 1,000.00 = 5.00 < 20.00
    res = match([L("l1", 99_400, 1)], [E("e1", 100_000, 0)], CFG)  # fee 6.00 > 5.00
    assert res.matches == []


def test_charges_never_when_the_line_is_larger_or_for_money_out_or_exempt_currency():
    assert match([L("l1", 1_001_500, 1)], [E("e1", 1_000_000, 0)], CFG).matches == []
    assert match([L("l1", -1_001_500, 1)], [E("e1", -1_000_000, 0)], CFG).matches == []
    exempt = MatchingConfig(charge_tolerance_minor=2_000, charge_tolerance_bp=50, currencies_without_tolerance=("USD",))
    assert match([L("l1", 998_500, 1)], [E("e1", 1_000_000, 0)], exempt).matches == []


def test_charges_two_candidate_entries_refuse():
    res = match([L("l1", 998_500, 1)], [E("e1", 1_000_000, 0), E("e2", 999_000, 0)], CFG)
    assert res.matches == []


# -- result shape ------------------------------------------------------------------


def test_output_does_not_depend_on_input_order():
    lines, entries, _ = generate_day(2_000, seed=5)
    a = match(lines, entries, DEFAULT_CONFIG)
    rng = random.Random(1)
    lines2, entries2 = lines[:], entries[:]
    rng.shuffle(lines2)
    rng.shuffle(entries2)
    b = match(lines2, entries2, DEFAULT_CONFIG)
    assert a.matches == b.matches and a.unmatched_line_ids == b.unmatched_line_ids and a.counts == b.counts


def test_duplicate_ids_are_refused():
    import pytest

    with pytest.raises(ValueError):
        match([L("x", 1), L("x", 2)], [], CFG)


# -- the test: a generated day of 10,000 entries ----------------------------


def test_generated_day_of_10000_entries_reaches_99_percent_correct_and_no_wrong_match():
    lines, entries, truth = generate_day(10_000, seed=0)
    res = match(lines, entries, DEFAULT_CONFIG)
    score = truth.score(res)
    assert all(m.rule in RULES for m in res.matches)
    assert score.wrong_count == 0, score.wrong[:5]
    assert score.correct_pct >= 99.0, (score.correct_pct, score.per_kind, res.refusals)
    # lines the ledger does not know and entries not yet on the statement stay unmatched
    assert score.unmatched_expected_ok == score.unmatched_expected
    # every rule did its share on this day
    for rule in (RULE_REFERENCE, RULE_AMOUNT_DATE, RULE_ONE_TO_MANY, RULE_MANY_TO_ONE, RULE_CHARGES):
        assert res.counts[rule] > 0, rule
    assert sum(res.counts.values()) == len(res.matches)
    matched_l = {i for m in res.matches for i in m.line_ids}
    assert len(matched_l) + len(res.unmatched_line_ids) == len(lines)


# -- properties ------------------------------------------------------------------------

amounts = st.one_of(st.sampled_from([10_000, 20_000, 50_000, -10_000, 99_850, 100_000]), st.integers(-200_000, 200_000))
items = st.tuples(amounts, st.integers(0, 6), st.sampled_from(["USD", "CNY"]), st.lists(st.sampled_from(["R1", "R2", "R3", "C"]), max_size=2))
configs = st.builds(
    MatchingConfig,
    date_window_days=st.integers(0, 3),
    charge_tolerance_minor=st.sampled_from([0, 500, 2_000]),
    charge_tolerance_bp=st.sampled_from([0, 20, 50]),
    max_group_size=st.integers(1, 4),
    currencies_without_tolerance=st.sampled_from([(), ("CNY",)]),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(items, max_size=12), st.lists(items, max_size=12), configs)
def test_matches_are_disjoint_balanced_and_in_one_currency(ls, es, cfg):
    lines = [LineForMatch(f"l{k}", a, c, D + timedelta(days=d), tuple(r)) for k, (a, d, c, r) in enumerate(ls)]
    entries = [EntryForMatch(f"e{k}", a, c, D + timedelta(days=d), tuple(r)) for k, (a, d, c, r) in enumerate(es)]
    res = match(lines, entries, cfg)
    lm = {x.id: x for x in lines}
    em = {x.id: x for x in entries}
    used_l = [i for m in res.matches for i in m.line_ids]
    used_e = [j for m in res.matches for j in m.entry_ids]
    assert len(used_l) == len(set(used_l)) and len(used_e) == len(set(used_e))
    assert set(used_l).isdisjoint(res.unmatched_line_ids) and set(used_e).isdisjoint(res.unmatched_entry_ids)
    assert set(used_l) | set(res.unmatched_line_ids) == set(lm) and set(used_e) | set(res.unmatched_entry_ids) == set(em)
    for m in res.matches:
        assert m.rule in RULES and m.line_ids and m.entry_ids
        assert len(m.line_ids) <= max(cfg.max_group_size, 1) and len(m.entry_ids) <= max(cfg.max_group_size, 1)
        assert len({lm[i].currency for i in m.line_ids} | {em[j].currency for j in m.entry_ids}) == 1
        diff = sum(lm[i].amount_minor for i in m.line_ids) - sum(em[j].amount_minor for j in m.entry_ids)
        assert diff == m.difference_minor
        if diff:
            # only a charge: one line, one entry, line = entry - fee within tolerance
            assert m.rule in (RULE_CHARGES, RULE_REFERENCE) and len(m.line_ids) == len(m.entry_ids) == 1
            e = em[m.entry_ids[0]]
            assert 0 < -diff <= charge_tolerance(cfg, e.currency, e.amount_minor)
        if m.rule != RULE_REFERENCE:
            days = [lm[i].value_date for i in m.line_ids] + [em[j].value_date for j in m.entry_ids]
            assert (max(days) - min(days)).days <= cfg.date_window_days
    assert sum(res.counts.values()) == len(res.matches)


# -- rule 0: batch entries part by part (issue #12, defect 7) ---------------------------------------


def B(id, parts, day=0, refs=(), total=None, cur="USD"):
    """A batch line: parts as (amount, refs)."""
    ps = tuple(PartForMatch(k, a, tuple(r)) for k, (a, r) in enumerate(parts))
    amount = sum(a or 0 for a, _ in parts) if total is None else total
    return LineForMatch(id, amount, cur, D + timedelta(days=day), tuple(refs), parts=ps)


THREE = [(1_250_000, ["RCPT-1"]), (730_055, ["RCPT-2", "INS-2"]), (19_945, ["RCPT-3"])]


def test_a_batch_of_three_parts_matches_three_entries_by_reference_and_amount():
    line = B("b1", THREE, refs=["RCPT-1"])
    entries = [E("e1", 1_250_000, 2, ["RCPT-1"]), E("e2", 730_055, -1, ["RCPT-2"]), E("e3", 19_945, 0, ["RCPT-3"]), E("other", 2_000_000, 0)]
    res = match([line], entries, CFG)
    [m] = res.matches
    assert (m.rule, m.line_ids, m.entry_ids) == (RULE_BATCH_REFERENCE, ("b1",), ("e1", "e2", "e3"))
    assert m.part_entries == ((0, "e1"), (1, "e2"), (2, "e3"))
    assert res.counts[RULE_BATCH_REFERENCE] == 1 and res.unmatched_entry_ids == ["other"]


def test_a_partial_batch_is_not_matched_part_by_part_and_shows_its_matched_parts():
    line = B("b1", THREE)
    # the third receipt is missing from the ledger; a 199.45 entry without the reference does not count
    entries = [E("e1", 1_250_000, 0, ["RCPT-1"]), E("e2", 730_055, 0, ["RCPT-2"]), E("x", 19_946, 0, ["RCPT-3"])]
    res = match([line], entries, CFG)
    assert res.matches == [] and res.unmatched_line_ids == ["b1"]
    assert batch_part_matches(line, entries) == {0: "e1", 1: "e2"}


def test_parts_that_do_not_add_up_make_the_batch_one_line():
    # parts sum to 19,999.99 but the entry says 20,000.00: the batch is one line
    line = B("b1", THREE, total=2_000_001)
    entries = [E("e1", 1_250_000, 0, ["RCPT-1"]), E("e2", 730_055, 0, ["RCPT-2"]), E("e3", 19_945, 0, ["RCPT-3"]), E("whole", 2_000_001, 1)]
    res = match([line], entries, CFG)
    assert pairs(res) == {(RULE_AMOUNT_DATE, ("b1",), ("whole",), 0)}
    # parts without amounts: likewise
    assert not B("b2", [(None, ["R1"]), (None, ["R2"])], total=100).batch_parts_usable


def test_a_batch_part_with_two_candidate_entries_refuses_the_whole_batch():
    line = B("b1", THREE)
    entries = [E("e1", 1_250_000, 0, ["RCPT-1"]), E("e1bis", 1_250_000, 5, ["RCPT-1"]), E("e2", 730_055, 0, ["RCPT-2"]), E("e3", 19_945, 0, ["RCPT-3"])]
    res = match([line], entries, CFG)
    assert res.counts[RULE_BATCH_REFERENCE] == 0
    assert batch_part_matches(line, entries) == {1: "e2", 2: "e3"}


def test_an_entry_claimed_by_a_part_and_by_an_ordinary_line_refuses_the_batch():
    line = B("b1", THREE)
    rival = L("l2", 19_945, 0, ["RCPT-3"])
    entries = [E("e1", 1_250_000, 0, ["RCPT-1"]), E("e2", 730_055, 0, ["RCPT-2"]), E("e3", 19_945, 0, ["RCPT-3"])]
    res = match([line, rival], entries, CFG)
    assert res.counts[RULE_BATCH_REFERENCE] == 0
    # two batches claiming the same receipt: neither takes it
    res = match([B("b1", THREE), B("b2", THREE)], entries, CFG)
    assert res.counts[RULE_BATCH_REFERENCE] == 0


def test_a_debit_batch_matches_its_payouts():
    parts = [(-500_000, ["PAY-1"]), (-250_000, ["PAY-2"])]
    res = match([B("b1", parts)], [E("p1", -500_000, 0, ["PAY-1"]), E("p2", -250_000, 0, ["PAY-2"])], CFG)
    assert pairs(res) == {(RULE_BATCH_REFERENCE, ("b1",), ("p1", "p2"), 0)}
    # a part of the other sign is not a batch of this line
    assert not B("b3", [(-500_000, ["PAY-1"]), (100, ["X"])], total=-499_900).batch_parts_usable
