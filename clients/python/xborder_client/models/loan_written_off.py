from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.loan_written_off_components_type_0 import LoanWrittenOffComponentsType0


T = TypeVar("T", bound="LoanWrittenOff")


@_attrs_define
class LoanWrittenOff:
    loan_id: str
    amount: str
    """ decimal string in major units with exactly the currency's exponent """
    components: LoanWrittenOffComponentsType0 | None | Unset = UNSET
    dpd: int | None | Unset = UNSET
    bucket: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.loan_written_off_components_type_0 import LoanWrittenOffComponentsType0  # noqa: PLC0415

        loan_id = self.loan_id

        amount = self.amount

        components: dict[str, Any] | None | Unset
        if isinstance(self.components, Unset):
            components = UNSET
        elif isinstance(self.components, LoanWrittenOffComponentsType0):
            components = self.components.to_dict()
        else:
            components = self.components

        dpd: int | None | Unset
        if isinstance(self.dpd, Unset):
            dpd = UNSET
        else:
            dpd = self.dpd

        bucket: None | str | Unset
        if isinstance(self.bucket, Unset):
            bucket = UNSET
        else:
            bucket = self.bucket

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "loan_id": loan_id,
                "amount": amount,
            }
        )
        if components is not UNSET:
            field_dict["components"] = components
        if dpd is not UNSET:
            field_dict["dpd"] = dpd
        if bucket is not UNSET:
            field_dict["bucket"] = bucket

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.loan_written_off_components_type_0 import LoanWrittenOffComponentsType0  # noqa: PLC0415

        d = dict(src_dict)
        loan_id = d.pop("loan_id")

        amount = d.pop("amount")

        def _parse_components(data: object) -> LoanWrittenOffComponentsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                components_type_0 = LoanWrittenOffComponentsType0.from_dict(data)

                return components_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LoanWrittenOffComponentsType0 | None | Unset, data)

        components = _parse_components(d.pop("components", UNSET))

        def _parse_dpd(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        dpd = _parse_dpd(d.pop("dpd", UNSET))

        def _parse_bucket(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        bucket = _parse_bucket(d.pop("bucket", UNSET))

        loan_written_off = cls(
            loan_id=loan_id,
            amount=amount,
            components=components,
            dpd=dpd,
            bucket=bucket,
        )

        loan_written_off.additional_properties = d
        return loan_written_off

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
