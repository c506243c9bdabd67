"""Settlement parameters (DOMAIN.md "Settlement rules").  Every number is a
default that an institution may override; nothing is a literal in the rules.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal
from typing import Any


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
    #: rounding of converted amounts
    rounding: str = "ROUND_HALF_UP"
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> SettlementConfig:
        """Defaults overridden by ``data`` (unknown keys go to ``extra``)."""
        data = dict(data or {})
        known = {f.name for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        extra = dict(data.pop("extra", {}) or {})
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
