from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.currency import Currency, check_currency
from ..models.payment_body_purpose import PaymentBodyPurpose, check_payment_body_purpose
from ..types import UNSET, Unset

T = TypeVar("T", bound="PaymentBody")


@_attrs_define
class PaymentBody:
    customer_id: UUID
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    amount: str
    """ amount paid abroad, debited from the customer's FX current account """
    purpose: PaymentBodyPurpose
    """ goods, overseas_warehousing, logistics, service_fees or buyer_refund (a refund to an overseas buyer) """
    beneficiary_name: str
    beneficiary_country: str
    """ ISO 3166 alpha-2, outside China """
    evidence_refs: list[str] | Unset = UNSET
    """ contract, invoice or order references, where the payer has them """
    value_date: datetime.date | None | Unset = UNSET
    """ default today (China time); back-dating up to 30 days, never in the future """
    external_ref: None | str | Unset = UNSET
    """ your reference; default: the Idempotency-Key """

    def to_dict(self) -> dict[str, Any]:
        customer_id = str(self.customer_id)

        currency: str = self.currency

        amount = self.amount

        purpose: str = self.purpose

        beneficiary_name = self.beneficiary_name

        beneficiary_country = self.beneficiary_country

        evidence_refs: list[str] | Unset = UNSET
        if not isinstance(self.evidence_refs, Unset):
            evidence_refs = self.evidence_refs

        value_date: None | str | Unset
        if isinstance(self.value_date, Unset):
            value_date = UNSET
        elif isinstance(self.value_date, datetime.date):
            value_date = self.value_date.isoformat()
        else:
            value_date = self.value_date

        external_ref: None | str | Unset
        if isinstance(self.external_ref, Unset):
            external_ref = UNSET
        else:
            external_ref = self.external_ref

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "customer_id": customer_id,
                "currency": currency,
                "amount": amount,
                "purpose": purpose,
                "beneficiary_name": beneficiary_name,
                "beneficiary_country": beneficiary_country,
            }
        )
        if evidence_refs is not UNSET:
            field_dict["evidence_refs"] = evidence_refs
        if value_date is not UNSET:
            field_dict["value_date"] = value_date
        if external_ref is not UNSET:
            field_dict["external_ref"] = external_ref

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        customer_id = UUID(d.pop("customer_id"))

        currency = check_currency(d.pop("currency"))

        amount = d.pop("amount")

        purpose = check_payment_body_purpose(d.pop("purpose"))

        beneficiary_name = d.pop("beneficiary_name")

        beneficiary_country = d.pop("beneficiary_country")

        evidence_refs = cast(list[str], d.pop("evidence_refs", UNSET))

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

        def _parse_external_ref(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_ref = _parse_external_ref(d.pop("external_ref", UNSET))

        payment_body = cls(
            customer_id=customer_id,
            currency=currency,
            amount=amount,
            purpose=purpose,
            beneficiary_name=beneficiary_name,
            beneficiary_country=beneficiary_country,
            evidence_refs=evidence_refs,
            value_date=value_date,
            external_ref=external_ref,
        )

        return payment_body
