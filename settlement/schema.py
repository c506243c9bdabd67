"""Settlement tables: importing this module registers all of them on the
shared metadata (each part keeps its tables in its own module)."""

from __future__ import annotations

from . import tables_customers, tables_netting, tables_rates, tables_receipts, tables_tradedata

__all__ = ["tables_customers", "tables_netting", "tables_rates", "tables_receipts", "tables_tradedata"]
