from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

if TYPE_CHECKING:
    from ..models.instalment_out import InstalmentOut
    from ..models.next_due_out import NextDueOut
    from ..models.prepayment_out import PrepaymentOut


T = TypeVar("T", bound="LoanScheduleOut")


@_attrs_define
class LoanScheduleOut:
    loan_id: UUID
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    status: str
    method: str
    prepayment_rule: str
    day_count: str
    principal: str
    """ decimal amount in major units of the object's `currency`, with the currency's decimals """
    dpd: int
    next_due: NextDueOut | None
    """ the earliest instalment not paid in full (none once the loan is closed) """
    instalments: list[InstalmentOut]
    prepayments: list[PrepaymentOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.next_due_out import NextDueOut  # noqa: PLC0415

        loan_id = str(self.loan_id)

        currency: str = self.currency

        status = self.status

        method = self.method

        prepayment_rule = self.prepayment_rule

        day_count = self.day_count

        principal = self.principal

        dpd = self.dpd

        next_due: dict[str, Any] | None
        if isinstance(self.next_due, NextDueOut):
            next_due = self.next_due.to_dict()
        else:
            next_due = self.next_due

        instalments = []
        for instalments_item_data in self.instalments:
            instalments_item = instalments_item_data.to_dict()
            instalments.append(instalments_item)

        prepayments = []
        for prepayments_item_data in self.prepayments:
            prepayments_item = prepayments_item_data.to_dict()
            prepayments.append(prepayments_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "loan_id": loan_id,
                "currency": currency,
                "status": status,
                "method": method,
                "prepayment_rule": prepayment_rule,
                "day_count": day_count,
                "principal": principal,
                "dpd": dpd,
                "next_due": next_due,
                "instalments": instalments,
                "prepayments": prepayments,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.instalment_out import InstalmentOut  # noqa: PLC0415
        from ..models.next_due_out import NextDueOut  # noqa: PLC0415
        from ..models.prepayment_out import PrepaymentOut  # noqa: PLC0415

        d = dict(src_dict)
        loan_id = UUID(d.pop("loan_id"))

        currency = check_currency(d.pop("currency"))

        status = d.pop("status")

        method = d.pop("method")

        prepayment_rule = d.pop("prepayment_rule")

        day_count = d.pop("day_count")

        principal = d.pop("principal")

        dpd = d.pop("dpd")

        def _parse_next_due(data: object) -> NextDueOut | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                next_due_type_0 = NextDueOut.from_dict(data)

                return next_due_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NextDueOut | None, data)

        next_due = _parse_next_due(d.pop("next_due"))

        instalments = []
        _instalments = d.pop("instalments")
        for instalments_item_data in _instalments:
            instalments_item = InstalmentOut.from_dict(instalments_item_data)

            instalments.append(instalments_item)

        prepayments = []
        _prepayments = d.pop("prepayments")
        for prepayments_item_data in _prepayments:
            prepayments_item = PrepaymentOut.from_dict(prepayments_item_data)

            prepayments.append(prepayments_item)

        loan_schedule_out = cls(
            loan_id=loan_id,
            currency=currency,
            status=status,
            method=method,
            prepayment_rule=prepayment_rule,
            day_count=day_count,
            principal=principal,
            dpd=dpd,
            next_due=next_due,
            instalments=instalments,
            prepayments=prepayments,
        )

        loan_schedule_out.additional_properties = d
        return loan_schedule_out

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
