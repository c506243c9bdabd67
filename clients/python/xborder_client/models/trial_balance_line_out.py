from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

T = TypeVar("T", bound="TrialBalanceLineOut")


@_attrs_define
class TrialBalanceLineOut:
    account_id: UUID
    code: str
    type_: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    debits: str
    """ Decimal amount in major units with the currency's decimals """
    credits_: str
    """ Decimal amount in major units with the currency's decimals """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account_id = str(self.account_id)

        code = self.code

        type_ = self.type_

        currency: str = self.currency

        debits = self.debits

        credits_ = self.credits_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "account_id": account_id,
                "code": code,
                "type": type_,
                "currency": currency,
                "debits": debits,
                "credits": credits_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        account_id = UUID(d.pop("account_id"))

        code = d.pop("code")

        type_ = d.pop("type")

        currency = check_currency(d.pop("currency"))

        debits = d.pop("debits")

        credits_ = d.pop("credits")

        trial_balance_line_out = cls(
            account_id=account_id,
            code=code,
            type_=type_,
            currency=currency,
            debits=debits,
            credits_=credits_,
        )

        trial_balance_line_out.additional_properties = d
        return trial_balance_line_out

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
