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
    from ..models.loan_decision_out import LoanDecisionOut
    from ..models.loan_out_balances import LoanOutBalances
    from ..models.next_due_out import NextDueOut
    from ..models.offer_out import OfferOut


T = TypeVar("T", bound="LoanOut")


@_attrs_define
class LoanOut:
    id: UUID
    customer_id: UUID
    product_id: UUID
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    status: str
    requested: str
    """ decimal amount in major units of the object's `currency`, with the currency's decimals """
    limit: None | str
    approved: None | str
    tenor_days: int
    asset_refs: list[str]
    decision: LoanDecisionOut | None
    offer: None | OfferOut
    disbursed_on: datetime.date | None
    due_date: datetime.date | None
    dpd: int
    bucket: None | str
    balances: LoanOutBalances
    outstanding: str
    """ decimal amount in major units of the object's `currency`, with the currency's decimals """
    written_off: str
    """ decimal amount in major units of the object's `currency`, with the currency's decimals """
    created_at: datetime.datetime
    next_due: NextDueOut | None | Unset = UNSET
    """ an active loan's next instalment: the earliest not paid in full (`GET .../schedule` lists them all) """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.loan_decision_out import LoanDecisionOut  # noqa: PLC0415
        from ..models.next_due_out import NextDueOut  # noqa: PLC0415
        from ..models.offer_out import OfferOut  # noqa: PLC0415

        id = str(self.id)

        customer_id = str(self.customer_id)

        product_id = str(self.product_id)

        currency: str = self.currency

        status = self.status

        requested = self.requested

        limit: None | str
        limit = self.limit

        approved: None | str
        approved = self.approved

        tenor_days = self.tenor_days

        asset_refs = self.asset_refs

        decision: dict[str, Any] | None
        if isinstance(self.decision, LoanDecisionOut):
            decision = self.decision.to_dict()
        else:
            decision = self.decision

        offer: dict[str, Any] | None
        if isinstance(self.offer, OfferOut):
            offer = self.offer.to_dict()
        else:
            offer = self.offer

        disbursed_on: None | str
        if isinstance(self.disbursed_on, datetime.date):
            disbursed_on = self.disbursed_on.isoformat()
        else:
            disbursed_on = self.disbursed_on

        due_date: None | str
        if isinstance(self.due_date, datetime.date):
            due_date = self.due_date.isoformat()
        else:
            due_date = self.due_date

        dpd = self.dpd

        bucket: None | str
        bucket = self.bucket

        balances = self.balances.to_dict()

        outstanding = self.outstanding

        written_off = self.written_off

        created_at = self.created_at.isoformat()

        next_due: dict[str, Any] | None | Unset
        if isinstance(self.next_due, Unset):
            next_due = UNSET
        elif isinstance(self.next_due, NextDueOut):
            next_due = self.next_due.to_dict()
        else:
            next_due = self.next_due

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "customer_id": customer_id,
                "product_id": product_id,
                "currency": currency,
                "status": status,
                "requested": requested,
                "limit": limit,
                "approved": approved,
                "tenor_days": tenor_days,
                "asset_refs": asset_refs,
                "decision": decision,
                "offer": offer,
                "disbursed_on": disbursed_on,
                "due_date": due_date,
                "dpd": dpd,
                "bucket": bucket,
                "balances": balances,
                "outstanding": outstanding,
                "written_off": written_off,
                "created_at": created_at,
            }
        )
        if next_due is not UNSET:
            field_dict["next_due"] = next_due

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.loan_decision_out import LoanDecisionOut  # noqa: PLC0415
        from ..models.loan_out_balances import LoanOutBalances  # noqa: PLC0415
        from ..models.next_due_out import NextDueOut  # noqa: PLC0415
        from ..models.offer_out import OfferOut  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        customer_id = UUID(d.pop("customer_id"))

        product_id = UUID(d.pop("product_id"))

        currency = check_currency(d.pop("currency"))

        status = d.pop("status")

        requested = d.pop("requested")

        def _parse_limit(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        limit = _parse_limit(d.pop("limit"))

        def _parse_approved(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        approved = _parse_approved(d.pop("approved"))

        tenor_days = d.pop("tenor_days")

        asset_refs = cast(list[str], d.pop("asset_refs"))

        def _parse_decision(data: object) -> LoanDecisionOut | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                decision_type_0 = LoanDecisionOut.from_dict(data)

                return decision_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LoanDecisionOut | None, data)

        decision = _parse_decision(d.pop("decision"))

        def _parse_offer(data: object) -> None | OfferOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                offer_type_0 = OfferOut.from_dict(data)

                return offer_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OfferOut, data)

        offer = _parse_offer(d.pop("offer"))

        def _parse_disbursed_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                disbursed_on_type_0 = datetime.date.fromisoformat(data)

                return disbursed_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        disbursed_on = _parse_disbursed_on(d.pop("disbursed_on"))

        def _parse_due_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_date_type_0 = datetime.date.fromisoformat(data)

                return due_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        due_date = _parse_due_date(d.pop("due_date"))

        dpd = d.pop("dpd")

        def _parse_bucket(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        bucket = _parse_bucket(d.pop("bucket"))

        balances = LoanOutBalances.from_dict(d.pop("balances"))

        outstanding = d.pop("outstanding")

        written_off = d.pop("written_off")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_next_due(data: object) -> NextDueOut | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                next_due_type_0 = NextDueOut.from_dict(data)

                return next_due_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NextDueOut | None | Unset, data)

        next_due = _parse_next_due(d.pop("next_due", UNSET))

        loan_out = cls(
            id=id,
            customer_id=customer_id,
            product_id=product_id,
            currency=currency,
            status=status,
            requested=requested,
            limit=limit,
            approved=approved,
            tenor_days=tenor_days,
            asset_refs=asset_refs,
            decision=decision,
            offer=offer,
            disbursed_on=disbursed_on,
            due_date=due_date,
            dpd=dpd,
            bucket=bucket,
            balances=balances,
            outstanding=outstanding,
            written_off=written_off,
            created_at=created_at,
            next_due=next_due,
        )

        loan_out.additional_properties = d
        return loan_out

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
