from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.conversion_out_rate import ConversionOutRate
    from ..models.money import Money


T = TypeVar("T", bound="ConversionOut")


@_attrs_define
class ConversionOut:
    id: UUID
    customer_id: UUID
    external_ref: str
    direction: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    amount: str
    """ Decimal amount in major units with the currency's decimals """
    cny: Money
    """ An amount with its currency (used where the amount's currency is not the object's ``currency``). """
    rate: ConversionOutRate
    usd_equivalent: Money
    """ An amount with its currency (used where the amount's currency is not the object's ``currency``). """
    exempt_usd: Money
    """ An amount with its currency (used where the amount's currency is not the object's ``currency``). """
    quota_usd: Money
    """ An amount with its currency (used where the amount's currency is not the object's ``currency``). """
    reviewed_usd: Money
    """ An amount with its currency (used where the amount's currency is not the object's ``currency``). """
    quota_year: int | None
    reviewer: None | str
    transaction_id: UUID
    value_time: datetime.datetime
    created_at: datetime.datetime
    alerts: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        customer_id = str(self.customer_id)

        external_ref = self.external_ref

        direction = self.direction

        currency: str = self.currency

        amount = self.amount

        cny = self.cny.to_dict()

        rate = self.rate.to_dict()

        usd_equivalent = self.usd_equivalent.to_dict()

        exempt_usd = self.exempt_usd.to_dict()

        quota_usd = self.quota_usd.to_dict()

        reviewed_usd = self.reviewed_usd.to_dict()

        quota_year: int | None
        quota_year = self.quota_year

        reviewer: None | str
        reviewer = self.reviewer

        transaction_id = str(self.transaction_id)

        value_time = self.value_time.isoformat()

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
                "direction": direction,
                "currency": currency,
                "amount": amount,
                "cny": cny,
                "rate": rate,
                "usd_equivalent": usd_equivalent,
                "exempt_usd": exempt_usd,
                "quota_usd": quota_usd,
                "reviewed_usd": reviewed_usd,
                "quota_year": quota_year,
                "reviewer": reviewer,
                "transaction_id": transaction_id,
                "value_time": value_time,
                "created_at": created_at,
            }
        )
        if alerts is not UNSET:
            field_dict["alerts"] = alerts

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.conversion_out_rate import ConversionOutRate  # noqa: PLC0415
        from ..models.money import Money  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        customer_id = UUID(d.pop("customer_id"))

        external_ref = d.pop("external_ref")

        direction = d.pop("direction")

        currency = check_currency(d.pop("currency"))

        amount = d.pop("amount")

        cny = Money.from_dict(d.pop("cny"))

        rate = ConversionOutRate.from_dict(d.pop("rate"))

        usd_equivalent = Money.from_dict(d.pop("usd_equivalent"))

        exempt_usd = Money.from_dict(d.pop("exempt_usd"))

        quota_usd = Money.from_dict(d.pop("quota_usd"))

        reviewed_usd = Money.from_dict(d.pop("reviewed_usd"))

        def _parse_quota_year(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        quota_year = _parse_quota_year(d.pop("quota_year"))

        def _parse_reviewer(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reviewer = _parse_reviewer(d.pop("reviewer"))

        transaction_id = UUID(d.pop("transaction_id"))

        value_time = datetime.datetime.fromisoformat(d.pop("value_time"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        alerts = cast(list[str], d.pop("alerts", UNSET))

        conversion_out = cls(
            id=id,
            customer_id=customer_id,
            external_ref=external_ref,
            direction=direction,
            currency=currency,
            amount=amount,
            cny=cny,
            rate=rate,
            usd_equivalent=usd_equivalent,
            exempt_usd=exempt_usd,
            quota_usd=quota_usd,
            reviewed_usd=reviewed_usd,
            quota_year=quota_year,
            reviewer=reviewer,
            transaction_id=transaction_id,
            value_time=value_time,
            created_at=created_at,
            alerts=alerts,
        )

        conversion_out.additional_properties = d
        return conversion_out

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
