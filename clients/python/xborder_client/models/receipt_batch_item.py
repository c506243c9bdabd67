from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.currency import Currency, check_currency
from ..models.receipt_batch_item_customs_mode import ReceiptBatchItemCustomsMode, check_receipt_batch_item_customs_mode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.fees import Fees


T = TypeVar("T", bound="ReceiptBatchItem")


@_attrs_define
class ReceiptBatchItem:
    customer_id: UUID
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    gross: str
    """ gross export proceeds """
    net: str
    """ net cash actually received: gross less the fees """
    customs_mode: ReceiptBatchItemCustomsMode
    destination_country: str
    external_ref: str
    """ your reference, required in a batch: receipts are idempotent by it, compared exactly (case counts);
    printable ASCII without leading or trailing blanks, so that no lookalike spelling (a full-width digit, a
    trailing space) makes a second receipt """
    fees: Fees | Unset = UNSET
    declared_value: None | str | Unset = UNSET
    """ customs-declared value, for the variance rule """
    platform_code: None | str | Unset = UNSET
    evidence_orders: list[str] | Unset = UNSET
    """ platform order ids cited as evidence """
    payer: None | str | Unset = UNSET
    value_date: datetime.date | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        customer_id = str(self.customer_id)

        currency: str = self.currency

        gross = self.gross

        net = self.net

        customs_mode: str = self.customs_mode

        destination_country = self.destination_country

        external_ref = self.external_ref

        fees: dict[str, Any] | Unset = UNSET
        if not isinstance(self.fees, Unset):
            fees = self.fees.to_dict()

        declared_value: None | str | Unset
        if isinstance(self.declared_value, Unset):
            declared_value = UNSET
        else:
            declared_value = self.declared_value

        platform_code: None | str | Unset
        if isinstance(self.platform_code, Unset):
            platform_code = UNSET
        else:
            platform_code = self.platform_code

        evidence_orders: list[str] | Unset = UNSET
        if not isinstance(self.evidence_orders, Unset):
            evidence_orders = self.evidence_orders

        payer: None | str | Unset
        if isinstance(self.payer, Unset):
            payer = UNSET
        else:
            payer = self.payer

        value_date: None | str | Unset
        if isinstance(self.value_date, Unset):
            value_date = UNSET
        elif isinstance(self.value_date, datetime.date):
            value_date = self.value_date.isoformat()
        else:
            value_date = self.value_date

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "customer_id": customer_id,
                "currency": currency,
                "gross": gross,
                "net": net,
                "customs_mode": customs_mode,
                "destination_country": destination_country,
                "external_ref": external_ref,
            }
        )
        if fees is not UNSET:
            field_dict["fees"] = fees
        if declared_value is not UNSET:
            field_dict["declared_value"] = declared_value
        if platform_code is not UNSET:
            field_dict["platform_code"] = platform_code
        if evidence_orders is not UNSET:
            field_dict["evidence_orders"] = evidence_orders
        if payer is not UNSET:
            field_dict["payer"] = payer
        if value_date is not UNSET:
            field_dict["value_date"] = value_date

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.fees import Fees  # noqa: PLC0415

        d = dict(src_dict)
        customer_id = UUID(d.pop("customer_id"))

        currency = check_currency(d.pop("currency"))

        gross = d.pop("gross")

        net = d.pop("net")

        customs_mode = check_receipt_batch_item_customs_mode(d.pop("customs_mode"))

        destination_country = d.pop("destination_country")

        external_ref = d.pop("external_ref")

        _fees = d.pop("fees", UNSET)
        fees: Fees | Unset
        if isinstance(_fees, Unset):
            fees = UNSET
        else:
            fees = Fees.from_dict(_fees)

        def _parse_declared_value(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        declared_value = _parse_declared_value(d.pop("declared_value", UNSET))

        def _parse_platform_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        platform_code = _parse_platform_code(d.pop("platform_code", UNSET))

        evidence_orders = cast(list[str], d.pop("evidence_orders", UNSET))

        def _parse_payer(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        payer = _parse_payer(d.pop("payer", UNSET))

        def _parse_value_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                value_date_type_0 = datetime.date.fromisoformat(data)

                return value_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        value_date = _parse_value_date(d.pop("value_date", UNSET))

        receipt_batch_item = cls(
            customer_id=customer_id,
            currency=currency,
            gross=gross,
            net=net,
            customs_mode=customs_mode,
            destination_country=destination_country,
            external_ref=external_ref,
            fees=fees,
            declared_value=declared_value,
            platform_code=platform_code,
            evidence_orders=evidence_orders,
            payer=payer,
            value_date=value_date,
        )

        return receipt_batch_item
