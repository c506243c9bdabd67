from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.advance_in_kind import AdvanceInKind, check_advance_in_kind
from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

T = TypeVar("T", bound="AdvanceIn")


@_attrs_define
class AdvanceIn:
    merchant_ref: str
    """ owner reference of a merchant or provider """
    provider_ref: str
    """ the logistics/express firm or platform that paid the fee """
    kind: AdvanceInKind
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    amount: str
    """ Positive decimal amount in major units, as a string: no sign or exponent, not zero, at most as many decimals
    as the currency has (USD 2, JPY 0, KWD 3; trailing zeros beyond them are refused), at most 9999999999999.99 USD
    / 999999999999999 JPY per posting """
    advance_date: datetime.date
    """ business date the provider paid the fee (ages count from it) """
    reference: None | str | Unset = UNSET
    description: str | Unset = ""
    repay_account_id: None | Unset | UUID = UNSET
    """ the provider's account credited with repayments; default its `adv:<provider>:proceeds:<CUR>` account """

    def to_dict(self) -> dict[str, Any]:
        merchant_ref = self.merchant_ref

        provider_ref = self.provider_ref

        kind: str = self.kind

        currency: str = self.currency

        amount = self.amount

        advance_date = self.advance_date.isoformat()

        reference: None | str | Unset
        if isinstance(self.reference, Unset):
            reference = UNSET
        else:
            reference = self.reference

        description = self.description

        repay_account_id: None | str | Unset
        if isinstance(self.repay_account_id, Unset):
            repay_account_id = UNSET
        elif isinstance(self.repay_account_id, UUID):
            repay_account_id = str(self.repay_account_id)
        else:
            repay_account_id = self.repay_account_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "merchant_ref": merchant_ref,
                "provider_ref": provider_ref,
                "kind": kind,
                "currency": currency,
                "amount": amount,
                "advance_date": advance_date,
            }
        )
        if reference is not UNSET:
            field_dict["reference"] = reference
        if description is not UNSET:
            field_dict["description"] = description
        if repay_account_id is not UNSET:
            field_dict["repay_account_id"] = repay_account_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        merchant_ref = d.pop("merchant_ref")

        provider_ref = d.pop("provider_ref")

        kind = check_advance_in_kind(d.pop("kind"))

        currency = check_currency(d.pop("currency"))

        amount = d.pop("amount")

        advance_date = datetime.date.fromisoformat(d.pop("advance_date"))

        def _parse_reference(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference = _parse_reference(d.pop("reference", UNSET))

        description = d.pop("description", UNSET)

        def _parse_repay_account_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                repay_account_id_type_0 = UUID(data)

                return repay_account_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        repay_account_id = _parse_repay_account_id(d.pop("repay_account_id", UNSET))

        advance_in = cls(
            merchant_ref=merchant_ref,
            provider_ref=provider_ref,
            kind=kind,
            currency=currency,
            amount=amount,
            advance_date=advance_date,
            reference=reference,
            description=description,
            repay_account_id=repay_account_id,
        )

        return advance_in
