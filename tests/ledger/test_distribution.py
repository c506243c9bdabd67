"""The schema is ready for a distributed PostgreSQL (Citus, multi-tenant):
every table except the declared reference and single-node tables carries
``institution_id`` (NOT NULL) and has it in its primary key, in every unique
constraint and unique index and in every foreign key, where the referenced
side pairs it with the parent's ``institution_id`` (or the foreign key points
at a reference table).  The exception lists in ``ledger.distribution`` name
exactly tables that exist, each with a reason.  No database needed: this is
the metadata the code uses, which ``test_migrations`` checks against the
migrated schema on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from sqlalchemy import ForeignKeyConstraint, Table, UniqueConstraint

from ledger import distribution as D
from migrations import target_metadata

COL = D.DISTRIBUTION_COLUMN
PACKAGES = ("ledger", "settlement", "financing", "recon", "api")


def _all_tables() -> dict[str, Table]:
    # import every module of every package, so a table defined anywhere is registered
    for name in PACKAGES:
        pkg = importlib.import_module(name)
        for mod in pkgutil.walk_packages(pkg.__path__, name + "."):
            importlib.import_module(mod.name)
    return dict(target_metadata().tables)


TABLES = _all_tables()


def _fk_problem(table: Table, fk: ForeignKeyConstraint) -> str | None:
    target = fk.referred_table.name
    if target in D.SINGLE_NODE_TABLES:
        return f"foreign key {fk.name} points at the single-node table {target}"
    if target in D.REFERENCE_TABLES:
        return None  # a distributed table may refer to a reference table
    pairs = {e.parent.name: e.column.name for e in fk.elements}
    if pairs.get(COL) != COL:
        return f"foreign key {fk.name} {sorted(pairs)} -> {target} does not pair {COL} with the parent's {COL}"
    return None


def violations(table: Table) -> list[str]:
    """What keeps ``table`` from being distributed by institution."""
    if COL not in table.c:
        return [f"no {COL} column"]
    out = []
    if table.c[COL].nullable:
        out.append(f"{COL} is nullable")
    if COL not in table.primary_key.columns:
        out.append(f"primary key {[c.name for c in table.primary_key.columns]} lacks {COL}")
    for uq in table.constraints:
        if isinstance(uq, UniqueConstraint) and COL not in uq.columns:
            out.append(f"unique constraint {uq.name} {[c.name for c in uq.columns]} lacks {COL}")
    for ix in table.indexes:
        if ix.unique and COL not in ix.columns:
            out.append(f"unique index {ix.name} lacks {COL}")
    out.extend(p for fk in table.foreign_key_constraints if (p := _fk_problem(table, fk)) is not None)
    return out


def test_the_exception_lists_name_existing_tables_each_with_a_reason():
    excluded = D.excluded_tables()
    assert not set(D.REFERENCE_TABLES) & set(D.SINGLE_NODE_TABLES)
    assert sorted(set(excluded) - set(TABLES)) == []  # no stale names
    assert all(reason.strip() for reason in excluded.values())


@pytest.mark.parametrize("name", sorted(set(TABLES) - set(D.excluded_tables())))
def test_every_other_table_is_distributed_by_institution(name):
    assert violations(TABLES[name]) == []


def test_the_exceptions_are_needed():
    # a table listed as an exception that already satisfies the rule would
    # better be distributed: the lists hold only tables that do not fit it
    # (or reference tables, which are copied whole to every node)
    fits = [n for n in D.SINGLE_NODE_TABLES if not violations(TABLES[n])]
    assert fits == []


def test_single_node_and_reference_tables_hold_no_key_to_a_distributed_table():
    distributed = set(TABLES) - set(D.excluded_tables())
    bad = [
        f"{name}.{fk.name} -> {fk.referred_table.name}"
        for name in D.excluded_tables()
        for fk in TABLES[name].foreign_key_constraints
        if fk.referred_table.name in distributed or (name in D.REFERENCE_TABLES and fk.referred_table.name in D.SINGLE_NODE_TABLES)
    ]
    assert bad == []


def test_the_rule_catches_what_it_should():
    from sqlalchemy import Column, ForeignKey, MetaData, Uuid

    md = MetaData()
    Table("parent", md, Column("id", Uuid, primary_key=True), Column(COL, Uuid, nullable=False, primary_key=True))
    bad = Table("child", md, Column("id", Uuid, primary_key=True), Column(COL, Uuid, nullable=True),
                Column("parent_id", Uuid, ForeignKey("parent.id")), Column("ref", Uuid, unique=True))
    found = violations(bad)
    assert any("nullable" in v for v in found)
    assert any("primary key" in v for v in found)
    assert any("unique constraint" in v for v in found)
    assert any("does not pair" in v for v in found)


def test_the_whole_schema_is_counted():
    # today: 78 tables, 13 of them kept out of the distribution
    assert len(TABLES) >= 78
    assert len(D.excluded_tables()) == 13


def _statements() -> list[str]:
    md = target_metadata()
    tables = [t.name for t in md.sorted_tables]
    parents = {t.name: {fk.referred_table.name for fk in t.foreign_key_constraints} for t in md.sorted_tables}
    return D.citus_statements(tables, parents)


def test_the_citus_layout_places_every_table_once_after_its_parents():
    stmts = _statements()  # raises if a table would come before a table it refers to
    names = [s.split("'")[1] for s in stmts]
    assert sorted(names) == sorted(TABLES)
    assert stmts[0] == "SELECT create_reference_table('institutions');"
    assert "SELECT create_distributed_table('ledgers', 'institution_id');" in stmts
    distributed = [s for s in stmts if "create_distributed_table" in s]
    assert len(distributed) == len(TABLES) - len(D.excluded_tables())
    anchor = distributed[0].split("'")[1]
    assert all(f"colocate_with => '{anchor}'" in s for s in distributed[1:])
    assert sum("citus_add_local_table_to_metadata" in s for s in stmts) == len(D.SINGLE_NODE_TABLES)


def test_no_table_draws_its_key_from_a_sequence():
    # no SERIAL / IDENTITY / Sequence: ids are client-made UUIDv7, counters live in rows (per ledger, per account)
    from sqlalchemy import Integer, Sequence

    for table in TABLES.values():
        for col in table.columns:
            assert not isinstance(col.default, Sequence), f"{table.name}.{col.name}"
            assert col.identity is None, f"{table.name}.{col.name}"
        pk = list(table.primary_key.columns)
        assert not (len(pk) == 1 and isinstance(pk[0].type, Integer) and pk[0].autoincrement in (True, "auto")), table.name
