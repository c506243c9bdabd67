"""Customers (DOMAIN.md Parties, Security): merchants and individuals, their
accounts, personal data encrypted at rest and found by a blind index."""

from __future__ import annotations

import base64
import json
from datetime import date

import pytest
from sqlalchemy import select

from ledger.crypto import DecryptionError, Keyring
from ledger.errors import DuplicateCode, InvalidInput
from ledger.events import audit_log, outbox_events
from ledger.schema import accounts
from settlement.accounts import customer_account_code
from settlement.customers import (
    CustomerNotFound,
    CustomerRule,
    add_currency,
    customer_accounts,
    customer_id_index,
    find_customer_by_ref,
    find_customers_by_id_number,
    get_customer,
    open_customer,
    record_due_diligence,
    record_registration,
    reveal_personal_data,
    set_fx_class,
    set_negative_list,
)
from settlement.tables_customers import customers

NAME, ID_NUMBER, PHONE = "Li Xiaoming", "110101199003077777", "13812345678"


@pytest.fixture
def keyring(settings) -> Keyring:
    return Keyring.from_settings(settings)


@pytest.fixture
async def inst(ledger):
    return (await ledger.create_institution("bank-c", "Bank C")).id


async def _dump(engine, *tables) -> str:
    out = []
    async with engine.connect() as conn:
        for t in tables:
            out += [{k: str(v) for k, v in r._mapping.items()} for r in await conn.execute(select(t))]
    return json.dumps(out, ensure_ascii=False)


async def test_opening_a_merchant_opens_current_pending_suspense_per_currency_and_one_cny_account(ledger, keyring, inst):
    c = await open_customer(ledger, keyring, inst, ref="M001", kind="enterprise", name="Shenzhen Widgets Ltd", fx_class="B", currencies=("USD", "EUR"))
    assert (c.kind, c.fx_class, c.directory_registered, c.currencies) == ("enterprise", "B", False, ("USD", "EUR"))
    assert sorted(c.accounts) == ["cny:CNY", "current:EUR", "current:USD", "pending:EUR", "pending:USD", "suspense:EUR", "suspense:USD"]
    for label, acct_id in c.accounts.items():
        kind, cur = label.split(":")
        a = await ledger.get_account(inst, acct_id)
        assert (a.code, a.currency, a.type, a.owner_ref) == (customer_account_code(c.id, kind, cur), cur, "liability", str(c.id))
        assert a.debits_must_not_exceed_credits
    assert await customer_accounts(ledger, inst, c.id) == c.accounts
    # a further currency opens three more accounts; repeating it changes nothing
    c2 = await add_currency(ledger, inst, c.id, "GBP")
    c3 = await add_currency(ledger, inst, c.id, "GBP")
    assert c3.currencies == ("USD", "EUR", "GBP") and len(c2.accounts) == len(c3.accounts) == 10


async def test_merchants_need_an_fx_class_individuals_an_id_number_and_refs_are_unique_per_institution(ledger, keyring, inst):
    # rules across fields: their own code (customer_rule), not malformed input
    with pytest.raises(CustomerRule):
        await open_customer(ledger, keyring, inst, ref="M1", kind="enterprise", name="X Ltd")  # no FX class
    with pytest.raises(CustomerRule):
        await open_customer(ledger, keyring, inst, ref="M1", kind="enterprise", name="X Ltd", fx_class="D")
    with pytest.raises(CustomerRule):
        await open_customer(ledger, keyring, inst, ref="P1", kind="individual", name=NAME)  # no ID number
    with pytest.raises(CustomerRule):
        await open_customer(ledger, keyring, inst, ref="P1", kind="individual", name=NAME, id_number=ID_NUMBER, fx_class="A")
    with pytest.raises(InvalidInput):
        await open_customer(ledger, keyring, inst, ref="M1", kind="partnership", name="X", fx_class="A")
    with pytest.raises(CustomerRule):
        await open_customer(ledger, keyring, inst, ref="M1", kind="enterprise", name="X", fx_class="A", currencies=("CNY",))
    with pytest.raises(InvalidInput):  # a control character
        await open_customer(ledger, keyring, inst, ref="M1", kind="enterprise", name="X\x07", fx_class="A")
    assert CustomerRule.code == "customer_rule"
    for kind in ("enterprise", "individual_trade_operator", "individual_business"):
        c = await open_customer(ledger, keyring, inst, ref=f"M-{kind}", kind=kind, name="Trader", fx_class="A")
        assert c.is_merchant and not c.is_individual
    p = await open_customer(ledger, keyring, inst, ref="P1", kind="individual", name=NAME, id_number=ID_NUMBER, currencies=())
    assert p.is_individual and p.fx_class is None and p.accounts == {"cny:CNY": p.accounts["cny:CNY"]}
    with pytest.raises(DuplicateCode):
        await open_customer(ledger, keyring, inst, ref="P1", kind="individual", name="Other", id_number="X1")
    other = (await ledger.create_institution("bank-d", "Bank D")).id
    assert (await open_customer(ledger, keyring, other, ref="P1", kind="individual", name=NAME, id_number=ID_NUMBER)).ref == "P1"
    assert (await find_customer_by_ref(ledger.engine, inst, "P1")).id == p.id
    assert await find_customer_by_ref(ledger.engine, inst, "nobody") is None
    with pytest.raises(CustomerNotFound):
        await get_customer(ledger.engine, other, p.id)  # another institution's id


async def test_personal_data_is_never_stored_in_clear(ledger, keyring, inst, engine):
    p = await open_customer(ledger, keyring, inst, ref="P1", kind="individual", name=NAME, id_number=ID_NUMBER, phone=PHONE)
    await set_negative_list(engine, inst, p.id, True, reason="court order 12")
    await reveal_personal_data(engine, keyring, inst, p.id, actor="user:tester")
    dump = await _dump(engine, customers, audit_log, outbox_events, accounts)
    for clear in (NAME, ID_NUMBER, PHONE, "Xiaoming", ID_NUMBER[-8:], PHONE[-6:]):
        assert clear not in dump
    async with engine.connect() as conn:
        row = (await conn.execute(select(customers).where(customers.c.id == p.id))).one()
    kid = row.name_enc.split(".")[1]
    assert row.name_enc.startswith(f"x1.{kid}.") and row.id_number_enc.startswith(f"x1.{kid}.") and row.phone_enc.startswith(f"x1.{kid}.")
    assert row.id_index == customer_id_index(keyring, ID_NUMBER) and len(row.id_index) == 64
    pd = await reveal_personal_data(engine, keyring, inst, p.id)
    assert (pd.name, pd.id_number, pd.phone) == (NAME, ID_NUMBER, PHONE)
    masked = pd.masked()
    assert masked.id_number == "110***********7777" and masked.phone == "138****5678" and masked.name.startswith("L") and "Xiaoming" not in masked.name
    # a ciphertext is bound to its row and column: moved elsewhere it does not decrypt
    with pytest.raises(DecryptionError):
        keyring.decrypt(row.name_enc, context=f"customer:{p.id}:phone")
    async with engine.connect() as conn:
        reveals = (await conn.execute(select(audit_log).where(audit_log.c.action == "customer.reveal_personal_data"))).all()
    assert [(r.actor_id, r.object_id) for r in reveals] == [("user:tester", str(p.id))]


async def test_blind_index_finds_a_person_by_id_number_within_the_institution_only(ledger, keyring, inst, engine):
    other = (await ledger.create_institution("bank-d", "Bank D")).id
    a = await open_customer(ledger, keyring, inst, ref="P1", kind="individual", name=NAME, id_number=ID_NUMBER)
    b = await open_customer(ledger, keyring, other, ref="Q9", kind="individual", name=NAME, id_number=ID_NUMBER.lower() + "  ")
    await open_customer(ledger, keyring, inst, ref="P2", kind="individual", name="Wang Fang", id_number="110101198001011234")
    found = await find_customers_by_id_number(engine, keyring, inst, " 1101 0119 9003 077777 ")
    assert [c.id for c in found] == [a.id]
    assert [c.id for c in await find_customers_by_id_number(engine, keyring, other, ID_NUMBER)] == [b.id]
    assert await find_customers_by_id_number(engine, keyring, inst, "999999999999999999") == []
    # the same person has the same index everywhere (the national quota registry is keyed by it)
    assert customer_id_index(keyring, ID_NUMBER) == customer_id_index(keyring, ID_NUMBER.lower() + " ")


async def test_every_state_change_is_audited_with_before_and_after(ledger, keyring, inst, engine):
    c = await open_customer(ledger, keyring, inst, ref="M1", kind="enterprise", name="Acme", fx_class="A", actor="user:admin1")
    c = await set_fx_class(engine, inst, c.id, "C", actor="user:admin1")
    assert c.fx_class == "C"
    c = await record_registration(engine, inst, c.id, registered_on=date(2026, 3, 1), actor="user:admin1")
    assert c.directory_registered and c.registered_on == date(2026, 3, 1)
    c = await set_negative_list(engine, inst, c.id, True, reason="credit negative list", actor="user:admin1")
    assert c.negative_listed and c.negative_list_reason == "credit negative list"
    c = await set_negative_list(engine, inst, c.id, False, actor="user:admin1")
    assert not c.negative_listed and c.negative_list_reason is None
    c = await record_due_diligence(engine, inst, c.id, checked_on=date(2026, 3, 2), actor="user:admin1")
    assert c.due_diligence_on == date(2026, 3, 2)
    await add_currency(ledger, inst, c.id, "JPY", actor="user:admin1")
    with pytest.raises(CustomerRule):
        await set_negative_list(engine, inst, c.id, True)  # a reason is required
    async with engine.connect() as conn:
        log = (await conn.execute(select(audit_log).where(audit_log.c.object_id == str(c.id)).order_by(audit_log.c.id))).all()
        events = [e.type for e in await conn.execute(select(outbox_events).order_by(outbox_events.c.id))]
    assert [e.action for e in log] == [
        "customer.open", "customer.set_fx_class", "customer.record_registration", "customer.set_negative_list",
        "customer.set_negative_list", "customer.record_due_diligence", "customer.add_currency",
    ]
    assert {e.actor_id for e in log} == {"user:admin1"}
    assert (log[1].before, log[1].after) == ({"fx_class": "A"}, {"fx_class": "C"})
    assert log[2].after == {"directory_registered": True, "registered_on": "2026-03-01"}
    assert log[6].after == {"currencies": ["USD", "JPY"]}
    assert events == [
        "customer.opened", "customer.fx_class_changed", "customer.registered", "customer.negative_list_changed",
        "customer.negative_list_changed", "customer.due_diligence_recorded", "customer.currency_added",
    ]
    p = await open_customer(ledger, keyring, inst, ref="P1", kind="individual", name=NAME, id_number=ID_NUMBER)
    with pytest.raises(CustomerRule):
        await set_fx_class(engine, inst, p.id, "A")
    with pytest.raises(CustomerRule):
        await record_registration(engine, inst, p.id)


async def test_key_rotation_reencrypts_personal_data_and_reindexes(ledger, keyring, inst, engine):
    p = await open_customer(ledger, keyring, inst, ref="P1", kind="individual", name=NAME, id_number=ID_NUMBER, phone=PHONE)
    from api.rotation import rotate_keys

    new = Keyring(base64.b64decode(base64.b64encode(b"\x0b" * 32)), old=(keyring.current,), registry=b"\x0c" * 32, old_registry=(keyring.registry,))
    assert (await rotate_keys(engine, new)).settlement.customers_resealed == 1
    assert (await rotate_keys(engine, new)).settlement.customers_resealed == 0
    pd = await reveal_personal_data(engine, new, inst, p.id)
    assert (pd.name, pd.id_number, pd.phone) == (NAME, ID_NUMBER, PHONE)
    assert [c.id for c in await find_customers_by_id_number(engine, new, inst, ID_NUMBER)] == [p.id]
    with pytest.raises(DecryptionError):
        await reveal_personal_data(engine, keyring, inst, p.id)  # the old keyring lacks the new key
