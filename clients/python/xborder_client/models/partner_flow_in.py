from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.currency import Currency, check_currency
from ..models.partner_flow_in_direction import PartnerFlowInDirection, check_partner_flow_in_direction
from ..types import UNSET, Unset

T = TypeVar("T", bound="PartnerFlowIn")


@_attrs_define
class PartnerFlowIn:
    direction: PartnerFlowInDirection
    """ from_bank: the bank owes the institution (e.g. receipts it collected); to_bank: the institution owes the
    bank """
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    amount: str
    """ Positive decimal amount in major units, as a string: no sign or exponent, not zero, at most as many decimals
    as the currency has (USD 2, JPY 0, KWD 3; trailing zeros beyond them are refused), at most 9999999999999.99 USD
    / 999999999999999 JPY per posting """
    reference: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        direction: str = self.direction

        currency: str = self.currency

        amount = self.amount

        reference: None | str | Unset
        if isinstance(self.reference, Unset):
            reference = UNSET
        else:
            reference = self.reference

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "direction": direction,
                "currency": currency,
                "amount": amount,
            }
        )
        if reference is not UNSET:
            field_dict["reference"] = reference

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        direction = check_partner_flow_in_direction(d.pop("direction"))

        currency = check_currency(d.pop("currency"))

        amount = d.pop("amount")

        def _parse_reference(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference = _parse_reference(d.pop("reference", UNSET))

        partner_flow_in = cls(
            direction=direction,
            currency=currency,
            amount=amount,
            reference=reference,
        )

        return partner_flow_in
