"""Settlement parameters (DOMAIN.md "Settlement rules").  Nothing is a
literal in the rules.

Two kinds of parameter:

* **national** (:data:`NATIONAL_KEYS`): the same for every institution of a
  deployment, set by its operator (``ledger.config.Settings``, environment
  variables ``XBORDER_...``) and read-only to institutions: the individuals'
  annual quota, the regulatory time zone, the S6 thresholds, the rules of the
  shared quota and evidence registries (split detection, watch list, match
  tolerance, customs modes) and the value-date window.  ``PUT
  /v1/settlement/config`` refuses them (:class:`NationalParameter`).
* **institution** parameters (the others): tolerances, spreads, rounding,
  and *internal limits* (:data:`INTERNAL_LIMITS`) an institution may set for
  its own customers -- only stricter than the national figure
  (:class:`LooserThanNational`).  The national registries always apply the
  national figure.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from ledger.clock import business_date, business_today, utc_now
from ledger.config import Settings, get_settings
from ledger.errors import InvalidInput, LedgerError
from ledger.money import format_minor


@dataclass(frozen=True, slots=True)
class FeeKind:
    """An overseas fee netted against export proceeds (S3), and the kind of
    an advance a provider pays for a merchant (S4)."""

    #: the code in the API (``fees.<code>``), in storage and in the journal
    code: str
    #: the ledger account role the netted fee is debited to: ``receipt_target``
    #: is the account the receipt is routed to (current, pending or suspense)
    account_role: str
    label_zh: str
    label_en: str


#: The fee kinds, in the order the API lists them.  Adding a kind is adding
#: an entry here: receipts store fees as rows per (receipt, kind), the API
#: models and enums are derived from this list; no migration.
FEE_KINDS: tuple[FeeKind, ...] = (
    FeeKind("warehousing", "receipt_target", "仓储费", "Warehousing"),
    FeeKind("logistics", "receipt_target", "物流费", "Logistics"),
    FeeKind("tax", "receipt_target", "税费", "Tax"),
)
FEE_KIND_CODES: tuple[str, ...] = tuple(k.code for k in FEE_KINDS)


def fee_kind(code: str) -> FeeKind | None:
    """The registered fee kind ``code`` (None if unknown)."""
    return next((k for k in FEE_KINDS if k.code == code), None)


#: customs modes of cross-border e-commerce exports: 9610 (B2C direct mail),
#: 9710 (B2B direct export), 9810 (export to overseas warehouses), 1210
#: (bonded e-commerce)
CUSTOMS_MODES: tuple[str, ...] = ("9610", "9710", "9810", "1210")


@dataclass(frozen=True)
class SettlementConfig:
    #: time zone of regulatory periods (quota year, registration year, days)
    regulatory_timezone: str = "Asia/Shanghai"
    #: S2: amount tolerance of the three-document match (0.5 %)
    match_amount_tolerance: Decimal = Decimal("0.005")
    #: S3: variance between declared and repatriated value tolerated for 9610/9710 (5 %)
    variance_tolerance: Decimal = Decimal("0.05")
    #: S3: customs modes whose variance is recorded but never flagged
    variance_exempt_modes: tuple[str, ...] = ("9810",)
    customs_modes: tuple[str, ...] = CUSTOMS_MODES
    #: S4: advances outstanding longer than this many months are flagged
    advance_flag_months: int = 12
    #: S5: individuals' annual facilitation quota per direction, in USD minor units
    individual_annual_quota_usd: int = 50_000_00
    #: S5/S9: window in which several conversions of one person are looked at together
    split_window_hours: int = 24
    #: S9: a person found splitting stays on the watch list this many years after the current
    watch_list_extra_years: int = 2
    #: S6: directory-registration threshold and early warning, USD minor units
    registration_threshold_usd: int = 200_000_00
    registration_warning_usd: int = 180_000_00
    #: bank rates: default spread in basis points around the mid rate
    default_spread_bp: int = 50
    #: S9: quota-relevant total within the split window that is a split (None: the quota)
    split_limit_usd: int | None = None
    #: value dates: back-dating allowed within this many days (the open period)
    value_date_open_days: int = 30
    #: internal limit (stricter only): an individual customer's annual limit per direction
    customer_annual_quota_usd: int | None = None
    #: internal limit (stricter only): an earlier S6 registration warning
    internal_registration_warning_usd: int | None = None
    #: rounding of converted amounts
    rounding: str = "ROUND_HALF_UP"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def quota_limit_usd(self) -> int:
        """The annual limit per direction this institution applies to an
        individual: the national quota, or its own lower internal limit."""
        internal = self.customer_annual_quota_usd
        return self.individual_annual_quota_usd if internal is None else min(internal, self.individual_annual_quota_usd)

    @property
    def warning_usd(self) -> int:
        """The S6 early warning this institution raises: the national one or its earlier one."""
        internal = self.internal_registration_warning_usd
        return self.registration_warning_usd if internal is None else min(internal, self.registration_warning_usd)

    @property
    def split_limit(self) -> int:
        """S9: the national split limit (default: the national quota)."""
        return self.split_limit_usd if self.split_limit_usd is not None else self.individual_annual_quota_usd

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None, national: dict[str, Any] | None = None) -> SettlementConfig:
        """Defaults overridden by the institution's ``data`` (unknown keys go
        to ``extra``), then the deployment's ``national`` parameters (default:
        the process settings): a national key stored for an institution is
        ignored."""
        data = dict(data or {})
        known = {f.name for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        extra = {k: v for k, v in dict(data.pop("extra", {}) or {}).items() if not is_national_key(k)}
        data = {k: v for k, v in data.items() if not is_national_key(k)}
        data.update(national_parameters() if national is None else national)
        for k, v in data.items():
            if k not in known:
                extra[k] = v
                continue
            default = getattr(cls, k, None)
            if isinstance(default, Decimal):
                v = Decimal(str(v))
            elif isinstance(default, tuple):
                v = tuple(v)
            kwargs[k] = v
        return cls(**kwargs, extra=extra)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for k, v in out.items():
            if isinstance(v, Decimal):
                out[k] = str(v)
            elif isinstance(v, tuple):
                out[k] = list(v)
        return out

    def institution_dict(self) -> dict[str, Any]:
        """What the institution itself sets (no national key): what is stored."""
        return {k: v for k, v in self.to_dict().items() if k not in NATIONAL_KEYS}


# -- national parameters ------------------------------------------------------------------------

#: parameters fixed by the deployment for every institution (read-only to institutions)
NATIONAL_KEYS: tuple[str, ...] = (
    "regulatory_timezone", "individual_annual_quota_usd", "registration_threshold_usd", "registration_warning_usd",
    "split_window_hours", "split_limit_usd", "watch_list_extra_years", "match_amount_tolerance", "customs_modes", "value_date_open_days",
)

#: internal limits an institution may set for its own customers: key -> (the
#: national key it may only tighten, the rule)
INTERNAL_LIMITS: dict[str, tuple[str, str]] = {
    "customer_annual_quota_usd": ("individual_annual_quota_usd", "S5"),
    "internal_registration_warning_usd": ("registration_warning_usd", "S6"),
}


def _norm_key(key: object) -> str:
    return "".join(ch for ch in str(key).casefold() if ch.isalnum())


_NATIONAL_NORM = {_norm_key(k): k for k in NATIONAL_KEYS}


def is_national_key(key: object) -> bool:
    """``key`` names a national parameter, in any spelling (case, spaces, dashes)."""
    return _norm_key(key) in _NATIONAL_NORM


def national_parameters(settings: Settings | None = None) -> dict[str, Any]:
    """The national parameters of the deployment (``XBORDER_...`` settings)."""
    st = settings or get_settings()
    return {
        "regulatory_timezone": st.business_timezone,
        "individual_annual_quota_usd": st.individual_annual_quota_usd,
        "registration_threshold_usd": st.registration_threshold_usd,
        "registration_warning_usd": st.registration_warning_usd,
        "split_window_hours": st.split_window_hours,
        "split_limit_usd": st.split_limit_usd,
        "watch_list_extra_years": st.watch_list_extra_years,
        "match_amount_tolerance": st.match_amount_tolerance,
        "customs_modes": CUSTOMS_MODES,
        "value_date_open_days": st.value_date_open_days,
    }


class NationalParameter(LedgerError):
    """An institution tried to set a national parameter."""

    code = "national_parameter"
    title = "National parameter is read-only"
    status = 403

    def __init__(self, key: str) -> None:
        name = _NATIONAL_NORM.get(_norm_key(key), key)
        super().__init__(
            f"{name} is a national parameter set by the deployment operator for every institution; it cannot be changed per institution",
            field=f"overrides.{key}", key=name,
        )


class LooserThanNational(InvalidInput):
    """An internal limit looser than the national figure it tightens."""

    code = "looser_than_national"
    title = "Internal limit looser than the national rule"

    def __init__(self, key: str, value: object, national_key: str, national_value: int, rule: str) -> None:
        limit = format_minor(national_value, "USD")
        super().__init__(
            f"{key} must be a positive USD amount (a decimal string) no higher than the national {national_key} (USD {limit}, rule {rule}); "
            "an institution may only set stricter internal limits",
            field=f"overrides.{key}", key=key, value=value, national_key=national_key, currency="USD", national_value=limit, rule=rule,
        )


def check_overrides(overrides: dict[str, Any], national: dict[str, Any]) -> None:
    """Refuse national keys (:class:`NationalParameter`, also inside
    ``extra``) and internal limits looser than national (:class:`LooserThanNational`)."""
    extra = overrides.get("extra")
    keys = list(overrides) + (list(extra) if isinstance(extra, dict) else [])
    for k in keys:
        if is_national_key(k):
            raise NationalParameter(str(k))
    for key, (nkey, rule) in INTERNAL_LIMITS.items():
        if key not in overrides or overrides[key] is None:
            continue
        v = overrides[key]
        if isinstance(v, bool) or not isinstance(v, int) or v <= 0 or v > int(national[nkey]):
            raise LooserThanNational(key, v, nkey, int(national[nkey]), rule)


# -- value dates --------------------------------------------------------------------------------


class ValueDateOutOfWindow(InvalidInput):
    """A value date (or value time) outside the open period."""

    code = "value_date_out_of_window"
    title = "Value date outside the allowed window"

    def __init__(self, field_name: str, value: object, earliest: date, latest: date, cfg: SettlementConfig, reason: str = "") -> None:
        super().__init__(
            f"{field_name} {value} is outside the window {earliest} .. {latest} (back-dating up to {cfg.value_date_open_days} days, "
            f"never later than today in {cfg.regulatory_timezone}){': ' + reason if reason else ''}",
            field=field_name, value=str(value), earliest=str(earliest), latest=str(latest), open_days=cfg.value_date_open_days,
            timezone=cfg.regulatory_timezone,
        )


def value_date_window(cfg: SettlementConfig) -> tuple[date, date]:
    """(earliest, latest) value date allowed today: the open period back to today."""
    today = business_today(cfg.regulatory_timezone)
    return today - timedelta(days=cfg.value_date_open_days), today


def check_value_date(value: date, cfg: SettlementConfig, field_name: str = "value_date") -> date:
    """``value`` if inside the window, else :class:`ValueDateOutOfWindow`."""
    earliest, latest = value_date_window(cfg)
    if not earliest <= value <= latest:
        raise ValueDateOutOfWindow(field_name, value, earliest, latest, cfg)
    return value


def check_value_time(value: datetime, cfg: SettlementConfig, field_name: str = "value_time") -> datetime:
    """An aware instant no later than now whose regulatory day is inside the window."""
    earliest, latest = value_date_window(cfg)
    if value.tzinfo is None:
        raise InvalidInput(f"{field_name} must carry a time zone offset", field=field_name)
    if value > utc_now():
        raise ValueDateOutOfWindow(field_name, value.isoformat(), earliest, latest, cfg, "the value time is in the future")
    day = business_date(value, cfg.regulatory_timezone)
    if day < earliest:
        raise ValueDateOutOfWindow(field_name, value.isoformat(), earliest, latest, cfg)
    return value
