"""Tables of financing products and loans (F6)."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, Date, ForeignKey, ForeignKeyConstraint, Index, Integer, String, Table, UniqueConstraint, Uuid

from ledger.schema import metadata
from ledger.types import TS

financing_products = Table(
    "financing_products",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("code", String(64), nullable=False),
    # order | warehouse_receipt | credit_insurance
    Column("kind", String(32), nullable=False),
    Column("currency", String(3), nullable=False),
    # every other setting (rates as decimal strings, limits, waterfall, buckets)
    Column("config", JSON, nullable=False),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("institution_id", "code", name="uq_financing_products_institution_code"),
)

# loan prime rates (LPR) per institution, tenor ("1y" / "5y") and publication date
financing_lpr_rates = Table(
    "financing_lpr_rates",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("tenor", String(4), nullable=False),
    Column("effective_date", Date, nullable=False),
    Column("rate", String(32), nullable=False),  # Decimal as text, e.g. "0.0345"
    Column("created_at", TS, nullable=False),
    UniqueConstraint("institution_id", "tenor", "effective_date", name="uq_financing_lpr_rates_institution_tenor_date"),
)

financing_loans = Table(
    "financing_loans",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("product_id", Uuid, nullable=False),
    Column("customer_id", Uuid, nullable=False),
    Column("currency", String(3), nullable=False),
    # applied | approved | declined | offered | offer_declined | accepted | active | repaid | written_off
    Column("status", String(16), nullable=False),
    Column("requested_minor", BigInteger, nullable=False),
    Column("limit_minor", BigInteger, nullable=True),
    Column("approved_minor", BigInteger, nullable=True),
    Column("tenor_days", Integer, nullable=False),
    Column("asset_refs", JSON, nullable=False),
    Column("decision", JSON, nullable=True),  # reasons, inputs, decided_by
    Column("offer", JSON, nullable=True),  # schedule and total cost
    Column("disbursed_on", Date, nullable=True),
    Column("due_date", Date, nullable=True),
    Column("accrued_through", Date, nullable=True),  # last day whose interest is posted
    Column("interest_carry", String(200), nullable=False),  # Fraction of a minor unit "n/d"
    Column("penalty_carry", String(200), nullable=False),
    Column("dpd", Integer, nullable=False),
    Column("bucket", String(16), nullable=True),
    Column("accounts", JSON, nullable=True),  # ledger account ids by component
    Column("disbursement_transaction_id", Uuid, nullable=True),
    Column("written_off_minor", BigInteger, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    ForeignKeyConstraint(["product_id", "institution_id"], ["financing_products.id", "financing_products.institution_id"]),
    ForeignKeyConstraint(["customer_id", "institution_id"], ["customers.id", "customers.institution_id"]),
    # the repayment schedule from disbursement and what was paid of it (financing.loan_schedule)
    Column("schedule", JSON, nullable=True),
)
Index("ix_financing_loans_institution_customer", financing_loans.c.institution_id, financing_loans.c.customer_id)
Index("ix_financing_loans_institution_status", financing_loans.c.institution_id, financing_loans.c.status)

# days-past-due bucket changes (one row each time a loan changes bucket)
financing_loan_dpd_history = Table(
    "financing_loan_dpd_history",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("loan_id", Uuid, nullable=False),
    Column("as_of", Date, nullable=False),
    Column("dpd", Integer, nullable=False),
    Column("bucket", String(16), nullable=True),
    Column("created_at", TS, nullable=False),
    ForeignKeyConstraint(["loan_id", "institution_id"], ["financing_loans.id", "financing_loans.institution_id"]),
)
Index("ix_financing_loan_dpd_history_loan", financing_loan_dpd_history.c.loan_id, financing_loan_dpd_history.c.as_of)

# repayments with their allocation by component
financing_loan_repayments = Table(
    "financing_loan_repayments",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("loan_id", Uuid, nullable=False),
    Column("source", String(16), nullable=False),  # manual | sweep
    Column("amount_minor", BigInteger, nullable=False),
    Column("effective_date", Date, nullable=False),
    Column("allocation", JSON, nullable=False),  # component -> minor units
    Column("transaction_id", Uuid, nullable=True),
    Column("reference", String(128), nullable=True),
    Column("created_at", TS, nullable=False),
    ForeignKeyConstraint(["loan_id", "institution_id"], ["financing_loans.id", "financing_loans.institution_id"]),
)
Index("ix_financing_loan_repayments_loan", financing_loan_repayments.c.loan_id)

# notices of the loan lifecycle (#17): once-only facts an SME user or the
# institution is told about (financing.notices), each also a webhook event
financing_notices = Table(
    "financing_notices",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, nullable=False, primary_key=True),
    # the merchant told (SME notifications list its own); null: the institution only
    Column("customer_id", Uuid, nullable=True),
    # sme.offer_ready | sme.payment_due | sme.overdue | sme.margin_call | policy.expired_advance
    Column("kind", String(40), nullable=False),
    # what makes the notice once-only, e.g. "sme.payment_due:<loan>:<instalment>"
    Column("dedupe_key", String(200), nullable=False),
    Column("loan_id", Uuid, nullable=True),
    Column("data", JSON, nullable=False),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("institution_id", "dedupe_key", name="uq_financing_notices_institution_dedupe_key"),
)
Index("ix_financing_notices_customer", financing_notices.c.institution_id, financing_notices.c.customer_id, financing_notices.c.id)
