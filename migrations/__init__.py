"""Alembic migrations of xborder (one history for SQLite and PostgreSQL).

Importing a table-definition module registers its tables on the shared
``MetaData``; this package imports every one of them (and nothing else), so
that the migrations can be checked against the tables the code uses."""

from __future__ import annotations

from sqlalchemy import MetaData

import api.schema
import api.tables_ops
import financing.tables_collateral
import financing.tables_loans
import financing.tables_underwriting
import recon.tables
import settlement.tables_customers
import settlement.tables_netting
import settlement.tables_payments
import settlement.tables_rates
import settlement.tables_receipts
import settlement.tables_tradedata
from ledger.schema import STATEMENT_CHECKED_FKS, metadata

#: the modules whose tables the migrations create (besides ``ledger.schema``)
TABLE_MODULES = (
    api.schema,
    api.tables_ops,
    settlement.tables_customers,
    settlement.tables_tradedata,
    settlement.tables_rates,
    settlement.tables_receipts,
    settlement.tables_netting,
    settlement.tables_payments,
    financing.tables_loans,
    financing.tables_underwriting,
    financing.tables_collateral,
    recon.tables,
)


def target_metadata() -> MetaData:
    """The metadata of every table the migrations create."""
    return metadata


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Alembic's comparison filter: the foreign keys PostgreSQL checks in the
    journal's statement-level triggers (``STATEMENT_CHECKED_FKS``, migration
    0031) are declared on the tables but not in PostgreSQL's catalog; they
    are not a difference to migrate."""
    return not (type_ == "foreign_key_constraint" and name in STATEMENT_CHECKED_FKS)
