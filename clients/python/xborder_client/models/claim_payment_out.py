from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

T = TypeVar("T", bound="ClaimPaymentOut")


@_attrs_define
class ClaimPaymentOut:
    claim_id: UUID
    receivable_id: UUID
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    paid: str
    """ Decimal amount in major units, as a string """
    financing_ref: None | str
    """ the financing the indemnity is assigned to (null: paid to the exporter) """
    assigned_to: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        claim_id = str(self.claim_id)

        receivable_id = str(self.receivable_id)

        currency: str = self.currency

        paid = self.paid

        financing_ref: None | str
        financing_ref = self.financing_ref

        assigned_to: None | str
        assigned_to = self.assigned_to

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "claim_id": claim_id,
                "receivable_id": receivable_id,
                "currency": currency,
                "paid": paid,
                "financing_ref": financing_ref,
                "assigned_to": assigned_to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        claim_id = UUID(d.pop("claim_id"))

        receivable_id = UUID(d.pop("receivable_id"))

        currency = check_currency(d.pop("currency"))

        paid = d.pop("paid")

        def _parse_financing_ref(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        financing_ref = _parse_financing_ref(d.pop("financing_ref"))

        def _parse_assigned_to(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        assigned_to = _parse_assigned_to(d.pop("assigned_to"))

        claim_payment_out = cls(
            claim_id=claim_id,
            receivable_id=receivable_id,
            currency=currency,
            paid=paid,
            financing_ref=financing_ref,
            assigned_to=assigned_to,
        )

        claim_payment_out.additional_properties = d
        return claim_payment_out

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
