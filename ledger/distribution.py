"""How the schema is laid out on a distributed PostgreSQL (Citus), in one place.

Every table is *distributed by institution* (the tenant): it carries
``institution_id``, which is part of its primary key, of every unique
constraint and of every foreign key (``(x_id, institution_id) ->
(id, institution_id)``), so each institution's rows, and every constraint
check between them, live on one shard group.  The exceptions are named here,
each with its reason; ``tests/ledger/test_distribution.py`` checks the rule
over the metadata and that these lists name exactly the tables that exist.
``docs/SCALING.md`` explains the layout.

The key columns keep their old order and ``institution_id`` comes last, so a
lookup by ``id`` alone (or by ``(transaction_id, line_no)``, ...) still uses
the primary-key index on one node; ids are UUIDv7 and unique in practice.

Only names live here (no imports of the packages above the ledger).
"""

from __future__ import annotations

#: the distribution column of every distributed table
DISTRIBUTION_COLUMN = "institution_id"

#: the distributed table every other one is co-located with (same shard
#: count, same hash ranges: one institution's rows of all tables on one node)
COLOCATION_ANCHOR = "ledgers"

#: small, read-mostly tables copied to every node (Citus
#: ``create_reference_table``); distributed tables may hold foreign keys to them
REFERENCE_TABLES: dict[str, str] = {
    "institutions": "the tenant catalogue itself; every distributed table's institution_id refers to it",
    "fx_rates": "market rates, rows without an institution are shared by all; read by every conversion, written a few times a day",
}

#: tables that stay on one node (the coordinator), with no foreign keys to or
#: from distributed tables: registries that must see every institution at
#: once, and plumbing that has no tenant
SINGLE_NODE_TABLES: dict[str, str] = {
    "quota_registry": "national per-person FX quota across all institutions: a person's quota is one row whoever books it",
    "conversion_log": "national conversion history per person (quota and structuring checks across institutions)",
    "watch_list": "national watch list by person index, shared by all institutions",
    "s6_registry": "national per-subject S6 reporting totals across institutions",
    "evidence_registry": "trade evidence claimed anywhere: the same waybill or order must not be used twice across institutions",
    "financing_asset_registry": "double-financing guard: one encumbrance per asset across all institutions",
    "job_leases": "scheduler leases of the worker processes, not tenant data",
    "job_runs": "once-per-business-day job records of the scheduler, not tenant data",
    "login_throttle": "failed-login counters by source address and by name, kept before any institution is known",
    "request_signatures": "replay guard of signed requests, checked before the caller's institution is known",
    "audit_log": "the audit trail holds rows without an institution (operator actions, failed logins to unknown institutions)",
}


def excluded_tables() -> dict[str, str]:
    """Every table that is not distributed by institution, with its reason."""
    return {**REFERENCE_TABLES, **SINGLE_NODE_TABLES}


def citus_statements(tables: list[str], parents: dict[str, set[str]]) -> list[str]:
    """The statements that lay the schema out on Citus, in an order Citus
    accepts (a table after the tables its foreign keys point at): reference
    tables, then every distributed table co-located with ``institutions``'
    first tenant table, then the single-node tables added to the metadata.

    ``tables`` in dependency order (``MetaData.sorted_tables``), ``parents``
    the tables each one's foreign keys name."""
    excluded = excluded_tables()
    distributed = [t for t in tables if t not in excluded]
    anchor = COLOCATION_ANCHOR if COLOCATION_ANCHOR in distributed else (distributed[0] if distributed else None)
    distributed.sort(key=lambda t: t != anchor)  # the anchor first (stable: the rest keep their order)
    out = [f"SELECT create_reference_table('{t}');" for t in tables if t in REFERENCE_TABLES]
    for t in distributed:
        colocate = "" if t == anchor else f", colocate_with => '{anchor}'"
        out.append(f"SELECT create_distributed_table('{t}', '{DISTRIBUTION_COLUMN}'{colocate});")
    out += [f"SELECT citus_add_local_table_to_metadata('{t}');" for t in tables if t in SINGLE_NODE_TABLES]
    placed: set[str] = set()
    for stmt in out:  # every table comes after the tables it refers to
        name = stmt.split("'")[1]
        missing = parents.get(name, set()) - placed - {name}
        if missing:
            raise ValueError(f"{name} would be placed before {sorted(missing)}")
        placed.add(name)
    return out
