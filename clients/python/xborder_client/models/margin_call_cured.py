from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

T = TypeVar("T", bound="MarginCallCured")


@_attrs_define
class MarginCallCured:
    pledge_id: str
    id: str
    """ the margin call """
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    ltv: str
    """ the loan's LTV after the added collateral, a decimal string """
    target_ltv: str
    valuation: str
    """ decimal string in major units with exactly the currency's exponent """
    outstanding: str
    """ decimal string in major units with exactly the currency's exponent """
    cured_by: str
    cured_on: str
    loan_id: None | str | Unset = UNSET
    added_pledges: list[str] | Unset = UNSET
    """ the pledges of the receipts added """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        pledge_id = self.pledge_id

        id = self.id

        currency: str = self.currency

        ltv = self.ltv

        target_ltv = self.target_ltv

        valuation = self.valuation

        outstanding = self.outstanding

        cured_by = self.cured_by

        cured_on = self.cured_on

        loan_id: None | str | Unset
        if isinstance(self.loan_id, Unset):
            loan_id = UNSET
        else:
            loan_id = self.loan_id

        added_pledges: list[str] | Unset = UNSET
        if not isinstance(self.added_pledges, Unset):
            added_pledges = self.added_pledges

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "pledge_id": pledge_id,
                "id": id,
                "currency": currency,
                "ltv": ltv,
                "target_ltv": target_ltv,
                "valuation": valuation,
                "outstanding": outstanding,
                "cured_by": cured_by,
                "cured_on": cured_on,
            }
        )
        if loan_id is not UNSET:
            field_dict["loan_id"] = loan_id
        if added_pledges is not UNSET:
            field_dict["added_pledges"] = added_pledges

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        pledge_id = d.pop("pledge_id")

        id = d.pop("id")

        currency = check_currency(d.pop("currency"))

        ltv = d.pop("ltv")

        target_ltv = d.pop("target_ltv")

        valuation = d.pop("valuation")

        outstanding = d.pop("outstanding")

        cured_by = d.pop("cured_by")

        cured_on = d.pop("cured_on")

        def _parse_loan_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        loan_id = _parse_loan_id(d.pop("loan_id", UNSET))

        added_pledges = cast(list[str], d.pop("added_pledges", UNSET))

        margin_call_cured = cls(
            pledge_id=pledge_id,
            id=id,
            currency=currency,
            ltv=ltv,
            target_ltv=target_ltv,
            valuation=valuation,
            outstanding=outstanding,
            cured_by=cured_by,
            cured_on=cured_on,
            loan_id=loan_id,
            added_pledges=added_pledges,
        )

        margin_call_cured.additional_properties = d
        return margin_call_cured

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
