from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

T = TypeVar("T", bound="ClaimPaid")


@_attrs_define
class ClaimPaid:
    claim_id: str
    receivable_id: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    paid: str
    """ decimal string in major units with exactly the currency's exponent """
    financing_ref: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        claim_id = self.claim_id

        receivable_id = self.receivable_id

        currency: str = self.currency

        paid = self.paid

        financing_ref: None | str | Unset
        if isinstance(self.financing_ref, Unset):
            financing_ref = UNSET
        else:
            financing_ref = self.financing_ref

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "claim_id": claim_id,
                "receivable_id": receivable_id,
                "currency": currency,
                "paid": paid,
            }
        )
        if financing_ref is not UNSET:
            field_dict["financing_ref"] = financing_ref

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        claim_id = d.pop("claim_id")

        receivable_id = d.pop("receivable_id")

        currency = check_currency(d.pop("currency"))

        paid = d.pop("paid")

        def _parse_financing_ref(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        financing_ref = _parse_financing_ref(d.pop("financing_ref", UNSET))

        claim_paid = cls(
            claim_id=claim_id,
            receivable_id=receivable_id,
            currency=currency,
            paid=paid,
            financing_ref=financing_ref,
        )

        claim_paid.additional_properties = d
        return claim_paid

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
