from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CollateralPledged")


@_attrs_define
class CollateralPledged:
    pledge_id: str
    receipt_id: str
    ltv: str
    """ loan-to-value ratio, a decimal string """
    financing_ref: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        pledge_id = self.pledge_id

        receipt_id = self.receipt_id

        ltv = self.ltv

        financing_ref: None | str | Unset
        if isinstance(self.financing_ref, Unset):
            financing_ref = UNSET
        else:
            financing_ref = self.financing_ref

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "pledge_id": pledge_id,
                "receipt_id": receipt_id,
                "ltv": ltv,
            }
        )
        if financing_ref is not UNSET:
            field_dict["financing_ref"] = financing_ref

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        pledge_id = d.pop("pledge_id")

        receipt_id = d.pop("receipt_id")

        ltv = d.pop("ltv")

        def _parse_financing_ref(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        financing_ref = _parse_financing_ref(d.pop("financing_ref", UNSET))

        collateral_pledged = cls(
            pledge_id=pledge_id,
            receipt_id=receipt_id,
            ltv=ltv,
            financing_ref=financing_ref,
        )

        collateral_pledged.additional_properties = d
        return collateral_pledged

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
