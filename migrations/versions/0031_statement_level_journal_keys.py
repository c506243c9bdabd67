"""journal keys checked once per statement on PostgreSQL (issue #14 item 4)

A batch of 8,000 transfers spent about 300 ms of its ~1.3 s in PostgreSQL's
row-by-row foreign-key triggers (auto_explain: 16,000 calls for
``postings -> accounts``, 8,000 each for ``transactions -> institutions``,
``-> ledgers``, ``-> pending`` and ``-> reversed``).  Those keys are now
checked by the journal's statement-level triggers, which already read the
statement's new rows (transition tables): one anti-join per statement, an
index probe per distinct key (:func:`_key_check`).

What the foreign keys also guaranteed on the referenced side is kept:
transactions were already immutable (no UPDATE, no DELETE); accounts and
ledgers now refuse DELETE and any change of ``id`` / ``institution_id``
(nothing deletes them: an account is closed, never removed).  The deferred
``postings -> transactions`` key stays a foreign key: it is what refuses
postings whose transaction never comes, at commit.

SQLite keeps every foreign key (its checks are cheap, and it has no
statement-level triggers).  The table definitions in ``ledger.schema`` still
declare the keys; ``ledger.schema.STATEMENT_CHECKED_FKS`` names the ones
PostgreSQL checks this way.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-03
"""

from alembic import op

revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None

#: (table, constraint, columns, referenced table, referenced columns)
_KEYS = (
    ('postings', 'fk_postings_account_id_accounts', 'account_id, institution_id', 'accounts', 'id, institution_id'),
    ('transactions', 'fk_transactions_institution_id_institutions', 'institution_id', 'institutions', 'id'),
    ('transactions', 'fk_transactions_ledger_id_ledgers', 'ledger_id, institution_id', 'ledgers', 'id, institution_id'),
    ('transactions', 'fk_transactions_pending_id_transactions', 'pending_id, institution_id', 'transactions', 'id, institution_id'),
    ('transactions', 'fk_transactions_reverses_id_transactions', 'reverses_id, institution_id', 'transactions', 'id, institution_id'),
)

# the checks the trigger functions are made of (0008's two, and this migration's key checks)
_SEALED = """
    IF EXISTS (
        SELECT 1 FROM (SELECT DISTINCT transaction_id FROM new_postings) p
        CROSS JOIN LATERAL (SELECT 1 FROM transactions t WHERE t.id = p.transaction_id LIMIT 1) sealed
        LIMIT 1
    ) THEN
        RAISE EXCEPTION 'xborder: postings cannot be added to a recorded transaction'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;"""

_BALANCED = """
    SELECT t.id, s.n, s.worst INTO bad FROM new_transactions t
    CROSS JOIN LATERAL (
        SELECT coalesce(sum(c), 0) AS n, coalesce(max(abs(cs)), 0) AS worst
        FROM (SELECT count(*) AS c, sum(p.amount) AS cs FROM postings p WHERE p.transaction_id = t.id GROUP BY p.currency) per_currency
    ) s
    WHERE s.n < 2 OR s.worst <> 0
    LIMIT 1;
    IF FOUND THEN
        IF bad.n < 2 THEN
            RAISE EXCEPTION 'xborder: transaction % has fewer than two postings', bad.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RAISE EXCEPTION 'xborder: unbalanced transaction %: postings of a currency sum to % (absolute)', bad.id, bad.worst
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;"""


def _key_check(keys: str, parent: str, match: str, message: str, constraint: str, table: str) -> str:
    """Refuse the statement when a row of ``keys`` (a query over the new rows,
    columns ``a`` and ``b`` named in the message) has no ``parent`` row
    matching ``match``: one index probe per key (``LATERAL .. LIMIT 1``, so
    the plan stays a probe whatever the table's size or the plan cache's
    guess of the statement's size)."""
    return f"""
    SELECT k.a, k.b INTO bad FROM ({keys}) k
    LEFT JOIN LATERAL (SELECT 1 AS hit FROM {parent} r WHERE {match} LIMIT 1) found ON true
    WHERE found.hit IS NULL
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION '{message}', bad.a, bad.b
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = '{constraint}', TABLE = '{table}';
    END IF;"""


_ACCOUNT_KEY = _key_check(
    "SELECT DISTINCT account_id AS a, institution_id AS b FROM new_postings", "accounts", "r.id = k.a AND r.institution_id = k.b",
    "xborder: posting names account % which institution % does not have", "fk_postings_account_id_accounts", "postings",
)
_LEDGER_KEY = _key_check(
    "SELECT DISTINCT ledger_id AS a, institution_id AS b FROM new_transactions", "ledgers", "r.id = k.a AND r.institution_id = k.b",
    "xborder: transaction names ledger % which institution % does not have", "fk_transactions_ledger_id_ledgers", "transactions",
)
_REFERENCE_KEY = _key_check(
    "SELECT id AS a, pending_id AS b, institution_id AS i FROM new_transactions WHERE pending_id IS NOT NULL "
    "UNION ALL SELECT id, reverses_id, institution_id FROM new_transactions WHERE reverses_id IS NOT NULL",
    "transactions", "r.id = k.b AND r.institution_id = k.i",
    "xborder: transaction % refers to transaction % which its institution does not have", "fk_transactions_pending_id_transactions", "transactions",
)


def _function(name: str, *checks: str) -> str:
    body = "".join(checks)
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE bad record;
BEGIN{body}
    RETURN NULL;
END $$
"""


# the referenced side of the keys the triggers check: an account or ledger is never deleted or re-keyed
_KEEP_REFERENCED = """
CREATE OR REPLACE FUNCTION xb_keep_referenced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'xborder: % rows are never deleted or re-keyed (the journal refers to them)', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation', TABLE = TG_TABLE_NAME;
END $$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(_function("xb_postings_sealed", _SEALED, _ACCOUNT_KEY))
    op.execute(_function("xb_transactions_balanced", _LEDGER_KEY, _REFERENCE_KEY, _BALANCED))
    op.execute(_KEEP_REFERENCED)
    for table in ('accounts', 'ledgers'):
        op.execute(f"CREATE TRIGGER {table}_keep_deleted BEFORE DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION xb_keep_referenced()")
        op.execute(
            f"CREATE TRIGGER {table}_keep_key BEFORE UPDATE OF id, institution_id ON {table} FOR EACH ROW "
            "WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.institution_id IS DISTINCT FROM NEW.institution_id) "
            "EXECUTE FUNCTION xb_keep_referenced()"
        )
    for table, name, *_ in _KEYS:
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table, name, cols, ref, ref_cols in _KEYS:
        op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({cols}) REFERENCES {ref} ({ref_cols})")
    for table in ('accounts', 'ledgers'):
        op.execute(f"DROP TRIGGER {table}_keep_deleted ON {table}")
        op.execute(f"DROP TRIGGER {table}_keep_key ON {table}")
    op.execute("DROP FUNCTION xb_keep_referenced()")
    op.execute(_function("xb_transactions_balanced", _BALANCED))  # as 0008 made them
    op.execute(_function("xb_postings_sealed", _SEALED))
