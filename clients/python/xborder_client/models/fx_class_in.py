from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.fx_class_in_fx_class import FxClassInFxClass, check_fx_class_in_fx_class

T = TypeVar("T", bound="FxClassIn")


@_attrs_define
class FxClassIn:
    fx_class: FxClassInFxClass

    def to_dict(self) -> dict[str, Any]:
        fx_class: str = self.fx_class

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "fx_class": fx_class,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        fx_class = check_fx_class_in_fx_class(d.pop("fx_class"))

        fx_class_in = cls(
            fx_class=fx_class,
        )

        return fx_class_in
