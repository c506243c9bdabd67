from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

T = TypeVar("T", bound="ObligationOut")


@_attrs_define
class ObligationOut:
    id: UUID
    seq: int
    payer_account_id: UUID
    payee_account_id: UUID
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    amount: str
    """ Decimal amount in major units with the currency's decimals """
    reference: None | str
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        seq = self.seq

        payer_account_id = str(self.payer_account_id)

        payee_account_id = str(self.payee_account_id)

        currency: str = self.currency

        amount = self.amount

        reference: None | str
        reference = self.reference

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "seq": seq,
                "payer_account_id": payer_account_id,
                "payee_account_id": payee_account_id,
                "currency": currency,
                "amount": amount,
                "reference": reference,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        seq = d.pop("seq")

        payer_account_id = UUID(d.pop("payer_account_id"))

        payee_account_id = UUID(d.pop("payee_account_id"))

        currency = check_currency(d.pop("currency"))

        amount = d.pop("amount")

        def _parse_reference(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reference = _parse_reference(d.pop("reference"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        obligation_out = cls(
            id=id,
            seq=seq,
            payer_account_id=payer_account_id,
            payee_account_id=payee_account_id,
            currency=currency,
            amount=amount,
            reference=reference,
            created_at=created_at,
        )

        obligation_out.additional_properties = d
        return obligation_out

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
