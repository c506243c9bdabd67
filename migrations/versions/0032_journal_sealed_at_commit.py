"""orphan postings refused at commit by one check per database transaction (issue #14 item 4)

The deferred foreign key ``postings -> transactions`` (what refuses postings
whose transaction never comes) was checked row by row at COMMIT: for a batch
of 8,000 transfers 16,000 checks, each a probe that also locks the
transaction row, ~75 ms of a ~500 ms batch (measured: COMMIT 78 ms with the
key, 3 ms without).  PostgreSQL now checks it with the journal's
statement-level triggers and one deferred check per database transaction
and institution:

* the postings trigger adds, per institution, the number of new postings
  to a row of ``ledger_open_journal`` keyed by (database transaction,
  institution);
* the transactions trigger, in the pass of its balance check, subtracts the
  number of postings of each new transaction (all written in this database
  transaction: postings are refused for a recorded transaction, and no
  posting without its transaction was ever committed);
* the row's first insert queues a deferred constraint trigger: at COMMIT it
  deletes the row and refuses the commit unless the count is zero (a
  posting whose transaction never came is counted and never subtracted).
  The refusal carries the foreign key's name and SQLSTATE, as before.

The balance check now also matches the institution of the postings (before,
a posting of another institution under the same transaction id counted).

SQLite keeps the foreign key; ``ledger_open_journal`` exists there too (the
schema is one) and stays empty.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-05
"""

import importlib

import sqlalchemy as sa
from alembic import op

revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None

_0031 = importlib.import_module("migrations.versions.0031_statement_level_journal_keys")

_KEY = "fk_postings_transaction_id_transactions"
_XACT = "pg_current_xact_id()::text::bigint"

_OPENED = f"""
    INSERT INTO ledger_open_journal AS j (xact, institution_id, open)
    SELECT {_XACT}, institution_id, count(*) FROM new_postings GROUP BY institution_id
    ON CONFLICT (xact, institution_id) DO UPDATE SET open = j.open + EXCLUDED.open;"""

# 0031's balance check, now matching the institution of the postings too, and
# in the same pass subtracting the new transactions' postings from the count
_BALANCED_AND_SEALED = f"""
    WITH per_tx AS MATERIALIZED (
        SELECT t.id, t.institution_id, s.n, s.worst FROM new_transactions t
        CROSS JOIN LATERAL (
            SELECT coalesce(sum(c), 0) AS n, coalesce(max(abs(cs)), 0) AS worst
            FROM (SELECT count(*) AS c, sum(p.amount) AS cs FROM postings p
                  WHERE p.transaction_id = t.id AND p.institution_id = t.institution_id GROUP BY p.currency) per_currency
        ) s
    ), sealed AS (
        UPDATE ledger_open_journal AS j SET open = j.open - x.n
        FROM (SELECT institution_id, sum(n) AS n FROM per_tx GROUP BY institution_id) x
        WHERE j.xact = {_XACT} AND j.institution_id = x.institution_id
    )
    SELECT id, n, worst INTO bad FROM per_tx WHERE n < 2 OR worst <> 0 LIMIT 1;""" + _0031._BALANCED[_0031._BALANCED.index("\n    IF FOUND THEN"):]

_AT_COMMIT = f"""
CREATE OR REPLACE FUNCTION xb_journal_sealed_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE left_open bigint;
BEGIN
    DELETE FROM ledger_open_journal WHERE xact = NEW.xact AND institution_id = NEW.institution_id RETURNING open INTO left_open;
    IF left_open <> 0 THEN
        RAISE EXCEPTION 'xborder: % posting(s) of institution % belong to no recorded transaction', left_open, NEW.institution_id
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = '{_KEY}', TABLE = 'postings';
    END IF;
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.create_table(
        'ledger_open_journal',
        sa.Column('xact', sa.BigInteger(), nullable=False),
        sa.Column('institution_id', sa.Uuid(), nullable=False),
        sa.Column('open', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('xact', 'institution_id'),
    )
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(_0031._function("xb_postings_sealed", _0031._SEALED, _0031._ACCOUNT_KEY, _OPENED))
    op.execute(_0031._function("xb_transactions_balanced", _0031._LEDGER_KEY, _0031._REFERENCE_KEY, _BALANCED_AND_SEALED))
    op.execute(_AT_COMMIT)
    op.execute(
        "CREATE CONSTRAINT TRIGGER ledger_open_journal_sealed AFTER INSERT ON ledger_open_journal "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION xb_journal_sealed_at_commit()"
    )
    op.execute(f"ALTER TABLE postings DROP CONSTRAINT {_KEY}")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            f"ALTER TABLE postings ADD CONSTRAINT {_KEY} FOREIGN KEY (transaction_id, institution_id) "
            "REFERENCES transactions (id, institution_id) DEFERRABLE INITIALLY DEFERRED"
        )
        op.execute("DROP TRIGGER ledger_open_journal_sealed ON ledger_open_journal")
        op.execute("DROP FUNCTION xb_journal_sealed_at_commit()")
        op.execute(_0031._function("xb_postings_sealed", _0031._SEALED, _0031._ACCOUNT_KEY))
        op.execute(_0031._function("xb_transactions_balanced", _0031._LEDGER_KEY, _0031._REFERENCE_KEY, _0031._BALANCED))
    op.drop_table('ledger_open_journal')
