"""Financing tables: importing this module registers all of them on the
shared metadata (each part keeps its tables in its own module)."""

from __future__ import annotations

from . import tables_collateral, tables_loans, tables_underwriting

__all__ = ["tables_collateral", "tables_loans", "tables_underwriting"]
