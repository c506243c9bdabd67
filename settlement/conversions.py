"""Conversions (S5): FX → CNY (结汇, "settle") at the bank's buy rate and
CNY → FX (购汇, "purchase") at the bank's sell rate, through the FX position
accounts, with the individuals' annual USD 50,000 facilitation quotas.

Ledger transaction of a settle (FX → CNY)::

    Dr cust:<id>:current:<FX>   fx      Cr inst:fx-position:<FX>  fx
    Dr inst:fx-position:CNY     cny     Cr cust:<id>:cny:CNY      cny

(a purchase is the mirror image).  The rate used, its source, time, mid rate
and spread are stored on the transaction's metadata and on the conversion.

Quotas: an individual's conversion consumes the national quota of its
direction for the calendar year (China Standard Time), except the part
backed by unused matched trade evidence (the e-commerce exemption); beyond
the remaining quota it is refused with the remaining amount, unless it goes
through the review path (staff attach documentary proof; recorded with the
reviewer).  Individual trade operators and individual businesses are not
subject to the annual total; enterprises neither.  A watch-listed person's
conversions all go to review.  Split detection (S9) looks at *ordinary*
conversions only: several ordinary conversions of one person in one
direction within 24 h of each other (by value time) whose quota-relevant
total crosses the split limit (default: the quota) raise an alert and put the
person on the watch list for the rest of the year and the two years after.
A conversion through the review path (staff attached documentary proof) is
neither counted nor flagged: it is documented genuine trade, not splitting.

The national figures (quota, split window and limit, watch-list years, time
zone) are the deployment's (``settlement.config.NATIONAL_KEYS``); an
institution may apply a lower internal per-customer limit
(``customer_annual_quota_usd``) on top.  A conversion may carry a value time
within the open period (default 30 days back, never in the future): its rate
day and its quota year are those of the value time in China time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger import errors as E
from ledger.chain import canonical_json
from ledger.clock import utc_now
from ledger.db import run_in_transaction
from ledger.events import emit_event, record_audit
from ledger.ids import uuid7
from ledger.model import NewTransaction, Posting
from ledger.money import currency as check_currency
from ledger.money import format_minor
from ledger.posting import is_idempotency_race, post_batch
from ledger.process import mark_replayed

from . import accounts as A
from . import registries as R
from .alerts import raise_alert
from .config import SettlementConfig, check_value_time
from .errors import DuplicateReference, EvidencePlatformRequired, ForeignCurrencyRequired, ReviewIncomplete, ReviewRequired
from .facts import CustomerFacts, customer_facts
from .receipts import regulatory_date, regulatory_year
from .tables_receipts import conversions
from .tradedata import claim_evidence

DIRECTIONS = ("settle", "purchase")


if TYPE_CHECKING:
    from .service import Settlement

@dataclass
class Review:
    """The review path: a staff member attaches documentary proof of a
    genuine current-account transaction."""

    reviewer: str
    proof: str


@dataclass
class ConversionIn:
    customer_id: UUID
    direction: str  # settle (FX -> CNY) | purchase (CNY -> FX)
    currency: str  # the foreign currency
    amount_minor: int  # in the foreign currency
    external_ref: str
    platform_code: str | None = None
    evidence_orders: list[str] = field(default_factory=list)
    review: Review | None = None
    customs_mode: str | None = None
    destination_country: str | None = None
    #: when the conversion takes effect (aware; default: now)
    value_time: datetime | None = None

    def fingerprint(self) -> str:
        body = {k: (str(v) if isinstance(v, UUID) else v) for k, v in self.__dict__.items() if k not in ("review", "value_time")}
        body["review"] = None if self.review is None else [self.review.reviewer, self.review.proof]
        if self.value_time is not None:
            body["value_time"] = self.value_time.isoformat()
        return hashlib.sha256(canonical_json(body).encode()).hexdigest()


class ConversionService:
    def __init__(self, settlement: Settlement) -> None:
        self.s = settlement

    async def convert(
        self, institution_id: UUID, c: ConversionIn, *, actor: str = "system", now: datetime | None = None,
        after: Callable[[AsyncConnection, dict[str, Any]], Awaitable[None]] | None = None,
    ) -> dict[str, Any]:
        """Convert at the bank's rate.  Raises :class:`QuotaExceeded` (with
        the remaining quota), :class:`ReviewRequired`,
        :class:`InsufficientFunds`, ``RateUnavailable``, ``InvalidInput``.
        ``after(conn, conversion)`` runs inside the conversion's database
        transaction with the conversion it returns (not for a replay)."""
        _check(c)
        fp = c.fingerprint()
        existing = await self.find_by_ref(institution_id, c.external_ref)
        if existing is not None:
            if existing["request_hash"] != fp:
                raise DuplicateReference(c.external_ref)
            return _replay(existing)

        cfg = await self.s.config(institution_id)
        now = now or utc_now()
        value_at = now if c.value_time is None else check_value_time(c.value_time, cfg)
        on = regulatory_date(value_at, cfg)
        year = regulatory_year(value_at, cfg)
        side: Literal["buy", "sell"] = "buy" if c.direction == "settle" else "sell"
        rate = await self.s.rates.bank_rate(institution_id, c.currency, "CNY", side, on)
        cny = self.s.rates.convert(c.amount_minor, c.currency, "CNY", rate, rounding=cfg.rounding)
        usd, usd_rate = await self.s.rates.usd_equivalent_with_rate(institution_id, c.amount_minor, c.currency, on)
        async with self.s.ledger.engine.connect() as conn:
            facts = await customer_facts(conn, institution_id, c.customer_id)
        ledger_id = await A.settlement_ledger_id(self.s.ledger, institution_id)
        fx_acct = await A.customer_account(self.s.ledger, institution_id, c.customer_id, "current", c.currency)
        cny_acct = await A.customer_account(self.s.ledger, institution_id, c.customer_id, "cny", "CNY")
        pos_fx = await A.institution_account(self.s.ledger, institution_id, "fx-position", c.currency)
        pos_cny = await A.institution_account(self.s.ledger, institution_id, "fx-position", "CNY")
        rate_meta, conversion_id, subject_to_quota = {**rate.to_metadata(), "usd_rate": usd_rate.to_metadata()}, uuid7(), facts.kind == "individual"

        async def work(conn: AsyncConnection) -> dict[str, Any]:
            exempt_usd = quota_usd = reviewed_usd = 0
            alerts: list[tuple[str, dict[str, Any]]] = []
            if subject_to_quota:
                exempt_usd, quota_usd, reviewed_usd = await _individual_quota(conn, institution_id, c, facts, cfg, usd, year, value_at, conversion_id, alerts)
            if facts.negative_list:
                alerts.append(("negative_list_party", {"customer_id": str(c.customer_id)}))
            legs = _legs(c, cny, fx_acct, cny_acct, pos_fx, pos_cny)
            meta = {"conversion_id": str(conversion_id), "direction": c.direction, "rate": rate_meta, "usd_equivalent": _usd(usd), "merchant_kind": facts.kind}
            item = NewTransaction(ledger_id, legs, idempotency_key=f"conversion:{c.external_ref}", effective_date=on, description=f"{c.direction} {c.currency}/CNY", metadata=meta)
            res = (await post_batch(conn, institution_id, [item], options=self.s.ledger.options))[0]
            if not res.ok:
                raise res.error or E.LedgerError("the posting was refused")
            row = dict(
                id=conversion_id, institution_id=institution_id, customer_id=c.customer_id, external_ref=c.external_ref, request_hash=fp,
                direction=c.direction, fx_currency=c.currency, fx_minor=c.amount_minor, cny_minor=cny, rate=rate_meta, usd_equivalent_minor=usd,
                exempt_usd_minor=exempt_usd, quota_usd_minor=quota_usd, reviewed_usd_minor=reviewed_usd, quota_year=year if subject_to_quota else None,
                evidence_refs=list(c.evidence_orders), reviewer=c.review.reviewer[:64] if c.review else None, review_proof=c.review.proof if c.review else None,
                merchant_kind=facts.kind, customs_mode=c.customs_mode, destination_country=c.destination_country, transaction_id=res.transaction_id, created_at=now, value_at=value_at,
            )
            return await _record(conn, institution_id, c, row, alerts, actor, after)

        try:
            return await run_in_transaction(self.s.ledger.engine, work, retry_on=is_idempotency_race)
        except IntegrityError:
            existing = await self.find_by_ref(institution_id, c.external_ref)
            if existing is None:
                raise
            if existing["request_hash"] != fp:
                raise DuplicateReference(c.external_ref) from None
            return _replay(existing)

    async def quota_status(self, institution_id: UUID, customer_id: UUID, year: int | None = None) -> dict[str, Any]:
        """Used and remaining quota of an individual customer, per direction."""
        cfg = await self.s.config(institution_id)
        year = year or regulatory_year(utc_now(), cfg)
        async with self.s.ledger.engine.connect() as conn:
            facts = await customer_facts(conn, institution_id, customer_id)
            if facts.kind != "individual" or not facts.person_index:
                return {"year": year, "subject_to_quota": False, "directions": {}}
            out = {}
            for d in DIRECTIONS:
                used = await R.quota_used(conn, facts.person_index, year, d)
                out[d] = {
                    "used_usd_minor": used, "remaining_usd_minor": max(0, cfg.quota_limit_usd - used), "limit_usd_minor": cfg.quota_limit_usd,
                    "national_limit_usd_minor": cfg.individual_annual_quota_usd,
                }
            watched = await R.watch_listed_until(conn, facts.person_index)
        return {"year": year, "subject_to_quota": True, "directions": out, "watch_list_until": watched}

    async def check_request(self, institution_id: UUID, c: ConversionIn) -> CustomerFacts:
        """What :meth:`convert` checks of a request before it is reviewed,
        changing nothing: the input (``InvalidInput`` ...), the customer
        (``NotFound``) and that the reference is unused
        (:class:`DuplicateReference`).  The rate, the quota and the funds
        are checked when it is converted."""
        _check(c)
        async with self.s.ledger.engine.connect() as conn:
            facts = await customer_facts(conn, institution_id, c.customer_id)
        if await self.find_by_ref(institution_id, c.external_ref) is not None:
            raise DuplicateReference(c.external_ref)
        return facts

    async def find_by_ref(self, institution_id: UUID, external_ref: str) -> dict[str, Any] | None:
        async with self.s.ledger.engine.connect() as conn:
            row = (await conn.execute(select(conversions).where(conversions.c.institution_id == institution_id, conversions.c.external_ref == external_ref))).first()
        return None if row is None else dict(row._mapping)

    async def get(self, institution_id: UUID, conversion_id: UUID) -> dict[str, Any]:
        async with self.s.ledger.engine.connect() as conn:
            row = (await conn.execute(select(conversions).where(conversions.c.institution_id == institution_id, conversions.c.id == conversion_id))).first()
        if row is None:
            raise E.NotFound("conversion", conversion_id)
        return dict(row._mapping)


def _check(c: ConversionIn) -> None:
    """Shape checks of a conversion request."""
    if c.direction not in DIRECTIONS:
        raise E.InvalidInput(f"direction must be one of {', '.join(DIRECTIONS)}", field="direction")
    check_currency(c.currency)
    if c.currency == "CNY":
        raise ForeignCurrencyRequired("the foreign currency cannot be CNY", field="currency")
    if not isinstance(c.amount_minor, int) or c.amount_minor <= 0:
        raise E.InvalidAmount(str(c.amount_minor), "must be positive")
    if not c.external_ref or len(c.external_ref) > 128:
        raise E.InvalidInput("external_ref must be 1..128 characters", field="external_ref")
    if c.evidence_orders and not c.platform_code:
        raise EvidencePlatformRequired("evidence orders need the platform code", field="platform_code")
    if c.review is not None and (not c.review.reviewer or not c.review.proof or not c.review.proof.strip()):
        raise ReviewIncomplete("a review needs the reviewer and the documentary proof", field="review")


async def _individual_quota(
    conn: AsyncConnection, institution_id: UUID, c: ConversionIn, facts: CustomerFacts, cfg: SettlementConfig, usd: int, year: int, at: datetime,
    conversion_id: UUID, alerts: list[tuple[str, dict[str, Any]]],
) -> tuple[int, int, int]:
    """S5 for an individual: the e-commerce exemption, the annual quota and
    split conversions (S9).  ``at`` is the value time.  Returns (exempt,
    quota, reviewed) USD minor units."""
    person = facts.person_index
    if not person:
        raise E.InvalidInput("an individual's conversion needs the person's ID number on file", field="customer")
    watched = await R.watch_listed_until(conn, person)
    if watched is not None and watched >= year and c.review is None:
        raise ReviewRequired(f"the person is on the watch list until the end of {watched}")
    # the e-commerce exemption: evidence backs part of the amount
    covered = 0
    if c.evidence_orders:
        claim = await claim_evidence(conn, institution_id, c.customer_id, c.platform_code, list(c.evidence_orders), c.currency, c.amount_minor, "exemption", str(conversion_id))
        covered = claim.coverage_minor
        if claim.reused:
            alerts.append(("evidence_reuse_attempt", {"orders": list(claim.reused)}))
    exempt_usd = usd if covered >= c.amount_minor else (usd * covered) // c.amount_minor
    excess = usd - exempt_usd
    quota_usd, reviewed_usd = await R.consume_quota(
        # the national quota, or the institution's lower internal limit (never higher)
        conn, person, year, c.direction, excess, cfg.quota_limit_usd, allow_over=c.review is not None
    )
    if c.review is None:
        await _split_check(conn, person, c.direction, excess, cfg, year, at, alerts)
    return exempt_usd, quota_usd, reviewed_usd



def _usd(minor: int) -> dict[str, str]:
    return {"amount": format_minor(minor, "USD"), "currency": "USD"}


async def _record(
    conn: AsyncConnection, institution_id: UUID, c: ConversionIn, row: dict[str, Any], alerts: list[tuple[str, dict[str, Any]]], actor: str,
    after: Callable[[AsyncConnection, dict[str, Any]], Awaitable[None]] | None,
) -> dict[str, Any]:
    """The conversion's row, alerts, event and audit entry, in its transaction;
    then ``after`` with the conversion returned."""
    conversion_id = row["id"]
    await conn.execute(conversions.insert().values(**row))
    for kind, details in alerts:
        await raise_alert(conn, institution_id, kind, customer_id=c.customer_id, subject_type="conversion", subject_id=conversion_id, details=details)
    await emit_event(conn, institution_id, "conversion.posted", _posted_event(conversion_id, c, row["cny_minor"]))
    await record_audit(
        conn, institution_id=institution_id, actor_type=actor.split(":")[0], actor_id=actor, action="conversion.post", object_type="conversion",
        object_id=str(conversion_id), after={**_usd_split(row["quota_usd_minor"], row["exempt_usd_minor"], row["reviewed_usd_minor"]), "reviewer": row["reviewer"]},
    )
    out = {**row, "alerts": [k for k, _ in alerts], "replayed": False}
    if after is not None:
        await after(conn, out)
    return out


def _usd_split(quota_usd: int, exempt_usd: int, reviewed_usd: int) -> dict[str, str]:
    """How a conversion's USD equivalent was counted (the audit record)."""
    return {"currency": "USD", "quota_usd": format_minor(quota_usd, "USD"), "exempt_usd": format_minor(exempt_usd, "USD"), "reviewed_usd": format_minor(reviewed_usd, "USD")}


def _posted_event(conversion_id: UUID, c: ConversionIn, cny_minor: int) -> dict[str, Any]:
    """The ``conversion.posted`` payload: the foreign amount in ``currency``, the CNY side as Money."""
    return {
        "conversion_id": str(conversion_id), "direction": c.direction, "currency": c.currency, "amount": format_minor(c.amount_minor, c.currency),
        "cny": {"amount": format_minor(cny_minor, "CNY"), "currency": "CNY"},
    }

async def _split_check(conn: AsyncConnection, person: str, direction: str, excess: int, cfg: SettlementConfig, year: int, at: datetime, alerts: list[tuple[str, dict[str, Any]]]) -> None:
    """S9 over ordinary conversions: the person's ordinary conversions within
    the split window either side of ``at``; crossing the split limit with
    this one puts the person on the watch list."""
    window = timedelta(hours=cfg.split_window_hours)
    count, total = await R.recent_conversions(conn, person, direction, at - window, at + window)
    await R.log_conversion(conn, person, direction, excess, at)
    limit = cfg.split_limit
    if count >= 1 and excess > 0 and total + excess > limit and total < limit:
        until = year + cfg.watch_list_extra_years
        await R.put_on_watch_list(conn, person, until, "split_conversions", at)
        alerts.append(("split_conversions", {
            "count": count + 1, "currency": "USD", "total_usd": format_minor(total + excess, "USD"), "limit_usd": format_minor(limit, "USD"), "watch_list_until": until,
        }))


def _legs(c: ConversionIn, cny: int, fx_acct: UUID, cny_acct: UUID, pos_fx: UUID, pos_cny: UUID) -> list[Posting]:
    """Settle: FX from the customer to the position, CNY back; purchase: the reverse."""
    if c.direction == "settle":
        return [Posting(fx_acct, c.amount_minor, "debit", c.currency), Posting(pos_fx, c.amount_minor, "credit", c.currency),
                Posting(pos_cny, cny, "debit", "CNY"), Posting(cny_acct, cny, "credit", "CNY")]
    return [Posting(cny_acct, cny, "debit", "CNY"), Posting(pos_cny, cny, "credit", "CNY"),
            Posting(pos_fx, c.amount_minor, "debit", c.currency), Posting(fx_acct, c.amount_minor, "credit", c.currency)]


def _replay(existing: dict[str, Any]) -> dict[str, Any]:
    """An earlier conversion under the same reference, answered again (the
    HTTP layer then says ``Idempotent-Replayed: true``)."""
    mark_replayed()
    return {**existing, "replayed": True}
