"""Run every benchmark and write one Markdown report.

    python -m bench                        # everything, full sizes (about an hour on 2 cores)
    python -m bench --quick                # small sizes: a smoke run of a few minutes
    python -m bench --only ledger,http     # some areas only
    python -m bench --out results.md       # default bench/REPORT.md
    python -m bench --max 1e7              # scale series up to 10^7 postings (PostgreSQL)
    python -m bench --only http --memory-duration 30   # HTTP with a 30 s memory run (default 300 s)

Areas (in this order): ledger, http, settlement, financing, recon, crash,
scale.  ``recon`` and ``crash`` run ``bench.recon.run`` / ``bench.crash.run``
when those modules exist, else the report says "not available".  Each area
starts its own throwaway durable PostgreSQL and measures its reference on it
in the same run, so every ratio compares figures taken on the same server
under the same machine load.  The report is rewritten after each area, so an
interrupted run keeps what was measured.  Exit status: 0, or 2 if an area
failed or one of its consistency checks did not pass (targets not met do not
change the exit status).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import importlib.util
import inspect
import os
import platform
import re
import sys
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("XBORDER_RATES_URL", "")

AREAS = ("ledger", "http", "settlement", "financing", "recon", "crash", "scale")
DEFAULT_OUT = ROOT / "bench" / "REPORT.md"
#: issue #14: the ledger's batch path (post_batch 8,000) against pgbench TPC-B-like at 8 clients
LEDGER_BATCH_VS_TPCB_14 = 5.0


def _log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _n(x: float | None, unit: str = "") -> str:
    if x is None:
        return "-"
    return f"{x:,.0f}{(' ' + unit) if unit else ''}"


def _met(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "**not met**")


# --------------------------------------------------------------------------
# areas: each returns (markdown section, summary rows, ok)
# summary row: (area, figure, reference ratio, target, verdict)

Section = tuple[str, list[tuple[str, str, str, str, str]], bool]


def area_ledger(quick: bool, args: argparse.Namespace) -> Section:
    from bench import ledger as B

    r = B.run(quick=quick, sqlite=args.sqlite)
    ref = r["ref"]
    tpcb = ref.get("tpcb-8", {}).get("tps")
    simple32 = ref.get("simple-32", {}).get("tps")
    md = [f"cores: {r['cores']}; {'quick' if quick else 'full'} volumes; PostgreSQL durable (fsync, synchronous_commit on), SQLite WAL + synchronous=FULL; "
          "a transfer = one transaction of two postings; uniform = random pairs of 10,000 accounts, hot = one side always the same settlement account.", ""]
    if ref:
        md += ["pgbench reference on the same PostgreSQL server, same run (scale 8, `-j 2`):", "", "| script | tps | latency ms |", "|---|---:|---:|"]
        for v in ref.values():
            md.append(f"| {v['name']} (`{' '.join(v['args'])}`) | {v['tps']:,.0f} | {v['latency_ms']:.2f} |" if v["latency_ms"] is not None else f"| {v['name']} | {v['tps']:,.0f} | - |")
        md.append("")
    md += ["| database | path | uniform transfers/s | hot transfers/s | hot / uniform (target >= 0.5x) | reference | uniform / ref | hot / ref | target | verdict |",
           "|---|---|---:|---:|---:|---|---:|---:|---:|---|"]
    summary = []
    ok_all = True
    for db, per in r["results"].items():
        for mode in B.MODES:
            u, h = per.get("uniform", {}).get(mode), per.get("hot", {}).get(mode)
            hu = (h / u) if (u and h) else None
            if mode.startswith("batch"):
                base, target, label = tpcb, B.BATCH_VS_TPCB, "TPC-B-like c8"
            elif mode == "single-32":
                base, target, label = simple32, B.SINGLE32_VS_SIMPLE32, "simple-update c32"
            else:
                base, target, label = None, None, ""
            ru = u / base if (u and base) else None
            rh = h / base if (h and base) else None
            met = None if ru is None else (ru >= target and (rh is None or rh >= target))
            hot_ok = None if hu is None else hu >= B.HOT_VS_UNIFORM
            verdict = _met(met) if met is not None else "-"
            md.append(
                f"| {db} | {B.MODE_LABEL[mode]} | {_n(u)} | {_n(h)} | {(f'{hu:.2f}x ' + _met(hot_ok)) if hu else '-'} | {(label + ' ' + _n(base, 'tps')) if base else '-'} | "
                f"{f'{ru:.2f}x' if ru else '-'} | {f'{rh:.2f}x' if rh else '-'} | {f'>= {target:g}x' if target else '-'} | {verdict} |"
            )
            if db == "PostgreSQL" and mode in ("single-32", "batch-8000") and ru is not None:
                summary.append((f"ledger {B.MODE_LABEL[mode]} (PostgreSQL)", f"{u:,.0f} transfers/s", f"{ru:.2f}x {label}", f">= {target:g}x (#7)", _met(met)))
                if mode == "batch-8000":
                    summary.append((f"ledger {B.MODE_LABEL[mode]} (PostgreSQL)", f"{u:,.0f} transfers/s", f"{ru:.2f}x {label}", f">= {LEDGER_BATCH_VS_TPCB_14:g}x (#14)", _met(ru >= LEDGER_BATCH_VS_TPCB_14)))
    md.append("")
    for db, probs in r["checks"].items():
        md.append(f"- {db}: refusals {r['refusals'].get(db, 0)}; stored balances vs posted and `Ledger.verify`: " + ("ok" if not probs else f"**{len(probs)} problems**: {probs[0]}"))
        ok_all &= not probs and not r["refusals"].get(db)
    if r.get("error"):
        md.append(f"- **error**: {r['error']}")
        ok_all = False
    return "\n".join(md) + "\n", summary, ok_all


def area_http(quick: bool, args: argparse.Namespace) -> Section:
    from bench import http as H

    r = H.run(quick=quick, sqlite=args.sqlite, profile=args.profile, duration=args.point_duration, memory_duration=args.memory_duration)
    md = H.to_markdown(r)
    ok = not any(d.get("error") or d.get("checks") for d in r["databases"].values())
    summary = [(f"HTTP: {t['name']} (PostgreSQL)", t["figure"], t["ratio"], t["target"] + " (#14)", H.verdict(t["verdict"])) for t in H.targets(r)]
    return md, summary, ok


def _pg_area(fn: Callable[[str], dict]) -> dict:
    from ledger.migrate import upgrade
    from tests.support.pgserver import PostgresServer

    server = PostgresServer(durable=True).start()
    try:
        server.create_database("bench")
        url = server.url("bench")
        upgrade(url)
        return fn(url)
    finally:
        server.stop()


def area_settlement(quick: bool, args: argparse.Namespace) -> Section:
    from bench import settlement as S

    n, batch, merchants = (2_000 if quick else 10_000), 1_000, 200
    r = _pg_area(lambda url: asyncio.run(S.run(url, n, batch, merchants)))
    ratio = r["receipts_s"] / r["ledger_s"]
    ok = r["refused"] == 0 and r["posted"] == r["expected"] and r["coverage_ok"] and r["verify_ok"]
    md = [
        f"cores: {os.cpu_count()}; PostgreSQL durable; {r['receipts']:,} receipts end to end (routing, netting of three fees, evidence against matched orders, "
        f"yearly totals, posting) in batches of {batch:,}, {merchants} merchants; reference: raw `Ledger.post_batch` transfers of the same batch size on the same server, same run.",
        "",
        "| path | per second | ratio to raw ledger batches |",
        "|---|---:|---:|",
        f"| settlement receipts, batches of {batch:,} | {r['receipts_s']:,.0f} receipts/s | {ratio:.2f}x |",
        f"| raw ledger transfers, batches of {batch:,} | {r['ledger_s']:,.0f} transfers/s | 1.00x |",
        "",
        f"- checks: posted {r['posted']:,}/{r['expected']:,}, refused {r['refused']}, evidence fully covered {r['coverage_ok']}, chain verifies {r['verify_ok']}: " + ("ok" if ok else "**FAILED**"),
        "- target: none stated for this path (a receipt writes 4 to 6 postings plus customer, evidence and totals rows; see the ratio).",
    ]
    return "\n".join(md) + "\n", [("settlement receipts (PostgreSQL)", f"{r['receipts_s']:,.0f} receipts/s", f"{ratio:.2f}x raw ledger batches", "-", "n/a")], ok


def area_financing(quick: bool, args: argparse.Namespace) -> Section:
    from bench import financing as F
    from financing import loans as L

    n, merchants = (5_000 if quick else 100_000), 300
    r = _pg_area(lambda url: asyncio.run(F.run(url, n, merchants, L.ACCRUAL_CHUNK)))
    ratio = r["loans_s"] / r["ledger_s"]
    ok = r["exact_once"] and r["verify_ok"]
    md = [
        f"cores: {os.cpu_count()}; PostgreSQL durable; the daily accrual job (`financing.loans.accrue`) over {r['loans']:,} active loans (seeded set-wise in "
        f"{r['seed_s']:,.0f} s), chunks of {L.ACCRUAL_CHUNK:,}; reference: raw accrual-shaped `Ledger.post_batch` transfers, batches of 1,000, same server, same run.",
        "",
        "| path | per second | ratio to raw ledger batches |",
        "|---|---:|---:|",
        f"| accrual job, {r['loans']:,} loans ({r['accrue_wall']:,.1f} s) | {r['loans_s']:,.0f} loans/s | {ratio:.2f}x |",
        f"| raw ledger transfers, {r['n_raw']:,} in batches of 1,000 | {r['ledger_s']:,.0f} transfers/s | 1.00x |",
        "",
        f"- checks: every loan accrued exactly once for the day and a second run posts nothing: {r['exact_once']}; chains verify: {r['verify_ok']} ({r['verify_s']:,.1f} s)",
        "- target: none stated for this path.",
    ]
    return "\n".join(md) + "\n", [("daily accrual job (PostgreSQL)", f"{r['loans_s']:,.0f} loans/s", f"{ratio:.2f}x raw ledger batches", "-", "n/a")], ok


def _optional(module: str) -> Any | None:
    """``bench.<module>`` with a ``run`` callable, or None if absent."""
    try:
        if importlib.util.find_spec(module) is None:
            return None
    except (ImportError, ValueError):
        return None
    mod = importlib.import_module(module)
    return mod if callable(getattr(mod, "run", None)) else None


def _generic_markdown(r: Any) -> str:
    if isinstance(r, str):
        return r
    if isinstance(r, dict):
        for k in ("markdown", "report", "md"):
            if isinstance(r.get(k), str):
                return r[k]
        md = ["| measure | value |", "|---|---:|"]
        for k, v in r.items():
            if isinstance(v, bool):
                s = str(v)
            elif isinstance(v, int):
                s = f"{v:,}"
            elif isinstance(v, float):
                s = f"{v:,.2f}" if abs(v) < 1000 else f"{v:,.0f}"
            elif isinstance(v, (str, type(None))):
                s = str(v)
            else:
                s = f"`{str(v)[:200]}`"
            md.append(f"| {k} | {s} |")
        return "\n".join(md) + "\n"
    return f"```\n{r!r}\n```\n"


def _call_run(mod: Any, quick: bool, **preferred: Any) -> Any:
    """Call ``mod.run`` with the keyword arguments it accepts (``quick`` and the preferred ones)."""
    fn = mod.run
    params = inspect.signature(fn).parameters
    var_kw = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    kwargs = {k: v for k, v in {"quick": quick, **preferred}.items() if var_kw or k in params}
    out = fn(**kwargs)
    if inspect.iscoroutine(out):
        out = asyncio.run(out)
    return out


def _ok_from(r: Any) -> bool:
    return not (isinstance(r, dict) and (r.get("error") or r.get("ok") is False or r.get("problems")))


def area_recon(quick: bool, args: argparse.Namespace) -> Section:
    mod = _optional("bench.recon")
    if mod is None:
        return "not available (`bench/recon.py` with a `run` function is not present in this tree).\n", [("reconciliation matching", "not available", "-", "-", "n/a")], True
    r = _call_run(mod, quick, n=2_000 if quick else 100_000)
    return _generic_markdown(r), [("reconciliation matching", _headline(r), "-", "-", "see section")], _ok_from(r)


def area_crash(quick: bool, args: argparse.Namespace) -> Section:
    mod = _optional("bench.crash")
    if mod is None:
        return "not available (`bench/crash.py` with a `run` function is not present in this tree).\n", [("crash safety", "not available", "-", "-", "n/a")], True
    r = _call_run(mod, quick, kills=10 if quick else 100)
    return _generic_markdown(r), [("crash safety", _headline(r), "-", "-", "see section")], _ok_from(r)


def _headline(r: Any) -> str:
    if isinstance(r, dict):
        for k in ("headline", "summary"):
            if isinstance(r.get(k), str):
                return r[k]
    return "see section"


def area_scale(quick: bool, args: argparse.Namespace) -> Section:
    from bench import scale as SC

    cap = int(args.max) if args.max else (100_000 if quick else 1_000_000)
    r = SC.run(max_postings=cap, sqlite=args.sqlite, reads=50 if quick else 200)
    md = SC.to_markdown(r)
    ok = not any(d.get("error") or any(d.get("checks", {}).values()) for d in r["databases"].values())
    summary = []
    for db, d in r["databases"].items():
        sizes = sorted(d.get("sizes", {}))
        if len(sizes) >= 2:
            worst = max(((d["sizes"][sizes[-1]][k] / d["sizes"][sizes[0]][k]), k) for k, _ in SC.OPS if k != "roundtrip")
            summary.append((f"scale series ({db}, {sizes[0]:,} -> {sizes[-1]:,} postings)", f"worst growth {worst[0]:.2f}x ({worst[1]})",
                            "vs 10^4", "flat or logarithmic", "met" if worst[0] <= 1.0 + 0.5 * (len(sizes) - 1) else "**not met**"))
    return md, summary, ok


RUNNERS: dict[str, tuple[str, Callable[[bool, argparse.Namespace], Section]]] = {
    "ledger": ("Ledger posting (single, batched, hot account) vs pgbench", area_ledger),
    "http": ("HTTP API load", area_http),
    "settlement": ("Settlement receipts", area_settlement),
    "financing": ("Financing: daily accrual job", area_financing),
    "recon": ("Reconciliation matching", area_recon),
    "crash": ("Crash safety", area_crash),
    "scale": ("Scale: cost of reads vs history size", area_scale),
}


# --------------------------------------------------------------------------
# report


KEEP = re.compile(r"<!-- keep: (?P<name>[\w#.-]+) -->.*?<!-- /keep: (?P=name) -->\n?", re.S)


def kept_sections(text: str) -> list[str]:
    """Hand-written blocks of the previous report (``<!-- keep: NAME -->`` ...
    ``<!-- /keep: NAME -->``, e.g. the before/after figures of an issue): a
    new run keeps them, after its summary."""
    return [m.group(0).rstrip() + "\n" for m in KEEP.finditer(text)]


def render(args: argparse.Namespace, done: dict[str, dict], started: datetime, keep: list[str] | None = None) -> str:
    head = [
        "# xborder benchmark report",
        "",
        f"Run {started:%Y-%m-%d %H:%M} UTC, {'quick (small sizes: a smoke run, not for conclusions)' if args.quick else 'full'}; "
        f"machine: {os.cpu_count()} cores (`os.cpu_count()`), {platform.machine()}, Python {platform.python_version()}, {platform.system()} {platform.release()}. "
        "The machine may be shared: compare the ratios (each measured against a reference on the same server in the same run), not absolute figures.",
        "",
        "## Summary",
        "",
        "| area | figure | reference ratio | target (issue) | verdict |",
        "|---|---:|---:|---|---|",
    ]
    body: list[str] = []
    for area, d in done.items():
        title = RUNNERS[area][0]
        for row in d["summary"]:
            head.append("| " + " | ".join(row) + " |")
        if d.get("error"):
            head.append(f"| {area} | **failed** | - | - | - |")
        body += [f"## {title}", "", f"_{d['seconds']:,.0f} s; cores: {os.cpu_count()}_", ""]
        if d.get("error"):
            body += ["**failed:**", "", "```", d["error"].rstrip(), "```", ""]
        if d.get("markdown"):
            body.append(d["markdown"].rstrip() + "\n")
    head.append("")
    for block in keep or []:
        head += [block.rstrip(), ""]
    return "\n".join(head + body).rstrip() + "\n"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="small sizes: a smoke run of a few minutes")
    p.add_argument("--only", metavar="AREA[,AREA]", help="areas to run: " + ",".join(AREAS))
    p.add_argument("--out", metavar="FILE", default=str(DEFAULT_OUT), help="Markdown report (default bench/REPORT.md)")
    p.add_argument("--max", type=float, default=None, help="scale series: largest history in postings (default 10^6; --quick 10^5; 1e7 = the full series)")
    p.add_argument("--sqlite", action=argparse.BooleanOptionalAction, default=True, help="also measure on SQLite where an area supports it")
    p.add_argument("--profile", action="store_true", help="http: pyinstrument the single-posting path and report the top frames")
    p.add_argument("--point-duration", type=float, default=None, metavar="SECONDS", help="http: seconds per measured point (default 15; --quick 4)")
    p.add_argument("--memory-duration", type=float, default=None, metavar="SECONDS", help="http: the memory run at 32 connections (default 300; --quick 20; 0 = skip)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    areas = list(AREAS)
    if args.only:
        areas = [a.strip() for a in args.only.split(",") if a.strip()]
        unknown = [a for a in areas if a not in AREAS]
        if unknown:
            print(f"unknown area(s): {', '.join(unknown)}; choose from {', '.join(AREAS)}", file=sys.stderr)
            return 64
    import signal

    def _terminate(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    # SIGTERM, and SIGINT also when started in the background: stop cleanly (servers stopped, partial report written)
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    keep = kept_sections(out.read_text()) if out.exists() else []
    started = datetime.now(UTC)
    done: dict[str, dict] = {}
    status = 0
    for area in areas:
        _log(f"{area}: start")
        t0 = time.perf_counter()
        try:
            md, summary, ok = RUNNERS[area][1](args.quick, args)
            done[area] = {"markdown": md, "summary": summary, "seconds": time.perf_counter() - t0}
            if not ok:
                status = 2
        except KeyboardInterrupt:
            done[area] = {"markdown": "", "summary": [], "seconds": time.perf_counter() - t0, "error": "interrupted"}
            out.write_text(render(args, done, started, keep))
            _log(f"interrupted; partial report in {out}")
            return 130
        except Exception:  # noqa: BLE001 - report the failure, run the other areas
            done[area] = {"markdown": "", "summary": [], "seconds": time.perf_counter() - t0, "error": traceback.format_exc(limit=8)}
            status = 2
        _log(f"{area}: done in {done[area]['seconds']:,.0f}s" + (" (FAILED)" if done[area].get("error") else ""))
        out.write_text(render(args, done, started, keep))
    _log(f"wrote {out}")
    return status


if __name__ == "__main__":
    sys.exit(main())
