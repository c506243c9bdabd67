from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

if TYPE_CHECKING:
    from ..models.currency_portfolio_out_buckets import CurrencyPortfolioOutBuckets
    from ..models.currency_portfolio_out_outstanding import CurrencyPortfolioOutOutstanding


T = TypeVar("T", bound="CurrencyPortfolioOut")


@_attrs_define
class CurrencyPortfolioOut:
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    outstanding: CurrencyPortfolioOutOutstanding
    """ by component, and `total` """
    buckets: CurrencyPortfolioOutBuckets
    """ by DPD bucket (`current` when not past due) """
    npl: str
    """ outstanding in non-performing buckets """
    npl_ratio: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        currency: str = self.currency

        outstanding = self.outstanding.to_dict()

        buckets = self.buckets.to_dict()

        npl = self.npl

        npl_ratio = self.npl_ratio

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "currency": currency,
                "outstanding": outstanding,
                "buckets": buckets,
                "npl": npl,
                "npl_ratio": npl_ratio,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.currency_portfolio_out_buckets import CurrencyPortfolioOutBuckets  # noqa: PLC0415
        from ..models.currency_portfolio_out_outstanding import CurrencyPortfolioOutOutstanding  # noqa: PLC0415

        d = dict(src_dict)
        currency = check_currency(d.pop("currency"))

        outstanding = CurrencyPortfolioOutOutstanding.from_dict(d.pop("outstanding"))

        buckets = CurrencyPortfolioOutBuckets.from_dict(d.pop("buckets"))

        npl = d.pop("npl")

        npl_ratio = d.pop("npl_ratio")

        currency_portfolio_out = cls(
            currency=currency,
            outstanding=outstanding,
            buckets=buckets,
            npl=npl,
            npl_ratio=npl_ratio,
        )

        currency_portfolio_out.additional_properties = d
        return currency_portfolio_out

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
