from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

if TYPE_CHECKING:
    from ..models.sme_asset_out_details import SmeAssetOutDetails


T = TypeVar("T", bound="SmeAssetOut")


@_attrs_define
class SmeAssetOut:
    kind: str
    """ order | warehouse_receipt | insured_receivable """
    ref: str
    """ the asset's reference (an order: `order:<platform>:<order id>`, as a loan's `asset_refs` records it) """
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    value: None | str
    """ the asset's value: an order after refunds, a receipt at the latest price less the haircut (null without a
    price or product), a receivable as declared """
    advance: None | str
    """ what it would advance: under `product_id` when given (null for assets the product does not take), else the
    rulebook's default rate """
    details: SmeAssetOutDetails
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        ref = self.ref

        currency: str = self.currency

        value: None | str
        value = self.value

        advance: None | str
        advance = self.advance

        details = self.details.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "ref": ref,
                "currency": currency,
                "value": value,
                "advance": advance,
                "details": details,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sme_asset_out_details import SmeAssetOutDetails  # noqa: PLC0415

        d = dict(src_dict)
        kind = d.pop("kind")

        ref = d.pop("ref")

        currency = check_currency(d.pop("currency"))

        def _parse_value(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        value = _parse_value(d.pop("value"))

        def _parse_advance(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        advance = _parse_advance(d.pop("advance"))

        details = SmeAssetOutDetails.from_dict(d.pop("details"))

        sme_asset_out = cls(
            kind=kind,
            ref=ref,
            currency=currency,
            value=value,
            advance=advance,
            details=details,
        )

        sme_asset_out.additional_properties = d
        return sme_asset_out

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
