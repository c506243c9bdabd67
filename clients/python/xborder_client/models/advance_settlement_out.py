from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.advance_settlement_out_source import AdvanceSettlementOutSource, check_advance_settlement_out_source

T = TypeVar("T", bound="AdvanceSettlementOut")


@_attrs_define
class AdvanceSettlementOut:
    id: UUID
    amount: str
    """ Decimal amount in major units with the currency's decimals """
    source: AdvanceSettlementOutSource
    source_account_id: None | UUID
    transaction_id: UUID
    reference: None | str
    effective_date: datetime.date
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        amount = self.amount

        source: str = self.source

        source_account_id: None | str
        if isinstance(self.source_account_id, UUID):
            source_account_id = str(self.source_account_id)
        else:
            source_account_id = self.source_account_id

        transaction_id = str(self.transaction_id)

        reference: None | str
        reference = self.reference

        effective_date = self.effective_date.isoformat()

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "amount": amount,
                "source": source,
                "source_account_id": source_account_id,
                "transaction_id": transaction_id,
                "reference": reference,
                "effective_date": effective_date,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        amount = d.pop("amount")

        source = check_advance_settlement_out_source(d.pop("source"))

        def _parse_source_account_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                source_account_id_type_0 = UUID(data)

                return source_account_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        source_account_id = _parse_source_account_id(d.pop("source_account_id"))

        transaction_id = UUID(d.pop("transaction_id"))

        def _parse_reference(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reference = _parse_reference(d.pop("reference"))

        effective_date = datetime.date.fromisoformat(d.pop("effective_date"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        advance_settlement_out = cls(
            id=id,
            amount=amount,
            source=source,
            source_account_id=source_account_id,
            transaction_id=transaction_id,
            reference=reference,
            effective_date=effective_date,
            created_at=created_at,
        )

        advance_settlement_out.additional_properties = d
        return advance_settlement_out

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
