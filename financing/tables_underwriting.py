"""Tables of underwriting (F1): every decision with the inputs it was made
from, the model (version and parameters), the score, the reasons and the
limit, so that it can be replayed to the same answer."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, Date, ForeignKey, ForeignKeyConstraint, Index, Integer, String, Table, Uuid

from ledger.schema import metadata
from ledger.types import TS

financing_underwriting_decisions = Table(
    "financing_underwriting_decisions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False, primary_key=True),
    Column("customer_id", Uuid, nullable=False),
    Column("as_of", Date, nullable=False),
    # the order currency the features and the limit are in (None: no trade data)
    Column("currency", String(3), nullable=True),
    Column("model_version", String(64), nullable=False),
    # the model's parameters (ScoringModel.to_dict): replay does not depend on code defaults
    Column("model", JSON, nullable=False),
    # {"features": Features.to_dict(), "existing_exposure_minor": int}
    Column("inputs", JSON, nullable=False),
    Column("score", Integer, nullable=False),
    # points per scorecard characteristic
    Column("points", JSON, nullable=False),
    # approve | refer | decline
    Column("decision", String(8), nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("gross_limit_minor", BigInteger, nullable=False),
    Column("existing_exposure_minor", BigInteger, nullable=False),
    Column("limit_minor", BigInteger, nullable=False),
    Column("decided_by", String(128), nullable=False),
    Column("created_at", TS, nullable=False),
    ForeignKeyConstraint(["customer_id", "institution_id"], ["customers.id", "customers.institution_id"]),
)
Index(
    "ix_financing_underwriting_decisions_institution_customer",
    financing_underwriting_decisions.c.institution_id,
    financing_underwriting_decisions.c.customer_id,
    financing_underwriting_decisions.c.created_at,
)
