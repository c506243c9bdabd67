"""The reconciliation summary report: match rate and unmatched items by age,
per reconciled bank account (registered in :data:`recon.reports.REPORTS`)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from .report_registry import Param, ReportEnv, ReportSpec
from .reporting import Column, Report
from .service import AGE_BUCKETS, Reconciliation


async def recon_summary(env: ReportEnv, institution_id: UUID, *, as_of_date: date | None = None) -> Report:
    s = await Reconciliation(env.ledger).summary(institution_id, as_of=as_of_date)
    labels = [label for _, _, label in AGE_BUCKETS]
    columns = [
        Column("bank_account", "Bank account"), Column("currency", "Currency"), Column("lines", "Statement lines", "int"),
        Column("matched_lines", "Matched", "int"), Column("match_rate", "Match rate %", "percent"),
        *[Column(f"open_{label}", "Open lines %(bucket)s d", "int", values=(("bucket", label),)) for label in labels],
        *[Column(f"entries_{label}", "Unmatched entries %(bucket)s d", "int", values=(("bucket", label),)) for label in labels],
    ]
    rows = []
    for a in s["accounts"]:
        row = {k: a[k] for k in ("bank_account", "currency", "lines", "matched_lines", "match_rate")}
        row.update({f"open_{k}": v for k, v in a["lines_by_age"].items()})
        row.update({f"entries_{k}": v for k, v in a["entries_by_age"].items()})
        rows.append(row)
    totals = [{
        "bank_account": "all accounts", "lines": s["lines"], "matched_lines": s["matched_lines"], "match_rate": s["match_rate"],
        **{f"open_{label}": sum(r[f"open_{label}"] for r in rows) for label in labels},
        **{f"entries_{label}": sum(r[f"entries_{label}"] for r in rows) for label in labels},
    }] if rows else []
    notes = [f"{s['pending_proposals']} proposal(s) awaiting approval", "ages in days since the value date"]
    return Report("recon_summary", "Reconciliation summary", columns, rows, params={"as_of_date": s["as_of"]}, totals=totals, notes=notes)


#: registered by :mod:`recon.reports` (after the built-in reports)
RECON_SUMMARY = ReportSpec(
    "recon_summary", "Reconciliation summary",
    [Param("as_of_date", "date", help="ages counted to this date (default: today)")],
    recon_summary, description="Match rate and unmatched statement lines and ledger entries by age, per reconciled bank account.",
)
