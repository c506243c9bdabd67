"""Tables of collateral (F2–F5): the national one-asset-one-financing
registry, an institution's own encumbrances, warehouse receipts with their
prices, haircuts, pledges and margin calls, and credit-insurance policies
with buyer limits, insured receivables and claims.

The registry (``financing_asset_registry``) is shared by every institution:
one row per asset, keyed by a SHA-256 of the asset's identity, holding only
its state and a hash of (holder, financing reference), so it reveals nothing
of one institution to another.  Its primary key is the uniqueness guarantee:
an asset is encumbered by a conditional insert/update on that row.
Decimals (quantities, ratios) are stored as text.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, Index, PrimaryKeyConstraint, String, Table, UniqueConstraint, Uuid

from ledger.schema import metadata
from ledger.types import TS

# national registry: one row per asset key; state encumbered | released | retired
financing_asset_registry = Table(
    "financing_asset_registry",
    metadata,
    Column("asset_key", String(64), nullable=False),
    # order | warehouse_receipt | insured_receivable
    Column("asset_kind", String(24), nullable=False),
    Column("state", String(12), nullable=False),
    # SHA-256 of "institution|financing ref": who may release, revealing nobody
    Column("holder", String(64), nullable=True),
    Column("encumbered_at", TS, nullable=True),
    Column("released_at", TS, nullable=True),
    PrimaryKeyConstraint("asset_key", name="pk_financing_asset_registry"),
)

# an institution's own encumbrances (to list and release them by financing)
financing_encumbrances = Table(
    "financing_encumbrances",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("asset_key", String(64), nullable=False),
    Column("asset_kind", String(24), nullable=False),
    Column("financing_ref", String(128), nullable=False),
    Column("encumbered_at", TS, nullable=False),
    Column("released_at", TS, nullable=True),
)
Index("ix_financing_encumbrances_institution_ref", financing_encumbrances.c.institution_id, financing_encumbrances.c.financing_ref)
Index("ix_financing_encumbrances_asset", financing_encumbrances.c.asset_key)

financing_warehouse_receipts = Table(
    "financing_warehouse_receipts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("customer_id", Uuid, nullable=False),
    # the warehouse's unified social credit code: with the normalized receipt
    # number, the receipt's identity (null: recorded before 0018 without one)
    Column("warehouse_code", String(18), nullable=True),
    # the warehouse's name: display data
    Column("issuer", String(128), nullable=False),
    Column("receipt_number", String(64), nullable=False),
    Column("goods_type", String(64), nullable=False),
    Column("quantity", String(40), nullable=False),  # Decimal as text
    Column("unit", String(16), nullable=False),
    Column("location", String(200), nullable=False),
    Column("asset_key", String(64), nullable=False),
    # issued | verified | pledged | released | liquidated
    Column("status", String(12), nullable=False),
    Column("verified_by", String(128), nullable=True),
    Column("verified_at", TS, nullable=True),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    UniqueConstraint("institution_id", "asset_key", name="uq_financing_warehouse_receipts_institution_asset_key"),
)

# dated prices per goods type: minor units of the currency per unit of goods
financing_goods_prices = Table(
    "financing_goods_prices",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("goods_type", String(64), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("unit", String(16), nullable=False),
    Column("price_date", Date, nullable=False),
    Column("price_minor", BigInteger, nullable=False),
    Column("source", String(64), nullable=True),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("institution_id", "goods_type", "currency", "price_date", name="uq_financing_goods_prices_institution_goods_currency_date"),
)

financing_goods_haircuts = Table(
    "financing_goods_haircuts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("goods_type", String(64), nullable=False),
    Column("haircut", String(16), nullable=False),  # Decimal as text, e.g. "0.10"
    Column("updated_at", TS, nullable=False),
    UniqueConstraint("institution_id", "goods_type", name="uq_financing_goods_haircuts_institution_goods"),
)

financing_wr_pledges = Table(
    "financing_wr_pledges",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("receipt_id", Uuid, nullable=False),
    Column("financing_ref", String(128), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("loan_minor", BigInteger, nullable=False),
    Column("outstanding_minor", BigInteger, nullable=False),
    # goods still held under the pledge (Decimal as text)
    Column("quantity_pledged", String(40), nullable=False),
    Column("quantity_released", String(40), nullable=False),
    # active | released | liquidated
    Column("status", String(12), nullable=False),
    Column("valuation_minor", BigInteger, nullable=False),
    Column("valued_on", Date, nullable=False),
    Column("ltv", String(24), nullable=False),
    Column("pledged_at", TS, nullable=False),
    Column("closed_at", TS, nullable=True),
)
Index("ix_financing_wr_pledges_receipt", financing_wr_pledges.c.receipt_id)
Index("ix_financing_wr_pledges_institution_ref", financing_wr_pledges.c.institution_id, financing_wr_pledges.c.financing_ref)

financing_margin_calls = Table(
    "financing_margin_calls",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("pledge_id", Uuid, nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("cure_by", Date, nullable=False),
    Column("ltv", String(24), nullable=False),
    Column("valuation_minor", BigInteger, nullable=False),
    Column("outstanding_minor", BigInteger, nullable=False),
    # repay this much, or add collateral worth collateral_minor after haircut
    Column("shortfall_minor", BigInteger, nullable=False),
    Column("collateral_minor", BigInteger, nullable=False),
    # open | cured | liquidated | closed
    Column("status", String(12), nullable=False),
    Column("created_at", TS, nullable=False),
    Column("closed_at", TS, nullable=True),
    # who closed it: the user who cured it by pledging more receipts, else "collateral" (null: before 0028)
    Column("closed_by", String(128), nullable=True),
)
Index("ix_financing_margin_calls_pledge", financing_margin_calls.c.pledge_id)

financing_insurance_policies = Table(
    "financing_insurance_policies",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("customer_id", Uuid, nullable=False),
    # the insurer's code (null: recorded before 0018 without one) and name (display data)
    Column("insurer_code", String(64), nullable=True),
    Column("insurer", String(128), nullable=False),
    Column("policy_number", String(64), nullable=False),
    # the policy's identity: insurer code + normalized policy number (registry.policy_key)
    Column("policy_key", String(64), nullable=False),
    Column("coverage_ratio", String(16), nullable=False),  # Decimal as text
    Column("currency", String(3), nullable=False),
    Column("valid_until", Date, nullable=True),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("institution_id", "policy_key", name="uq_financing_insurance_policies_institution_policy_key"),
)

financing_buyer_limits = Table(
    "financing_buyer_limits",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("policy_id", Uuid, nullable=False),
    Column("buyer_ref", String(128), nullable=False),
    Column("limit_minor", BigInteger, nullable=False),
    Column("updated_at", TS, nullable=False),
    UniqueConstraint("policy_id", "buyer_ref", "institution_id", name="uq_financing_buyer_limits_policy_buyer"),
)

financing_insured_receivables = Table(
    "financing_insured_receivables",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("policy_id", Uuid, nullable=False),
    Column("buyer_ref", String(128), nullable=False),
    Column("invoice_number", String(64), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("asset_key", String(64), nullable=False),
    # declared | financed | released | claimed | indemnified
    Column("status", String(12), nullable=False),
    Column("financing_ref", String(128), nullable=True),
    # the base the advance was computed on (min of receivable and buyer limit)
    Column("covered_minor", BigInteger, nullable=True),
    # assignment of the indemnity rights to the lender
    Column("assigned_to", String(128), nullable=True),
    Column("assigned_at", TS, nullable=True),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("policy_id", "buyer_ref", "invoice_number", "institution_id", name="uq_financing_insured_receivables_policy_buyer_invoice"),
)
Index("ix_financing_insured_receivables_institution", financing_insured_receivables.c.institution_id, financing_insured_receivables.c.policy_id)

financing_insurance_claims = Table(
    "financing_insurance_claims",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    Column("receivable_id", Uuid, nullable=False),
    Column("filed_on", Date, nullable=False),
    Column("claimed_minor", BigInteger, nullable=False),
    Column("paid_minor", BigInteger, nullable=True),
    Column("paid_on", Date, nullable=True),
    # filed | paid | rejected
    Column("status", String(12), nullable=False),
    Column("created_at", TS, nullable=False),
)
Index("ix_financing_insurance_claims_receivable", financing_insurance_claims.c.receivable_id)
