from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

T = TypeVar("T", bound="InsuredAdvanceOut")


@_attrs_define
class InsuredAdvanceOut:
    receivable_id: UUID
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    declared: str
    """ Decimal amount in major units, as a string """
    buyer_limit: str
    """ Decimal amount in major units, as a string """
    buyer_limit_available: str
    """ the buyer's limit not used by the policy's other financed receivables """
    covered: str
    """ Decimal amount in major units, as a string """
    coverage_ratio: str
    advance_rate: str
    max_advance: str
    """ advance rate x coverage x min(declared, available buyer limit), rounded down """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        receivable_id = str(self.receivable_id)

        currency: str = self.currency

        declared = self.declared

        buyer_limit = self.buyer_limit

        buyer_limit_available = self.buyer_limit_available

        covered = self.covered

        coverage_ratio = self.coverage_ratio

        advance_rate = self.advance_rate

        max_advance = self.max_advance

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "receivable_id": receivable_id,
                "currency": currency,
                "declared": declared,
                "buyer_limit": buyer_limit,
                "buyer_limit_available": buyer_limit_available,
                "covered": covered,
                "coverage_ratio": coverage_ratio,
                "advance_rate": advance_rate,
                "max_advance": max_advance,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        receivable_id = UUID(d.pop("receivable_id"))

        currency = check_currency(d.pop("currency"))

        declared = d.pop("declared")

        buyer_limit = d.pop("buyer_limit")

        buyer_limit_available = d.pop("buyer_limit_available")

        covered = d.pop("covered")

        coverage_ratio = d.pop("coverage_ratio")

        advance_rate = d.pop("advance_rate")

        max_advance = d.pop("max_advance")

        insured_advance_out = cls(
            receivable_id=receivable_id,
            currency=currency,
            declared=declared,
            buyer_limit=buyer_limit,
            buyer_limit_available=buyer_limit_available,
            covered=covered,
            coverage_ratio=coverage_ratio,
            advance_rate=advance_rate,
            max_advance=max_advance,
        )

        insured_advance_out.additional_properties = d
        return insured_advance_out

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
