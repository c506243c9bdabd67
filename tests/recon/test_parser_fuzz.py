"""Fuzzing the statement parsers: whatever the bytes, the only exception that
may escape is ``StatementRejected`` (random bytes, and valid files
truncated, with flipped bytes, with tags/lines inserted)."""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recon.model import StatementEntry, StatementFooter, StatementHeader, StatementRejected
from recon.parsers import CsvMapping, parse_statement

from . import fixtures

DATA = fixtures.DATA
PUBLIC = "/work/shared/samples/statements"

CAMT_SEEDS = [
    (DATA / "cny.camt053.v8.xml").read_bytes(),
    (DATA / "usd.camt053.v8.xml").read_bytes(),
    Path(f"{PUBLIC}/camt/camt054.v8.xml").read_bytes(),
    Path(f"{PUBLIC}/camt/camt053.v2.minimal.xml").read_bytes(),
]
MT940_SEEDS = [
    (DATA / "usd.mt940.sta").read_bytes(),
    Path(f"{PUBLIC}/mt940/jejik/abnamro.sta").read_bytes(),
    Path(f"{PUBLIC}/mt940/cmxl/mt940.sta").read_bytes(),
]
CSV_SEEDS = [(DATA / "usd.statement.csv").read_bytes()]
CSV_MAPPING = CsvMapping.from_dict(fixtures.CSV_MAPPING)

CAMT_INSERTS = [
    b"<Ntry>", b"</Ntry>", b"<Stmt>", b"</Stmt>", b"<Amt Ccy=\"USD\">1.001</Amt>", b"<Amt>", b"<Sts>PDNG</Sts>",
    b"<!DOCTYPE Document [<!ENTITY x \"y\">]>", b"&x;", b"<![CDATA[<]]>", b"<!-- c -->", b"<?pi x?>",
    b"<Dt>2026-13-01</Dt>", b"<DtTm>2026-01-01T25:00:00</DtTm>", b"<CdtDbtInd>XX</CdtDbtInd>", b"\x00", b"\xff\xfe",
    b"<GrpHdr><MsgId>x</MsgId><CreDtTm>2026-01-01T00:00:00</CreDtTm></GrpHdr>", b'<x:a xmlns:x="urn:x">', b"<Ntfctn>",
]
MT940_INSERTS = [
    b"\n:20:X\n", b"\n:61:", b"\n:61:2601010101C1,NTRFNONREF\n", b"\n:60F:C260101USD1,00\n", b"\n:62F:D260101EUR,\n",
    b"\n-\n", b"\n-}\n", b"\n:86:", b"\n:28C:1/1\n", b"\n:25:\n", b"\r", b"\n:NS:22x\n", b"?20", b"\xc3\x28", b"\x00",
    b"\n:61:991399C1,NTRF\n", b"\n:60F:C260101XXX1,001\n", b"\n:90D:1USD1,\n", b"\n:13D:2601010101+0100\n",
]
CSV_INSERTS = [b";", b"\"", b"\r\n", b"\n", b"\x00", b"\xff", b"-", b"1.000.000,001", b";;;;;;;;;;", b"\"\"\"", b"31.02.2026"]

BUDGET = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


def _consume(data: bytes, **kw) -> None:
    try:
        events = list(parse_statement(io.BytesIO(data), **kw))
    except StatementRejected as exc:
        assert exc.details["position"]
        assert exc.details["format"]
        return
    # whatever parses is well formed: header, entries, footer
    open_ = False
    for ev in events:
        if isinstance(ev, StatementHeader):
            assert not open_
            open_ = True
        elif isinstance(ev, StatementEntry):
            assert open_ and isinstance(ev.amount_minor, int) and ev.currency
        else:
            assert isinstance(ev, StatementFooter) and open_
            open_ = False
    assert not open_


@st.composite
def mutated(draw, seeds: list[bytes], inserts: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "duplicate"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if kind == "truncate":
            del data[at:]
        elif kind == "flip":
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(inserts))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        else:
            end = min(len(data), at + draw(st.integers(1, 400)))
            data[at:at] = data[at:end]
    return bytes(data)


RANDOM = st.binary(max_size=2_000)


@BUDGET
@given(st.one_of(RANDOM, mutated(CAMT_SEEDS, CAMT_INSERTS)))
def test_camt_parser_only_ever_refuses_with_statement_rejected(data):
    _consume(data, fmt="camt.053")


@BUDGET
@given(st.one_of(RANDOM, mutated(MT940_SEEDS, MT940_INSERTS)))
def test_mt940_parser_only_ever_refuses_with_statement_rejected(data):
    _consume(data, fmt="mt940")


@BUDGET
@given(st.one_of(RANDOM, mutated(CSV_SEEDS, CSV_INSERTS)))
def test_csv_parser_only_ever_refuses_with_statement_rejected(data):
    _consume(data, fmt="csv", csv_mapping=CSV_MAPPING)


@BUDGET
@given(st.one_of(RANDOM, mutated(CAMT_SEEDS + MT940_SEEDS + CSV_SEEDS, CAMT_INSERTS + MT940_INSERTS)))
def test_format_detection_and_dispatch_only_ever_refuse_with_statement_rejected(data):
    _consume(data, csv_mapping=CSV_MAPPING)
