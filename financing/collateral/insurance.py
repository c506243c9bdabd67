"""Credit insurance (F4): export credit insurance policies with coverage
and buyer limits, insured receivables, their financing (encumbered in the
one-asset-one-financing registry, F5) with assignment of the indemnity to
the lender, claims and their payment (which the loans module posts as a
repayment).

Every function works inside the caller's transaction (``conn``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Row, and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger.clock import business_today, utc_now
from ledger.errors import Conflict, InvalidInput
from ledger.events import emit_event
from ledger.ids import uuid7
from ledger.money import currency as check_currency
from ledger.money import format_minor

from ..tables_collateral import financing_buyer_limits, financing_insurance_claims, financing_insurance_policies, financing_insured_receivables
from .common import INSURED_RECEIVABLE, CollateralConfig, audit, check_minor, check_ref, check_text, floor_int, for_update, parse_ratio
from .errors import AssetAlreadyFinanced, CollateralNotFound, CollateralStateConflict, PolicyExpired
from .registry import encumber, insured_receivable_key, policy_key, release


async def create_policy(
    conn: AsyncConnection,
    institution_id: UUID,
    customer_id: UUID,
    *,
    policy_number: str,
    insurer: str,
    insurer_code: str,
    coverage_ratio: Decimal | str,
    currency: str,
    buyer_limits: Mapping[str, int] | None = None,
    valid_until: date | None = None,
) -> UUID:
    """Record an export credit insurance policy of the customer (the
    insured exporter) with its buyer credit limits.  The policy is
    identified by ``insurer_code`` and the normalized policy number (a
    second record of it at the institution is a ``Conflict``); ``insurer``
    (the name) is display data."""
    check_currency(currency)
    cov = parse_ratio(coverage_ratio, "coverage_ratio")
    insurer_code = check_text(insurer_code, "insurer_code", 64)
    policy_number = check_text(policy_number, "policy_number", 64)
    key = policy_key(insurer_code, policy_number)
    pid = uuid7()
    dup = (
        await conn.execute(
            select(financing_insurance_policies.c.id).where(
                financing_insurance_policies.c.institution_id == institution_id, financing_insurance_policies.c.policy_key == key
            )
        )
    ).scalar()
    if dup is not None:
        raise Conflict(f"policy {policy_number} of insurer {insurer_code} is already recorded", policy=str(dup))
    await conn.execute(
        financing_insurance_policies.insert().values(
            id=pid, institution_id=institution_id, customer_id=customer_id, insurer_code=insurer_code, insurer=check_text(insurer, "insurer", 128),
            policy_number=policy_number, policy_key=key, coverage_ratio=str(cov), currency=currency, valid_until=valid_until, created_at=utc_now(),
        )
    )
    await audit(conn, institution_id, "policy.created", "policy", pid, None, {"coverage_ratio": str(cov), "currency": currency})
    for buyer, limit in (buyer_limits or {}).items():
        await set_buyer_limit(conn, institution_id, pid, buyer, limit)
    return pid


def check_policy_in_force(policy: Any, on: date) -> None:
    """Refuse a new advance on ``on`` under a policy whose cover ended
    before it (:class:`PolicyExpired`); a policy without ``valid_until``
    does not expire."""
    if policy.valid_until is not None and policy.valid_until < on:
        raise PolicyExpired(policy.id, policy.policy_number, policy.valid_until, on)


async def _policy(conn: AsyncConnection, institution_id: UUID, policy_id: UUID) -> Row[Any]:
    p = (
        await conn.execute(
            select(financing_insurance_policies).where(financing_insurance_policies.c.id == policy_id, financing_insurance_policies.c.institution_id == institution_id)
        )
    ).first()
    if p is None:
        raise CollateralNotFound("policy", policy_id)
    return p


async def set_buyer_limit(conn: AsyncConnection, institution_id: UUID, policy_id: UUID, buyer_ref: str, limit_minor: int) -> None:
    p = await _policy(conn, institution_id, policy_id)
    buyer_ref = check_text(buyer_ref, "buyer_ref", 128)
    check_minor(limit_minor, "limit_minor", positive=False)
    where = and_(financing_buyer_limits.c.policy_id == policy_id, financing_buyer_limits.c.buyer_ref == buyer_ref)
    old = (await conn.execute(select(financing_buyer_limits.c.limit_minor).where(where))).scalar()
    if old is None:
        await conn.execute(
            financing_buyer_limits.insert().values(id=uuid7(), institution_id=institution_id, policy_id=policy_id, buyer_ref=buyer_ref, limit_minor=limit_minor, updated_at=utc_now())
        )
    else:
        await conn.execute(update(financing_buyer_limits).where(where).values(limit_minor=limit_minor, updated_at=utc_now()))
    await audit(conn, institution_id, "policy.buyer_limit_set", "policy", policy_id, {"buyer_ref": buyer_ref, "limit_minor": old}, {"buyer_ref": buyer_ref, "limit_minor": limit_minor}, currency=p.currency)


async def declare_receivable(
    conn: AsyncConnection, institution_id: UUID, policy_id: UUID, *, buyer_ref: str, invoice_number: str, amount_minor: int, due_date: date
) -> UUID:
    """Declare a receivable on a buyer as insured under the policy.  Its
    identity is the buyer's registry code (``buyer_ref``) and the invoice
    number, both normalized: the same invoice declared under another policy,
    here or at another institution, is the same asset."""
    p = await _policy(conn, institution_id, policy_id)
    buyer_ref = check_text(buyer_ref, "buyer_ref", 128)
    invoice_number = check_text(invoice_number, "invoice_number", 64)
    check_minor(amount_minor, "amount_minor")
    rid = uuid7()
    await conn.execute(
        financing_insured_receivables.insert().values(
            id=rid, institution_id=institution_id, policy_id=policy_id, buyer_ref=buyer_ref, invoice_number=invoice_number, currency=p.currency,
            amount_minor=amount_minor, due_date=due_date, asset_key=insured_receivable_key(buyer_ref, invoice_number),
            status="declared", financing_ref=None, covered_minor=None, assigned_to=None, assigned_at=None, created_at=utc_now(),
        )
    )
    await audit(conn, institution_id, "receivable.declared", "insured_receivable", rid, None, {"amount_minor": amount_minor, "status": "declared"}, currency=p.currency)
    return rid


async def _receivable(conn: AsyncConnection, institution_id: UUID, receivable_id: UUID, *, lock: bool = False) -> Row[Any]:
    q = select(financing_insured_receivables).where(
        financing_insured_receivables.c.id == receivable_id, financing_insured_receivables.c.institution_id == institution_id
    )
    r = (await conn.execute(for_update(conn, q, lock))).first()
    if r is None:
        raise CollateralNotFound("insured receivable", receivable_id)
    return r


@dataclass(frozen=True, slots=True)
class InsuredAdvance:
    currency: str
    declared_minor: int
    buyer_limit_minor: int
    #: the buyer's limit not already used by the policy's other financed receivables
    buyer_limit_available_minor: int
    covered_minor: int
    coverage_ratio: Decimal
    advance_rate: Decimal
    max_advance_minor: int


async def insured_advance(conn: AsyncConnection, institution_id: UUID, receivable_id: UUID, *, config: CollateralConfig | None = None) -> InsuredAdvance:
    """At most advance rate × coverage × min(declared receivable, buyer's
    available limit), rounded down."""
    cfg = config or CollateralConfig()
    r = await _receivable(conn, institution_id, receivable_id)
    p = await _policy(conn, institution_id, r.policy_id)
    limit = (
        await conn.execute(
            select(financing_buyer_limits.c.limit_minor).where(financing_buyer_limits.c.policy_id == r.policy_id, financing_buyer_limits.c.buyer_ref == r.buyer_ref)
        )
    ).scalar()
    limit = int(limit or 0)
    used = (
        await conn.execute(
            select(func.coalesce(func.sum(financing_insured_receivables.c.covered_minor), 0)).where(
                financing_insured_receivables.c.policy_id == r.policy_id,
                financing_insured_receivables.c.buyer_ref == r.buyer_ref,
                financing_insured_receivables.c.status == "financed",
                financing_insured_receivables.c.id != r.id,
            )
        )
    ).scalar()
    available = max(0, limit - int(used or 0))
    covered = min(int(r.amount_minor), available)
    cov = Decimal(p.coverage_ratio)
    return InsuredAdvance(p.currency, int(r.amount_minor), limit, available, covered, cov, cfg.insurance_advance_rate, floor_int(cfg.insurance_advance_rate * cov * covered))


async def finance_receivable(
    conn: AsyncConnection, institution_id: UUID, receivable_id: UUID, financing_ref: str, *, assignee: str, config: CollateralConfig | None = None,
    on: date | None = None,
) -> InsuredAdvance:
    """Encumber the insured receivable for ``financing_ref`` and record the
    assignment of the indemnity rights to the lender (``assignee``); the
    lender keeps recourse to the exporter.  Returns the advance cap.
    Refused under a policy expired before ``on`` (default today, China
    time): :class:`PolicyExpired`."""
    check_ref(financing_ref)
    r = await _receivable(conn, institution_id, receivable_id, lock=True)
    check_policy_in_force(await _policy(conn, institution_id, r.policy_id), on or business_today())
    if r.status == "financed":
        raise AssetAlreadyFinanced(INSURED_RECEIVABLE, str(receivable_id))
    if r.status not in ("declared", "released"):
        raise CollateralStateConflict("insured receivable", receivable_id, r.status, ["declared", "released"])
    adv = await insured_advance(conn, institution_id, receivable_id, config=config)
    await encumber(conn, institution_id, r.asset_key, financing_ref, asset_kind=INSURED_RECEIVABLE)
    now = utc_now()
    await conn.execute(
        update(financing_insured_receivables)
        .where(financing_insured_receivables.c.id == receivable_id)
        .values(status="financed", financing_ref=financing_ref, covered_minor=adv.covered_minor, assigned_to=check_text(assignee, "assignee", 128), assigned_at=now)
    )
    await audit(
        conn, institution_id, "receivable.indemnity_assigned", "insured_receivable", receivable_id, {"status": r.status},
        {"status": "financed", "financing_ref": financing_ref, "assigned_to": assignee, "max_advance_minor": adv.max_advance_minor}, currency=r.currency,
    )
    return adv


async def release_receivable(conn: AsyncConnection, institution_id: UUID, receivable_id: UUID) -> None:
    """The loan is repaid: the receivable and its registry entry are freed."""
    r = await _receivable(conn, institution_id, receivable_id, lock=True)
    if r.status != "financed":
        raise CollateralStateConflict("insured receivable", receivable_id, r.status, ["financed"])
    await release(conn, institution_id, r.asset_key, r.financing_ref)
    await conn.execute(update(financing_insured_receivables).where(financing_insured_receivables.c.id == receivable_id).values(status="released"))
    await audit(conn, institution_id, "receivable.released", "insured_receivable", receivable_id, {"status": r.status}, {"status": "released"})


async def file_claim(conn: AsyncConnection, institution_id: UUID, receivable_id: UUID, claimed_minor: int, filed_on: date) -> UUID:
    """File a claim with the insurer on an unpaid insured receivable."""
    check_minor(claimed_minor, "claimed_minor")
    r = await _receivable(conn, institution_id, receivable_id, lock=True)
    if r.status not in ("declared", "financed"):
        raise CollateralStateConflict("insured receivable", receivable_id, r.status, ["declared", "financed"])
    if claimed_minor > int(r.amount_minor):
        cur = r.currency
        raise InvalidInput("a claim cannot exceed the receivable", field="amount", currency=cur, claimed=format_minor(claimed_minor, cur), receivable=format_minor(int(r.amount_minor), cur))
    cid = uuid7()
    await conn.execute(
        financing_insurance_claims.insert().values(
            id=cid, institution_id=institution_id, receivable_id=receivable_id, filed_on=filed_on, claimed_minor=claimed_minor,
            paid_minor=None, paid_on=None, status="filed", created_at=utc_now(),
        )
    )
    await audit(conn, institution_id, "claim.filed", "insurance_claim", cid, None, {"claimed_minor": claimed_minor, "receivable_id": str(receivable_id)}, currency=r.currency)
    return cid


@dataclass(frozen=True, slots=True)
class ClaimPayment:
    claim_id: UUID
    receivable_id: UUID
    currency: str
    paid_minor: int
    #: the financing the indemnity is assigned to (None: paid to the exporter)
    financing_ref: str | None
    assigned_to: str | None


async def record_claim_payment(conn: AsyncConnection, institution_id: UUID, claim_id: UUID, paid_minor: int, paid_on: date) -> ClaimPayment:
    """The insurer paid the claim.  Returns the amount and the financing it
    repays (the indemnity is assigned to the lender): the loans module
    posts it as a repayment."""
    check_minor(paid_minor, "paid_minor", positive=False)
    c = (
        await conn.execute(
            select(financing_insurance_claims).where(financing_insurance_claims.c.id == claim_id, financing_insurance_claims.c.institution_id == institution_id)
        )
    ).first()
    if c is None:
        raise CollateralNotFound("insurance claim", claim_id)
    if c.status != "filed":
        raise CollateralStateConflict("insurance claim", claim_id, c.status, ["filed"])
    r = await _receivable(conn, institution_id, c.receivable_id, lock=True)
    if paid_minor > int(c.claimed_minor):
        cur = r.currency
        raise InvalidInput("the payment exceeds the claim", field="amount", currency=cur, paid=format_minor(paid_minor, cur), claimed=format_minor(int(c.claimed_minor), cur))
    await conn.execute(update(financing_insurance_claims).where(financing_insurance_claims.c.id == claim_id).values(paid_minor=paid_minor, paid_on=paid_on, status="paid"))
    await audit(conn, institution_id, "claim.paid", "insurance_claim", claim_id, {"status": "filed"}, {"status": "paid", "paid_minor": paid_minor}, currency=r.currency)
    await emit_event(
        conn, institution_id, "collateral.claim_paid",
        {"claim_id": str(claim_id), "receivable_id": str(r.id), "paid": format_minor(paid_minor, r.currency), "currency": r.currency, "financing_ref": r.financing_ref},
    )
    financed = r.status == "financed"
    return ClaimPayment(claim_id, r.id, r.currency, paid_minor, r.financing_ref if financed else None, r.assigned_to if financed else None)

