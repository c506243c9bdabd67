from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.explanation_out_figures import ExplanationOutFigures
    from ..models.text_out import TextOut


T = TypeVar("T", bound="ExplanationOut")


@_attrs_define
class ExplanationOut:
    code: str
    """ SUMMARY first, then each reason code (STAFF: a reason typed by a credit officer) """
    text: TextOut
    figures: ExplanationOutFigures
    """ the figures behind the reason (amounts with their currency) """
    to_change: TextOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        text = self.text.to_dict()

        figures = self.figures.to_dict()

        to_change = self.to_change.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "text": text,
                "figures": figures,
                "to_change": to_change,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.explanation_out_figures import ExplanationOutFigures  # noqa: PLC0415
        from ..models.text_out import TextOut  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        text = TextOut.from_dict(d.pop("text"))

        figures = ExplanationOutFigures.from_dict(d.pop("figures"))

        to_change = TextOut.from_dict(d.pop("to_change"))

        explanation_out = cls(
            code=code,
            text=text,
            figures=figures,
            to_change=to_change,
        )

        explanation_out.additional_properties = d
        return explanation_out

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
