"""A generated settlement day to test and benchmark the matcher.

``generate_day(n, seed=...)`` builds ``n`` ledger entries on an institution's
USD/CNY settlement accounts, the bank's statement lines for them, and the
truth (which lines and entries belong together) to score a match result.

What the bank does to the ledger's picture (all shares are parameters):

* value dates: ledger entries spread over ``days`` days ending at ``as_of``;
  the bank's value date is 0, 1 or 2 days later (70 / 20 / 10 %);
* references: every line carries the bank's own reference (never on an
  entry); a share ``strip_share`` of the groups lose the end-to-end (and
  customer / batch) references on the statement.  Some entries and their
  lines also carry a customer reference shared by many entries;
* round amounts (100.00, 500.00, 10,000.00 ...) on a share ``round_share`` of
  the payments, so equal amounts repeat and tempt wrong amount/date matches;
* batches: several payouts of one value date (same currency and sign) paid as
  one statement line carrying the batch reference; ``batch_id_share`` of the
  batches have that batch id on their ledger entries too (rule 1, or rule 3's
  shared-reference pass when the statement lost it), the others only by sum
  (rule 3's subset-sum);
* splits: one ledger payment arriving as 2..4 lines of one value date, each
  within +/- 40 % of an even share (``many_lines_one_entry`` when stripped);
* charges: incoming payments of which the bank deducted a fee within the
  configured tolerance (``amount_date_with_charges`` or ``reference`` with a
  difference);
* entries not yet on the statement (booked on ``as_of`` -- the bank shows
  them tomorrow) and bank-only lines (fees, interest, unidentified
  receipts): these must stay unmatched.

Money is integer minor units throughout; the random draws are integers.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from recon.matching import MatchResult, charge_tolerance
from recon.model import EntryForMatch, LineForMatch, Match, MatchingConfig

# The configuration the generated day is meant for (charges within it).
DEFAULT_CONFIG = MatchingConfig(
    date_window_days=3,
    charge_tolerance_minor=3_000,  # 30.00
    charge_tolerance_bp=20,  # 0.2 %
    max_group_size=6,
)

ROUND_MAJOR = {
    "USD": (100, 200, 250, 500, 1_000, 2_000, 2_500, 5_000, 10_000),
    "CNY": (500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000),
}
# decades of the random (non-round) amounts in minor units: 10**lo .. 10**hi
AMOUNT_DECADES = {"USD": (3, 7), "CNY": (4, 8)}  # USD 10.00 .. 100,000.00; CNY 100.00 .. 1,000,000.00
FEES_MINOR = {"USD": (1_000, 1_500, 2_000, 2_500, 3_500), "CNY": (1_500, 2_000, 3_000, 5_000)}
SHIFT_WEIGHTS = ((0, 70), (1, 20), (2, 10))

KINDS = ("single", "batch", "split", "charge")


@dataclass(frozen=True)
class TruthGroup:
    kind: str  # single | batch | split | charge
    line_ids: tuple[str, ...]
    entry_ids: tuple[str, ...]
    difference_minor: int = 0


@dataclass
class Score:
    groups: int  # truth groups that should match
    groups_matched: int  # ... matched exactly (same lines and entries)
    matchable_items: int  # lines + entries in those groups
    correct_items: int  # lines + entries in exactly-matched groups
    wrong: list[Match]  # matches that are not a truth group
    unmatched_expected: int  # bank-only lines + unposted entries
    unmatched_expected_ok: int  # ... left unmatched
    per_kind: dict[str, tuple[int, int]]  # kind -> (matched exactly, total)

    @property
    def correct_pct(self) -> float:
        return 100.0 * self.correct_items / self.matchable_items if self.matchable_items else 100.0

    @property
    def wrong_count(self) -> int:
        return len(self.wrong)


@dataclass
class Truth:
    groups: list[TruthGroup]
    bank_only_line_ids: tuple[str, ...]
    unposted_entry_ids: tuple[str, ...]
    config: MatchingConfig = field(default=DEFAULT_CONFIG)

    def score(self, result: MatchResult) -> Score:
        by_key = {(g.line_ids, g.entry_ids): g for g in self.groups}
        good: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()
        wrong: list[Match] = []
        for m in result.matches:
            g = by_key.get((tuple(sorted(m.line_ids)), tuple(sorted(m.entry_ids))))
            if g is None or g.difference_minor != m.difference_minor:
                wrong.append(m)
            else:
                good.add((g.line_ids, g.entry_ids))
        per_kind: dict[str, list[int]] = {k: [0, 0] for k in KINDS}
        items = correct = 0
        for g in self.groups:
            n = len(g.line_ids) + len(g.entry_ids)
            items += n
            per_kind[g.kind][1] += 1
            if (g.line_ids, g.entry_ids) in good:
                correct += n
                per_kind[g.kind][0] += 1
        ul, ue = set(result.unmatched_line_ids), set(result.unmatched_entry_ids)
        ok = sum(1 for x in self.bank_only_line_ids if x in ul) + sum(1 for x in self.unposted_entry_ids if x in ue)
        return Score(
            groups=len(self.groups),
            groups_matched=len(good),
            matchable_items=items,
            correct_items=correct,
            wrong=wrong,
            unmatched_expected=len(self.bank_only_line_ids) + len(self.unposted_entry_ids),
            unmatched_expected_ok=ok,
            per_kind={k: (v[0], v[1]) for k, v in per_kind.items()},
        )


V = TypeVar("V")


def _weighted(rng: random.Random, pairs: Sequence[tuple[V, int]]) -> V:
    total = sum(w for _, w in pairs)
    r = rng.randrange(total)
    for v, w in pairs:
        if r < w:
            return v
        r -= w
    raise AssertionError


def generate_day(
    n: int,
    *,
    seed: int,
    currency_mix: Sequence[tuple[str, int]] = (("USD", 70), ("CNY", 30)),
    as_of: date = date(2026, 11, 20),
    days: int = 5,
    strip_share: float = 0.2,
    round_share: float = 0.02,
    batch_share: float = 0.02,  # of groups
    split_share: float = 0.01,
    charge_share: float = 0.02,
    unposted_share: float = 0.01,  # of entries
    bank_only_share: float = 0.005,  # lines, relative to n
    customer_ref_share: float = 0.1,
    batch_id_share: float = 0.9,  # batches whose entries carry the batch id
    max_batch: int = 5,
    max_split: int = 4,
    config: MatchingConfig = DEFAULT_CONFIG,
) -> tuple[list[LineForMatch], list[EntryForMatch], Truth]:
    """``n`` ledger entries, their statement lines, and the truth (see module doc)."""
    g = _Gen(
        n=n, seed=seed, rng=random.Random(seed), currency_mix=currency_mix, as_of=as_of, days=days, strip_share=strip_share, round_share=round_share,
        batch_share=batch_share, split_share=split_share, charge_share=charge_share, unposted_share=unposted_share, customer_ref_share=customer_ref_share,
        batch_id_share=batch_id_share, max_batch=max_batch, max_split=max_split, config=config,
    )
    rng = g.rng
    while len(g.entries) < n:
        g.one()
    bank_only: list[str] = []
    for _ in range(max(int(n * bank_only_share), 1)):
        cur = _weighted(rng, currency_mix)
        sign = 1 if rng.random() < 0.5 else -1
        line = LineForMatch(g.nid("L"), sign * g.amount(cur, allow_round=False), cur, as_of - timedelta(days=rng.randrange(days)), (g.bank_ref(),),
                            "bank charge / interest / unidentified")
        g.lines.append(line)
        bank_only.append(line.id)

    rng.shuffle(g.lines)
    rng.shuffle(g.entries)
    return g.lines, g.entries, Truth(g.groups, tuple(bank_only), tuple(g.unposted), config)


@dataclass
class _Gen:
    """The state of one generated day: the random source, the settings and
    what was generated so far."""

    n: int
    seed: int
    rng: random.Random
    currency_mix: Sequence[tuple[str, int]]
    as_of: date
    days: int
    strip_share: float
    round_share: float
    batch_share: float
    split_share: float
    charge_share: float
    unposted_share: float
    customer_ref_share: float
    batch_id_share: float
    max_batch: int
    max_split: int
    config: MatchingConfig
    lines: list[LineForMatch] = field(default_factory=list)
    entries: list[EntryForMatch] = field(default_factory=list)
    groups: list[TruthGroup] = field(default_factory=list)
    unposted: list[str] = field(default_factory=list)
    seq: dict[str, int] = field(default_factory=lambda: {"L": 0, "E": 0, "R": 0})

    @property
    def n_customers(self) -> int:
        return max(self.n // 40, 5)

    def nid(self, prefix: str) -> str:
        self.seq[prefix] += 1
        return f"{prefix}{self.seq[prefix]:07d}"

    def ref(self, kind: str) -> str:
        self.seq["R"] += 1
        return f"{kind}{self.seed % 1000:03d}{self.seq['R']:08d}"

    def amount(self, cur: str, *, allow_round: bool = True, at_least: int = 1) -> int:
        rng = self.rng
        if allow_round and rng.random() < self.round_share:
            a = rng.choice(ROUND_MAJOR[cur]) * 100
            if a >= at_least:
                return a
        lo, hi = AMOUNT_DECADES[cur]
        while True:
            d = rng.randrange(lo, hi)
            a = rng.randrange(10**d, 10 ** (d + 1))
            if a >= at_least:
                return a

    def entry_day(self) -> date:
        return self.as_of - timedelta(days=self.rng.randrange(self.days))

    def shift(self, d: date) -> date:
        return d + timedelta(days=_weighted(self.rng, SHIFT_WEIGHTS))

    def bank_ref(self) -> str:
        return self.ref("BNK")

    def one(self) -> None:
        """One more entry (or group of entries) and its statement line(s)."""
        rng = self.rng
        cur = _weighted(rng, self.currency_mix)
        money_in = rng.random() < 0.5
        sign = 1 if money_in else -1
        day = self.entry_day()
        stripped = rng.random() < self.strip_share
        cust = (f"CUST{rng.randrange(self.n_customers):06d}",) if rng.random() < self.customer_ref_share else ()
        r = rng.random()
        if r < self.unposted_share:
            e = EntryForMatch(self.nid("E"), sign * self.amount(cur), cur, self.as_of, (self.ref("E2E"), *cust))
            self.entries.append(e)
            self.unposted.append(e.id)
            return
        r -= self.unposted_share
        if r < self.batch_share and self.n - len(self.entries) >= 2:
            self._batch(cur, sign, day, stripped)
            return
        r -= self.batch_share
        if r < self.split_share:
            self._split(cur, sign, day, stripped, cust)
            return
        r -= self.split_share
        if r < self.charge_share and money_in and self._charge(cur, day, stripped, cust):
            return
        e2e = self.ref("E2E")
        a = sign * self.amount(cur)
        e = EntryForMatch(self.nid("E"), a, cur, day, (e2e, *cust))
        line = LineForMatch(self.nid("L"), a, cur, self.shift(day), (self.bank_ref(),) if stripped else (e2e, *cust, self.bank_ref()))
        self.entries.append(e)
        self.lines.append(line)
        self.groups.append(TruthGroup("single", (line.id,), (e.id,)))

    def _batch(self, cur: str, sign: int, day: date, stripped: bool) -> None:
        rng = self.rng
        k = rng.randint(2, min(self.max_batch, self.n - len(self.entries)))
        bref = self.ref("BAT")
        eref = (bref,) if rng.random() < self.batch_id_share else ()
        es = [EntryForMatch(self.nid("E"), sign * self.amount(cur), cur, day, (self.ref("E2E"), *eref)) for _ in range(k)]
        total = sum(e.amount_minor for e in es)
        line = LineForMatch(self.nid("L"), total, cur, self.shift(day), (self.bank_ref(),) if stripped else (bref, self.bank_ref()))
        self.entries.extend(es)
        self.lines.append(line)
        self.groups.append(TruthGroup("batch", (line.id,), tuple(sorted(e.id for e in es))))

    def _split(self, cur: str, sign: int, day: date, stripped: bool, cust: tuple[str, ...]) -> None:
        rng = self.rng
        k = rng.randint(2, self.max_split)
        a = self.amount(cur, allow_round=False, at_least=k * 10_000)
        # parts of similar size (a bank splits on its limits): each within
        # +/- 40 % of an even share, whole minor units, summing to the entry
        parts = []
        left = a
        for t in range(k - 1, 0, -1):
            share = left // (t + 1)
            p = rng.randrange(share * 6 // 10, share * 14 // 10 + 1)
            parts.append(p)
            left -= p
        parts.append(left)
        e2e = self.ref("E2E")
        e = EntryForMatch(self.nid("E"), sign * a, cur, day, (e2e, *cust))
        lday = self.shift(day)
        ls = [LineForMatch(self.nid("L"), sign * p, cur, lday, (self.bank_ref(),) if stripped else (e2e, self.bank_ref())) for p in parts]
        self.entries.append(e)
        self.lines.extend(ls)
        self.groups.append(TruthGroup("split", tuple(sorted(x.id for x in ls)), (e.id,)))

    def _charge(self, cur: str, day: date, stripped: bool, cust: tuple[str, ...]) -> bool:
        """A money-in entry the bank credits less its fee; False when the
        tolerance leaves no fee (then a plain single is generated instead)."""
        config = self.config
        fee = self.rng.choice(FEES_MINOR[cur])
        a = self.amount(cur, at_least=fee * 10_000 // max(config.charge_tolerance_bp, 1) + 1)
        fee = min(fee, charge_tolerance(config, cur, a))
        if fee <= 0:
            return False
        e2e = self.ref("E2E")
        e = EntryForMatch(self.nid("E"), a, cur, day, (e2e, *cust))
        line = LineForMatch(self.nid("L"), a - fee, cur, self.shift(day), (self.bank_ref(),) if stripped else (e2e, *cust, self.bank_ref()))
        self.entries.append(e)
        self.lines.append(line)
        self.groups.append(TruthGroup("charge", (line.id,), (e.id,), -fee))
        return True


__all__ = ["DEFAULT_CONFIG", "Score", "Truth", "TruthGroup", "generate_day"]
