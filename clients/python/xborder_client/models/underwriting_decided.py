from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

T = TypeVar("T", bound="UnderwritingDecided")


@_attrs_define
class UnderwritingDecided:
    decision_id: str
    customer_id: str
    decision: str
    score: float | int | None | str | Unset = UNSET
    reasons: list[str] | Unset = UNSET
    currency: Currency | None | Unset = UNSET
    model_version: None | str | Unset = UNSET
    as_of: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        decision_id = self.decision_id

        customer_id = self.customer_id

        decision = self.decision

        score: float | int | None | str | Unset
        if isinstance(self.score, Unset):
            score = UNSET
        else:
            score = self.score

        reasons: list[str] | Unset = UNSET
        if not isinstance(self.reasons, Unset):
            reasons = self.reasons

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        elif isinstance(self.currency, str):
            currency = self.currency
        else:
            currency = self.currency

        model_version: None | str | Unset
        if isinstance(self.model_version, Unset):
            model_version = UNSET
        else:
            model_version = self.model_version

        as_of: None | str | Unset
        if isinstance(self.as_of, Unset):
            as_of = UNSET
        else:
            as_of = self.as_of

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "decision_id": decision_id,
                "customer_id": customer_id,
                "decision": decision,
            }
        )
        if score is not UNSET:
            field_dict["score"] = score
        if reasons is not UNSET:
            field_dict["reasons"] = reasons
        if currency is not UNSET:
            field_dict["currency"] = currency
        if model_version is not UNSET:
            field_dict["model_version"] = model_version
        if as_of is not UNSET:
            field_dict["as_of"] = as_of

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        decision_id = d.pop("decision_id")

        customer_id = d.pop("customer_id")

        decision = d.pop("decision")

        def _parse_score(data: object) -> float | int | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | int | None | str | Unset, data)

        score = _parse_score(d.pop("score", UNSET))

        reasons = cast(list[str], d.pop("reasons", UNSET))

        def _parse_currency(data: object) -> Currency | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                currency_type_0 = check_currency(data)

                return currency_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Currency | None | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))

        def _parse_model_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model_version = _parse_model_version(d.pop("model_version", UNSET))

        def _parse_as_of(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        as_of = _parse_as_of(d.pop("as_of", UNSET))

        underwriting_decided = cls(
            decision_id=decision_id,
            customer_id=customer_id,
            decision=decision,
            score=score,
            reasons=reasons,
            currency=currency,
            model_version=model_version,
            as_of=as_of,
        )

        underwriting_decided.additional_properties = d
        return underwriting_decided

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
