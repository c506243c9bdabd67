from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..models.order_out_match_status import OrderOutMatchStatus, check_order_out_match_status

T = TypeVar("T", bound="OrderOut")


@_attrs_define
class OrderOut:
    id: UUID
    platform_code: str
    external_id: str
    customer_id: UUID
    merchant_ref: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    amount: str
    refunded: str
    effective_value: str
    """ amount less returns and refunds (never below zero) """
    order_date: datetime.date
    customs_mode: None | str
    destination_country: None | str
    match_status: OrderOutMatchStatus
    match_reason: None | str
    matched_at: datetime.datetime
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        platform_code = self.platform_code

        external_id = self.external_id

        customer_id = str(self.customer_id)

        merchant_ref = self.merchant_ref

        currency: str = self.currency

        amount = self.amount

        refunded = self.refunded

        effective_value = self.effective_value

        order_date = self.order_date.isoformat()

        customs_mode: None | str
        customs_mode = self.customs_mode

        destination_country: None | str
        destination_country = self.destination_country

        match_status: str = self.match_status

        match_reason: None | str
        match_reason = self.match_reason

        matched_at = self.matched_at.isoformat()

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "platform_code": platform_code,
                "external_id": external_id,
                "customer_id": customer_id,
                "merchant_ref": merchant_ref,
                "currency": currency,
                "amount": amount,
                "refunded": refunded,
                "effective_value": effective_value,
                "order_date": order_date,
                "customs_mode": customs_mode,
                "destination_country": destination_country,
                "match_status": match_status,
                "match_reason": match_reason,
                "matched_at": matched_at,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        platform_code = d.pop("platform_code")

        external_id = d.pop("external_id")

        customer_id = UUID(d.pop("customer_id"))

        merchant_ref = d.pop("merchant_ref")

        currency = check_currency(d.pop("currency"))

        amount = d.pop("amount")

        refunded = d.pop("refunded")

        effective_value = d.pop("effective_value")

        order_date = datetime.date.fromisoformat(d.pop("order_date"))

        def _parse_customs_mode(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        customs_mode = _parse_customs_mode(d.pop("customs_mode"))

        def _parse_destination_country(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        destination_country = _parse_destination_country(d.pop("destination_country"))

        match_status = check_order_out_match_status(d.pop("match_status"))

        def _parse_match_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        match_reason = _parse_match_reason(d.pop("match_reason"))

        matched_at = datetime.datetime.fromisoformat(d.pop("matched_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        order_out = cls(
            id=id,
            platform_code=platform_code,
            external_id=external_id,
            customer_id=customer_id,
            merchant_ref=merchant_ref,
            currency=currency,
            amount=amount,
            refunded=refunded,
            effective_value=effective_value,
            order_date=order_date,
            customs_mode=customs_mode,
            destination_country=destination_country,
            match_status=match_status,
            match_reason=match_reason,
            matched_at=matched_at,
            created_at=created_at,
        )

        order_out.additional_properties = d
        return order_out

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
