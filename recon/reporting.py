"""The one shape every report takes, and its renderings (JSON-able dict, CSV).

A report is a title, typed columns and rows of plain values: money as integer
minor units with the row's currency (rendered as a decimal string with the
currency's decimals, never a float; every money column has its currency in a
column of the report), rates as ``Decimal`` strings, dates as ISO strings.  The API renders
it as JSON or CSV, the console as an HTML table, the CLI as a rich table.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ledger.clock import utc_now
from ledger.money import format_minor

COLUMN_KINDS = ("text", "money", "int", "date", "percent", "rate")


def N_(message: str) -> str:
    """Marks a report title for the console's catalog (translated where shown)."""
    return message


Translate = Callable[..., str]


@dataclass(frozen=True)
class Column:
    key: str
    #: the English label; with ``values`` a message with ``%(name)s``
    #: placeholders (the console translates the message, then fills it)
    label: str
    kind: str = "text"  # one of COLUMN_KINDS
    # for money columns: the row key holding the currency (default 'currency')
    currency_key: str = "currency"
    #: what fills the label's placeholders (a Column: its own label)
    values: tuple[tuple[str, Any], ...] = ()

    @property
    def text(self) -> str:
        """The label in English, filled."""
        return self.label % {k: (v.text if isinstance(v, Column) else v) for k, v in self.values} if self.values else self.label

    def translated(self, t: Translate) -> str:
        """The label in ``t``'s language, filled."""
        if not self.values:
            return t(self.label)
        return t(self.label, **{k: (v.translated(t) if isinstance(v, Column) else v) for k, v in self.values})


@dataclass
class Report:
    name: str
    #: the English title; with ``title_values`` a message with placeholders
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    params: dict[str, Any] = field(default_factory=dict)
    totals: list[dict[str, Any]] = field(default_factory=list)  # rows shown under a rule
    notes: list[str] = field(default_factory=list)
    generated_at: datetime = field(default_factory=utc_now)
    title_values: dict[str, Any] = field(default_factory=dict)

    @property
    def title_text(self) -> str:
        """The title in English, filled."""
        return self.title % self.title_values if self.title_values else self.title

    def title_translated(self, t: Translate) -> str:
        return t(self.title, **self.title_values) if self.title_values else t(self.title)

    def __post_init__(self) -> None:
        # every money column names its currency in a column of the report (CSV readers see it too):
        # a money column in another currency than the row's gets its own currency column after it
        keys = {c.key for c in self.columns}
        columns: list[Column] = []
        for c in self.columns:
            columns.append(c)
            if c.kind == "money" and c.currency_key not in keys:
                columns.append(Column(c.currency_key, "%(column)s currency", values=(("column", c),)))
                keys.add(c.currency_key)
        self.columns = columns

    def cell(self, row: dict[str, Any], col: Column) -> str:
        """The display text of one cell (also what CSV carries)."""
        v = row.get(col.key)
        if v is None:
            return ""
        if col.kind == "money":
            cur = row.get(col.currency_key) or ""
            return format_minor(int(v), cur) if cur else str(v)
        if col.kind == "percent":
            return f"{Decimal(v):.2f}"
        if isinstance(v, (date, datetime)):
            return v.isoformat()
        return str(v)

    def to_dict(self) -> dict[str, Any]:
        def render(rows: list[dict[str, Any]]) -> list[dict[str, str | None]]:
            return [{c.key: (self.cell(r, c) if r.get(c.key) is not None else None) for c in self.columns} for r in rows]

        return {
            "name": self.name,
            "title": self.title_text,
            "params": {k: (v.isoformat() if isinstance(v, (date, datetime)) else v) for k, v in self.params.items()},
            "generated_at": self.generated_at.isoformat(),
            "columns": [{"key": c.key, "label": c.text, "kind": c.kind} for c in self.columns],
            "rows": render(self.rows),
            "totals": render(self.totals),
            "notes": list(self.notes),
        }

    def to_csv(self, labels: list[str] | None = None) -> str:
        """The report as CSV; ``labels`` replace the column labels (a translation)."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(labels if labels is not None else [c.text for c in self.columns])
        for r in [*self.rows, *self.totals]:
            w.writerow([_csv_safe(self.cell(r, c)) for c in self.columns])
        return buf.getvalue()


def _csv_safe(text: str) -> str:
    # spreadsheet formula injection: a cell starting with = + - @ is data, not a formula
    if text and text[0] in "=+@\t\r" or (text.startswith("-") and not _is_number(text)):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
        return True
    except Exception:  # noqa: BLE001 - any failure means not a number
        return False
