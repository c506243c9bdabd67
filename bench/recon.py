"""Reconciliation matching benchmark: a generated 100,000-line statement
against 100,000 ledger entries, with a plain dict join on the same data as
reference.

    python -m bench.recon                 # 100,000 entries
    python -m bench.recon --n 20000 --seed 3

What it measures, in one process and one run:

1. ``recon.generate.generate_day(n, seed)`` builds the day (not timed);
2. ``recon.matching.match`` on it, timed without tracing: statement lines
   per second, matches per rule, and the RSS high-water mark's growth during
   the call (``ru_maxrss`` delta: 0 when matching stayed below the peak the
   generation already reached);
3. the reference on the same data: build a dict of the entries by
   (currency, amount) and join every line to one entry of its key -- the
   lower bound of any matcher, which must at least index and look up; the
   table shows matching time / reference time;
4. ``match`` again under ``tracemalloc`` for the peak of Python allocations
   during matching (slower; not used for the rate);
5. correctness against the generator's truth: correct automatic matches
   (share of the lines and entries of the groups that should match, matched
   exactly), wrong matches, unmatched items that must stay unmatched.

``run(n, seed)`` returns the figures as a dict for a report.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from recon.generate import DEFAULT_CONFIG, generate_day  # noqa: E402
from recon.matching import match  # noqa: E402
from recon.model import RULE_MANUAL, RULES  # noqa: E402

console = Console() if sys.stdout.isatty() else Console(width=150)


def _maxrss_mb() -> float:
    # Linux reports kilobytes
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reference_join(lines, entries) -> tuple[int, float]:
    """Dict index of entries by (currency, amount), exact pairs joined; (pairs, seconds)."""
    t0 = time.perf_counter()
    index: dict[tuple[str, int], list[str]] = {}
    for e in entries:
        index.setdefault((e.currency, e.amount_minor), []).append(e.id)
    used: set[str] = set()
    pairs = 0
    for x in lines:
        for eid in index.get((x.currency, x.amount_minor), ()):
            if eid not in used:
                used.add(eid)
                pairs += 1
                break
    return pairs, time.perf_counter() - t0


def run(n: int = 100_000, seed: int = 20261120) -> dict:
    """Generate a day of ``n`` entries, match it, measure; the figures as a dict."""
    t0 = time.perf_counter()
    lines, entries, truth = generate_day(n, seed=seed)
    gen_s = time.perf_counter() - t0

    gc.collect()
    rss0 = _maxrss_mb()
    t0 = time.perf_counter()
    res = match(lines, entries, DEFAULT_CONFIG)
    match_s = time.perf_counter() - t0
    rss_delta = _maxrss_mb() - rss0

    ref_pairs, ref_s = reference_join(lines, entries)

    gc.collect()
    tracemalloc.start()
    res2 = match(lines, entries, DEFAULT_CONFIG)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    deterministic = res2.matches == res.matches

    score = truth.score(res)
    return {
        "n_entries": len(entries),
        "n_lines": len(lines),
        "seed": seed,
        "generate_s": gen_s,
        "match_s": match_s,
        "lines_per_s": len(lines) / match_s,
        "reference_s": ref_s,
        "reference_pairs": ref_pairs,
        "reference_lines_per_s": len(lines) / ref_s,
        "ratio_to_reference": match_s / ref_s,
        "tracemalloc_peak_mb": peak / 2**20,
        "maxrss_delta_mb": rss_delta,
        "maxrss_mb": _maxrss_mb(),
        "counts": dict(res.counts),
        "refusals": dict(res.refusals),
        "matches": len(res.matches),
        "unmatched_lines": len(res.unmatched_line_ids),
        "unmatched_entries": len(res.unmatched_entry_ids),
        "correct_pct": score.correct_pct,
        "groups": score.groups,
        "groups_matched": score.groups_matched,
        "wrong": score.wrong_count,
        "unmatched_expected": score.unmatched_expected,
        "unmatched_expected_ok": score.unmatched_expected_ok,
        "per_kind": score.per_kind,
        "deterministic": deterministic,
    }


def tables(r: dict) -> list[Table]:
    t = Table(title=f"reconciliation matching: {r['n_lines']:,} statement lines vs {r['n_entries']:,} ledger entries (seed {r['seed']}), {os.cpu_count()} cores")
    for col in ("measure", "value", "vs reference"):
        t.add_column(col, justify="left" if col == "measure" else "right")
    t.add_row("match(): time", f"{r['match_s']:.2f} s", f"{r['ratio_to_reference']:.1f}x slower")
    t.add_row("match(): statement lines per second", f"{r['lines_per_s']:,.0f}", "")
    t.add_row("reference: dict (currency, amount) index + exact join", f"{r['reference_s']:.3f} s", "1.0x")
    t.add_row("reference: statement lines per second", f"{r['reference_lines_per_s']:,.0f}", f"{r['reference_pairs']:,} pairs (blind)")
    t.add_row("peak memory, tracemalloc (during match)", f"{r['tracemalloc_peak_mb']:,.1f} MB", "")
    t.add_row("peak memory, ru_maxrss delta (during match)", f"{r['maxrss_delta_mb']:,.1f} MB", f"process max {r['maxrss_mb']:,.0f} MB")
    t.add_row("correct automatic matches (items of matchable groups)", f"{r['correct_pct']:.3f} %", f"{r['groups_matched']:,}/{r['groups']:,} groups")
    t.add_row("wrong matches", f"{r['wrong']}", "")
    t.add_row("must-stay-unmatched left unmatched", f"{r['unmatched_expected_ok']:,}/{r['unmatched_expected']:,}", "")
    t.add_row("same result twice (deterministic)", str(r["deterministic"]), "")

    k = Table(title="matches per rule")
    k.add_column("rule")
    k.add_column("matches", justify="right")
    for rule in RULES:
        if rule != RULE_MANUAL:
            k.add_row(rule, f"{r['counts'].get(rule, 0):,}")
    k.add_row("unmatched lines / entries", f"{r['unmatched_lines']:,} / {r['unmatched_entries']:,}")

    g = Table(title="truth groups matched exactly, by kind")
    g.add_column("kind")
    g.add_column("matched", justify="right")
    for kind, (ok, total) in r["per_kind"].items():
        g.add_row(kind, f"{ok:,}/{total:,} ({100.0 * ok / total if total else 100:.1f} %)")
    f = Table(title="items left free, by the reason a candidate was refused")
    f.add_column("reason")
    f.add_column("count", justify="right")
    for reason, count in r["refusals"].items():
        f.add_row(reason, f"{count:,}")
    return [t, k, g, f]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=100_000, help="ledger entries (default 100,000)")
    p.add_argument("--seed", type=int, default=20261120)
    args = p.parse_args(argv)
    console.log(f"generating {args.n:,} entries and matching ...")
    r = run(args.n, args.seed)
    for t in tables(r):
        console.print(t)
    return 0 if r["wrong"] == 0 and r["deterministic"] else 2


if __name__ == "__main__":
    sys.exit(main())
