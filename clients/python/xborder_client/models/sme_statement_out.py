from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..models.sme_statement_out_status import SmeStatementOutStatus, check_sme_statement_out_status

if TYPE_CHECKING:
    from ..models.sme_next_due_out import SmeNextDueOut
    from ..models.sme_statement_line_out import SmeStatementLineOut


T = TypeVar("T", bound="SmeStatementOut")


@_attrs_define
class SmeStatementOut:
    data: list[SmeStatementLineOut]
    """ the rows of this page, in the list's order """
    has_more: bool
    """ true when rows follow this page """
    next_cursor: None | str
    """ pass as `cursor` for the next page; null on the last page """
    loan_id: UUID
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    status: SmeStatementOutStatus
    outstanding: str
    """ decimal amount in major units of the object's `currency`, with the currency's decimals """
    next_due: None | SmeNextDueOut
    """ the next scheduled amount not yet repaid (null when the loan is not active) """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.sme_next_due_out import SmeNextDueOut  # noqa: PLC0415

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        has_more = self.has_more

        next_cursor: None | str
        next_cursor = self.next_cursor

        loan_id = str(self.loan_id)

        currency: str = self.currency

        status: str = self.status

        outstanding = self.outstanding

        next_due: dict[str, Any] | None
        if isinstance(self.next_due, SmeNextDueOut):
            next_due = self.next_due.to_dict()
        else:
            next_due = self.next_due

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "has_more": has_more,
                "next_cursor": next_cursor,
                "loan_id": loan_id,
                "currency": currency,
                "status": status,
                "outstanding": outstanding,
                "next_due": next_due,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sme_next_due_out import SmeNextDueOut  # noqa: PLC0415
        from ..models.sme_statement_line_out import SmeStatementLineOut  # noqa: PLC0415

        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = SmeStatementLineOut.from_dict(data_item_data)

            data.append(data_item)

        has_more = d.pop("has_more")

        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))

        loan_id = UUID(d.pop("loan_id"))

        currency = check_currency(d.pop("currency"))

        status = check_sme_statement_out_status(d.pop("status"))

        outstanding = d.pop("outstanding")

        def _parse_next_due(data: object) -> None | SmeNextDueOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                next_due_type_0 = SmeNextDueOut.from_dict(data)

                return next_due_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SmeNextDueOut, data)

        next_due = _parse_next_due(d.pop("next_due"))

        sme_statement_out = cls(
            data=data,
            has_more=has_more,
            next_cursor=next_cursor,
            loan_id=loan_id,
            currency=currency,
            status=status,
            outstanding=outstanding,
            next_due=next_due,
        )

        sme_statement_out.additional_properties = d
        return sme_statement_out

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
