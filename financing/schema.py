"""Financing tables: importing this module registers all of them on the
shared metadata (each part keeps its tables in its own module)."""

from __future__ import annotations

import importlib

for _part in ("loans", "underwriting", "collateral"):
    try:
        importlib.import_module(f"financing.tables_{_part}")
    except ModuleNotFoundError as exc:  # a part not written yet
        if exc.name != f"financing.tables_{_part}":
            raise
