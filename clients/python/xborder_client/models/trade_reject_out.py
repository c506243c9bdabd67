from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TradeRejectOut")


@_attrs_define
class TradeRejectOut:
    id: UUID
    platform_code: str
    kind: str
    external_id: None | str
    position: int
    raw: str
    reason: str
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        platform_code = self.platform_code

        kind = self.kind

        external_id: None | str
        external_id = self.external_id

        position = self.position

        raw = self.raw

        reason = self.reason

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "platform_code": platform_code,
                "kind": kind,
                "external_id": external_id,
                "position": position,
                "raw": raw,
                "reason": reason,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        platform_code = d.pop("platform_code")

        kind = d.pop("kind")

        def _parse_external_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        external_id = _parse_external_id(d.pop("external_id"))

        position = d.pop("position")

        raw = d.pop("raw")

        reason = d.pop("reason")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        trade_reject_out = cls(
            id=id,
            platform_code=platform_code,
            kind=kind,
            external_id=external_id,
            position=position,
            raw=raw,
            reason=reason,
            created_at=created_at,
        )

        trade_reject_out.additional_properties = d
        return trade_reject_out

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
