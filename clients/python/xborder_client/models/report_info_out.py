from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.report_param_out import ReportParamOut


T = TypeVar("T", bound="ReportInfoOut")


@_attrs_define
class ReportInfoOut:
    name: str
    title: str
    roles: list[str]
    params: list[ReportParamOut]
    description: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        title = self.title

        roles = self.roles

        params = []
        for params_item_data in self.params:
            params_item = params_item_data.to_dict()
            params.append(params_item)

        description = self.description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "title": title,
                "roles": roles,
                "params": params,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.report_param_out import ReportParamOut  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        title = d.pop("title")

        roles = cast(list[str], d.pop("roles"))

        params = []
        _params = d.pop("params")
        for params_item_data in _params:
            params_item = ReportParamOut.from_dict(params_item_data)

            params.append(params_item)

        description = d.pop("description", UNSET)

        report_info_out = cls(
            name=name,
            title=title,
            roles=roles,
            params=params,
            description=description,
        )

        report_info_out.additional_properties = d
        return report_info_out

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
