from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..models.rate_out_kind import RateOutKind, check_rate_out_kind
from ..types import UNSET, Unset

T = TypeVar("T", bound="RateOut")


@_attrs_define
class RateOut:
    base: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    quote: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    value: str
    """ units of quote per one unit of base, exact decimal string """
    kind: RateOutKind
    source: str
    """ the source of the stored rate(s): 'ecb', 'manual', ... """
    as_of: datetime.date | None
    """ rate date (for a derived rate: its oldest leg's) """
    fetched_at: datetime.datetime | None
    method: str
    """ stored | inverse | cross:<pivot> | spread | identity """
    spread_bp: int | None | Unset = UNSET
    """ spread applied to the mid rate, basis points (bank rates) """
    rate_id: None | Unset | UUID = UNSET
    """ the stored rate row (method 'stored') """
    legs: list[RateOut] | Unset = UNSET
    """ the rates this one was derived from """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        base: str = self.base

        quote: str = self.quote

        value = self.value

        kind: str = self.kind

        source = self.source

        as_of: None | str
        if isinstance(self.as_of, datetime.date):
            as_of = self.as_of.isoformat()
        else:
            as_of = self.as_of

        fetched_at: None | str
        if isinstance(self.fetched_at, datetime.datetime):
            fetched_at = self.fetched_at.isoformat()
        else:
            fetched_at = self.fetched_at

        method = self.method

        spread_bp: int | None | Unset
        if isinstance(self.spread_bp, Unset):
            spread_bp = UNSET
        else:
            spread_bp = self.spread_bp

        rate_id: None | str | Unset
        if isinstance(self.rate_id, Unset):
            rate_id = UNSET
        elif isinstance(self.rate_id, UUID):
            rate_id = str(self.rate_id)
        else:
            rate_id = self.rate_id

        legs: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.legs, Unset):
            legs = []
            for legs_item_data in self.legs:
                legs_item = legs_item_data.to_dict()
                legs.append(legs_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "base": base,
                "quote": quote,
                "value": value,
                "kind": kind,
                "source": source,
                "as_of": as_of,
                "fetched_at": fetched_at,
                "method": method,
            }
        )
        if spread_bp is not UNSET:
            field_dict["spread_bp"] = spread_bp
        if rate_id is not UNSET:
            field_dict["rate_id"] = rate_id
        if legs is not UNSET:
            field_dict["legs"] = legs

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        base = check_currency(d.pop("base"))

        quote = check_currency(d.pop("quote"))

        value = d.pop("value")

        kind = check_rate_out_kind(d.pop("kind"))

        source = d.pop("source")

        def _parse_as_of(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                as_of_type_0 = datetime.date.fromisoformat(data)

                return as_of_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        as_of = _parse_as_of(d.pop("as_of"))

        def _parse_fetched_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                fetched_at_type_0 = datetime.datetime.fromisoformat(data)

                return fetched_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        fetched_at = _parse_fetched_at(d.pop("fetched_at"))

        method = d.pop("method")

        def _parse_spread_bp(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        spread_bp = _parse_spread_bp(d.pop("spread_bp", UNSET))

        def _parse_rate_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                rate_id_type_0 = UUID(data)

                return rate_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        rate_id = _parse_rate_id(d.pop("rate_id", UNSET))

        _legs = d.pop("legs", UNSET)
        legs: list[RateOut] | Unset = UNSET
        if _legs is not UNSET:
            legs = []
            for legs_item_data in _legs:
                legs_item = RateOut.from_dict(legs_item_data)

                legs.append(legs_item)

        rate_out = cls(
            base=base,
            quote=quote,
            value=value,
            kind=kind,
            source=source,
            as_of=as_of,
            fetched_at=fetched_at,
            method=method,
            spread_bp=spread_bp,
            rate_id=rate_id,
            legs=legs,
        )

        rate_out.additional_properties = d
        return rate_out

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
