from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LoanAccrued")


@_attrs_define
class LoanAccrued:
    loan_id: str
    from_: str
    through: str
    interest: None | str | Unset = UNSET
    """ decimal string in major units with exactly the currency's exponent """
    penalty: None | str | Unset = UNSET
    """ decimal string in major units with exactly the currency's exponent """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        loan_id = self.loan_id

        from_ = self.from_

        through = self.through

        interest: None | str | Unset
        if isinstance(self.interest, Unset):
            interest = UNSET
        else:
            interest = self.interest

        penalty: None | str | Unset
        if isinstance(self.penalty, Unset):
            penalty = UNSET
        else:
            penalty = self.penalty

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "loan_id": loan_id,
                "from": from_,
                "through": through,
            }
        )
        if interest is not UNSET:
            field_dict["interest"] = interest
        if penalty is not UNSET:
            field_dict["penalty"] = penalty

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        loan_id = d.pop("loan_id")

        from_ = d.pop("from")

        through = d.pop("through")

        def _parse_interest(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        interest = _parse_interest(d.pop("interest", UNSET))

        def _parse_penalty(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        penalty = _parse_penalty(d.pop("penalty", UNSET))

        loan_accrued = cls(
            loan_id=loan_id,
            from_=from_,
            through=through,
            interest=interest,
            penalty=penalty,
        )

        loan_accrued.additional_properties = d
        return loan_accrued

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
