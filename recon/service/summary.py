"""The reconciliation summary: match rate and unmatched items by age."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import func, select

from ledger.clock import business_today

from ..tables import (
    recon_lines,
    recon_matches,
)
from .common import (
    AGE_BUCKETS,
    ServiceBase,
    _bucket,
    _rate,
)


class SummaryMixin(ServiceBase):
    """Match rate and unmatched items by age, per account and per day."""

    # -- summary ------------------------------------------------------------------------------------

    async def summary(self, institution_id: UUID, *, as_of: date | None = None, days: int = 30) -> dict[str, Any]:
        """Match rate and unmatched items by age, per reconciled account and per day."""
        as_of = as_of or business_today()
        accts = await self.list_accounts(institution_id)
        per_account: list[dict[str, Any]] = []
        daily: dict[date, dict[str, int]] = {}
        since = as_of - timedelta(days=days - 1)
        async with self.engine.connect() as conn:
            for acct in accts:
                rows = (await conn.execute(select(recon_lines.c.status, recon_lines.c.value_date, func.count()).where(
                    recon_lines.c.recon_account_id == acct.id, recon_lines.c.status != "split").group_by(recon_lines.c.status, recon_lines.c.value_date))).all()
                total = matched = 0
                line_ages = {label: 0 for _, _, label in AGE_BUCKETS}
                for status, vdate, n in rows:
                    total += n
                    if status == "matched":
                        matched += n
                    else:
                        line_ages[_bucket((as_of - vdate).days)] += n
                    if since <= vdate <= as_of:
                        d = daily.setdefault(vdate, {"lines": 0, "matched": 0})
                        d["lines"] += n
                        d["matched"] += n if status == "matched" else 0
                entry_ages = {label: 0 for _, _, label in AGE_BUCKETS}
                unmatched_entries = await self._unmatched_entries(conn, acct)
                for e in unmatched_entries:
                    entry_ages[_bucket((as_of - e.value_date).days)] += 1
                rules: dict[str, int] = dict((await conn.execute(select(recon_matches.c.rule, func.count()).where(
                    recon_matches.c.recon_account_id == acct.id, recon_matches.c.status != "unmatched").group_by(recon_matches.c.rule))).all())
                per_account.append({
                    "recon_account_id": acct.id, "bank_account": acct.bank_account, "currency": acct.currency, "lines": total, "matched_lines": matched,
                    "open_lines": total - matched, "unmatched_entries": len(unmatched_entries), "match_rate": _rate(matched, total),
                    "lines_by_age": line_ages, "entries_by_age": entry_ages, "matches_by_rule": {k: int(v) for k, v in rules.items()},
                })
        pending = len(await self.proposals(institution_id, status="pending"))
        total = sum(a["lines"] for a in per_account)
        matched = sum(a["matched_lines"] for a in per_account)
        return {
            "as_of": as_of, "lines": total, "matched_lines": matched, "match_rate": _rate(matched, total), "pending_proposals": pending, "accounts": per_account,
            "daily": [{"day": d, "lines": v["lines"], "matched": v["matched"], "match_rate": _rate(v["matched"], v["lines"])} for d, v in sorted(daily.items())],
        }

