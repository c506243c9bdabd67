"""tenant keys: every table distributed by institution (Citus multi-tenant
rule) carries ``institution_id`` in its primary key, in every unique
constraint and in every foreign key, which now pairs ``(x_id,
institution_id)`` with the parent's ``(id, institution_id)``

``user_sessions``, ``webhook_attempts`` and ``recon_match_lines`` gain an
``institution_id`` column, filled from their parent row (the user, the
delivery, the match).  Keys keep their old columns first and append
``institution_id``, so lookups by id alone still use the primary-key index.
Which tables stay out (reference and single-node tables) is listed in
``ledger.distribution``; this migration names the tables it changes itself.

On SQLite every changed table is rebuilt (batch mode, data kept).  SQLite
checks foreign keys while a parent table is dropped, and ``PRAGMA
foreign_keys`` can only be switched outside a transaction: the rebuild
commits the work before it, switches the checks off, rebuilds, verifies
every key with ``PRAGMA foreign_key_check`` (refusing to go on if a row has
lost its parent), commits and switches them back on.  The triggers of the
journal (seal, zero sum, append-only) are saved and recreated unchanged.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

INST = 'institution_id'

#: tables without the column: (column holding the parent's id, parent table)
NEW_COLUMNS = {
    'user_sessions': ('user_id', 'users'),
    'webhook_attempts': ('delivery_id', 'webhook_deliveries'),
    'recon_match_lines': ('match_id', 'recon_matches'),
}

#: foreign keys that are DEFERRABLE INITIALLY DEFERRED (postings are written before their transaction)
DEFERRED = {'fk_postings_transaction_id_transactions'}

#: primary keys before this revision (pk_<table>); institution_id is appended
PRIMARY_KEYS = {
    'account_day_balances': ['account_id', 'day'],
    'accounts': ['id'],
    'advance_settlements': ['id'],
    'advances': ['id'],
    'api_keys': ['id'],
    'approval_requests': ['id'],
    'chain_checkpoints': ['id'],
    'conversions': ['id'],
    'customer_year_totals': ['customer_id', 'year'],
    'customers': ['id'],
    'evidence_claims': ['id'],
    'financing_buyer_limits': ['id'],
    'financing_encumbrances': ['id'],
    'financing_goods_haircuts': ['id'],
    'financing_goods_prices': ['id'],
    'financing_insurance_claims': ['id'],
    'financing_insurance_policies': ['id'],
    'financing_insured_receivables': ['id'],
    'financing_loan_dpd_history': ['id'],
    'financing_loan_repayments': ['id'],
    'financing_loans': ['id'],
    'financing_lpr_rates': ['id'],
    'financing_margin_calls': ['id'],
    'financing_products': ['id'],
    'financing_underwriting_decisions': ['id'],
    'financing_warehouse_receipts': ['id'],
    'financing_wr_pledges': ['id'],
    'ledgers': ['id'],
    'netting_cycles': ['id'],
    'netting_instructions': ['id'],
    'netting_obligations': ['id'],
    'netting_positions': ['id'],
    'outbox_events': ['id'],
    'payments': ['id'],
    'postings': ['transaction_id', 'line_no'],
    'receipt_fees': ['receipt_id', 'kind'],
    'receipts': ['id'],
    'recon_accounts': ['id'],
    'recon_line_parts': ['line_id', 'idx'],
    'recon_lines': ['id'],
    'recon_match_entries': ['transaction_id', 'line_no'],
    'recon_match_lines': ['match_id', 'line_id'],
    'recon_matches': ['id'],
    'recon_proposals': ['id'],
    'recon_runs': ['id'],
    'recon_statements': ['id'],
    'risk_alerts': ['id'],
    'trade_orders': ['id'],
    'trade_payments': ['id'],
    'trade_refunds': ['id'],
    'trade_rejects': ['id'],
    'trade_waybills': ['id'],
    'transactions': ['id'],
    'user_sessions': ['id'],
    'users': ['id'],
    'webhook_attempts': ['id'],
    'webhook_deliveries': ['id'],
    'webhook_endpoints': ['id'],
}
#: (table, name, columns before); institution_id is appended
UNIQUES = [
    ('accounts', 'uq_accounts_ledger_code', ['ledger_id', 'code']),
    ('api_keys', 'uq_api_keys_prefix', ['prefix']),
    ('chain_checkpoints', 'uq_chain_checkpoints_ledger_seq', ['ledger_id', 'seq']),
    ('financing_buyer_limits', 'uq_financing_buyer_limits_policy_buyer', ['policy_id', 'buyer_ref']),
    ('financing_insured_receivables', 'uq_financing_insured_receivables_policy_buyer_invoice', ['policy_id', 'buyer_ref', 'invoice_number']),
    ('netting_instructions', 'uq_netting_instructions_cycle_seq', ['cycle_id', 'seq']),
    ('netting_obligations', 'uq_netting_obligations_cycle_seq', ['cycle_id', 'seq']),
    ('netting_positions', 'uq_netting_positions_cycle_account', ['cycle_id', 'account_id']),
    ('postings', 'uq_postings_account_version', ['account_id', 'account_version']),
    ('recon_accounts', 'uq_recon_accounts_ledger_account_id', ['ledger_account_id']),
    ('recon_match_lines', 'uq_recon_match_lines_line_id', ['line_id']),
    ('transactions', 'uq_transactions_pending_id', ['pending_id']),
    ('transactions', 'uq_transactions_reverses_id', ['reverses_id']),
    ('transactions', 'uq_transactions_ledger_seq', ['ledger_id', 'seq']),
    ('webhook_deliveries', 'uq_webhook_deliveries_event_endpoint', ['event_id', 'endpoint_id']),
]
#: (table, name, column, parent) before: column -> parent.id; after: (column, institution_id) -> parent(id, institution_id)
FOREIGN_KEYS = [
    ('account_day_balances', 'fk_account_day_balances_account_id_accounts', 'account_id', 'accounts'),
    ('accounts', 'fk_accounts_ledger_id_ledgers', 'ledger_id', 'ledgers'),
    ('advance_settlements', 'fk_advance_settlements_advance_id_advances', 'advance_id', 'advances'),
    ('advance_settlements', 'fk_advance_settlements_source_account_id_accounts', 'source_account_id', 'accounts'),
    ('advances', 'fk_advances_ledger_id_ledgers', 'ledger_id', 'ledgers'),
    ('advances', 'fk_advances_receivable_account_id_accounts', 'receivable_account_id', 'accounts'),
    ('advances', 'fk_advances_payable_account_id_accounts', 'payable_account_id', 'accounts'),
    ('advances', 'fk_advances_repay_account_id_accounts', 'repay_account_id', 'accounts'),
    ('chain_checkpoints', 'fk_chain_checkpoints_ledger_id_ledgers', 'ledger_id', 'ledgers'),
    ('financing_loan_dpd_history', 'fk_financing_loan_dpd_history_loan_id_financing_loans', 'loan_id', 'financing_loans'),
    ('financing_loan_repayments', 'fk_financing_loan_repayments_loan_id_financing_loans', 'loan_id', 'financing_loans'),
    ('financing_loans', 'fk_financing_loans_product_id_financing_products', 'product_id', 'financing_products'),
    ('financing_loans', 'fk_financing_loans_customer_id_customers', 'customer_id', 'customers'),
    ('financing_underwriting_decisions', 'fk_financing_underwriting_decisions_customer_id_customers', 'customer_id', 'customers'),
    ('netting_cycles', 'fk_netting_cycles_ledger_id_ledgers', 'ledger_id', 'ledgers'),
    ('netting_instructions', 'fk_netting_instructions_cycle_id_netting_cycles', 'cycle_id', 'netting_cycles'),
    ('netting_instructions', 'fk_netting_instructions_account_id_accounts', 'account_id', 'accounts'),
    ('netting_instructions', 'fk_netting_instructions_central_account_id_accounts', 'central_account_id', 'accounts'),
    ('netting_obligations', 'fk_netting_obligations_cycle_id_netting_cycles', 'cycle_id', 'netting_cycles'),
    ('netting_obligations', 'fk_netting_obligations_payer_account_id_accounts', 'payer_account_id', 'accounts'),
    ('netting_obligations', 'fk_netting_obligations_payee_account_id_accounts', 'payee_account_id', 'accounts'),
    ('netting_positions', 'fk_netting_positions_cycle_id_netting_cycles', 'cycle_id', 'netting_cycles'),
    ('netting_positions', 'fk_netting_positions_account_id_accounts', 'account_id', 'accounts'),
    ('postings', 'fk_postings_transaction_id_transactions', 'transaction_id', 'transactions'),
    ('postings', 'fk_postings_account_id_accounts', 'account_id', 'accounts'),
    ('recon_accounts', 'fk_recon_accounts_adjustment_account_id_accounts', 'adjustment_account_id', 'accounts'),
    ('recon_accounts', 'fk_recon_accounts_fee_account_id_accounts', 'fee_account_id', 'accounts'),
    ('recon_accounts', 'fk_recon_accounts_ledger_account_id_accounts', 'ledger_account_id', 'accounts'),
    ('recon_line_parts', 'fk_recon_line_parts_line_id_recon_lines', 'line_id', 'recon_lines'),
    ('recon_lines', 'fk_recon_lines_recon_account_id_recon_accounts', 'recon_account_id', 'recon_accounts'),
    ('recon_lines', 'fk_recon_lines_statement_row_id_recon_statements', 'statement_row_id', 'recon_statements'),
    ('recon_lines', 'fk_recon_lines_parent_line_id_recon_lines', 'parent_line_id', 'recon_lines'),
    ('recon_match_entries', 'fk_recon_match_entries_match_id_recon_matches', 'match_id', 'recon_matches'),
    ('recon_match_lines', 'fk_recon_match_lines_line_id_recon_lines', 'line_id', 'recon_lines'),
    ('recon_match_lines', 'fk_recon_match_lines_match_id_recon_matches', 'match_id', 'recon_matches'),
    ('recon_matches', 'fk_recon_matches_recon_account_id_recon_accounts', 'recon_account_id', 'recon_accounts'),
    ('recon_proposals', 'fk_recon_proposals_recon_account_id_recon_accounts', 'recon_account_id', 'recon_accounts'),
    ('recon_runs', 'fk_recon_runs_recon_account_id_recon_accounts', 'recon_account_id', 'recon_accounts'),
    ('recon_statements', 'fk_recon_statements_recon_account_id_recon_accounts', 'recon_account_id', 'recon_accounts'),
    ('transactions', 'fk_transactions_ledger_id_ledgers', 'ledger_id', 'ledgers'),
    ('transactions', 'fk_transactions_pending_id_transactions', 'pending_id', 'transactions'),
    ('transactions', 'fk_transactions_reverses_id_transactions', 'reverses_id', 'transactions'),
    ('user_sessions', 'fk_user_sessions_user_id_users', 'user_id', 'users'),
    ('webhook_attempts', 'fk_webhook_attempts_delivery_id_webhook_deliveries', 'delivery_id', 'webhook_deliveries'),
    ('webhook_deliveries', 'fk_webhook_deliveries_event_id_outbox_events', 'event_id', 'outbox_events'),
    ('webhook_deliveries', 'fk_webhook_deliveries_endpoint_id_webhook_endpoints', 'endpoint_id', 'webhook_endpoints'),
]


def _tables() -> list[str]:
    return sorted(set(PRIMARY_KEYS) | {t for t, *_ in UNIQUES} | {t for t, *_ in FOREIGN_KEYS})


def _cols(cols: list[str], up: bool) -> list[str]:
    return [*cols, INST] if up else list(cols)


def _fk_args(name: str, column: str, up: bool) -> tuple[list[str], list[str], bool | None, str | None]:
    """Local and remote columns, deferrable, initially."""
    local, remote = ([column, INST], ['id', INST]) if up else ([column], ['id'])
    deferred = name in DEFERRED
    return local, remote, (True if deferred else None), ('DEFERRED' if deferred else None)


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        _add_columns()
        _pg_rekey(up=True)
    else:
        with _sqlite_rebuild():
            _add_columns()
            _sqlite_rekey(up=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        _pg_rekey(up=False)
        for table in NEW_COLUMNS:
            op.drop_column(table, INST)
    else:
        with _sqlite_rebuild():
            _sqlite_rekey(up=False)
            for table in NEW_COLUMNS:
                with op.batch_alter_table(table, recreate='always') as batch:
                    batch.drop_column(INST)


def _add_columns() -> None:
    """The three tables without the column get it, filled from the parent."""
    for table, (column, parent) in NEW_COLUMNS.items():
        op.add_column(table, sa.Column(INST, sa.Uuid(), nullable=True))
        op.execute(f'UPDATE {table} SET {INST} = (SELECT p.{INST} FROM {parent} p WHERE p.id = {table}.{column})')
        if op.get_bind().dialect.name == 'postgresql':
            op.alter_column(table, INST, existing_type=sa.Uuid(), nullable=False)


def _pg_rekey(up: bool) -> None:
    for table, name, _column, _parent in FOREIGN_KEYS:
        op.drop_constraint(name, table, type_='foreignkey')
    for table, name, cols in UNIQUES:
        op.drop_constraint(name, table, type_='unique')
        op.create_unique_constraint(name, table, _cols(cols, up))
    for table, cols in PRIMARY_KEYS.items():
        op.drop_constraint(f'pk_{table}', table, type_='primary')
        op.create_primary_key(f'pk_{table}', table, _cols(cols, up))
    for table, name, column, parent in FOREIGN_KEYS:
        local, remote, deferrable, initially = _fk_args(name, column, up)
        op.create_foreign_key(name, table, parent, local, remote, deferrable=deferrable, initially=initially)


def _sqlite_rekey(up: bool) -> None:
    for table in _tables():
        with op.batch_alter_table(table, recreate='always') as batch:
            if table in NEW_COLUMNS and up:
                batch.alter_column(INST, existing_type=sa.Uuid(), nullable=False)
            for t, name, _column, _parent in FOREIGN_KEYS:
                if t == table:
                    batch.drop_constraint(name, type_='foreignkey')
            for t, name, cols in UNIQUES:
                if t == table:
                    batch.drop_constraint(name, type_='unique')
                    batch.create_unique_constraint(name, _cols(cols, up))
            if table in PRIMARY_KEYS:
                batch.drop_constraint(f'pk_{table}', type_='primary')
                batch.create_primary_key(f'pk_{table}', _cols(PRIMARY_KEYS[table], up))
            for t, name, column, parent in FOREIGN_KEYS:
                if t == table:
                    local, remote, deferrable, initially = _fk_args(name, column, up)
                    batch.create_foreign_key(name, parent, local, remote, deferrable=deferrable, initially=initially)


class _sqlite_rebuild:
    """Foreign-key checks off around the rebuild (outside any transaction, as
    SQLite requires), the rebuild in one transaction of its own, the
    journal's triggers saved and recreated, every key verified before it
    commits; on any failure it rolls back and the checks go back on."""

    def __enter__(self) -> None:
        bind = op.get_bind()
        _dbapi(bind).commit()  # the migrations before this one (PRAGMA foreign_keys is ignored inside a transaction)
        bind.exec_driver_sql('PRAGMA foreign_keys=OFF')
        bind.exec_driver_sql('BEGIN')
        rows = bind.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").fetchall()
        self.triggers = [(r[0], r[1]) for r in rows]
        for name, _sql in self.triggers:
            bind.exec_driver_sql(f'DROP TRIGGER {name}')

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        bind = op.get_bind()
        try:
            if exc_type is None:
                for _name, sql in self.triggers:
                    bind.exec_driver_sql(sql)
                bad = [tuple(r) for r in bind.exec_driver_sql('PRAGMA foreign_key_check').fetchall()]
                if bad:
                    raise RuntimeError(f'rows without their parent after the rebuild (table, rowid, parent, key): {bad[:10]}')
                _dbapi(bind).commit()
        finally:
            _dbapi(bind).rollback()  # nothing left to roll back after a commit
            bind.exec_driver_sql('PRAGMA foreign_keys=ON')


def _dbapi(bind: sa.Connection) -> Any:
    dbapi = bind.connection.dbapi_connection
    assert dbapi is not None
    return dbapi
