from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

T = TypeVar("T", bound="QuotaDirection")


@_attrs_define
class QuotaDirection:
    used_usd: str
    """ used in the national registry (all institutions) """
    remaining_usd: str
    """ what this institution still allows """
    limit_usd: str
    """ the limit this institution applies: the national quota or its lower internal limit """
    national_limit_usd: str
    """ the national quota (deployment-wide) """
    currency: Currency | Unset = UNSET
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        used_usd = self.used_usd

        remaining_usd = self.remaining_usd

        limit_usd = self.limit_usd

        national_limit_usd = self.national_limit_usd

        currency: str | Unset = UNSET
        if not isinstance(self.currency, Unset):
            currency = self.currency

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "used_usd": used_usd,
                "remaining_usd": remaining_usd,
                "limit_usd": limit_usd,
                "national_limit_usd": national_limit_usd,
            }
        )
        if currency is not UNSET:
            field_dict["currency"] = currency

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        used_usd = d.pop("used_usd")

        remaining_usd = d.pop("remaining_usd")

        limit_usd = d.pop("limit_usd")

        national_limit_usd = d.pop("national_limit_usd")

        _currency = d.pop("currency", UNSET)
        currency: Currency | Unset
        if isinstance(_currency, Unset):
            currency = UNSET
        else:
            currency = check_currency(_currency)

        quota_direction = cls(
            used_usd=used_usd,
            remaining_usd=remaining_usd,
            limit_usd=limit_usd,
            national_limit_usd=national_limit_usd,
            currency=currency,
        )

        quota_direction.additional_properties = d
        return quota_direction

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
