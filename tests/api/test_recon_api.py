"""Reconciliation over HTTP: statement upload (camt.053, MT940, CSV with a
saved mapping), matching runs, exceptions, maker-checker between two users."""

from __future__ import annotations

import io
from datetime import date

import pytest

from recon.samples import SampleEntry, write_camt053, write_mt940
from tests.api.conftest import transfer
from tests.recon.test_parsers import CAMT054_BATCH

D = date(2026, 11, 2)
IBAN = "CN0010400000000001234567"


def camt(entries, statement_id="S-1") -> bytes:
    buf = io.BytesIO()
    write_camt053(buf, account=IBAN, currency="USD", entries=entries, statement_id=statement_id)
    return buf.getvalue()


@pytest.fixture
async def recon_setup(client, tenant_a):
    t = tenant_a
    r = await client.post(f"/v1/ledgers/{t.ledger_id}/accounts", json={"code": "bank_charges", "currency": "USD", "type": "expense"}, headers=t.h(**{"Idempotency-Key": "acct-bank-charges"}))
    assert r.status_code == 201, r.text
    t.accounts["bank_charges"] = r.json()["id"]
    r = await client.post(f"/v1/ledgers/{t.ledger_id}/accounts", json={"code": "recon_suspense", "currency": "USD", "type": "liability"}, headers=t.h(**{"Idempotency-Key": "acct-recon-suspense"}))
    t.accounts["recon_suspense"] = r.json()["id"]
    r = await client.post("/v1/recon/accounts", headers=t.h(), json={
        "bank_account": IBAN, "ledger_account_id": t.accounts["bank"], "fee_account_id": t.accounts["bank_charges"],
        "adjustment_account_id": t.accounts["recon_suspense"], "name": "USD settlement account at BOC Shanghai",
        "matching": {"date_window_days": 3, "charge_tolerance_minor": 3000, "charge_tolerance_bp": 100},
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
    r = await client.post("/v1/recon/statements/file?filename=s1.xml", content=body, headers=t.h(**{"Content-Type": "application/xml"}))
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["lines_imported"] == 3 and out["statements"][0]["duplicate"] is False and out["statements"][0]["format"] == "camt.053"
    # same file again: imported once
    r = await client.post("/v1/recon/statements/file", content=body, headers=t.h(**{"Content-Type": "application/xml"}))
    assert r.json()["lines_imported"] == 0 and r.json()["statements"][0]["duplicate"] is True
    r = await client.post("/v1/recon/runs", json={}, headers=t.h())
    assert r.status_code == 200, r.text
    [run] = r.json()["items"]
    assert run["matches_by_rule"] == {"reference": 1, "amount_date": 1} and run["unmatched_lines"] == 1
    r = await client.get("/v1/recon/exceptions", params={"as_of": "2026-11-12"}, headers=t.as_user("finance"))
    [item] = r.json()["items"]
    assert (item["side"], item["amount"], item["age_days"]) == ("line", "-19.99", 10)
    r = await client.get("/v1/recon/summary", params={"as_of": "2026-11-12"}, headers=t.h())
    assert r.json()["match_rate"] == "66.67"
    r = await client.get("/v1/recon/matches", headers=t.h())
    assert sorted(m["rule"] for m in r.json()["items"]) == ["amount_date", "reference"]


async def test_broken_statement_is_refused_with_position_and_imports_nothing(client, recon_setup):
    t = recon_setup
    body = camt([SampleEntry(100, D)]).replace(b"<Amt Ccy=\"USD\">1.00</Amt>", b"<Amt Ccy=\"USD\">1,00</Amt>")
    r = await client.post("/v1/recon/statements/file", content=body, headers=t.h(**{"Content-Type": "application/xml"}))
    assert r.status_code == 422, r.text
    problem = r.json()
    assert r.headers["content-type"].startswith("application/problem+json")
    assert problem["type"].endswith("/statement_rejected") and "line" in problem["position"]
    r = await client.get("/v1/recon/statements", headers=t.h())
    assert r.json()["items"] == []


async def test_mt940_and_csv_with_a_saved_mapping(client, recon_setup):
    t = recon_setup
    buf = io.BytesIO()
    write_mt940(buf, account=IBAN, currency="USD", entries=[SampleEntry(12_345, D, end_to_end_ref="REF-1")], statement_id="940-1")
    r = await client.post("/v1/recon/statements/file", content=buf.getvalue(), headers=t.h(**{"Content-Type": "text/plain"}))
    assert r.status_code == 200, r.text
    assert r.json()["statements"][0]["format"] == "mt940" and r.json()["lines_imported"] == 1
    mapping = {"delimiter": ",", "date_format": "%Y-%m-%d", "columns": {"amount": "Amount", "value_date": "Date", "booking_date": "Date", "end_to_end_ref": "Ref", "description": "Text"},
               "fixed_currency": "USD", "fixed_account": IBAN}
    r = await client.post("/v1/recon/csv-mappings", json={"name": "boc-usd", "mapping": mapping}, headers=t.as_user("finance"))
    assert r.status_code == 200, r.text
    csv_body = b"Date,Amount,Ref,Text\n2026-11-02,100.50,C-1,first\n2026-11-03,-20.00,,second\n"
    r = await client.post("/v1/recon/statements/file?format=csv&csv_mapping=boc-usd&filename=boc.csv", content=csv_body, headers=t.h(**{"Content-Type": "text/csv"}))
    assert r.status_code == 200, r.text
    assert r.json()["lines_imported"] == 2
    r = await client.post("/v1/recon/statements/file?format=csv&csv_mapping=nope", content=csv_body, headers=t.h(**{"Content-Type": "text/csv"}))
    assert r.status_code == 404


async def test_maker_checker_over_http(client, recon_setup, tenant_b):
    t = recon_setup
    r = await client.post("/v1/recon/statements/file", content=camt([SampleEntry(8_800, D, description="interest")], "S-ADJ"), headers=t.h(**{"Content-Type": "application/xml"}))
    assert r.status_code == 200, r.text
    [line] = (await client.get("/v1/recon/exceptions", headers=t.h())).json()["items"]
    # an institution key is not a person: it cannot make proposals
    r = await client.post("/v1/recon/proposals", json={"kind": "adjustment", "line_ids": [line["id"]]}, headers=t.h())
    assert r.status_code == 403
    r = await client.post("/v1/recon/proposals", json={"kind": "adjustment", "line_ids": [line["id"]], "note": "bank interest"}, headers=t.as_user("finance"))
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
    r = await client.post("/v1/recon/proposals", json={"kind": "adjustment", "adjustment": {"amount_minor": -100, "recon_account_id": t.recon_account_id}}, headers=t.as_user("approver"))
    own = r.json()
    r = await client.post(f"/v1/recon/proposals/{own['id']}/approve", headers=t.as_user("approver", **{"Idempotency-Key": "ap-3"}))
    assert r.status_code == 403 and r.json()["type"].endswith("/self_approval_refused")
    # the approver approves the finance user's proposal: posted once, even when retried
    r = await client.post(f"/v1/recon/proposals/{prop['id']}/approve", headers=t.as_user("approver", **{"Idempotency-Key": "ap-4"}))
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "approved" and r.json()["transaction_id"]
    again = await client.post(f"/v1/recon/proposals/{prop['id']}/approve", headers=t.as_user("approver", **{"Idempotency-Key": "ap-4"}))
    assert again.status_code == 200 and again.content == r.content
    after = (await bal()).json()
    assert after != before
    assert (await client.get("/v1/recon/exceptions", headers=t.h())).json()["items"] == []
    r = await client.get("/v1/recon/proposals", params={"status": "approved"}, headers=t.h())
    assert [p["id"] for p in r.json()["items"]] == [prop["id"]]


async def test_a_csv_without_statement_ids_is_imported_once(client, recon_setup):
    t = recon_setup
    mapping = {"columns": {"amount": "Amount", "value_date": "Date"}, "fixed_currency": "USD", "fixed_account": IBAN}
    assert (await client.post("/v1/recon/csv-mappings", json={"name": "plain", "mapping": mapping}, headers=t.h())).status_code == 200
    body = b"Date,Amount\n2026-11-02,10.00\n"
    first = await client.post("/v1/recon/statements/file?format=csv&csv_mapping=plain", content=body, headers=t.h(**{"Content-Type": "text/csv"}))
    again = await client.post("/v1/recon/statements/file?format=csv&csv_mapping=plain", content=body, headers=t.h(**{"Content-Type": "text/csv"}))
    other = await client.post("/v1/recon/statements/file?format=csv&csv_mapping=plain", content=body + b"2026-11-03,5.00\n", headers=t.h(**{"Content-Type": "text/csv"}))
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
                          headers=t.h(**{"Content-Type": "application/xml"}))
    assert r.status_code == 200, r.text
    assert r.json()["lines_imported"] == 1
    statement = (await client.get("/v1/recon/statements", headers=t.h())).json()["items"][0]
    [line] = (await client.get("/v1/recon/lines", params={"statement": statement["id"]}, headers=t.h())).json()["items"]
    assert (line["amount"], line["status"], line["end_to_end_ref"]) == ("20000.00", "open", "RCPT-2026-001")
    assert [(p["end_to_end_ref"], p["amount"], p["counterparty_name"]) for p in line["parts"]] == [(ref, a, n) for ref, a, _m, n in RECEIPTS]
    r = await client.post("/v1/recon/runs", json={}, headers=t.h())
    [run] = r.json()["items"]
    assert run["matches_by_rule"] == {"batch_reference": 1} and run["unmatched_lines"] == 0 and run["unmatched_entries"] == 1
    [m] = (await client.get("/v1/recon/matches", headers=t.h())).json()["items"]
    assert m["rule"] == "batch_reference" and m["line_ids"] == [line["id"]] and len(m["entry_ids"]) == 3
    [line] = (await client.get("/v1/recon/lines", params={"statement": statement["id"]}, headers=t.h())).json()["items"]
    assert line["status"] == "matched" and sorted(p["entry_id"] for p in line["parts"]) == m["entry_ids"]
    [left] = (await client.get("/v1/recon/exceptions", headers=t.h())).json()["items"]
    assert (left["side"], left["amount"]) == ("entry", "20000.00")


async def test_a_partial_batch_goes_to_exceptions_with_its_matched_parts(client, recon_setup, tenant_b):
    t = recon_setup
    # only two of the three receipts are in the ledger; the third was booked at 199.54
    for ref, amount, _minor, _name in RECEIPTS[:2]:
        await _post(client, t, amount, f"receipt:{ref}", metadata={"end_to_end_ref": ref}, effective_date=D.isoformat())
    await _post(client, t, "199.54", "receipt:RCPT-2026-003", metadata={"end_to_end_ref": "RCPT-2026-003"}, effective_date=D.isoformat())
    r = await client.post("/v1/recon/statements/file", content=batch([(ref, m, n) for ref, _a, m, n in RECEIPTS]), headers=t.h(**{"Content-Type": "application/xml"}))
    assert r.status_code == 200, r.text
    [run] = (await client.post("/v1/recon/runs", json={}, headers=t.h())).json()["items"]
    assert run["matches_by_rule"] == {} and run["unmatched_lines"] == 1 and run["unmatched_entries"] == 3
    items = (await client.get("/v1/recon/exceptions", headers=t.as_user("finance"))).json()["items"]
    [line] = [i for i in items if i["side"] == "line"]
    entries = {i["reference"]: i["id"] for i in items if i["side"] == "entry"}
    assert line["amount"] == "20000.00" and line["parts_add_up"] is True
    assert [(p["end_to_end_ref"], p["amount"], p["entry_id"]) for p in line["parts"]] == [
        ("RCPT-2026-001", "12500.00", entries["RCPT-2026-001"]), ("RCPT-2026-002", "7300.55", entries["RCPT-2026-002"]), ("RCPT-2026-003", "199.45", None)]
    # nothing was matched; the other institution sees none of it
    assert (await client.get("/v1/recon/matches", headers=t.h())).json()["items"] == []
    assert (await client.get("/v1/recon/lines", headers=tenant_b.h())).json()["items"] == []


async def test_a_batch_whose_parts_do_not_add_up_is_matched_as_one_line(client, recon_setup):
    t = recon_setup
    for ref, amount, _minor, _name in RECEIPTS:
        await _post(client, t, amount, f"receipt:{ref}", metadata={"end_to_end_ref": ref}, effective_date=D.isoformat())
    # the bank books 20,000.01 but its parts say 20,000.00: the batch is one line, its parts are shown, not used
    r = await client.post("/v1/recon/statements/file", content=batch([(ref, m, n) for ref, _a, m, n in RECEIPTS], total=2_000_001),
                          headers=t.h(**{"Content-Type": "application/xml"}))
    assert r.status_code == 200, r.text
    [run] = (await client.post("/v1/recon/runs", json={}, headers=t.h())).json()["items"]
    assert "batch_reference" not in run["matches_by_rule"] and run["unmatched_lines"] == 1
    [line] = (await client.get("/v1/recon/exceptions", params={"side": "line"}, headers=t.h())).json()["items"]
    assert line["parts_add_up"] is False and len(line["parts"]) == 3


async def test_a_camt054_batch_notification_matches_part_by_part_on_other_references(client, recon_setup):
    """Part 1 carries the receipt's end-to-end id; part 2 only a TxId and a
    structured creditor reference, which the ledger entry carries."""
    t = recon_setup
    await _post(client, t, "1000.00", "receipt:RCPT-001", metadata={"end_to_end_ref": "RCPT-001"}, effective_date=D.isoformat())
    await _post(client, t, "2000.00", "receipt:X-77", metadata={"reference": "RF18539007547034"}, effective_date=D.isoformat())
    body = CAMT054_BATCH.encode()
    r = await client.post("/v1/recon/statements/file", content=body, headers=t.h(**{"Content-Type": "application/xml"}))
    assert r.status_code == 200, r.text
    assert r.json()["statements"][0]["format"] == "camt.054" and r.json()["lines_imported"] == 1
    [run] = (await client.post("/v1/recon/runs", json={}, headers=t.h())).json()["items"]
    assert run["matches_by_rule"] == {"batch_reference": 1}
    [line] = (await client.get("/v1/recon/lines", params={"status": "matched"}, headers=t.h())).json()["items"]
    assert [(p["amount"], p["tx_id"], p["entry_id"] is not None) for p in line["parts"]] == [("1000.00", "TX-1", True), ("2000.00", "TX-2", True)]
