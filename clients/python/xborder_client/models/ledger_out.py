from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="LedgerOut")


@_attrs_define
class LedgerOut:
    id: UUID
    code: str
    name: str
    created_at: datetime.datetime
    chain_seq: int
    """ number of transactions recorded """
    chain_head: str
    """ SHA-256 hash of the last transaction """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        code = self.code

        name = self.name

        created_at = self.created_at.isoformat()

        chain_seq = self.chain_seq

        chain_head = self.chain_head

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "code": code,
                "name": name,
                "created_at": created_at,
                "chain_seq": chain_seq,
                "chain_head": chain_head,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        code = d.pop("code")

        name = d.pop("name")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        chain_seq = d.pop("chain_seq")

        chain_head = d.pop("chain_head")

        ledger_out = cls(
            id=id,
            code=code,
            name=name,
            created_at=created_at,
            chain_seq=chain_seq,
            chain_head=chain_head,
        )

        ledger_out.additional_properties = d
        return ledger_out

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
