"""Bank statements as CSV, read through a column mapping.

A :class:`CsvMapping` says which column holds which field: ``columns`` maps
our field names (:data:`FIELDS`) to a column, by header name when
``has_header`` is true, else by 0-based index.  The amount is either one
signed ``amount`` column or a ``debit`` + ``credit`` pair (a value in
``debit`` is money out whatever its sign).  The currency is a column or
``fixed_currency``, the account a column or ``fixed_account``.

A CSV file is one statement: one header, its entries, one footer.  Without
``statement_id`` in the mapping the header carries ``statement_id=""`` and
the importer derives one from the file digest.  Rows are streamed with the
``csv`` module; a row that cannot be read refuses the file with its line.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from typing import Any, BinaryIO

from ledger.errors import InvalidAmount, InvalidInput, UnknownCurrency
from ledger.money import is_currency, to_minor

from ..model import StatementEntry, StatementEvent, StatementFooter, StatementHeader, StatementRejected

FORMAT = "csv"
FIELDS = (
    "amount",
    "debit",
    "credit",
    "currency",
    "booking_date",
    "value_date",
    "end_to_end_ref",
    "bank_ref",
    "reference",
    "description",
    "counterparty_name",
    "counterparty_account",
    "bank_tx_code",
    "account",
)
_NUMBER_RE = re.compile(r"^[0-9]+(\.[0-9]+)?$")
MAX_FIELD = 100_000


@dataclass(frozen=True)
class CsvMapping:
    columns: dict[str, str | int] = field(default_factory=dict)
    delimiter: str = ","
    quotechar: str = '"'
    encoding: str = "utf-8"
    has_header: bool = True
    date_format: str = "%Y-%m-%d"
    decimal_separator: str = "."
    thousands_separator: str = ""
    fixed_currency: str | None = None
    fixed_account: str | None = None
    statement_id: str | None = None
    skip_blank_rows: bool = True

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        self._validate_columns()
        self._validate_text_format()

    def _validate_columns(self) -> None:
        bad = _bad_mapping
        if not isinstance(self.columns, dict):
            raise bad("columns must be an object of field -> column")
        unknown = sorted(set(self.columns) - set(FIELDS))
        if unknown:
            raise bad(f"unknown field(s) {', '.join(map(str, unknown))}; known: {', '.join(FIELDS)}")
        for key, col in self.columns.items():
            if self.has_header:
                if not isinstance(col, str) or not col:
                    raise bad(f"{key}: a header name is required when has_header is true")
            elif isinstance(col, bool) or not isinstance(col, int) or col < 0:
                raise bad(f"{key}: a 0-based column index is required when has_header is false")
        has_amount = "amount" in self.columns
        has_pair = "debit" in self.columns or "credit" in self.columns
        if has_amount == has_pair or (has_pair and not ("debit" in self.columns and "credit" in self.columns)):
            raise bad("map either amount, or both debit and credit")
        if ("currency" in self.columns) == bool(self.fixed_currency):
            raise bad("map a currency column or give fixed_currency (exactly one)")
        if self.fixed_currency and not is_currency(self.fixed_currency):
            raise bad(f"unknown currency {self.fixed_currency!r}")
        if ("account" in self.columns) == bool(self.fixed_account):
            raise bad("map an account column or give fixed_account (exactly one)")
        if "booking_date" not in self.columns and "value_date" not in self.columns:
            raise bad("map booking_date or value_date")

    def _validate_text_format(self) -> None:
        bad = _bad_mapping
        if len(self.delimiter) != 1 or len(self.quotechar) != 1 or self.delimiter == self.quotechar:
            raise bad("delimiter and quotechar must be single, different characters")
        if self.decimal_separator not in (".", ","):
            raise bad("decimal_separator must be '.' or ','")
        if self.thousands_separator not in ("", ",", ".", " ", "'", "\u00a0") or self.thousands_separator == self.decimal_separator:
            raise bad("thousands_separator must be empty or one of , . space ' and differ from the decimal separator")
        try:
            codecs.lookup(self.encoding)
        except LookupError:
            raise bad(f"unknown encoding {self.encoding!r}") from None
        try:
            datetime.strptime(datetime(2024, 12, 31).strftime(self.date_format), self.date_format)
        except ValueError:
            raise bad(f"date_format {self.date_format!r} does not round-trip") from None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CsvMapping:
        if not isinstance(data, dict):
            raise InvalidInput("CSV mapping: an object is required", field="csv_mapping")
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise InvalidInput(f"CSV mapping: unknown setting(s) {', '.join(map(str, unknown))}", field="csv_mapping")
        return cls(**{**data, "columns": dict(data.get("columns") or {})})


class CsvMappingInconsistent(InvalidInput):
    """A CSV mapping whose settings do not fit together (amount or
    debit+credit, a currency column or fixed_currency, an account column or
    fixed_account, header names or column indexes, separators, encoding,
    date format)."""

    code = "csv_mapping_inconsistent"
    title = "Inconsistent CSV mapping"


def _bad_mapping(message: str) -> InvalidInput:
    return CsvMappingInconsistent(f"CSV mapping: {message}", field="csv_mapping")


def _reject(message: str, line: int) -> StatementRejected:
    return StatementRejected(message, format=FORMAT, position=f"line {line}")


def _amount_text(raw: str, mapping: CsvMapping, line: int, column: str) -> tuple[int, str]:
    """(sign, canonical decimal text) of a cell."""
    text = raw.strip().replace("\u00a0", " ")
    sign = 1
    if text.startswith("(") and text.endswith(")"):
        sign, text = -1, text[1:-1].strip()
    if text[:1] in "+-" and text:
        sign = -sign if text[0] == "-" else sign
        text = text[1:].strip()
    if text.endswith("-"):  # trailing minus, as some banks print it
        sign, text = -sign, text[:-1].strip()
    if mapping.thousands_separator:
        text = text.replace(mapping.thousands_separator, "")
    if mapping.decimal_separator != ".":
        if "." in text:
            raise _reject(f"{column} {raw.strip()[:40]!r} is not an amount", line)
        text = text.replace(mapping.decimal_separator, ".")
    if not _NUMBER_RE.match(text):
        raise _reject(f"{column} {raw.strip()[:40]!r} is not an amount", line)
    return sign, text


def _columns(reader: Any, mapping: CsvMapping) -> dict[str, int]:
    """field -> column index (from the header row, or as mapped)."""
    if not mapping.has_header:
        return {k: int(v) for k, v in mapping.columns.items()}
    try:
        names = next(reader)
    except StopIteration:
        raise _reject("empty file: no header row", 1) from None
    names = [n.strip().lstrip("\ufeff") for n in names]
    col: dict[str, int] = {}
    for key, name in mapping.columns.items():
        if name not in names:
            raise _reject(f"column {name!r} (for {key}) is not in the header row", reader.line_num)
        col[key] = names.index(name)
    return col


class _Row:
    """One data row of the file: its cells by field name."""

    def __init__(self, row: list[str], col: dict[str, int], mapping: CsvMapping, line: int) -> None:
        self.row, self.col, self.mapping, self.line = row, col, mapping, line

    def cell(self, key: str) -> str:
        i = self.col.get(key)
        return self.row[i].strip() if i is not None else ""

    def currency(self) -> str:
        row_ccy = self.cell("currency") if "currency" in self.col else self.mapping.fixed_currency
        if not row_ccy or not is_currency(row_ccy):
            raise _reject(f"unknown currency {row_ccy[:10]!r}" if row_ccy else "no currency", self.line)
        return row_ccy

    def amount_minor(self, row_ccy: str) -> int:
        mapping, line = self.mapping, self.line
        if "amount" in self.col:
            sign, dec = _amount_text(self.cell("amount"), mapping, line, "amount")
        else:
            debit, credit = self.cell("debit"), self.cell("credit")
            if bool(debit) == bool(credit):
                raise _reject("exactly one of debit and credit must be filled", line)
            if debit:
                _s, dec = _amount_text(debit, mapping, line, "debit")
                sign = -1
            else:
                _s, dec = _amount_text(credit, mapping, line, "credit")
                sign = 1
        try:
            return sign * to_minor(dec, row_ccy)
        except (InvalidAmount, UnknownCurrency):
            raise _reject(f"amount {dec} has more decimals than {row_ccy} allows (not rounded)", line) from None

    def dates(self) -> dict[str, date | None]:
        dates: dict[str, date | None] = {}
        for key in ("booking_date", "value_date"):
            raw = self.cell(key)
            if not raw:
                dates[key] = None
                continue
            try:
                dates[key] = datetime.strptime(raw, self.mapping.date_format).date()
            except ValueError:
                raise _reject(f"{key} {raw[:40]!r} does not match {self.mapping.date_format!r}", self.line) from None
        if dates["booking_date"] is None and dates["value_date"] is None:
            raise _reject("row without a date", self.line)
        return dates

    def account(self) -> str:
        row_account = self.cell("account") if "account" in self.col else self.mapping.fixed_account
        if not row_account:
            raise _reject("row without an account", self.line)
        return row_account

    def entry(self, index: int, minor: int, row_ccy: str, dates: dict[str, date | None]) -> StatementEntry:
        cell = self.cell
        return StatementEntry(
            index=index,
            amount_minor=minor,
            currency=row_ccy,
            booking_date=dates["booking_date"] or dates["value_date"],
            value_date=dates["value_date"] or dates["booking_date"],
            end_to_end_ref=cell("end_to_end_ref") or None,
            bank_ref=cell("bank_ref") or None,
            reference=cell("reference") or None,
            description=cell("description"),
            counterparty_name=cell("counterparty_name") or None,
            counterparty_account=cell("counterparty_account") or None,
            bank_tx_code=cell("bank_tx_code") or None,
            position=f"line {self.line}",
        )


def parse_csv(stream: BinaryIO, mapping: CsvMapping) -> Iterator[StatementEvent]:
    text = io.TextIOWrapper(stream, encoding=mapping.encoding, errors="strict", newline="")
    reader = csv.reader(text, delimiter=mapping.delimiter, quotechar=mapping.quotechar, strict=True)
    header_done = False
    index = 0
    account = mapping.fixed_account
    currency = mapping.fixed_currency
    try:
        col = _columns(reader, mapping)
        width = max(col.values()) + 1
        for row in reader:
            line = reader.line_num
            if mapping.skip_blank_rows and not any(cell.strip() for cell in row):
                continue
            if len(row) < width:
                raise _reject(f"row has {len(row)} columns, the mapping needs {width}", line)
            r = _Row(row, col, mapping, line)
            row_ccy = r.currency()
            minor = r.amount_minor(row_ccy)
            dates = r.dates()
            row_account = r.account()
            if not header_done:
                account = row_account
                header_done = True
                yield StatementHeader(
                    format=FORMAT,
                    statement_id=mapping.statement_id or "",
                    account=account,
                    currency=currency,
                    position=f"line {line}",
                )
            elif row_account != account:
                raise _reject(f"account {row_account[:40]!r} differs from {(account or '')[:40]!r} of the first row", line)
            yield r.entry(index, minor, row_ccy, dates)
            index += 1
    except csv.Error as exc:
        raise _reject(f"CSV syntax error: {str(exc)[:200]}", reader.line_num or 1) from None
    except UnicodeDecodeError as exc:
        raise _reject(f"not {mapping.encoding} text: {str(exc)[:120]}", reader.line_num + 1) from None
    finally:
        text.detach()
    if not header_done:
        raise _reject("no statement rows", reader.line_num or 1)
    yield StatementFooter(entry_count=index)
