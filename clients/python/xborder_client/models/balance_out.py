from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

T = TypeVar("T", bound="BalanceOut")


@_attrs_define
class BalanceOut:
    account_id: UUID
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    posted: str
    """ Decimal amount in major units (may be negative) """
    available: None | str | Unset = UNSET
    pending_debits: None | str | Unset = UNSET
    pending_credits: None | str | Unset = UNSET
    as_of: datetime.datetime | None | Unset = UNSET
    as_of_date: datetime.date | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account_id = str(self.account_id)

        currency: str = self.currency

        posted = self.posted

        available: None | str | Unset
        if isinstance(self.available, Unset):
            available = UNSET
        else:
            available = self.available

        pending_debits: None | str | Unset
        if isinstance(self.pending_debits, Unset):
            pending_debits = UNSET
        else:
            pending_debits = self.pending_debits

        pending_credits: None | str | Unset
        if isinstance(self.pending_credits, Unset):
            pending_credits = UNSET
        else:
            pending_credits = self.pending_credits

        as_of: None | str | Unset
        if isinstance(self.as_of, Unset):
            as_of = UNSET
        elif isinstance(self.as_of, datetime.datetime):
            as_of = self.as_of.isoformat()
        else:
            as_of = self.as_of

        as_of_date: None | str | Unset
        if isinstance(self.as_of_date, Unset):
            as_of_date = UNSET
        elif isinstance(self.as_of_date, datetime.date):
            as_of_date = self.as_of_date.isoformat()
        else:
            as_of_date = self.as_of_date

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "account_id": account_id,
                "currency": currency,
                "posted": posted,
            }
        )
        if available is not UNSET:
            field_dict["available"] = available
        if pending_debits is not UNSET:
            field_dict["pending_debits"] = pending_debits
        if pending_credits is not UNSET:
            field_dict["pending_credits"] = pending_credits
        if as_of is not UNSET:
            field_dict["as_of"] = as_of
        if as_of_date is not UNSET:
            field_dict["as_of_date"] = as_of_date

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        account_id = UUID(d.pop("account_id"))

        currency = check_currency(d.pop("currency"))

        posted = d.pop("posted")

        def _parse_available(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        available = _parse_available(d.pop("available", UNSET))

        def _parse_pending_debits(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        pending_debits = _parse_pending_debits(d.pop("pending_debits", UNSET))

        def _parse_pending_credits(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        pending_credits = _parse_pending_credits(d.pop("pending_credits", UNSET))

        def _parse_as_of(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                as_of_type_0 = datetime.datetime.fromisoformat(data)

                return as_of_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        as_of = _parse_as_of(d.pop("as_of", UNSET))

        def _parse_as_of_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                as_of_date_type_0 = datetime.date.fromisoformat(data)

                return as_of_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        as_of_date = _parse_as_of_date(d.pop("as_of_date", UNSET))

        balance_out = cls(
            account_id=account_id,
            currency=currency,
            posted=posted,
            available=available,
            pending_debits=pending_debits,
            pending_credits=pending_credits,
            as_of=as_of,
            as_of_date=as_of_date,
        )

        balance_out.additional_properties = d
        return balance_out

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
