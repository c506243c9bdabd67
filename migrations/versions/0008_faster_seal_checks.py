"""faster seal checks on PostgreSQL: index lookups per new row

The statement-level triggers of 0001 joined the transition table with the
whole ``postings``/``transactions`` tables; with stale statistics PostgreSQL
could plan that as a scan of every posting, once per statement.  Here each
new transaction (or posting) is checked with LATERAL subqueries that can only
be planned as index lookups, so the cost of a check no longer grows with the
size of the journal.  The rules are unchanged.  SQLite's row triggers
already use index lookups.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE OR REPLACE FUNCTION xb_postings_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (
                SELECT 1 FROM (SELECT DISTINCT transaction_id FROM new_postings) p
                CROSS JOIN LATERAL (SELECT 1 FROM transactions t WHERE t.id = p.transaction_id LIMIT 1) sealed
                LIMIT 1
            ) THEN
                RAISE EXCEPTION 'xborder: postings cannot be added to a recorded transaction'
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        """
        CREATE OR REPLACE FUNCTION xb_transactions_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE bad record;
        BEGIN
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
            END IF;
            RETURN NULL;
        END $$
        """
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE OR REPLACE FUNCTION xb_postings_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM new_postings p JOIN transactions t ON t.id = p.transaction_id) THEN
                RAISE EXCEPTION 'xborder: postings cannot be added to a recorded transaction'
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        """
        CREATE OR REPLACE FUNCTION xb_transactions_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE bad record;
        BEGIN
            SELECT t.id INTO bad FROM new_transactions t
                LEFT JOIN postings p ON p.transaction_id = t.id
                GROUP BY t.id HAVING count(p.transaction_id) < 2 LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION 'xborder: transaction % has fewer than two postings', bad.id
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            SELECT t.id, p.currency, sum(p.amount) AS diff INTO bad FROM new_transactions t
                JOIN postings p ON p.transaction_id = t.id
                GROUP BY t.id, p.currency HAVING sum(p.amount) <> 0 LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION 'xborder: unbalanced transaction %: % postings sum to %', bad.id, bad.currency, bad.diff
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NULL;
        END $$
        """
    )
