"""Writers of real bank statements of our own: camt.053.001.08 and MT940.

Used for test fixtures and demos.  Entries are :class:`SampleEntry` (or
dicts of its fields) with signed minor-unit amounts; the writers compute
the closing balance from the opening one, so the files always balance.
The camt writer streams (``lxml.etree.xmlfile``), so a statement with
100,000 entries is written without building a tree.
"""

from __future__ import annotations

import contextlib
import os
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import IO, Any

from lxml import etree

from ledger.money import format_minor

CAMT053_V8_NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"

PathOrStream = str | os.PathLike[str] | IO[bytes]


@dataclass(frozen=True)
class SampleEntry:
    amount_minor: int  # signed: + credit (money in), - debit
    booking_date: date
    value_date: date | None = None
    end_to_end_ref: str | None = None
    description: str = ""
    bank_ref: str | None = None
    currency: str | None = None  # default: the statement's
    counterparty_name: str | None = None
    counterparty_account: str | None = None
    counterparty_bic: str | None = None
    uetr: str | None = None
    instruction_id: str | None = None
    bank_tx_code: tuple[str, str, str] = ("PMNT", "RCDT", "XBCT")  # domain/family/sub-family
    status: str = "BOOK"
    charges_minor: int | None = None
    # a batch booking: one TxDtls per part (their own references, amounts,
    # counterparties); the entry's own references are then not written
    parts: tuple[SampleEntry, ...] = ()


def _entries(entries: Iterable[SampleEntry | Mapping[str, Any]]) -> list[SampleEntry]:
    return [e if isinstance(e, SampleEntry) else SampleEntry(**e) for e in entries]


@contextlib.contextmanager
def _binary(target: PathOrStream) -> Iterator[IO[bytes]]:
    if isinstance(target, (str, os.PathLike)):
        with open(target, "wb") as fh:
            yield fh
    else:
        yield target


def _looks_like_iban(value: str) -> bool:
    return 15 <= len(value) <= 34 and value[:2].isalpha() and value[:2].isupper() and value[2:4].isdigit() and value.isalnum()


def _dec(amount_minor: int, currency: str) -> str:
    return format_minor(abs(amount_minor), currency)


def write_camt053(
    target: PathOrStream,
    *,
    account: str,
    currency: str,
    entries: Iterable[SampleEntry | Mapping[str, Any]],
    statement_id: str,
    message_id: str | None = None,
    created_at: datetime | None = None,
    opening_balance_minor: int = 0,
    opening_date: date | None = None,
    closing_date: date | None = None,
    account_owner: str | None = None,
    servicer_bic: str | None = None,
    servicer_name: str | None = None,
    sequence: int | None = None,
    iban: bool | None = None,
) -> int:
    """Write a camt.053.001.08 statement; returns the closing balance (minor units).

    ``iban`` (default: guessed from the account's shape) chooses
    ``Acct/Id/IBAN`` or ``Acct/Id/Othr/Id`` (Chinese accounts are not IBANs).
    """
    items = _entries(entries)
    booked = [e for e in items if e.status == "BOOK"]
    closing = opening_balance_minor + sum(e.amount_minor for e in booked)
    created_at = created_at or datetime(2026, 1, 1, tzinfo=UTC)
    dates = [e.booking_date for e in items]
    opening_date = opening_date or (min(dates) if dates else created_at.date())
    closing_date = closing_date or (max(dates) if dates else opening_date)
    if iban is None:
        iban = _looks_like_iban(account)
    with _binary(target) as out, etree.xmlfile(out, encoding="utf-8") as raw:
        raw.write_declaration()
        xf = _Indented(raw)
        with xf.element("Document", nsmap={None: CAMT053_V8_NS}), xf.element("BkToCstmrStmt"):
            with xf.element("GrpHdr"):
                _text(xf, "MsgId", message_id or f"MSG-{statement_id}")
                _text(xf, "CreDtTm", created_at.isoformat())
            with xf.element("Stmt"):
                _text(xf, "Id", statement_id)
                if sequence is not None:
                    _text(xf, "ElctrncSeqNb", str(sequence))
                    _text(xf, "LglSeqNb", str(sequence))
                _text(xf, "CreDtTm", created_at.isoformat())
                _account(xf, account, currency, iban=iban, owner=account_owner, servicer_bic=servicer_bic, servicer_name=servicer_name)
                _balance(xf, "OPBD", opening_balance_minor, opening_date, currency)
                _balance(xf, "CLBD", closing, closing_date, currency)
                with xf.element("TxsSummry"), xf.element("TtlNtries"):
                    _text(xf, "NbOfNtries", str(len(booked)))
                for n, e in enumerate(items, 1):
                    _entry(xf, n, e, e.currency or currency)
                    xf.flush()
    return closing


def _text(xf: Any, tag: str, value: str, **attrib: str) -> None:
    with xf.element(tag, attrib):
        xf.write(value)


def _balance(xf: Any, code: str, amount: int, when: date, currency: str) -> None:
    with xf.element("Bal"):
        with xf.element("Tp"), xf.element("CdOrPrtry"):
            _text(xf, "Cd", code)
        _text(xf, "Amt", _dec(amount, currency), Ccy=currency)
        _text(xf, "CdtDbtInd", "CRDT" if amount >= 0 else "DBIT")
        with xf.element("Dt"):
            _text(xf, "Dt", when.isoformat())


def _account(xf: Any, account: str, currency: str, *, iban: bool, owner: str | None, servicer_bic: str | None, servicer_name: str | None) -> None:
    with xf.element("Acct"):
        with xf.element("Id"):
            if iban:
                _text(xf, "IBAN", account)
            else:
                with xf.element("Othr"):
                    _text(xf, "Id", account)
        _text(xf, "Ccy", currency)
        if owner:
            with xf.element("Ownr"):
                _text(xf, "Nm", owner)
        if servicer_bic or servicer_name:
            with xf.element("Svcr"), xf.element("FinInstnId"):
                if servicer_bic:
                    _text(xf, "BICFI", servicer_bic)
                if servicer_name:
                    _text(xf, "Nm", servicer_name)


def _entry(xf: Any, n: int, e: SampleEntry, ccy: str) -> None:
    with xf.element("Ntry"):
        _text(xf, "NtryRef", str(n))
        _text(xf, "Amt", _dec(e.amount_minor, ccy), Ccy=ccy)
        _text(xf, "CdtDbtInd", "CRDT" if e.amount_minor >= 0 else "DBIT")
        with xf.element("Sts"):
            _text(xf, "Cd", e.status)
        with xf.element("BookgDt"):
            _text(xf, "Dt", e.booking_date.isoformat())
        with xf.element("ValDt"):
            _text(xf, "Dt", (e.value_date or e.booking_date).isoformat())
        if e.bank_ref:
            _text(xf, "AcctSvcrRef", e.bank_ref)
        with xf.element("BkTxCd"), xf.element("Domn"):
            _text(xf, "Cd", e.bank_tx_code[0])
            with xf.element("Fmly"):
                _text(xf, "Cd", e.bank_tx_code[1])
                _text(xf, "SubFmlyCd", e.bank_tx_code[2])
        if e.charges_minor:
            with xf.element("Chrgs"):
                _text(xf, "TtlChrgsAndTaxAmt", _dec(e.charges_minor, ccy), Ccy=ccy)
                with xf.element("Rcrd"):
                    _text(xf, "Amt", _dec(e.charges_minor, ccy), Ccy=ccy)
                    _text(xf, "CdtDbtInd", "DBIT")
        with xf.element("NtryDtls"):
            if e.parts:
                with xf.element("Btch"):
                    _text(xf, "NbOfTxs", str(len(e.parts)))
            for part in e.parts or (e,):
                with xf.element("TxDtls"):
                    _tx_details(xf, part, ccy)


def _tx_details(xf: Any, e: SampleEntry, ccy: str) -> None:
    with xf.element("Refs"):
        if e.bank_ref:
            _text(xf, "AcctSvcrRef", e.bank_ref)
        if e.instruction_id:
            _text(xf, "InstrId", e.instruction_id)
        _text(xf, "EndToEndId", e.end_to_end_ref or "NOTPROVIDED")
        if e.uetr:
            _text(xf, "UETR", e.uetr)
    with xf.element("Amt", {"Ccy": ccy}):
        xf.write(_dec(e.amount_minor, ccy))
    _text(xf, "CdtDbtInd", "CRDT" if e.amount_minor >= 0 else "DBIT")
    if e.counterparty_name or e.counterparty_account:
        _parties(xf, e)
    if e.counterparty_bic:
        role = "DbtrAgt" if e.amount_minor >= 0 else "CdtrAgt"
        with xf.element("RltdAgts"), xf.element(role), xf.element("FinInstnId"):
            _text(xf, "BICFI", e.counterparty_bic)
    if e.description:
        with xf.element("RmtInf"):
            _text(xf, "Ustrd", e.description)


def _parties(xf: Any, e: SampleEntry) -> None:
    role = "Dbtr" if e.amount_minor >= 0 else "Cdtr"
    with xf.element("RltdPties"):
        if e.counterparty_name:
            with xf.element(role), xf.element("Pty"):
                _text(xf, "Nm", e.counterparty_name)
        if e.counterparty_account:
            with xf.element(role + "Acct"), xf.element("Id"):
                if _looks_like_iban(e.counterparty_account):
                    _text(xf, "IBAN", e.counterparty_account)
                else:
                    with xf.element("Othr"):
                        _text(xf, "Id", e.counterparty_account)


class _Indented:
    """``xmlfile`` writer that puts every element on its own indented line."""

    def __init__(self, xf: Any) -> None:
        self.xf = xf
        self.depth = 0
        self.leaf = False

    @contextlib.contextmanager
    def element(self, tag: str, attrib: Mapping[str, str] | None = None, **kw: Any) -> Iterator[None]:
        if self.depth:
            self.xf.write("\n" + "  " * self.depth)
        self.depth += 1
        self.leaf = True
        with self.xf.element(tag, dict(attrib or {}), **kw):
            yield
            self.depth -= 1
            if not self.leaf:
                self.xf.write("\n" + "  " * self.depth)
            self.leaf = False

    def write(self, value: str) -> None:
        self.xf.write(value)

    def flush(self) -> None:
        self.xf.flush()


def _yymmdd(d: date) -> str:
    return d.strftime("%y%m%d")


def _swift_amount(amount_minor: int, currency: str) -> str:
    return _dec(amount_minor, currency).replace(".", ",")


def write_mt940(
    target: PathOrStream,
    *,
    account: str,
    currency: str,
    entries: Iterable[SampleEntry | Mapping[str, Any]],
    statement_id: str,
    statement_number: int = 1,
    page: int = 1,
    opening_balance_minor: int = 0,
    opening_date: date | None = None,
    closing_date: date | None = None,
    sender_bic: str | None = None,
) -> int:
    """Write one MT940 message (optionally in a SWIFT FIN envelope); returns the closing balance."""
    items = _entries(entries)
    closing = opening_balance_minor + sum(e.amount_minor for e in items)
    dates = [e.booking_date for e in items]
    opening_date = opening_date or (min(dates) if dates else date(2026, 1, 1))
    closing_date = closing_date or (max(dates) if dates else opening_date)
    lines: list[str] = []
    if sender_bic:
        lines.append(f"{{1:F01{sender_bic:X<12}0000000000}}{{2:O940{sender_bic:X<12}N}}{{4:")
    lines += [f":20:{statement_id[:16]}", f":25:{account[:35]}", f":28C:{statement_number:05d}/{page:03d}"]

    def bal(tag: str, amount: int, when: date) -> str:
        return f":{tag}:{'C' if amount >= 0 else 'D'}{_yymmdd(when)}{currency}{_swift_amount(amount, currency)}"

    lines.append(bal("60F", opening_balance_minor, opening_date))
    for e in items:
        if (e.currency or currency) != currency:
            raise ValueError("an MT940 statement has one currency")
        value = e.value_date or e.booking_date
        mark = "C" if e.amount_minor >= 0 else "D"
        cust = (e.end_to_end_ref or "NONREF")[:16]
        bank = f"//{e.bank_ref[:16]}" if e.bank_ref else ""
        lines.append(f":61:{_yymmdd(value)}{e.booking_date:%m%d}{mark}{_swift_amount(e.amount_minor, currency)}NTRF{cust}{bank}")
        details = e.description or ""
        if e.counterparty_name:
            details = f"{details} /ORDP/{e.counterparty_name}".strip()
        if details:
            chunks = textwrap.wrap(details, 65)[:6] or [""]
            lines.append(f":86:{chunks[0]}")
            lines.extend(chunks[1:])
    lines.append(bal("62F", closing, closing_date))
    lines.append("-}" if sender_bic else "-")
    data = ("\r\n".join(lines) + "\r\n").encode("ascii")
    with _binary(target) as out:
        out.write(data)
    return closing
