from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="ConversionStatOut")


@_attrs_define
class ConversionStatOut:
    direction: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    merchant_kind: str
    count: int
    amount: str
    """ Decimal amount in major units with the currency's decimals """
    cny: Money
    """ An amount with its currency (used where the amount's currency is not the object's ``currency``). """
    usd_equivalent: Money
    """ An amount with its currency (used where the amount's currency is not the object's ``currency``). """
    exempt_usd: Money
    """ An amount with its currency (used where the amount's currency is not the object's ``currency``). """
    quota_usd: Money
    """ An amount with its currency (used where the amount's currency is not the object's ``currency``). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        direction = self.direction

        currency: str = self.currency

        merchant_kind = self.merchant_kind

        count = self.count

        amount = self.amount

        cny = self.cny.to_dict()

        usd_equivalent = self.usd_equivalent.to_dict()

        exempt_usd = self.exempt_usd.to_dict()

        quota_usd = self.quota_usd.to_dict()

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
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        direction = d.pop("direction")

        currency = check_currency(d.pop("currency"))

        merchant_kind = d.pop("merchant_kind")

        count = d.pop("count")

        amount = d.pop("amount")

        cny = Money.from_dict(d.pop("cny"))

        usd_equivalent = Money.from_dict(d.pop("usd_equivalent"))

        exempt_usd = Money.from_dict(d.pop("exempt_usd"))

        quota_usd = Money.from_dict(d.pop("quota_usd"))

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
