from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.matching_settings import MatchingSettings


T = TypeVar("T", bound="ReconAccountIn")


@_attrs_define
class ReconAccountIn:
    bank_account: str
    """ the account as the bank's statements name it (IBAN or account number; printable ASCII, spaces are dropped)
    """
    ledger_account_id: UUID
    """ the ledger account that mirrors the bank account (an asset) """
    name: str | Unset = ""
    fee_account_id: None | Unset | UUID = UNSET
    """ expense account for accepted bank charges """
    adjustment_account_id: None | Unset | UUID = UNSET
    """ default counter account of approved adjustments """
    start_date: datetime.date | None | Unset = UNSET
    """ ledger entries before this value date are not reconciled """
    matching: MatchingSettings | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        bank_account = self.bank_account

        ledger_account_id = str(self.ledger_account_id)

        name = self.name

        fee_account_id: None | str | Unset
        if isinstance(self.fee_account_id, Unset):
            fee_account_id = UNSET
        elif isinstance(self.fee_account_id, UUID):
            fee_account_id = str(self.fee_account_id)
        else:
            fee_account_id = self.fee_account_id

        adjustment_account_id: None | str | Unset
        if isinstance(self.adjustment_account_id, Unset):
            adjustment_account_id = UNSET
        elif isinstance(self.adjustment_account_id, UUID):
            adjustment_account_id = str(self.adjustment_account_id)
        else:
            adjustment_account_id = self.adjustment_account_id

        start_date: None | str | Unset
        if isinstance(self.start_date, Unset):
            start_date = UNSET
        elif isinstance(self.start_date, datetime.date):
            start_date = self.start_date.isoformat()
        else:
            start_date = self.start_date

        matching: dict[str, Any] | Unset = UNSET
        if not isinstance(self.matching, Unset):
            matching = self.matching.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "bank_account": bank_account,
                "ledger_account_id": ledger_account_id,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if fee_account_id is not UNSET:
            field_dict["fee_account_id"] = fee_account_id
        if adjustment_account_id is not UNSET:
            field_dict["adjustment_account_id"] = adjustment_account_id
        if start_date is not UNSET:
            field_dict["start_date"] = start_date
        if matching is not UNSET:
            field_dict["matching"] = matching

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.matching_settings import MatchingSettings  # noqa: PLC0415

        d = dict(src_dict)
        bank_account = d.pop("bank_account")

        ledger_account_id = UUID(d.pop("ledger_account_id"))

        name = d.pop("name", UNSET)

        def _parse_fee_account_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                fee_account_id_type_0 = UUID(data)

                return fee_account_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        fee_account_id = _parse_fee_account_id(d.pop("fee_account_id", UNSET))

        def _parse_adjustment_account_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                adjustment_account_id_type_0 = UUID(data)

                return adjustment_account_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        adjustment_account_id = _parse_adjustment_account_id(d.pop("adjustment_account_id", UNSET))

        def _parse_start_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                start_date_type_0 = datetime.date.fromisoformat(data)

                return start_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        start_date = _parse_start_date(d.pop("start_date", UNSET))

        _matching = d.pop("matching", UNSET)
        matching: MatchingSettings | Unset
        if isinstance(_matching, Unset):
            matching = UNSET
        else:
            matching = MatchingSettings.from_dict(_matching)

        recon_account_in = cls(
            bank_account=bank_account,
            ledger_account_id=ledger_account_id,
            name=name,
            fee_account_id=fee_account_id,
            adjustment_account_id=adjustment_account_id,
            start_date=start_date,
            matching=matching,
        )

        return recon_account_in
