"""Validation of trade records: a raw record (a mapping from JSON, CSV or a
caller, or a record already typed) becomes an ``OrderIn`` / ``WaybillIn`` /
``PaymentIn`` / ``RefundIn``, or is rejected with a reason.  A rejected
record is *held* with its raw content: :func:`held` keeps only the fields of
its kind, :func:`storable` makes its text storable on every database."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ledger.clock import business_date
from ledger.errors import AmountOutOfRange, InvalidAmount, InvalidInput, UnknownCurrency
from ledger.money import MAX_AMOUNT_MINOR, exponent, parse_amount, to_minor
from ledger.money import currency as check_currency

from ..config import SettlementConfig
from .model import HELD_FIELDS, KINDS, REFUND_KINDS, OrderIn, PaymentIn, RecordRejected, RefundIn, WaybillIn

Record = OrderIn | WaybillIn | PaymentIn | RefundIn


class Reject(Exception):
    """A record is refused; the message is the reason."""


@dataclass(slots=True)
class Unparsed:
    """A file line that is not a record (kept raw, rejected with the reason)."""

    text: str
    reason: str


def _text(raw: Mapping[str, Any], key: str, max_len: int, *, required: bool = True) -> str | None:
    v = raw.get(key)
    # fast path (the common case of a bulk file): clean text already
    if type(v) is str and 0 < len(v) <= max_len and v.isprintable() and not v[0].isspace() and not v[-1].isspace():
        return v
    if v is None or (isinstance(v, str) and not v.strip()):
        if required:
            raise Reject(f"{key} is missing")
        return None
    if isinstance(v, bool) or not isinstance(v, (str, int)):
        raise Reject(f"{key} must be text")
    v = str(v).strip()
    if len(v) > max_len or not v.isprintable():
        raise Reject(f"{key} must be 1..{max_len} printable characters")
    return v


def _req_text(raw: Mapping[str, Any], key: str, max_len: int) -> str:
    v = _text(raw, key, max_len)
    assert v is not None
    return v


_KNOWN_CURRENCIES: set[str] = set()


def _currency(raw: Mapping[str, Any], key: str = "currency", *, required: bool = True) -> str | None:
    v = raw.get(key)
    if isinstance(v, str) and v in _KNOWN_CURRENCIES:
        return v
    text = _text(raw, key, 3, required=required)
    if text is None:
        return None
    text = text.upper()
    try:
        check_currency(text)
    except UnknownCurrency:
        raise Reject(f"unknown currency {text!r}") from None
    _KNOWN_CURRENCIES.add(text)
    return text


def _req_currency(raw: Mapping[str, Any]) -> str:
    v = _currency(raw)
    assert v is not None
    return v


_DECIMAL_RE = re.compile(r"([0-9]{1,18})(?:\.([0-9]{1,18}))?")


def _plain_decimal(major: object, cur: str, positive: bool) -> int | None:
    """The fast path: a plain decimal string within the currency's decimals
    (None when the slow path must decide)."""
    if type(major) is not str:
        return None
    m = _DECIMAL_RE.fullmatch(major)
    if m is None:
        return None
    exp = exponent(cur)
    frac = m.group(2) or ""
    if len(frac) > exp:
        return None
    value = int(m.group(1)) * 10**exp + (int(frac) * 10 ** (exp - len(frac)) if frac else 0)
    if value > MAX_AMOUNT_MINOR:
        return None
    return value if value > 0 or (value == 0 and not positive) else None


def _from_minor(minor: object) -> int:
    """``amount_minor``: an integer (or an integral decimal / digit string)."""
    if isinstance(minor, (bool, float)):
        raise Reject("amount_minor must be an integer")
    if isinstance(minor, Decimal):
        if minor != minor.to_integral_value():
            raise Reject("amount_minor must be an integer")
        return int(minor)
    if isinstance(minor, int):
        return minor
    if isinstance(minor, str) and minor.strip().lstrip("-").isdigit():
        return int(minor.strip())
    raise Reject("amount_minor must be an integer")


def _from_major(major: object, cur: str) -> int:
    """``amount``: a decimal in major units, at most the currency's decimals
    (a string strictly so: ``"10.000"`` USD and ``"100.0"`` JPY are refused)."""
    try:
        if isinstance(major, str):
            return parse_amount(major.strip(), cur, field="amount", allow_zero=True)
        value: Any = major if isinstance(major, (Decimal, int, float)) and not isinstance(major, bool) else str(major)
        return to_minor(value, cur)
    except AmountOutOfRange:
        raise Reject("amount is too large") from None
    except InvalidAmount as exc:
        raise Reject(exc.message) from None


def _amount(raw: Mapping[str, Any], cur: str | None, *, required: bool = True, positive: bool = True) -> int | None:
    """``amount_minor`` (integer minor units) or ``amount`` (decimal string in
    major units, at most the currency's decimals).  Never floats."""
    minor, major = raw.get("amount_minor"), raw.get("amount")
    if minor is None and cur is not None:
        fast = _plain_decimal(major, cur, positive)
        if fast is not None:
            return fast
    has_minor, has_major = minor not in (None, ""), major not in (None, "")
    if not has_minor and not has_major:
        if required:
            raise Reject("amount is missing")
        return None
    if cur is None:
        raise Reject("an amount needs a currency")
    value = _from_minor(minor) if has_minor else None
    if has_major:
        from_major = _from_major(major, cur)
        if value is not None and value != from_major:
            raise Reject("amount and amount_minor disagree")
        value = from_major
    assert value is not None
    if value < 0 or (positive and value == 0):
        raise Reject("amount must be positive" if positive else "amount must not be negative")
    if value > MAX_AMOUNT_MINOR:
        raise Reject("amount is too large")
    return value


def _req_amount(raw: Mapping[str, Any], cur: str) -> int:
    v = _amount(raw, cur)
    assert v is not None
    return v


def _date(raw: Mapping[str, Any], key: str, tz: str, *, required: bool = True) -> date | None:
    v = raw.get(key)
    if type(v) is str and len(v) == 10:
        try:
            return date.fromisoformat(v)
        except ValueError:
            pass
    if v in (None, ""):
        if required:
            raise Reject(f"{key} is missing")
        return None
    if isinstance(v, datetime):
        dt = v
    elif isinstance(v, date):
        return v
    elif isinstance(v, str):
        s = v.strip()
        try:
            if len(s) == 10:
                return date.fromisoformat(s)
            dt = datetime.fromisoformat(s)
        except ValueError:
            raise Reject(f"{key} must be an ISO 8601 date") from None
    else:
        raise Reject(f"{key} must be an ISO 8601 date")
    # a timestamp counts on its calendar day in the regulatory time zone
    return business_date(dt, tz) if dt.tzinfo is not None else dt.date()


def _req_date(raw: Mapping[str, Any], key: str, tz: str) -> date:
    v = _date(raw, key, tz)
    assert v is not None
    return v


def _country(raw: Mapping[str, Any], key: str = "destination_country") -> str | None:
    v = _text(raw, key, 2, required=False)
    if v is None:
        return None
    v = v.upper()
    if len(v) != 2 or not v.isalpha() or not v.isascii():
        raise Reject(f"{key} must be an ISO 3166 alpha-2 code")
    return v


def parse_record(kind: str, raw: Any, config: SettlementConfig | None = None) -> Record:
    """The typed record for a raw one (a mapping, or already a record).
    Raises :class:`RecordRejected` with the reason."""
    try:
        return parse(kind, raw, config or SettlementConfig())
    except Reject as exc:
        ext = raw.get("external_id") if isinstance(raw, Mapping) else getattr(raw, "external_id", None)
        raise RecordRejected(kind, str(exc), None if ext is None else str(ext)[:128]) from None


def _order(raw: Mapping[str, Any], ext: str, config: SettlementConfig) -> OrderIn:
    cur = _req_currency(raw)
    mode = _text(raw, "customs_mode", 4, required=False)
    if mode is not None and mode not in config.customs_modes:
        raise Reject(f"customs_mode must be one of {', '.join(config.customs_modes)}")
    tz = config.regulatory_timezone
    return OrderIn(ext, _req_text(raw, "merchant_ref", 64), cur, _req_amount(raw, cur), _req_date(raw, "order_date", tz), mode, _country(raw))


def _waybill(raw: Mapping[str, Any], ext: str, config: SettlementConfig) -> WaybillIn:
    cur = _currency(raw, required=False)
    return WaybillIn(
        ext, _req_text(raw, "order_external_id", 128), _req_text(raw, "merchant_ref", 64), _req_date(raw, "shipped_on", config.regulatory_timezone),
        _text(raw, "carrier", 64, required=False), cur, _amount(raw, cur, required=False, positive=False), _country(raw),
    )


def _payment(raw: Mapping[str, Any], ext: str, config: SettlementConfig) -> PaymentIn:
    cur = _req_currency(raw)
    return PaymentIn(
        ext, _req_text(raw, "order_external_id", 128), _req_text(raw, "merchant_ref", 64), cur, _req_amount(raw, cur),
        _req_date(raw, "paid_on", config.regulatory_timezone), _text(raw, "method", 32, required=False),
    )


def _refund(raw: Mapping[str, Any], ext: str, config: SettlementConfig) -> RefundIn:
    cur = _req_currency(raw)
    rkind = _text(raw, "kind", 16, required=False) or "refund"
    if rkind not in REFUND_KINDS:
        raise Reject(f"kind must be one of {', '.join(REFUND_KINDS)}")
    return RefundIn(
        ext, _req_text(raw, "order_external_id", 128), cur, _req_amount(raw, cur),
        _date(raw, "refunded_on", config.regulatory_timezone, required=False), rkind, _text(raw, "reason", 200, required=False),
    )


_PARSERS: dict[str, Callable[[Mapping[str, Any], str, SettlementConfig], Record]] = {
    "orders": _order, "waybills": _waybill, "payments": _payment, "refunds": _refund,
}


def parse(kind: str, raw: Any, config: SettlementConfig) -> Record:
    """The typed record of ``kind``; raises :class:`Reject` with the reason."""
    if dataclasses.is_dataclass(raw) and not isinstance(raw, type):
        raw = dataclasses.asdict(raw)
    if not isinstance(raw, Mapping):
        raise Reject("record is not an object")
    ext = _req_text(raw, "external_id", 128)
    parser = _PARSERS.get(kind)
    if parser is None:
        raise InvalidInput(f"trade data kind must be one of {', '.join(KINDS)}", kind=str(kind))
    return parser(raw, ext, config)


def raw_text(raw: Any) -> str:
    """The text a held record keeps of its raw content."""
    if isinstance(raw, Unparsed):
        return raw.text
    if dataclasses.is_dataclass(raw) and not isinstance(raw, type):
        raw = dataclasses.asdict(raw)
    try:
        return json.dumps(raw, default=str, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):
        return repr(raw)


def held(kind: str, raw: Any) -> Any:
    """A rejected record as it is held: only the fields of its kind.  Anything
    else a platform sends along (a buyer's name, ID or phone number...) is not
    kept, so no personal data is stored in clear."""
    keep = HELD_FIELDS.get(kind)
    if keep is not None and isinstance(raw, Mapping):
        return {k: v for k, v in raw.items() if k in keep}
    return raw


def storable(text: str | None) -> str | None:
    """Text every database stores: PostgreSQL refuses NUL characters, which
    a held record may well contain (shown as U+FFFD, like undecodable bytes)."""
    return None if text is None else text.replace("\x00", "\ufffd")


def raw_external_id(raw: Any) -> str | None:
    """The external id a held record is listed under (if it has one)."""
    ext = raw.get("external_id") if isinstance(raw, Mapping) else getattr(raw, "external_id", None)
    return None if ext is None else str(ext)[:128]
