from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

if TYPE_CHECKING:
    from ..models.money import Money
    from ..models.stat_out_key import StatOutKey


T = TypeVar("T", bound="StatOut")


@_attrs_define
class StatOut:
    key: StatOutKey
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    count: int
    gross: str
    """ Decimal amount in major units with the currency's decimals """
    fees: str
    """ Decimal amount in major units with the currency's decimals """
    net: str
    """ Decimal amount in major units with the currency's decimals """
    usd_equivalent: Money
    """ An amount with its currency (used where the amount's currency is not the object's ``currency``). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key.to_dict()

        currency: str = self.currency

        count = self.count

        gross = self.gross

        fees = self.fees

        net = self.net

        usd_equivalent = self.usd_equivalent.to_dict()

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
        from ..models.money import Money  # noqa: PLC0415
        from ..models.stat_out_key import StatOutKey  # noqa: PLC0415

        d = dict(src_dict)
        key = StatOutKey.from_dict(d.pop("key"))

        currency = check_currency(d.pop("currency"))

        count = d.pop("count")

        gross = d.pop("gross")

        fees = d.pop("fees")

        net = d.pop("net")

        usd_equivalent = Money.from_dict(d.pop("usd_equivalent"))

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
