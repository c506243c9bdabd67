from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.settlement_config_body_overrides import SettlementConfigBodyOverrides


T = TypeVar("T", bound="SettlementConfigBody")


@_attrs_define
class SettlementConfigBody:
    overrides: SettlementConfigBodyOverrides
    """ the institution's own parameters to override, e.g. {"variance_tolerance": "0.05"}, or stricter internal
    limits (customer_annual_quota_usd, internal_registration_warning_usd: USD decimal strings such as "20000.00");
    national parameters are refused (403) """

    def to_dict(self) -> dict[str, Any]:
        overrides = self.overrides.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "overrides": overrides,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.settlement_config_body_overrides import SettlementConfigBodyOverrides  # noqa: PLC0415

        d = dict(src_dict)
        overrides = SettlementConfigBodyOverrides.from_dict(d.pop("overrides"))

        settlement_config_body = cls(
            overrides=overrides,
        )

        return settlement_config_body
