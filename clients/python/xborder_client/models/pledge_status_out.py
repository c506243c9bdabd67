from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.margin_call_out import MarginCallOut
    from ..models.valuation_out import ValuationOut


T = TypeVar("T", bound="PledgeStatusOut")


@_attrs_define
class PledgeStatusOut:
    pledge_id: UUID
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    outstanding: str
    """ Decimal amount in major units, as a string """
    valuation: ValuationOut
    ltv: str
    action: str
    """ ok | margin_call | liquidation_allowed | liquidated """
    liquidation_allowed: bool
    margin_call: MarginCallOut | None
    collateral_value: None | str | Unset = UNSET
    """ what `ltv` is measured against: every receipt pledged to the loan after haircut """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.margin_call_out import MarginCallOut  # noqa: PLC0415

        pledge_id = str(self.pledge_id)

        currency: str = self.currency

        outstanding = self.outstanding

        valuation = self.valuation.to_dict()

        ltv = self.ltv

        action = self.action

        liquidation_allowed = self.liquidation_allowed

        margin_call: dict[str, Any] | None
        if isinstance(self.margin_call, MarginCallOut):
            margin_call = self.margin_call.to_dict()
        else:
            margin_call = self.margin_call

        collateral_value: None | str | Unset
        if isinstance(self.collateral_value, Unset):
            collateral_value = UNSET
        else:
            collateral_value = self.collateral_value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "pledge_id": pledge_id,
                "currency": currency,
                "outstanding": outstanding,
                "valuation": valuation,
                "ltv": ltv,
                "action": action,
                "liquidation_allowed": liquidation_allowed,
                "margin_call": margin_call,
            }
        )
        if collateral_value is not UNSET:
            field_dict["collateral_value"] = collateral_value

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.margin_call_out import MarginCallOut  # noqa: PLC0415
        from ..models.valuation_out import ValuationOut  # noqa: PLC0415

        d = dict(src_dict)
        pledge_id = UUID(d.pop("pledge_id"))

        currency = check_currency(d.pop("currency"))

        outstanding = d.pop("outstanding")

        valuation = ValuationOut.from_dict(d.pop("valuation"))

        ltv = d.pop("ltv")

        action = d.pop("action")

        liquidation_allowed = d.pop("liquidation_allowed")

        def _parse_margin_call(data: object) -> MarginCallOut | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                margin_call_type_0 = MarginCallOut.from_dict(data)

                return margin_call_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MarginCallOut | None, data)

        margin_call = _parse_margin_call(d.pop("margin_call"))

        def _parse_collateral_value(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        collateral_value = _parse_collateral_value(d.pop("collateral_value", UNSET))

        pledge_status_out = cls(
            pledge_id=pledge_id,
            currency=currency,
            outstanding=outstanding,
            valuation=valuation,
            ltv=ltv,
            action=action,
            liquidation_allowed=liquidation_allowed,
            margin_call=margin_call,
            collateral_value=collateral_value,
        )

        pledge_status_out.additional_properties = d
        return pledge_status_out

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
