from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..models.currency import Currency, check_currency
from ..models.posting_in_side import PostingInSide, check_posting_in_side

T = TypeVar("T", bound="PostingIn")


@_attrs_define
class PostingIn:
    account_id: UUID
    side: PostingInSide
    amount: str
    """ Positive decimal amount in major units, as a string: no sign or exponent, not zero, at most as many decimals
    as the currency has (USD 2, JPY 0, KWD 3; trailing zeros beyond them are refused), at most 9999999999999.99 USD
    / 999999999999999 JPY per posting """
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """

    def to_dict(self) -> dict[str, Any]:
        account_id = str(self.account_id)

        side: str = self.side

        amount = self.amount

        currency: str = self.currency

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "account_id": account_id,
                "side": side,
                "amount": amount,
                "currency": currency,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        account_id = UUID(d.pop("account_id"))

        side = check_posting_in_side(d.pop("side"))

        amount = d.pop("amount")

        currency = check_currency(d.pop("currency"))

        posting_in = cls(
            account_id=account_id,
            side=side,
            amount=amount,
            currency=currency,
        )

        return posting_in
