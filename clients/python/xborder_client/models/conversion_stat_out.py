from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ConversionStatOut")


@_attrs_define
class ConversionStatOut:
    direction: str
    currency: str
    merchant_kind: str
    count: int
    amount: str
    """ Positive decimal amount in major units, as a string; at most as many decimals as the currency has """
    cny: str
    """ Positive decimal amount in major units, as a string; at most as many decimals as the currency has """
    usd_equivalent: str
    """ Positive decimal amount in major units, as a string; at most as many decimals as the currency has """
    exempt_usd: str
    """ Positive decimal amount in major units, as a string; at most as many decimals as the currency has """
    quota_usd: str
    """ Positive decimal amount in major units, as a string; at most as many decimals as the currency has """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        direction = self.direction

        currency = self.currency

        merchant_kind = self.merchant_kind

        count = self.count

        amount = self.amount

        cny = self.cny

        usd_equivalent = self.usd_equivalent

        exempt_usd = self.exempt_usd

        quota_usd = self.quota_usd

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "direction": direction,
                "currency": currency,
                "merchant_kind": merchant_kind,
                "count": count,
                "amount": amount,
                "cny": cny,
                "usd_equivalent": usd_equivalent,
                "exempt_usd": exempt_usd,
                "quota_usd": quota_usd,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        direction = d.pop("direction")

        currency = d.pop("currency")

        merchant_kind = d.pop("merchant_kind")

        count = d.pop("count")

        amount = d.pop("amount")

        cny = d.pop("cny")

        usd_equivalent = d.pop("usd_equivalent")

        exempt_usd = d.pop("exempt_usd")

        quota_usd = d.pop("quota_usd")

        conversion_stat_out = cls(
            direction=direction,
            currency=currency,
            merchant_kind=merchant_kind,
            count=count,
            amount=amount,
            cny=cny,
            usd_equivalent=usd_equivalent,
            exempt_usd=exempt_usd,
            quota_usd=quota_usd,
        )

        conversion_stat_out.additional_properties = d
        return conversion_stat_out

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
