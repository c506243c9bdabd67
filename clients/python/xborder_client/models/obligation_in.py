from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

T = TypeVar("T", bound="ObligationIn")


@_attrs_define
class ObligationIn:
    payer_account_id: UUID
    payee_account_id: UUID
    amount: str
    """ Positive decimal amount in major units, as a string: no sign or exponent, not zero, at most as many decimals
    as the currency has (USD 2, JPY 0, KWD 3; trailing zeros beyond them are refused), at most 9999999999999.99 USD
    / 999999999999999 JPY per posting """
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    reference: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        payer_account_id = str(self.payer_account_id)

        payee_account_id = str(self.payee_account_id)

        amount = self.amount

        currency: str = self.currency

        reference: None | str | Unset
        if isinstance(self.reference, Unset):
            reference = UNSET
        else:
            reference = self.reference

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "payer_account_id": payer_account_id,
                "payee_account_id": payee_account_id,
                "amount": amount,
                "currency": currency,
            }
        )
        if reference is not UNSET:
            field_dict["reference"] = reference

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        payer_account_id = UUID(d.pop("payer_account_id"))

        payee_account_id = UUID(d.pop("payee_account_id"))

        amount = d.pop("amount")

        currency = check_currency(d.pop("currency"))

        def _parse_reference(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference = _parse_reference(d.pop("reference", UNSET))

        obligation_in = cls(
            payer_account_id=payer_account_id,
            payee_account_id=payee_account_id,
            amount=amount,
            currency=currency,
            reference=reference,
        )

        return obligation_in
