from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.decision_out_inputs import DecisionOutInputs
    from ..models.explanation_out import ExplanationOut


T = TypeVar("T", bound="DecisionOut")


@_attrs_define
class DecisionOut:
    id: None | UUID
    customer_id: UUID
    decision: str
    score: int
    reasons: list[str]
    limit: None | str
    currency: Currency | None
    model_version: str
    inputs: DecisionOutInputs
    """ the features scored, points, gross limit and existing exposure (amounts as decimal strings in `currency`)
    """
    explanations: list[ExplanationOut] | Unset = UNSET
    """ the outcome and each reason in words, Chinese and English, with the figures and what would change the answer
    """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id: None | str
        if isinstance(self.id, UUID):
            id = str(self.id)
        else:
            id = self.id

        customer_id = str(self.customer_id)

        decision = self.decision

        score = self.score

        reasons = self.reasons

        limit: None | str
        limit = self.limit

        currency: None | str
        if isinstance(self.currency, str):
            currency = self.currency
        else:
            currency = self.currency

        model_version = self.model_version

        inputs = self.inputs.to_dict()

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
                "id": id,
                "customer_id": customer_id,
                "decision": decision,
                "score": score,
                "reasons": reasons,
                "limit": limit,
                "currency": currency,
                "model_version": model_version,
                "inputs": inputs,
            }
        )
        if explanations is not UNSET:
            field_dict["explanations"] = explanations

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.decision_out_inputs import DecisionOutInputs  # noqa: PLC0415
        from ..models.explanation_out import ExplanationOut  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                id_type_0 = UUID(data)

                return id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        id = _parse_id(d.pop("id"))

        customer_id = UUID(d.pop("customer_id"))

        decision = d.pop("decision")

        score = d.pop("score")

        reasons = cast(list[str], d.pop("reasons"))

        def _parse_limit(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        limit = _parse_limit(d.pop("limit"))

        def _parse_currency(data: object) -> Currency | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                currency_type_0 = check_currency(data)

                return currency_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Currency | None, data)

        currency = _parse_currency(d.pop("currency"))

        model_version = d.pop("model_version")

        inputs = DecisionOutInputs.from_dict(d.pop("inputs"))

        _explanations = d.pop("explanations", UNSET)
        explanations: list[ExplanationOut] | Unset = UNSET
        if _explanations is not UNSET:
            explanations = []
            for explanations_item_data in _explanations:
                explanations_item = ExplanationOut.from_dict(explanations_item_data)

                explanations.append(explanations_item)

        decision_out = cls(
            id=id,
            customer_id=customer_id,
            decision=decision,
            score=score,
            reasons=reasons,
            limit=limit,
            currency=currency,
            model_version=model_version,
            inputs=inputs,
            explanations=explanations,
        )

        decision_out.additional_properties = d
        return decision_out

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
