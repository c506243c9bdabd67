from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

if TYPE_CHECKING:
    from ..models.added_pledge_out import AddedPledgeOut
    from ..models.margin_call_out import MarginCallOut


T = TypeVar("T", bound="CureOut")


@_attrs_define
class CureOut:
    margin_call: MarginCallOut
    pledge_id: UUID
    """ the pledge the margin call was opened on """
    loan_id: str
    """ the loan (financing reference) the receipts now secure """
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    outstanding: str
    """ Decimal amount in major units, as a string """
    collateral_value: str
    """ every receipt pledged to the loan, after haircut, on `as_of` """
    ltv: str
    """ outstanding / collateral value after the cure """
    limit: str
    """ the LTV a cure must reach: the product's `max_ltv` (default 0.60) """
    added: list[AddedPledgeOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        margin_call = self.margin_call.to_dict()

        pledge_id = str(self.pledge_id)

        loan_id = self.loan_id

        currency: str = self.currency

        outstanding = self.outstanding

        collateral_value = self.collateral_value

        ltv = self.ltv

        limit = self.limit

        added = []
        for added_item_data in self.added:
            added_item = added_item_data.to_dict()
            added.append(added_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "margin_call": margin_call,
                "pledge_id": pledge_id,
                "loan_id": loan_id,
                "currency": currency,
                "outstanding": outstanding,
                "collateral_value": collateral_value,
                "ltv": ltv,
                "limit": limit,
                "added": added,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.added_pledge_out import AddedPledgeOut  # noqa: PLC0415
        from ..models.margin_call_out import MarginCallOut  # noqa: PLC0415

        d = dict(src_dict)
        margin_call = MarginCallOut.from_dict(d.pop("margin_call"))

        pledge_id = UUID(d.pop("pledge_id"))

        loan_id = d.pop("loan_id")

        currency = check_currency(d.pop("currency"))

        outstanding = d.pop("outstanding")

        collateral_value = d.pop("collateral_value")

        ltv = d.pop("ltv")

        limit = d.pop("limit")

        added = []
        _added = d.pop("added")
        for added_item_data in _added:
            added_item = AddedPledgeOut.from_dict(added_item_data)

            added.append(added_item)

        cure_out = cls(
            margin_call=margin_call,
            pledge_id=pledge_id,
            loan_id=loan_id,
            currency=currency,
            outstanding=outstanding,
            collateral_value=collateral_value,
            ltv=ltv,
            limit=limit,
            added=added,
        )

        cure_out.additional_properties = d
        return cure_out

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
