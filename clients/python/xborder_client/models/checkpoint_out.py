from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CheckpointOut")


@_attrs_define
class CheckpointOut:
    ledger_id: UUID
    seq: int
    head_hash: str
    created_at: datetime.datetime
    key_id: str
    public_key: str
    signature: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ledger_id = str(self.ledger_id)

        seq = self.seq

        head_hash = self.head_hash

        created_at = self.created_at.isoformat()

        key_id = self.key_id

        public_key = self.public_key

        signature = self.signature

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ledger_id": ledger_id,
                "seq": seq,
                "head_hash": head_hash,
                "created_at": created_at,
                "key_id": key_id,
                "public_key": public_key,
                "signature": signature,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ledger_id = UUID(d.pop("ledger_id"))

        seq = d.pop("seq")

        head_hash = d.pop("head_hash")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        key_id = d.pop("key_id")

        public_key = d.pop("public_key")

        signature = d.pop("signature")

        checkpoint_out = cls(
            ledger_id=ledger_id,
            seq=seq,
            head_hash=head_hash,
            created_at=created_at,
            key_id=key_id,
            public_key=public_key,
            signature=signature,
        )

        checkpoint_out.additional_properties = d
        return checkpoint_out

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
