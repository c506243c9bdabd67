from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

if TYPE_CHECKING:
    from ..models.margin_call_out import MarginCallOut


T = TypeVar("T", bound="PledgeOut")


@_attrs_define
class PledgeOut:
    id: UUID
    receipt_id: UUID
    financing_ref: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    loan: str
    """ Decimal amount in major units, as a string """
    outstanding: str
    """ Decimal amount in major units, as a string """
    quantity_pledged: str
    quantity_released: str
    status: str
    valuation: str
    """ Decimal amount in major units, as a string """
    valued_on: datetime.date
    ltv: str
    pledged_at: datetime.datetime
    closed_at: datetime.datetime | None
    margin_calls: list[MarginCallOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        receipt_id = str(self.receipt_id)

        financing_ref = self.financing_ref

        currency: str = self.currency

        loan = self.loan

        outstanding = self.outstanding

        quantity_pledged = self.quantity_pledged

        quantity_released = self.quantity_released

        status = self.status

        valuation = self.valuation

        valued_on = self.valued_on.isoformat()

        ltv = self.ltv

        pledged_at = self.pledged_at.isoformat()

        closed_at: None | str
        if isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        margin_calls = []
        for margin_calls_item_data in self.margin_calls:
            margin_calls_item = margin_calls_item_data.to_dict()
            margin_calls.append(margin_calls_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "receipt_id": receipt_id,
                "financing_ref": financing_ref,
                "currency": currency,
                "loan": loan,
                "outstanding": outstanding,
                "quantity_pledged": quantity_pledged,
                "quantity_released": quantity_released,
                "status": status,
                "valuation": valuation,
                "valued_on": valued_on,
                "ltv": ltv,
                "pledged_at": pledged_at,
                "closed_at": closed_at,
                "margin_calls": margin_calls,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.margin_call_out import MarginCallOut  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        receipt_id = UUID(d.pop("receipt_id"))

        financing_ref = d.pop("financing_ref")

        currency = check_currency(d.pop("currency"))

        loan = d.pop("loan")

        outstanding = d.pop("outstanding")

        quantity_pledged = d.pop("quantity_pledged")

        quantity_released = d.pop("quantity_released")

        status = d.pop("status")

        valuation = d.pop("valuation")

        valued_on = datetime.date.fromisoformat(d.pop("valued_on"))

        ltv = d.pop("ltv")

        pledged_at = datetime.datetime.fromisoformat(d.pop("pledged_at"))

        def _parse_closed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)

                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        closed_at = _parse_closed_at(d.pop("closed_at"))

        margin_calls = []
        _margin_calls = d.pop("margin_calls")
        for margin_calls_item_data in _margin_calls:
            margin_calls_item = MarginCallOut.from_dict(margin_calls_item_data)

            margin_calls.append(margin_calls_item)

        pledge_out = cls(
            id=id,
            receipt_id=receipt_id,
            financing_ref=financing_ref,
            currency=currency,
            loan=loan,
            outstanding=outstanding,
            quantity_pledged=quantity_pledged,
            quantity_released=quantity_released,
            status=status,
            valuation=valuation,
            valued_on=valued_on,
            ltv=ltv,
            pledged_at=pledged_at,
            closed_at=closed_at,
            margin_calls=margin_calls,
        )

        pledge_out.additional_properties = d
        return pledge_out

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
