from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..models.posting_in_side import PostingInSide, check_posting_in_side

T = TypeVar("T", bound="PostingIn")


@_attrs_define
class PostingIn:
    account_id: UUID
    side: PostingInSide
    amount: str
    """ Positive decimal amount in major units, as a string; at most as many decimals as the currency has """
    currency: str
    """ ISO 4217 alphabetic code """

    def to_dict(self) -> dict[str, Any]:
        account_id = str(self.account_id)

        side: str = self.side

        amount = self.amount

        currency = self.currency

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

        currency = d.pop("currency")

        posting_in = cls(
            account_id=account_id,
            side=side,
            amount=amount,
            currency=currency,
        )

        return posting_in
