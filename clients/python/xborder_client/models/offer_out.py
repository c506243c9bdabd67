from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.offer_out_pricing import OfferOutPricing
    from ..models.schedule_item_out import ScheduleItemOut
    from ..models.text_out import TextOut


T = TypeVar("T", bound="OfferOut")


@_attrs_define
class OfferOut:
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    principal: str
    """ decimal amount in major units of the object's `currency`, with the currency's decimals """
    start: datetime.date
    due_date: datetime.date
    tenor_days: int
    annual_rate: str
    day_count: str
    interest: str
    """ decimal amount in major units of the object's `currency`, with the currency's decimals """
    fee: str
    """ decimal amount in major units of the object's `currency`, with the currency's decimals """
    total_cost: str
    """ interest + fees """
    total_repayable: str
    """ principal + interest + fees """
    schedule: list[ScheduleItemOut]
    pricing: OfferOutPricing
    schedule_method: str | Unset = "bullet"
    prepayment_rule: None | str | Unset = UNSET
    annual_percentage_rate: None | str | Unset = UNSET
    """ annualized cost in percent, two decimals: the IRR of the cash flows per period x periods per year """
    disclosure: None | TextOut | Unset = UNSET
    """ the cost of the offer in one sentence, Chinese and English """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.text_out import TextOut  # noqa: PLC0415

        currency: str = self.currency

        principal = self.principal

        start = self.start.isoformat()

        due_date = self.due_date.isoformat()

        tenor_days = self.tenor_days

        annual_rate = self.annual_rate

        day_count = self.day_count

        interest = self.interest

        fee = self.fee

        total_cost = self.total_cost

        total_repayable = self.total_repayable

        schedule = []
        for schedule_item_data in self.schedule:
            schedule_item = schedule_item_data.to_dict()
            schedule.append(schedule_item)

        pricing = self.pricing.to_dict()

        schedule_method = self.schedule_method

        prepayment_rule: None | str | Unset
        if isinstance(self.prepayment_rule, Unset):
            prepayment_rule = UNSET
        else:
            prepayment_rule = self.prepayment_rule

        annual_percentage_rate: None | str | Unset
        if isinstance(self.annual_percentage_rate, Unset):
            annual_percentage_rate = UNSET
        else:
            annual_percentage_rate = self.annual_percentage_rate

        disclosure: dict[str, Any] | None | Unset
        if isinstance(self.disclosure, Unset):
            disclosure = UNSET
        elif isinstance(self.disclosure, TextOut):
            disclosure = self.disclosure.to_dict()
        else:
            disclosure = self.disclosure

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "currency": currency,
                "principal": principal,
                "start": start,
                "due_date": due_date,
                "tenor_days": tenor_days,
                "annual_rate": annual_rate,
                "day_count": day_count,
                "interest": interest,
                "fee": fee,
                "total_cost": total_cost,
                "total_repayable": total_repayable,
                "schedule": schedule,
                "pricing": pricing,
            }
        )
        if schedule_method is not UNSET:
            field_dict["schedule_method"] = schedule_method
        if prepayment_rule is not UNSET:
            field_dict["prepayment_rule"] = prepayment_rule
        if annual_percentage_rate is not UNSET:
            field_dict["annual_percentage_rate"] = annual_percentage_rate
        if disclosure is not UNSET:
            field_dict["disclosure"] = disclosure

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.offer_out_pricing import OfferOutPricing  # noqa: PLC0415
        from ..models.schedule_item_out import ScheduleItemOut  # noqa: PLC0415
        from ..models.text_out import TextOut  # noqa: PLC0415

        d = dict(src_dict)
        currency = check_currency(d.pop("currency"))

        principal = d.pop("principal")

        start = datetime.date.fromisoformat(d.pop("start"))

        due_date = datetime.date.fromisoformat(d.pop("due_date"))

        tenor_days = d.pop("tenor_days")

        annual_rate = d.pop("annual_rate")

        day_count = d.pop("day_count")

        interest = d.pop("interest")

        fee = d.pop("fee")

        total_cost = d.pop("total_cost")

        total_repayable = d.pop("total_repayable")

        schedule = []
        _schedule = d.pop("schedule")
        for schedule_item_data in _schedule:
            schedule_item = ScheduleItemOut.from_dict(schedule_item_data)

            schedule.append(schedule_item)

        pricing = OfferOutPricing.from_dict(d.pop("pricing"))

        schedule_method = d.pop("schedule_method", UNSET)

        def _parse_prepayment_rule(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        prepayment_rule = _parse_prepayment_rule(d.pop("prepayment_rule", UNSET))

        def _parse_annual_percentage_rate(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        annual_percentage_rate = _parse_annual_percentage_rate(d.pop("annual_percentage_rate", UNSET))

        def _parse_disclosure(data: object) -> None | TextOut | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                disclosure_type_0 = TextOut.from_dict(data)

                return disclosure_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TextOut | Unset, data)

        disclosure = _parse_disclosure(d.pop("disclosure", UNSET))

        offer_out = cls(
            currency=currency,
            principal=principal,
            start=start,
            due_date=due_date,
            tenor_days=tenor_days,
            annual_rate=annual_rate,
            day_count=day_count,
            interest=interest,
            fee=fee,
            total_cost=total_cost,
            total_repayable=total_repayable,
            schedule=schedule,
            pricing=pricing,
            schedule_method=schedule_method,
            prepayment_rule=prepayment_rule,
            annual_percentage_rate=annual_percentage_rate,
            disclosure=disclosure,
        )

        offer_out.additional_properties = d
        return offer_out

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
