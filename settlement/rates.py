"""FX rates: sources, stored mid rates, bank buy/sell rates, conversions.

Sources
    A :class:`RateSource` yields mid rates.  :class:`EcbXmlRateSource` reads a
    published reference-rate file over HTTP in the European Central Bank's
    euro foreign exchange reference rates XML format (the daily
    ``eurofxref-daily.xml`` and the history ``eurofxref-hist.xml`` have the
    same shape: ``gesmes:Envelope / Cube / Cube time= / Cube currency= rate=``).
    The file is parsed by a real XML parser (defusedxml's expat SAX driver)
    that refuses DTDs, entity declarations and external references, and its
    structure is checked element by element; anything wrong raises
    :class:`RateFileInvalid` naming the line and element at fault, and nothing
    of that file is stored, so the rates stored before stay in force.
    :class:`ManualRateSource` holds rates an institution enters itself;
    :meth:`RateService.set_manual_rate` stores one directly (with an audit
    entry).

Storage
    Every mid rate is stored as exact decimal text with its source, rate date
    and fetch time (``settlement.tables_rates.fx_rates``), append-only.

Which mid rate applies (precedence rule)
    For a pair X/Y, institution I and day D (default: today in the
    regulatory time zone), only rates dated on or before D and not older
    than ``rate_max_age_days`` (default 31, per institution in
    ``SettlementConfig.extra``) count, from the shared published rates and
    I's own rates (manual, or published by I's own feed).  For each stored
    pair the newest rate date wins; on the same date a manual rate beats a
    published one, an institution's own beats a shared one, and a later fetch
    beats an earlier one.  So a manual rate overrides the published ones for
    its institution from its date until a newer published rate appears.
    The candidates for X/Y are the stored X/Y or Y/X rate (direct or
    inverted) and the cross through each pivot P (EUR, then USD):
    X/Y = (P/Y) / (P/X), dated by its older leg.  The newest candidate wins;
    on a tie, direct beats cross and EUR beats USD.  No candidate:
    :class:`RateUnavailable`.

Precision
    Stored rates are used exactly as published.  Inverted, cross and bank
    rates are computed with 34 significant digits and rounded half-up to 12
    significant digits (``RateService.significant_digits``).

Bank rates
    buy = mid x (1 - spread_bp / 10000) (the bank buys the base currency:
    conversion to CNY, 结汇); sell = mid x (1 + spread_bp / 10000).  The spread
    is set per institution and pair (either orientation); without one the
    institution's ``SettlementConfig.default_spread_bp`` applies.

Every :class:`Rate` carries its source, date and fetch time, the spread and
the stored rates it was derived from; :meth:`Rate.to_metadata` is the JSON
to store on the ledger transaction that uses it.
"""

from __future__ import annotations

import asyncio
import inspect
import io
import os
import xml.sax
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Any, Literal, Protocol, runtime_checkable
from uuid import UUID

import httpx
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden, expatreader
from sqlalchemy import and_, case, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ledger import errors as E
from ledger.clock import business_today, utc_now
from ledger.events import record_audit
from ledger.ids import uuid7
from ledger.money import currency as check_currency
from ledger.money import from_minor, round_to_minor

from .config import SettlementConfig
from .tables_rates import fx_rates, fx_spreads

__all__ = [
    "ECB_DAILY_URL",
    "EcbXmlRateSource",
    "InvalidRate",
    "ManualRateSource",
    "Rate",
    "RateFileInvalid",
    "RateService",
    "RateSource",
    "RateSourceUnavailable",
    "RateUnavailable",
    "RefreshResult",
    "SourceRate",
    "convert",
    "default_sources",
    "parse_ecb_xml",
]

ECB_DAILY_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
GESMES_NS = "http://www.gesmes.org/xml/2002-08-01"
ECB_NS = "http://www.ecb.int/vocabulary/2002-08-01/eurofxref"

#: digits of intermediate computations (inversions, crosses, spreads)
_WORK_PRECISION = 34
#: longest accepted rate text; a rate has at most this many significant digits
_MAX_RATE_TEXT = 40
_MAX_RATE_DIGITS = 24

Side = Literal["buy", "sell"]


# -- errors ----------------------------------------------------------------------------------------


class RateUnavailable(E.LedgerError):
    """No usable rate for the pair on or before the day."""

    code = "rate_unavailable"
    status = 422
    title = "Rate unavailable"

    def __init__(self, base: str, quote: str, on: date, max_age_days: int | None = None) -> None:
        window = f" (rates older than {max_age_days} days are not used)" if max_age_days is not None else ""
        super().__init__(
            f"no {base}/{quote} rate on or before {on.isoformat()}{window}",
            base=base,
            quote=quote,
            on=on.isoformat(),
            max_age_days=max_age_days,
        )


class RateFileInvalid(E.LedgerError):
    """A published rate file is not a valid file of its format.  Nothing of it
    was stored; the rates stored before stay in force."""

    code = "rate_file_invalid"
    status = 422
    title = "Rate file invalid"

    def __init__(self, reason: str, *, source: str = "", line: int | None = None, element: str | None = None, url: str | None = None) -> None:
        where = []
        if line is not None:
            where.append(f"line {line}")
        if element:
            where.append(f"element <{element}>")
        at = f" at {', '.join(where)}" if where else ""
        src = f"{source} " if source else ""
        super().__init__(
            f"{src}rate file{(' ' + url) if url else ''} is invalid{at}: {reason}; the stored rates stay in force",
            source=source,
            url=url,
            line=line,
            element=element,
            reason=reason,
        )


class RateSourceUnavailable(E.LedgerError):
    """The rate source could not be read (network error, HTTP status, too
    large).  Nothing was stored; the stored rates stay in force."""

    code = "rate_source_unavailable"
    status = 502
    title = "Rate source unavailable"

    def __init__(self, source: str, url: str, reason: str, http_status: int | None = None) -> None:
        super().__init__(
            f"rate source {source} ({url}) could not be read: {reason}; the stored rates stay in force",
            source=source,
            url=url,
            reason=reason,
            http_status=http_status,
        )


class InvalidRate(E.InvalidInput):
    code = "invalid_rate"
    title = "Invalid rate"


class SameCurrencyPair(E.LedgerError):
    """A spread (or rate) is between two different currencies."""

    code = "same_currency_pair"
    title = "Base and quote are the same currency"

    def __init__(self, base: str, quote: str) -> None:
        super().__init__(f"a spread needs two different currencies, got {base}/{quote}", base=base, quote=quote)


class SpreadAboveMaximum(E.LedgerError):
    """A spread beyond the institution's configured ``max_spread_bp``."""

    code = "spread_above_maximum"
    title = "Spread above the institution's maximum"


class UnknownRateSource(E.LedgerError):
    """A refresh names a rate source that is not configured."""

    code = "unknown_rate_source"
    title = "Unknown rate source"


# -- values ----------------------------------------------------------------------------------------


def _iso(v: date | datetime | None) -> str | None:
    return v.isoformat() if v is not None else None


def _plain(v: Decimal) -> str:
    return format(v, "f")


@dataclass(frozen=True)
class Rate:
    """A rate: ``value`` units of ``quote`` per one unit of ``base``.

    ``kind`` is ``mid``, ``buy`` or ``sell``; ``method`` says how it was
    obtained: ``stored`` (a stored rate as is, ``rate_id`` its row),
    ``inverse``, ``cross:<pivot>``, ``spread`` (a bank rate from its mid) or
    ``identity``; ``legs`` are the rates it was derived from.
    """

    base: str
    quote: str
    value: Decimal
    kind: str = "mid"
    source: str = ""
    as_of: date | None = None
    fetched_at: datetime | None = None
    spread_bp: int | None = None
    method: str = "stored"
    rate_id: UUID | None = None
    legs: tuple[Rate, ...] = ()

    @property
    def pair(self) -> str:
        return f"{self.base}/{self.quote}"

    def to_metadata(self) -> dict[str, Any]:
        """JSON-able description to store on the ledger transaction that
        uses this rate: value as exact decimal text, source, dates, spread
        and the stored rates it came from."""
        return {
            "base": self.base,
            "quote": self.quote,
            "value": _plain(self.value),
            "kind": self.kind,
            "source": self.source,
            "as_of": _iso(self.as_of),
            "fetched_at": _iso(self.fetched_at),
            "spread_bp": self.spread_bp,
            "method": self.method,
            "rate_id": str(self.rate_id) if self.rate_id else None,
            "legs": [leg.to_metadata() for leg in self.legs],
        }

    @classmethod
    def from_metadata(cls, data: dict[str, Any]) -> Rate:
        """Rebuild a rate from :meth:`to_metadata`."""
        return cls(
            base=data["base"],
            quote=data["quote"],
            value=Decimal(data["value"]),
            kind=data.get("kind", "mid"),
            source=data.get("source", ""),
            as_of=date.fromisoformat(data["as_of"]) if data.get("as_of") else None,
            fetched_at=datetime.fromisoformat(data["fetched_at"]) if data.get("fetched_at") else None,
            spread_bp=data.get("spread_bp"),
            method=data.get("method", "stored"),
            rate_id=UUID(data["rate_id"]) if data.get("rate_id") else None,
            legs=tuple(cls.from_metadata(x) for x in data.get("legs") or ()),
        )


@dataclass(frozen=True)
class SourceRate:
    """One mid rate as a source publishes it."""

    base: str
    quote: str
    value: Decimal
    as_of: date


@dataclass(frozen=True)
class RefreshResult:
    source: str
    ok: bool
    fetched_at: datetime
    days: int = 0
    rates: int = 0
    inserted: int = 0
    unchanged: int = 0
    first_date: date | None = None
    last_date: date | None = None
    error: dict[str, Any] | None = None


def _significant(value: Decimal, digits: int) -> Decimal:
    """``value`` rounded half-up to ``digits`` significant digits."""
    if value == 0:
        return value
    with localcontext() as ctx:
        ctx.prec = _WORK_PRECISION
        return value.quantize(Decimal(1).scaleb(value.adjusted() - digits + 1), rounding=ROUND_HALF_UP)


def _code(value: Any, field_name: str = "currency") -> str:
    if not isinstance(value, str):
        raise E.UnknownCurrency(value)
    check_currency(value)
    return value


def parse_rate_value(value: Any) -> Decimal:
    """A rate from text, ``Decimal`` or ``int``: finite, positive, at most
    24 significant digits.  Floats are refused.  Raises :class:`InvalidRate`."""
    if isinstance(value, (bool, float)) or value is None:
        raise InvalidRate(f"rate {value!r} must be a decimal string, never a float", value=str(value))
    if isinstance(value, Decimal):
        dec = value
    elif isinstance(value, int):
        dec = Decimal(value)
    else:
        text = str(value).strip()
        if not text or len(text) > _MAX_RATE_TEXT:
            raise InvalidRate(f"rate {value!r} is empty or longer than {_MAX_RATE_TEXT} characters", value=str(value)[:60])
        try:
            dec = Decimal(text)
        except InvalidOperation:
            raise InvalidRate(f"rate {value!r} is not a decimal number", value=text) from None
    if not dec.is_finite() or dec <= 0:
        raise InvalidRate(f"rate {value!r} must be a finite positive number", value=str(value))
    if len(dec.as_tuple().digits) > _MAX_RATE_DIGITS:
        raise InvalidRate(f"rate {value!r} has more than {_MAX_RATE_DIGITS} significant digits", value=str(value))
    return dec


def convert(amount_minor: int, from_ccy: str, to_ccy: str, rate: Rate, rounding: str = ROUND_HALF_UP) -> int:
    """``amount_minor`` of ``from_ccy`` in minor units of ``to_ccy`` at
    ``rate`` (which must be ``from_ccy/to_ccy``), rounded (half-up by
    default) to the target's minor unit.  Raises :class:`InvalidInput`."""
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int):
        raise E.InvalidInput(f"amount must be an integer of minor units, got {amount_minor!r}")
    _code(from_ccy)
    _code(to_ccy)
    if (rate.base, rate.quote) != (from_ccy, to_ccy):
        raise E.InvalidInput(
            f"a {rate.base}/{rate.quote} rate cannot convert {from_ccy} to {to_ccy}", rate_pair=rate.pair, from_currency=from_ccy, to_currency=to_ccy
        )
    if from_ccy == to_ccy:
        return amount_minor
    with localcontext() as ctx:
        ctx.prec = 60
        return round_to_minor(from_minor(amount_minor, from_ccy) * rate.value, to_ccy, rounding)


# -- sources ---------------------------------------------------------------------------------------


@runtime_checkable
class RateSource(Protocol):
    """Where mid rates come from.

    ``name`` is stored as the rates' source; ``kind`` is ``published`` or
    ``manual``; ``institution_id`` is None for a source shared by every
    institution.  :meth:`fetch` returns the rates or raises a
    :class:`~ledger.errors.LedgerError` (:class:`RateFileInvalid`,
    :class:`RateSourceUnavailable`)."""

    name: str
    kind: str
    institution_id: UUID | None

    async def fetch(self) -> Sequence[SourceRate]: ...


class _EcbHandler(xml.sax.handler.ContentHandler):
    """SAX handler checking the ECB reference-rate structure as it reads."""

    def __init__(self, source: str, url: str | None) -> None:
        super().__init__()
        self.source = source
        self.url = url
        self.locator: Any = None
        self.stack: list[tuple[str | None, str]] = []
        self.outer_cubes = 0
        self.day: date | None = None
        self.day_line: int | None = None
        self.day_currencies: set[str] = set()
        self.days: set[date] = set()
        self.rates: list[SourceRate] = []

    # helpers
    def line(self) -> int | None:
        return self.locator.getLineNumber() if self.locator is not None else None

    def fail(self, reason: str, element: str | None = None, line: int | None = None) -> None:
        raise RateFileInvalid(reason, source=self.source, line=line if line is not None else self.line(), element=element, url=self.url)

    def setDocumentLocator(self, locator: Any) -> None:  # SAX API name
        self.locator = locator

    def startElementNS(self, name: tuple[str | None, str], qname: str | None, attrs: Any) -> None:  # SAX API name
        uri, local = name
        label = qname or local
        depth = len(self.stack)
        parent = self.stack[-1] if self.stack else None
        if depth == 0:
            if (uri, local) != (GESMES_NS, "Envelope"):
                self.fail(f"the root element must be gesmes:Envelope in namespace {GESMES_NS}", label)
        elif uri == GESMES_NS:
            # gesmes:subject, gesmes:Sender/gesmes:name: descriptive, not read
            if any(p == (ECB_NS, "Cube") for p in self.stack):
                self.fail("unexpected element inside a Cube", label)
        elif (uri, local) == (ECB_NS, "Cube"):
            cube_depth = sum(1 for p in self.stack if p == (ECB_NS, "Cube"))
            if cube_depth == 0:
                if parent != (GESMES_NS, "Envelope"):
                    self.fail("the outer Cube must be a child of the envelope", label)
                self.outer_cubes += 1
                if self.outer_cubes > 1:
                    self.fail("more than one outer Cube", label)
            elif cube_depth == 1:
                self._start_day(attrs, label)
            elif cube_depth == 2:
                self._rate(attrs, label)
            else:
                self.fail("Cube nested deeper than Cube/Cube[@time]/Cube[@currency]", label)
        else:
            self.fail(f"unexpected element {{{uri}}}{local}", label)
        self.stack.append((uri, local))

    def _start_day(self, attrs: Any, label: str) -> None:
        time_text = attrs.get((None, "time"))
        if time_text is None:
            self.fail("a day Cube needs a time attribute (YYYY-MM-DD)", label)
        text = time_text.strip()
        try:
            if len(text) != 10 or text[4] != "-" or text[7] != "-":
                raise ValueError
            day = date.fromisoformat(text)
        except ValueError:
            self.fail(f"time {time_text!r} is not a date YYYY-MM-DD", label)
        if day in self.days:
            self.fail(f"day {text} appears twice", label)
        self.days.add(day)
        self.day = day
        self.day_line = self.line()
        self.day_currencies = set()

    def _rate(self, attrs: Any, label: str) -> None:
        cur = attrs.get((None, "currency"))
        rate_text = attrs.get((None, "rate"))
        if cur is None or rate_text is None:
            self.fail("a rate Cube needs currency and rate attributes", label)
        cur = cur.strip()
        if len(cur) != 3 or not cur.isascii() or not cur.isalpha() or not cur.isupper():
            self.fail(f"currency {cur!r} is not a 3-letter ISO 4217 code", label)
        if cur == "EUR":
            self.fail("a rate of EUR against EUR", label)
        if cur in self.day_currencies:
            self.fail(f"currency {cur} appears twice on {self.day}", label)
        text = rate_text.strip()
        if not text or len(text) > _MAX_RATE_TEXT or text.count(".") > 1 or any(c not in "0123456789." for c in text) or not any(c.isdigit() for c in text):
            self.fail(f"rate {rate_text!r} of {cur} is not a plain decimal number", label)
        value = Decimal(text)
        if value <= 0:
            self.fail(f"rate {rate_text!r} of {cur} is not positive", label)
        self.day_currencies.add(cur)
        assert self.day is not None
        self.rates.append(SourceRate("EUR", cur, value, self.day))

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:  # SAX API name
        closing = self.stack.pop()
        if closing == (ECB_NS, "Cube") and sum(1 for p in self.stack if p == (ECB_NS, "Cube")) == 1:
            if not self.day_currencies:
                self.fail(f"day {self.day} has no rates", qname or "Cube", line=self.day_line)
            self.day = None

    def characters(self, content: str) -> None:
        if content.strip() and any(p == (ECB_NS, "Cube") for p in self.stack):
            self.fail(f"unexpected text {content.strip()[:40]!r} inside a Cube", "Cube")

    def endDocument(self) -> None:  # SAX API
        if self.outer_cubes == 0:
            self.fail("the envelope has no Cube of rates", "Envelope")
        if not self.rates:
            self.fail("the file holds no rates", "Cube")


def parse_ecb_xml(content: bytes, *, source: str = "ecb", url: str | None = None) -> list[SourceRate]:
    """Parse an ECB euro reference-rate XML file (daily or history) into
    EUR-based mid rates.  Raises :class:`RateFileInvalid` (with the line and
    element at fault) for anything that is not such a file, including any
    DTD, entity declaration or external reference."""
    handler = _EcbHandler(source, url)
    parser = expatreader.create_parser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setFeature(xml.sax.handler.feature_namespaces, True)
    parser.setFeature(xml.sax.handler.feature_external_ges, False)
    parser.setContentHandler(handler)
    inp = xml.sax.xmlreader.InputSource()
    inp.setByteStream(io.BytesIO(content))
    try:
        parser.parse(inp)
    except RateFileInvalid:
        raise
    except xml.sax.SAXParseException as exc:
        raise RateFileInvalid(f"not well-formed XML: {exc.getMessage()} (column {exc.getColumnNumber()})", source=source, line=exc.getLineNumber(), url=url) from None
    except DTDForbidden:
        raise RateFileInvalid("a document type declaration (DTD) is refused", source=source, line=handler.line(), element="!DOCTYPE", url=url) from None
    except (EntitiesForbidden, ExternalReferenceForbidden):
        raise RateFileInvalid("entity declarations and external references are refused", source=source, line=handler.line(), element="!ENTITY", url=url) from None
    except (DefusedXmlException, xml.sax.SAXException, ValueError, LookupError) as exc:  # LookupError: an unknown declared encoding
        raise RateFileInvalid(f"unreadable XML: {exc}", source=source, line=handler.line(), url=url) from None
    return handler.rates


class EcbXmlRateSource:
    """Reads an ECB-format reference-rate XML file over HTTP (GET ``url``).

    ``client``: an ``httpx.AsyncClient`` to use (its lifetime is the
    caller's); without one a client is made per fetch.  Responses larger
    than ``max_bytes`` are refused."""

    kind = "published"

    def __init__(
        self,
        url: str = ECB_DAILY_URL,
        client: httpx.AsyncClient | None = None,
        *,
        name: str = "ecb",
        institution_id: UUID | None = None,
        timeout: float = 30.0,
        max_bytes: int = 64 * 1024 * 1024,
    ) -> None:
        self.url = url
        self.client = client
        self.name = name
        self.institution_id = institution_id
        self.timeout = timeout
        self.max_bytes = max_bytes

    async def fetch(self) -> list[SourceRate]:
        """GET and parse the file.  Raises :class:`RateSourceUnavailable`,
        :class:`RateFileInvalid`."""
        try:
            if self.client is not None:
                content = await self._get(self.client)
            else:
                async with httpx.AsyncClient(timeout=self.timeout, follow_redirects=True) as client:
                    content = await self._get(client)
        except httpx.HTTPError as exc:
            raise RateSourceUnavailable(self.name, self.url, f"{type(exc).__name__}: {exc}") from None
        if len(content) > 256 * 1024:  # the history file: parse off the event loop
            return await asyncio.to_thread(parse_ecb_xml, content, source=self.name, url=self.url)
        return parse_ecb_xml(content, source=self.name, url=self.url)

    async def _get(self, client: httpx.AsyncClient) -> bytes:
        async with client.stream("GET", self.url, timeout=self.timeout) as resp:
            if resp.status_code != 200:
                raise RateSourceUnavailable(self.name, self.url, f"HTTP status {resp.status_code}", http_status=resp.status_code)
            buf = bytearray()
            async for chunk in resp.aiter_bytes():
                buf.extend(chunk)
                if len(buf) > self.max_bytes:
                    raise RateSourceUnavailable(self.name, self.url, f"response larger than {self.max_bytes} bytes")
            return bytes(buf)


class ManualRateSource:
    """Mid rates an institution enters itself (for pairs no reference file
    publishes, or to override one).  :meth:`RateService.refresh` stores them
    as the institution's manual rates."""

    kind = "manual"

    def __init__(self, institution_id: UUID, rates: Iterable[SourceRate] = (), *, name: str = "manual") -> None:
        self.institution_id = institution_id
        self.name = name
        self._rates: list[SourceRate] = []
        for r in rates:
            self.add(r.base, r.quote, r.value, r.as_of)

    def add(self, base: str, quote: str, value: str | Decimal | int, as_of: date) -> SourceRate:
        """Add a rate (validated).  Raises :class:`InvalidRate`, ``UnknownCurrency``."""
        _code(base)
        _code(quote)
        if base == quote:
            raise InvalidRate(f"a rate needs two different currencies, got {base}/{quote}", base=base, quote=quote)
        r = SourceRate(base, quote, parse_rate_value(value), as_of)
        self._rates.append(r)
        return r

    async def fetch(self) -> list[SourceRate]:
        return list(self._rates)


def default_sources() -> list[RateSource]:
    """The shared published source of a deployment: the ECB daily file, or
    the URL in ``XBORDER_RATES_URL`` (empty: none)."""
    url = os.environ.get("XBORDER_RATES_URL", ECB_DAILY_URL).strip()
    return [EcbXmlRateSource(url)] if url else []


# -- the service -----------------------------------------------------------------------------------


ConfigProvider = SettlementConfig | Callable[[UUID], SettlementConfig | Awaitable[SettlementConfig]] | None


class RateService:
    """Stored mid rates, bank rates and conversions.

    ``config``: a :class:`SettlementConfig`, or a callable (sync or async)
    giving the institution's config (for example ``Settlement.config``), or
    None for the defaults.  It may be set after construction.  Per-institution
    parameters read: ``default_spread_bp``, ``rounding``,
    ``regulatory_timezone``, and in ``extra``: ``rate_max_age_days`` (default
    31; None: unlimited) and ``max_spread_bp`` (default 1000).
    """

    def __init__(
        self,
        engine: AsyncEngine,
        sources: Iterable[RateSource] = (),
        config: ConfigProvider = None,
        *,
        pivots: Sequence[str] = ("EUR", "USD"),
        significant_digits: int = 12,
        max_age_days: int | None = 31,
        max_spread_bp: int = 1000,
    ) -> None:
        if significant_digits < 10:
            raise ValueError("rates keep at least 10 significant digits")
        self.engine = engine
        self.sources: dict[str, RateSource] = {}
        for s in sources:
            self.add_source(s)
        self.config = config
        self.pivots = tuple(pivots)
        self.significant_digits = significant_digits
        self.max_age_days = max_age_days
        self.max_spread_bp = max_spread_bp
        #: the last refresh of each source (in this process)
        self.last_refresh: dict[str, RefreshResult] = {}

    def add_source(self, source: RateSource) -> None:
        if source.name in self.sources:
            raise ValueError(f"two rate sources named {source.name!r}")
        self.sources[source.name] = source

    async def _config(self, institution_id: UUID | None) -> SettlementConfig:
        cfg = self.config
        if cfg is None or (institution_id is None and not isinstance(cfg, SettlementConfig)):
            return SettlementConfig()
        if isinstance(cfg, SettlementConfig):
            return cfg
        out = cfg(institution_id)  # type: ignore[arg-type]  # a callable config takes the institution's id
        if inspect.isawaitable(out):
            out = await out
        return out

    def _max_age(self, cfg: SettlementConfig) -> int | None:
        return cfg.extra.get("rate_max_age_days", self.max_age_days)

    @staticmethod
    def today(cfg: SettlementConfig | None = None) -> date:
        """Today in the regulatory time zone."""
        return business_today((cfg or SettlementConfig()).regulatory_timezone)

    # -- storing ------------------------------------------------------------------------------

    async def refresh(
        self,
        names: Iterable[str] | None = None,
        *,
        institution_id: UUID | None = None,
        since: date | None = None,
        raise_errors: bool = True,
    ) -> list[RefreshResult]:
        """Fetch each source (all, or those named) and store the rates not
        stored yet (a changed value is stored as a correction).  With
        ``institution_id``, only the shared sources and that institution's.
        ``since`` skips older days (for a history file).  Each source is
        stored in its own database transaction; a source that fails stores
        nothing and the rates stored before stay in force.  Raises the first
        failure (:class:`RateFileInvalid`, :class:`RateSourceUnavailable`)
        after the other sources were stored, unless ``raise_errors`` is
        false; raises :class:`InvalidInput` for an unknown source name."""
        if names is None:
            chosen = list(self.sources.values())
        else:
            chosen = []
            for n in names:
                if n not in self.sources:
                    raise UnknownRateSource(f"unknown rate source {n!r}; known: {', '.join(sorted(self.sources)) or 'none'}", source=n, known=sorted(self.sources))
                chosen.append(self.sources[n])
        if institution_id is not None:
            chosen = [s for s in chosen if s.institution_id is None or s.institution_id == institution_id]
        results: list[RefreshResult] = []
        first_error: E.LedgerError | None = None
        for src in chosen:
            fetched_at = utc_now()
            try:
                got = list(await src.fetch())
                if since is not None:
                    got = [r for r in got if r.as_of >= since]
                inserted, unchanged = await self.store(src.name, src.kind, src.institution_id, got, fetched_at=fetched_at)
                dates = sorted({r.as_of for r in got})
                res = RefreshResult(
                    src.name, True, fetched_at, days=len(dates), rates=len(got), inserted=inserted, unchanged=unchanged,
                    first_date=dates[0] if dates else None, last_date=dates[-1] if dates else None,
                )
            except E.LedgerError as exc:
                first_error = first_error or exc
                res = RefreshResult(src.name, False, fetched_at, error=exc.to_dict())
            self.last_refresh[src.name] = res
            results.append(res)
        if first_error is not None and raise_errors:
            raise first_error
        return results

    async def store(
        self,
        source: str,
        kind: str,
        institution_id: UUID | None,
        rates: Sequence[SourceRate],
        *,
        fetched_at: datetime | None = None,
        entered_by: str | None = None,
    ) -> tuple[int, int]:
        """Store mid rates of one source in one transaction; a rate equal to
        the one already stored for its source, pair and day is skipped.
        Returns (inserted, unchanged)."""
        if kind not in ("published", "manual"):
            raise E.InvalidInput(f"unknown rate kind {kind!r}")
        if kind == "manual" and institution_id is None:
            raise E.InvalidInput("a manual rate belongs to an institution")
        if not rates:
            return 0, 0
        fetched_at = fetched_at or utc_now()
        for r in rates:
            if r.base == r.quote:
                raise InvalidRate(f"a rate needs two different currencies, got {r.base}/{r.quote}")
        lo, hi = min(r.as_of for r in rates), max(r.as_of for r in rates)
        scope = fx_rates.c.institution_id.is_(None) if institution_id is None else fx_rates.c.institution_id == institution_id

        async with self.engine.begin() as conn:
            existing: dict[tuple[str, str, date], tuple[datetime, Decimal]] = {}
            q = select(fx_rates.c.base, fx_rates.c.quote, fx_rates.c.rate_date, fx_rates.c.rate, fx_rates.c.fetched_at).where(
                fx_rates.c.source == source, fx_rates.c.kind == kind, scope, fx_rates.c.rate_date >= lo, fx_rates.c.rate_date <= hi
            )
            for row in await conn.execute(q):
                key = (row.base, row.quote, row.rate_date)
                prev = existing.get(key)
                if prev is None or _aware(row.fetched_at) > prev[0]:
                    existing[key] = (_aware(row.fetched_at), Decimal(row.rate))
            new_rows = []
            unchanged = 0
            for r in rates:
                prev = existing.get((r.base, r.quote, r.as_of))
                if prev is not None and prev[1] == r.value:
                    unchanged += 1
                    continue
                new_rows.append(
                    dict(
                        id=uuid7(), institution_id=institution_id, kind=kind, source=source, base=r.base, quote=r.quote,
                        rate=_plain(r.value), rate_date=r.as_of, fetched_at=fetched_at, entered_by=entered_by,
                    )
                )
                existing[(r.base, r.quote, r.as_of)] = (fetched_at, r.value)
            for i in range(0, len(new_rows), 1000):
                await conn.execute(fx_rates.insert(), new_rows[i : i + 1000])
        return len(new_rows), unchanged

    async def set_manual_rate(
        self,
        institution_id: UUID,
        base: str,
        quote: str,
        value: str | Decimal | int,
        as_of: date | None = None,
        *,
        actor: str = "system",
        request_id: str | None = None,
    ) -> Rate:
        """Store a mid rate the institution enters for ``as_of`` (default:
        today in the regulatory time zone; never a later day), with an audit entry.  It applies
        to this institution only, by the precedence rule of the module.
        Raises :class:`InvalidRate`, ``UnknownCurrency``."""
        dec, as_of = await self.check_manual_rate(institution_id, base, quote, value, as_of)
        row_id = uuid7()
        now = utc_now()
        async with self.engine.begin() as conn:
            await conn.execute(
                fx_rates.insert().values(
                    id=row_id, institution_id=institution_id, kind="manual", source="manual", base=base, quote=quote,
                    rate=_plain(dec), rate_date=as_of, fetched_at=now, entered_by=actor[:100],
                )
            )
            rate = Rate(base, quote, dec, "mid", "manual", as_of, now, method="stored", rate_id=row_id)
            await _audit(conn, institution_id, actor, "fx_rate.manual_set", "fx_rate", str(row_id), None, rate.to_metadata(), request_id)
        return rate

    # -- spreads ------------------------------------------------------------------------------

    async def spread_bp(self, institution_id: UUID, base: str, quote: str) -> int:
        """The institution's spread for the pair (either orientation), else
        its ``default_spread_bp``."""
        if base == quote:
            return 0
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(fx_spreads.c.base, fx_spreads.c.spread_bp).where(
                        fx_spreads.c.institution_id == institution_id,
                        or_(and_(fx_spreads.c.base == base, fx_spreads.c.quote == quote), and_(fx_spreads.c.base == quote, fx_spreads.c.quote == base)),
                    )
                )
            ).all()
        if rows:
            exact = [r for r in rows if r.base == base]
            return int((exact or rows)[0].spread_bp)
        return int((await self._config(institution_id)).default_spread_bp)

    async def list_spreads(self, institution_id: UUID) -> list[dict[str, Any]]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(select(fx_spreads).where(fx_spreads.c.institution_id == institution_id).order_by(fx_spreads.c.base, fx_spreads.c.quote))
            return [
                {"base": r.base, "quote": r.quote, "spread_bp": r.spread_bp, "updated_at": _aware(r.updated_at), "updated_by": r.updated_by}
                for r in rows
            ]

    async def check_manual_rate(self, institution_id: UUID, base: str, quote: str, value: str | Decimal | int, as_of: date | None = None) -> tuple[Decimal, date]:
        """The rate and date :meth:`set_manual_rate` would store (``as_of``
        resolved to today when absent).  Raises :class:`InvalidRate`, ``UnknownCurrency``."""
        _code(base)
        _code(quote)
        if base == quote:
            raise InvalidRate(f"a rate needs two different currencies, got {base}/{quote}", base=base, quote=quote)
        dec = parse_rate_value(value)
        cfg = await self._config(institution_id)
        today = self.today(cfg)
        as_of = as_of or today
        if as_of > today:  # a rate is observed, never announced ahead
            raise InvalidRate(
                f"as_of {as_of} is in the future: a manual rate may be dated today ({today}, {cfg.regulatory_timezone}) or earlier",
                field="as_of", as_of=str(as_of), latest=str(today), timezone=cfg.regulatory_timezone,
            )
        return dec, as_of

    async def check_spread(self, institution_id: UUID, base: str, quote: str, spread_bp: int) -> None:
        """What :meth:`set_spread` would refuse.  Raises :class:`InvalidInput`."""
        _code(base)
        _code(quote)
        if base == quote:
            raise SameCurrencyPair(base, quote)
        cfg = await self._config(institution_id)
        limit = int(cfg.extra.get("max_spread_bp", self.max_spread_bp))
        if isinstance(spread_bp, bool) or not isinstance(spread_bp, int) or spread_bp < 0:
            raise E.InvalidInput(f"spread must be a non-negative integer number of basis points, got {spread_bp!r}", spread_bp=str(spread_bp))
        if spread_bp > min(limit, 9999):
            raise SpreadAboveMaximum(f"spread must be an integer number of basis points from 0 to {limit}, got {spread_bp!r}", spread_bp=str(spread_bp), max_spread_bp=limit)

    async def set_spread(
        self, institution_id: UUID, base: str, quote: str, spread_bp: int, *, actor: str = "system", request_id: str | None = None
    ) -> dict[str, Any]:
        """Set the institution's spread for the pair, in basis points (0 to
        ``max_spread_bp``), with an audit entry.  Raises :class:`InvalidInput`."""
        await self.check_spread(institution_id, base, quote, spread_bp)
        now = utc_now()
        key = and_(fx_spreads.c.institution_id == institution_id, fx_spreads.c.base == base, fx_spreads.c.quote == quote)
        async with self.engine.begin() as conn:
            before = (await conn.execute(select(fx_spreads.c.spread_bp).where(key))).first()
            if before is None:
                await conn.execute(fx_spreads.insert().values(institution_id=institution_id, base=base, quote=quote, spread_bp=spread_bp, updated_at=now, updated_by=actor[:100]))
            else:
                await conn.execute(fx_spreads.update().where(key).values(spread_bp=spread_bp, updated_at=now, updated_by=actor[:100]))
            await _audit(
                conn, institution_id, actor, "fx_spread.set", "fx_spread", f"{base}/{quote}",
                {"spread_bp": before.spread_bp} if before else None, {"base": base, "quote": quote, "spread_bp": spread_bp}, request_id,
            )
        return {"base": base, "quote": quote, "spread_bp": spread_bp, "updated_at": now, "updated_by": actor}

    # -- reading ------------------------------------------------------------------------------

    async def mid(self, institution_id: UUID, base: str, quote: str, on: date | None = None) -> Rate:
        """The mid rate base/quote for the institution on ``on`` (default:
        today in the regulatory time zone), by the precedence rule of the
        module.  Raises :class:`RateUnavailable`, ``UnknownCurrency``."""
        _code(base)
        _code(quote)
        cfg = await self._config(institution_id)
        on = on or self.today(cfg)
        if base == quote:
            return Rate(base, quote, Decimal(1), "mid", "identity", on, None, method="identity")
        max_age = self._max_age(cfg)
        lo = on - timedelta(days=int(max_age)) if max_age is not None else None
        async with self.engine.connect() as conn:
            stored: dict[frozenset[str], Rate | None] = {}

            async def leg(a: str, b: str) -> Rate | None:
                k = frozenset((a, b))
                if k not in stored:
                    stored[k] = await self._latest(conn, institution_id, a, b, on, lo)
                return stored[k]

            candidates: list[tuple[date, int, Rate]] = []
            direct = await leg(base, quote)
            if direct is not None:
                candidates.append((_day(direct), 0, direct if direct.base == base else self._inverse(direct)))
            for i, p in enumerate(self.pivots, start=1):
                if p in (base, quote):
                    continue
                a, b = await leg(p, base), await leg(p, quote)
                if a is None or b is None:
                    continue
                candidates.append((min(_day(a), _day(b)), i, self._cross(base, quote, p, a, b)))
        if not candidates:
            raise RateUnavailable(base, quote, on, max_age)
        candidates.sort(key=lambda c: (c[0], -c[1]), reverse=True)
        return candidates[0][2]

    async def _latest(self, conn: AsyncConnection, institution_id: UUID, a: str, b: str, on: date, lo: date | None) -> Rate | None:
        c = fx_rates.c
        q = (
            select(fx_rates)
            .where(
                or_(and_(c.base == a, c.quote == b), and_(c.base == b, c.quote == a)),
                c.rate_date <= on,
                or_(c.institution_id.is_(None), c.institution_id == institution_id),
            )
            .order_by(
                c.rate_date.desc(),
                case((c.kind == "manual", 1), else_=0).desc(),
                case((c.institution_id.is_(None), 0), else_=1).desc(),
                c.fetched_at.desc(),
                c.id.desc(),
            )
            .limit(1)
        )
        if lo is not None:
            q = q.where(c.rate_date >= lo)
        row = (await conn.execute(q)).first()
        if row is None:
            return None
        return Rate(row.base, row.quote, Decimal(row.rate), "mid", row.source, row.rate_date, _aware(row.fetched_at), method="stored", rate_id=row.id)

    def _inverse(self, r: Rate) -> Rate:
        with localcontext() as ctx:
            ctx.prec = _WORK_PRECISION
            value = Decimal(1) / r.value
        return Rate(r.quote, r.base, _significant(value, self.significant_digits), "mid", r.source, r.as_of, r.fetched_at, method="inverse", legs=(r,))

    def _cross(self, base: str, quote: str, pivot: str, a: Rate, b: Rate) -> Rate:
        """base/quote = (pivot/quote) / (pivot/base) from stored legs of
        either orientation, computed before a single rounding."""
        with localcontext() as ctx:
            ctx.prec = _WORK_PRECISION
            per_base = a.value if a.base == pivot else Decimal(1) / a.value  # pivot/base
            per_quote = b.value if b.base == pivot else Decimal(1) / b.value  # pivot/quote
            value = per_quote / per_base
        sources = sorted({a.source, b.source})
        return Rate(
            base, quote, _significant(value, self.significant_digits), "mid", "+".join(sources), min(_day(a), _day(b)),
            max(x for x in (a.fetched_at, b.fetched_at) if x is not None) if (a.fetched_at or b.fetched_at) else None,
            method=f"cross:{pivot}", legs=(a, b),
        )

    async def bank_rate(self, institution_id: UUID, base: str, quote: str, side: Side, on: date | None = None) -> Rate:
        """The institution's rate for the bank buying (``buy``: mid x (1 -
        spread)) or selling (``sell``: mid x (1 + spread)) ``base`` against
        ``quote``.  Raises :class:`RateUnavailable`, :class:`InvalidInput`."""
        if side not in ("buy", "sell"):
            raise E.InvalidInput(f"side must be 'buy' or 'sell', got {side!r}", side=str(side))
        mid = await self.mid(institution_id, base, quote, on)
        if base == quote:
            return Rate(base, quote, Decimal(1), side, "identity", mid.as_of, None, spread_bp=0, method="identity")
        bp = await self.spread_bp(institution_id, base, quote)
        with localcontext() as ctx:
            ctx.prec = _WORK_PRECISION
            factor = Decimal(1) + (Decimal(bp) / Decimal(10000) if side == "sell" else -Decimal(bp) / Decimal(10000))
            value = mid.value * factor
        return Rate(
            base, quote, _significant(value, self.significant_digits), side, mid.source, mid.as_of, mid.fetched_at,
            spread_bp=bp, method="spread", legs=(mid,),
        )

    def convert(self, amount_minor: int, from_ccy: str, to_ccy: str, rate: Rate, rounding: str | None = None) -> int:
        """:func:`convert` (half-up unless ``rounding`` says otherwise)."""
        return convert(amount_minor, from_ccy, to_ccy, rate, rounding or ROUND_HALF_UP)

    async def usd_equivalent_with_rate(self, institution_id: UUID, amount_minor: int, currency: str, on: date | None = None) -> tuple[int, Rate]:
        """The USD equivalent (cents, half-up by the institution's rounding)
        at the mid rate of the day, with the rate used."""
        cfg = await self._config(institution_id)
        rate = await self.mid(institution_id, currency, "USD", on)
        return convert(amount_minor, currency, "USD", rate, cfg.rounding), rate

    async def usd_equivalent(self, institution_id: UUID, amount_minor: int, currency: str, on: date | None = None) -> int:
        """USD cents equivalent of ``amount_minor`` of ``currency`` at the mid
        rate of ``on`` (quotas, thresholds).  Raises :class:`RateUnavailable`."""
        return (await self.usd_equivalent_with_rate(institution_id, amount_minor, currency, on))[0]


def _aware(ts: datetime) -> datetime:
    # SQLite returns naive datetimes for timezone-aware columns; they are UTC
    return ts if ts.tzinfo is not None else ts.replace(tzinfo=UTC)


async def _audit(
    conn: AsyncConnection, institution_id: UUID, actor: str, action: str, object_type: str, object_id: str, before: dict[str, Any] | None, after: dict[str, Any] | None,
    request_id: str | None,
) -> None:
    await record_audit(
        conn, institution_id=institution_id, actor_type=actor.split(":")[0][:16], actor_id=actor[:64], action=action,
        object_type=object_type, object_id=object_id, before=before, after=after, request_id=request_id,
    )


def _day(r: Rate) -> date:
    """The day of a stored or derived rate (always set on them)."""
    assert r.as_of is not None
    return r.as_of
