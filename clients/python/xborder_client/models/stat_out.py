from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.stat_out_key import StatOutKey


T = TypeVar("T", bound="StatOut")


@_attrs_define
class StatOut:
    key: StatOutKey
    currency: str
    count: int
    gross: str
    """ Positive decimal amount in major units, as a string; at most as many decimals as the currency has """
    fees: str
    """ Positive decimal amount in major units, as a string; at most as many decimals as the currency has """
    net: str
    """ Positive decimal amount in major units, as a string; at most as many decimals as the currency has """
    usd_equivalent: str
    """ Positive decimal amount in major units, as a string; at most as many decimals as the currency has """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key.to_dict()

        currency = self.currency

        count = self.count

        gross = self.gross

        fees = self.fees

        net = self.net

        usd_equivalent = self.usd_equivalent

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "currency": currency,
                "count": count,
                "gross": gross,
                "fees": fees,
                "net": net,
                "usd_equivalent": usd_equivalent,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.stat_out_key import StatOutKey  # noqa: PLC0415

        d = dict(src_dict)
        key = StatOutKey.from_dict(d.pop("key"))

        currency = d.pop("currency")

        count = d.pop("count")

        gross = d.pop("gross")

        fees = d.pop("fees")

        net = d.pop("net")

        usd_equivalent = d.pop("usd_equivalent")

        stat_out = cls(
            key=key,
            currency=currency,
            count=count,
            gross=gross,
            fees=fees,
            net=net,
            usd_equivalent=usd_equivalent,
        )

        stat_out.additional_properties = d
        return stat_out

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
