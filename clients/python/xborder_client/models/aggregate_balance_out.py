from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

T = TypeVar("T", bound="AggregateBalanceOut")


@_attrs_define
class AggregateBalanceOut:
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    accounts: int
    debits_posted: str
    """ Decimal amount in major units with the currency's decimals """
    credits_posted: str
    """ Decimal amount in major units with the currency's decimals """
    debits_pending: str
    """ Decimal amount in major units with the currency's decimals """
    credits_pending: str
    """ Decimal amount in major units with the currency's decimals """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        currency: str = self.currency

        accounts = self.accounts

        debits_posted = self.debits_posted

        credits_posted = self.credits_posted

        debits_pending = self.debits_pending

        credits_pending = self.credits_pending

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "currency": currency,
                "accounts": accounts,
                "debits_posted": debits_posted,
                "credits_posted": credits_posted,
                "debits_pending": debits_pending,
                "credits_pending": credits_pending,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        currency = check_currency(d.pop("currency"))

        accounts = d.pop("accounts")

        debits_posted = d.pop("debits_posted")

        credits_posted = d.pop("credits_posted")

        debits_pending = d.pop("debits_pending")

        credits_pending = d.pop("credits_pending")

        aggregate_balance_out = cls(
            currency=currency,
            accounts=accounts,
            debits_posted=debits_posted,
            credits_posted=credits_posted,
            debits_pending=debits_pending,
            credits_pending=credits_pending,
        )

        aggregate_balance_out.additional_properties = d
        return aggregate_balance_out

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
