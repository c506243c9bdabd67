from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

if TYPE_CHECKING:
    from ..models.product_out_config import ProductOutConfig


T = TypeVar("T", bound="ProductOut")


@_attrs_define
class ProductOut:
    id: UUID
    code: str
    kind: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    config: ProductOutConfig
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        code = self.code

        kind = self.kind

        currency: str = self.currency

        config = self.config.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "code": code,
                "kind": kind,
                "currency": currency,
                "config": config,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.product_out_config import ProductOutConfig  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        code = d.pop("code")

        kind = d.pop("kind")

        currency = check_currency(d.pop("currency"))

        config = ProductOutConfig.from_dict(d.pop("config"))

        product_out = cls(
            id=id,
            code=code,
            kind=kind,
            currency=currency,
            config=config,
        )

        product_out.additional_properties = d
        return product_out

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
