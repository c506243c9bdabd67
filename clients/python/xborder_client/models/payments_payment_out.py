from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..models.payments_payment_out_status import PaymentsPaymentOutStatus, check_payments_payment_out_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="PaymentsPaymentOut")


@_attrs_define
class PaymentsPaymentOut:
    id: UUID
    customer_id: UUID
    external_ref: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    amount: str
    """ Decimal amount in major units with the currency's decimals """
    usd_equivalent: Money
    """ An amount with its currency (used where the amount's currency is not the object's ``currency``). """
    purpose: str
    beneficiary_name: str
    beneficiary_country: str
    evidence_refs: list[str]
    merchant_kind: str
    value_date: datetime.date
    status: PaymentsPaymentOutStatus
    hold_reason: None | str
    transaction_id: UUID
    release_transaction_id: None | UUID
    released_by: None | str
    released_at: datetime.datetime | None
    created_at: datetime.datetime
    s6_payments_usd: Money | None | Unset = UNSET
    """ the enterprise's national S6 payments total of the value date's year, after this payment (on creation only)
    """
    alerts: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money  # noqa: PLC0415

        id = str(self.id)

        customer_id = str(self.customer_id)

        external_ref = self.external_ref

        currency: str = self.currency

        amount = self.amount

        usd_equivalent = self.usd_equivalent.to_dict()

        purpose = self.purpose

        beneficiary_name = self.beneficiary_name

        beneficiary_country = self.beneficiary_country

        evidence_refs = self.evidence_refs

        merchant_kind = self.merchant_kind

        value_date = self.value_date.isoformat()

        status: str = self.status

        hold_reason: None | str
        hold_reason = self.hold_reason

        transaction_id = str(self.transaction_id)

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

        s6_payments_usd: dict[str, Any] | None | Unset
        if isinstance(self.s6_payments_usd, Unset):
            s6_payments_usd = UNSET
        elif isinstance(self.s6_payments_usd, Money):
            s6_payments_usd = self.s6_payments_usd.to_dict()
        else:
            s6_payments_usd = self.s6_payments_usd

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
                "amount": amount,
                "usd_equivalent": usd_equivalent,
                "purpose": purpose,
                "beneficiary_name": beneficiary_name,
                "beneficiary_country": beneficiary_country,
                "evidence_refs": evidence_refs,
                "merchant_kind": merchant_kind,
                "value_date": value_date,
                "status": status,
                "hold_reason": hold_reason,
                "transaction_id": transaction_id,
                "release_transaction_id": release_transaction_id,
                "released_by": released_by,
                "released_at": released_at,
                "created_at": created_at,
            }
        )
        if s6_payments_usd is not UNSET:
            field_dict["s6_payments_usd"] = s6_payments_usd
        if alerts is not UNSET:
            field_dict["alerts"] = alerts

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        customer_id = UUID(d.pop("customer_id"))

        external_ref = d.pop("external_ref")

        currency = check_currency(d.pop("currency"))

        amount = d.pop("amount")

        usd_equivalent = Money.from_dict(d.pop("usd_equivalent"))

        purpose = d.pop("purpose")

        beneficiary_name = d.pop("beneficiary_name")

        beneficiary_country = d.pop("beneficiary_country")

        evidence_refs = cast(list[str], d.pop("evidence_refs"))

        merchant_kind = d.pop("merchant_kind")

        value_date = datetime.date.fromisoformat(d.pop("value_date"))

        status = check_payments_payment_out_status(d.pop("status"))

        def _parse_hold_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        hold_reason = _parse_hold_reason(d.pop("hold_reason"))

        transaction_id = UUID(d.pop("transaction_id"))

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

        def _parse_s6_payments_usd(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                s6_payments_usd_type_0 = Money.from_dict(data)

                return s6_payments_usd_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        s6_payments_usd = _parse_s6_payments_usd(d.pop("s6_payments_usd", UNSET))

        alerts = cast(list[str], d.pop("alerts", UNSET))

        payments_payment_out = cls(
            id=id,
            customer_id=customer_id,
            external_ref=external_ref,
            currency=currency,
            amount=amount,
            usd_equivalent=usd_equivalent,
            purpose=purpose,
            beneficiary_name=beneficiary_name,
            beneficiary_country=beneficiary_country,
            evidence_refs=evidence_refs,
            merchant_kind=merchant_kind,
            value_date=value_date,
            status=status,
            hold_reason=hold_reason,
            transaction_id=transaction_id,
            release_transaction_id=release_transaction_id,
            released_by=released_by,
            released_at=released_at,
            created_at=created_at,
            s6_payments_usd=s6_payments_usd,
            alerts=alerts,
        )

        payments_payment_out.additional_properties = d
        return payments_payment_out

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
