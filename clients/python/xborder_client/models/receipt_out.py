from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..models.receipt_out_status import ReceiptOutStatus, check_receipt_out_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money
    from ..models.receipt_out_fees import ReceiptOutFees


T = TypeVar("T", bound="ReceiptOut")


@_attrs_define
class ReceiptOut:
    id: UUID
    customer_id: UUID
    external_ref: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    gross: str
    """ Decimal amount in major units with the currency's decimals """
    fees: ReceiptOutFees
    net: str
    """ Decimal amount in major units with the currency's decimals """
    usd_equivalent: Money
    """ An amount with its currency (used where the amount's currency is not the object's ``currency``). """
    customs_mode: str
    destination_country: str
    merchant_kind: str
    value_date: datetime.date
    declared_value: None | str
    variance: None | str
    variance_flagged: bool
    coverage: str
    """ Decimal amount in major units with the currency's decimals """
    coverage_flagged: bool
    status: ReceiptOutStatus
    suspense_reason: None | str
    transaction_id: None | UUID
    release_transaction_id: None | UUID
    released_by: None | str
    released_at: datetime.datetime | None
    created_at: datetime.datetime
    alerts: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        customer_id = str(self.customer_id)

        external_ref = self.external_ref

        currency: str = self.currency

        gross = self.gross

        fees = self.fees.to_dict()

        net = self.net

        usd_equivalent = self.usd_equivalent.to_dict()

        customs_mode = self.customs_mode

        destination_country = self.destination_country

        merchant_kind = self.merchant_kind

        value_date = self.value_date.isoformat()

        declared_value: None | str
        declared_value = self.declared_value

        variance: None | str
        variance = self.variance

        variance_flagged = self.variance_flagged

        coverage = self.coverage

        coverage_flagged = self.coverage_flagged

        status: str = self.status

        suspense_reason: None | str
        suspense_reason = self.suspense_reason

        transaction_id: None | str
        if isinstance(self.transaction_id, UUID):
            transaction_id = str(self.transaction_id)
        else:
            transaction_id = self.transaction_id

        release_transaction_id: None | str
        if isinstance(self.release_transaction_id, UUID):
            release_transaction_id = str(self.release_transaction_id)
        else:
            release_transaction_id = self.release_transaction_id

        released_by: None | str
        released_by = self.released_by

        released_at: None | str
        if isinstance(self.released_at, datetime.datetime):
            released_at = self.released_at.isoformat()
        else:
            released_at = self.released_at

        created_at = self.created_at.isoformat()

        alerts: list[str] | Unset = UNSET
        if not isinstance(self.alerts, Unset):
            alerts = self.alerts

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "customer_id": customer_id,
                "external_ref": external_ref,
                "currency": currency,
                "gross": gross,
                "fees": fees,
                "net": net,
                "usd_equivalent": usd_equivalent,
                "customs_mode": customs_mode,
                "destination_country": destination_country,
                "merchant_kind": merchant_kind,
                "value_date": value_date,
                "declared_value": declared_value,
                "variance": variance,
                "variance_flagged": variance_flagged,
                "coverage": coverage,
                "coverage_flagged": coverage_flagged,
                "status": status,
                "suspense_reason": suspense_reason,
                "transaction_id": transaction_id,
                "release_transaction_id": release_transaction_id,
                "released_by": released_by,
                "released_at": released_at,
                "created_at": created_at,
            }
        )
        if alerts is not UNSET:
            field_dict["alerts"] = alerts

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415
        from ..models.receipt_out_fees import ReceiptOutFees  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        customer_id = UUID(d.pop("customer_id"))

        external_ref = d.pop("external_ref")

        currency = check_currency(d.pop("currency"))

        gross = d.pop("gross")

        fees = ReceiptOutFees.from_dict(d.pop("fees"))

        net = d.pop("net")

        usd_equivalent = Money.from_dict(d.pop("usd_equivalent"))

        customs_mode = d.pop("customs_mode")

        destination_country = d.pop("destination_country")

        merchant_kind = d.pop("merchant_kind")

        value_date = datetime.date.fromisoformat(d.pop("value_date"))

        def _parse_declared_value(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        declared_value = _parse_declared_value(d.pop("declared_value"))

        def _parse_variance(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        variance = _parse_variance(d.pop("variance"))

        variance_flagged = d.pop("variance_flagged")

        coverage = d.pop("coverage")

        coverage_flagged = d.pop("coverage_flagged")

        status = check_receipt_out_status(d.pop("status"))

        def _parse_suspense_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        suspense_reason = _parse_suspense_reason(d.pop("suspense_reason"))

        def _parse_transaction_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                transaction_id_type_0 = UUID(data)

                return transaction_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        transaction_id = _parse_transaction_id(d.pop("transaction_id"))

        def _parse_release_transaction_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                release_transaction_id_type_0 = UUID(data)

                return release_transaction_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        release_transaction_id = _parse_release_transaction_id(d.pop("release_transaction_id"))

        def _parse_released_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        released_by = _parse_released_by(d.pop("released_by"))

        def _parse_released_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                released_at_type_0 = datetime.datetime.fromisoformat(data)

                return released_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        released_at = _parse_released_at(d.pop("released_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        alerts = cast(list[str], d.pop("alerts", UNSET))

        receipt_out = cls(
            id=id,
            customer_id=customer_id,
            external_ref=external_ref,
            currency=currency,
            gross=gross,
            fees=fees,
            net=net,
            usd_equivalent=usd_equivalent,
            customs_mode=customs_mode,
            destination_country=destination_country,
            merchant_kind=merchant_kind,
            value_date=value_date,
            declared_value=declared_value,
            variance=variance,
            variance_flagged=variance_flagged,
            coverage=coverage,
            coverage_flagged=coverage_flagged,
            status=status,
            suspense_reason=suspense_reason,
            transaction_id=transaction_id,
            release_transaction_id=release_transaction_id,
            released_by=released_by,
            released_at=released_at,
            created_at=created_at,
            alerts=alerts,
        )

        receipt_out.additional_properties = d
        return receipt_out

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
