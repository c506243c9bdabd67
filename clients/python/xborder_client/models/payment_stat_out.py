from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

if TYPE_CHECKING:
    from ..models.money import Money
    from ..models.payment_stat_out_key import PaymentStatOutKey


T = TypeVar("T", bound="PaymentStatOut")


@_attrs_define
class PaymentStatOut:
    key: PaymentStatOutKey
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    count: int
    amount: str
    """ Decimal amount in major units with the currency's decimals """
    usd_equivalent: Money
    """ An amount with its currency (used where the amount's currency is not the object's ``currency``). """
    held: str
    """ Decimal amount in major units with the currency's decimals """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key.to_dict()

        currency: str = self.currency

        count = self.count

        amount = self.amount

        usd_equivalent = self.usd_equivalent.to_dict()

        held = self.held

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "currency": currency,
                "count": count,
                "amount": amount,
                "usd_equivalent": usd_equivalent,
                "held": held,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415
        from ..models.payment_stat_out_key import PaymentStatOutKey  # noqa: PLC0415

        d = dict(src_dict)
        key = PaymentStatOutKey.from_dict(d.pop("key"))

        currency = check_currency(d.pop("currency"))

        count = d.pop("count")

        amount = d.pop("amount")

        usd_equivalent = Money.from_dict(d.pop("usd_equivalent"))

        held = d.pop("held")

        payment_stat_out = cls(
            key=key,
            currency=currency,
            count=count,
            amount=amount,
            usd_equivalent=usd_equivalent,
            held=held,
        )

        payment_stat_out.additional_properties = d
        return payment_stat_out

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
