"""The reconciliation matching engine: statement lines against ledger entries.

Pure Python, no database: ``match(lines, entries, config)`` returns which
lines and entries explain each other, and the rule that said so.  The rules
run in order, each on what the previous ones left:

0. ``batch_reference`` -- a batch line (a camt entry with several
   ``TxDtls``) whose parts each carry an amount, all of the line's sign,
   adding up exactly to the line's amount, is matched part by part: every
   part must find exactly one free entry of the same currency and amount
   sharing one of the part's references (the one sharing strictly the most
   wins, a tie refuses), mutually -- the entry is a candidate of no other part
   and of no other free line of its amount carrying that reference.  Only
   when *every* part finds its entry is the line matched, to all of them, and
   the part -> entry pairs are recorded (``Match.part_entries``).  A batch
   whose parts do not add up (or lack amounts) is an ordinary line for the
   rules below, and so is a partial batch (some parts without their entry):
   it may still match whole (one entry of the total, or a group), else it
   waits in the exceptions queue, where :func:`batch_part_matches` shows
   which parts have their entry.

1. ``reference`` -- an end-to-end reference of the line equals a reference
   of an entry (same currency).  Three passes:

   a. one line : one entry, amounts equal.  The line's candidates are the
      free entries sharing at least one reference *and* having the same
      amount; the candidate sharing strictly the most references wins, a tie
      refuses.  The same must hold from the entry's side (mutual), so a
      reference carried by several entries (a customer number, a recurring
      invoice) never picks one of them by chance.
   b. groups: one line : several entries (a batch carrying the batch
      reference) or several lines : one entry (a split, every part carrying
      the entry's reference), exact sums only: either all the free
      counterparts sharing a reference sum to the amount, or exactly one
      subset of them (2 .. ``max_group_size``) does.
   c. one line : one entry within the charges tolerance (see rule 5), with
      the same mutual uniqueness.  **Decision:** the rule recorded is still
      ``reference`` (the reference is what identified the pair) and the fee is
      in ``Match.difference_minor`` (negative).  So a fee to post is any match
      with ``difference_minor != 0`` -- rule ``reference`` or
      ``amount_date_with_charges`` -- not only the charges rule.

   No date window applies to references (a reference is stronger evidence
   than a date); a reference carried by more than ``REF_FANOUT_CAP`` lines or
   entries is treated as not identifying (ignored).

2. ``amount_date`` -- same currency and amount, value dates within
   ``date_window_days``.  Per (currency, amount) the free lines and entries
   are cut into clusters (items closer than the window chain together).  A
   1:1 cluster matches.  A larger one (at most ``CLUSTER_CAP`` per side) is
   solved exhaustively: among the assignments matching the most pairs, the
   ones with the smallest total date distance ("closest date"); only the
   pairs common to *every* such best assignment are accepted.  Two equally
   good candidates therefore refuse, and so do indistinguishable items (same
   amount and date on one side).  Larger clusters refuse entirely.

   **Deviation, for "no wrong match":** the closest date decides only in a
   *balanced* cluster (as many lines as entries).  With a surplus on one side
   (typically an entry not yet on the statement, booked today, or a line the
   ledger does not know) the surplus item is often the *closer* one, so there
   only the pairs forced in every maximal assignment are taken.  Set
   ``CLOSEST_DATE_WITH_SURPLUS = True`` for plain closest-date picking.

3. ``one_line_many_entries`` -- one line = the exact sum of 2 ..
   ``max_group_size`` free entries of the same currency and sign, all on one
   value date (a bank batches one day's instructions) within the window of
   the line.  First the free entries that share a reference among
   themselves (a payout batch id the ledger knows but the statement does not
   show) and whose total equals exactly one free line in the window
   (mutually unique).  Then a bounded subset-sum, accepted only when

   * every candidate date was searched completely (at most
     ``GROUP_CANDIDATES_CAP`` candidates per date, at most
     ``GROUP_WORK_CAP`` search nodes per line -- the cap on work per line:
     a pathological day costs at most that much per line and refuses
     instead of exploding),
   * exactly one subset hits the sum,
   * no other line's search found a solution using one of its entries
     (competing lines refuse together; proposals are made in rounds, at
     most ``GROUP_ROUNDS``, re-searching only lines whose pool changed),
   * not all the amounts are whole (multiples of ``ROUND_UNIT``): round
     amounts add up to round amounts far more often than chance, and
   * the hit is unlikely to be chance: (the number of subsets whose sum lies
     within +/- ``CHANCE_BAND_BP`` of the target, plus one) divided by the
     width of that band estimates how many exact hits chance alone would
     give; it must be at most ``CHANCE_MAX``.  This protects lines that
     have no ledger counterpart at all (bank-only lines, charged lines) from
     a coincidental sum.

4. ``many_lines_one_entry`` -- the mirror: one entry = the sum of several
   lines of one value date (lines sharing a reference among themselves
   first, then the bounded subset-sum).

5. ``amount_date_with_charges`` -- money in only (the bank deducted its fee
   from a credit; a fee on a payment out is a separate debit line): line =
   entry - fee, ``0 < fee <= min(charge_tolerance_minor, entry *
   charge_tolerance_bp / 10,000)`` (integer floor), dates within the window;
   ``difference_minor`` is negative.  Currencies in
   ``currencies_without_tolerance`` get none.  Accepted only when the line has
   exactly one such entry and the entry exactly one such line, **and** the
   neighbourhood is sparse: the free entries near the line and the free lines
   near the entry (+/- ``CHARGE_BAND_PCT`` % of the amount, in the window)
   predict at most ``CHARGE_CHANCE_MAX`` chance candidates within the
   tolerance.  On a dense day most reference-less charges are therefore left
   for a person; with a reference they match under rule 1c.

6. ``reversal`` -- last, on what is still free: a ledger entry and the
   entry that reverses it (the reversing transaction names the original;
   same account, currency and opposite amount) clear each other with no
   statement line: a booking made and reversed never reached the bank.  An
   original already matched to a line leaves its reversal open (that money
   did move, and came back).

Residual risk (measured with ``recon.generate``): an item with no
counterpart (a bank-only line, an entry not yet on the statement) whose
amount equals to the cent a free item of the other side within the window is
indistinguishable from a true pair and matches under ``amount_date``.  Over
30 generated 10,000-entry days (seeds 0-29) this happened 3 times, each a
bank-only line of a few tens of USD; at 100,000 entries about once a day.

Output is deterministic: the input order does not matter (items are
processed sorted by currency, date, amount and id; ties between candidates
always refuse rather than fall to an order).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TypeAlias

from recon.model import (
    RULE_AMOUNT_DATE,
    RULE_BATCH_REFERENCE,
    RULE_CHARGES,
    RULE_MANY_TO_ONE,
    RULE_ONE_TO_MANY,
    RULE_REFERENCE,
    RULE_REVERSAL,
    RULES,
    EntryForMatch,
    LineForMatch,
    Match,
    MatchingConfig,
    PartForMatch,
)

# -- bounds (documented in the module docstring) -------------------------------
REF_FANOUT_CAP = 32  # a reference on more lines/entries than this identifies nothing
REF_GROUP_CANDIDATES_CAP = 16  # counterparts searched for a reference group
CLUSTER_CAP = 6  # amount_date: most lines (and entries) in one cluster solved exhaustively
CLUSTER_NODE_CAP = 20_000  # amount_date: search nodes per cluster
GROUP_CANDIDATES_CAP = 40  # subset-sum: most candidates of one value date
GROUP_WORK_CAP = 2_000  # subset-sum: search nodes per line (per entry for rule 4)
CHANCE_BAND_BP = 100  # subset-sum: +/- 1 % of the target ...
CHANCE_BAND_MIN = 1_000  # ... but at least 1,000 minor units
CHANCE_MAX = 0.001  # most expected chance hits for a subset-sum match
ROUND_UNIT = 100  # subset-sum: whole amounts (no cents) summing to a whole amount are no evidence
GROUP_ROUNDS = 3  # subset-sum: proposal rounds per rule
CLOSEST_DATE_WITH_SURPLUS = False  # amount_date: let the closest date decide in unbalanced clusters too
CHARGE_BAND_PCT = 25  # charges: neighbourhood of +/- 25 % of the amount ...
CHARGE_CHANCE_MAX = 0.003  # ... must predict at most this many chance candidates in the tolerance


@dataclass
class MatchResult:
    matches: list[Match]
    unmatched_line_ids: list[str]
    unmatched_entry_ids: list[str]
    counts: dict[str, int]  # matches per rule (every rule of RULES, 0 when none)
    # why candidates were refused by a bound (not ambiguity): for tuning/monitoring
    refusals: dict[str, int] = field(default_factory=dict)

    @property
    def matched_line_count(self) -> int:
        return sum(len(m.line_ids) for m in self.matches)

    @property
    def matched_entry_count(self) -> int:
        return sum(len(m.entry_ids) for m in self.matches)


def charge_tolerance(config: MatchingConfig, currency: str, entry_amount_minor: int) -> int:
    """The largest bank charge accepted on an entry of that amount (>= 0)."""
    if currency in config.currencies_without_tolerance:
        return 0
    tol = min(config.charge_tolerance_minor, abs(entry_amount_minor) * config.charge_tolerance_bp // 10_000)
    return max(tol, 0)


def is_charge(config: MatchingConfig, currency: str, line_amount: int, entry_amount: int) -> bool:
    """``line = entry - fee`` with ``0 < fee <= tolerance``, same (non-zero) sign."""
    if line_amount == 0 or entry_amount == 0 or (line_amount > 0) != (entry_amount > 0):
        return False
    fee = entry_amount - line_amount
    return 0 < fee <= charge_tolerance(config, currency, entry_amount)


class _Truncated(Exception):
    pass


def _subset_search(values: Sequence[int], target: int, kmin: int, kmax: int, band: int, work_cap: int) -> tuple[list[tuple[int, ...]], int, int]:
    """Subsets (index tuples) of ``values`` (positive, sorted descending) of size
    kmin..kmax summing to ``target``.  Returns (solutions [at most 2], near,
    nodes) where ``near`` counts non-exact subsets within +/- band; raises
    _Truncated past ``work_cap`` nodes."""
    n = len(values)
    prefix = [0]
    for v in values:
        prefix.append(prefix[-1] + v)
    lo, hi = target - band, target + band
    sols: list[tuple[int, ...]] = []
    near = 0
    nodes = 0

    def rec(start: int, depth: int, s: int, chosen: tuple[int, ...]) -> None:
        nonlocal near, nodes
        size = depth + 1
        rem = kmax - size
        for i in range(start, n):
            nodes += 1
            if nodes > work_cap:
                raise _Truncated
            s2 = s + values[i]
            if s2 > hi:
                continue  # later values are smaller
            best_more = prefix[min(n, i + 1 + rem)] - prefix[i + 1]
            if s2 + best_more < lo:
                break  # neither this nor any later (smaller) value can reach
            if size >= kmin and s2 >= lo:
                if s2 == target:
                    sols.append(chosen + (i,))
                    if len(sols) > 1:
                        return
                else:
                    near += 1
            if rem > 0:
                rec(i + 1, size, s2, chosen + (i,))
                if len(sols) > 1:
                    return

    rec(0, 0, 0, ())
    return sols, near, nodes


def _chance_band(target: int) -> int:
    return max(target * CHANCE_BAND_BP // 10_000, CHANCE_BAND_MIN)


_RefKey: TypeAlias = tuple[str, str]
_PoolKey: TypeAlias = tuple[str, bool, int]
_Item: TypeAlias = LineForMatch | EntryForMatch
_AmountTest: TypeAlias = Callable[[int, int, str], bool]


def _reference_index(items: Sequence[_Item]) -> dict[_RefKey, list[int]]:
    """(currency, reference) -> the indices of the items carrying it."""
    index: dict[_RefKey, list[int]] = defaultdict(list)
    for i, x in enumerate(items):
        for r in set(x.references):
            if r:
                index[(x.currency, r)].append(i)
    return index


def _keys_by_item(keys: set[_RefKey], index: dict[_RefKey, list[int]]) -> dict[int, list[_RefKey]]:
    """item index -> the identifying references it carries."""
    out: dict[int, list[_RefKey]] = {}
    for k in keys:
        for i in index[k]:
            out.setdefault(i, []).append(k)
    return out




def _sorted_amounts(by_cur: dict[str, list[tuple[int, int]]]) -> dict[str, list[int]]:
    """Sort each currency's (amount, index) list in place; its amounts."""
    amounts: dict[str, list[int]] = {}
    for cur, lst in by_cur.items():
        lst.sort()
        amounts[cur] = [a for a, _ in lst]
    return amounts


def _neighbours(w: int, am: list[int], lst: list[tuple[int, int]], days: list[int], lo: int, hi: int, day: int, skip: int) -> int:
    """Items of ``lst`` (sorted by amount, ``am`` its amounts) with an amount in
    [lo, hi] and a date within ``w`` days of ``day``, other than ``skip``."""
    a, b = bisect_left(am, lo), bisect_right(am, hi)
    return sum(1 for _, k in lst[a:b] if k != skip and abs(days[k] - day) <= w)


def _same_amount(line_amount: int, entry_amount: int, currency: str) -> bool:
    return line_amount == entry_amount


def _best(shared: dict[int, int]) -> int | None:
    """The candidate sharing strictly the most references, else None."""
    if not shared:
        return None
    if len(shared) == 1:
        return next(iter(shared))
    ranked = sorted(shared.items(), key=lambda t: -t[1])
    return ranked[0][0] if ranked[0][1] > ranked[1][1] else None


def _part_cands(currency: str, part: PartForMatch, E: Sequence[EntryForMatch], eref: dict[_RefKey, list[int]], free: bytearray | None = None) -> dict[int, int]:
    """entry index -> references shared with the part, for the free entries of the part's amount."""
    out: dict[int, int] = {}
    for r in set(part.references):
        hits = eref.get((currency, r), ())
        if len(hits) > REF_FANOUT_CAP:
            continue  # a reference that common identifies nothing
        for j in hits:
            if (free is None or free[j]) and E[j].amount_minor == part.amount_minor:
                out[j] = out.get(j, 0) + 1
    return out


def batch_part_matches(line: LineForMatch, entries: Sequence[EntryForMatch]) -> dict[int, str]:
    """part index -> id of the one entry (of ``entries``) that part would match
    by reference and amount, for showing a partial batch: a part with no
    candidate or a tie is left out, and so is an entry two parts claim."""
    eref = _reference_index(entries)
    picked: dict[int, int] = {}
    for p in line.parts:
        if p.amount_minor is None:
            continue
        j = _best(_part_cands(line.currency, p, entries, eref))
        if j is not None:
            picked[p.index] = j
    taken: dict[int, int] = defaultdict(int)
    for j in picked.values():
        taken[j] += 1
    return {k: entries[j].id for k, j in picked.items() if taken[j] == 1}


def match(lines: Sequence[LineForMatch], entries: Sequence[EntryForMatch], config: MatchingConfig) -> MatchResult:
    """Match statement lines to ledger entries; see the module docstring."""
    return _Matcher(lines, entries, config).run()


class _Matcher:
    def __init__(self, lines: Sequence[LineForMatch], entries: Sequence[EntryForMatch], config: MatchingConfig) -> None:
        if len({x.id for x in lines}) != len(lines):
            raise ValueError("duplicate statement line id")
        if len({x.id for x in entries}) != len(entries):
            raise ValueError("duplicate ledger entry id")
        self.cfg = config
        self.w = max(int(config.date_window_days), 0)
        self.kmax = int(config.max_group_size)
        key = lambda x: (x.currency, x.value_date, x.amount_minor, x.id)  # noqa: E731
        self.L = sorted(lines, key=key)
        self.E = sorted(entries, key=key)
        self.l_day = [x.value_date.toordinal() for x in self.L]
        self.e_day = [x.value_date.toordinal() for x in self.E]
        self.l_free = bytearray(b"\x01") * len(self.L)
        self.e_free = bytearray(b"\x01") * len(self.E)
        self.matches: list[tuple[int, Match]] = []
        self.refusals: dict[str, int] = defaultdict(int)
        self.lref: dict[tuple[str, str], list[int]] = {}
        self.eref: dict[tuple[str, str], list[int]] = {}

    # -- bookkeeping ---------------------------------------------------------
    def _take(self, rule: str, li: Sequence[int], ej: Sequence[int], difference: int = 0, part_entries: tuple[tuple[int, str], ...] = ()) -> None:
        for i in li:
            assert self.l_free[i]
            self.l_free[i] = 0
        for j in ej:
            assert self.e_free[j]
            self.e_free[j] = 0
        m = Match(
            rule=rule,
            line_ids=tuple(sorted(self.L[i].id for i in li)),
            entry_ids=tuple(sorted(self.E[j].id for j in ej)),
            difference_minor=difference,
            part_entries=part_entries,
        )
        self.matches.append((RULES.index(rule), m))

    def run(self) -> MatchResult:
        self._rule_batch_reference()
        self._rule_reference()
        self._rule_amount_date()
        if self.kmax >= 2:
            self._rule_groups(one_line=True)
            self._rule_groups(one_line=False)
        self._rule_charges()
        self._rule_reversal()
        self.matches.sort(key=lambda t: (t[0], t[1].line_ids, t[1].entry_ids))
        ms = [m for _, m in self.matches]
        counts = {r: 0 for r in RULES}
        for m in ms:
            counts[m.rule] += 1
        return MatchResult(
            matches=ms,
            unmatched_line_ids=sorted(self.L[i].id for i in range(len(self.L)) if self.l_free[i]),
            unmatched_entry_ids=sorted(self.E[j].id for j in range(len(self.E)) if self.e_free[j]),
            counts=counts,
            refusals=dict(sorted(self.refusals.items())),
        )

    # -- rule 6: an entry and its reversal ----------------------------------------
    def _rule_reversal(self) -> None:
        E = self.E
        by_tx: dict[str, list[int]] = defaultdict(list)
        for j, e in enumerate(E):
            if e.transaction_id and self.e_free[j]:
                by_tx[e.transaction_id].append(j)
        for j, e in enumerate(E):
            if not (e.reverses and self.e_free[j]):
                continue
            for k in by_tx.get(e.reverses, ()):
                o = E[k]
                if self.e_free[k] and o.currency == e.currency and o.amount_minor == -e.amount_minor and not o.reverses:
                    self._take(RULE_REVERSAL, [], [k, j])
                    break

    # -- rule 0: batches part by part -------------------------------------------
    def _rule_batch_reference(self) -> None:
        L, E = self.L, self.E
        batch = [i for i, x in enumerate(L) if x.batch_parts_usable]
        if not batch:
            return
        eref = _reference_index(E)
        lref = _reference_index(L)
        picks: dict[int, dict[int, int]] = {}
        claims: dict[int, int] = defaultdict(int)  # entry -> parts (of any batch) it is a candidate of
        for i in batch:
            picks[i] = {}
            for p in L[i].parts:
                cands = _part_cands(L[i].currency, p, E, eref, self.e_free)
                for j in cands:
                    claims[j] += 1
                best = _best(cands)
                if best is not None:
                    picks[i][p.index] = best
        for i in batch:
            chosen = picks[i]
            if len(chosen) != len(L[i].parts) or any(claims[j] != 1 or self._line_rivals(j, i, lref) for j in chosen.values()):
                continue
            pairs = tuple(sorted((k, E[j].id) for k, j in chosen.items()))
            self._take(RULE_BATCH_REFERENCE, [i], sorted(chosen.values()), part_entries=pairs)

    def _line_rivals(self, j: int, batch_line: int, lref: dict[_RefKey, list[int]]) -> bool:
        """Another free line of the entry's amount carries one of its references."""
        e = self.E[j]
        for r in set(e.references):
            for i in lref.get((e.currency, r), ()):
                if i != batch_line and self.l_free[i] and self.L[i].amount_minor == e.amount_minor:
                    return True
        return False

    # -- rule 1: references --------------------------------------------------
    def _rule_reference(self) -> None:
        cfg = self.cfg
        lref = _reference_index(self.L)
        eref = _reference_index(self.E)
        self.lref, self.eref = lref, eref
        # only references present on both sides, and not too common
        keys = {k for k in lref.keys() & eref.keys() if len(lref[k]) <= REF_FANOUT_CAP and len(eref[k]) <= REF_FANOUT_CAP}
        if not keys:
            return
        l_keys = _keys_by_item(keys, lref)
        e_keys = _keys_by_item(keys, eref)
        self._ref_one_to_one(l_keys, e_keys, _same_amount, with_difference=False)
        # b. groups by reference, exact sums
        if self.kmax >= 2:
            self._ref_groups(l_keys, e_keys)
        # c. one to one within the charges tolerance
        self._ref_one_to_one(l_keys, e_keys, lambda la, ea, cur: is_charge(cfg, cur, la, ea), with_difference=True)

    def _ref_line_cands(self, i: int, l_keys: dict[int, list[_RefKey]], ok: _AmountTest) -> dict[int, int]:
        L, E = self.L, self.E
        out: dict[int, int] = {}
        for k in l_keys[i]:
            for j in self.eref[k]:
                if self.e_free[j] and ok(L[i].amount_minor, E[j].amount_minor, L[i].currency):
                    out[j] = out.get(j, 0) + 1
        return out

    def _ref_entry_cands(self, j: int, e_keys: dict[int, list[_RefKey]], ok: _AmountTest) -> dict[int, int]:
        L, E = self.L, self.E
        out: dict[int, int] = {}
        for k in e_keys[j]:
            for i in self.lref[k]:
                if self.l_free[i] and ok(L[i].amount_minor, E[j].amount_minor, E[j].currency):
                    out[i] = out.get(i, 0) + 1
        return out

    def _ref_one_to_one(self, l_keys: dict[int, list[_RefKey]], e_keys: dict[int, list[_RefKey]], ok: _AmountTest, *, with_difference: bool) -> None:
        """a./c. one line : one entry, mutually the best candidate."""
        for i in sorted(l_keys):
            if not self.l_free[i]:
                continue
            j = _best(self._ref_line_cands(i, l_keys, ok))
            if j is None or _best(self._ref_entry_cands(j, e_keys, ok)) != i:
                continue
            diff = self.L[i].amount_minor - self.E[j].amount_minor if with_difference else 0
            self._take(RULE_REFERENCE, [i], [j], diff)

    def _ref_groups(self, l_keys: dict[int, list[_RefKey]], e_keys: dict[int, list[_RefKey]]) -> None:
        """b. one line : several entries, then several lines : one entry."""
        L, E, lref, eref = self.L, self.E, self.lref, self.eref
        for i in sorted(l_keys):
            if not self.l_free[i]:
                continue
            cands = sorted({j for k in l_keys[i] for j in eref[k] if self.e_free[j]})
            sol = self._ref_group(L[i].amount_minor, [E[j].amount_minor for j in cands])
            if sol is not None:
                self._take(RULE_REFERENCE, [i], [cands[t] for t in sol])
        for j in sorted(e_keys):
            if not self.e_free[j]:
                continue
            cands = sorted({i for k in e_keys[j] for i in lref[k] if self.l_free[i]})
            sol = self._ref_group(E[j].amount_minor, [L[i].amount_minor for i in cands])
            if sol is not None:
                self._take(RULE_REFERENCE, [cands[t] for t in sol], [j])

    def _ref_group(self, target: int, amounts: list[int]) -> tuple[int, ...] | None:
        """Indices of the counterparts (2..kmax) summing exactly to target, if unique."""
        if len(amounts) < 2 or target == 0:
            return None
        if len(amounts) <= self.kmax and sum(amounts) == target:
            return tuple(range(len(amounts)))
        sign = 1 if target > 0 else -1
        idx = [t for t, a in enumerate(amounts) if a != 0 and (a > 0) == (sign > 0) and abs(a) < abs(target)]
        if len(idx) < 2:
            return None
        if len(idx) > REF_GROUP_CANDIDATES_CAP:
            self.refusals["reference_group_too_many_candidates"] += 1
            return None
        idx.sort(key=lambda t: (-abs(amounts[t]), t))
        try:
            sols, _near, _ = _subset_search([abs(amounts[t]) for t in idx], abs(target), 2, self.kmax, 0, GROUP_WORK_CAP)
        except _Truncated:
            self.refusals["reference_group_work_cap"] += 1
            return None
        if len(sols) != 1:
            return None
        return tuple(sorted(idx[t] for t in sols[0]))

    # -- rule 2: amount and date -----------------------------------------------
    def _rule_amount_date(self) -> None:
        w = self.w
        lb: dict[tuple[str, int], list[int]] = defaultdict(list)
        eb: dict[tuple[str, int], list[int]] = defaultdict(list)
        for i, x in enumerate(self.L):
            if self.l_free[i]:
                lb[(x.currency, x.amount_minor)].append(i)
        for j, y in enumerate(self.E):
            if self.e_free[j]:
                eb[(y.currency, y.amount_minor)].append(j)
        for key in sorted(lb.keys() & eb.keys()):
            ls, es = lb[key], eb[key]
            if len(ls) == 1 and len(es) == 1:
                i, j = ls[0], es[0]
                if abs(self.l_day[i] - self.e_day[j]) <= w:
                    self._take(RULE_AMOUNT_DATE, [i], [j])
                continue
            # clusters: items (either side) chained by gaps <= window
            items = sorted([(self.l_day[i], 0, i) for i in ls] + [(self.e_day[j], 1, j) for j in es])
            cluster: list[tuple[int, int, int]] = []
            for it in items:
                if cluster and it[0] - cluster[-1][0] > w:
                    self._solve_cluster(cluster)
                    cluster = []
                cluster.append(it)
            if cluster:
                self._solve_cluster(cluster)

    def _solve_cluster(self, cluster: list[tuple[int, int, int]]) -> None:
        ls = [c[2] for c in cluster if c[1] == 0]
        es = [c[2] for c in cluster if c[1] == 1]
        if not ls or not es:
            return
        if len(ls) > CLUSTER_CAP or len(es) > CLUSTER_CAP:
            self.refusals["amount_date_cluster_too_large"] += 1
            return
        w = self.w
        adj = [[(b, abs(self.l_day[i] - self.e_day[j])) for b, j in enumerate(es) if abs(self.l_day[i] - self.e_day[j]) <= w] for i in ls]
        nl = len(ls)
        # closest date decides only in a balanced cluster; with a surplus on one
        # side the surplus item may be the closer one: only forced pairs then
        use_cost = CLOSEST_DATE_WITH_SURPLUS or len(ls) == len(es)
        best_key = [(-1, 0)]  # (pairs, -cost), higher is better
        common: list[set[tuple[int, int]] | None] = [None]
        nodes = [0]

        def rec(a: int, used: int, count: int, cost: int, edges: tuple[tuple[int, int], ...]) -> None:
            nodes[0] += 1
            if nodes[0] > CLUSTER_NODE_CAP:
                raise _Truncated
            if count + (nl - a) < best_key[0][0]:
                return
            if a == nl:
                k = (count, -cost if use_cost else 0)
                if k > best_key[0]:
                    best_key[0] = k
                    common[0] = set(edges)
                elif k == best_key[0]:
                    common[0] = (common[0] or set()) & set(edges)
                return
            for b, d in adj[a]:
                if not used >> b & 1:
                    rec(a + 1, used | (1 << b), count + 1, cost + d, edges + ((a, b),))
            rec(a + 1, used, count, cost, edges)

        try:
            rec(0, 0, 0, 0, ())
        except _Truncated:
            self.refusals["amount_date_cluster_work_cap"] += 1
            return
        for a, b in sorted(common[0] or ()):
            self._take(RULE_AMOUNT_DATE, [ls[a]], [es[b]])

    # -- rules 3 and 4: groups by sum ------------------------------------------
    def _rule_groups(self, *, one_line: bool) -> None:
        """one_line: a line = sum of entries (rule 3); else an entry = sum of lines (rule 4).

        Rounds: every free target proposes its unique solution against the
        current pool; a proposal is accepted only when none of its members is
        also part of a solution found for another target (competing targets,
        e.g. two entries of the same amount, refuse together).  Accepted
        members leave the pool and the next round retries the rest."""
        lines: Sequence[_Item] = self.L
        entries: Sequence[_Item] = self.E
        if one_line:
            rule = RULE_ONE_TO_MANY
            tgt, tgt_day, tgt_free = lines, self.l_day, self.l_free
            src, src_day, src_free = entries, self.e_day, self.e_free
        else:
            rule = RULE_MANY_TO_ONE
            tgt, tgt_day, tgt_free = entries, self.e_day, self.e_free
            src, src_day, src_free = lines, self.l_day, self.l_free
        self._shared_ref_groups(rule, tgt, tgt_day, tgt_free, src, src_day, src_free, self.eref if one_line else self.lref, one_line)
        pool: dict[_PoolKey, list[int]] = defaultdict(list)
        for j, x in enumerate(src):
            if src_free[j] and x.amount_minor != 0:
                pool[(x.currency, x.amount_minor > 0, src_day[j])].append(j)
        if not pool:
            return
        cache: dict[int, tuple[list[list[int]], str | None]] = {}
        dirty: set[_PoolKey] | None = None  # None: search every target
        for _ in range(GROUP_ROUNDS):
            proposals, claims = self._group_proposals(rule, tgt, tgt_day, tgt_free, pool, src, src_free, cache, dirty)
            dirty = set()
            for i, sol in proposals:
                if all(claims[j] == 1 for j in sol):
                    if one_line:
                        self._take(rule, [i], sol)
                    else:
                        self._take(rule, sol, [i])
                    for j in sol:
                        dirty.add((src[j].currency, src[j].amount_minor > 0, src_day[j]))
            if not dirty:
                break
            for key in dirty:
                pool[key] = [j for j in pool[key] if src_free[j]]
        self._group_refusals(rule, cache, tgt_free)

    def _group_refusals(self, rule: str, cache: dict[int, tuple[list[list[int]], str | None]], tgt_free: bytearray) -> None:
        """Why the targets left free were refused (bounds, chance, competition)."""
        for i, (found, refused) in sorted(cache.items()):
            if tgt_free[i]:
                if refused:
                    self.refusals[refused] += 1
                elif len(found) == 1:
                    self.refusals[f"{rule}_competing"] += 1

    def _group_proposals(
        self, rule: str, tgt: Sequence[_Item], tgt_day: list[int], tgt_free: bytearray, pool: dict[_PoolKey, list[int]], src: Sequence[_Item],
        src_free: bytearray, cache: dict[int, tuple[list[list[int]], str | None]], dirty: set[_PoolKey] | None,
    ) -> tuple[list[tuple[int, list[int]]], dict[int, int]]:
        """One round: every free target's unique solution (searched again only
        when its pool changed), and how many solutions claim each source item."""
        w = self.w
        proposals: list[tuple[int, list[int]]] = []
        claims: dict[int, int] = defaultdict(int)
        for i, x in enumerate(tgt):
            if not tgt_free[i] or x.amount_minor == 0:
                continue
            pos = x.amount_minor > 0
            if dirty is None or i not in cache or any((x.currency, pos, d) in dirty for d in range(tgt_day[i] - w, tgt_day[i] + w + 1)):
                cache[i] = self._group_search(rule, x, tgt_day[i], pool, src, src_free)
            found, refused = cache[i]
            for sol in found:
                for j in sol:
                    claims[j] += 1
            if not refused and len(found) == 1:
                proposals.append((i, found[0]))
        return proposals, claims

    def _shared_ref_groups(
        self, rule: str, tgt: Sequence[_Item], tgt_day: list[int], tgt_free: bytearray, src: Sequence[_Item], src_day: list[int], src_free: bytearray,
        src_ref: dict[_RefKey, list[int]], one_line: bool,
    ) -> None:
        """Pre-pass of rules 3/4: the free items of one side that share a
        reference among themselves (a payout batch id the ledger knows, not on
        the statement) and whose total equals one free item of the other side
        within the window -- mutually unique, exact sums."""
        w, kmax = self.w, self.kmax
        by_total: dict[tuple[str, int], list[tuple[int, ...]]] = defaultdict(list)
        for (cur, _r), members in src_ref.items():
            if len(members) < 2:
                continue
            free = tuple(sorted({j for j in members if src_free[j]}))
            if 2 <= len(free) <= kmax:
                total = sum(src[j].amount_minor for j in free)
                if total != 0:
                    by_total[(cur, total)].append(free)
        if not by_total:
            return
        tgt_by_amount: dict[tuple[str, int], list[int]] = defaultdict(list)
        for i, x in enumerate(tgt):
            if tgt_free[i] and (x.currency, x.amount_minor) in by_total:
                tgt_by_amount[(x.currency, x.amount_minor)].append(i)
        for key in sorted(tgt_by_amount):
            groups = sorted(set(by_total[key]))
            targets = tgt_by_amount[key]
            fits = [(i, g) for i in targets for g in groups if all(abs(tgt_day[i] - src_day[j]) <= w for j in g)]
            n_t: dict[int, int] = defaultdict(int)
            n_g: dict[tuple[int, ...], int] = defaultdict(int)
            for i, g in fits:
                n_t[i] += 1
                n_g[g] += 1
            for i, g in fits:
                if n_t[i] == 1 and n_g[g] == 1 and tgt_free[i] and all(src_free[j] for j in g):
                    if one_line:
                        self._take(rule, [i], list(g))
                    else:
                        self._take(rule, list(g), [i])

    def _group_search(
        self, rule: str, x: _Item, day: int, pool: dict[_PoolKey, list[int]], src: Sequence[_Item], src_free: bytearray,
    ) -> tuple[list[list[int]], str | None]:
        """Subsets (2..kmax) of one value date within the window summing to x.amount_minor.

        Returns (solutions, refusal): at most 2 solutions; a refusal names the
        bound that stopped the search or why a unique solution is not
        evidence (chance, round amounts)."""
        t = abs(x.amount_minor)
        pos = x.amount_minor > 0
        band = _chance_band(t)
        found: list[list[int]] = []
        near = 0
        for d in range(day - self.w, day + self.w + 1):
            bucket = pool.get((x.currency, pos, d))
            if not bucket:
                continue
            cands = [j for j in bucket if src_free[j] and abs(src[j].amount_minor) < t]
            if len(cands) < 2:
                continue
            if len(cands) > GROUP_CANDIDATES_CAP:
                return found, f"{rule}_too_many_candidates"
            cands.sort(key=lambda j: (-abs(src[j].amount_minor), j))
            try:
                sols, nr, _ = _subset_search([abs(src[j].amount_minor) for j in cands], t, 2, self.kmax, band, GROUP_WORK_CAP)
            except _Truncated:
                return found, f"{rule}_work_cap"
            near += nr
            found.extend([cands[k] for k in s] for s in sols)
            if len(found) > 1:
                return found, None
        if len(found) == 1:
            if (near + 1) / (2 * band + 1) > CHANCE_MAX:
                return found, f"{rule}_chance"
            if t % ROUND_UNIT == 0 and all(src[j].amount_minor % ROUND_UNIT == 0 for j in found[0]):
                return found, f"{rule}_round_amounts"
        return found, None

    # -- rule 5: amount and date with bank charges ----------------------------------
    def _rule_charges(self) -> None:
        cfg, w = self.cfg, self.w
        if cfg.charge_tolerance_minor <= 0 or cfg.charge_tolerance_bp <= 0:
            return
        by_cur: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for j, y in enumerate(self.E):
            if self.e_free[j] and y.amount_minor > 0 and y.currency not in cfg.currencies_without_tolerance:
                by_cur[y.currency].append((y.amount_minor, j))
        amounts = _sorted_amounts(by_cur)
        pairs: list[tuple[int, int]] = []
        line_n: dict[int, int] = defaultdict(int)
        entry_n: dict[int, int] = defaultdict(int)
        for i, x in enumerate(self.L):
            if not self.l_free[i] or x.currency not in by_cur or x.amount_minor <= 0:
                continue  # money in only: the bank deducts the fee from a credit
            lst, am = by_cur[x.currency], amounts[x.currency]
            # entry = line + fee, 0 < fee <= charge_tolerance_minor
            lo = bisect_right(am, x.amount_minor)
            hi = bisect_right(am, x.amount_minor + cfg.charge_tolerance_minor)
            for a, j in lst[lo:hi]:
                if abs(self.l_day[i] - self.e_day[j]) <= w and is_charge(cfg, x.currency, x.amount_minor, a):
                    pairs.append((i, j))
                    line_n[i] += 1
                    entry_n[j] += 1
        # free money-in lines by currency, for the neighbourhood of an entry
        l_by_cur: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, x in enumerate(self.L):
            if self.l_free[i] and x.amount_minor > 0:
                l_by_cur[x.currency].append((x.amount_minor, i))
        l_amounts = _sorted_amounts(l_by_cur)
        neighbours = partial(_neighbours, w)

        for i, j in sorted(pairs):
            if line_n[i] != 1 or entry_n[j] != 1:
                continue
            cur, la, ea = self.L[i].currency, self.L[i].amount_minor, self.E[j].amount_minor
            tol = charge_tolerance(cfg, cur, ea)
            spread = max(ea * CHARGE_BAND_PCT // 100, tol)
            # how many chance candidates would a band of this width hold?  the
            # observed neighbours of the line (entries) and of the entry (lines)
            others = neighbours(amounts[cur], by_cur[cur], self.e_day, la - spread, la + tol + spread, self.l_day[i], j)
            others += neighbours(l_amounts[cur], l_by_cur[cur], self.l_day, ea - tol - spread, ea + spread, self.e_day[j], i)
            if others * tol / (2 * spread) > CHARGE_CHANCE_MAX:
                self.refusals["amount_date_with_charges_chance"] += 1
                continue
            self._take(RULE_CHARGES, [i], [j], la - ea)


__all__ = ["MatchResult", "match", "charge_tolerance", "is_charge"]
