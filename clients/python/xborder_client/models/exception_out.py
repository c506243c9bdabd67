from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..models.exception_out_side import ExceptionOutSide, check_exception_out_side
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.line_part_out import LinePartOut


T = TypeVar("T", bound="ExceptionOut")


@_attrs_define
class ExceptionOut:
    side: ExceptionOutSide
    id: str
    recon_account_id: UUID
    amount: str
    """ signed: + money in at the bank, - money out; in `currency` """
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    value_date: datetime.date
    reference: None | str
    description: str
    age_days: int
    parts: list[LinePartOut] | Unset = UNSET
    """ a batch line: its parts, each with the entry it matches by reference and amount """
    parts_add_up: bool | None | Unset = UNSET
    """ a batch line: do the parts' amounts add up to the line (else it is matched as one line) """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        side: str = self.side

        id = self.id

        recon_account_id = str(self.recon_account_id)

        amount = self.amount

        currency: str = self.currency

        value_date = self.value_date.isoformat()

        reference: None | str
        reference = self.reference

        description = self.description

        age_days = self.age_days

        parts: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.parts, Unset):
            parts = []
            for parts_item_data in self.parts:
                parts_item = parts_item_data.to_dict()
                parts.append(parts_item)

        parts_add_up: bool | None | Unset
        if isinstance(self.parts_add_up, Unset):
            parts_add_up = UNSET
        else:
            parts_add_up = self.parts_add_up

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "side": side,
                "id": id,
                "recon_account_id": recon_account_id,
                "amount": amount,
                "currency": currency,
                "value_date": value_date,
                "reference": reference,
                "description": description,
                "age_days": age_days,
            }
        )
        if parts is not UNSET:
            field_dict["parts"] = parts
        if parts_add_up is not UNSET:
            field_dict["parts_add_up"] = parts_add_up

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.line_part_out import LinePartOut  # noqa: PLC0415

        d = dict(src_dict)
        side = check_exception_out_side(d.pop("side"))

        id = d.pop("id")

        recon_account_id = UUID(d.pop("recon_account_id"))

        amount = d.pop("amount")

        currency = check_currency(d.pop("currency"))

        value_date = datetime.date.fromisoformat(d.pop("value_date"))

        def _parse_reference(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reference = _parse_reference(d.pop("reference"))

        description = d.pop("description")

        age_days = d.pop("age_days")

        _parts = d.pop("parts", UNSET)
        parts: list[LinePartOut] | Unset = UNSET
        if _parts is not UNSET:
            parts = []
            for parts_item_data in _parts:
                parts_item = LinePartOut.from_dict(parts_item_data)

                parts.append(parts_item)

        def _parse_parts_add_up(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        parts_add_up = _parse_parts_add_up(d.pop("parts_add_up", UNSET))

        exception_out = cls(
            side=side,
            id=id,
            recon_account_id=recon_account_id,
            amount=amount,
            currency=currency,
            value_date=value_date,
            reference=reference,
            description=description,
            age_days=age_days,
            parts=parts,
            parts_add_up=parts_add_up,
        )

        exception_out.additional_properties = d
        return exception_out

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
