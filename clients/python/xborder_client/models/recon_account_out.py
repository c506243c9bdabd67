from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

if TYPE_CHECKING:
    from ..models.matching_settings_out import MatchingSettingsOut


T = TypeVar("T", bound="ReconAccountOut")


@_attrs_define
class ReconAccountOut:
    id: UUID
    bank_account: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    ledger_account_id: UUID
    fee_account_id: None | UUID
    adjustment_account_id: None | UUID
    name: str
    start_date: datetime.date
    matching: MatchingSettingsOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        bank_account = self.bank_account

        currency: str = self.currency

        ledger_account_id = str(self.ledger_account_id)

        fee_account_id: None | str
        if isinstance(self.fee_account_id, UUID):
            fee_account_id = str(self.fee_account_id)
        else:
            fee_account_id = self.fee_account_id

        adjustment_account_id: None | str
        if isinstance(self.adjustment_account_id, UUID):
            adjustment_account_id = str(self.adjustment_account_id)
        else:
            adjustment_account_id = self.adjustment_account_id

        name = self.name

        start_date = self.start_date.isoformat()

        matching = self.matching.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "bank_account": bank_account,
                "currency": currency,
                "ledger_account_id": ledger_account_id,
                "fee_account_id": fee_account_id,
                "adjustment_account_id": adjustment_account_id,
                "name": name,
                "start_date": start_date,
                "matching": matching,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.matching_settings_out import MatchingSettingsOut  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        bank_account = d.pop("bank_account")

        currency = check_currency(d.pop("currency"))

        ledger_account_id = UUID(d.pop("ledger_account_id"))

        def _parse_fee_account_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                fee_account_id_type_0 = UUID(data)

                return fee_account_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        fee_account_id = _parse_fee_account_id(d.pop("fee_account_id"))

        def _parse_adjustment_account_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                adjustment_account_id_type_0 = UUID(data)

                return adjustment_account_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        adjustment_account_id = _parse_adjustment_account_id(d.pop("adjustment_account_id"))

        name = d.pop("name")

        start_date = datetime.date.fromisoformat(d.pop("start_date"))

        matching = MatchingSettingsOut.from_dict(d.pop("matching"))

        recon_account_out = cls(
            id=id,
            bank_account=bank_account,
            currency=currency,
            ledger_account_id=ledger_account_id,
            fee_account_id=fee_account_id,
            adjustment_account_id=adjustment_account_id,
            name=name,
            start_date=start_date,
            matching=matching,
        )

        recon_account_out.additional_properties = d
        return recon_account_out

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
