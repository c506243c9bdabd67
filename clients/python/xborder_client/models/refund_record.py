from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.currency import Currency, check_currency
from ..models.refund_record_kind import RefundRecordKind, check_refund_record_kind
from ..types import UNSET, Unset

T = TypeVar("T", bound="RefundRecord")


@_attrs_define
class RefundRecord:
    external_id: str
    order_external_id: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    amount: str
    """ Positive decimal amount in major units, as a string: no sign or exponent, not zero, at most as many decimals
    as the currency has (USD 2, JPY 0, KWD 3; trailing zeros beyond them are refused), at most 9999999999999.99 USD
    / 999999999999999 JPY per posting """
    refunded_on: datetime.date | None | Unset = UNSET
    kind: RefundRecordKind | Unset = "refund"
    reason: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        external_id = self.external_id

        order_external_id = self.order_external_id

        currency: str = self.currency

        amount = self.amount

        refunded_on: None | str | Unset
        if isinstance(self.refunded_on, Unset):
            refunded_on = UNSET
        elif isinstance(self.refunded_on, datetime.date):
            refunded_on = self.refunded_on.isoformat()
        else:
            refunded_on = self.refunded_on

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "external_id": external_id,
                "order_external_id": order_external_id,
                "currency": currency,
                "amount": amount,
            }
        )
        if refunded_on is not UNSET:
            field_dict["refunded_on"] = refunded_on
        if kind is not UNSET:
            field_dict["kind"] = kind
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        external_id = d.pop("external_id")

        order_external_id = d.pop("order_external_id")

        currency = check_currency(d.pop("currency"))

        amount = d.pop("amount")

        def _parse_refunded_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                refunded_on_type_0 = datetime.date.fromisoformat(data)

                return refunded_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        refunded_on = _parse_refunded_on(d.pop("refunded_on", UNSET))

        _kind = d.pop("kind", UNSET)
        kind: RefundRecordKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = check_refund_record_kind(_kind)

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        refund_record = cls(
            external_id=external_id,
            order_external_id=order_external_id,
            currency=currency,
            amount=amount,
            refunded_on=refunded_on,
            kind=kind,
            reason=reason,
        )

        return refund_record
