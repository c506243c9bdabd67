from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

T = TypeVar("T", bound="BuyerLimitOut")


@_attrs_define
class BuyerLimitOut:
    policy_id: UUID
    buyer_ref: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    limit: str
    """ Decimal amount in major units, as a string """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        policy_id = str(self.policy_id)

        buyer_ref = self.buyer_ref

        currency: str = self.currency

        limit = self.limit

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "policy_id": policy_id,
                "buyer_ref": buyer_ref,
                "currency": currency,
                "limit": limit,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        policy_id = UUID(d.pop("policy_id"))

        buyer_ref = d.pop("buyer_ref")

        currency = check_currency(d.pop("currency"))

        limit = d.pop("limit")

        buyer_limit_out = cls(
            policy_id=policy_id,
            buyer_ref=buyer_ref,
            currency=currency,
            limit=limit,
        )

        buyer_limit_out.additional_properties = d
        return buyer_limit_out

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
