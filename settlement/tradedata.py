"""Trade data intake and the three-document match (S2), and the national
evidence registry.

Platforms push orders, logistics waybills, payment records and returns /
refunds, one at a time, in bulk, or as NDJSON / CSV files.  Records are
idempotent by (institution, platform, external id): pushing one again is
counted as a duplicate and changes nothing.  A record that cannot be accepted
is rejected with a reason and *held* in ``trade_rejects`` with its raw
content; the others still go in.  Files are read and written in chunks (one
database transaction per chunk), so memory stays bounded whatever the size.

The three-document match marks each order ``matched`` (order, waybill and
payment all exist and agree: merchant, currency, amount within the
configured tolerance, dates in order), ``partial`` (nothing disagrees but a
document is missing) or ``mismatched`` (something disagrees), with the
reason.  It runs at ingest for every order the new records touch.

Evidence: a receipt or an exempt conversion cites orders; its coverage is
the value of the matched, unreturned orders it cites.  The registry shared
by every institution (``evidence_registry``) makes sure an order's value
backs one receipt anywhere: consumption is a conditional update
(``consumed + x <= value``) on a row keyed by a hash of "platform|order".
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import itertools
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import IO, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, case, func, select, update
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ledger.db import run_in_transaction
from ledger.errors import InvalidAmount, InvalidInput, NotFound, UnknownCurrency
from ledger.events import emit_event
from ledger.ids import uuid7
from ledger.money import currency as check_currency
from ledger.money import exponent, format_minor, to_minor

from .config import SettlementConfig
from .tables_customers import customers
from .tables_tradedata import (
    evidence_claims,
    evidence_registry,
    trade_orders,
    trade_payments,
    trade_refunds,
    trade_rejects,
    trade_waybills,
)

KINDS = ("orders", "waybills", "payments", "refunds")
MATCHED, PARTIAL, MISMATCHED = "matched", "partial", "mismatched"
MATCH_STATUSES = (MATCHED, PARTIAL, MISMATCHED)
REFUND_KINDS = ("return", "refund", "chargeback")
#: at most this many rejects are listed in a file's report (all are held in the table)
MAX_REPORTED_REJECTS = 1000
#: bulk calls accept at most this many records (files have no limit)
MAX_BULK_RECORDS = 10_000
_IN_CHUNK = 1000  # ids per IN (...) list


class OrderNotFound(NotFound):
    code = "order_not_found"
    title = "Order not found"

    def __init__(self, ref: object) -> None:
        super().__init__("order", ref)


class RecordRejected(InvalidInput):
    """A single trade record was rejected (and held with its reason)."""

    code = "trade_record_rejected"
    title = "Trade record rejected"

    def __init__(self, kind: str, reason: str, external_id: str | None = None) -> None:
        super().__init__(f"{kind[:-1]} {external_id or ''} rejected: {reason}".replace("  ", " "), kind=kind, reason=reason, external_id=external_id)


# -- records -------------------------------------------------------------------------------


@dataclass(slots=True)
class OrderIn:
    external_id: str
    merchant_ref: str
    currency: str
    amount_minor: int
    order_date: date
    customs_mode: str | None = None
    destination_country: str | None = None


@dataclass(slots=True)
class WaybillIn:
    external_id: str
    order_external_id: str
    merchant_ref: str
    shipped_on: date
    carrier: str | None = None
    #: declared value on the waybill, if the platform sends one (then it must agree too)
    currency: str | None = None
    amount_minor: int | None = None
    destination_country: str | None = None


@dataclass(slots=True)
class PaymentIn:
    external_id: str
    order_external_id: str
    merchant_ref: str
    currency: str
    amount_minor: int
    paid_on: date
    method: str | None = None


@dataclass(slots=True)
class RefundIn:
    external_id: str
    order_external_id: str
    currency: str
    amount_minor: int
    refunded_on: date | None = None
    kind: str = "refund"
    reason: str | None = None


_RECORD_TYPES = {"orders": OrderIn, "waybills": WaybillIn, "payments": PaymentIn, "refunds": RefundIn}
#: the fields a held (rejected) record keeps, by kind
_HELD_FIELDS = {kind: frozenset(f.name for f in dataclasses.fields(cls)) | {"amount", "amount_minor"} for kind, cls in _RECORD_TYPES.items()}


@dataclass(frozen=True, slots=True)
class OrderRef:
    """An order cited as evidence: the platform and the platform's order id."""

    platform_code: str
    external_id: str


@dataclass(slots=True)
class IngestReport:
    kind: str
    inserted: int = 0
    duplicates: int = 0
    #: (position in the call or file, reason); files list at most MAX_REPORTED_REJECTS
    rejected: list[tuple[int, str]] = field(default_factory=list)
    rejected_total: int = 0
    #: match status of the orders this ingest (re)matched
    match: dict[str, int] = field(default_factory=dict)

    @property
    def processed(self) -> int:
        return self.inserted + self.duplicates + self.rejected_total


@dataclass(slots=True)
class RefundResult:
    order_id: UUID
    requested_minor: int
    applied_minor: int
    refunded_minor: int
    effective_value_minor: int
    duplicate: bool


@dataclass(slots=True)
class EvidenceClaim:
    """What a claim on the evidence registry got.  ``used``, ``reused`` and
    ``unmatched`` list the cited ids as given (external id strings, or
    :class:`OrderRef`)."""

    claim_ref: str
    currency: str
    coverage_minor: int
    used: list[tuple[Any, int]] = field(default_factory=list)
    #: already fully consumed, by anyone anywhere: an evidence reuse attempt
    reused: list[Any] = field(default_factory=list)
    #: not found, another merchant's, another currency, not matched, or fully returned
    unmatched: list[Any] = field(default_factory=list)
    reasons: dict[Any, str] = field(default_factory=dict)
    replayed: bool = False


# -- parsing -------------------------------------------------------------------------------


class _Reject(Exception):
    pass


@dataclass(slots=True)
class _Unparsed:
    """A file line that is not a record (kept raw, rejected with the reason)."""

    text: str
    reason: str


_REGULATORY_TZ = ZoneInfo(SettlementConfig.regulatory_timezone)


def _text(raw: Mapping[str, Any], key: str, max_len: int, *, required: bool = True) -> str | None:
    v = raw.get(key)
    # fast path (the common case of a bulk file): clean text already
    if type(v) is str and 0 < len(v) <= max_len and v.isprintable() and not v[0].isspace() and not v[-1].isspace():
        return v
    if v is None or (isinstance(v, str) and not v.strip()):
        if required:
            raise _Reject(f"{key} is missing")
        return None
    if isinstance(v, bool) or not isinstance(v, (str, int)):
        raise _Reject(f"{key} must be text")
    v = str(v).strip()
    if len(v) > max_len or not v.isprintable():
        raise _Reject(f"{key} must be 1..{max_len} printable characters")
    return v


_KNOWN_CURRENCIES: set[str] = set()


def _currency(raw: Mapping[str, Any], key: str = "currency", *, required: bool = True) -> str | None:
    v = raw.get(key)
    if v in _KNOWN_CURRENCIES:
        return v
    v = _text(raw, key, 3, required=required)
    if v is None:
        return None
    v = v.upper()
    try:
        check_currency(v)
    except UnknownCurrency:
        raise _Reject(f"unknown currency {v!r}") from None
    _KNOWN_CURRENCIES.add(v)
    return v


_DECIMAL_RE = re.compile(r"([0-9]{1,18})(?:\.([0-9]{1,18}))?")


def _amount(raw: Mapping[str, Any], cur: str | None, *, required: bool = True, positive: bool = True) -> int | None:
    """``amount_minor`` (integer minor units) or ``amount`` (decimal string in
    major units, at most the currency's decimals).  Never floats."""
    minor, major = raw.get("amount_minor"), raw.get("amount")
    if minor is None and type(major) is str and cur is not None:
        m = _DECIMAL_RE.fullmatch(major)
        if m is not None:  # fast path: a plain decimal string
            exp = exponent(cur)
            frac = m.group(2) or ""
            if len(frac) <= exp:
                value = int(m.group(1)) * 10**exp + (int(frac) * 10 ** (exp - len(frac)) if frac else 0)
                if value > 0 or (value == 0 and not positive):
                    return value
    if minor in (None, "") and major in (None, ""):
        if required:
            raise _Reject("amount is missing")
        return None
    if cur is None:
        raise _Reject("an amount needs a currency")
    value: int | None = None
    if minor not in (None, ""):
        if isinstance(minor, bool) or isinstance(minor, float):
            raise _Reject("amount_minor must be an integer")
        if isinstance(minor, Decimal):
            if minor != minor.to_integral_value():
                raise _Reject("amount_minor must be an integer")
            value = int(minor)
        elif isinstance(minor, int):
            value = minor
        elif isinstance(minor, str) and minor.strip().lstrip("-").isdigit():
            value = int(minor.strip())
        else:
            raise _Reject("amount_minor must be an integer")
    if major not in (None, ""):
        try:
            from_major = to_minor(major if isinstance(major, (Decimal, int, float)) and not isinstance(major, bool) else str(major), cur)
        except InvalidAmount as exc:
            raise _Reject(exc.message) from None
        if value is not None and value != from_major:
            raise _Reject("amount and amount_minor disagree")
        value = from_major
    assert value is not None
    if value < 0 or (positive and value == 0):
        raise _Reject("amount must be positive" if positive else "amount must not be negative")
    if value >= 2**62:
        raise _Reject("amount is too large")
    return value


def _date(raw: Mapping[str, Any], key: str, *, required: bool = True) -> date | None:
    v = raw.get(key)
    if type(v) is str and len(v) == 10:
        try:
            return date.fromisoformat(v)
        except ValueError:
            pass
    if v in (None, ""):
        if required:
            raise _Reject(f"{key} is missing")
        return None
    if isinstance(v, datetime):
        dt = v
    elif isinstance(v, date):
        return v
    elif isinstance(v, str):
        s = v.strip()
        try:
            if len(s) == 10:
                return date.fromisoformat(s)
            dt = datetime.fromisoformat(s)
        except ValueError:
            raise _Reject(f"{key} must be an ISO 8601 date") from None
    else:
        raise _Reject(f"{key} must be an ISO 8601 date")
    # a timestamp counts on its calendar day in China Standard Time
    return dt.astimezone(_REGULATORY_TZ).date() if dt.tzinfo is not None else dt.date()


def _country(raw: Mapping[str, Any], key: str = "destination_country") -> str | None:
    v = _text(raw, key, 2, required=False)
    if v is None:
        return None
    v = v.upper()
    if len(v) != 2 or not v.isalpha() or not v.isascii():
        raise _Reject(f"{key} must be an ISO 3166 alpha-2 code")
    return v


def parse_record(kind: str, raw: Any, config: SettlementConfig | None = None) -> Any:
    """The typed record for a raw one (a mapping, or already a record).
    Raises :class:`RecordRejected` with the reason."""
    try:
        return _parse(kind, raw, config or SettlementConfig())
    except _Reject as exc:
        ext = raw.get("external_id") if isinstance(raw, Mapping) else getattr(raw, "external_id", None)
        raise RecordRejected(kind, str(exc), None if ext is None else str(ext)[:128]) from None


def _parse(kind: str, raw: Any, config: SettlementConfig) -> Any:
    if dataclasses.is_dataclass(raw) and not isinstance(raw, type):
        raw = dataclasses.asdict(raw)
    if not isinstance(raw, Mapping):
        raise _Reject("record is not an object")
    ext = _text(raw, "external_id", 128)
    if kind == "orders":
        cur = _currency(raw)
        mode = _text(raw, "customs_mode", 4, required=False)
        if mode is not None and mode not in config.customs_modes:
            raise _Reject(f"customs_mode must be one of {', '.join(config.customs_modes)}")
        return OrderIn(ext, _text(raw, "merchant_ref", 64), cur, _amount(raw, cur), _date(raw, "order_date"), mode, _country(raw))
    if kind == "waybills":
        cur = _currency(raw, required=False)
        return WaybillIn(
            ext, _text(raw, "order_external_id", 128), _text(raw, "merchant_ref", 64), _date(raw, "shipped_on"),
            _text(raw, "carrier", 64, required=False), cur, _amount(raw, cur, required=False, positive=False), _country(raw),
        )
    if kind == "payments":
        cur = _currency(raw)
        return PaymentIn(
            ext, _text(raw, "order_external_id", 128), _text(raw, "merchant_ref", 64), cur, _amount(raw, cur), _date(raw, "paid_on"),
            _text(raw, "method", 32, required=False),
        )
    if kind == "refunds":
        cur = _currency(raw)
        rkind = _text(raw, "kind", 16, required=False) or "refund"
        if rkind not in REFUND_KINDS:
            raise _Reject(f"kind must be one of {', '.join(REFUND_KINDS)}")
        return RefundIn(
            ext, _text(raw, "order_external_id", 128), cur, _amount(raw, cur), _date(raw, "refunded_on", required=False), rkind,
            _text(raw, "reason", 200, required=False),
        )
    raise InvalidInput(f"trade data kind must be one of {', '.join(KINDS)}", kind=str(kind))


def _raw_text(raw: Any) -> str:
    if isinstance(raw, _Unparsed):
        return raw.text
    if dataclasses.is_dataclass(raw) and not isinstance(raw, type):
        raw = dataclasses.asdict(raw)
    try:
        return json.dumps(raw, default=str, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):
        return repr(raw)


def _held(kind: str, raw: Any) -> Any:
    """A rejected record as it is held: only the fields of its kind.  Anything
    else a platform sends along (a buyer's name, ID or phone number...) is not
    kept, so no personal data is stored in clear."""
    keep = _HELD_FIELDS.get(kind)
    if keep is not None and isinstance(raw, Mapping):
        return {k: v for k, v in raw.items() if k in keep}
    return raw


def _storable(text: str | None) -> str | None:
    """Text every database stores: PostgreSQL refuses NUL characters, which
    a held record may well contain (shown as U+FFFD, like undecodable bytes)."""
    return None if text is None else text.replace("\x00", "\ufffd")


def _raw_external_id(raw: Any) -> str | None:
    ext = raw.get("external_id") if isinstance(raw, Mapping) else getattr(raw, "external_id", None)
    return None if ext is None else str(ext)[:128]


# -- the three-document match ---------------------------------------------------------------


def _tol_text(tolerance: Decimal) -> str:
    return f"{(tolerance * 100).normalize():f} %"


def _within(amount: int, reference: int, tolerance: Decimal) -> bool:
    return Decimal(abs(amount - reference)) <= tolerance * Decimal(reference)


def evaluate_match(order: Any, waybills: Sequence[Any], payments: Sequence[Any], tolerance: Decimal) -> tuple[str, str | None]:
    """S2 for one order: ``(status, reason)``.  ``order``, ``waybills`` and
    ``payments`` are rows (or records) with the table's attribute names."""
    disagree: list[str] = []
    missing: list[str] = []
    cur = order.currency
    if not waybills:
        missing.append("missing waybill")
    if not payments:
        missing.append("missing payment")
    for w in waybills:
        if w.customer_id != order.customer_id:
            disagree.append(f"merchant differs on waybill {w.external_id} ({w.merchant_ref}, order {order.merchant_ref})")
        if w.currency is not None and w.currency != cur:
            disagree.append(f"currency differs on waybill {w.external_id} ({w.currency}, order {cur})")
        elif w.amount_minor is not None and w.currency == cur and not _within(w.amount_minor, order.amount_minor, tolerance):
            disagree.append(
                f"declared value on waybill {w.external_id} outside {_tol_text(tolerance)} "
                f"({format_minor(w.amount_minor, cur)}, order {format_minor(order.amount_minor, cur)})"
            )
        if w.shipped_on < order.order_date:
            disagree.append(f"shipment before order (waybill {w.external_id} shipped {w.shipped_on}, ordered {order.order_date})")
    same_currency = True
    for p in payments:
        if p.customer_id != order.customer_id:
            disagree.append(f"merchant differs on payment {p.external_id} ({p.merchant_ref}, order {order.merchant_ref})")
        if p.currency != cur:
            same_currency = False
            disagree.append(f"currency differs on payment {p.external_id} ({p.currency}, order {cur})")
        if p.paid_on < order.order_date:
            disagree.append(f"payment before order (payment {p.external_id} paid {p.paid_on}, ordered {order.order_date})")
    if payments and same_currency:
        paid = sum(p.amount_minor for p in payments)
        if not _within(paid, order.amount_minor, tolerance):
            disagree.append(f"amount outside {_tol_text(tolerance)} (paid {format_minor(paid, cur)}, order {format_minor(order.amount_minor, cur)})")
    status = MISMATCHED if disagree else PARTIAL if missing else MATCHED
    reason = "; ".join(disagree + missing) or None
    if reason is not None and len(reason) > 500:
        reason = reason[:497] + "..."
    return status, reason


async def match_tolerance(conn: AsyncConnection, institution_id: UUID) -> Decimal:
    """The institution's S2 amount tolerance (its settlement settings, or the default)."""
    return (await _config(conn, institution_id)).match_amount_tolerance


async def _config(conn: AsyncConnection, institution_id: UUID) -> SettlementConfig:
    try:
        from .tables_receipts import settlement_settings
    except ImportError:  # pragma: no cover - the receipts part not installed
        return SettlementConfig()
    row = (await conn.execute(select(settlement_settings.c.config).where(settlement_settings.c.institution_id == institution_id))).first()
    return SettlementConfig.from_dict(row.config if row is not None else None)


def _chunks(seq: Sequence[Any], n: int = _IN_CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


def _by_keys(conn: AsyncConnection, columns: Sequence[Any], table, key_col, keys: Sequence[Any], *conds):
    """``SELECT columns FROM table WHERE key_col IN keys AND conds``, in a
    shape no planner can turn into a scan per key.  On PostgreSQL the keys
    are joined as ``unnest(:keys)``: with ``IN ($1..$n)`` and no statistics
    yet (a table just bulk-loaded), the planner uses only the index prefix
    and tests the list row by row, which grows with chunk x table."""
    if conn.dialect.name == "postgresql":
        u = func.unnest(bindparam("_keys", list(keys), type_=pg_dialect.ARRAY(key_col.type))).table_valued("key").render_derived(name="_k")
        return select(*columns).select_from(table.join(u, key_col == u.c.key)).where(*conds)
    return select(*columns).where(key_col.in_(list(keys)), *conds)


async def _docs_for(conn: AsyncConnection, institution_id: UUID, platform_code: str, order_ext_ids: Sequence[str]) -> tuple[dict[str, list], dict[str, list]]:
    """Waybills and payments of the given orders, by order external id."""
    wb: dict[str, list] = {}
    pay: dict[str, list] = {}
    for part in _chunks(list(order_ext_ids)):
        for r in await conn.execute(
            _by_keys(
                conn, [trade_waybills], trade_waybills, trade_waybills.c.order_external_id, part,
                trade_waybills.c.institution_id == institution_id, trade_waybills.c.platform_code == platform_code,
            )
        ):
            wb.setdefault(r.order_external_id, []).append(r)
        for r in await conn.execute(
            _by_keys(
                conn, [trade_payments], trade_payments, trade_payments.c.order_external_id, part,
                trade_payments.c.institution_id == institution_id, trade_payments.c.platform_code == platform_code,
            )
        ):
            pay.setdefault(r.order_external_id, []).append(r)
    return wb, pay


async def _rematch(
    conn: AsyncConnection, institution_id: UUID, platform_code: str, order_ext_ids: Iterable[str], tolerance: Decimal, *, lock: bool = False
) -> Counter:
    """Recompute the match of the given orders (those that exist); store the
    ones whose status or reason changed.  Returns the statuses.  With
    ``lock`` (PostgreSQL) the order rows are locked, in id order, before the
    documents are read."""
    ids = sorted(set(order_ext_ids))
    counts: Counter = Counter()
    if not ids:
        return counts
    orders = []
    lock = lock and conn.dialect.name == "postgresql"
    for part in _chunks(ids):
        stmt = _by_keys(
            conn, [trade_orders], trade_orders, trade_orders.c.external_id, part,
            trade_orders.c.institution_id == institution_id, trade_orders.c.platform_code == platform_code,
        ).order_by(trade_orders.c.id)
        if lock:
            stmt = stmt.with_for_update(of=trade_orders)
        orders += (await conn.execute(stmt)).all()
    if not orders:
        return counts
    wb, pay = await _docs_for(conn, institution_id, platform_code, [o.external_id for o in orders])
    now = datetime.now(UTC)
    changes = []
    for o in orders:
        status, reason = evaluate_match(o, wb.get(o.external_id, ()), pay.get(o.external_id, ()), tolerance)
        counts[status] += 1
        if status != o.match_status or reason != o.match_reason:
            changes.append({"_id": o.id, "_status": status, "_reason": reason, "_at": now})
    if changes:
        await conn.execute(
            update(trade_orders)
            .where(trade_orders.c.id == bindparam("_id"))
            .values(match_status=bindparam("_status"), match_reason=bindparam("_reason"), matched_at=bindparam("_at")),
            changes,
        )
    return counts


async def match_orders(
    engine: AsyncEngine, institution_id: UUID, order_ids: Iterable[UUID] | None = None, *, chunk_size: int = 2000
) -> dict[str, int]:
    """Run the three-document match (S2) again for the given orders (all of
    the institution's orders when ``order_ids`` is None), in chunks.  Returns
    how many orders ended in each status."""
    total: Counter = Counter()
    async with engine.connect() as conn:
        tolerance = await match_tolerance(conn, institution_id)

    async def run_page(pairs: list[tuple[str, str]]) -> None:
        by_platform: dict[str, list[str]] = {}
        for platform, ext in pairs:
            by_platform.setdefault(platform, []).append(ext)

        async def work(conn):
            c: Counter = Counter()
            for platform, exts in by_platform.items():
                c += await _rematch(conn, institution_id, platform, exts, tolerance, lock=True)
            return c

        total.update(await run_in_transaction(engine, work))

    if order_ids is not None:
        ids = list(dict.fromkeys(order_ids))
        for part in _chunks(ids, chunk_size):
            async with engine.connect() as conn:
                rows = (
                    await conn.execute(
                        _by_keys(
                            conn, [trade_orders.c.platform_code, trade_orders.c.external_id], trade_orders, trade_orders.c.id, part,
                            trade_orders.c.institution_id == institution_id,
                        )
                    )
                ).all()
            await run_page([(r[0], r[1]) for r in rows])
        return dict(total)
    after: UUID | None = None
    while True:
        stmt = select(trade_orders.c.id, trade_orders.c.platform_code, trade_orders.c.external_id).where(trade_orders.c.institution_id == institution_id)
        if after is not None:
            stmt = stmt.where(trade_orders.c.id > after)
        async with engine.connect() as conn:
            rows = (await conn.execute(stmt.order_by(trade_orders.c.id).limit(chunk_size))).all()
        if not rows:
            return dict(total)
        after = rows[-1].id
        await run_page([(r[1], r[2]) for r in rows])


# -- ingest ---------------------------------------------------------------------------------


def _insert(conn: AsyncConnection, table):
    return (pg_dialect.insert if conn.dialect.name == "postgresql" else sqlite_dialect.insert)(table)


@dataclass(slots=True)
class _ChunkResult:
    inserted: int = 0
    duplicates: int = 0
    rejects: list[tuple[int, str]] = field(default_factory=list)
    match: Counter = field(default_factory=Counter)
    #: external ids of the orders whose documents changed
    touched: set[str] = field(default_factory=set)


class _Intake:
    """One ingest call: the institution, platform, kind and what it has
    learnt so far (merchant ids, the tolerance)."""

    def __init__(self, engine: AsyncEngine, institution_id: UUID, platform_code: str, kind: str) -> None:
        if kind not in KINDS:
            raise InvalidInput(f"trade data kind must be one of {', '.join(KINDS)}", kind=str(kind))
        if not isinstance(platform_code, str) or not (1 <= len(platform_code) <= 64) or not platform_code.isprintable():
            raise InvalidInput("platform code must be 1..64 printable characters")
        self.engine = engine
        self.institution_id = institution_id
        self.platform_code = platform_code
        self.kind = kind
        self.config: SettlementConfig | None = None
        self.merchants: dict[str, UUID] = {}

    async def start(self) -> None:
        async with self.engine.connect() as conn:
            self.config = await _config(conn, self.institution_id)

    async def chunk(self, items: list[tuple[int, Any]]) -> _ChunkResult:
        parsed: list[tuple[int, Any, Any]] = []
        early: list[tuple[int, Any, str]] = []
        for pos, raw in items:
            if isinstance(raw, _Unparsed):
                early.append((pos, raw, raw.reason))
                continue
            try:
                parsed.append((pos, _parse(self.kind, raw, self.config), raw))
            except _Reject as exc:
                early.append((pos, raw, str(exc)))

        async def work(conn: AsyncConnection) -> _ChunkResult:
            res = _ChunkResult()
            rejects = list(early)
            if parsed:
                writer = getattr(self, f"_write_{self.kind}")
                await writer(conn, parsed, res, rejects)
            if rejects:
                now = datetime.now(UTC)
                await conn.execute(
                    trade_rejects.insert(),
                    [
                        dict(
                            id=uuid7(), institution_id=self.institution_id, platform_code=self.platform_code, kind=self.kind,
                            external_id=_storable(_raw_external_id(raw)), position=pos, raw=_storable(_raw_text(_held(self.kind, raw))), reason=_storable(reason[:500]), created_at=now,
                        )
                        for pos, raw, reason in rejects
                    ],
                )
            res.rejects = sorted((pos, reason) for pos, _raw, reason in rejects)
            if res.inserted or res.rejects:
                # one event per chunk (not per record): counts, and where the rejects are held
                await emit_event(
                    conn, self.institution_id, "trade_data.ingested",
                    {"kind": self.kind, "platform_code": self.platform_code, "inserted": res.inserted, "duplicates": res.duplicates, "rejected": len(res.rejects)},
                )
            return res

        for attempt in range(3):
            try:
                res = await run_in_transaction(self.engine, work)
                break
            except IntegrityError:
                # a concurrent ingest of the same records won the race: the
                # retry sees its rows and counts them as duplicates
                if attempt == 2:
                    raise
        if res.touched and self.engine.dialect.name == "postgresql":
            # Two transactions adding an order and its waybill (or a waybill
            # and a payment) at the same time each miss the other's
            # uncommitted row.  Matching again after the commit, with the
            # order rows locked, makes the last pass see every committed
            # document.  (SQLite writers are serialized: nothing to do.)
            res.match = await run_in_transaction(self.engine, lambda conn: self._settle(conn, res.touched))
        return res

    async def _settle(self, conn: AsyncConnection, touched: set[str]) -> Counter:
        """The post-commit pass: only orders that have documents can change
        (an order without any stays partial, missing both), so only those
        are locked and matched again."""
        wb, pay = await _docs_for(conn, self.institution_id, self.platform_code, sorted(touched))
        with_docs = [e for e in touched if e in wb or e in pay]
        # touched orders without documents are orders this chunk inserted
        # (a waybill or payment is a document of the order it touches)
        counts: Counter = Counter({PARTIAL: len(touched) - len(with_docs)})
        return counts + await _rematch(conn, self.institution_id, self.platform_code, with_docs, self.config.match_amount_tolerance, lock=True)

    async def _merchant_ids(self, conn: AsyncConnection, refs: Iterable[str]) -> dict[str, UUID]:
        wanted = sorted({r for r in refs if r not in self.merchants})
        for part in _chunks(wanted):
            for r in await conn.execute(_by_keys(conn, [customers.c.ref, customers.c.id], customers, customers.c.ref, part, customers.c.institution_id == self.institution_id)):
                self.merchants[r.ref] = r.id
        if len(self.merchants) > 50_000:  # keep memory bounded on files with very many merchants
            self.merchants = {k: self.merchants[k] for k in refs if k in self.merchants}
        return self.merchants

    async def _new_only(self, conn: AsyncConnection, table, parsed: list[tuple[int, Any, Any]], res: _ChunkResult) -> list[tuple[int, Any, Any]]:
        """The records not seen before (in this chunk or in the database);
        the others are counted as duplicates."""
        seen: set[str] = set()
        unique = []
        for item in parsed:
            ext = item[1].external_id
            if ext in seen:
                res.duplicates += 1
            else:
                seen.add(ext)
                unique.append(item)
        existing: set[str] = set()
        for part in _chunks([item[1].external_id for item in unique]):
            existing.update(
                r[0]
                for r in await conn.execute(
                    _by_keys(
                        conn, [table.c.external_id], table, table.c.external_id, part,
                        table.c.institution_id == self.institution_id, table.c.platform_code == self.platform_code,
                    )
                )
            )
        res.duplicates += len(existing)
        return [item for item in unique if item[1].external_id not in existing] if existing else unique

    async def _with_merchants(self, conn, table, parsed, res, rejects):
        parsed = await self._new_only(conn, table, parsed, res)
        known = await self._merchant_ids(conn, {rec.merchant_ref for _p, rec, _r in parsed})
        ok = []
        for pos, rec, raw in parsed:
            if rec.merchant_ref not in known:
                rejects.append((pos, raw, f"unknown merchant {rec.merchant_ref!r}"))
            else:
                ok.append((pos, rec, raw))
        return ok, known

    async def _write_orders(self, conn, parsed, res, rejects) -> None:
        ok, known = await self._with_merchants(conn, trade_orders, parsed, res, rejects)
        if not ok:
            return
        wb, pay = await _docs_for(conn, self.institution_id, self.platform_code, [rec.external_id for _p, rec, _r in ok])
        tol = self.config.match_amount_tolerance
        inst, platform = self.institution_id, self.platform_code
        rows = []
        for _pos, rec, _raw in ok:
            cid = known[rec.merchant_ref]
            w, p = wb.get(rec.external_id, ()), pay.get(rec.external_id, ())
            if w or p:
                view = _OrderView(rec.external_id, cid, rec.merchant_ref, rec.currency, rec.amount_minor, rec.order_date)
                status, reason = evaluate_match(view, w, p, tol)
            else:
                status, reason = PARTIAL, _NO_DOCUMENTS
            rows.append(
                {
                    "id": uuid7(), "institution_id": inst, "platform_code": platform, "external_id": rec.external_id, "customer_id": cid,
                    "merchant_ref": rec.merchant_ref, "currency": rec.currency, "amount_minor": rec.amount_minor, "refunded_minor": 0,
                    "order_date": rec.order_date, "customs_mode": rec.customs_mode, "destination_country": rec.destination_country,
                    "match_status": status, "match_reason": reason,
                }
            )
            res.match[status] += 1
        await conn.execute(trade_orders.insert().values(matched_at=func.now(), created_at=func.now()), rows)
        res.inserted += len(rows)
        res.touched.update(r["external_id"] for r in rows)

    async def _write_waybills(self, conn, parsed, res, rejects) -> None:
        ok, known = await self._with_merchants(conn, trade_waybills, parsed, res, rejects)
        if not ok:
            return
        rows = [
            dict(
                id=uuid7(), institution_id=self.institution_id, platform_code=self.platform_code, external_id=rec.external_id,
                order_external_id=rec.order_external_id, customer_id=known[rec.merchant_ref], merchant_ref=rec.merchant_ref,
                shipped_on=rec.shipped_on, carrier=rec.carrier, currency=rec.currency, amount_minor=rec.amount_minor,
                destination_country=rec.destination_country,
            )
            for _pos, rec, _raw in ok
        ]
        await conn.execute(trade_waybills.insert().values(created_at=func.now()), rows)
        res.inserted += len(rows)
        res.touched.update(r["order_external_id"] for r in rows)
        res.match += await _rematch(conn, self.institution_id, self.platform_code, res.touched, self.config.match_amount_tolerance, lock=True)

    async def _write_payments(self, conn, parsed, res, rejects) -> None:
        ok, known = await self._with_merchants(conn, trade_payments, parsed, res, rejects)
        if not ok:
            return
        rows = [
            dict(
                id=uuid7(), institution_id=self.institution_id, platform_code=self.platform_code, external_id=rec.external_id,
                order_external_id=rec.order_external_id, customer_id=known[rec.merchant_ref], merchant_ref=rec.merchant_ref,
                currency=rec.currency, amount_minor=rec.amount_minor, paid_on=rec.paid_on, method=rec.method,
            )
            for _pos, rec, _raw in ok
        ]
        await conn.execute(trade_payments.insert().values(created_at=func.now()), rows)
        res.inserted += len(rows)
        res.touched.update(r["order_external_id"] for r in rows)
        res.match += await _rematch(conn, self.institution_id, self.platform_code, res.touched, self.config.match_amount_tolerance, lock=True)

    async def _write_refunds(self, conn, parsed, res, rejects) -> None:
        parsed = await self._new_only(conn, trade_refunds, parsed, res)
        order_exts = sorted({rec.order_external_id for _p, rec, _r in parsed})
        orders: dict[str, Any] = {}
        for part in _chunks(order_exts):
            stmt = _by_keys(
                conn, [trade_orders], trade_orders, trade_orders.c.external_id, part,
                trade_orders.c.institution_id == self.institution_id, trade_orders.c.platform_code == self.platform_code,
            ).order_by(trade_orders.c.id)
            if conn.dialect.name == "postgresql":
                stmt = stmt.with_for_update(of=trade_orders)  # refunds of one order are applied one after the other
            for r in await conn.execute(stmt):
                orders[r.external_id] = r
        now = datetime.now(UTC)
        today = datetime.now(_REGULATORY_TZ).date()
        refunded = {o.external_id: o.refunded_minor for o in orders.values()}
        rows = []
        for pos, rec, raw in parsed:  # in input order; the value never goes below zero
            o = orders.get(rec.order_external_id)
            if o is None:
                rejects.append((pos, raw, f"unknown order {rec.order_external_id!r}"))
                continue
            if rec.currency != o.currency:
                rejects.append((pos, raw, f"currency differs from the order ({rec.currency}, order {o.currency})"))
                continue
            x = min(rec.amount_minor, max(0, o.amount_minor - refunded[o.external_id]))
            refunded[o.external_id] += x
            rows.append(
                dict(
                    id=uuid7(), institution_id=self.institution_id, platform_code=self.platform_code, external_id=rec.external_id,
                    order_id=o.id, order_external_id=o.external_id, kind=rec.kind, currency=rec.currency, requested_minor=rec.amount_minor,
                    applied_minor=x, refunded_on=rec.refunded_on or today, reason=rec.reason, created_at=now,
                )
            )
        if not rows:
            return
        await conn.execute(trade_refunds.insert(), rows)
        res.inserted += len(rows)
        touched = [o for o in orders.values() if refunded[o.external_id] != o.refunded_minor]
        if touched:
            await conn.execute(
                update(trade_orders).where(trade_orders.c.id == bindparam("_id")).values(refunded_minor=bindparam("_refunded")),
                [{"_id": o.id, "_refunded": refunded[o.external_id]} for o in touched],
            )
            # the shared registry never values the order above what is left of it
            await _lower_registry(conn, [(evidence_key(self.platform_code, o.external_id), o.amount_minor - refunded[o.external_id]) for o in touched])


_NO_DOCUMENTS = "missing waybill; missing payment"


@dataclass(slots=True)
class _OrderView:
    external_id: str
    customer_id: UUID
    merchant_ref: str
    currency: str
    amount_minor: int
    order_date: date


async def _ingest(
    engine: AsyncEngine,
    institution_id: UUID,
    platform_code: str,
    kind: str,
    items: Iterable[tuple[int, Any]],
    *,
    chunk_size: int = 2000,
    progress: Callable[[int], Any] | None = None,
    max_reported: int | None = None,
) -> IngestReport:
    intake = _Intake(engine, institution_id, platform_code, kind)
    await intake.start()
    report = IngestReport(kind)
    match: Counter = Counter()
    chunk_size = max(1, int(chunk_size))
    it = iter(items)
    done = 0
    while True:
        chunk = list(itertools.islice(it, chunk_size))
        if not chunk:
            break
        res = await intake.chunk(chunk)
        report.inserted += res.inserted
        report.duplicates += res.duplicates
        report.rejected_total += len(res.rejects)
        room = len(res.rejects) if max_reported is None else max(0, max_reported - len(report.rejected))
        report.rejected.extend(res.rejects[:room])
        match.update(res.match)
        done += len(chunk)
        if progress is not None:
            progress(done)
    report.match = {s: match[s] for s in MATCH_STATUSES if match[s]}
    return report


async def ingest_orders(engine: AsyncEngine, institution_id: UUID, platform_code: str, records: Iterable[Any], *, chunk_size: int = 2000) -> IngestReport:
    """Ingest orders (``OrderIn`` or mappings: external_id, merchant_ref,
    currency, amount_minor or amount, order_date, customs_mode?,
    destination_country?).  Idempotent by (institution, platform,
    external_id); each new order is matched at once."""
    return await _ingest(engine, institution_id, platform_code, "orders", enumerate(records), chunk_size=chunk_size)


async def ingest_waybills(engine: AsyncEngine, institution_id: UUID, platform_code: str, records: Iterable[Any], *, chunk_size: int = 2000) -> IngestReport:
    """Ingest logistics waybills (``WaybillIn`` or mappings: external_id,
    order_external_id, merchant_ref, shipped_on, carrier?, currency? +
    amount?, destination_country?); the orders they cite are matched again."""
    return await _ingest(engine, institution_id, platform_code, "waybills", enumerate(records), chunk_size=chunk_size)


async def ingest_payments(engine: AsyncEngine, institution_id: UUID, platform_code: str, records: Iterable[Any], *, chunk_size: int = 2000) -> IngestReport:
    """Ingest payment records (``PaymentIn`` or mappings: external_id,
    order_external_id, merchant_ref, currency, amount_minor or amount,
    paid_on, method?); the orders they cite are matched again."""
    return await _ingest(engine, institution_id, platform_code, "payments", enumerate(records), chunk_size=chunk_size)


async def ingest_refunds(engine: AsyncEngine, institution_id: UUID, platform_code: str, records: Iterable[Any], *, chunk_size: int = 2000) -> IngestReport:
    """Ingest returns / refunds (``RefundIn`` or mappings: external_id,
    order_external_id, currency, amount_minor or amount, refunded_on?,
    kind? return|refund|chargeback, reason?).  Each reduces its order's
    effective value, never below zero."""
    return await _ingest(engine, institution_id, platform_code, "refunds", enumerate(records), chunk_size=chunk_size)


INGESTERS = {"orders": ingest_orders, "waybills": ingest_waybills, "payments": ingest_payments, "refunds": ingest_refunds}


async def record_refund(
    engine: AsyncEngine,
    institution_id: UUID,
    platform_code: str,
    order_external_id: str,
    *,
    external_id: str,
    amount_minor: int,
    currency: str,
    refunded_on: date | None = None,
    kind: str = "refund",
    reason: str | None = None,
) -> RefundResult:
    """Record one return or refund: it reduces the order's effective value
    (capped so the value never goes below zero).  Idempotent by
    ``external_id``.  Raises :class:`RecordRejected` (the record is held)."""
    rec = {
        "external_id": external_id, "order_external_id": order_external_id, "amount_minor": amount_minor, "currency": currency,
        "refunded_on": refunded_on, "kind": kind, "reason": reason,
    }
    report = await ingest_refunds(engine, institution_id, platform_code, [rec])
    if report.rejected:
        raise RecordRejected("refunds", report.rejected[0][1], str(external_id))
    async with engine.connect() as conn:
        r = (
            await conn.execute(
                select(trade_refunds.c.order_id, trade_refunds.c.requested_minor, trade_refunds.c.applied_minor, trade_orders.c.amount_minor, trade_orders.c.refunded_minor)
                .join(trade_orders, trade_orders.c.id == trade_refunds.c.order_id)
                .where(
                    trade_refunds.c.institution_id == institution_id, trade_refunds.c.platform_code == platform_code, trade_refunds.c.external_id == str(external_id).strip()
                )
            )
        ).one()
    return RefundResult(r.order_id, r.requested_minor, r.applied_minor, r.refunded_minor, max(0, r.amount_minor - r.refunded_minor), report.duplicates > 0)


# -- files ---------------------------------------------------------------------------------


def _detect_format(name: str | None, first_line: str) -> str:
    if name:
        ext = os.path.splitext(name.lower())[1]
        if ext in (".ndjson", ".jsonl", ".json"):
            return "ndjson"
        if ext == ".csv":
            return "csv"
    return "ndjson" if first_line.lstrip().startswith("{") else "csv"


def _text_lines(stream: IO) -> Iterator[str]:
    """Lines of a text or binary stream, decoded as UTF-8 (a BOM is skipped)."""
    probe = stream.read(0)
    if isinstance(probe, bytes):
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")  # type: ignore[arg-type]
        try:
            # not ``yield from``: closing this generator early would close
            # the wrapper, and with it the caller's stream
            for line in text:
                yield line
        finally:
            text.detach()  # leave the caller's stream open
    else:
        yield from stream


_JSON = json.JSONDecoder(parse_float=Decimal)  # decimals stay exact, never floats


def _ndjson_records(lines: Iterator[str]) -> Iterator[Any]:
    for lineno, line in enumerate(lines, 1):
        s = line.strip()
        if not s:
            continue
        try:
            obj = _JSON.decode(s)
        except ValueError as exc:
            # a JSONDecodeError has .msg; int() beyond 4,300 digits raises a plain ValueError
            yield _Unparsed(s, f"line {lineno}: malformed JSON ({getattr(exc, 'msg', None) or exc})")
            continue
        yield obj if isinstance(obj, dict) else _Unparsed(s, f"line {lineno}: not a JSON object")


def _csv_records(lines: Iterator[str]) -> Iterator[Any]:
    reader = csv.DictReader(lines)
    try:
        if reader.fieldnames is None:
            return
    except csv.Error as exc:
        raise InvalidInput(f"unreadable CSV header: {exc}") from None
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # e.g. a NUL byte or an oversized field: reject the line, read on
            yield _Unparsed("", f"line {reader.line_num}: unreadable CSV ({exc})")
            continue
        extra = row.pop(None, None)  # type: ignore[call-overload]
        rec = {k.strip(): v for k, v in row.items() if k is not None and v not in (None, "")}
        if extra:
            yield _Unparsed(json.dumps(rec, ensure_ascii=False, sort_keys=True), f"line {reader.line_num}: more fields than the header names")
        else:
            yield rec


async def ingest_file(
    engine: AsyncEngine,
    institution_id: UUID,
    platform_code: str,
    kind: str,
    path_or_stream: str | os.PathLike | IO,
    chunk_size: int = 2000,
    progress: Callable[[int], Any] | None = None,
    *,
    format: str | None = None,
) -> IngestReport:
    """Ingest an NDJSON or CSV file of ``kind`` records, streaming: records
    are read and written ``chunk_size`` at a time (one database transaction
    each), so memory does not grow with the file.  The format comes from
    ``format``, else the file name's extension, else the first character
    (``{`` = NDJSON).  CSV columns are the record's field names; amounts as
    ``amount`` (decimal) or ``amount_minor``.  ``progress(n)`` is called
    with the number of records read after each chunk.  Re-ingesting a file
    is idempotent; rejected records are held with their line and reason."""
    if kind not in KINDS:
        raise InvalidInput(f"trade data kind must be one of {', '.join(KINDS)}", kind=str(kind))
    if format not in (None, "ndjson", "csv"):
        raise InvalidInput("format must be ndjson or csv", format=str(format))
    own = isinstance(path_or_stream, (str, os.PathLike))
    stream: IO = open(path_or_stream, "rb") if own else path_or_stream  # noqa: SIM115
    name = str(path_or_stream) if own else getattr(stream, "name", None)
    try:
        lines = _text_lines(stream)
        first = next(lines, None)
        if first is None:
            return IngestReport(kind)
        first = first.lstrip("\ufeff")  # a byte-order mark in a text stream
        fmt = format or _detect_format(name if isinstance(name, str) else None, first)
        if fmt == "ndjson" and first.lstrip().startswith("["):
            raise InvalidInput("a JSON array is not streamed: send one JSON object per line (NDJSON)")
        all_lines = itertools.chain([first], lines)
        records = _ndjson_records(all_lines) if fmt == "ndjson" else _csv_records(all_lines)
        return await _ingest(
            engine, institution_id, platform_code, kind, enumerate(records), chunk_size=chunk_size, progress=progress, max_reported=MAX_REPORTED_REJECTS
        )
    finally:
        if own:
            stream.close()


# -- reading ------------------------------------------------------------------------------------


async def get_order(db: AsyncEngine | AsyncConnection, institution_id: UUID, order_id: UUID) -> dict[str, Any]:
    """The order with its waybills, payments, refunds, effective value and
    what this institution has claimed of it as evidence.  Raises
    :class:`OrderNotFound` (also for another institution's id)."""

    async def work(conn: AsyncConnection) -> dict[str, Any]:
        o = (await conn.execute(select(trade_orders).where(trade_orders.c.id == order_id, trade_orders.c.institution_id == institution_id))).first()
        if o is None:
            raise OrderNotFound(order_id)
        wb, pay = await _docs_for(conn, institution_id, o.platform_code, [o.external_id])
        refunds = (await conn.execute(select(trade_refunds).where(trade_refunds.c.order_id == o.id).order_by(trade_refunds.c.created_at))).all()
        claimed = (
            await conn.execute(
                select(func.coalesce(func.sum(evidence_claims.c.amount_minor), 0)).where(
                    evidence_claims.c.order_id == o.id, evidence_claims.c.institution_id == institution_id, evidence_claims.c.released_at.is_(None)
                )
            )
        ).scalar()
        out = dict(o._mapping)
        out["effective_value_minor"] = max(0, o.amount_minor - o.refunded_minor)
        out["claimed_minor"] = int(claimed or 0)
        out["waybills"] = [dict(r._mapping) for r in wb.get(o.external_id, [])]
        out["payments"] = [dict(r._mapping) for r in pay.get(o.external_id, [])]
        out["refunds"] = [dict(r._mapping) for r in refunds]
        return out

    if isinstance(db, AsyncConnection):
        return await work(db)
    async with db.connect() as conn:
        return await work(conn)


async def list_orders(
    db: AsyncEngine | AsyncConnection,
    institution_id: UUID,
    *,
    platform_code: str | None = None,
    customer_id: UUID | None = None,
    match_status: str | None = None,
    after: UUID | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Orders in ingest order (keyset pagination on the id), with their match status."""
    if match_status is not None and match_status not in MATCH_STATUSES:
        raise InvalidInput(f"match_status must be one of {', '.join(MATCH_STATUSES)}")
    stmt = select(trade_orders).where(trade_orders.c.institution_id == institution_id)
    if platform_code is not None:
        stmt = stmt.where(trade_orders.c.platform_code == platform_code)
    if customer_id is not None:
        stmt = stmt.where(trade_orders.c.customer_id == customer_id)
    if match_status is not None:
        stmt = stmt.where(trade_orders.c.match_status == match_status)
    if after is not None:
        stmt = stmt.where(trade_orders.c.id > after)
    stmt = stmt.order_by(trade_orders.c.id).limit(max(1, min(int(limit), 1000)))

    async def work(conn):
        out = []
        for r in await conn.execute(stmt):
            d = dict(r._mapping)
            d["effective_value_minor"] = max(0, r.amount_minor - r.refunded_minor)
            out.append(d)
        return out

    if isinstance(db, AsyncConnection):
        return await work(db)
    async with db.connect() as conn:
        return await work(conn)


async def list_rejects(
    db: AsyncEngine | AsyncConnection, institution_id: UUID, *, kind: str | None = None, platform_code: str | None = None, before: UUID | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """Held records, newest first."""
    stmt = select(trade_rejects).where(trade_rejects.c.institution_id == institution_id)
    if kind is not None:
        stmt = stmt.where(trade_rejects.c.kind == kind)
    if platform_code is not None:
        stmt = stmt.where(trade_rejects.c.platform_code == platform_code)
    if before is not None:
        stmt = stmt.where(trade_rejects.c.id < before)
    stmt = stmt.order_by(trade_rejects.c.id.desc()).limit(max(1, min(int(limit), 1000)))

    async def work(conn):
        return [dict(r._mapping) for r in await conn.execute(stmt)]

    if isinstance(db, AsyncConnection):
        return await work(db)
    async with db.connect() as conn:
        return await work(conn)


# -- the evidence registry ----------------------------------------------------------------------


def evidence_key(platform_code: str, external_id: str) -> str:
    """The registry key of a platform order: SHA-256 of
    ``platform_code|external_id`` (domain separated).  The same at every
    institution, and independent of any key that could be rotated."""
    return hashlib.sha256(f"xborder-evidence-v1\x00{platform_code}|{external_id}".encode()).hexdigest()


async def _lower_registry(conn: AsyncConnection, pairs: list[tuple[str, int]]) -> None:
    """Lower registry values to what is left of each order (never raises one)."""
    if not pairs:
        return
    await conn.execute(
        update(evidence_registry)
        .where(evidence_registry.c.evidence_key == bindparam("_key"), evidence_registry.c.value_minor > bindparam("_value"))
        .values(value_minor=bindparam("_value")),
        [{"_key": k, "_value": max(0, v)} for k, v in sorted(pairs)],
    )


async def claim_evidence(
    conn: AsyncConnection,
    institution_id: UUID,
    customer_id: UUID,
    platform_code: str | None,
    order_external_ids: Sequence[str | OrderRef],
    currency: str,
    up_to_minor: int,
    purpose: str,
    claim_ref: str,
) -> EvidenceClaim:
    """Consume evidence for an operation, inside the caller's transaction.

    Counts only the institution's matched orders of ``customer_id`` in
    ``currency`` whose effective value (after returns) is above zero; takes
    from the shared registry at most ``up_to_minor`` in total, in the order
    the ids are cited.  Orders whose value is already fully consumed (by
    anyone, at any institution) are listed in ``reused``: the caller raises
    an evidence-reuse alert.  A second call with the same ``claim_ref``
    (not released) returns the first claim unchanged (``replayed``).

    Correct under concurrent claims from several institutions: registry rows
    are locked in key order and consumed by a conditional update
    (``consumed + x <= value``), so the total consumed never exceeds an
    order's value.
    """
    # one claim is a batch of one: the rules live in claim_evidence_many
    request = ClaimRequest(customer_id, platform_code, order_external_ids, currency, up_to_minor, purpose, claim_ref)
    return (await claim_evidence_many(conn, institution_id, [request]))[0]


async def release_evidence(conn: AsyncConnection, institution_id: UUID, claim_ref: str) -> int:
    """Give back what the claim ``claim_ref`` consumed (its operation was
    cancelled), inside the caller's transaction.  Returns the amount given
    back; 0 when there is nothing (left) to release."""
    rows = (
        await conn.execute(
            select(evidence_claims).where(
                evidence_claims.c.institution_id == institution_id, evidence_claims.c.claim_ref == claim_ref, evidence_claims.c.released_at.is_(None)
            )
        )
    ).all()
    if not rows:
        return 0
    per_key: dict[str, int] = {}
    for r in rows:
        per_key[r.evidence_key] = per_key.get(r.evidence_key, 0) + int(r.amount_minor)
    for key in sorted(per_key):
        amount = per_key[key]
        await conn.execute(
            update(evidence_registry)
            .where(evidence_registry.c.evidence_key == key)
            .values(consumed_minor=case((evidence_registry.c.consumed_minor >= amount, evidence_registry.c.consumed_minor - amount), else_=0))
        )
    now = datetime.now(UTC)
    await conn.execute(
        update(evidence_claims).where(evidence_claims.c.id.in_([r.id for r in rows])).values(released_at=now)
    )
    return sum(per_key.values())


@dataclass(slots=True)
class ClaimRequest:
    """One claim of :func:`claim_evidence_many` (the arguments of
    :func:`claim_evidence`)."""

    customer_id: UUID
    platform_code: str | None
    order_external_ids: Sequence[str | OrderRef]
    currency: str
    up_to_minor: int
    purpose: str
    claim_ref: str


async def claim_evidence_many(conn: AsyncConnection, institution_id: UUID, requests: Sequence[ClaimRequest]) -> list[EvidenceClaim]:
    """:func:`claim_evidence` for many claims at once (the bulk path of
    receipts): the same rules and results, claims served in the given order,
    with a handful of statements for the whole batch instead of several per
    claim.  Registry rows are upserted (and so locked) in key order."""
    out: list[EvidenceClaim | None] = [None] * len(requests)
    for rq in requests:
        check_currency(rq.currency)
        if rq.up_to_minor < 0:
            raise InvalidInput("up_to_minor must not be negative", up_to_minor=rq.up_to_minor)
        if not rq.claim_ref or len(rq.claim_ref) > 128:
            raise InvalidInput("claim_ref must be 1..128 characters")
    # replays of claims already made
    refs = [rq.claim_ref for rq in requests]
    previous: dict[str, list[Any]] = {}
    for part in _chunks(refs):
        rows = await conn.execute(
            select(evidence_claims)
            .where(evidence_claims.c.institution_id == institution_id, evidence_claims.c.claim_ref.in_(part), evidence_claims.c.released_at.is_(None))
            .order_by(evidence_claims.c.created_at, evidence_claims.c.id)
        )
        for r in rows:
            previous.setdefault(r.claim_ref, []).append(r)
    cited_all: list[list[tuple[Any, str, str]]] = []
    wanted: dict[str, set[str]] = {}
    for n, rq in enumerate(requests):
        prev = previous.get(rq.claim_ref)
        if prev:
            used = [(r.external_id if rq.platform_code == r.platform_code else OrderRef(r.platform_code, r.external_id), int(r.amount_minor)) for r in prev]
            out[n] = EvidenceClaim(rq.claim_ref, rq.currency, sum(a for _e, a in used), used=used, replayed=True)
            cited_all.append([])
            continue
        cited, seen = [], set()
        for item in rq.order_external_ids:
            if isinstance(item, OrderRef):
                pair = (item.platform_code, item.external_id)
            else:
                if rq.platform_code is None:
                    raise InvalidInput("order ids given as text need a platform_code")
                pair = (rq.platform_code, str(item))
            if pair not in seen:
                seen.add(pair)
                cited.append((item, *pair))
                wanted.setdefault(pair[0], set()).add(pair[1])
        cited_all.append(cited)
    orders: dict[tuple[str, str], Any] = {}
    for p, exts in wanted.items():
        for part in _chunks(sorted(exts)):
            stmt = _by_keys(
                conn, [trade_orders], trade_orders, trade_orders.c.external_id, part, trade_orders.c.institution_id == institution_id, trade_orders.c.platform_code == p
            ).order_by(trade_orders.c.id)
            if conn.dialect.name == "postgresql":
                stmt = stmt.with_for_update(read=True, of=trade_orders)
            for r in await conn.execute(stmt):
                orders[(p, r.external_id)] = r
    claims: list[EvidenceClaim] = []
    candidates: list[list[tuple[Any, Any, str, int]]] = []
    lowest: dict[str, tuple[str, int]] = {}
    for n, rq in enumerate(requests):
        claim = EvidenceClaim(rq.claim_ref, rq.currency, 0)
        claims.append(claim)
        mine = []
        for item, p, e in cited_all[n]:
            o = orders.get((p, e))
            reason = None
            if o is None:
                reason = "no such order"
            elif o.customer_id != rq.customer_id:
                reason = "order of another merchant"
            elif o.currency != rq.currency:
                reason = f"order in {o.currency}"
            elif o.match_status != MATCHED:
                reason = f"order {o.match_status}" + (f": {o.match_reason}" if o.match_reason else "")
            elif o.amount_minor - o.refunded_minor <= 0:
                reason = "order fully returned or refunded"
            if reason is not None:
                claim.unmatched.append(item)
                claim.reasons[item] = reason
                continue
            key, value = evidence_key(p, e), o.amount_minor - o.refunded_minor
            mine.append((item, o, key, value))
            prev_low = lowest.get(key)
            if prev_low is None or value < prev_low[1]:
                lowest[key] = (rq.currency, value)
        candidates.append(mine)
    # upsert (and lock) every registry row once, in key order
    reg: dict[str, list] = {}
    keys = sorted(lowest)
    for part in _chunks(keys, 1000):
        ins = _insert(conn, evidence_registry).values([dict(evidence_key=k, currency=lowest[k][0], value_minor=lowest[k][1], consumed_minor=0) for k in part])
        stmt = ins.on_conflict_do_update(
            index_elements=["evidence_key"],
            set_={"value_minor": case((ins.excluded.value_minor < evidence_registry.c.value_minor, ins.excluded.value_minor), else_=evidence_registry.c.value_minor)},
        ).returning(evidence_registry.c.evidence_key, evidence_registry.c.currency, evidence_registry.c.value_minor, evidence_registry.c.consumed_minor)
        for row in await conn.execute(stmt):
            reg[row.evidence_key] = [row.currency, int(row.value_minor), int(row.consumed_minor), False]
    now = datetime.now(UTC)
    claim_rows = []
    for n, rq in enumerate(requests):
        if out[n] is not None:
            continue
        claim, remaining = claims[n], rq.up_to_minor
        for item, o, key, _value in candidates[n]:
            cur, value, consumed, _changed = reg[key]
            if cur != rq.currency:
                claim.unmatched.append(item)
                claim.reasons[item] = f"registered in {cur}"
                continue
            available = value - consumed
            if available <= 0:
                claim.reused.append(item)
                claim.reasons[item] = "value already used as evidence"
                continue
            if remaining <= 0:
                continue
            x = min(available, remaining)
            reg[key][2] = consumed + x
            reg[key][3] = True
            remaining -= x
            claim.used.append((item, x))
            claim.coverage_minor += x
            claim_rows.append(
                dict(
                    id=uuid7(), institution_id=institution_id, claim_ref=rq.claim_ref, purpose=(rq.purpose or "receipt")[:32], customer_id=rq.customer_id,
                    order_id=o.id, platform_code=o.platform_code, external_id=o.external_id, evidence_key=key, currency=rq.currency, amount_minor=x,
                    created_at=now, released_at=None,
                )
            )
        out[n] = claim
    changed = [(k, v[2]) for k, v in reg.items() if v[3]]
    if changed:
        # the rows are locked by the upsert above: the values computed here are the truth
        stmt = (
            update(evidence_registry)
            .where(evidence_registry.c.evidence_key == bindparam("b_key"))
            .values(consumed_minor=bindparam("b_consumed"))
        )
        await conn.execute(stmt, [{"b_key": k, "b_consumed": c} for k, c in changed])
    if claim_rows:
        await conn.execute(evidence_claims.insert(), claim_rows)
    return out  # type: ignore[return-value]
