"""Statement parsers against public samples, our own fixtures and a large file.

Public samples (MIT, see /work/shared/samples/statements/README.md): camt
from the genkgo/camt project with that project's expected parse (``.json``),
MT940 from the mt940 project (``jejik``) and cmxl with expected parses in
``.yml`` (pickled mt940 models: loaded with ``yaml.unsafe_load``, fixture
files of our own repository only).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from ledger.errors import InvalidInput
from ledger.money import to_minor
from recon.model import StatementEntry, StatementFooter, StatementHeader, StatementRejected
from recon.parsers import CsvMapping, detect_format, parse_statement
from recon.samples import SampleEntry, write_camt053, write_mt940

from . import fixtures

SAMPLES = Path("/work/shared/samples/statements")
CAMT = SAMPLES / "camt"
DATA = fixtures.DATA

CAMT_SAMPLES = [
    "camt053.v2.minimal",
    "camt053.v2.multi.statement",
    "camt053.v2.five.decimals",
    "camt53.only-Dt-with-DtTm",
    "camt053.v4",
    "camt053.v8",
    "camt054.v2",
    "camt054.v8",
    "camt054.v8-with-UETR",
]
MT940_SAMPLES = [
    "jejik/abnamro",
    "jejik/generic",
    "jejik/ing",
    "jejik/knab",
    "jejik/postfinance",
    "jejik/rabobank",
    "jejik/sns",
    "jejik/triodos",
    "cmxl/mt940",
]


def parse_file(path: Path, **kw) -> list:
    with open(path, "rb") as fh:
        return list(parse_statement(fh, **kw))


def parse_bytes(data: bytes, **kw) -> list:
    return list(parse_statement(io.BytesIO(data), **kw))


def split(events: list) -> list[tuple[StatementHeader, list[StatementEntry], StatementFooter]]:
    """Events regrouped per statement, checking the header/entries/footer order."""
    out = []
    current = None
    for ev in events:
        if isinstance(ev, StatementHeader):
            assert current is None, "header inside a statement"
            current = (ev, [])
        elif isinstance(ev, StatementEntry):
            assert current is not None, "entry outside a statement"
            assert ev.index == len(current[1])
            current[1].append(ev)
        else:
            assert isinstance(ev, StatementFooter) and current is not None
            assert ev.entry_count == len(current[1])
            out.append((current[0], current[1], ev))
            current = None
    assert current is None, "statement without footer"
    return out


# -- camt: genkgo expected parses ------------------------------------------------------


def _json_date(value) -> date | None:
    if not value:
        return None
    return date.fromisoformat(value["0"][:10])


def _records(expected: dict) -> dict[str, dict]:
    """Statement/notification records of a genkgo dump (its dump nests them anywhere), by id."""
    found: dict[str, dict] = {}

    def walk(node) -> None:
        if isinstance(node, dict):
            cls = str(node.get("__CLASS__", ""))
            if cls.endswith(("\\Statement", "\\Notification")) and "getId" in node:
                found.setdefault(node["getId"], node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(expected)
    return found


def _balance(record: dict, kind: str) -> tuple[int, date] | None:
    for bal in record.get("getBalances") or []:
        if isinstance(bal, dict) and bal["getType"] == kind:
            return int(bal["getAmount"]["getAmount"]), _json_date(bal["getDate"])
    return None


def _expected_refs(entry: dict) -> dict[str, str]:
    refs: dict[str, str] = {}
    if entry.get("getAccountServicerReference"):
        refs["bank_ref"] = entry["getAccountServicerReference"]
    detail = entry.get("getTransactionDetail")
    if isinstance(detail, dict) and isinstance(detail.get("getReference"), dict):
        ref = detail["getReference"]
        if ref.get("getEndToEndId"):
            refs["end_to_end_ref"] = ref["getEndToEndId"]
        if ref.get("getUuidEndToEndReference"):
            refs["reference"] = ref["getUuidEndToEndReference"]
        elif ref.get("getInstructionId"):
            refs["reference"] = ref["getInstructionId"]
    return refs


@pytest.mark.parametrize("name", CAMT_SAMPLES)
def test_camt_public_samples_parse_to_the_expected_amounts_dates_references_balances(name):
    expected = json.loads((CAMT / f"{name}.json").read_text())
    events = parse_file(CAMT / f"{name}.xml")
    statements = split(events)
    assert detect_format((CAMT / f"{name}.xml").read_bytes()[:4096]) == ("camt.054" if name.startswith("camt054") else "camt.053")

    records = _records(expected)
    # the dump elides repeated objects, so a record may appear only by reference
    assert set(records) <= {h.statement_id for h, _, _ in statements} and records
    for header, _entries, footer in statements:
        record = records.get(header.statement_id)
        if record is None:
            continue
        account = record["getAccount"]["getIdentification"]
        assert header.account == account
        opening = _balance(record, "opening")
        closing = _balance(record, "closing")
        assert (header.opening_balance_minor, header.opening_balance_date) == (opening or (None, None))
        assert (footer.closing_balance_minor, footer.closing_balance_date) == (closing or (None, None))

    by_statement = {h.statement_id: entries for h, entries, _ in statements}
    want = expected["getEntries"]
    pairs = []
    for theirs in want:
        rec = theirs.get("getRecord")
        rid = rec["getId"] if isinstance(rec, dict) else statements[0][0].statement_id
        pairs.append((by_statement[rid][theirs["getIndex"]], theirs))
    total = sum(len(e) for e in by_statement.values())
    # the multi-statement dump lists only the entries of its last statement
    assert total == len(want) or name == "camt053.v2.multi.statement"
    for mine, theirs in pairs:
        assert theirs["getStatus"] == "BOOK"
        sign = -1 if theirs["getCreditDebitIndicator"] == "DBIT" else 1
        assert mine.amount_minor == sign * abs(int(theirs["getAmount"]["getAmount"]))
        assert mine.currency == theirs["getAmount"]["getCurrency"]["getCode"]
        assert mine.booking_date == _json_date(theirs["getBookingDate"])
        assert mine.value_date == _json_date(theirs["getValueDate"])
        assert mine.reversal is bool(theirs.get("getReversalIndicator"))
        refs = _expected_refs(theirs)
        for key, value in refs.items():
            assert getattr(mine, key) == value, (key, mine)


def test_camt_sample_figures():
    """The numbers each public camt sample gives (the report quotes them)."""
    counts = {name: len([e for e in parse_file(CAMT / f"{name}.xml") if isinstance(e, StatementEntry)]) for name in CAMT_SAMPLES}
    assert counts == {
        "camt053.v2.minimal": 1,
        "camt053.v2.multi.statement": 2,
        "camt053.v2.five.decimals": 1,
        "camt53.only-Dt-with-DtTm": 0,
        "camt053.v4": 1,
        "camt053.v8": 1,
        "camt054.v2": 1,
        "camt054.v8": 1,
        "camt054.v8-with-UETR": 1,
    }
    # camt.054: a notification is a statement of its own kind, without balances
    (header, entries, footer), = split(parse_file(CAMT / "camt054.v8.xml"))
    assert header.format == "camt.054" and header.opening_balance_minor is None and footer.closing_balance_minor is None
    assert entries[0].amount_minor == -20_000_000 and entries[0].currency == "SEK"
    assert entries[0].bank_tx_code == "PMNT/ICDT/DMCT"
    # a batch entry: references of the first TxDtls, every Ustrd in the description
    assert entries[0].end_to_end_ref == "UXC06170000006PI00001EE00001"
    assert "Unstructured Remittance Information V1" in entries[0].description


def test_camt_five_decimals_sample_keeps_trailing_zeros_and_refuses_real_extra_digits():
    data = (CAMT / "camt053.v2.five.decimals.xml").read_bytes()
    (header, entries, footer), = split(parse_bytes(data))
    assert (header.opening_balance_minor, entries[0].amount_minor, footer.closing_balance_minor) == (1815, 885, 2705)
    bad = data.replace(b'<Amt Ccy="EUR">8.850</Amt>', b'<Amt Ccy="EUR">8.855</Amt>')
    with pytest.raises(StatementRejected) as err:
        parse_bytes(bad)
    assert "more decimals than EUR allows" in err.value.message
    assert err.value.details["position"] == "line 62, element /Document/BkToCstmrStmt/Stmt/Ntry/Amt"


def test_camt_wrong_sample_is_refused_naming_line_and_element():
    with pytest.raises(StatementRejected) as err:
        parse_file(CAMT / "camt053.v2.wrong.xml")
    assert err.value.message == "no Stmt (line 3, element /Document/BkToCstmrStmt)"
    assert err.value.details == {"format": "camt.053", "position": "line 3, element /Document/BkToCstmrStmt"}


def test_camt_pending_entries_are_skipped_and_counted():
    stream = parse_statement(io.BytesIO((DATA / "cny.camt053.v8.xml").read_bytes()))
    events = list(stream)
    (_h, entries, _f), = split(events)
    assert len(entries) == 4
    assert "E2E-PENDING-01" not in [e.end_to_end_ref for e in entries]
    assert stream.stats.skipped_entries == 1
    assert stream.stats.skipped_by_status == {"PDNG": 1}
    assert stream.stats.skipped_positions == ["line 269"]


def test_camt_statuses_other_than_known_ones_are_refused():
    data = (DATA / "usd.camt053.v8.xml").read_bytes().replace(b"<Cd>BOOK</Cd>", b"<Cd>WHAT</Cd>", 1)
    with pytest.raises(StatementRejected, match="entry status 'WHAT'"):
        parse_bytes(data)


# -- our own camt fixtures -----------------------------------------------------------


def test_committed_fixtures_are_what_the_sample_writers_produce():
    for name, data in fixtures.all_fixtures().items():
        assert (DATA / name).read_bytes() == data, name


def test_cny_camt053_from_bank_of_china_parses_with_chinese_remittance_text():
    events = parse_file(DATA / "cny.camt053.v8.xml")
    assert detect_format((DATA / "cny.camt053.v8.xml").read_bytes()) == "camt.053"
    (header, entries, footer), = split(events)
    assert header.format == "camt.053"
    assert header.statement_id == "BOCSH-437765432101-20260305"
    assert header.account == fixtures.CNY_ACCOUNT and header.currency == "CNY"
    assert header.message_id == "BOCSH20260305EOD0001" and header.sequence == "64"
    assert header.opening_balance_minor == 100_000_000 and header.opening_balance_date == date(2026, 3, 1)
    assert [e.amount_minor for e in entries] == [128_000_000, 35_550_075, -15_000, 8_888_800]
    assert footer.closing_balance_minor == 100_000_000 + 128_000_000 + 35_550_075 - 15_000 + 8_888_800 == 272_423_875
    assert footer.closing_balance_date == date(2026, 3, 5) and footer.entry_count == 4
    first = entries[0]
    assert first.description == "货款 发票号 INV-2026-0012 跨境人民币结算 汉堡发货"
    assert first.end_to_end_ref == "E2E-HAM-20260227-01" and first.bank_ref == "BOCSH260302000118"
    assert first.reference == "8a562c67-ca16-48ba-b074-65581be6f011"  # the UETR
    assert first.counterparty_name == "Hanseatic Machinery GmbH"
    assert first.counterparty_account == "DE89370400440532013000"
    assert first.bank_tx_code == "PMNT/RCDT/XBCT"
    assert first.booking_date == first.value_date == date(2026, 3, 2)
    fee = entries[2]
    assert fee.end_to_end_ref is None  # NOTPROVIDED is no reference
    assert fee.reference is None  # NtryRef (a running number here) is not a matching reference
    assert entries[3].charges_minor == 5_000 and entries[3].value_date == date(2026, 3, 5)
    assert all(e.currency == "CNY" for e in entries)
    assert [e.position for e in entries] == ["line 59", "line 116", "line 174", "line 211"]


def test_usd_camt053_and_usd_mt940_of_the_same_day_give_the_same_lines():
    camt = split(parse_file(DATA / "usd.camt053.v8.xml"))
    mt = split(parse_file(DATA / "usd.mt940.sta"))
    assert detect_format((DATA / "usd.mt940.sta").read_bytes()) == "mt940"
    (ch, ce, cf), = camt
    (mh, me, mf), = mt
    assert ch.account == mh.account == fixtures.USD_ACCOUNT
    assert mh.statement_id == "ICBCSH260304/00063/001" and mh.sequence == "00063/001"
    assert ch.opening_balance_minor == mh.opening_balance_minor == 5_000_000
    assert cf.closing_balance_minor == mf.closing_balance_minor == 5_000_000 + 2_500_000 - 1_275_050 - 3_500 + 99_999
    key = lambda e: (e.amount_minor, e.currency, e.booking_date, e.value_date, e.end_to_end_ref, e.bank_ref)  # noqa: E731
    assert [key(e) for e in ce] == [key(e) for e in me]
    assert [e.amount_minor for e in me] == [2_500_000, -1_275_050, -3_500, 99_999]
    assert me[0].description == "PAYMENT FOR INVOICE 2026-0045 /ORDP/Pacific Importers LLC"
    assert me[3].value_date == date(2026, 3, 6) and me[3].booking_date == date(2026, 3, 4)
    assert [e.position for e in me] == ["line 6", "line 8", "line 10", "line 12"]


BROKEN = [
    ("broken.truncated.camt053.xml", None, "camt.053", "XML syntax error", "line 124"),
    ("broken.wrong-amount.camt053.xml", None, "camt.053", "amount '12.750,50' is not a decimal number", "line 101, element /Document/BkToCstmrStmt/Stmt/Ntry/Amt"),
    ("broken.too-many-decimals.camt053.xml", None, "camt.053", "more decimals than USD allows", "line 182, element /Document/BkToCstmrStmt/Stmt/Ntry/Amt"),
    ("broken.bad-61.mt940.sta", None, "mt940", "cannot read :61:", "line 8"),
    ("broken.no-currency.mt940.sta", None, "mt940", "unknown currency '500'", "line 5"),
    ("broken.bad-amount.csv", "csv", "csv", "debit '12.750,5O' is not an amount", "line 3"),
]


@pytest.mark.parametrize("name, fmt, format_, message, position", BROKEN)
def test_broken_files_are_refused_with_their_position(name, fmt, format_, message, position):
    kw = {"csv_mapping": CsvMapping.from_dict(fixtures.CSV_MAPPING)} if fmt == "csv" else {}
    with pytest.raises(StatementRejected) as err:
        parse_file(DATA / name, **kw)
    assert message in err.value.message
    assert err.value.details["format"] == format_
    assert err.value.details["position"].startswith(position), err.value.details["position"]


def test_camt_refuses_dtd_and_entities():
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE Document [<!ENTITY x "boom">]>\n'
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt/></Document>'
    )
    with pytest.raises(StatementRejected, match="DTD"):
        parse_bytes(data, fmt="camt.053")


def test_camt_structure_faults_name_their_element():
    usd = (DATA / "usd.camt053.v8.xml").read_bytes()
    cases = [
        (usd.replace(b"<Id>1001234509876543210</Id>", b"<Nr>1</Nr>", 1), "no Acct/Id/IBAN nor Acct/Id/Othr/Id", "element /Document/BkToCstmrStmt/Stmt/Acct"),
        (usd.replace(b'Ccy="USD">25000.00', b'Ccy="ZZZ">25000.00', 1), "unknown currency 'ZZZ'", "/Stmt/Ntry/Amt"),
        (usd.replace(b"<CdtDbtInd>CRDT</CdtDbtInd>\n        <Sts>", b"<CdtDbtInd>CR</CdtDbtInd>\n        <Sts>", 1), "neither CRDT nor DBIT", "/Stmt/Ntry/CdtDbtInd"),
        (usd.replace(b"<Dt>2026-03-02</Dt>", b"<Dt>2026-02-30</Dt>", 1), "is not a date", "/Stmt/Ntry/BookgDt/Dt"),
        (usd.replace(b"<Id>ICBCSH-USD-20260304</Id>", b"", 1), "no Id", "element /Document/BkToCstmrStmt/Stmt"),
        (usd.replace(b"camt.053.001.08", b"camt.052.001.08"), "not a camt.053/camt.054 document", "line 2, element /Document"),
    ]
    for data, message, where in cases:
        with pytest.raises(StatementRejected) as err:
            parse_bytes(data, fmt="camt.053")
        assert message in err.value.message, err.value.message
        assert where in err.value.details["position"], err.value.details["position"]


def test_a_camt054_file_given_as_camt053_is_refused():
    with pytest.raises(StatementRejected, match="the file is camt.054, not camt.053"):
        parse_file(CAMT / "camt054.v2.xml", fmt="camt.053")


# -- MT940: expected parses of the mt940 / cmxl projects ---------------------------------


def _load_yml(path: Path):
    yaml = pytest.importorskip("yaml")
    pytest.importorskip("mt940")
    with open(path) as fh:
        return yaml.unsafe_load(fh)  # pickled mt940 models of a fixture file we ship


def _minor(amount, currency: str) -> int:
    return to_minor(Decimal(amount.amount), currency)


@pytest.mark.parametrize("name", MT940_SAMPLES)
def test_mt940_public_samples_parse_to_the_expected_amounts_dates_references_balances(name):
    expected = _load_yml(SAMPLES / "mt940" / f"{name}.yml")
    statements = split(parse_file(SAMPLES / "mt940" / f"{name}.sta"))
    got = [e for _, entries, _ in statements for e in entries]
    want = [t.data for t in expected.transactions]
    assert len(got) == len(want)
    for mine, theirs in zip(got, want, strict=False):
        currency = theirs["currency"]
        assert mine.currency == currency
        assert mine.amount_minor == _minor(theirs["amount"], currency)
        assert mine.value_date == theirs["date"]
        assert mine.booking_date == theirs.get("entry_date", theirs["date"])
        cust = (theirs.get("customer_reference") or "").strip()
        bank = (theirs.get("bank_reference") or "").strip()
        assert mine.end_to_end_ref == (cust if cust and cust != "NONREF" else None)
        assert mine.bank_ref == (bank if bank and bank != "NONREF" else None)
        assert mine.bank_tx_code == theirs["id"]
    # the library keeps statement data of the last message(s); each must be one of ours
    openings = {(h.opening_balance_minor, h.opening_balance_date) for h, _, _ in statements}
    closings = {(f.closing_balance_minor, f.closing_balance_date) for _, _, f in statements}
    for key, pool in (
        ("final_opening_balance", openings),
        ("intermediate_opening_balance", openings),
        ("final_closing_balance", closings),
        ("intermediate_closing_balance", closings),
    ):
        bal = expected.data.get(key)
        if bal is not None:
            assert (_minor(bal.amount, bal.amount.currency), bal.date) in pool, key
    last_header = statements[-1][0]
    assert last_header.account == expected.data["account_identification"]
    assert last_header.statement_id.startswith(expected.data["transaction_reference"])


def test_mt940_sample_figures():
    counts = {}
    for name in MT940_SAMPLES:
        statements = split(parse_file(SAMPLES / "mt940" / f"{name}.sta"))
        counts[name] = (len(statements), sum(len(e) for _, e, _ in statements))
    assert counts == {
        "jejik/abnamro": (2, 10),
        "jejik/generic": (2, 2),
        "jejik/ing": (1, 7),
        "jejik/knab": (2, 3),
        "jejik/postfinance": (2, 4),
        "jejik/rabobank": (4, 5),
        "jejik/sns": (2, 2),
        "jejik/triodos": (1, 2),
        "cmxl/mt940": (3, 16),
    }


@pytest.mark.parametrize(
    "name, message",
    [
        # cmxl unit fixtures are single tags, not statements: no :20:/:25:, and the
        # :61: line has no currency to read its amount in
        ("cmxl/statement_line.sta", "no MT940 message"),
        ("cmxl/account_balance_debit.sta", "no MT940 message"),
    ],
)
def test_mt940_tag_fragments_are_refused_as_statements(name, message):
    assert detect_format((SAMPLES / "mt940" / name).read_bytes()) == "mt940"
    with pytest.raises(StatementRejected) as err:
        parse_file(SAMPLES / "mt940" / name)
    assert message in err.value.message and err.value.details["position"] == "line 1"


def test_mt940_faults_name_their_line():
    mt = (DATA / "usd.mt940.sta").read_bytes()
    cases = [
        (mt.replace(b":25:1001234509876543210\r\n", b""), "without :25:", "line 2"),
        (mt.replace(b":62F:C260304USD63214,49\r\n", b""), "without :62F:/:62M: closing balance", "line 13"),
        (mt.replace(b"D35,00NTRF", b"D35,001NTRF"), "more decimals than USD allows", "line 10"),
        (mt.replace(b"D35,00NTRFNONREF", b"D35,00"), ":61: statement line without a transaction type code", "line 10"),
        (mt.replace(b":62F:C260304USD", b":62F:C260304EUR"), "closing balance currency differs", "line 14"),
        (b"hello\r\nworld\r\n", "no MT940 message", "line 1"),
    ]
    for data, message, position in cases:
        with pytest.raises(StatementRejected) as err:
            parse_bytes(data, fmt="mt940")
        assert message in err.value.message, err.value.message
        assert err.value.details["position"] == position, (message, err.value.details)


def test_mt940_reversal_marks_sign_like_the_money_moves():
    mt = (DATA / "usd.mt940.sta").read_bytes()
    data = mt.replace(b"0302C25000,00", b"0302RD25000,00").replace(b"0303D12750,50", b"0303RC12750,50")
    (_h, entries, _f), = split(parse_bytes(data))
    assert (entries[0].amount_minor, entries[0].reversal) == (2_500_000, True)
    assert (entries[1].amount_minor, entries[1].reversal) == (-1_275_050, True)


# -- CSV -----------------------------------------------------------------------------


def test_csv_with_debit_credit_columns_and_european_numbers():
    mapping = CsvMapping.from_dict(fixtures.CSV_MAPPING)
    assert CsvMapping.from_dict(mapping.to_dict()) == mapping
    (header, entries, footer), = split(parse_file(DATA / "usd.statement.csv", fmt="csv", csv_mapping=mapping))
    assert header.format == "csv" and header.account == fixtures.USD_ACCOUNT and header.statement_id == ""
    assert [e.amount_minor for e in entries] == [2_500_000, -1_275_050, -3_500, 99_999]
    assert entries[3].booking_date == date(2026, 3, 4) and entries[3].value_date == date(2026, 3, 6)
    assert entries[0].end_to_end_ref == "INV2026-0045" and entries[0].counterparty_name == "Pacific Importers LLC"
    assert entries[2].end_to_end_ref is None
    assert [e.position for e in entries] == ["line 2", "line 3", "line 4", "line 5"]
    assert footer.entry_count == 4 and footer.closing_balance_minor is None


def test_csv_signed_amount_column_without_header():
    mapping = CsvMapping(
        has_header=False,
        columns={"value_date": 0, "amount": 1, "end_to_end_ref": 2, "description": 3},
        fixed_currency="JPY",
        fixed_account="MIZUHO-001",
        statement_id="2026-03",
    )
    data = b"2026-03-01,\"1,200\",A1,rent\n2026-03-02,-300,A2,fee\n"
    (header, entries, _), = split(parse_bytes(data, fmt="csv", csv_mapping=CsvMapping(**{**mapping.to_dict(), "thousands_separator": ","})))
    assert header.statement_id == "2026-03" and header.currency == "JPY"
    assert [e.amount_minor for e in entries] == [1200, -300]
    with pytest.raises(StatementRejected, match="more decimals than JPY") as err:
        parse_bytes(b"2026-03-01,12.5,A,b\n", fmt="csv", csv_mapping=mapping)
    assert err.value.details["position"] == "line 1"


def test_csv_mapping_is_validated():
    base = fixtures.CSV_MAPPING
    bad = [
        {**base, "columns": {**base["columns"], "colour": "Colour"}},  # unknown field
        {**base, "columns": {k: v for k, v in base["columns"].items() if k != "debit"}},  # credit alone
        {**base, "columns": {**base["columns"], "amount": "Amount"}},  # amount and debit/credit
        {**base, "fixed_account": None},  # no account
        {**base, "columns": {k: v for k, v in base["columns"].items() if k != "currency"}},  # no currency
        {**base, "decimal_separator": ";"},
        {**base, "encoding": "klingon"},
        {**base, "surprise": 1},
    ]
    for data in bad:
        with pytest.raises(InvalidInput):
            CsvMapping.from_dict(data)
    mapping = CsvMapping.from_dict({**base, "columns": {**base["columns"], "end_to_end_ref": "Ref"}})
    with pytest.raises(StatementRejected) as err:
        parse_file(DATA / "usd.statement.csv", csv_mapping=mapping, fmt="csv")
    assert "column 'Ref' (for end_to_end_ref) is not in the header row" in err.value.message
    assert err.value.details["position"] == "line 1"


def test_csv_needs_a_mapping_and_detects_as_csv():
    assert detect_format((DATA / "usd.statement.csv").read_bytes()) == "csv"
    with pytest.raises(StatementRejected, match="needs a column mapping"):
        parse_file(DATA / "usd.statement.csv")


# -- streaming: a large statement ----------------------------------------------------------


def _many(n: int) -> list[SampleEntry]:
    start = date(2026, 1, 1)
    return [
        SampleEntry(
            amount_minor=(i % 997 + 1) * 100 + i % 100 if i % 3 else -((i % 501 + 1) * 100),
            booking_date=start + timedelta(days=i % 28),
            end_to_end_ref=f"E2E-{i:06d}",
            bank_ref=f"BR{i:08d}",
            description=f"跨境收款 invoice {i}",
            counterparty_name=f"Payer {i % 50}",
        )
        for i in range(n)
    ]


BIG_N = 20_000


@pytest.fixture(scope="module")
def big_camt(tmp_path_factory):
    """A 20,000-entry camt.053 written at test time (never committed)."""
    path = tmp_path_factory.mktemp("big") / "big.camt053.xml"
    entries = _many(BIG_N)
    closing = write_camt053(path, account="437765432101", currency="CNY", entries=entries, statement_id="BIG-1")
    return path, sum(e.amount_minor for e in entries), closing


def _stream_sum(path: Path) -> tuple[int, int, int | None]:
    count = amount = 0
    closing = None
    with open(path, "rb") as fh:
        for ev in parse_statement(fh):
            if isinstance(ev, StatementEntry):
                count += 1
                amount += ev.amount_minor
            elif isinstance(ev, StatementFooter):
                closing = ev.closing_balance_minor
    return count, amount, closing


_PEAK_SCRIPT = """
import json, sys, time
from lxml import etree
from recon.model import StatementEntry
from recon.parsers import parse_statement

def hwm_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

base = hwm_kb()
started = time.perf_counter()
if sys.argv[2] == "stream":
    with open(sys.argv[1], "rb") as fh:
        n = sum(1 for ev in parse_statement(fh) if isinstance(ev, StatementEntry))
else:
    n = len(etree.parse(sys.argv[1]).getroot()[0][1])
print(json.dumps({"n": n, "seconds": time.perf_counter() - started, "growth_mb": (hwm_kb() - base) / 1024}))
"""


def _peak(path: Path, how: str) -> dict:
    """Peak RSS growth (VmHWM) of a fresh interpreter reading ``path``: sees libxml2's memory too."""
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", _PEAK_SCRIPT, str(path), how], capture_output=True, text=True, cwd=root, check=True, timeout=300
    )
    return json.loads(out.stdout)


def test_a_20000_entry_camt053_streams_in_bounded_memory(big_camt, record_property):
    path, total, closing = big_camt
    size_mb = path.stat().st_size / 2**20
    started = time.perf_counter()
    count, amount, closing_parsed = _stream_sum(path)
    rate = count / (time.perf_counter() - started)
    assert count == BIG_N and amount == total == closing == closing_parsed

    streamed = _peak(path, "stream")
    whole = _peak(path, "tree")
    assert streamed["n"] == BIG_N and whole["n"] > BIG_N
    record_property("entries_per_s", round(rate))
    record_property("stream_peak_growth_mb", round(streamed["growth_mb"], 1))
    record_property("tree_peak_growth_mb", round(whole["growth_mb"], 1))
    print(
        f"\n{BIG_N} entries, {size_mb:.1f} MB file: {rate:,.0f} entries/s; peak RSS growth "
        f"streaming {streamed['growth_mb']:.1f} MB, whole tree {whole['growth_mb']:.1f} MB"
    )
    # tracemalloc does not see libxml2's allocations, the process high-water mark does
    assert streamed["growth_mb"] < 30
    assert whole["growth_mb"] > 3 * max(streamed["growth_mb"], 10)


def test_python_heap_of_a_camt_parse_does_not_grow_with_the_entry_count(tmp_path):
    """tracemalloc peak (Python objects) for 1,000 and 5,000 entries: the same few hundred KB."""
    peaks = {}
    for n in (1_000, 5_000):
        path = tmp_path / f"{n}.xml"
        write_camt053(path, account="437765432101", currency="CNY", entries=_many(n), statement_id=f"S{n}")
        tracemalloc.start()
        count, _, _ = _stream_sum(path)
        _, peaks[n] = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert count == n
    print(f"\ntracemalloc peak: 1k {peaks[1_000] / 1024:.0f} KB, 5k {peaks[5_000] / 1024:.0f} KB")
    assert peaks[5_000] < 2 * 2**20
    assert peaks[5_000] < 1.5 * peaks[1_000]


def test_a_multi_message_mt940_streams_message_by_message(tmp_path):
    path = tmp_path / "big.sta"
    entries = _many(3_000)
    opening = 0
    with open(path, "wb") as fh:
        for k in range(10):
            part = [SampleEntry(**{**e.__dict__, "description": "payment"}) for e in entries[k * 300 : (k + 1) * 300]]
            opening = write_mt940(fh, account="USD-1", currency="USD", entries=part, statement_id=f"S{k}", statement_number=k + 1, opening_balance_minor=opening)
    statements = split(parse_file(path))
    assert len(statements) == 10 and sum(len(e) for _, e, _ in statements) == 3_000
    assert statements[-1][2].closing_balance_minor == opening == sum(e.amount_minor for e in entries)
    for (_h, _es, f), (h2, _, _) in zip(statements, statements[1:], strict=False):
        assert f.closing_balance_minor == h2.opening_balance_minor


# -- batch entries: one Ntry, several TxDtls (issue #12, defect 7) ---------------------------------

BATCH_IBAN = "CN0010400000000001234567"


def _batch_camt053(parts, total=None) -> bytes:
    d = date(2026, 11, 2)
    entry = SampleEntry(sum(p.amount_minor for p in parts) if total is None else total, d, bank_ref="BATCH-9", parts=tuple(parts))
    buf = io.BytesIO()
    write_camt053(buf, account=BATCH_IBAN, currency="USD", entries=[entry, SampleEntry(500, d, end_to_end_ref="SINGLE-1")], statement_id="B-1")
    return buf.getvalue()


def test_a_camt053_batch_entry_keeps_its_parts_references_amounts_and_counterparties():
    d = date(2026, 11, 2)
    data = _batch_camt053([
        SampleEntry(1_250_000, d, end_to_end_ref="E2E-A", instruction_id="INS-A", counterparty_name="Shop A GmbH", counterparty_account="DE89370400440532013000", description="order 1001"),
        SampleEntry(730_055, d, end_to_end_ref="E2E-B", uetr="0b8a6f6e-1d2c-4c8e-9d8f-1a2b3c4d5e6f", counterparty_name="Shop B Ltd"),
        SampleEntry(19_945, d, end_to_end_ref="E2E-C", description="order 1003"),
    ])
    (header, entries, footer), = split(parse_bytes(data))
    batch, single = entries
    assert batch.amount_minor == 2_000_000 and single.amount_minor == 500 and single.parts == ()
    # the entry's own fields are as before: the first references, all remittance texts
    assert (batch.end_to_end_ref, batch.reference, batch.description) == ("E2E-A", "INS-A", "order 1001 order 1003")
    assert [p.amount_minor for p in batch.parts] == [1_250_000, 730_055, 19_945]
    assert sum(p.amount_minor for p in batch.parts) == batch.amount_minor
    assert [p.end_to_end_ref for p in batch.parts] == ["E2E-A", "E2E-B", "E2E-C"]
    a, b, c = batch.parts
    assert (a.instruction_id, a.counterparty_name, a.counterparty_account, a.description) == ("INS-A", "Shop A GmbH", "DE89370400440532013000", "order 1001")
    assert (b.reference, b.counterparty_name) == ("0b8a6f6e-1d2c-4c8e-9d8f-1a2b3c4d5e6f", "Shop B Ltd")
    assert c.references == ("E2E-C",) and c.counterparty_name is None


def test_part_amounts_fall_back_to_amtdtls_in_the_entry_currency_else_none():
    d = date(2026, 11, 2)
    data = _batch_camt053([SampleEntry(10_000, d, end_to_end_ref="P1"), SampleEntry(20_000, d, end_to_end_ref="P2"), SampleEntry(30_000, d, end_to_end_ref="P3")]).decode()
    # part 1: v2 style, only AmtDtls/TxAmt; part 2: InstdAmt in EUR, TxAmt in USD; part 3: EUR only
    data = data.replace('<Amt Ccy="USD">100.00</Amt>', '<AmtDtls><TxAmt><Amt Ccy="USD">100.00</Amt></TxAmt></AmtDtls>', 1)
    data = data.replace('<Amt Ccy="USD">200.00</Amt>', '<AmtDtls><InstdAmt><Amt Ccy="EUR">185.00</Amt></InstdAmt><TxAmt><Amt Ccy="USD">200.00</Amt></TxAmt></AmtDtls>', 1)
    data = data.replace('<Amt Ccy="USD">300.00</Amt>', '<AmtDtls><InstdAmt><Amt Ccy="EUR">277.50</Amt></InstdAmt></AmtDtls>', 1)
    (_h, entries, _f), = split(parse_bytes(data.encode()))
    assert entries[0].amount_minor == 60_000
    assert [p.amount_minor for p in entries[0].parts] == [10_000, 20_000, None]


CAMT054_BATCH = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">
 <BkToCstmrDbtCdtNtfctn>
  <GrpHdr><MsgId>N-1</MsgId><CreDtTm>2026-11-02T10:00:00+08:00</CreDtTm></GrpHdr>
  <Ntfctn>
   <Id>NTF-1</Id>
   <Acct><Id><IBAN>CN0010400000000001234567</IBAN></Id><Ccy>USD</Ccy></Acct>
   <Ntry>
    <Amt Ccy="USD">3000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
    <BookgDt><Dt>2026-11-02</Dt></BookgDt><ValDt><Dt>2026-11-02</Dt></ValDt>
    <NtryDtls>
     <Btch><NbOfTxs>2</NbOfTxs></Btch>
     <TxDtls>
      <Refs><InstrId>I-1</InstrId><EndToEndId>RCPT-001</EndToEndId><TxId>TX-1</TxId></Refs>
      <Amt Ccy="USD">1000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>
      <RltdPties><Dbtr><Pty><Nm>Buyer One</Nm></Pty></Dbtr></RltdPties>
      <RmtInf><Ustrd>invoice 1</Ustrd></RmtInf>
     </TxDtls>
     <TxDtls>
      <Refs><EndToEndId>NOTPROVIDED</EndToEndId><TxId>TX-2</TxId></Refs>
      <Amt Ccy="USD">2000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>
      <RltdPties><DbtrAcct><Id><Othr><Id>ACC-2</Id></Othr></Id></DbtrAcct></RltdPties>
      <RmtInf><Strd><CdtrRefInf><Ref>RF18539007547034</Ref></CdtrRefInf></Strd></RmtInf>
     </TxDtls>
    </NtryDtls>
   </Ntry>
  </Ntfctn>
 </BkToCstmrDbtCdtNtfctn>
</Document>"""


def test_a_camt054_batch_notification_is_parsed_with_its_parts():
    xml = CAMT054_BATCH
    (header, entries, footer), = split(parse_bytes(xml.encode()))
    assert header.format == "camt.054"
    [entry] = entries
    assert entry.amount_minor == 300_000
    one, two = entry.parts
    assert (one.amount_minor, one.end_to_end_ref, one.instruction_id, one.tx_id, one.counterparty_name, one.description) == (100_000, "RCPT-001", "I-1", "TX-1", "Buyer One", "invoice 1")
    assert (two.amount_minor, two.end_to_end_ref, two.tx_id, two.reference, two.counterparty_account) == (200_000, None, "TX-2", "RF18539007547034", "ACC-2")


def test_public_camt054_batch_keeps_its_parts_and_its_amount():
    """The public v8 notification books SEK 200,000 with three TxDtls in CHF:
    the parts keep their references, have no amount in the entry's currency,
    so the batch counts as one line; the entry's amount is unchanged."""
    (_h, entries, _f), = split(parse_file(CAMT / "camt054.v8.xml"))
    [entry] = entries
    assert entry.amount_minor == -20_000_000 and entry.currency == "SEK"
    assert [p.instruction_id for p in entry.parts] == ["UXC06170000006PI00001II00001", "UXC06170000006PI00001II00002", "UXC06170000006PI00001II00002"]
    assert [p.amount_minor for p in entry.parts] == [None, None, None]
