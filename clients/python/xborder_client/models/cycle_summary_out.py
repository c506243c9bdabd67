from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.cycle_summary_out_status import CycleSummaryOutStatus, check_cycle_summary_out_status

T = TypeVar("T", bound="CycleSummaryOut")


@_attrs_define
class CycleSummaryOut:
    id: UUID
    ledger_id: UUID
    kind: str
    reference: None | str
    description: str
    status: CycleSummaryOutStatus
    business_date: datetime.date
    obligation_count: int
    opened_at: datetime.datetime
    closed_at: datetime.datetime | None
    transaction_id: None | UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        ledger_id = str(self.ledger_id)

        kind = self.kind

        reference: None | str
        reference = self.reference

        description = self.description

        status: str = self.status

        business_date = self.business_date.isoformat()

        obligation_count = self.obligation_count

        opened_at = self.opened_at.isoformat()

        closed_at: None | str
        if isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        transaction_id: None | str
        if isinstance(self.transaction_id, UUID):
            transaction_id = str(self.transaction_id)
        else:
            transaction_id = self.transaction_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "ledger_id": ledger_id,
                "kind": kind,
                "reference": reference,
                "description": description,
                "status": status,
                "business_date": business_date,
                "obligation_count": obligation_count,
                "opened_at": opened_at,
                "closed_at": closed_at,
                "transaction_id": transaction_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        ledger_id = UUID(d.pop("ledger_id"))

        kind = d.pop("kind")

        def _parse_reference(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reference = _parse_reference(d.pop("reference"))

        description = d.pop("description")

        status = check_cycle_summary_out_status(d.pop("status"))

        business_date = datetime.date.fromisoformat(d.pop("business_date"))

        obligation_count = d.pop("obligation_count")

        opened_at = datetime.datetime.fromisoformat(d.pop("opened_at"))

        def _parse_closed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)

                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        closed_at = _parse_closed_at(d.pop("closed_at"))

        def _parse_transaction_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                transaction_id_type_0 = UUID(data)

                return transaction_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        transaction_id = _parse_transaction_id(d.pop("transaction_id"))

        cycle_summary_out = cls(
            id=id,
            ledger_id=ledger_id,
            kind=kind,
            reference=reference,
            description=description,
            status=status,
            business_date=business_date,
            obligation_count=obligation_count,
            opened_at=opened_at,
            closed_at=closed_at,
            transaction_id=transaction_id,
        )

        cycle_summary_out.additional_properties = d
        return cycle_summary_out

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
