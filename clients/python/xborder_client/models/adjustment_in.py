from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AdjustmentIn")


@_attrs_define
class AdjustmentIn:
    amount: None | str | Unset = UNSET
    """ signed decimal string (+ money in at the bank) in the account's currency; default: the sum of the named
    lines """
    counter_account_id: None | Unset | UUID = UNSET
    """ default: the reconciled account's adjustment account """
    value_date: datetime.date | None | Unset = UNSET
    description: str | Unset = "reconciliation adjustment"
    recon_account_id: None | Unset | UUID = UNSET
    """ needed only when no statement line is named """

    def to_dict(self) -> dict[str, Any]:
        amount: None | str | Unset
        if isinstance(self.amount, Unset):
            amount = UNSET
        else:
            amount = self.amount

        counter_account_id: None | str | Unset
        if isinstance(self.counter_account_id, Unset):
            counter_account_id = UNSET
        elif isinstance(self.counter_account_id, UUID):
            counter_account_id = str(self.counter_account_id)
        else:
            counter_account_id = self.counter_account_id

        value_date: None | str | Unset
        if isinstance(self.value_date, Unset):
            value_date = UNSET
        elif isinstance(self.value_date, datetime.date):
            value_date = self.value_date.isoformat()
        else:
            value_date = self.value_date

        description = self.description

        recon_account_id: None | str | Unset
        if isinstance(self.recon_account_id, Unset):
            recon_account_id = UNSET
        elif isinstance(self.recon_account_id, UUID):
            recon_account_id = str(self.recon_account_id)
        else:
            recon_account_id = self.recon_account_id

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if amount is not UNSET:
            field_dict["amount"] = amount
        if counter_account_id is not UNSET:
            field_dict["counter_account_id"] = counter_account_id
        if value_date is not UNSET:
            field_dict["value_date"] = value_date
        if description is not UNSET:
            field_dict["description"] = description
        if recon_account_id is not UNSET:
            field_dict["recon_account_id"] = recon_account_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_amount(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        amount = _parse_amount(d.pop("amount", UNSET))

        def _parse_counter_account_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                counter_account_id_type_0 = UUID(data)

                return counter_account_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        counter_account_id = _parse_counter_account_id(d.pop("counter_account_id", UNSET))

        def _parse_value_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                value_date_type_0 = datetime.date.fromisoformat(data)

                return value_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        value_date = _parse_value_date(d.pop("value_date", UNSET))

        description = d.pop("description", UNSET)

        def _parse_recon_account_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                recon_account_id_type_0 = UUID(data)

                return recon_account_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        recon_account_id = _parse_recon_account_id(d.pop("recon_account_id", UNSET))

        adjustment_in = cls(
            amount=amount,
            counter_account_id=counter_account_id,
            value_date=value_date,
            description=description,
            recon_account_id=recon_account_id,
        )

        return adjustment_in
