"""Trade data intake: platforms push orders, logistics waybills, payment
records and returns / refunds, one at a time or in bulk.  Records are
idempotent by (institution, platform, external id): pushing one again is
counted as a duplicate and changes nothing.  A record that cannot be
accepted is rejected with a reason and *held* in ``trade_rejects`` with its
raw content, encrypted with the personal-data key (a malformed line is held
as it came, whatever it carries); the others still go in.  Records are written in chunks (one
database transaction per chunk), and each order the new records touch is
matched again (S2)."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ledger.clock import business_today, utc_now
from ledger.crypto import Keyring, deployment_keyring
from ledger.db import run_in_transaction
from ledger.errors import InvalidInput
from ledger.events import emit_event
from ledger.ids import uuid7

from ..config import SettlementConfig
from ..tables_customers import customers
from ..tables_tradedata import trade_orders, trade_payments, trade_refunds, trade_rejects, trade_waybills
from .matching import evaluate_match, rematch
from .model import KINDS, MATCH_STATUSES, PARTIAL, IngestReport, RecordRejected, RefundResult
from .registry import evidence_key, lower_registry
from .secrecy import seal_reject
from .store import by_keys, chunks, docs_for, load_config
from .validation import Reject, Unparsed, held, parse, raw_external_id, raw_text, storable

#: a parsed record: (position, typed record, raw record)
_Parsed = tuple[int, Any, Any]
#: a rejected record: (position, raw record, reason)
_Held = tuple[int, Any, str]


@dataclass(slots=True)
class _ChunkResult:
    inserted: int = 0
    duplicates: int = 0
    rejects: list[tuple[int, str]] = field(default_factory=list)
    match: Counter[str] = field(default_factory=Counter)
    #: external ids of the orders whose documents changed
    touched: set[str] = field(default_factory=set)


#: control characters (Unicode category Cc), refused in a platform code
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class _Intake:
    """One ingest call: the institution, platform, kind and what it has
    learnt so far (merchant ids, the tolerance)."""

    def __init__(self, engine: AsyncEngine, institution_id: UUID, platform_code: str, kind: str, keyring: Keyring | None = None) -> None:
        if kind not in KINDS:
            raise InvalidInput(f"trade data kind must be one of {', '.join(KINDS)}", kind=str(kind))
        if not isinstance(platform_code, str) or not (1 <= len(platform_code) <= 64) or _CONTROL.search(platform_code):
            raise InvalidInput("platform code must be 1..64 characters without control characters")
        self.engine = engine
        self.keyring = keyring or deployment_keyring()
        self.institution_id = institution_id
        self.platform_code = platform_code
        self.kind = kind
        self.config = SettlementConfig()  # the institution's, once started
        self.merchants: dict[str, UUID] = {}

    async def start(self) -> None:
        async with self.engine.connect() as conn:
            self.config = await load_config(conn, self.institution_id)

    async def chunk(self, items: list[tuple[int, Any]]) -> _ChunkResult:
        parsed: list[tuple[int, Any, Any]] = []
        early: list[tuple[int, Any, str]] = []
        for pos, raw in items:
            if isinstance(raw, Unparsed):
                early.append((pos, raw, raw.reason))
                continue
            try:
                parsed.append((pos, parse(self.kind, raw, self.config), raw))
            except Reject as exc:
                early.append((pos, raw, str(exc)))

        async def work(conn: AsyncConnection) -> _ChunkResult:
            res = _ChunkResult()
            rejects = list(early)
            if parsed:
                writer = getattr(self, f"_write_{self.kind}")
                await writer(conn, parsed, res, rejects)
            if rejects:
                now = utc_now()
                await conn.execute(
                    trade_rejects.insert(),
                    [
                        dict(
                            id=uuid7(), institution_id=self.institution_id, platform_code=self.platform_code, kind=self.kind,
                            external_id=storable(raw_external_id(raw)), position=pos, raw=seal_reject(self.keyring, self.institution_id, storable(raw_text(held(self.kind, raw))) or ""), reason=storable(reason[:500]), created_at=now,
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

    async def _settle(self, conn: AsyncConnection, touched: set[str]) -> Counter[str]:
        """The post-commit pass: only orders that have documents can change
        (an order without any stays partial, missing both), so only those
        are locked and matched again."""
        wb, pay = await docs_for(conn, self.institution_id, self.platform_code, sorted(touched))
        with_docs = [e for e in touched if e in wb or e in pay]
        # touched orders without documents are orders this chunk inserted
        # (a waybill or payment is a document of the order it touches)
        counts: Counter[str] = Counter({PARTIAL: len(touched) - len(with_docs)})
        return counts + await rematch(conn, self.institution_id, self.platform_code, with_docs, self.config.match_amount_tolerance, lock=True)

    async def _merchant_ids(self, conn: AsyncConnection, refs: Iterable[str]) -> dict[str, UUID]:
        wanted = sorted({r for r in refs if r not in self.merchants})
        for part in chunks(wanted):
            for r in await conn.execute(by_keys(conn, [customers.c.ref, customers.c.id], customers, customers.c.ref, part, customers.c.institution_id == self.institution_id)):
                self.merchants[r.ref] = r.id
        if len(self.merchants) > 50_000:  # keep memory bounded on files with very many merchants
            self.merchants = {k: self.merchants[k] for k in refs if k in self.merchants}
        return self.merchants

    async def _new_only(self, conn: AsyncConnection, table: Table, parsed: list[_Parsed], res: _ChunkResult) -> list[_Parsed]:
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
        for part in chunks([item[1].external_id for item in unique]):
            existing.update(
                r[0]
                for r in await conn.execute(
                    by_keys(
                        conn, [table.c.external_id], table, table.c.external_id, part,
                        table.c.institution_id == self.institution_id, table.c.platform_code == self.platform_code,
                    )
                )
            )
        res.duplicates += len(existing)
        return [item for item in unique if item[1].external_id not in existing] if existing else unique

    async def _with_merchants(self, conn: AsyncConnection, table: Table, parsed: list[_Parsed], res: _ChunkResult, rejects: list[_Held]) -> tuple[list[_Parsed], dict[str, UUID]]:
        parsed = await self._new_only(conn, table, parsed, res)
        known = await self._merchant_ids(conn, {rec.merchant_ref for _p, rec, _r in parsed})
        ok: list[_Parsed] = []
        for pos, rec, raw in parsed:
            if rec.merchant_ref not in known:
                rejects.append((pos, raw, f"unknown merchant {rec.merchant_ref!r}"))
            else:
                ok.append((pos, rec, raw))
        return ok, known

    async def _write_orders(self, conn: AsyncConnection, parsed: list[_Parsed], res: _ChunkResult, rejects: list[_Held]) -> None:
        ok, known = await self._with_merchants(conn, trade_orders, parsed, res, rejects)
        if not ok:
            return
        wb, pay = await docs_for(conn, self.institution_id, self.platform_code, [rec.external_id for _p, rec, _r in ok])
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

    async def _write_waybills(self, conn: AsyncConnection, parsed: list[_Parsed], res: _ChunkResult, rejects: list[_Held]) -> None:
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
        res.match += await rematch(conn, self.institution_id, self.platform_code, res.touched, self.config.match_amount_tolerance, lock=True)

    async def _write_payments(self, conn: AsyncConnection, parsed: list[_Parsed], res: _ChunkResult, rejects: list[_Held]) -> None:
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
        res.match += await rematch(conn, self.institution_id, self.platform_code, res.touched, self.config.match_amount_tolerance, lock=True)

    async def _write_refunds(self, conn: AsyncConnection, parsed: list[_Parsed], res: _ChunkResult, rejects: list[_Held]) -> None:
        parsed = await self._new_only(conn, trade_refunds, parsed, res)
        order_exts = sorted({rec.order_external_id for _p, rec, _r in parsed})
        orders: dict[str, Any] = {}
        for part in chunks(order_exts):
            stmt = by_keys(
                conn, [trade_orders], trade_orders, trade_orders.c.external_id, part,
                trade_orders.c.institution_id == self.institution_id, trade_orders.c.platform_code == self.platform_code,
            ).order_by(trade_orders.c.id)
            if conn.dialect.name == "postgresql":
                stmt = stmt.with_for_update(of=trade_orders)  # refunds of one order are applied one after the other
            for r in await conn.execute(stmt):
                orders[r.external_id] = r
        now = utc_now()
        today = business_today(self.config.regulatory_timezone)
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
            await lower_registry(conn, [(evidence_key(self.platform_code, o.external_id, keyring=self.keyring), o.amount_minor - refunded[o.external_id]) for o in touched])


_NO_DOCUMENTS = "missing waybill; missing payment"


@dataclass(slots=True)
class _OrderView:
    external_id: str
    customer_id: UUID
    merchant_ref: str
    currency: str
    amount_minor: int
    order_date: date


async def ingest_items(
    engine: AsyncEngine,
    institution_id: UUID,
    platform_code: str,
    kind: str,
    items: Iterable[tuple[int, Any]],
    *,
    chunk_size: int = 2000,
    progress: Callable[[int], Any] | None = None,
    max_reported: int | None = None,
    keyring: Keyring | None = None,
) -> IngestReport:
    intake = _Intake(engine, institution_id, platform_code, kind, keyring)
    await intake.start()
    report = IngestReport(kind)
    match: Counter[str] = Counter()
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
    return await ingest_items(engine, institution_id, platform_code, "orders", enumerate(records), chunk_size=chunk_size)


async def ingest_waybills(engine: AsyncEngine, institution_id: UUID, platform_code: str, records: Iterable[Any], *, chunk_size: int = 2000) -> IngestReport:
    """Ingest logistics waybills (``WaybillIn`` or mappings: external_id,
    order_external_id, merchant_ref, shipped_on, carrier?, currency? +
    amount?, destination_country?); the orders they cite are matched again."""
    return await ingest_items(engine, institution_id, platform_code, "waybills", enumerate(records), chunk_size=chunk_size)


async def ingest_payments(engine: AsyncEngine, institution_id: UUID, platform_code: str, records: Iterable[Any], *, chunk_size: int = 2000) -> IngestReport:
    """Ingest payment records (``PaymentIn`` or mappings: external_id,
    order_external_id, merchant_ref, currency, amount_minor or amount,
    paid_on, method?); the orders they cite are matched again."""
    return await ingest_items(engine, institution_id, platform_code, "payments", enumerate(records), chunk_size=chunk_size)


async def ingest_refunds(engine: AsyncEngine, institution_id: UUID, platform_code: str, records: Iterable[Any], *, chunk_size: int = 2000) -> IngestReport:
    """Ingest returns / refunds (``RefundIn`` or mappings: external_id,
    order_external_id, currency, amount_minor or amount, refunded_on?,
    kind? return|refund|chargeback, reason?).  Each reduces its order's
    effective value, never below zero."""
    return await ingest_items(engine, institution_id, platform_code, "refunds", enumerate(records), chunk_size=chunk_size)


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
