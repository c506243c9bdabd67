from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.conversion_body_customs_mode_type_0 import (
    ConversionBodyCustomsModeType0,
    check_conversion_body_customs_mode_type_0,
)
from ..models.conversion_body_direction import ConversionBodyDirection, check_conversion_body_direction
from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.review_body import ReviewBody


T = TypeVar("T", bound="ConversionBody")


@_attrs_define
class ConversionBody:
    customer_id: UUID
    direction: ConversionBodyDirection
    """ settle: FX -> CNY (结汇); purchase: CNY -> FX (购汇) """
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    amount: str
    """ amount in the foreign currency """
    platform_code: None | str | Unset = UNSET
    evidence_orders: list[str] | Unset = UNSET
    review: None | ReviewBody | Unset = UNSET
    """ the review path; only approvers and admins may attach it """
    customs_mode: ConversionBodyCustomsModeType0 | None | Unset = UNSET
    destination_country: None | str | Unset = UNSET
    external_ref: None | str | Unset = UNSET
    value_time: datetime.datetime | None | Unset = UNSET
    """ when the conversion takes effect (with offset; default now): its China-time day gives the rate day and the
    quota year; back-dating within the open period (default 30 days), never in the future """

    def to_dict(self) -> dict[str, Any]:
        from ..models.review_body import ReviewBody  # noqa: PLC0415

        customer_id = str(self.customer_id)

        direction: str = self.direction

        currency: str = self.currency

        amount = self.amount

        platform_code: None | str | Unset
        if isinstance(self.platform_code, Unset):
            platform_code = UNSET
        else:
            platform_code = self.platform_code

        evidence_orders: list[str] | Unset = UNSET
        if not isinstance(self.evidence_orders, Unset):
            evidence_orders = self.evidence_orders

        review: dict[str, Any] | None | Unset
        if isinstance(self.review, Unset):
            review = UNSET
        elif isinstance(self.review, ReviewBody):
            review = self.review.to_dict()
        else:
            review = self.review

        customs_mode: None | str | Unset
        if isinstance(self.customs_mode, Unset):
            customs_mode = UNSET
        elif isinstance(self.customs_mode, str):
            customs_mode = self.customs_mode
        else:
            customs_mode = self.customs_mode

        destination_country: None | str | Unset
        if isinstance(self.destination_country, Unset):
            destination_country = UNSET
        else:
            destination_country = self.destination_country

        external_ref: None | str | Unset
        if isinstance(self.external_ref, Unset):
            external_ref = UNSET
        else:
            external_ref = self.external_ref

        value_time: None | str | Unset
        if isinstance(self.value_time, Unset):
            value_time = UNSET
        elif isinstance(self.value_time, datetime.datetime):
            value_time = self.value_time.isoformat()
        else:
            value_time = self.value_time

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "customer_id": customer_id,
                "direction": direction,
                "currency": currency,
                "amount": amount,
            }
        )
        if platform_code is not UNSET:
            field_dict["platform_code"] = platform_code
        if evidence_orders is not UNSET:
            field_dict["evidence_orders"] = evidence_orders
        if review is not UNSET:
            field_dict["review"] = review
        if customs_mode is not UNSET:
            field_dict["customs_mode"] = customs_mode
        if destination_country is not UNSET:
            field_dict["destination_country"] = destination_country
        if external_ref is not UNSET:
            field_dict["external_ref"] = external_ref
        if value_time is not UNSET:
            field_dict["value_time"] = value_time

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.review_body import ReviewBody  # noqa: PLC0415

        d = dict(src_dict)
        customer_id = UUID(d.pop("customer_id"))

        direction = check_conversion_body_direction(d.pop("direction"))

        currency = check_currency(d.pop("currency"))

        amount = d.pop("amount")

        def _parse_platform_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        platform_code = _parse_platform_code(d.pop("platform_code", UNSET))

        evidence_orders = cast(list[str], d.pop("evidence_orders", UNSET))

        def _parse_review(data: object) -> None | ReviewBody | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                review_type_0 = ReviewBody.from_dict(data)

                return review_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReviewBody | Unset, data)

        review = _parse_review(d.pop("review", UNSET))

        def _parse_customs_mode(data: object) -> ConversionBodyCustomsModeType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                customs_mode_type_0 = check_conversion_body_customs_mode_type_0(data)

                return customs_mode_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConversionBodyCustomsModeType0 | None | Unset, data)

        customs_mode = _parse_customs_mode(d.pop("customs_mode", UNSET))

        def _parse_destination_country(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        destination_country = _parse_destination_country(d.pop("destination_country", UNSET))

        def _parse_external_ref(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_ref = _parse_external_ref(d.pop("external_ref", UNSET))

        def _parse_value_time(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                value_time_type_0 = datetime.datetime.fromisoformat(data)

                return value_time_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        value_time = _parse_value_time(d.pop("value_time", UNSET))

        conversion_body = cls(
            customer_id=customer_id,
            direction=direction,
            currency=currency,
            amount=amount,
            platform_code=platform_code,
            evidence_orders=evidence_orders,
            review=review,
            customs_mode=customs_mode,
            destination_country=destination_country,
            external_ref=external_ref,
            value_time=value_time,
        )

        return conversion_body
