from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

T = TypeVar("T", bound="SmeAccountOut")


@_attrs_define
class SmeAccountOut:
    id: UUID
    code: str
    kind: str
    """ current | pending | suspense | cny """
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    balance: str
    """ posted balance (what the merchant holds) """
    available: str
    """ balance less pending debits """
    closed: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        code = self.code

        kind = self.kind

        currency: str = self.currency

        balance = self.balance

        available = self.available

        closed = self.closed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "code": code,
                "kind": kind,
                "currency": currency,
                "balance": balance,
                "available": available,
                "closed": closed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        code = d.pop("code")

        kind = d.pop("kind")

        currency = check_currency(d.pop("currency"))

        balance = d.pop("balance")

        available = d.pop("available")

        closed = d.pop("closed")

        sme_account_out = cls(
            id=id,
            code=code,
            kind=kind,
            currency=currency,
            balance=balance,
            available=available,
            closed=closed,
        )

        sme_account_out.additional_properties = d
        return sme_account_out

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
