"""ISO 20022 camt.053 (statements) and camt.054 (debit/credit notifications).

Streaming: the document is read with :func:`lxml.etree.iterparse` and every
``Ntry`` (and every finished ``Stmt``/``Ntfctn``) is cleared as soon as it
has been turned into an event, so memory stays constant in the number of
entries.  The parser is hardened for files from outside: no entity
resolution, no network, no DTD loading, ``huge_tree`` off, and a document
carrying a DOCTYPE is refused outright.

Any namespace ``urn:iso:std:iso:20022:tech:xsd:camt.053.001.NN`` or
``...camt.054.001.NN`` is accepted; the elements read are the ones shared by
every version (v2 ``Dbtr/Nm`` and v8 ``Dbtr/Pty/Nm`` alike).

Decisions (see also :mod:`recon.parsers`):

* Amounts are exact: the decimal text is converted to minor units of its
  ``Ccy``; trailing zeros beyond the currency's exponent are accepted
  (``8.850 EUR`` is 885, as the expected parse of the public
  ``camt053.v2.five.decimals`` sample says), a non-zero digit beyond it
  (``8.855 EUR``) refuses the file.  Nothing is ever rounded.
* Only booked entries (``Sts`` ``BOOK``, any case, v2 text or v8 ``Sts/Cd``)
  become :class:`StatementEntry` events.  Pending/information/future entries
  (``PDNG``, ``INFO``, ``FUTR``) are validated like the others, then skipped;
  they are counted on :class:`ParseStats` (``StatementStream.stats``).  Any
  other status refuses the file.
* Balances: opening = ``OPBD`` (else ``PRCD``), closing = ``CLBD``; other
  types (``CLAV``, ``OPAV``, ``ITBD``...) are validated, not used.  A balance
  is in minor units of its own ``Ccy`` (the public v4/v8 samples state a
  ``CLBD`` in SEK on a EUR account; it is kept as the bank gives it).
* camt.054 notifications give the same events with ``format='camt.054'``;
  they carry no balances (``None`` in header and footer).
* The sign comes from ``CdtDbtInd`` (``CRDT`` +, ``DBIT`` -).  ``RvslInd``
  only sets ``reversal``: ISO 20022 already books a reversal with the
  indicator of the money's direction.
* One ``Ntry`` is one entry, also for a batch booking with several
  ``TxDtls``: references come from the first ``TxDtls`` that has them, the
  remittance texts of all of them are joined into the description.  A batch
  (two or more ``TxDtls``) also keeps its parts (``StatementEntry.parts``),
  one per ``TxDtls``: ``EndToEndId``, ``InstrId``, ``TxId``, ``AcctSvcrRef``,
  the other reference (``UETR``, else ``Strd/CdtrRefInf/Ref``), the
  counterparty, the unstructured remittance and the amount.  The amount is
  ``TxDtls/Amt`` (v3+), else ``AmtDtls/TxAmt``, else ``AmtDtls/InstdAmt``,
  else ``AmtDtls/CntrValAmt`` -- the first one in the entry's currency; its
  sign is the part's ``CdtDbtInd``, else the entry's.  A part without an
  amount in that currency (or with an unreadable one) keeps ``None``: the
  entry's own amount stays the one that counts, and a batch whose parts do
  not add up to it is matched as one line (see :mod:`recon.matching`).
* Dates given as ``DtTm`` keep the calendar date as the bank wrote it (the
  bank's local date), without a time zone conversion.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any, BinaryIO

from lxml import etree

from ledger.errors import InvalidAmount, UnknownCurrency
from ledger.money import to_minor

from ..model import StatementEntry, StatementEvent, StatementFooter, StatementHeader, StatementPart, StatementRejected

_NS_RE = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:(camt\.05[34])\.001\.(\d{2})$")
_ROOT_CHILD = {"camt.053": ("BkToCstmrStmt", "Stmt"), "camt.054": ("BkToCstmrDbtCdtNtfctn", "Ntfctn")}
_AMOUNT_RE = re.compile(r"^[0-9]{1,18}(\.[0-9]{1,18})?$")
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DTTM_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,12}))?(Z|[+-]\d{2}:\d{2})?$")
BOOKED = "BOOK"
KNOWN_STATUSES = frozenset({"BOOK", "PDNG", "INFO", "FUTR"})
NOT_PROVIDED = "NOTPROVIDED"


@dataclass
class ParseStats:
    """What a parse left out on purpose (filled while the events stream)."""

    skipped_entries: int = 0  # non-booked entries (pending, information, future)
    skipped_by_status: dict[str, int] = field(default_factory=dict)
    skipped_positions: list[str] = field(default_factory=list)  # first 100

    def skip(self, status: str, position: str) -> None:
        self.skipped_entries += 1
        self.skipped_by_status[status] = self.skipped_by_status.get(status, 0) + 1
        if len(self.skipped_positions) < 100:
            self.skipped_positions.append(position)


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


class _Node:
    """A plain copy of one small element subtree (an ``Ntry``, the ``GrpHdr``,
    the header part of a ``Stmt``): dictionary look-ups instead of XPath.

    ``trail`` is a linked list ``(parent trail, name)`` of the element path,
    so that nodes do not point back at their parents (no reference cycles:
    a copy is freed as soon as its entry is built)."""

    __slots__ = ("name", "text", "ccy", "el", "kids", "trail")

    def __init__(self, name: str, el: etree._Element, trail: object) -> None:
        self.name = name
        self.el = el
        self.text = (el.text or "").strip()
        self.ccy = el.get("Ccy") if name.endswith("Amt") else None
        self.kids: dict[str, list[_Node]] = {}
        self.trail = trail

    @property
    def line(self) -> int | None:
        line: int | None = self.el.sourceline
        return line

    def path(self) -> str:
        parts = []
        trail = self.trail
        while isinstance(trail, tuple):
            trail, name = trail
            parts.append(name)
        return str(trail or "") + "/" + "/".join(reversed(parts))


def _copy(el: etree._Element, ns_prefix: str, name: str, trail: object, skip: str | None = None) -> _Node:
    node = _Node(name, el, trail)
    kids = node.kids
    cut = len(ns_prefix)
    for child in el.iterchildren(tag=ns_prefix + "*"):  # our namespace only: not comments, entities, SplmtryData
        child_name = child.tag[cut:]
        if child_name == skip:
            continue
        if child_name in kids:
            kids[child_name].append(_copy(child, ns_prefix, child_name, (node.trail, child_name)))
        else:
            kids[child_name] = [_copy(child, ns_prefix, child_name, (node.trail, child_name))]
    return node


def _parent_path(el: etree._Element) -> str:
    parts = []
    node = el.getparent()
    while node is not None:
        parts.append(_local(node.tag))
        node = node.getparent()
    return "/" + "/".join(reversed(parts)) if parts else ""


class _Ctx:
    """Error construction and typed access for one document."""

    def __init__(self, fmt: str = "camt") -> None:
        self.fmt = fmt
        self.ns = ""

    def copy(self, el: etree._Element, skip: str | None = None) -> _Node:
        name = _local(el.tag)
        return _copy(el, "{" + self.ns + "}", name, (_parent_path(el), name), skip=skip)

    def reject(self, message: str, node: _Node | etree._Element | None, line: int | None = None) -> StatementRejected:
        if isinstance(node, _Node):
            position = f"line {node.line or line or '?'}, element {node.path()}"
        elif node is not None:
            path = _parent_path(node) + "/" + _local(node.tag)
            position = f"line {node.sourceline or line or '?'}, element {path}"
        else:
            position = f"line {line or '?'}"
        return StatementRejected(message, format=self.fmt, position=position)

    # -- element access ---------------------------------------------------

    @staticmethod
    def child(el: _Node, *names: str) -> _Node | None:
        node = el
        for name in names:
            found = node.kids.get(name)
            if not found:
                return None
            node = found[0]
        return node

    @staticmethod
    def children(el: _Node, name: str) -> list[_Node]:
        return el.kids.get(name, [])

    def text(self, el: _Node, *names: str) -> str | None:
        node = self.child(el, *names)
        if node is None:
            return None
        return node.text or None

    def required(self, el: _Node, *names: str) -> str:
        node = self.child(el, *names)
        if node is None:
            raise self.reject(f"no {'/'.join(names)}", el)
        if not node.text:
            raise self.reject("empty element", node)
        return node.text

    # -- typed values -----------------------------------------------------

    def amount(self, amt: _Node | None, owner: _Node, *, what: str = "Amt") -> tuple[int, str]:
        """(minor units, currency) of an ``Amt Ccy="..."`` element."""
        if amt is None:
            raise self.reject(f"no {what}", owner)
        ccy = (amt.ccy or "").strip()
        if not ccy:
            raise self.reject("amount without Ccy attribute", amt)
        value = amt.text
        if not _AMOUNT_RE.match(value):
            raise self.reject(f"amount {value[:40]!r} is not a decimal number", amt)
        try:
            return to_minor(value, ccy), ccy
        except UnknownCurrency:
            raise self.reject(f"unknown currency {ccy[:10]!r}", amt) from None
        except InvalidAmount:
            raise self.reject(f"amount {value} has more decimals than {ccy} allows (not rounded)", amt) from None

    def sign(self, owner: _Node) -> int:
        node = self.child(owner, "CdtDbtInd")
        if node is None:
            raise self.reject("no CdtDbtInd", owner)
        if node.text == "CRDT":
            return 1
        if node.text == "DBIT":
            return -1
        raise self.reject(f"CdtDbtInd {node.text[:20]!r} is neither CRDT nor DBIT", node)

    def date_choice(self, el: _Node | None) -> date | None:
        """A ``DateAndDateTimeChoice``: ``Dt`` or ``DtTm``."""
        if el is None:
            return None
        dt = self.child(el, "Dt")
        if dt is not None:
            return self.parse_date(dt)
        dttm = self.child(el, "DtTm")
        if dttm is not None:
            return self.parse_datetime(dttm).date()
        raise self.reject("neither Dt nor DtTm", el)

    def parse_date(self, el: _Node) -> date:
        value = el.text
        m = _DATE_RE.match(value)
        try:
            if not m:
                raise ValueError
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise self.reject(f"{value[:40]!r} is not a date (YYYY-MM-DD)", el) from None

    def parse_datetime(self, el: _Node) -> datetime:
        value = el.text
        m = _DTTM_RE.match(value)
        try:
            if not m:
                raise ValueError
            frac = (m[7] or "")[:6].ljust(6, "0")
            tz = None
            if m[8]:
                if m[8] == "Z":
                    tz = UTC
                else:
                    sign = 1 if m[8][0] == "+" else -1
                    hours, minutes = int(m[8][1:3]), int(m[8][4:6])
                    tz = timezone(sign * timedelta(hours=hours, minutes=minutes))
            return datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6]), int(frac), tzinfo=tz)
        except ValueError:
            raise self.reject(f"{value[:40]!r} is not a date-time", el) from None

    def account_id(self, acct: _Node) -> str | None:
        """IBAN or Othr/Id of a ``CashAccount``."""
        ident = self.child(acct, "Id")
        if ident is None:
            return None
        return self.text(ident, "IBAN") or self.text(ident, "Othr", "Id")


# -- records ---------------------------------------------------------------------


def _balance(ctx: _Ctx, bal: _Node) -> tuple[str, int, date | None]:
    tp = ctx.child(bal, "Tp", "CdOrPrtry")
    if tp is None:
        raise ctx.reject("no Tp/CdOrPrtry", bal)
    code = ctx.text(tp, "Cd") or ctx.text(tp, "Prtry")
    if not code:
        raise ctx.reject("balance type has neither Cd nor Prtry", tp)
    minor, _ccy = ctx.amount(ctx.child(bal, "Amt"), bal)
    signed = minor * ctx.sign(bal)
    dt_el = ctx.child(bal, "Dt")
    if dt_el is None:
        raise ctx.reject("no Dt", bal)
    return code, signed, ctx.date_choice(dt_el)


def _header(ctx: _Ctx, rec: _Node, fmt: str, group: dict[str, Any]) -> tuple[StatementHeader, dict[str, tuple[int, date | None]]]:
    stmt_id = ctx.required(rec, "Id")
    acct = ctx.child(rec, "Acct")
    if acct is None:
        raise ctx.reject("no Acct", rec)
    account = ctx.account_id(acct)
    if not account:
        raise ctx.reject("no Acct/Id/IBAN nor Acct/Id/Othr/Id", acct)
    currency = ctx.text(acct, "Ccy")
    created = ctx.child(rec, "CreDtTm")
    created_at = ctx.parse_datetime(created) if created is not None else group.get("created_at")
    seq = ctx.text(rec, "LglSeqNb") or ctx.text(rec, "ElctrncSeqNb")
    balances: dict[str, tuple[int, date | None]] = {}
    for bal in ctx.children(rec, "Bal"):
        code, amount, when = _balance(ctx, bal)
        balances.setdefault(code, (amount, when))
    opening = balances.get("OPBD") or balances.get("PRCD")
    return StatementHeader(
        format=fmt,
        statement_id=stmt_id,
        account=account,
        currency=currency,
        message_id=group.get("message_id"),
        created_at=created_at,
        sequence=seq,
        opening_balance_minor=opening[0] if opening else None,
        opening_balance_date=opening[1] if opening else None,
        position=f"line {rec.line}",
    ), balances


def _party(ctx: _Ctx, parties: _Node | None, role: str) -> tuple[str | None, str | None]:
    if parties is None:
        return None, None
    party = ctx.child(parties, role)
    name = None
    if party is not None:
        name = ctx.text(party, "Nm") or ctx.text(party, "Pty", "Nm")
    acct = ctx.child(parties, role + "Acct")
    account = ctx.account_id(acct) if acct is not None else None
    return name, account


def _bank_tx_code(ctx: _Ctx, el: _Node) -> str | None:
    code = ctx.child(el, "BkTxCd")
    if code is None:
        return None
    domain = ctx.child(code, "Domn")
    if domain is not None:
        parts = [ctx.text(domain, "Cd"), ctx.text(domain, "Fmly", "Cd"), ctx.text(domain, "Fmly", "SubFmlyCd")]
        if all(parts):
            return "/".join(parts)  # type: ignore[arg-type]
        raise ctx.reject("BkTxCd/Domn needs Cd, Fmly/Cd and Fmly/SubFmlyCd", domain)
    return ctx.text(code, "Prtry", "Cd")


def _charges(ctx: _Ctx, ntry: _Node, currency: str) -> int | None:
    """Charges the bank reports on the entry, in the entry's currency."""
    found = False
    total = 0
    for chrgs in ctx.children(ntry, "Chrgs"):
        ttl = ctx.child(chrgs, "TtlChrgsAndTaxAmt")
        if ttl is not None:  # v4+: the total is given
            minor, ccy = ctx.amount(ttl, chrgs, what="TtlChrgsAndTaxAmt")
            if ccy == currency:
                return minor
            continue
        records = ctx.children(chrgs, "Rcrd") or [chrgs]  # v2: Chrgs is a record itself
        for rec in records:
            minor, ccy = ctx.amount(ctx.child(rec, "Amt"), rec)
            if ccy != currency:
                continue
            ind = ctx.text(rec, "CdtDbtInd")
            found = True
            total += -minor if ind == "CRDT" else minor  # a charge credited back reduces them
    return total if found else None


@dataclass
class _Details:
    """What the transaction details (``TxDtls``) of an entry say: the first
    reference of each kind, the remittance texts, the counterparty."""

    bank_ref: str | None = None
    e2e: str | None = None
    reference: str | None = None
    cp_name: str | None = None
    cp_account: str | None = None
    texts: list[str] = field(default_factory=list)

    def read(self, ctx: _Ctx, tx: _Node, cp_role: str) -> None:
        refs = ctx.child(tx, "Refs")
        if refs is not None:
            self._refs(ctx, refs)
        rmt = ctx.child(tx, "RmtInf")
        if rmt is not None:
            self._remittance(ctx, rmt)
        if self.cp_name is None and self.cp_account is None:
            other_role = "Cdtr" if cp_role == "Dbtr" else "Dbtr"
            parties = ctx.child(tx, "RltdPties")
            self.cp_name, self.cp_account = _party(ctx, parties, cp_role)
            if self.cp_name is None and self.cp_account is None:
                self.cp_name, self.cp_account = _party(ctx, parties, other_role)

    def _refs(self, ctx: _Ctx, refs: _Node) -> None:
        value_e2e = ctx.text(refs, "EndToEndId")
        if self.e2e is None and value_e2e and value_e2e.upper() != NOT_PROVIDED:
            self.e2e = value_e2e
        if self.bank_ref is None:
            self.bank_ref = ctx.text(refs, "AcctSvcrRef")
        if self.reference is None:
            self.reference = ctx.text(refs, "UETR") or ctx.text(refs, "InstrId")

    def _remittance(self, ctx: _Ctx, rmt: _Node) -> None:
        self.texts.extend(u.text for u in ctx.children(rmt, "Ustrd") if u.text)
        if self.reference is None:
            for strd in ctx.children(rmt, "Strd"):
                ref = ctx.text(strd, "CdtrRefInf", "Ref")
                if ref:
                    self.reference = ref
                    break


_PART_AMOUNTS = (("Amt",), ("AmtDtls", "TxAmt", "Amt"), ("AmtDtls", "InstdAmt", "Amt"), ("AmtDtls", "CntrValAmt", "Amt"))


def _part_amount(ctx: _Ctx, tx: _Node, currency: str, entry_sign: int) -> int | None:
    """Signed minor units of one ``TxDtls`` in the entry's currency, or None."""
    for names in _PART_AMOUNTS:
        amt = ctx.child(tx, *names)
        if amt is None or (amt.ccy or "").strip() != currency:
            continue
        try:
            minor, _ccy = ctx.amount(amt, tx)
        except StatementRejected:
            return None  # the entry's amount is what counts; the batch is then one line
        ind = ctx.child(tx, "CdtDbtInd")
        sign = entry_sign if ind is None or ind.text not in ("CRDT", "DBIT") else (1 if ind.text == "CRDT" else -1)
        return minor * sign
    return None


def _part(ctx: _Ctx, tx: _Node, index: int, currency: str, entry_sign: int, cp_role: str) -> StatementPart:
    """One part of a batch entry (one ``TxDtls``)."""
    d = _Details()
    d.read(ctx, tx, cp_role)
    refs = ctx.child(tx, "Refs")
    instr = tx_id = None
    if refs is not None:
        instr, tx_id = ctx.text(refs, "InstrId"), ctx.text(refs, "TxId")
    reference = d.reference if d.reference != instr else None
    if reference is None and refs is not None:
        reference = ctx.text(refs, "PmtInfId") or ctx.text(refs, "MsgId")
    return StatementPart(
        index=index,
        amount_minor=_part_amount(ctx, tx, currency, entry_sign),
        end_to_end_ref=d.e2e,
        instruction_id=instr,
        tx_id=tx_id,
        bank_ref=d.bank_ref,
        reference=reference,
        counterparty_name=d.cp_name,
        counterparty_account=d.cp_account,
        description=" ".join(d.texts),
    )


def _entry(ctx: _Ctx, ntry: _Node, index: int) -> tuple[str, StatementEntry]:
    """(status, entry) of one ``Ntry`` element (complete subtree)."""
    minor, currency = ctx.amount(ctx.child(ntry, "Amt"), ntry)
    entry_sign = ctx.sign(ntry)
    amount = minor * entry_sign
    sts = ctx.child(ntry, "Sts")
    if sts is None:
        raise ctx.reject("no Sts", ntry)
    status = (sts.text or ctx.text(sts, "Cd") or ctx.text(sts, "Prtry") or "").upper()
    if status not in KNOWN_STATUSES:
        raise ctx.reject(f"entry status {status[:20]!r} is none of BOOK, PDNG, INFO, FUTR", sts)
    rvsl = ctx.text(ntry, "RvslInd")
    if rvsl not in (None, "true", "false", "1", "0"):
        raise ctx.reject(f"RvslInd {rvsl[:20]!r} is not a boolean", ctx.child(ntry, "RvslInd"))
    booking = ctx.date_choice(ctx.child(ntry, "BookgDt"))
    value = ctx.date_choice(ctx.child(ntry, "ValDt"))
    d = _Details(bank_ref=ctx.text(ntry, "AcctSvcrRef"))
    tx_list = []
    for dtls in ctx.children(ntry, "NtryDtls"):
        tx_list.extend(ctx.children(dtls, "TxDtls"))
    cp_role = "Dbtr" if amount > 0 else "Cdtr"
    for tx in tx_list:
        d.read(ctx, tx, cp_role)
    texts = d.texts
    if not texts:
        extra = ctx.text(ntry, "AddtlNtryInf")
        if extra:
            texts.append(extra)
    entry = StatementEntry(
        index=index,
        amount_minor=amount,
        currency=currency,
        booking_date=booking,
        value_date=value,
        end_to_end_ref=d.e2e,
        bank_ref=d.bank_ref,
        reference=d.reference,
        description=" ".join(texts),
        counterparty_name=d.cp_name,
        counterparty_account=d.cp_account,
        bank_tx_code=_bank_tx_code(ctx, ntry),
        charges_minor=_charges(ctx, ntry, currency),
        reversal=rvsl in ("true", "1"),
        position=f"line {ntry.line}",
        parts=tuple(_part(ctx, tx, k, currency, entry_sign, cp_role) for k, tx in enumerate(tx_list)) if len(tx_list) > 1 else (),
    )
    return status, entry


# -- the streaming walk ----------------------------------------------------------

_WATCHED = tuple(
    "{*}" + name for name in ("Document", "BkToCstmrStmt", "BkToCstmrDbtCdtNtfctn", "GrpHdr", "Stmt", "Ntfctn", "Ntry")
)


def _free(el: etree._Element) -> None:
    """Drop a processed element and the siblings before it."""
    el.clear(keep_tail=False)
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


def parse_camt(stream: BinaryIO, *, stats: ParseStats | None = None) -> Iterator[StatementEvent]:
    """Events of a camt.053/camt.054 document read from ``stream``."""
    walk = _Walk(stats if stats is not None else ParseStats())
    ctx = walk.ctx
    parser = etree.iterparse(
        stream,
        events=("start", "end"),
        tag=_WATCHED,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        dtd_validation=False,
    )
    try:
        for event, el in parser:
            yield from walk.step(event, el)
        if walk.root is None:
            raise StatementRejected("no camt Document element", format=ctx.fmt, position="line 1")
    except etree.XMLSyntaxError as exc:
        last_el = walk.last_el
        line = getattr(exc, "lineno", None) or (last_el.sourceline if last_el is not None else None)
        where = ""
        if last_el is not None and walk.fmt:
            where = f", element {_parent_path(last_el)}/{_local(last_el.tag)}"
        msg = str(exc.msg if getattr(exc, "msg", None) else exc)[:200]
        raise StatementRejected(f"XML syntax error: {msg}", format=ctx.fmt, position=f"line {line or '?'}{where}") from None
    except (LookupError, UnicodeError) as exc:
        raise StatementRejected(f"unreadable XML: {str(exc)[:200]}", format=ctx.fmt, position="line 1") from None


class _Walk:
    """The state of one streaming walk over a camt document: the document,
    the statement container, the record being read and its entries."""

    def __init__(self, stats: ParseStats) -> None:
        self.stats = stats
        self.ctx = _Ctx()
        self.fmt = ""
        self.root: etree._Element | None = None
        self.container: etree._Element | None = None
        self.rec: etree._Element | None = None
        self.root_child = self.record_name = ""
        self.group: dict[str, Any] = {}
        self.records = 0
        self.header_done = False
        self.index = 0
        self.balances: dict[str, tuple[int, date | None]] = {}
        self.last_el: etree._Element | None = None

    def step(self, event: str, el: etree._Element) -> Iterator[StatementEvent]:
        self.last_el = el
        tag = el.tag
        if self.root is None:
            self._open_document(el, tag)
            return
        if not tag.startswith("{" + self.ctx.ns + "}"):
            return  # same local name in another namespace (SplmtryData...)
        name = tag[len(self.ctx.ns) + 2 :]
        parent = el.getparent()
        if event == "start":
            yield from self._start(name, el, parent)
        else:
            yield from self._end(name, el, parent)

    def _open_document(self, el: etree._Element, tag: str) -> None:
        """The first watched element must be the document element."""
        ctx = self.ctx
        docinfo = el.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:
            raise ctx.reject("a document type declaration (DTD) is not allowed", None, el.sourceline)
        ns = tag.split("}", 1)[0][1:] if tag.startswith("{") else ""
        m = _NS_RE.match(ns)
        if el.getparent() is not None or _local(tag) != "Document" or not m:
            top = el.getroottree().getroot()
            raise StatementRejected(
                f"not a camt.053/camt.054 document (root {_local(top.tag)[:40]!r}, namespace {ns[:80]!r})",
                format="camt",
                position=f"line {top.sourceline}, element /{_local(top.tag)[:40]}",
            )
        self.fmt = ctx.fmt = m[1]
        ctx.ns = ns
        self.root_child, self.record_name = _ROOT_CHILD[self.fmt]
        self.root = el

    def _start(self, name: str, el: etree._Element, parent: etree._Element | None) -> Iterator[StatementEvent]:
        ctx = self.ctx
        if name in ("BkToCstmrStmt", "BkToCstmrDbtCdtNtfctn") and parent is self.root:
            if name != self.root_child or self.container is not None:
                raise ctx.reject(f"expected one {self.root_child}", el)
            self.container = el
        elif name == self.record_name and self.container is not None and parent is self.container:
            if not self.group:
                raise ctx.reject(f"no GrpHdr before the first {self.record_name}", el)
            self.rec, self.header_done, self.index, self.balances = el, False, 0, {}
        elif name == "Ntry" and self.rec is not None and parent is self.rec:
            if not self.header_done:
                # Id, Acct, Bal... precede the first Ntry and are complete now
                header, self.balances = _header(ctx, ctx.copy(self.rec, skip="Ntry"), self.fmt, self.group)
                self.header_done = True
                yield header
        elif name != "GrpHdr":
            raise ctx.reject(f"unexpected {name} here", el)

    def _end(self, name: str, el: etree._Element, parent: etree._Element | None) -> Iterator[StatementEvent]:
        ctx = self.ctx
        if el is self.root:
            if self.container is None:
                raise ctx.reject(f"no {self.root_child}", el)
        elif el is self.container:
            if self.records == 0:
                raise ctx.reject(f"no {self.record_name}", el)
        elif name == "GrpHdr" and parent is self.container:
            self._group_header(el)
        elif el is self.rec:
            yield from self._end_record(el)
        elif name == "Ntry" and self.rec is not None and parent is self.rec:
            yield from self._end_entry(el)
        elif name == "GrpHdr":
            raise ctx.reject("GrpHdr out of place", el)

    def _group_header(self, el: etree._Element) -> None:
        ctx = self.ctx
        node = ctx.copy(el)
        self.group = {"message_id": ctx.required(node, "MsgId")}
        cre = ctx.child(node, "CreDtTm")
        if cre is None:
            raise ctx.reject("no CreDtTm", node)
        self.group["created_at"] = ctx.parse_datetime(cre)
        _free(el)

    def _end_record(self, el: etree._Element) -> Iterator[StatementEvent]:
        if not self.header_done:
            header, self.balances = _header(self.ctx, self.ctx.copy(el), self.fmt, self.group)
            yield header
        closing = self.balances.get("CLBD")
        self.records += 1
        yield StatementFooter(
            closing_balance_minor=closing[0] if closing else None,
            closing_balance_date=closing[1] if closing else None,
            entry_count=self.index,
        )
        self.rec = None
        _free(el)

    def _end_entry(self, el: etree._Element) -> Iterator[StatementEvent]:
        status, entry = _entry(self.ctx, self.ctx.copy(el), self.index)
        if status == BOOKED:
            self.index += 1
            yield entry
        else:
            self.stats.skip(status, entry.position)
        _free(el)
