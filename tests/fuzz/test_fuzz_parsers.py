"""Fuzzing of the file parsers with Hypothesis: whatever the bytes, only the
documented domain error (a :class:`ledger.errors.LedgerError` subclass) may
escape, never another exception.

* the ECB euro reference-rate XML parser (``settlement.rates.parse_ecb_xml``):
  random bytes and mutations of a valid file (truncation, byte flips and
  insertions, swapped and renamed tags, huge and odd numbers, other
  encodings, byte-order marks, DTDs, entities, billion laughs, external
  references);
* the trade-data bulk intake (``settlement.tradedata``): the NDJSON and CSV
  readers with ``parse_record`` (pure, many examples) and ``ingest_file``
  end to end on SQLite and PostgreSQL (fewer examples: every file goes
  through a database), from random bytes and mutations of valid files
  (truncation, byte flips, NUL bytes, huge numbers, NaN, bad encodings,
  BOMs, overlong fields, unbalanced quotes), and ``parse_record`` on
  arbitrary JSON values.

Budgets: ``max_examples`` 200 per pure target, 40 per database for the
intake, ``deadline=None``, derandomized; the module runs in well under a
minute.
"""

from __future__ import annotations

import io
import itertools
import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.errors import LedgerError
from settlement import tradedata as T
from settlement.rates import RateFileInvalid, SourceRate, parse_ecb_xml
from settlement.tradedata import uploads as U
from settlement.tradedata import validation as V

BUDGET = settings(max_examples=200, suppress_health_check=list(HealthCheck))
DB_BUDGET = settings(max_examples=40, suppress_health_check=list(HealthCheck))


# -- mutations shared by the targets -----------------------------------------------------------


BOMS = [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf\xef\xbb\xbf", b"\x00\x00\xfe\xff"]


@st.composite
def mutated(draw, valid: bytes, replacements: list[tuple[bytes, bytes]]):
    """``valid`` changed by one to three mutations."""
    data = valid
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "replace", "bom", "encoding", "duplicate", "nul"]))
        n = len(data)
        if how == "truncate" and n:
            data = data[: draw(st.integers(0, n - 1))]
        elif how == "flip" and n:
            i = draw(st.integers(0, n - 1))
            data = data[:i] + bytes([data[i] ^ draw(st.integers(1, 255))]) + data[i + 1 :]
        elif how == "insert":
            i = draw(st.integers(0, n))
            data = data[:i] + draw(st.binary(min_size=1, max_size=16)) + data[i:]
        elif how == "delete" and n:
            i = draw(st.integers(0, n - 1))
            data = data[:i] + data[i + draw(st.integers(1, 32)) :]
        elif how == "replace":
            old, new = draw(st.sampled_from(replacements))
            if old in data:
                count = draw(st.integers(1, 3))
                data = data.replace(old, new, count)
        elif how == "bom":
            data = draw(st.sampled_from(BOMS)) + data
        elif how == "encoding":
            text = data.decode("utf-8", "replace")
            data = text.encode(draw(st.sampled_from(["utf-16", "utf-16-be", "utf-32", "latin-1", "cp1252", "gb18030"])), "replace")
        elif how == "duplicate" and n:
            i = draw(st.integers(0, n - 1))
            j = draw(st.integers(i, min(n, i + 200)))
            data = data[:j] + data[i:j] * draw(st.integers(1, 50)) + data[j:]
        elif how == "nul" and n:
            i = draw(st.integers(0, n))
            data = data[:i] + b"\x00" + data[i:]
    return data


def _only_domain_errors(fn, *args, **kwargs):
    """Call ``fn``; a LedgerError is the documented refusal, anything else
    fails the test (with its type, so the report names the bug)."""
    try:
        return fn(*args, **kwargs)
    except LedgerError:
        return None
    except Exception as exc:  # the point of the test
        raise AssertionError(f"{type(exc).__name__} escaped {fn.__name__}: {exc!r}") from exc


# == the ECB rate XML parser =====================================================================

ENVELOPE = (
    '<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">'
)


def ecb_file(days: dict[str, dict[str, str]] | None = None) -> bytes:
    days = days or {
        "2026-11-20": {"USD": "1.0512", "JPY": "162.31", "CNY": "7.6123", "GBP": "0.83215"},
        "2026-11-19": {"USD": "1.0498", "JPY": "161.90", "CNY": "7.6011", "GBP": "0.83170"},
    }
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', ENVELOPE, "\t<gesmes:subject>Reference rates</gesmes:subject>",
             "\t<gesmes:Sender>", "\t\t<gesmes:name>European Central Bank</gesmes:name>", "\t</gesmes:Sender>", "\t<Cube>"]
    for day, rates in days.items():
        lines.append(f"\t\t<Cube time='{day}'>")
        lines += [f"\t\t\t<Cube currency='{c}' rate='{r}'/>" for c, r in rates.items()]
        lines.append("\t\t</Cube>")
    lines += ["\t</Cube>", "</gesmes:Envelope>", ""]
    return "\n".join(lines).encode()


VALID_ECB = ecb_file()

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + b"".join(b'<!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
    + b"]>\n<lolz>&lol9;</lolz>"
)

ECB_REPLACEMENTS = [
    (b"<Cube>", b"<Envelope>"),
    (b"</Cube>", b"</gesmes:Envelope>"),
    (b"</gesmes:Envelope>", b"</Cube>"),
    (b"<Cube time", b"<Cube><Cube time"),
    (b"gesmes:Envelope", b"gesmes:Envelop"),
    (b"xmlns=", b"xmlns:x="),
    (b"http://www.ecb.int", b"http://evil.example"),
    (b"rate='1.0512'", b"rate='" + b"9" * 5000 + b"'"),
    (b"rate='1.0512'", b"rate='1e999'"),
    (b"rate='1.0512'", b"rate='-1.0512'"),
    (b"rate='1.0512'", b"rate='0.0000000000000000000000000000000000001'"),
    (b"rate='1.0512'", b"rate='NaN'"),
    (b"rate='1.0512'", b"rate='Infinity'"),
    (b"rate='1.0512'", b"rate='1..2'"),
    (b"rate='1.0512'", b"rate='\xd9\xa1.\xd9\xa2'"),  # Arabic-Indic digits
    (b"rate='1.0512'", b"rate='1.0512' rate='2'"),
    (b"rate='1.0512'", b""),
    (b"currency='USD'", b"currency='usd'"),
    (b"currency='USD'", b"currency='EUR'"),
    (b"currency='USD'", b"currency='\xc3\x84BC'"),
    (b"currency='JPY'", b"currency='USD'"),
    (b"time='2026-11-20'", b"time='2026-13-45'"),
    (b"time='2026-11-20'", b"time='99999-01-01'"),
    (b"time='2026-11-20'", b"time='2026-11-19'"),
    (b"time='2026-11-20'", b"time='\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x96-11-20'"),
    (b"time='2026-11-20'", b""),
    (b'encoding="UTF-8"', b'encoding="UTF-16"'),
    (b'encoding="UTF-8"', b'encoding="bogus-8"'),
    (b'encoding="UTF-8"', b'encoding="ISO-8859-1"'),
    (b'<?xml version="1.0" encoding="UTF-8"?>', b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'),
    (b'<?xml version="1.0" encoding="UTF-8"?>', b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>'),
    (b'<?xml version="1.0" encoding="UTF-8"?>', b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd">'),
    (b'<?xml version="1.0" encoding="UTF-8"?>', BILLION_LAUGHS.split(b"<lolz>")[0]),
    (b"<gesmes:subject>Reference rates</gesmes:subject>", b"<gesmes:subject>&lol9;&amp;&#0;&#x110000;</gesmes:subject>"),
    (b"<gesmes:subject>Reference rates</gesmes:subject>", b"<![CDATA[<Cube currency='USD' rate='1'/>]]>"),
    (b"<gesmes:subject>Reference rates</gesmes:subject>", b"<?xml-stylesheet href='http://127.0.0.1:9/x'?>"),
    (b"\t\t\t<Cube currency='GBP'", b"\t\t\ttext<Cube currency='GBP'"),
]


def test_a_valid_ecb_file_parses():
    rates = parse_ecb_xml(VALID_ECB)
    assert len(rates) == 8 and all(isinstance(r, SourceRate) and r.base == "EUR" for r in rates)
    assert {(r.quote, r.value, r.as_of) for r in rates} >= {("USD", Decimal("1.0512"), date(2026, 11, 20))}


@pytest.mark.parametrize(
    "content",
    [BILLION_LAUGHS, VALID_ECB.replace(b'<?xml version="1.0" encoding="UTF-8"?>', b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>').replace(b"Reference rates", b"&e;")],
    ids=["billion-laughs", "external-entity"],
)
def test_entities_are_refused_without_being_expanded(content):
    with pytest.raises(RateFileInvalid) as info:
        parse_ecb_xml(content)
    assert "root" not in str(info.value) and len(str(info.value)) < 500


@BUDGET
@given(content=st.binary(max_size=4096))
def test_ecb_parser_random_bytes(content):
    _only_domain_errors(parse_ecb_xml, content)


@BUDGET
@given(content=mutated(VALID_ECB, ECB_REPLACEMENTS))
def test_ecb_parser_mutated_files(content):
    out = _only_domain_errors(parse_ecb_xml, content)
    if out is not None:
        assert all(isinstance(r, SourceRate) and r.value > 0 and r.base == "EUR" and len(r.quote) == 3 for r in out)


# == the trade-data intake ========================================================================

KINDS = list(T.KINDS)

ORDER_ROWS = [
    {"external_id": f"O-{i}", "merchant_ref": "FZ-M1", "currency": c, "amount": a, "order_date": f"2026-03-0{i + 1}", "customs_mode": "9610", "destination_country": "DE"}
    for i, (c, a) in enumerate([("USD", "129.90"), ("JPY", "1500"), ("EUR", "0.01"), ("USD", "99999.99")])
]
PAYMENT_ROWS = [{"external_id": f"P-{i}", "order_external_id": f"O-{i}", "merchant_ref": "FZ-M1", "currency": r["currency"], "amount": r["amount"], "paid_on": "2026-03-10"} for i, r in enumerate(ORDER_ROWS)]


def ndjson(rows) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()


def csv_bytes(rows) -> bytes:
    import csv

    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue().encode()


VALID_FILES = [ndjson(ORDER_ROWS), csv_bytes(ORDER_ROWS), ndjson(PAYMENT_ROWS), csv_bytes(PAYMENT_ROWS)]

TRADE_REPLACEMENTS = [
    (b'"129.90"', b'"' + b"9" * 5000 + b'"'),
    (b'"129.90"', b"1e400"),
    (b'"129.90"', b"NaN"),
    (b'"129.90"', b"-Infinity"),
    (b'"129.90"', b"1" + b"0" * 5000),
    (b'"129.90"', b"[1, 2]"),
    (b'"129.90"', b'{"a": 1}'),
    (b'"129.90"', b"true"),
    (b'"129.90"', b"null"),
    (b'"amount": "129.90"', b'"amount_minor": 123456789012345678901234567890'),
    (b'"amount": "129.90"', b'"amount_minor": 12990, "amount": "1.00"'),
    (b"129.90", b"1,299.0"),
    (b"129.90", b"\xd9\xa1\xd9\xa2\xd9\xa3"),
    (b"129.90", b"9" * 200000),  # longer than the CSV field limit
    (b"2026-03-01", b"2026-02-30"),
    (b"2026-03-01", b"99999-01-01"),
    (b"2026-03-01", b"20260301"),
    (b"2026-03-01", b"2026-03-01T25:00:00"),
    (b'"USD"', b'"usd"'),
    (b'"USD"', b'"XXX"'),
    (b"USD", b"\xc3\x84BC"),
    (b"FZ-M1", b"' OR 1=1 --"),
    (b"FZ-M1", b"FZ\x00M1"),
    (b"FZ-M1", b"\xe2\x80\xae\xf0\x9f\x98\x80" * 40),
    (b'"O-0"', b"123"),
    (b'"O-0"', b'"' + b"O" * 300 + b'"'),
    (b'{"external_id"', b'[{"external_id"'),
    (b"}\n", b"}}\n"),
    (b"}\n", b"\n"),
    (b"\n", b"\r\n"),
    (b"\n", b"\r"),
    (b",", b";"),
    (b",", b',"'),
    (b'"', b""),
    (b"external_id", b"external_id,external_id"),
    (b"external_id", b"\xef\xbb\xbfexternal_id"),
    (b'"external_id"', b'"external_id": "dup", "external_id"'),
]

_FILE_CONTENTS = st.one_of(
    st.binary(max_size=2048),
    st.sampled_from(VALID_FILES).flatmap(lambda v: mutated(v, TRADE_REPLACEMENTS)),
)


def parse_trade_file(data: bytes, kind: str, fmt: str | None, name: str | None) -> list:
    """What ``ingest_file`` does before the database: decode, detect the
    format, read the records, parse each (rejects are held with their raw
    text)."""
    lines = U.text_lines(io.BytesIO(data))
    try:
        return _parse_lines(lines, kind, fmt, name)
    finally:
        lines.close()


def _parse_lines(lines, kind: str, fmt: str | None, name: str | None) -> list:
    first = next(lines, None)
    if first is None:
        return []
    first = first.lstrip("\ufeff")
    fmt = fmt or U.detect_format(name, first)
    all_lines = itertools.chain([first], lines)
    out = []
    for raw in U.ndjson_records(all_lines) if fmt == "ndjson" else U.csv_records(all_lines):
        V.raw_text(raw)
        V.raw_external_id(raw) if not isinstance(raw, V.Unparsed) else None
        if isinstance(raw, V.Unparsed):
            out.append(raw)
            continue
        try:
            out.append(T.parse_record(kind, raw))
        except T.RecordRejected as exc:
            assert exc.code and str(exc)
            out.append(exc)
    return out


@BUDGET
@given(data=_FILE_CONTENTS, kind=st.sampled_from(KINDS), fmt=st.sampled_from([None, "ndjson", "csv"]), name=st.sampled_from([None, "x.csv", "x.ndjson", "x.bin"]))
def test_trade_file_readers_random_and_mutated(data, kind, fmt, name):
    _only_domain_errors(parse_trade_file, data, kind, fmt, name)


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=10**20, max_value=10**40) | st.floats(allow_nan=True, allow_infinity=True)
    | st.decimals(allow_nan=True, allow_infinity=True) | st.text(max_size=50) | st.sampled_from(["2026-03-01", "USD", "129.90", "9610", "DE", "FZ-M1", "O-1", "refund"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
_FIELDS = ["external_id", "order_external_id", "merchant_ref", "currency", "amount", "amount_minor", "order_date", "shipped_on", "paid_on", "refunded_on",
           "customs_mode", "destination_country", "carrier", "method", "kind", "reason"]


@BUDGET
@given(kind=st.sampled_from(KINDS), record=st.one_of(_JSON_VALUES, st.dictionaries(st.sampled_from(_FIELDS), _JSON_VALUES, max_size=len(_FIELDS))))
def test_parse_record_arbitrary_json(kind, record):
    _only_domain_errors(T.parse_record, kind, record)
    _only_domain_errors(V.raw_text, record)


@pytest.fixture
async def intake(ledger):
    """An institution with the merchant the valid files name."""
    from ledger.crypto import Keyring
    from settlement.customers import open_customer

    inst = await ledger.create_institution("fuzz-bank", "Fuzz Bank")
    await open_customer(ledger, Keyring.from_settings(ledger.settings), inst.id, ref="FZ-M1", kind="enterprise", name="Fuzz Trading Ltd", fx_class="A")
    return inst.id


async def test_trade_file_intake_end_to_end(ledger, engine, intake, db_kind):
    """``ingest_file`` on a real database: only a LedgerError escapes, and
    every record read is counted once (inserted, duplicate or rejected)."""
    failures: list[str] = []
    seen = 0

    @DB_BUDGET
    @given(data=_FILE_CONTENTS, kind=st.sampled_from(KINDS), fmt=st.sampled_from([None, "ndjson", "csv"]))
    def run(data, kind, fmt):
        examples.append((data, kind, fmt))

    examples: list = []
    run()  # draw the examples (synchronously), then run them on the test's event loop
    for data, kind, fmt in examples:
        seen += 1
        try:
            report = await T.ingest_file(engine, intake, "fuzzshop", kind, io.BytesIO(data), chunk_size=3, format=fmt)
        except LedgerError:
            continue
        except Exception as exc:  # noqa: BLE001 - the point of the test
            failures.append(f"{type(exc).__name__}: {str(exc)[:300]} <- kind={kind} fmt={fmt} data={data[:300]!r}")
            continue
        assert report.inserted >= 0 and report.rejected_total >= len(report.rejected)
    assert seen >= 30
    assert not failures, f"{len(failures)} of {seen} files raised other than a LedgerError ({db_kind}):\n" + "\n".join(failures[:10])
