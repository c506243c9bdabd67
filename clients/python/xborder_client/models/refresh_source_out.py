from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.refresh_source_out_error_type_0 import RefreshSourceOutErrorType0


T = TypeVar("T", bound="RefreshSourceOut")


@_attrs_define
class RefreshSourceOut:
    source: str
    ok: bool
    fetched_at: datetime.datetime
    days: int
    rates: int
    inserted: int
    unchanged: int
    first_date: datetime.date | None
    last_date: datetime.date | None
    error: None | RefreshSourceOutErrorType0 | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.refresh_source_out_error_type_0 import RefreshSourceOutErrorType0  # noqa: PLC0415

        source = self.source

        ok = self.ok

        fetched_at = self.fetched_at.isoformat()

        days = self.days

        rates = self.rates

        inserted = self.inserted

        unchanged = self.unchanged

        first_date: None | str
        if isinstance(self.first_date, datetime.date):
            first_date = self.first_date.isoformat()
        else:
            first_date = self.first_date

        last_date: None | str
        if isinstance(self.last_date, datetime.date):
            last_date = self.last_date.isoformat()
        else:
            last_date = self.last_date

        error: dict[str, Any] | None | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, RefreshSourceOutErrorType0):
            error = self.error.to_dict()
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "source": source,
                "ok": ok,
                "fetched_at": fetched_at,
                "days": days,
                "rates": rates,
                "inserted": inserted,
                "unchanged": unchanged,
                "first_date": first_date,
                "last_date": last_date,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.refresh_source_out_error_type_0 import RefreshSourceOutErrorType0  # noqa: PLC0415

        d = dict(src_dict)
        source = d.pop("source")

        ok = d.pop("ok")

        fetched_at = datetime.datetime.fromisoformat(d.pop("fetched_at"))

        days = d.pop("days")

        rates = d.pop("rates")

        inserted = d.pop("inserted")

        unchanged = d.pop("unchanged")

        def _parse_first_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                first_date_type_0 = datetime.date.fromisoformat(data)

                return first_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        first_date = _parse_first_date(d.pop("first_date"))

        def _parse_last_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_date_type_0 = datetime.date.fromisoformat(data)

                return last_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        last_date = _parse_last_date(d.pop("last_date"))

        def _parse_error(data: object) -> None | RefreshSourceOutErrorType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = RefreshSourceOutErrorType0.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RefreshSourceOutErrorType0 | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        refresh_source_out = cls(
            source=source,
            ok=ok,
            fetched_at=fetched_at,
            days=days,
            rates=rates,
            inserted=inserted,
            unchanged=unchanged,
            first_date=first_date,
            last_date=last_date,
            error=error,
        )

        refresh_source_out.additional_properties = d
        return refresh_source_out

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
