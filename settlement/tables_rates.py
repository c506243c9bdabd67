"""Tables of the FX rates part (settlement/rates.py).

* ``fx_rates``: mid rates, append-only.  ``kind`` is ``published`` (read from
  a reference-rate file; ``institution_id`` NULL when the source is shared by
  every institution, set when an institution runs its own feed) or ``manual``
  (entered by an institution; ``institution_id`` required).  The rate is
  kept as the exact decimal text (``"7.8264"``), so it is the same on SQLite
  and PostgreSQL, never a float.  A correction is a new row with a later
  ``fetched_at``; old rows are never changed, so every rate ever used can be
  found again.
* ``fx_spreads``: an institution's spread around the mid rate per currency
  pair, in basis points (bank buy = mid x (1 - bp/10000), sell = mid x
  (1 + bp/10000)).
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Index, Integer, PrimaryKeyConstraint, String, Table, Uuid

from ledger.schema import metadata
from ledger.types import TS  # aware UTC timestamps on every database

fx_rates = Table(
    "fx_rates",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=True),
    Column("kind", String(16), nullable=False),
    # the source's name ("ecb", "manual", ...)
    Column("source", String(64), nullable=False),
    # quote units per one unit of base, e.g. EUR/USD 1.0921
    Column("base", String(3), nullable=False),
    Column("quote", String(3), nullable=False),
    Column("rate", String(40), nullable=False),
    Column("rate_date", Date, nullable=False),
    Column("fetched_at", TS, nullable=False),
    # who entered a manual rate ("api_key:<id>", "user:<id>", ...)
    Column("entered_by", String(100), nullable=True),
    CheckConstraint("kind IN ('published', 'manual')", name="kind"),
    CheckConstraint("kind = 'published' OR institution_id IS NOT NULL", name="manual_has_institution"),
    CheckConstraint("base <> quote", name="distinct_currencies"),
)
Index("ix_fx_rates_pair_date", fx_rates.c.base, fx_rates.c.quote, fx_rates.c.rate_date)
Index("ix_fx_rates_institution_date", fx_rates.c.institution_id, fx_rates.c.rate_date)

fx_spreads = Table(
    "fx_spreads",
    metadata,
    Column("institution_id", Uuid, ForeignKey("institutions.id"), nullable=False),
    Column("base", String(3), nullable=False),
    Column("quote", String(3), nullable=False),
    Column("spread_bp", Integer, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("updated_by", String(100), nullable=True),
    PrimaryKeyConstraint("institution_id", "base", "quote", name="pk_fx_spreads"),
    CheckConstraint("spread_bp >= 0 AND spread_bp < 10000", name="spread_range"),
)
