"""A report as the console shows it: accounts by name, figures as links.

The report itself (:mod:`recon.reports`) is what the API and the CLI give;
the console adds, per row, the account's name (a column ``account_name``,
also in the console's CSV), links (``_links``: column -> URL), hover texts
(``_hints``: the code and the id) and shorter cell texts (``_texts``), and
hides the id columns on the page (the CSV keeps them).

* trial balance: every figure of an account links to its account statement
  (to the report's as-of date, when given);
* account statement: each line's transaction id links to the transaction
  page; the title names the account.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from recon.reporting import Column, Report

from .i18n import N_, Gettext
from .names import AccountName

ACCOUNT_NAME = N_("Account name")
MERCHANT_NAME = N_("Merchant name")
STATEMENT_TITLE = N_("Statement of account %(account)s")
#: trial balance columns that link to the statement behind them
FIGURES = ("debits", "credits", "balance_dr", "balance_cr", "net", "account_name")
#: columns shown only in the CSV (ids: on hover on the page)
HIDDEN = {"trial_balance": frozenset({"account", "account_id"}), "account_statement": frozenset()}


def account_ids(report: Report) -> list[UUID]:
    """The accounts a report shows (to be named)."""
    if report.name == "trial_balance":
        return [UUID(r["account_id"]) for r in report.rows if r.get("account_id")]
    if report.name == "account_statement" and report.params.get("account_id"):
        return [UUID(str(report.params["account_id"]))]
    return []


def merchant_refs(report: Report) -> list[str]:
    """The merchants a report shows by reference (to be named)."""
    if report.name == "advance_aging":
        return [str(r["merchant_ref"]) for r in report.rows if r.get("merchant_ref")]
    return []


def _name_merchants(report: Report, merchants: dict[str, str]) -> None:
    at = next((i + 1 for i, c in enumerate(report.columns) if c.key == "merchant_ref"), 0)
    report.columns.insert(at, Column("merchant_name", MERCHANT_NAME))
    for row in report.rows:
        row["merchant_name"] = merchants.get(str(row.get("merchant_ref") or ""), "")


def hidden(report: Report) -> frozenset[str]:
    return HIDDEN.get(report.name, frozenset())


def _add_name_column(report: Report) -> None:
    if any(c.key == "account_name" for c in report.columns):
        return
    at = next((i + 1 for i, c in enumerate(report.columns) if c.key == "account"), 0)
    report.columns.insert(at, Column("account_name", ACCOUNT_NAME))


def decorate(report: Report, names: dict[UUID, AccountName], t: Gettext, *, prefix: str, statement_allowed: bool, merchants: dict[str, str] | None = None) -> str:
    """Names, links and hover texts into the report's rows; returns the
    page's title for it."""
    if report.name == "advance_aging" and merchants is not None:
        _name_merchants(report, merchants)
    if report.name == "trial_balance":
        _add_name_column(report)
        as_of = report.params.get("as_of_date")
        for row in report.rows:
            name = names.get(UUID(row["account_id"])) if row.get("account_id") else None
            if name is None:
                continue
            row["account_name"] = name.label(t)
            row["_hints"] = {"account_name": name.hint}
            if statement_allowed:
                query: dict[str, Any] = {"run": "1", "account_id": row["account_id"]}
                if as_of:
                    query["date_to"] = str(as_of)
                url = f"{prefix}/reports/account_statement?{urlencode(query)}"
                row["_links"] = dict.fromkeys(FIGURES, url)
        return report.title_translated(t)
    if report.name == "account_statement":
        for row in report.rows:
            tx = row.get("transaction_id")
            if tx:
                row["_links"] = {"transaction_id": f"{prefix}/transactions/{tx}"}
                row["_texts"] = {"transaction_id": str(tx)[:8]}
                row["_hints"] = {"transaction_id": str(tx)}
        ids = account_ids(report)
        name = names.get(ids[0]) if ids else None
        if name is not None:
            return t(STATEMENT_TITLE, account=name.label(t))
    return report.title_translated(t)
