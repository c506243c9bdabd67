"""Tables of operations: job leadership leases (SQLite, or wherever
advisory locks are not used), the record of scheduled daily runs, and the
status of institutions (disabled or not)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, ForeignKey, Integer, PrimaryKeyConstraint, String, Table, Text, Uuid

from ledger.schema import metadata
from ledger.types import TS  # aware UTC timestamps on every database

#: one row per background job: who leads it and until when (a lease; taken
#: over by another process once ``expires_at`` has passed)
job_leases = Table(
    "job_leases",
    metadata,
    Column("job", String(64), primary_key=True),
    Column("holder", String(200), nullable=False),
    Column("acquired_at", TS, nullable=False),
    Column("renewed_at", TS, nullable=False),
    Column("expires_at", TS, nullable=False),
)

#: one row per scheduled daily job and business day: started, finished (or
#: not yet: a run cut off by a crash is run again by the next leader)
job_runs = Table(
    "job_runs",
    metadata,
    Column("job", String(64), nullable=False),
    Column("business_day", Date, nullable=False),
    Column("holder", String(200), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("started_at", TS, nullable=False),
    Column("finished_at", TS, nullable=True),
    Column("result", JSON, nullable=True),
    PrimaryKeyConstraint("job", "business_day", name="pk_job_runs"),
)

#: an institution with a row here whose ``disabled_at`` is set is disabled:
#: every credential of it is refused; its data is kept
institution_status = Table(
    "institution_status",
    metadata,
    Column("institution_id", Uuid, ForeignKey("institutions.id"), primary_key=True),
    Column("disabled_at", TS, nullable=True),
    Column("reason", Text, nullable=True),
    Column("changed_by", String(200), nullable=False),
    Column("changed_at", TS, nullable=False),
)
