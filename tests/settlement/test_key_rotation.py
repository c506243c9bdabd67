"""Personal data at rest and key rotation (#18): registry keys are HMACs
under a deployment registry key independent of the personal-data key, and
one procedure (``xborder keys rotate``, api.rotation) re-encrypts the
personal data and re-keys every blind index and registry in one
transaction: afterwards a customer is still found by its ID number, the
USD 50,000 quota still counts the conversions before it, the watch list
still holds, consumed evidence stays consumed, and the former keys are no
longer needed.  On SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import hashlib
from datetime import date

import pytest
from sqlalchemy import select

from api.rotation import rotate_keys, stale_keys
from ledger.config import Settings
from ledger.crypto import DecryptionError, Keyring, is_ciphertext
from settlement.customers import find_customers_by_id_number, reveal_personal_data
from settlement.errors import QuotaExceeded, ReviewRequired
from settlement.service import Settlement
from settlement.tables_customers import customers
from settlement.tables_receipts import conversion_log, quota_registry, watch_list
from settlement.tables_tradedata import evidence_claims, evidence_registry, trade_rejects
from settlement.tradedata import OrderIn, evidence_key, ingest_orders, list_rejects
from settlement.tradedata.registry import legacy_evidence_key

from .helpers import individual, matched_orders
from .test_conversions import _fund, conv, deployment

P_ID = "110101199001011234"
W_ID = "110101198502023456"


def _b64(byte: bytes) -> str:
    return base64.b64encode(byte * 32).decode()


def test_registry_keys_are_hmacs_under_the_registry_key_independent_of_the_personal_data_key():
    a = Keyring(b"\x01" * 32, registry=b"\x02" * 32)
    same_registry = Keyring(b"\x03" * 32, registry=b"\x02" * 32)
    other_registry = Keyring(b"\x01" * 32, registry=b"\x04" * 32)
    key = evidence_key("shopx", "O-1", keyring=a)
    assert key != legacy_evidence_key("shopx", "O-1") != hashlib.sha256(b"shopx|O-1").hexdigest()
    assert len(key) == 64 and key != evidence_key("shopx", "O-2", keyring=a)
    # the registry key decides, the personal-data key does not
    assert evidence_key("shopx", "O-1", keyring=same_registry) == key
    assert evidence_key("shopx", "O-1", keyring=other_registry) != key
    assert a.blind_index(P_ID) == same_registry.blind_index(P_ID) != other_registry.blind_index(P_ID)
    assert a.blind_index(P_ID) != hashlib.sha256(P_ID.encode()).hexdigest()
    # the same key for both purposes is refused
    with pytest.raises(ValueError, match="independent"):
        Keyring(b"\x01" * 32, registry=b"\x01" * 32)


async def _registry_rows(engine):
    async with engine.connect() as conn:
        return {
            "quota": sorted((r.person_index, r.year, r.direction, r.used_usd_minor) for r in await conn.execute(select(quota_registry))),
            "log": sorted(r.person_index for r in await conn.execute(select(conversion_log))),
            "watch": sorted(r.person_index for r in await conn.execute(select(watch_list))),
            "evidence": sorted((r.evidence_key, r.consumed_minor) for r in await conn.execute(select(evidence_registry))),
            "claims": sorted(r.evidence_key for r in await conn.execute(select(evidence_claims))),
        }


async def _before_rotation(stl, bank):
    """A person with USD 30,000 of quota used and evidence consumed, one on
    the watch list, a held trade-data line."""
    p = await individual(stl, bank, ref="P1", id_number=P_ID)
    w = await individual(stl, bank, ref="W1", id_number=W_ID)
    await _fund(stl, bank, p, 10_000_000, "fund-p")
    await _fund(stl, bank, w, 10_000_000, "fund-w")
    await stl.conversions.convert(bank, conv(p, 3_000_000, "q1"))
    orders = await matched_orders(stl, bank, p.ref, [1_500_000, 1_000_000])
    ok = await stl.conversions.convert(bank, conv(p, 2_500_000, "q2", orders=orders))
    assert (ok["exempt_usd_minor"], ok["quota_usd_minor"]) == (2_500_000, 0)
    deployment(stl, split_limit_usd=1_000_000)
    await stl.conversions.convert(bank, conv(w, 600_000, "s1"))
    await stl.conversions.convert(bank, conv(w, 600_000, "s2"))
    await ingest_orders(stl.engine, bank, "shopx", [OrderIn("BAD-1", "NO-SUCH-MERCHANT", "USD", 100, date(2026, 1, 1))])
    return p, w, orders


async def test_rotation_rekeys_personal_data_registries_and_watch_list_in_one_procedure(stl, bank, settings):
    p, w, orders = await _before_rotation(stl, bank)
    before = await _registry_rows(stl.engine)
    old = stl.keyring
    assert before["quota"] and before["watch"] and before["evidence"] and before["claims"]
    assert {r[0] for r in before["quota"]} == {old.blind_index(P_ID), old.blind_index(W_ID)}

    # the operator makes new keys current, the former ones old, and rotates
    rotating = Keyring.from_settings(Settings(
        data_dir=settings.data_dir, secret_key=_b64(b"\x0b"), old_secret_keys=settings.secret_key,
        registry_key=_b64(b"\x0c"), old_registry_keys=settings.registry_key,
    ))
    assert await stale_keys(stl.engine, rotating)  # doctor: not yet rotated
    report = await rotate_keys(stl.engine, rotating)
    s = report.settlement
    assert (s.customers_resealed, s.customers_reindexed) == (2, 2)
    assert s.registry_rows_moved["quota_registry"] == 2 and s.registry_rows_moved["watch_list"] == 1
    assert s.registry_rows_moved["conversion_log"] == len(before["log"]) >= 3
    assert s.registry_rows_moved["evidence_registry"] == len(before["evidence"]) == 2 and s.registry_rows_moved["evidence_claims"] == 2
    assert s.rejects_resealed == 1
    assert await stale_keys(stl.engine, rotating) == []
    again = await rotate_keys(stl.engine, rotating)  # idempotent
    assert (again.settlement.customers_resealed, again.settlement.customers_reindexed, sum(again.settlement.registry_rows_moved.values())) == (0, 0, 0)

    after = await _registry_rows(stl.engine)
    # every key changed, nothing else did
    assert {r[0] for r in after["quota"]} == {rotating.blind_index(P_ID), rotating.blind_index(W_ID)}
    assert rotating.blind_index(P_ID) != old.blind_index(P_ID)
    by_person = lambda rows, ring: {(ring.blind_index(i), *r[1:]) for i in (P_ID, W_ID) for r in rows if r[0] == ring.blind_index(i)}  # noqa: E731
    assert {r[1:] for r in by_person(after["quota"], rotating)} == {r[1:] for r in by_person(before["quota"], old)}
    assert after["watch"] == [rotating.blind_index(W_ID)]
    assert sorted(c for _k, c in after["evidence"]) == sorted(c for _k, c in before["evidence"])
    assert {k for k, _c in after["evidence"]} == {evidence_key("shopx", o, keyring=rotating) for o in orders}
    assert set(after["claims"]) == {k for k, _c in after["evidence"]}

    # the former keys are no longer needed: a process with the new keys only
    new = Keyring(rotating.current, registry=rotating.registry).install()
    stl2 = Settlement(stl.ledger, new, stl.rates)
    stl2.national = stl.national
    assert [c.id for c in await find_customers_by_id_number(stl.engine, new, bank, P_ID)] == [p.id]
    assert (await reveal_personal_data(stl.engine, new, bank, p.id)).id_number == P_ID
    with pytest.raises(DecryptionError):
        await reveal_personal_data(stl.engine, old, bank, p.id)
    async with stl.engine.connect() as conn:
        assert all(not new.needs_rotation(v) for row in await conn.execute(select(customers.c.name_enc, customers.c.id_number_enc)) for v in row)
        raw = (await conn.execute(select(trade_rejects.c.raw))).scalar_one()
    assert is_ciphertext(raw) and not new.needs_rotation(raw)
    assert "NO-SUCH-MERCHANT" in (await list_rejects(stl.engine, bank, keyring=new))[0]["raw"]
    # the quota still counts the USD 30,000 converted before the rotation
    status = await stl2.conversions.quota_status(bank, p.id)
    assert status["directions"]["settle"]["used_usd_minor"] == 3_000_000
    # the evidence consumed before is still consumed: no second exemption
    with pytest.raises(QuotaExceeded) as err:
        await stl2.conversions.convert(bank, conv(p, 2_500_000, "q3", orders=orders))
    assert err.value.details["remaining_usd"] == "20000.00"
    with pytest.raises(QuotaExceeded):
        await stl2.conversions.convert(bank, conv(p, 2_000_001, "q4"))
    assert (await stl2.conversions.convert(bank, conv(p, 2_000_000, "q5")))["quota_usd_minor"] == 2_000_000
    # the watch list still holds the person
    assert (await stl2.conversions.quota_status(bank, w.id))["watch_list_until"] is not None
    with pytest.raises(ReviewRequired):
        await stl2.conversions.convert(bank, conv(w, 100, "s3"))


async def test_rotation_seals_rows_written_in_clear_before_0024(stl, bank, settings):
    """A held line written in clear (before this version) is sealed by the
    rotation; the evidence registry keyed by the plain SHA-256 of before
    is moved to the HMAC."""
    from ledger.clock import utc_now
    from ledger.ids import uuid7

    p = await individual(stl, bank, ref="P1", id_number=P_ID)
    await _fund(stl, bank, p, 10_000_000, "fund-p")
    orders = await matched_orders(stl, bank, p.ref, [1_000_000])
    await stl.conversions.convert(bank, conv(p, 1_000_000, "e1", orders=orders))
    async with stl.engine.begin() as conn:
        hmac_key = evidence_key("shopx", orders[0])
        legacy = legacy_evidence_key("shopx", orders[0])
        for t in (evidence_registry, evidence_claims):
            await conn.execute(t.update().where(t.c.evidence_key == hmac_key).values(evidence_key=legacy))
        await conn.execute(trade_rejects.insert().values(id=uuid7(), institution_id=bank, platform_code="shopx", kind="orders", external_id="X",
                                                         position=0, raw='{"buyer": "Zhuge Quillonbeak"}', reason="legacy", created_at=utc_now()))
    assert await stale_keys(stl.engine, stl.keyring)
    report = await rotate_keys(stl.engine, stl.keyring)  # same keys: only the legacy rows change
    assert report.settlement.rejects_resealed == 1 and report.settlement.registry_rows_moved["evidence_registry"] == 1
    assert report.settlement.customers_resealed == report.settlement.customers_reindexed == 0
    async with stl.engine.connect() as conn:
        raws = [r for (r,) in await conn.execute(select(trade_rejects.c.raw))]
        keys = [k for (k,) in await conn.execute(select(evidence_registry.c.evidence_key))]
    assert all(is_ciphertext(r) and "Quillonbeak" not in r for r in raws) and keys == [hmac_key]
    assert await stale_keys(stl.engine, stl.keyring) == []
    with pytest.raises(QuotaExceeded):  # the evidence stays consumed under its new key
        await stl.conversions.convert(bank, conv(p, 5_000_001, "e2", orders=orders))
