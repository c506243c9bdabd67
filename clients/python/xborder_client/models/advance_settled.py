from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.advance_settled_allocations_type_0_item import AdvanceSettledAllocationsType0Item


T = TypeVar("T", bound="AdvanceSettled")


@_attrs_define
class AdvanceSettled:
    source: None | str | Unset = UNSET
    """ proceeds, cash or ... """
    currency: Currency | None | Unset = UNSET
    transaction_id: None | str | Unset = UNSET
    allocations: list[AdvanceSettledAllocationsType0Item] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        source: None | str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        else:
            source = self.source

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        elif isinstance(self.currency, str):
            currency = self.currency
        else:
            currency = self.currency

        transaction_id: None | str | Unset
        if isinstance(self.transaction_id, Unset):
            transaction_id = UNSET
        else:
            transaction_id = self.transaction_id

        allocations: list[dict[str, Any]] | None | Unset
        if isinstance(self.allocations, Unset):
            allocations = UNSET
        elif isinstance(self.allocations, list):
            allocations = []
            for allocations_type_0_item_data in self.allocations:
                allocations_type_0_item = allocations_type_0_item_data.to_dict()
                allocations.append(allocations_type_0_item)

        else:
            allocations = self.allocations

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if source is not UNSET:
            field_dict["source"] = source
        if currency is not UNSET:
            field_dict["currency"] = currency
        if transaction_id is not UNSET:
            field_dict["transaction_id"] = transaction_id
        if allocations is not UNSET:
            field_dict["allocations"] = allocations

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.advance_settled_allocations_type_0_item import AdvanceSettledAllocationsType0Item  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source = _parse_source(d.pop("source", UNSET))

        def _parse_currency(data: object) -> Currency | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                currency_type_0 = check_currency(data)

                return currency_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Currency | None | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))

        def _parse_transaction_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        transaction_id = _parse_transaction_id(d.pop("transaction_id", UNSET))

        def _parse_allocations(data: object) -> list[AdvanceSettledAllocationsType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                allocations_type_0 = []
                _allocations_type_0 = data
                for allocations_type_0_item_data in _allocations_type_0:
                    allocations_type_0_item = AdvanceSettledAllocationsType0Item.from_dict(allocations_type_0_item_data)

                    allocations_type_0.append(allocations_type_0_item)

                return allocations_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[AdvanceSettledAllocationsType0Item] | None | Unset, data)

        allocations = _parse_allocations(d.pop("allocations", UNSET))

        advance_settled = cls(
            source=source,
            currency=currency,
            transaction_id=transaction_id,
            allocations=allocations,
        )

        advance_settled.additional_properties = d
        return advance_settled

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
