from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.advance_detail_out_status import AdvanceDetailOutStatus, check_advance_detail_out_status
from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.advance_settlement_out import AdvanceSettlementOut


T = TypeVar("T", bound="AdvanceDetailOut")


@_attrs_define
class AdvanceDetailOut:
    id: UUID
    merchant_ref: str
    provider_ref: str
    kind: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    amount: str
    """ Decimal amount in major units with the currency's decimals """
    outstanding: str
    """ outstanding now (or as of the report date in listings) """
    settled: str
    """ Decimal amount in major units with the currency's decimals """
    advance_date: datetime.date
    status: AdvanceDetailOutStatus
    reference: None | str
    description: str
    receivable_account_id: UUID
    payable_account_id: UUID
    repay_account_id: UUID
    transaction_id: UUID
    recorded_at: datetime.datetime
    settled_at: datetime.datetime | None
    flagged_at: datetime.datetime | None
    """ when the overdue sweep flagged it """
    settlements: list[AdvanceSettlementOut]
    age_days: int | None | Unset = UNSET
    bucket: None | str | Unset = UNSET
    """ aging bucket (0-30, 31-90, 91-180, 181-365, >365 by default); null when nothing is outstanding """
    flagged: bool | None | Unset = UNSET
    """ outstanding longer than the configured months (12), in calendar months, Asia/Shanghai """
    flag_after: datetime.date | None | Unset = UNSET
    """ last day it may be outstanding without being flagged """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        merchant_ref = self.merchant_ref

        provider_ref = self.provider_ref

        kind = self.kind

        currency: str = self.currency

        amount = self.amount

        outstanding = self.outstanding

        settled = self.settled

        advance_date = self.advance_date.isoformat()

        status: str = self.status

        reference: None | str
        reference = self.reference

        description = self.description

        receivable_account_id = str(self.receivable_account_id)

        payable_account_id = str(self.payable_account_id)

        repay_account_id = str(self.repay_account_id)

        transaction_id = str(self.transaction_id)

        recorded_at = self.recorded_at.isoformat()

        settled_at: None | str
        if isinstance(self.settled_at, datetime.datetime):
            settled_at = self.settled_at.isoformat()
        else:
            settled_at = self.settled_at

        flagged_at: None | str
        if isinstance(self.flagged_at, datetime.datetime):
            flagged_at = self.flagged_at.isoformat()
        else:
            flagged_at = self.flagged_at

        settlements = []
        for settlements_item_data in self.settlements:
            settlements_item = settlements_item_data.to_dict()
            settlements.append(settlements_item)

        age_days: int | None | Unset
        if isinstance(self.age_days, Unset):
            age_days = UNSET
        else:
            age_days = self.age_days

        bucket: None | str | Unset
        if isinstance(self.bucket, Unset):
            bucket = UNSET
        else:
            bucket = self.bucket

        flagged: bool | None | Unset
        if isinstance(self.flagged, Unset):
            flagged = UNSET
        else:
            flagged = self.flagged

        flag_after: None | str | Unset
        if isinstance(self.flag_after, Unset):
            flag_after = UNSET
        elif isinstance(self.flag_after, datetime.date):
            flag_after = self.flag_after.isoformat()
        else:
            flag_after = self.flag_after

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "merchant_ref": merchant_ref,
                "provider_ref": provider_ref,
                "kind": kind,
                "currency": currency,
                "amount": amount,
                "outstanding": outstanding,
                "settled": settled,
                "advance_date": advance_date,
                "status": status,
                "reference": reference,
                "description": description,
                "receivable_account_id": receivable_account_id,
                "payable_account_id": payable_account_id,
                "repay_account_id": repay_account_id,
                "transaction_id": transaction_id,
                "recorded_at": recorded_at,
                "settled_at": settled_at,
                "flagged_at": flagged_at,
                "settlements": settlements,
            }
        )
        if age_days is not UNSET:
            field_dict["age_days"] = age_days
        if bucket is not UNSET:
            field_dict["bucket"] = bucket
        if flagged is not UNSET:
            field_dict["flagged"] = flagged
        if flag_after is not UNSET:
            field_dict["flag_after"] = flag_after

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.advance_settlement_out import AdvanceSettlementOut  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        merchant_ref = d.pop("merchant_ref")

        provider_ref = d.pop("provider_ref")

        kind = d.pop("kind")

        currency = check_currency(d.pop("currency"))

        amount = d.pop("amount")

        outstanding = d.pop("outstanding")

        settled = d.pop("settled")

        advance_date = datetime.date.fromisoformat(d.pop("advance_date"))

        status = check_advance_detail_out_status(d.pop("status"))

        def _parse_reference(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reference = _parse_reference(d.pop("reference"))

        description = d.pop("description")

        receivable_account_id = UUID(d.pop("receivable_account_id"))

        payable_account_id = UUID(d.pop("payable_account_id"))

        repay_account_id = UUID(d.pop("repay_account_id"))

        transaction_id = UUID(d.pop("transaction_id"))

        recorded_at = datetime.datetime.fromisoformat(d.pop("recorded_at"))

        def _parse_settled_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                settled_at_type_0 = datetime.datetime.fromisoformat(data)

                return settled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        settled_at = _parse_settled_at(d.pop("settled_at"))

        def _parse_flagged_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                flagged_at_type_0 = datetime.datetime.fromisoformat(data)

                return flagged_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        flagged_at = _parse_flagged_at(d.pop("flagged_at"))

        settlements = []
        _settlements = d.pop("settlements")
        for settlements_item_data in _settlements:
            settlements_item = AdvanceSettlementOut.from_dict(settlements_item_data)

            settlements.append(settlements_item)

        def _parse_age_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        age_days = _parse_age_days(d.pop("age_days", UNSET))

        def _parse_bucket(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        bucket = _parse_bucket(d.pop("bucket", UNSET))

        def _parse_flagged(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        flagged = _parse_flagged(d.pop("flagged", UNSET))

        def _parse_flag_after(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                flag_after_type_0 = datetime.date.fromisoformat(data)

                return flag_after_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        flag_after = _parse_flag_after(d.pop("flag_after", UNSET))

        advance_detail_out = cls(
            id=id,
            merchant_ref=merchant_ref,
            provider_ref=provider_ref,
            kind=kind,
            currency=currency,
            amount=amount,
            outstanding=outstanding,
            settled=settled,
            advance_date=advance_date,
            status=status,
            reference=reference,
            description=description,
            receivable_account_id=receivable_account_id,
            payable_account_id=payable_account_id,
            repay_account_id=repay_account_id,
            transaction_id=transaction_id,
            recorded_at=recorded_at,
            settled_at=settled_at,
            flagged_at=flagged_at,
            settlements=settlements,
            age_days=age_days,
            bucket=bucket,
            flagged=flagged,
            flag_after=flag_after,
        )

        advance_detail_out.additional_properties = d
        return advance_detail_out

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
