from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

if TYPE_CHECKING:
    from ..models.personal_data_out import PersonalDataOut


T = TypeVar("T", bound="CustomerOut")


@_attrs_define
class CustomerOut:
    id: UUID
    ref: str
    kind: str
    fx_class: None | str
    directory_registered: bool
    registered_on: datetime.date | None
    negative_listed: bool
    negative_list_reason: None | str
    due_diligence_on: datetime.date | None
    currencies: list[Currency]
    personal_data: PersonalDataOut
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        ref = self.ref

        kind = self.kind

        fx_class: None | str
        fx_class = self.fx_class

        directory_registered = self.directory_registered

        registered_on: None | str
        if isinstance(self.registered_on, datetime.date):
            registered_on = self.registered_on.isoformat()
        else:
            registered_on = self.registered_on

        negative_listed = self.negative_listed

        negative_list_reason: None | str
        negative_list_reason = self.negative_list_reason

        due_diligence_on: None | str
        if isinstance(self.due_diligence_on, datetime.date):
            due_diligence_on = self.due_diligence_on.isoformat()
        else:
            due_diligence_on = self.due_diligence_on

        currencies = []
        for currencies_item_data in self.currencies:
            currencies_item: str = currencies_item_data
            currencies.append(currencies_item)

        personal_data = self.personal_data.to_dict()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "ref": ref,
                "kind": kind,
                "fx_class": fx_class,
                "directory_registered": directory_registered,
                "registered_on": registered_on,
                "negative_listed": negative_listed,
                "negative_list_reason": negative_list_reason,
                "due_diligence_on": due_diligence_on,
                "currencies": currencies,
                "personal_data": personal_data,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.personal_data_out import PersonalDataOut  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        ref = d.pop("ref")

        kind = d.pop("kind")

        def _parse_fx_class(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        fx_class = _parse_fx_class(d.pop("fx_class"))

        directory_registered = d.pop("directory_registered")

        def _parse_registered_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                registered_on_type_0 = datetime.date.fromisoformat(data)

                return registered_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        registered_on = _parse_registered_on(d.pop("registered_on"))

        negative_listed = d.pop("negative_listed")

        def _parse_negative_list_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        negative_list_reason = _parse_negative_list_reason(d.pop("negative_list_reason"))

        def _parse_due_diligence_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_diligence_on_type_0 = datetime.date.fromisoformat(data)

                return due_diligence_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        due_diligence_on = _parse_due_diligence_on(d.pop("due_diligence_on"))

        currencies = []
        _currencies = d.pop("currencies")
        for currencies_item_data in _currencies:
            currencies_item = check_currency(currencies_item_data)

            currencies.append(currencies_item)

        personal_data = PersonalDataOut.from_dict(d.pop("personal_data"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        customer_out = cls(
            id=id,
            ref=ref,
            kind=kind,
            fx_class=fx_class,
            directory_registered=directory_registered,
            registered_on=registered_on,
            negative_listed=negative_listed,
            negative_list_reason=negative_list_reason,
            due_diligence_on=due_diligence_on,
            currencies=currencies,
            personal_data=personal_data,
            created_at=created_at,
            updated_at=updated_at,
        )

        customer_out.additional_properties = d
        return customer_out

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
