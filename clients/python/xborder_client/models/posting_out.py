from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..models.posting_out_phase import PostingOutPhase, check_posting_out_phase
from ..models.posting_out_side import PostingOutSide, check_posting_out_side

T = TypeVar("T", bound="PostingOut")


@_attrs_define
class PostingOut:
    line_no: int
    account_id: UUID
    side: PostingOutSide
    amount: str
    """ Decimal amount in major units with the currency's decimals """
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    phase: PostingOutPhase
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        line_no = self.line_no

        account_id = str(self.account_id)

        side: str = self.side

        amount = self.amount

        currency: str = self.currency

        phase: str = self.phase

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "line_no": line_no,
                "account_id": account_id,
                "side": side,
                "amount": amount,
                "currency": currency,
                "phase": phase,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        line_no = d.pop("line_no")

        account_id = UUID(d.pop("account_id"))

        side = check_posting_out_side(d.pop("side"))

        amount = d.pop("amount")

        currency = check_currency(d.pop("currency"))

        phase = check_posting_out_phase(d.pop("phase"))

        posting_out = cls(
            line_no=line_no,
            account_id=account_id,
            side=side,
            amount=amount,
            currency=currency,
            phase=phase,
        )

        posting_out.additional_properties = d
        return posting_out

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
