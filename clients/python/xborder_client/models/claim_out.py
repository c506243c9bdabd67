from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

T = TypeVar("T", bound="ClaimOut")


@_attrs_define
class ClaimOut:
    id: UUID
    receivable_id: UUID
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    claimed: str
    """ Decimal amount in major units, as a string """
    filed_on: datetime.date
    status: str
    paid: None | str
    paid_on: datetime.date | None
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        receivable_id = str(self.receivable_id)

        currency: str = self.currency

        claimed = self.claimed

        filed_on = self.filed_on.isoformat()

        status = self.status

        paid: None | str
        paid = self.paid

        paid_on: None | str
        if isinstance(self.paid_on, datetime.date):
            paid_on = self.paid_on.isoformat()
        else:
            paid_on = self.paid_on

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "receivable_id": receivable_id,
                "currency": currency,
                "claimed": claimed,
                "filed_on": filed_on,
                "status": status,
                "paid": paid,
                "paid_on": paid_on,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        receivable_id = UUID(d.pop("receivable_id"))

        currency = check_currency(d.pop("currency"))

        claimed = d.pop("claimed")

        filed_on = datetime.date.fromisoformat(d.pop("filed_on"))

        status = d.pop("status")

        def _parse_paid(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        paid = _parse_paid(d.pop("paid"))

        def _parse_paid_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                paid_on_type_0 = datetime.date.fromisoformat(data)

                return paid_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        paid_on = _parse_paid_on(d.pop("paid_on"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        claim_out = cls(
            id=id,
            receivable_id=receivable_id,
            currency=currency,
            claimed=claimed,
            filed_on=filed_on,
            status=status,
            paid=paid,
            paid_on=paid_on,
            created_at=created_at,
        )

        claim_out.additional_properties = d
        return claim_out

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
