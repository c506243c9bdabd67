from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.netting_closed_currencies_type_0 import NettingClosedCurrenciesType0


T = TypeVar("T", bound="NettingClosed")


@_attrs_define
class NettingClosed:
    id: None | str | Unset = UNSET
    effective_date: None | str | Unset = UNSET
    currencies: NettingClosedCurrenciesType0 | None | Unset = UNSET
    """ per currency: participants, instructions, netted and gross amounts (decimal strings) """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.netting_closed_currencies_type_0 import NettingClosedCurrenciesType0  # noqa: PLC0415

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        effective_date: None | str | Unset
        if isinstance(self.effective_date, Unset):
            effective_date = UNSET
        else:
            effective_date = self.effective_date

        currencies: dict[str, Any] | None | Unset
        if isinstance(self.currencies, Unset):
            currencies = UNSET
        elif isinstance(self.currencies, NettingClosedCurrenciesType0):
            currencies = self.currencies.to_dict()
        else:
            currencies = self.currencies

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if effective_date is not UNSET:
            field_dict["effective_date"] = effective_date
        if currencies is not UNSET:
            field_dict["currencies"] = currencies

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.netting_closed_currencies_type_0 import NettingClosedCurrenciesType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        id = _parse_id(d.pop("id", UNSET))

        def _parse_effective_date(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        effective_date = _parse_effective_date(d.pop("effective_date", UNSET))

        def _parse_currencies(data: object) -> NettingClosedCurrenciesType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                currencies_type_0 = NettingClosedCurrenciesType0.from_dict(data)

                return currencies_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NettingClosedCurrenciesType0 | None | Unset, data)

        currencies = _parse_currencies(d.pop("currencies", UNSET))

        netting_closed = cls(
            id=id,
            effective_date=effective_date,
            currencies=currencies,
        )

        netting_closed.additional_properties = d
        return netting_closed

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
