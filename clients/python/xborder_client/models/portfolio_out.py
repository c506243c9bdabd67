from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.currency_portfolio_out import CurrencyPortfolioOut
    from ..models.exposure_out import ExposureOut


T = TypeVar("T", bound="PortfolioOut")


@_attrs_define
class PortfolioOut:
    loans: int
    """ active loans """
    currencies: list[CurrencyPortfolioOut]
    exposure: list[ExposureOut]
    """ outstanding per merchant and currency """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        loans = self.loans

        currencies = []
        for currencies_item_data in self.currencies:
            currencies_item = currencies_item_data.to_dict()
            currencies.append(currencies_item)

        exposure = []
        for exposure_item_data in self.exposure:
            exposure_item = exposure_item_data.to_dict()
            exposure.append(exposure_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "loans": loans,
                "currencies": currencies,
                "exposure": exposure,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.currency_portfolio_out import CurrencyPortfolioOut  # noqa: PLC0415
        from ..models.exposure_out import ExposureOut  # noqa: PLC0415

        d = dict(src_dict)
        loans = d.pop("loans")

        currencies = []
        _currencies = d.pop("currencies")
        for currencies_item_data in _currencies:
            currencies_item = CurrencyPortfolioOut.from_dict(currencies_item_data)

            currencies.append(currencies_item)

        exposure = []
        _exposure = d.pop("exposure")
        for exposure_item_data in _exposure:
            exposure_item = ExposureOut.from_dict(exposure_item_data)

            exposure.append(exposure_item)

        portfolio_out = cls(
            loans=loans,
            currencies=currencies,
            exposure=exposure,
        )

        portfolio_out.additional_properties = d
        return portfolio_out

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
