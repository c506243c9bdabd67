"""Outward payments (付汇): an enterprise pays abroad from its FX current
account (S6 payments side).

A payment is posted as one ledger transaction:

    Dr cust:<id>:current:<CUR>     amount      Cr inst:nostro:<CUR>          amount   (paid)
    Dr cust:<id>:current:<CUR>     amount      Cr cust:<id>:suspense:<CUR>   amount   (held)

The current account may not go negative, so a payment beyond its balance is
refused (``insufficient_funds``, nothing written).  Every payment counts into
the enterprise's national S6 payments total of its value date's calendar year
(China time, USD equivalent at the mid rate of the value date,
``settlement.s6``): for an unregistered enterprise the payment that brings
the total to 180,000 raises the early warning, and the one that brings it to
200,000 or more is held in the customer's suspense account with reason
``registration_required`` (nothing lost) until registration is recorded; then
a release moves it on to the nostro.  A negative-listed customer's payment is
held likewise (``negative_list_party``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger import errors as E
from ledger.chain import canonical_json
from ledger.clock import business_today, utc_now
from ledger.db import run_in_transaction
from ledger.events import emit_event, record_audit
from ledger.ids import uuid7
from ledger.model import NewTransaction, Posting
from ledger.money import currency as check_currency
from ledger.money import format_minor
from ledger.posting import is_idempotency_race, post_batch
from ledger.process import mark_replayed
from ledger.service.core import MAX_ROWS

from . import accounts as A
from .alerts import raise_alert
from .config import SettlementConfig, check_value_date
from .errors import DuplicateReference
from .facts import CustomerFacts, customer_facts
from .s6 import HOLD_REASON, count_s6
from .tables_payments import payments

if TYPE_CHECKING:
    from .service import Settlement

PURPOSES = ("goods", "overseas_warehousing", "logistics", "service_fees", "buyer_refund")
ENTERPRISE_KINDS = ("enterprise", "individual_trade_operator", "individual_business")
#: how far back a payment may be value-dated (calendar days, China time)
MAX_EVIDENCE_REFS = 100


class PaymentInvalid(E.InvalidInput):
    code = "payment_invalid"
    title = "Invalid payment"


class PaymentNotReleasable(E.Conflict):
    code = "payment_not_releasable"
    title = "Payment cannot be released"

    def __init__(self, payment: str, status: str, reason: str) -> None:
        super().__init__(f"payment {payment} ({status}) cannot be released: {reason}", payment=payment, status=status, reason=reason)


@dataclass
class PaymentIn:
    customer_id: UUID
    currency: str
    amount_minor: int
    purpose: str
    beneficiary_name: str
    beneficiary_country: str
    external_ref: str
    evidence_refs: list[str] = field(default_factory=list)
    value_date: date | None = None

    def fingerprint(self) -> str:
        body = {k: (str(v) if isinstance(v, (UUID, date)) else v) for k, v in self.__dict__.items()}
        return hashlib.sha256(canonical_json(body).encode()).hexdigest()


def validate_payment(p: PaymentIn, cfg: SettlementConfig) -> date:
    """Shape checks; the value date (default today).  Raises :class:`PaymentInvalid` naming the field."""
    check_currency(p.currency)
    if isinstance(p.amount_minor, bool) or not isinstance(p.amount_minor, int) or p.amount_minor <= 0:
        raise PaymentInvalid("amount must be positive", field="amount")
    if p.purpose not in PURPOSES:
        raise PaymentInvalid(f"purpose must be one of {', '.join(PURPOSES)}", field="purpose")
    if not p.beneficiary_name or not p.beneficiary_name.strip() or len(p.beneficiary_name) > 200:
        raise PaymentInvalid("beneficiary name must be 1..200 characters", field="beneficiary_name")
    c = p.beneficiary_country
    if not (isinstance(c, str) and len(c) == 2 and c.isascii() and c.isalpha() and c.isupper()) or c == "CN":
        raise PaymentInvalid("beneficiary country must be an ISO 3166 alpha-2 code outside China", field="beneficiary_country")
    if not p.external_ref or len(p.external_ref) > 128:
        raise PaymentInvalid("external_ref must be 1..128 characters", field="external_ref")
    if len(p.evidence_refs) > MAX_EVIDENCE_REFS or any(not isinstance(r, str) or not r.strip() or len(r) > 128 for r in p.evidence_refs):
        raise PaymentInvalid(f"evidence references: at most {MAX_EVIDENCE_REFS}, each 1..128 characters", field="evidence_refs")
    vd = p.value_date or business_today(cfg.regulatory_timezone)
    check_value_date(vd, cfg, "value_date")  # the S6 year follows it: within the open period, never after today
    return vd


@dataclass
class _Context:
    value_date: date
    usd: int
    rate: Any
    facts: CustomerFacts
    ledger_id: UUID
    current: UUID
    suspense: UUID
    nostro: UUID


class PaymentService:
    """Posts, holds and releases outward payments.  ``settlement`` is the
    :class:`settlement.service.Settlement` facade (ledger, rates, config)."""

    def __init__(self, settlement: Settlement) -> None:
        self.s = settlement

    async def post_payment(
        self, institution_id: UUID, p: PaymentIn, *, actor: str = "system", after: Callable[[AsyncConnection, dict[str, Any]], Awaitable[None]] | None = None,
    ) -> dict[str, Any]:
        """Pay abroad from the customer's current account.  Idempotent by
        ``external_ref``.  Raises :class:`PaymentInvalid`, ``insufficient_funds``,
        :class:`DuplicateReference`, ``NotFound`` (customer), ``rate_unavailable``.
        ``after(conn, payment)`` runs inside the payment's database transaction
        with the payment it returns (not for a replay)."""
        cfg = await self.s.config(institution_id)
        vd = validate_payment(p, cfg)
        fp = p.fingerprint()
        prior = await self.find_by_ref(institution_id, p.external_ref)
        if prior is not None:
            return _replay(prior, fp, p.external_ref)
        c = await self._context(institution_id, p, vd)

        async def work(conn: AsyncConnection) -> dict[str, Any]:
            out = await self._post_in(conn, institution_id, p, fp, c, cfg, actor)
            if after is not None:
                await after(conn, out)
            return out

        try:
            return await run_in_transaction(self.s.ledger.engine, work, retry_on=is_idempotency_race)
        except IntegrityError:
            prior = await self.find_by_ref(institution_id, p.external_ref)
            if prior is None:
                raise
            return _replay(prior, fp, p.external_ref)

    async def _context(self, inst: UUID, p: PaymentIn, vd: date) -> _Context:
        async with self.s.ledger.engine.connect() as conn:
            facts = await customer_facts(conn, inst, p.customer_id)
        if facts.kind not in ENTERPRISE_KINDS:
            raise PaymentInvalid("outward payments are made by merchants (enterprises, individual trade operators, individual businesses)", field="customer_id")
        usd, rate = await self.s.rates.usd_equivalent_with_rate(inst, p.amount_minor, p.currency, vd)
        led = self.s.ledger
        return _Context(
            vd, usd, rate, facts, await A.settlement_ledger_id(led, inst), await A.customer_account(led, inst, p.customer_id, "current", p.currency),
            await A.customer_account(led, inst, p.customer_id, "suspense", p.currency), await A.institution_account(led, inst, "nostro", p.currency),
        )

    async def _post_in(self, conn: AsyncConnection, inst: UUID, p: PaymentIn, fp: str, c: _Context, cfg: SettlementConfig, actor: str) -> dict[str, Any]:
        """The unit of work: national S6 total, posting, row, alerts, event, audit."""
        payment_id, now = uuid7(), utc_now()
        s6 = await count_s6(conn, c.facts, c.value_date.year, "payments", c.usd, cfg)
        # registration first: a release always checks the negative list as well
        hold_reason = HOLD_REASON if s6.hold else ("negative_list_party" if c.facts.negative_list else None)
        status = "held" if hold_reason else "paid"
        meta = {
            "payment_id": str(payment_id), "purpose": p.purpose, "beneficiary_country": p.beneficiary_country, "status": status,
            "usd_equivalent": _usd(c.usd), "usd_rate": c.rate.to_metadata(), "s6_year": s6.year, "s6_payments_usd": _usd(s6.total_usd_minor),
        }
        item = NewTransaction(
            c.ledger_id, [Posting(c.current, p.amount_minor, "debit", p.currency), Posting(c.suspense if hold_reason else c.nostro, p.amount_minor, "credit", p.currency)],
            idempotency_key=f"payment:{p.external_ref}", effective_date=c.value_date, description=f"outward payment {p.external_ref}", metadata=meta,
        )
        res = (await post_batch(conn, inst, [item], options=self.s.ledger.options))[0]
        if not res.ok:
            err = res.error or E.LedgerError("the posting was refused")
            if isinstance(err, E.InsufficientFunds):
                raise E.InsufficientFunds(f"current account {p.currency} of customer {p.customer_id}", err.available_minor, p.amount_minor, p.currency)
            raise err
        row = dict(
            id=payment_id, institution_id=inst, customer_id=p.customer_id, external_ref=p.external_ref, request_hash=fp, currency=p.currency,
            amount_minor=p.amount_minor, usd_equivalent_minor=c.usd, purpose=p.purpose, beneficiary_name=p.beneficiary_name.strip(),
            beneficiary_country=p.beneficiary_country, evidence_refs=[r.strip() for r in p.evidence_refs], merchant_kind=c.facts.kind, value_date=c.value_date,
            status=status, hold_reason=hold_reason, rate=c.rate.to_metadata(), transaction_id=res.transaction_id, release_transaction_id=None,
            released_by=None, release_note=None, released_at=None, created_at=now,
        )
        await conn.execute(payments.insert().values(**row))
        alerts: list[tuple[str, dict[str, Any]]] = []
        if s6.warn:
            alerts.append(s6.alert(cfg))
        if c.facts.negative_list:
            alerts.append(("negative_list_party", {"customer_id": str(p.customer_id)}))
        if not p.evidence_refs:
            alerts.append(("payment_without_evidence", {"amount": format_minor(p.amount_minor, p.currency), "currency": p.currency}))
        for kind, details in alerts:
            await raise_alert(conn, inst, kind, customer_id=p.customer_id, subject_type="payment", subject_id=payment_id, details=details)
        await emit_event(conn, inst, "payment.held" if hold_reason else "payment.paid", {
            "payment_id": str(payment_id), "customer_id": str(p.customer_id), "currency": p.currency, "amount": format_minor(p.amount_minor, p.currency), "status": status, "hold_reason": hold_reason,
        })
        await record_audit(
            conn, institution_id=inst, actor_type=actor.split(":")[0], actor_id=actor, action="payment.post", object_type="payment", object_id=str(payment_id),
            after={"status": status, "hold_reason": hold_reason, "transaction_id": str(res.transaction_id)},
        )
        return {**row, "alerts": [k for k, _ in alerts], "s6_payments_usd_minor": s6.total_usd_minor, "replayed": False}

    # -- release ------------------------------------------------------------------

    async def check_releasable(self, institution_id: UUID, payment_id: UUID, *, note: str) -> dict[str, Any]:
        """What :meth:`release` checks before it moves money, changing
        nothing: the payment (``NotFound``), its status and hold reason
        (:class:`PaymentNotReleasable`), the note.  Returns the payment."""
        if not note or not note.strip():
            raise PaymentInvalid("a release must say what was checked (note)", field="note")
        row = await self.get(institution_id, payment_id)
        if row["status"] != "held":
            raise PaymentNotReleasable(str(payment_id), row["status"], "only held payments are released")
        async with self.s.ledger.engine.connect() as conn:
            facts = await customer_facts(conn, institution_id, row["customer_id"])
        if row["hold_reason"] == HOLD_REASON and not facts.directory_registered:
            raise PaymentNotReleasable(str(payment_id), "held", "directory registration has not been recorded")
        if facts.negative_list:
            raise PaymentNotReleasable(str(payment_id), "held", "the customer is on the negative list")
        return row

    async def release(self, institution_id: UUID, payment_id: UUID, *, note: str, actor: str = "system") -> dict[str, Any]:
        """Release a held payment once its reason is resolved (registration
        recorded, off the negative list): suspense -> nostro."""
        row = await self.check_releasable(institution_id, payment_id, note=note)
        cfg = await self.s.config(institution_id)
        led = self.s.ledger
        ledger_id = await A.settlement_ledger_id(led, institution_id)
        src = await A.customer_account(led, institution_id, row["customer_id"], "suspense", row["currency"])
        dst = await A.institution_account(led, institution_id, "nostro", row["currency"])
        now = utc_now()

        async def work(conn: AsyncConnection) -> None:
            cur = (await conn.execute(select(payments.c.status).where(payments.c.id == payment_id))).scalar()
            if cur != "held":
                raise PaymentNotReleasable(str(payment_id), str(cur), "already released")
            item = NewTransaction(
                ledger_id, [Posting(src, row["amount_minor"], "debit", row["currency"]), Posting(dst, row["amount_minor"], "credit", row["currency"])],
                idempotency_key=f"payment-release:{payment_id}", effective_date=business_today(cfg.regulatory_timezone),
                description=f"release of outward payment {row['external_ref']}", metadata={"payment_id": str(payment_id), "note": note[:300]},
            )
            res = (await post_batch(conn, institution_id, [item], options=led.options))[0]
            if not res.ok:
                raise res.error or E.LedgerError("the posting was refused")
            await conn.execute(
                update(payments).where(payments.c.id == payment_id, payments.c.status == "held")
                .values(status="released", release_transaction_id=res.transaction_id, released_by=actor[:64], release_note=note, released_at=now)
            )
            await emit_event(conn, institution_id, "payment.released", {"payment_id": str(payment_id), "from": "held", "to": "released"})
            await record_audit(
                conn, institution_id=institution_id, actor_type=actor.split(":")[0], actor_id=actor, action="payment.release",
                object_type="payment", object_id=str(payment_id), before={"status": "held"}, after={"status": "released", "note": note[:300]},
            )

        await run_in_transaction(led.engine, work)
        return await self.get(institution_id, payment_id)

    # -- reads ---------------------------------------------------------------------

    async def get(self, institution_id: UUID, payment_id: UUID) -> dict[str, Any]:
        """Raises ``NotFound`` for an unknown id or another institution's."""
        async with self.s.ledger.engine.connect() as conn:
            row = (await conn.execute(select(payments).where(payments.c.id == payment_id, payments.c.institution_id == institution_id))).first()
        if row is None:
            raise E.NotFound("payment", payment_id)
        return dict(row._mapping)

    async def find_by_ref(self, institution_id: UUID, external_ref: str) -> dict[str, Any] | None:
        async with self.s.ledger.engine.connect() as conn:
            row = (await conn.execute(select(payments).where(payments.c.external_ref == external_ref, payments.c.institution_id == institution_id))).first()
        return None if row is None else dict(row._mapping)

    async def list(self, institution_id: UUID, *, customer_id: UUID | None = None, status: str | None = None, limit: int = 100, before: UUID | None = None) -> list[dict[str, Any]]:
        """Payments, newest first (cursor: ``before`` = the last id of the previous page)."""
        stmt = select(payments).where(payments.c.institution_id == institution_id)
        if customer_id:
            stmt = stmt.where(payments.c.customer_id == customer_id)
        if status:
            stmt = stmt.where(payments.c.status == status)
        if before:
            stmt = stmt.where(payments.c.id < before)
        async with self.s.ledger.engine.connect() as conn:
            rows = await conn.execute(stmt.order_by(payments.c.id.desc()).limit(max(1, min(limit, MAX_ROWS))))
            return [dict(r._mapping) for r in rows]


def _replay(prior: dict[str, Any], fp: str, ref: str) -> dict[str, Any]:
    if prior["request_hash"] != fp:
        raise DuplicateReference(ref)
    mark_replayed()  # the HTTP layer answers Idempotent-Replayed: true
    return {**prior, "replayed": True}


def _usd(minor: int) -> dict[str, str]:
    """A USD amount in metadata and payloads: ``{"amount": "...", "currency": "USD"}``."""
    return {"amount": format_minor(minor, "USD"), "currency": "USD"}
