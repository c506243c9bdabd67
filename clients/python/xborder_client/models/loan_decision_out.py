from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.explanation_out import ExplanationOut
    from ..models.loan_decision_out_inputs import LoanDecisionOutInputs


T = TypeVar("T", bound="LoanDecisionOut")


@_attrs_define
class LoanDecisionOut:
    approved: bool
    reasons: list[str]
    inputs: LoanDecisionOutInputs
    limit: None | str
    """ in the loan's currency """
    decided_by: None | str
    decided_at: None | str
    explanations: list[ExplanationOut] | Unset = UNSET
    """ each reason in words with its figures and what would change it """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        approved = self.approved

        reasons = self.reasons

        inputs = self.inputs.to_dict()

        limit: None | str
        limit = self.limit

        decided_by: None | str
        decided_by = self.decided_by

        decided_at: None | str
        decided_at = self.decided_at

        explanations: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.explanations, Unset):
            explanations = []
            for explanations_item_data in self.explanations:
                explanations_item = explanations_item_data.to_dict()
                explanations.append(explanations_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "approved": approved,
                "reasons": reasons,
                "inputs": inputs,
                "limit": limit,
                "decided_by": decided_by,
                "decided_at": decided_at,
            }
        )
        if explanations is not UNSET:
            field_dict["explanations"] = explanations

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.explanation_out import ExplanationOut  # noqa: PLC0415
        from ..models.loan_decision_out_inputs import LoanDecisionOutInputs  # noqa: PLC0415

        d = dict(src_dict)
        approved = d.pop("approved")

        reasons = cast(list[str], d.pop("reasons"))

        inputs = LoanDecisionOutInputs.from_dict(d.pop("inputs"))

        def _parse_limit(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        limit = _parse_limit(d.pop("limit"))

        def _parse_decided_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        decided_by = _parse_decided_by(d.pop("decided_by"))

        def _parse_decided_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        decided_at = _parse_decided_at(d.pop("decided_at"))

        _explanations = d.pop("explanations", UNSET)
        explanations: list[ExplanationOut] | Unset = UNSET
        if _explanations is not UNSET:
            explanations = []
            for explanations_item_data in _explanations:
                explanations_item = ExplanationOut.from_dict(explanations_item_data)

                explanations.append(explanations_item)

        loan_decision_out = cls(
            approved=approved,
            reasons=reasons,
            inputs=inputs,
            limit=limit,
            decided_by=decided_by,
            decided_at=decided_at,
            explanations=explanations,
        )

        loan_decision_out.additional_properties = d
        return loan_decision_out

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
