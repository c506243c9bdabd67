from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

T = TypeVar("T", bound="RefundOut")


@_attrs_define
class RefundOut:
    id: UUID
    external_id: str
    kind: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    requested: str
    applied: str
    refunded_on: datetime.date
    reason: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        external_id = self.external_id

        kind = self.kind

        currency: str = self.currency

        requested = self.requested

        applied = self.applied

        refunded_on = self.refunded_on.isoformat()

        reason: None | str
        reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "external_id": external_id,
                "kind": kind,
                "currency": currency,
                "requested": requested,
                "applied": applied,
                "refunded_on": refunded_on,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        external_id = d.pop("external_id")

        kind = d.pop("kind")

        currency = check_currency(d.pop("currency"))

        requested = d.pop("requested")

        applied = d.pop("applied")

        refunded_on = datetime.date.fromisoformat(d.pop("refunded_on"))

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        refund_out = cls(
            id=id,
            external_id=external_id,
            kind=kind,
            currency=currency,
            requested=requested,
            applied=applied,
            refunded_on=refunded_on,
            reason=reason,
        )

        refund_out.additional_properties = d
        return refund_out

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
