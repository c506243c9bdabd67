"""asset identity, not spelling: warehouse receipts keyed by the warehouse's
unified social credit code and the normalized receipt number, insured
receivables by buyer code and normalized invoice number, policies by
insurer code and normalized policy number

Existing rows are migrated in place:

* warehouse receipts: when the recorded issuer *is* a valid unified social
  credit code, it becomes ``warehouse_code`` and the receipt gets its new
  key.  A receipt recorded with a name only keeps its old (spelling) key and
  a null ``warehouse_code``: it stays protected against the exact spelling it
  was recorded with, and a new receipt (which must carry a code) can never
  collide with it.  Such receipts should be re-recorded with their code once
  released.
* insured receivables: the new key (buyer code + invoice number) is always
  computable.
* the national registry and the institutions' encumbrances follow their
  rows' keys.  Where two old keys meet in one new key (the same asset
  financed twice under two spellings -- the defect this fixes), the
  encumbrance taken first keeps the new key and the later one keeps its old
  key, so nothing is lost and both remain visible to their holders.
* policies: ``policy_key`` from the insurer's name (no code was recorded)
  and the normalized number; ``insurer_code`` stays null.  Two policies of
  one institution that normalize alike get a key of their own (with the id).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02
"""

import hashlib
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

# frozen copies of financing.collateral.identity / registry (a migration never changes)
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _uscc(value):
    code = "".join(ch for ch in unicodedata.normalize("NFKC", value or "").upper() if not ch.isspace() and ch != "-")
    if len(code) != 18 or any(c not in _ALPHABET for c in code):
        return None
    total = sum(_ALPHABET.index(c) * w for c, w in zip(code[:17], _WEIGHTS, strict=True))
    return code if code[17] == _ALPHABET[(31 - total % 31) % 31] else None


def _norm(value):
    text = unicodedata.normalize("NFKC", value or "").casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def _key(*parts):
    return hashlib.sha256(("xborder-asset-v1\x00" + "|".join(parts)).encode()).hexdigest()


def _remap(conn, table, new_keys):
    """Move rows of ``table`` (id -> new key) and the registry entries of their old keys."""
    rows = conn.execute(sa.text(f"SELECT id, institution_id, asset_key FROM {table}")).fetchall()
    reg = {r.asset_key: r for r in conn.execute(sa.text("SELECT asset_key, state, encumbered_at FROM financing_asset_registry")).fetchall()}
    pairs: dict[str, str] = {}
    for r in rows:
        new = new_keys.get(r.id)
        if new and new != r.asset_key:
            pairs.setdefault(r.asset_key, new)
    order = sorted(pairs, key=lambda old: (reg[old].state != "encumbered" if old in reg else True, str(reg[old].encumbered_at) if old in reg else "", old))
    moved = {}
    taken = set(reg)
    for old in order:
        new = pairs[old]
        if old in reg:
            if new in taken:
                continue  # the same asset financed twice before 0018: the later one keeps its old key
            conn.execute(sa.text("UPDATE financing_asset_registry SET asset_key = :n WHERE asset_key = :o"), {"n": new, "o": old})
            conn.execute(sa.text("UPDATE financing_encumbrances SET asset_key = :n WHERE asset_key = :o"), {"n": new, "o": old})
            taken.discard(old)
            taken.add(new)
        moved[old] = new
    held = {(r.institution_id, r.asset_key) for r in rows}
    for r in rows:
        new = moved.get(r.asset_key) if new_keys.get(r.id) else None
        if new is None or (r.institution_id, new) in held:
            continue
        conn.execute(sa.text(f"UPDATE {table} SET asset_key = :n WHERE id = :i"), {"n": new, "i": r.id})
        held.add((r.institution_id, new))


def upgrade() -> None:
    with op.batch_alter_table('financing_warehouse_receipts') as batch:
        batch.add_column(sa.Column('warehouse_code', sa.String(length=18), nullable=True))
        batch.drop_constraint('uq_financing_warehouse_receipts_institution_issuer_number', type_='unique')
    with op.batch_alter_table('financing_insurance_policies') as batch:
        batch.add_column(sa.Column('insurer_code', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('policy_key', sa.String(length=64), nullable=True))
        batch.drop_constraint('uq_financing_insurance_policies_institution_insurer_number', type_='unique')
    conn = op.get_bind()
    wr_keys = {}
    for r in conn.execute(sa.text("SELECT id, issuer, receipt_number FROM financing_warehouse_receipts")).fetchall():
        code, number = _uscc(r.issuer), _norm(r.receipt_number)
        if code and number:
            conn.execute(sa.text("UPDATE financing_warehouse_receipts SET warehouse_code = :c WHERE id = :i"), {"c": code, "i": r.id})
            wr_keys[r.id] = _key("wr2", code, number)
    _remap(conn, "financing_warehouse_receipts", wr_keys)
    ins_keys = {}
    for r in conn.execute(sa.text("SELECT id, buyer_ref, invoice_number FROM financing_insured_receivables")).fetchall():
        buyer, invoice = _norm(r.buyer_ref), _norm(r.invoice_number)
        if buyer and invoice:
            ins_keys[r.id] = _key("ins2", buyer, invoice)
    _remap(conn, "financing_insured_receivables", ins_keys)
    seen = set()
    for r in conn.execute(sa.text("SELECT id, institution_id, insurer, policy_number FROM financing_insurance_policies ORDER BY created_at, id")).fetchall():
        key = _key("policy", _norm(r.insurer) or "-", _norm(r.policy_number) or "-")
        if (r.institution_id, key) in seen:
            key = _key("policy", _norm(r.insurer) or "-", _norm(r.policy_number) or "-", str(r.id))
        seen.add((r.institution_id, key))
        conn.execute(sa.text("UPDATE financing_insurance_policies SET policy_key = :k WHERE id = :i"), {"k": key, "i": r.id})
    with op.batch_alter_table('financing_warehouse_receipts') as batch:
        batch.create_unique_constraint('uq_financing_warehouse_receipts_institution_asset_key', ['institution_id', 'asset_key'])
    with op.batch_alter_table('financing_insurance_policies') as batch:
        batch.alter_column('policy_key', existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint('uq_financing_insurance_policies_institution_policy_key', ['institution_id', 'policy_key'])


def downgrade() -> None:
    # the new keys stay (they are valid keys); only the columns and constraints go back
    with op.batch_alter_table('financing_insurance_policies') as batch:
        batch.drop_constraint('uq_financing_insurance_policies_institution_policy_key', type_='unique')
        batch.drop_column('policy_key')
        batch.drop_column('insurer_code')
        batch.create_unique_constraint('uq_financing_insurance_policies_institution_insurer_number', ['institution_id', 'insurer', 'policy_number'])
    with op.batch_alter_table('financing_warehouse_receipts') as batch:
        batch.drop_constraint('uq_financing_warehouse_receipts_institution_asset_key', type_='unique')
        batch.drop_column('warehouse_code')
        batch.create_unique_constraint('uq_financing_warehouse_receipts_institution_issuer_number', ['institution_id', 'issuer', 'receipt_number'])
