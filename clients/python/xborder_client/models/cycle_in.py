from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CycleIn")


@_attrs_define
class CycleIn:
    reference: None | str | Unset = UNSET
    """ unique in the institution: opening again with it returns the cycle """
    description: str | Unset = ""
    business_date: datetime.date | None | Unset = UNSET
    """ default today, Asia/Shanghai; the value date of the settlement """
    ledger_id: None | Unset | UUID = UNSET
    """ default: the settlement ledger """

    def to_dict(self) -> dict[str, Any]:
        reference: None | str | Unset
        if isinstance(self.reference, Unset):
            reference = UNSET
        else:
            reference = self.reference

        description = self.description

        business_date: None | str | Unset
        if isinstance(self.business_date, Unset):
            business_date = UNSET
        elif isinstance(self.business_date, datetime.date):
            business_date = self.business_date.isoformat()
        else:
            business_date = self.business_date

        ledger_id: None | str | Unset
        if isinstance(self.ledger_id, Unset):
            ledger_id = UNSET
        elif isinstance(self.ledger_id, UUID):
            ledger_id = str(self.ledger_id)
        else:
            ledger_id = self.ledger_id

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if reference is not UNSET:
            field_dict["reference"] = reference
        if description is not UNSET:
            field_dict["description"] = description
        if business_date is not UNSET:
            field_dict["business_date"] = business_date
        if ledger_id is not UNSET:
            field_dict["ledger_id"] = ledger_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_reference(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference = _parse_reference(d.pop("reference", UNSET))

        description = d.pop("description", UNSET)

        def _parse_business_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                business_date_type_0 = datetime.date.fromisoformat(data)

                return business_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        business_date = _parse_business_date(d.pop("business_date", UNSET))

        def _parse_ledger_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ledger_id_type_0 = UUID(data)

                return ledger_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        ledger_id = _parse_ledger_id(d.pop("ledger_id", UNSET))

        cycle_in = cls(
            reference=reference,
            description=description,
            business_date=business_date,
            ledger_id=ledger_id,
        )

        return cycle_in
