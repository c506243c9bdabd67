"""SWIFT MT940 customer statements, through the ``mt-940`` library.

Streaming: the file is read line by line and cut into messages (a message
starts at a ``:20:`` line and ends at a line ``-``, ``-}`` or ``-XXX``, at the
next ``:20:``, or at the end of the file); only one message is held at a
time and handed to :class:`mt940.models.Transactions`.  Text outside a
message (transmission headers such as ``ABNANL2A``/``940``, ``:940:`` or
``{1:...}{2:...}{4:``) is ignored.

Mapping (per message):

* ``statement_id`` = ``:20:`` + ``/`` + ``:28C:`` (``:20:`` alone without one)
* ``account`` = ``:25:``; currency = that of the opening balance
* opening = ``:60F:`` / ``:60M:`` (``:60:``), closing = ``:62F:`` / ``:62M:``
* each ``:61:``: amount signed by its mark (``C``/``RD`` +, ``D``/``RC`` -),
  value date, entry date as booking date (the value date when the line has
  no entry date: MT940 leaves it out when both are the same), customer
  reference -> ``end_to_end_ref`` and bank reference (after ``//``) ->
  ``bank_ref`` unless ``NONREF``, type code (``NTRF``...) ->
  ``bank_tx_code``, the following ``:86:`` -> ``description``.

Refused, with the line: a message without ``:20:``/``:25:``, without an
opening or closing balance, a tag the library cannot parse (a broken
``:61:``), a ``:61:`` without a transaction type code, an amount with more
decimals than the currency has, a statement line without a currency, a
file with no message at all.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO, cast

import mt940

from ledger.errors import InvalidAmount, UnknownCurrency
from ledger.money import to_minor

from ..model import StatementEntry, StatementEvent, StatementFooter, StatementHeader, StatementRejected

FORMAT = "mt940"
_TAG_RE = re.compile(r"^:(?P<full>(?P<tag>[0-9]{2}|NS)(?P<sub>[A-Z])?):")
_END_RE = re.compile(r"^-(\}|XXX)?\s*$")
_NONREF = "NONREF"
# every fix of the library on: RC signed like a debit, BOM stripped, :86: unbounded...
_OPTIONS = mt940.Options.all()

# the library logs every field it parses (names and accounts of the
# counterparties included) at DEBUG: personal data never goes to the logs
logging.getLogger("mt940").setLevel(logging.WARNING)
MAX_LINE = 10_000  # characters; a longer "line" is not an MT940 file


def _reject(message: str, line: int | str | None) -> StatementRejected:
    position = f"line {line}" if isinstance(line, int) else cast(str, line)
    return StatementRejected(message, format=FORMAT, position=position)


def _decode(raw: bytes, encoding: str | None) -> str:
    if encoding:
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _messages(stream: BinaryIO, encoding: str | None) -> Iterator[list[tuple[int, str]]]:
    """Messages as lists of (line number, text)."""
    current: list[tuple[int, str]] | None = None
    for lineno, raw in enumerate(stream, start=1):
        if len(raw) > MAX_LINE:
            raise _reject(f"line longer than {MAX_LINE} characters", lineno)
        text = _decode(raw, encoding).rstrip("\r\n").replace("\r", "")
        if lineno == 1:
            text = text.lstrip("\ufeff")
        if text.startswith(":20:"):
            if current:
                yield current
            current = [(lineno, text)]
        elif current is not None:
            if _END_RE.match(text):
                yield current
                current = None
            else:
                current.append((lineno, text))
    if current:
        yield current


def _tags(lines: list[tuple[int, str]]) -> list[tuple[str, int, str]]:
    """(full tag, line, value) of each tag of a message, continuation lines joined."""
    out: list[tuple[str, int, str]] = []
    for lineno, text in lines:
        m = _TAG_RE.match(text)
        if m:
            out.append((m["full"], lineno, text[m.end() :]))
        elif out:
            full, start, value = out[-1]
            out[-1] = (full, start, value + "\n" + text)
    return out


def _locate_failure(tags: list[tuple[str, int, str]]) -> tuple[int, str]:
    """Replay the library tag by tag to find the line it cannot read."""
    probe = mt940.models.Transactions(options=_OPTIONS)
    for full, line, value in tags:
        tag = probe.tags.get(full) or probe.tags.get(probe.normalize_tag_id(full[:2]))
        if tag is None:
            continue
        try:
            result = tag(probe, tag.parse(probe, value.strip()))
        except Exception as exc:  # noqa: BLE001 - the library's own refusal (RuntimeError, ValueError, ...)
            return line, f"cannot read :{full}: ({type(exc).__name__})"
        if issubclass(tag.scope, mt940.models.Transactions) and isinstance(result, dict):
            probe.data.update(result)
    return tags[0][1] if tags else 0, "the message cannot be read"


def _minor(amount: Decimal, currency: str | None, line: int | None, what: str) -> int:
    if not currency:
        raise _reject(f"{what} without a currency", line)
    try:
        return to_minor(amount, currency)
    except UnknownCurrency:
        raise _reject(f"unknown currency {currency[:10]!r}", line) from None
    except InvalidAmount:
        raise _reject(f"{what} {amount} has more decimals than {currency} allows (not rounded)", line) from None


def _balance(data: dict[str, Any], keys: tuple[tuple[str, str], ...], tags: dict[str, int]) -> tuple[Any, int | None]:
    for key, tag in keys:
        bal = data.get(key)
        if bal is not None:
            return bal, tags.get(tag)
    return None, None


def _balances(data: dict[str, Any], first_line: dict[str, int], start: int, last: int) -> tuple[Any, int, Any, int]:
    """(opening, its minor units, closing, its minor units) of one message."""
    opening, open_line = _balance(
        data,
        (("final_opening_balance", "60F"), ("intermediate_opening_balance", "60M"), ("opening_balance", "60")),
        first_line,
    )
    closing, close_line = _balance(
        data,
        (("final_closing_balance", "62F"), ("intermediate_closing_balance", "62M"), ("closing_balance", "62")),
        first_line,
    )
    if opening is None:
        raise _reject("message without :60F:/:60M: opening balance", start)
    if closing is None:
        raise _reject("message without :62F:/:62M: closing balance", last)
    for bal, line in ((opening, open_line), (closing, close_line)):
        if not isinstance(getattr(bal, "amount", None), mt940.models.Amount):
            raise _reject("balance without an amount", line or start)
    currency = getattr(opening.amount, "currency", None)
    opening_minor = _minor(opening.amount.amount, currency, open_line, "opening balance")
    if getattr(closing.amount, "currency", None) != currency:
        raise _reject("closing balance currency differs from the opening balance", close_line)
    closing_minor = _minor(closing.amount.amount, currency, close_line, "closing balance")
    return opening, opening_minor, closing, closing_minor


def _entry(index: int, d: dict[str, Any], line: int, currency: str | None) -> StatementEntry:
    """The entry of one :61: statement line (with its :86: details)."""
    mark = str(d.get("status") or "").upper()
    if mark not in ("C", "D", "RC", "RD"):
        raise _reject(f"debit/credit mark {mark[:4]!r} unknown", line)
    amount: Any = d.get("amount")
    try:
        magnitude = abs(Decimal(amount.amount))
    except (AttributeError, InvalidOperation, TypeError):
        raise _reject("statement line amount cannot be read", line) from None
    if d.get("currency") is None or not currency:
        raise _reject("statement line amount without a currency", line)
    minor = _minor(magnitude, currency, line, "amount")
    signed = -minor if mark in ("D", "RC") else minor
    value_date = d.get("date")
    booking_date = d.get("entry_date") or value_date
    cust = (d.get("customer_reference") or "").strip() or None
    bank = (d.get("bank_reference") or "").strip() or None
    return StatementEntry(
        index=index,
        amount_minor=signed,
        currency=currency,
        booking_date=_plain_date(booking_date),
        value_date=_plain_date(value_date),
        end_to_end_ref=None if cust is None or cust.upper() == _NONREF else cust,
        bank_ref=None if bank is None or bank.upper() == _NONREF else bank,
        description=_description(d),
        counterparty_name=(d.get("applicant_name") or None),
        counterparty_account=(d.get("applicant_iban") or None),
        bank_tx_code=(d.get("id") or None),
        reversal=mark.startswith("R"),
        position=f"line {line}",
    )


def _description(d: dict[str, Any]) -> str:
    details = d.get("transaction_details")
    if details:
        return " ".join(part.strip() for part in str(details).splitlines() if part.strip())
    return " ".join(str(d.get(k)).strip() for k in ("posting_text", "purpose", "extra_details") if d.get(k) and str(d.get(k)).strip())


def _message_events(lines: list[tuple[int, str]]) -> Iterator[StatementEvent]:
    tags = _tags(lines)
    start = lines[0][0]
    first_line: dict[str, int] = {}
    for full, line, _value in tags:
        first_line.setdefault(full, line)
    if "25" not in first_line:
        raise _reject("message without :25: account identification", start)
    statement_lines = [line for full, line, _v in tags if full == "61"]
    text = "\n".join(f":{full}:{value}" for full, _line, value in tags)
    transactions = mt940.models.Transactions(options=_OPTIONS)
    try:
        transactions.parse(text)
    except Exception:  # noqa: BLE001 - any failure inside the library is a refusal of this file
        line, why = _locate_failure(tags)
        raise _reject(why, line) from None
    data = transactions.data
    ref = (data.get("transaction_reference") or "").strip()
    if not ref:
        raise _reject("empty :20: transaction reference", start)
    account = (data.get("account_identification") or "").strip()
    if not account:
        raise _reject("empty :25: account identification", first_line["25"])
    number = data.get("statement_number")
    sequence = None
    if number:
        sub = data.get("sequence_number")
        sequence = f"{number}/{sub}" if sub else str(number)
    opening, opening_minor, closing, closing_minor = _balances(data, first_line, start, lines[-1][0])
    currency = getattr(opening.amount, "currency", None)

    items = list(transactions)
    if len(items) != len(statement_lines):
        # the library merges a :61: without a type code into the previous one
        bad = next(
            (line for (full, line, value) in tags if full == "61" and not re.search(r"[DC][A-Z]?[\d,]+[A-Z][A-Z0-9 ]{3}", value, re.I)),
            statement_lines[-1] if statement_lines else start,
        )
        raise _reject(":61: statement line without a transaction type code", bad)

    yield StatementHeader(
        format=FORMAT,
        statement_id=f"{ref}/{sequence}" if sequence else ref,
        account=account,
        currency=currency,
        sequence=sequence,
        opening_balance_minor=opening_minor,
        opening_balance_date=_plain_date(opening.date),
        position=f"line {start}",
    )
    for index, (tx, line) in enumerate(zip(items, statement_lines, strict=True)):
        yield _entry(index, tx.data, line, currency)
    yield StatementFooter(
        closing_balance_minor=closing_minor,
        closing_balance_date=_plain_date(closing.date),
        entry_count=len(items),
    )


def _plain_date(value: object) -> date | None:
    if value is None:
        return None
    return date(value.year, value.month, value.day)  # type: ignore[attr-defined]


def parse_mt940(stream: BinaryIO, *, encoding: str | None = None) -> Iterator[StatementEvent]:
    """Events of an MT940 file read from ``stream`` (binary), message by message."""
    count = 0
    for lines in _messages(stream, encoding):
        count += 1
        yield from _message_events(lines)
    if count == 0:
        raise _reject("no MT940 message (no line starting with :20:)", "line 1")
