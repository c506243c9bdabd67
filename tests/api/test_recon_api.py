"""Reconciliation over HTTP: statement upload (camt.053, MT940, CSV with a
saved mapping), matching runs, exceptions, maker-checker between two users."""

from __future__ import annotations

import io
from datetime import date
from uuid import uuid4

import pytest

from recon.samples import SampleEntry, write_camt053, write_mt940
from tests.api.conftest import transfer
from tests.recon.test_parsers import CAMT054_BATCH

D = date(2026, 11, 2)
IBAN = "CN0010400000000001234567"


def K() -> dict[str, str]:
    """A fresh Idempotency-Key header (every POST that creates something needs one)."""
    return {"Idempotency-Key": str(uuid4())}


def camt(entries, statement_id="S-1") -> bytes:
    buf = io.BytesIO()
    write_camt053(buf, account=IBAN, currency="USD", entries=entries, statement_id=statement_id)
    return buf.getvalue()


@pytest.fixture
async def recon_setup(client, tenant_a):
    t = tenant_a
    r = await client.post(f"/v1/ledgers/{t.ledger_id}/accounts", json={"code": "bank_charges", "currency": "USD", "type": "expense"}, headers=t.h(**K()))
    assert r.status_code == 201, r.text
    t.accounts["bank_charges"] = r.json()["id"]
    r = await client.post(f"/v1/ledgers/{t.ledger_id}/accounts", json={"code": "recon_suspense", "currency": "USD", "type": "liability"}, headers=t.h(**K()))
    t.accounts["recon_suspense"] = r.json()["id"]
    r = await client.post("/v1/recon/accounts", headers=t.h(**K()), json={
        "bank_account": IBAN, "ledger_account_id": t.accounts["bank"], "fee_account_id": t.accounts["bank_charges"],
        "adjustment_account_id": t.accounts["recon_suspense"], "name": "USD settlement account at BOC Shanghai",
        "matching": {"date_window_days": 3, "charge_tolerance": "30.00", "charge_tolerance_bp": 100},
    })
    assert r.status_code == 201, r.text
    t.recon_account_id = r.json()["id"]
    return t


async def _post(client, t, amount, key, **extra):
    r = await client.post(f"/v1/ledgers/{t.ledger_id}/transactions", json=transfer(t, "bank", "merchant", amount, **extra), headers=t.h(**{"Idempotency-Key": key}))
    assert r.status_code == 201, r.text
    return r.json()


async def test_upload_match_and_exceptions_over_http(client, recon_setup):
    t = recon_setup
    await _post(client, t, "5000.00", "rcpt-1", metadata={"end_to_end_ref": "E2E-77"}, effective_date=D.isoformat())
    await _post(client, t, "250.00", "rcpt-2", effective_date=D.isoformat())
    body = camt([SampleEntry(500_000, D, end_to_end_ref="E2E-77"), SampleEntry(25_000, D), SampleEntry(-1_999, D, description="account fee")])
    r = await client.post("/v1/recon/statements/file?filename=s1.xml", content=body, headers=t.h(**K(), **{"Content-Type": "application/xml"}))
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["lines_imported"] == 3 and out["statements"][0]["duplicate"] is False and out["statements"][0]["format"] == "camt.053"
    # same file again: imported once
    r = await client.post("/v1/recon/statements/file", content=body, headers=t.h(**K(), **{"Content-Type": "application/xml"}))
    assert r.json()["lines_imported"] == 0 and r.json()["statements"][0]["duplicate"] is True
    r = await client.post("/v1/recon/runs", json={}, headers=t.h(**K()))
    assert r.status_code == 200, r.text
    [run] = r.json()["runs"]
    assert run["matches_by_rule"] == {"reference": 1, "amount_date": 1} and run["unmatched_lines"] == 1
    r = await client.get("/v1/recon/exceptions", params={"as_of": "2026-11-12"}, headers=t.as_user("finance"))
    [item] = r.json()["data"]
    assert (item["side"], item["amount"], item["age_days"]) == ("line", "-19.99", 10)
    r = await client.get("/v1/recon/summary", params={"as_of": "2026-11-12"}, headers=t.h())
    assert r.json()["match_rate"] == "66.67"
    r = await client.get("/v1/recon/matches", headers=t.h())
    assert sorted(m["rule"] for m in r.json()["data"]) == ["amount_date", "reference"]


async def test_broken_statement_is_refused_with_position_and_imports_nothing(client, recon_setup):
    t = recon_setup
    body = camt([SampleEntry(100, D)]).replace(b"<Amt Ccy=\"USD\">1.00</Amt>", b"<Amt Ccy=\"USD\">1,00</Amt>")
    r = await client.post("/v1/recon/statements/file", content=body, headers=t.h(**K(), **{"Content-Type": "application/xml"}))
    assert r.status_code == 422, r.text
    problem = r.json()
    assert r.headers["content-type"].startswith("application/problem+json")
    assert problem["type"].endswith("/statement_rejected") and "line" in problem["position"]
    r = await client.get("/v1/recon/statements", headers=t.h())
    assert r.json()["data"] == []


async def test_mt940_and_csv_with_a_saved_mapping(client, recon_setup):
    t = recon_setup
    buf = io.BytesIO()
    write_mt940(buf, account=IBAN, currency="USD", entries=[SampleEntry(12_345, D, end_to_end_ref="REF-1")], statement_id="940-1")
    r = await client.post("/v1/recon/statements/file", content=buf.getvalue(), headers=t.h(**K(), **{"Content-Type": "text/plain"}))
    assert r.status_code == 200, r.text
    assert r.json()["statements"][0]["format"] == "mt940" and r.json()["lines_imported"] == 1
    mapping = {"delimiter": ",", "date_format": "%Y-%m-%d", "columns": {"amount": "Amount", "value_date": "Date", "booking_date": "Date", "end_to_end_ref": "Ref", "description": "Text"},
               "fixed_currency": "USD", "fixed_account": IBAN}
    r = await client.post("/v1/recon/csv-mappings", json={"name": "boc-usd", "mapping": mapping}, headers=t.as_user("finance", **K()))
    assert r.status_code == 200, r.text
    csv_body = b"Date,Amount,Ref,Text\n2026-11-02,100.50,C-1,first\n2026-11-03,-20.00,,second\n"
    r = await client.post("/v1/recon/statements/file?format=csv&csv_mapping=boc-usd&filename=boc.csv", content=csv_body, headers=t.h(**K(), **{"Content-Type": "text/csv"}))
    assert r.status_code == 200, r.text
    assert r.json()["lines_imported"] == 2
    r = await client.post("/v1/recon/statements/file?format=csv&csv_mapping=nope", content=csv_body, headers=t.h(**K(), **{"Content-Type": "text/csv"}))
    assert r.status_code == 404


async def test_maker_checker_over_http(client, recon_setup, tenant_b):
    t = recon_setup
    r = await client.post("/v1/recon/statements/file", content=camt([SampleEntry(8_800, D, description="interest")], "S-ADJ"), headers=t.h(**K(), **{"Content-Type": "application/xml"}))
    assert r.status_code == 200, r.text
    [line] = (await client.get("/v1/recon/exceptions", headers=t.h())).json()["data"]
    # an institution key is not a person: it cannot make proposals
    r = await client.post("/v1/recon/proposals", json={"kind": "adjustment", "line_ids": [line["id"]]}, headers=t.h(**K()))
    assert r.status_code == 403
    r = await client.post("/v1/recon/proposals", json={"kind": "adjustment", "line_ids": [line["id"]], "note": "bank interest"}, headers=t.as_user("finance", **K()))
    assert r.status_code == 201, r.text
    prop = r.json()
    bal = lambda: client.get(f"/v1/accounts/{t.accounts['bank']}/balance", headers=t.h())  # noqa: E731
    before = (await bal()).json()
    # finance cannot approve; the other institution cannot see it
    r = await client.post(f"/v1/recon/proposals/{prop['id']}/approve", headers=t.as_user("finance", **{"Idempotency-Key": "ap-1"}))
    assert r.status_code == 403
    r = await client.post(f"/v1/recon/proposals/{prop['id']}/approve", headers=tenant_b.as_user("approver", **{"Idempotency-Key": "ap-2"}))
    assert r.status_code == 404
    assert (await bal()).json() == before
    # the approver's own proposal: refused
    r = await client.post("/v1/recon/proposals", json={"kind": "adjustment", "adjustment": {"amount": "-1.00", "recon_account_id": t.recon_account_id}}, headers=t.as_user("approver", **K()))
    own = r.json()
    r = await client.post(f"/v1/recon/proposals/{own['id']}/approve", headers=t.as_user("approver", **{"Idempotency-Key": "ap-3"}))
    assert r.status_code == 403 and r.json()["code"] == "four_eyes_same_person"  # the one four-eyes rule (api/sod.py)
    # the approver approves the finance user's proposal: posted once, even when retried
    r = await client.post(f"/v1/recon/proposals/{prop['id']}/approve", headers=t.as_user("approver", **{"Idempotency-Key": "ap-4"}))
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "approved" and r.json()["transaction_id"]
    again = await client.post(f"/v1/recon/proposals/{prop['id']}/approve", headers=t.as_user("approver", **{"Idempotency-Key": "ap-4"}))
    assert again.status_code == 200 and again.content == r.content
    after = (await bal()).json()
    assert after != before
    assert (await client.get("/v1/recon/exceptions", headers=t.h())).json()["data"] == []
    r = await client.get("/v1/recon/proposals", params={"status": "approved"}, headers=t.h())
    assert [p["id"] for p in r.json()["data"]] == [prop["id"]]


async def test_a_csv_without_statement_ids_is_imported_once(client, recon_setup):
    t = recon_setup
    mapping = {"columns": {"amount": "Amount", "value_date": "Date"}, "fixed_currency": "USD", "fixed_account": IBAN}
    assert (await client.post("/v1/recon/csv-mappings", json={"name": "plain", "mapping": mapping}, headers=t.h(**K()))).status_code == 200
    body = b"Date,Amount\n2026-11-02,10.00\n"
    first = await client.post("/v1/recon/statements/file?format=csv&csv_mapping=plain", content=body, headers=t.h(**K(), **{"Content-Type": "text/csv"}))
    again = await client.post("/v1/recon/statements/file?format=csv&csv_mapping=plain", content=body, headers=t.h(**K(), **{"Content-Type": "text/csv"}))
    other = await client.post("/v1/recon/statements/file?format=csv&csv_mapping=plain", content=body + b"2026-11-03,5.00\n", headers=t.h(**K(), **{"Content-Type": "text/csv"}))
    assert [r.json()["lines_imported"] for r in (first, again, other)] == [1, 0, 2]
    assert first.json()["statements"][0]["statement_id"].startswith("sha256:")


# -- batch entries (issue #12, defect 7) -------------------------------------------------------------

RECEIPTS = [("RCPT-2026-001", "12500.00", 1_250_000, "Shop A GmbH"), ("RCPT-2026-002", "7300.55", 730_055, "Shop B Ltd"), ("RCPT-2026-003", "199.45", 19_945, "Shop C")]


def batch(parts, *, statement_id="S-BATCH", total=None) -> bytes:
    """A camt.053 statement with one batched credit of the given parts: (e2e, minor, name)."""
    ps = tuple(SampleEntry(minor, D, end_to_end_ref=ref, counterparty_name=name, description=f"payment {ref}") for ref, minor, name in parts)
    amount = sum(p.amount_minor for p in ps) if total is None else total
    return camt([SampleEntry(amount, D, bank_ref="BOC-BATCH-1", parts=ps)], statement_id)


async def test_a_camt053_batch_of_three_parts_matches_three_receipts_with_the_rule_recorded(client, recon_setup):
    t = recon_setup
    for ref, amount, _minor, _name in RECEIPTS:
        await _post(client, t, amount, f"receipt:{ref}", metadata={"end_to_end_ref": ref}, effective_date=D.isoformat())
    # an unrelated entry of the batch total must not be taken instead
    await _post(client, t, "20000.00", "other-20000", effective_date=D.isoformat())
    r = await client.post("/v1/recon/statements/file?filename=batch.xml", content=batch([(ref, m, n) for ref, _a, m, n in RECEIPTS]),
                          headers=t.h(**K(), **{"Content-Type": "application/xml"}))
    assert r.status_code == 200, r.text
    assert r.json()["lines_imported"] == 1
    statement = (await client.get("/v1/recon/statements", headers=t.h())).json()["data"][0]
    [line] = (await client.get("/v1/recon/lines", params={"statement": statement["id"]}, headers=t.h())).json()["data"]
    assert (line["amount"], line["status"], line["end_to_end_ref"]) == ("20000.00", "open", "RCPT-2026-001")
    assert [(p["end_to_end_ref"], p["amount"], p["counterparty_name"]) for p in line["parts"]] == [(ref, a, n) for ref, a, _m, n in RECEIPTS]
    r = await client.post("/v1/recon/runs", json={}, headers=t.h(**K()))
    [run] = r.json()["runs"]
    assert run["matches_by_rule"] == {"batch_reference": 1} and run["unmatched_lines"] == 0 and run["unmatched_entries"] == 1
    [m] = (await client.get("/v1/recon/matches", headers=t.h())).json()["data"]
    assert m["rule"] == "batch_reference" and m["line_ids"] == [line["id"]] and len(m["entry_ids"]) == 3
    [line] = (await client.get("/v1/recon/lines", params={"statement": statement["id"]}, headers=t.h())).json()["data"]
    assert line["status"] == "matched" and sorted(p["entry_id"] for p in line["parts"]) == m["entry_ids"]
    [left] = (await client.get("/v1/recon/exceptions", headers=t.h())).json()["data"]
    assert (left["side"], left["amount"]) == ("entry", "20000.00")


async def test_a_partial_batch_goes_to_exceptions_with_its_matched_parts(client, recon_setup, tenant_b):
    t = recon_setup
    # only two of the three receipts are in the ledger; the third was booked at 199.54
    for ref, amount, _minor, _name in RECEIPTS[:2]:
        await _post(client, t, amount, f"receipt:{ref}", metadata={"end_to_end_ref": ref}, effective_date=D.isoformat())
    await _post(client, t, "199.54", "receipt:RCPT-2026-003", metadata={"end_to_end_ref": "RCPT-2026-003"}, effective_date=D.isoformat())
    r = await client.post("/v1/recon/statements/file", content=batch([(ref, m, n) for ref, _a, m, n in RECEIPTS]), headers=t.h(**K(), **{"Content-Type": "application/xml"}))
    assert r.status_code == 200, r.text
    [run] = (await client.post("/v1/recon/runs", json={}, headers=t.h(**K()))).json()["runs"]
    assert run["matches_by_rule"] == {} and run["unmatched_lines"] == 1 and run["unmatched_entries"] == 3
    items = (await client.get("/v1/recon/exceptions", headers=t.as_user("finance"))).json()["data"]
    [line] = [i for i in items if i["side"] == "line"]
    entries = {i["reference"]: i["id"] for i in items if i["side"] == "entry"}
    assert line["amount"] == "20000.00" and line["parts_add_up"] is True
    assert [(p["end_to_end_ref"], p["amount"], p["entry_id"]) for p in line["parts"]] == [
        ("RCPT-2026-001", "12500.00", entries["RCPT-2026-001"]), ("RCPT-2026-002", "7300.55", entries["RCPT-2026-002"]), ("RCPT-2026-003", "199.45", None)]
    # nothing was matched; the other institution sees none of it
    assert (await client.get("/v1/recon/matches", headers=t.h())).json()["data"] == []
    assert (await client.get("/v1/recon/lines", headers=tenant_b.h())).json()["data"] == []


async def test_a_batch_whose_parts_do_not_add_up_is_matched_as_one_line(client, recon_setup):
    t = recon_setup
    for ref, amount, _minor, _name in RECEIPTS:
        await _post(client, t, amount, f"receipt:{ref}", metadata={"end_to_end_ref": ref}, effective_date=D.isoformat())
    # the bank books 20,000.01 but its parts say 20,000.00: the batch is one line, its parts are shown, not used
    r = await client.post("/v1/recon/statements/file", content=batch([(ref, m, n) for ref, _a, m, n in RECEIPTS], total=2_000_001),
                          headers=t.h(**K(), **{"Content-Type": "application/xml"}))
    assert r.status_code == 200, r.text
    [run] = (await client.post("/v1/recon/runs", json={}, headers=t.h(**K()))).json()["runs"]
    assert "batch_reference" not in run["matches_by_rule"] and run["unmatched_lines"] == 1
    [line] = (await client.get("/v1/recon/exceptions", params={"side": "line"}, headers=t.h())).json()["data"]
    assert line["parts_add_up"] is False and len(line["parts"]) == 3


async def test_a_camt054_batch_notification_matches_part_by_part_on_other_references(client, recon_setup):
    """Part 1 carries the receipt's end-to-end id; part 2 only a TxId and a
    structured creditor reference, which the ledger entry carries."""
    t = recon_setup
    await _post(client, t, "1000.00", "receipt:RCPT-001", metadata={"end_to_end_ref": "RCPT-001"}, effective_date=D.isoformat())
    await _post(client, t, "2000.00", "receipt:X-77", metadata={"reference": "RF18539007547034"}, effective_date=D.isoformat())
    body = CAMT054_BATCH.encode()
    r = await client.post("/v1/recon/statements/file", content=body, headers=t.h(**K(), **{"Content-Type": "application/xml"}))
    assert r.status_code == 200, r.text
    assert r.json()["statements"][0]["format"] == "camt.054" and r.json()["lines_imported"] == 1
    [run] = (await client.post("/v1/recon/runs", json={}, headers=t.h(**K()))).json()["runs"]
    assert run["matches_by_rule"] == {"batch_reference": 1}
    [line] = (await client.get("/v1/recon/lines", params={"status": "matched"}, headers=t.h())).json()["data"]
    assert [(p["amount"], p["tx_id"], p["entry_id"] is not None) for p in line["parts"]] == [("1000.00", "TX-1", True), ("2000.00", "TX-2", True)]


# -- the #13 contract: one list shape, strict input, idempotent creation --------------------------------


async def walk(client, url: str, headers: dict, *, limit: int | None = None, params: dict | None = None, key: str = "id") -> list:
    """Every row of a paged list, page by page (asserting the page shape)."""
    seen: list = []
    cursor = None
    for _ in range(1000):
        q = dict(params or {})
        if limit is not None:
            q["limit"] = limit
        if cursor is not None:
            q["cursor"] = cursor
        r = await client.get(url, params=q, headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        assert set(body) == {"data", "has_more", "next_cursor"}, body
        if limit is not None:
            assert len(body["data"]) <= limit
        seen.extend(x[key] for x in body["data"])
        if not body["has_more"]:
            assert body["next_cursor"] is None
            return seen
        cursor = body["next_cursor"]
    raise AssertionError("the list does not end")


async def assert_walks(client, url: str, headers: dict, expected: int, *, params: dict | None = None, key: str = "id") -> list:
    """limit=1, limit=2 and the default give every row exactly once, in the
    same order; a cursor that is not one (or of another list) is 422."""
    full = await walk(client, url, headers, params=params, key=key)
    assert len(full) == expected and len(set(full)) == expected, (url, full)
    for limit in (1, 2):
        assert await walk(client, url, headers, limit=limit, params=params, key=key) == full, (url, limit)
    for bad in ("not-a-cursor", "eyJsIjoib3RoZXIiLCJrIjpbIngiXX0"):  # the second: a cursor of another list
        r = await client.get(url, params={**(params or {}), "cursor": bad}, headers=headers)
        assert r.status_code == 422 and r.json()["code"] == "invalid_cursor", (url, r.text)
    return full


async def _recon_account(client, t, code: str, bank_account: str, currency: str = "USD", **extra):
    r = await client.post(f"/v1/ledgers/{t.ledger_id}/accounts", json={"code": code, "currency": currency, "type": "asset"}, headers=t.h(**K()))
    assert r.status_code == 201, r.text
    r = await client.post("/v1/recon/accounts", json={"bank_account": bank_account, "ledger_account_id": r.json()["id"], **extra}, headers=t.h(**K()))
    assert r.status_code == 201, r.text
    return r.json()


async def test_every_recon_list_walks_page_by_page(client, recon_setup, tenant_b):
    t = recon_setup
    for i in range(4):
        await _recon_account(client, t, f"bank-{i}", f"CN00999{i}")
    await assert_walks(client, "/v1/recon/accounts", t.h(), 5)
    for i in range(5):
        r = await client.post("/v1/recon/csv-mappings", json={"name": f"map-{i}", "mapping": {"columns": {"amount": "A", "value_date": "D"}, "fixed_currency": "USD", "fixed_account": IBAN}}, headers=t.h(**K()))
        assert r.status_code == 200, r.text
    assert await assert_walks(client, "/v1/recon/csv-mappings", t.h(), 5, key="name") == [f"map-{i}" for i in range(5)]
    for i in range(5):
        await _post(client, t, f"10{i}.00", f"walk-{i}", metadata={"end_to_end_ref": f"R-{i}"}, effective_date=D.isoformat())
    lines = [SampleEntry(10_000 + 100 * i, D, end_to_end_ref=f"R-{i}") for i in range(5)] + [SampleEntry(700 + i, D, description=f"open {i}") for i in range(5)]
    r = await client.post("/v1/recon/statements/file", content=camt(lines, "S-A"), headers=t.h(**K(), **{"Content-Type": "application/xml"}))
    assert r.status_code == 200 and r.json()["lines_imported"] == 10, r.text
    for i in range(4):
        r = await client.post("/v1/recon/statements/file", content=camt([SampleEntry(300 + i, D)], f"S-{i}"), headers=t.h(**K(), **{"Content-Type": "application/xml"}))
        assert r.status_code == 200, r.text
    statements = await assert_walks(client, "/v1/recon/statements", t.h(), 5)
    s_a = statements[-1]  # newest first: S-A was imported first
    await assert_walks(client, "/v1/recon/lines", t.h(), 14)
    await assert_walks(client, "/v1/recon/lines", t.h(), 10, params={"statement": s_a})
    # a statement that is not the caller's (or none) is 404, not an empty list
    for who, statement in ((tenant_b, s_a), (t, "0193a5b0-7c1e-7d2a-9f3b-2c4d5e6f7a8b")):
        r = await client.get("/v1/recon/lines", params={"statement": statement}, headers=who.h())
        assert r.status_code == 404, r.text
    r = await client.get("/v1/recon/lines", params={"recon_account_id": t.recon_account_id}, headers=tenant_b.h())
    assert r.status_code == 404, r.text
    [run] = (await client.post("/v1/recon/runs", json={"recon_account_id": t.recon_account_id}, headers=t.h(**K()))).json()["runs"]
    assert run["matches_by_rule"] == {"reference": 5}
    matches = await assert_walks(client, "/v1/recon/matches", t.h(), 5)
    assert matches == sorted(matches, reverse=True)  # newest first
    m = (await client.get("/v1/recon/matches", params={"limit": 1}, headers=t.h())).json()["data"][0]
    assert (m["difference"], m["currency"]) == ("0.00", "USD") and "difference_minor" not in m
    exceptions = await assert_walks(client, "/v1/recon/exceptions", t.h(), 9, params={"as_of": "2026-11-12"})
    open_lines = [x for x in exceptions]
    for i, line_id in enumerate(open_lines[:5]):
        r = await client.post("/v1/recon/proposals", json={"kind": "adjustment", "line_ids": [line_id], "note": f"walk {i}"}, headers=t.as_user("finance", **K()))
        assert r.status_code == 201, r.text
    await assert_walks(client, "/v1/recon/proposals", t.h(), 5)
    await assert_walks(client, "/v1/recon/exceptions", t.h(), 4)


async def test_recon_money_is_decimal_strings_in_every_answer(client, recon_setup):
    t = recon_setup
    r = await client.get("/v1/recon/accounts", headers=t.h())
    [acct] = r.json()["data"]
    assert acct["matching"]["charge_tolerance"] == "30.00" and acct["currency"] == "USD"
    body = camt([SampleEntry(123_456, D, end_to_end_ref="E2E-1"), SampleEntry(-1_999, D)], "S-M")
    r = await client.post("/v1/recon/statements/file", content=body, headers=t.h(**K(), **{"Content-Type": "application/xml"}))
    assert r.status_code == 200, r.text
    [stmt] = (await client.get("/v1/recon/statements", headers=t.h())).json()["data"]
    assert (stmt["credits"], stmt["debits"], stmt["currency"]) == ("1234.56", "19.99", "USD")
    lines = (await client.get("/v1/recon/lines", headers=t.h())).json()["data"]
    assert [(x["amount"], x["currency"]) for x in lines] == [("1234.56", "USD"), ("-19.99", "USD")]
    items = (await client.get("/v1/recon/exceptions", headers=t.h())).json()["data"]
    [fee] = [i for i in items if i["amount"] == "-19.99"]
    r = await client.post("/v1/recon/proposals", json={"kind": "adjustment", "line_ids": [fee["id"]], "adjustment": {"amount": "-19.99", "value_date": "2026-11-02"}},
                          headers=t.as_user("finance", **K()))
    assert r.status_code == 201, r.text
    prop = r.json()
    assert prop["currency"] == "USD" and prop["payload"]["adjustment"]["amount"] == "-19.99"
    line = next(i for i in items if i["amount"] == "1234.56")
    r = await client.post("/v1/recon/proposals", json={"kind": "split", "line_ids": [line["id"]], "parts": [{"amount": "1000.00"}, {"amount": "234.56"}]},
                          headers=t.as_user("finance", **K()))
    assert r.status_code == 201, r.text
    assert r.json()["payload"]["parts"] == [{"amount": "1000.00"}, {"amount": "234.56"}]
    audit = await client.get("/v1/audit-log", params={"object_id": r.json()["id"]}, headers=t.h())
    assert audit.status_code == 200 and '"1000.00"' in audit.text and "_minor" not in audit.text, audit.text
    for path in ("/v1/recon/accounts", "/v1/recon/statements", "/v1/recon/lines", "/v1/recon/exceptions", "/v1/recon/matches", "/v1/recon/proposals",
                 "/v1/recon/summary"):
        text = (await client.get(path, headers=t.h())).text
        assert "_minor" not in text, (path, text)


async def test_recon_input_is_strict_and_a_refusal_writes_nothing(client, recon_setup):
    t = recon_setup
    r = await client.post(f"/v1/ledgers/{t.ledger_id}/accounts", json={"code": "bank-2", "currency": "USD", "type": "asset"}, headers=t.h(**K()))
    ledger_account = r.json()["id"]
    good = {"bank_account": "CN0099", "ledger_account_id": ledger_account}
    refused = [
        {"start_date": 0}, {"start_date": "0"}, {"start_date": 1}, {"start_date": "2026-1-1"}, {"start_date": "2026-11-01T00:00:00Z"},
        {"matching": {"date_window_days": "3"}}, {"matching": {"date_window_days": True}}, {"matching": {"date_window_days": 3.5}},
        {"matching": {"charge_tolerance": "30.000"}}, {"matching": {"charge_tolerance": 30}}, {"matching": {"charge_tolerance": "1e3"}},
        {"matching": {"charge_tolerance": "-1.00"}}, {"matching": {"charge_tolerance": "99999999999999999"}}, {"unknown": 1},
    ]
    for extra in refused:
        r = await client.post("/v1/recon/accounts", json={**good, **extra}, headers=t.h(**K()))
        assert r.status_code == 422, (extra, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    r = await client.post("/v1/recon/accounts", json={**good, "matching": {"charge_tolerance": "99999999999999999"}}, headers=t.h(**K()))
    assert r.json()["code"] == "amount_out_of_range", r.text
    r = await client.post("/v1/recon/accounts", json={**good, "matching": {"charge_tolerance": "30.000"}}, headers=t.h(**K()))
    assert "matching.charge_tolerance" in r.text
    # JPY has no decimals: "100.0" is refused, "100" accepted
    r = await client.post(f"/v1/ledgers/{t.ledger_id}/accounts", json={"code": "bank-jpy-2", "currency": "JPY", "type": "asset"}, headers=t.h(**K()))
    jpy = {"bank_account": "JP0099", "ledger_account_id": r.json()["id"]}
    r = await client.post("/v1/recon/accounts", json={**jpy, "matching": {"charge_tolerance": "100.0"}}, headers=t.h(**K()))
    assert r.status_code == 422, r.text
    assert len((await client.get("/v1/recon/accounts", headers=t.h())).json()["data"]) == 1
    r = await client.post("/v1/recon/accounts", json={**jpy, "matching": {"charge_tolerance": "100"}}, headers=t.h(**K()))
    assert r.status_code == 201 and r.json()["matching"]["charge_tolerance"] == "100", r.text
    for params in ({"as_of": 0}, {"as_of": "0"}, {"as_of": "1"}, {"as_of": "2026-11-12T00:00:00Z"}, {"limit": 0}, {"limit": 1001}, {"limit": "1.5"}):
        for path in ("/v1/recon/exceptions", "/v1/recon/summary") if "as_of" in params else ("/v1/recon/exceptions", "/v1/recon/lines"):
            r = await client.get(path, params=params, headers=t.h())
            assert r.status_code == 422, (path, params, r.text)
    # proposals: over-precise, out-of-range or non-string amounts, a date of 0: refused, nothing proposed
    body = camt([SampleEntry(10_000, D)], "S-X")
    await client.post("/v1/recon/statements/file", content=body, headers=t.h(**K(), **{"Content-Type": "application/xml"}))
    [line] = (await client.get("/v1/recon/exceptions", params={"side": "line"}, headers=t.h())).json()["data"]
    bad_proposals = [
        {"kind": "split", "line_ids": [line["id"]], "parts": [{"amount": "50.005"}, {"amount": "49.995"}]},
        {"kind": "split", "line_ids": [line["id"]], "parts": [{"amount": 5000}, {"amount": 5000}]},
        {"kind": "split", "line_ids": [line["id"]], "parts": [{"amount": "-50.00"}, {"amount": "150.00"}]},
        {"kind": "adjustment", "line_ids": [line["id"]], "adjustment": {"amount": "100.001"}},
        {"kind": "adjustment", "line_ids": [line["id"]], "adjustment": {"amount": "999999999999999999"}},
        {"kind": "adjustment", "line_ids": [line["id"]], "adjustment": {"value_date": 0}},
        {"kind": "adjustment", "line_ids": [line["id"]], "adjustment": {"value_date": "0"}},
        {"kind": "adjustment", "line_ids": [line["id"]], "adjustment": {"amount_minor": 10000}},
        {"kind": "adjustment", "line_ids": ["0193a5b0-7c1e-7d2a-9f3b-2c4d5e6f7a8b"]},
    ]
    for bad in bad_proposals:
        r = await client.post("/v1/recon/proposals", json=bad, headers=t.as_user("finance", **K()))
        assert r.status_code in (404, 422), (bad, r.text)
    assert (await client.get("/v1/recon/proposals", headers=t.h())).json()["data"] == []
    r = await client.post("/v1/recon/proposals", json=bad_proposals[4], headers=t.as_user("finance", **K()))
    assert r.json()["code"] == "amount_out_of_range", r.text


async def test_creating_posts_need_an_idempotency_key_and_replay_byte_for_byte(client, recon_setup):
    t = recon_setup
    r = await client.post(f"/v1/ledgers/{t.ledger_id}/accounts", json={"code": "bank-3", "currency": "USD", "type": "asset"}, headers=t.h(**K()))
    body = {"bank_account": "CN0077", "ledger_account_id": r.json()["id"], "matching": {"charge_tolerance": "5.00"}}
    r = await client.post("/v1/recon/accounts", json=body, headers=t.h())
    assert r.status_code == 400 and r.json()["code"] == "idempotency_key_missing", r.text
    first = await client.post("/v1/recon/accounts", json=body, headers=t.h(**{"Idempotency-Key": "acct-1"}))
    again = await client.post("/v1/recon/accounts", json=body, headers=t.h(**{"Idempotency-Key": "acct-1"}))
    assert first.status_code == again.status_code == 201 and again.content == first.content and again.headers["idempotent-replayed"] == "true"
    other = await client.post("/v1/recon/accounts", json={**body, "name": "other"}, headers=t.h(**{"Idempotency-Key": "acct-1"}))
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert len((await client.get("/v1/recon/accounts", headers=t.h())).json()["data"]) == 2
    # a statement import, a matching run, a CSV mapping and a proposal: the same
    payload = camt([SampleEntry(4_200, D)], "S-I")
    h = t.h(**{"Idempotency-Key": "imp-1", "Content-Type": "application/xml"})
    assert (await client.post("/v1/recon/statements/file", content=payload, headers=t.h(**{"Content-Type": "application/xml"}))).status_code == 400
    first, again = [await client.post("/v1/recon/statements/file", content=payload, headers=h) for _ in range(2)]
    assert first.status_code == 200 and again.content == first.content and first.json()["lines_imported"] == 1
    r = await client.post("/v1/recon/statements/file", content=camt([SampleEntry(4_300, D)], "S-J"), headers=h)
    assert r.status_code == 422 and r.json()["code"] == "idempotency_key_reused"
    assert len((await client.get("/v1/recon/lines", headers=t.h())).json()["data"]) == 1
    assert (await client.post("/v1/recon/runs", json={}, headers=t.h())).status_code == 400
    first, again = [await client.post("/v1/recon/runs", json={}, headers=t.h(**{"Idempotency-Key": "run-1"})) for _ in range(2)]
    assert first.status_code == 200 and again.content == first.content
    mapping = {"name": "m", "mapping": {"columns": {"amount": "A", "value_date": "D"}, "fixed_currency": "USD", "fixed_account": IBAN}}
    assert (await client.post("/v1/recon/csv-mappings", json=mapping, headers=t.h())).status_code == 400
    [line] = (await client.get("/v1/recon/exceptions", params={"side": "line"}, headers=t.h())).json()["data"]
    proposal = {"kind": "adjustment", "line_ids": [line["id"]]}
    assert (await client.post("/v1/recon/proposals", json=proposal, headers=t.as_user("finance"))).status_code == 400
    first, again = [await client.post("/v1/recon/proposals", json=proposal, headers=t.as_user("finance", **{"Idempotency-Key": "p-1"})) for _ in range(2)]
    assert first.status_code == 201 and again.content == first.content
    assert len((await client.get("/v1/recon/proposals", headers=t.h())).json()["data"]) == 1


async def test_a_multipart_upload_is_idempotent_too(client, recon_setup):
    t = recon_setup
    # a retry sends the same bytes (the same multipart boundary)
    xml = camt([SampleEntry(5_100, D), SampleEntry(5_200, D)], "S-MP")
    form = (b'--XB\r\nContent-Disposition: form-data; name="file"; filename="s-mp.xml"\r\nContent-Type: application/xml\r\n\r\n' + xml + b"\r\n--XB--\r\n")
    h = t.h(**{"Idempotency-Key": "mp-1", "Content-Type": "multipart/form-data; boundary=XB"})
    first = await client.post("/v1/recon/statements/file", content=form, headers=h)
    again = await client.post("/v1/recon/statements/file", content=form, headers=h)
    assert first.status_code == 200 and first.json()["lines_imported"] == 2 and first.json()["filename"] == "s-mp.xml", first.text
    assert again.status_code == 200 and again.headers["idempotent-replayed"] == "true" and again.json() == first.json()
    assert len((await client.get("/v1/recon/lines", headers=t.h())).json()["data"]) == 2


async def test_a_chunked_upload_over_the_cap_is_refused_before_it_is_read_whole(client, recon_setup, monkeypatch):
    """No Content-Length (chunked): the idempotent upload reads the stream
    chunk by chunk and answers 413 as soon as the cap is passed; nothing is
    imported and the key is not spent."""
    from api.routers import recon as recon_routes

    t = recon_setup
    monkeypatch.setattr(recon_routes, "MAX_STATEMENT_BYTES", 1_000)
    sent = []

    async def chunks():
        for i in range(50):
            sent.append(i)
            yield b"x" * 100

    r = await client.post("/v1/recon/statements/file", content=chunks(), headers=t.h(**{"Idempotency-Key": "big-1", "Content-Type": "application/xml"}))
    assert r.status_code == 413, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "payload_too_large" and r.json()["limit"] == 1_000
    assert len(sent) < 50  # refused while the client was still sending
    assert (await client.get("/v1/recon/statements", headers=t.h())).json()["data"] == []
    assert (await client.get("/v1/recon/lines", headers=t.h())).json()["data"] == []
    # the key was not claimed: a file within the cap is imported under it
    monkeypatch.setattr(recon_routes, "MAX_STATEMENT_BYTES", 1_000_000)
    ok = await client.post("/v1/recon/statements/file", content=camt([SampleEntry(6_100, D)], "S-SMALL"), headers=t.h(**{"Idempotency-Key": "big-1", "Content-Type": "application/xml"}))
    assert ok.status_code == 200 and ok.json()["lines_imported"] == 1, ok.text


async def test_counterparty_names_accounts_and_free_text_are_sealed_at_rest_and_shown_to_staff(app, client, recon_setup, engine):
    """A statement's counterparty name, account and free text (MT940 :86:
    carries the ordering party) are encrypted in recon_lines and
    recon_line_parts; GET /v1/recon/lines shows them to the staff in clear."""
    from sqlalchemy import select

    from ledger.crypto import is_ciphertext
    from recon.tables import recon_line_parts, recon_lines

    t = recon_setup
    name, account = "Wilhelmina Quaxley-Oyelaran", "DE89370400440532013000"
    part = SampleEntry(5_000, D, end_to_end_ref="P-1", counterparty_name=name, counterparty_account=account, description="invoice 1")
    body = camt([SampleEntry(7_000, D, counterparty_name=name, counterparty_account=account, description=f"goods for {name}"),
                 SampleEntry(8_000, D, parts=(part, SampleEntry(3_000, D, end_to_end_ref="P-2", description="invoice 2")))], "S-PII")
    r = await client.post("/v1/recon/statements/file", content=body, headers=t.h(**K(), **{"Content-Type": "application/xml"}))
    assert r.status_code == 200 and r.json()["lines_imported"] == 2, r.text
    buf = io.BytesIO()
    write_mt940(buf, account=IBAN, currency="USD", entries=[SampleEntry(1_234, D, end_to_end_ref="REF-9", counterparty_name=name, description="salary")], statement_id="940-PII")
    r = await client.post("/v1/recon/statements/file", content=buf.getvalue(), headers=t.h(**K(), **{"Content-Type": "text/plain"}))
    assert r.status_code == 200 and r.json()["lines_imported"] == 1, r.text
    async with engine.connect() as conn:
        stored = [tuple(row) for table in (recon_lines, recon_line_parts)
                  for row in await conn.execute(select(table.c.counterparty_name, table.c.counterparty_account, table.c.description))]
    assert len(stored) == 5  # three lines, two parts
    flat = [v for row in stored for v in row if v is not None]
    assert all(is_ciphertext(v) for v in flat) and not any(name.lower() in v.lower() or account in v for v in flat)
    for who in (t.h(), t.as_user("finance")):
        lines = (await client.get("/v1/recon/lines", headers=who)).json()["data"]
        by_amount = {x["amount"]: x for x in lines}
        assert (by_amount["70.00"]["counterparty_name"], by_amount["70.00"]["counterparty_account"], by_amount["70.00"]["description"]) == (name, account, f"goods for {name}")
        assert [(p["counterparty_name"], p["counterparty_account"], p["description"]) for p in by_amount["80.00"]["parts"]] == [
            (name, account, "invoice 1"), (None, None, "invoice 2")]
        assert name in by_amount["12.34"]["description"]  # MT940: the ordering party in :86:
    r = await client.get("/v1/recon/exceptions", params={"as_of": "2026-11-12"}, headers=t.as_user("finance"))
    assert f"goods for {name}" in [x["description"] for x in r.json()["data"]]
