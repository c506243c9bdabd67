from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

T = TypeVar("T", bound="PaymentRecord")


@_attrs_define
class PaymentRecord:
    external_id: str
    order_external_id: str
    merchant_ref: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    amount: str
    """ Positive decimal amount in major units, as a string: no sign or exponent, not zero, at most as many decimals
    as the currency has (USD 2, JPY 0, KWD 3; trailing zeros beyond them are refused), at most 9999999999999.99 USD
    / 999999999999999 JPY per posting """
    paid_on: datetime.date
    method: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        external_id = self.external_id

        order_external_id = self.order_external_id

        merchant_ref = self.merchant_ref

        currency: str = self.currency

        amount = self.amount

        paid_on = self.paid_on.isoformat()

        method: None | str | Unset
        if isinstance(self.method, Unset):
            method = UNSET
        else:
            method = self.method

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "external_id": external_id,
                "order_external_id": order_external_id,
                "merchant_ref": merchant_ref,
                "currency": currency,
                "amount": amount,
                "paid_on": paid_on,
            }
        )
        if method is not UNSET:
            field_dict["method"] = method

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        external_id = d.pop("external_id")

        order_external_id = d.pop("order_external_id")

        merchant_ref = d.pop("merchant_ref")

        currency = check_currency(d.pop("currency"))

        amount = d.pop("amount")

        paid_on = datetime.date.fromisoformat(d.pop("paid_on"))

        def _parse_method(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        method = _parse_method(d.pop("method", UNSET))

        payment_record = cls(
            external_id=external_id,
            order_external_id=order_external_id,
            merchant_ref=merchant_ref,
            currency=currency,
            amount=amount,
            paid_on=paid_on,
            method=method,
        )

        return payment_record
