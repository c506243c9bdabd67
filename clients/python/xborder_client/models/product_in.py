from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.currency import Currency, check_currency
from ..models.product_in_kind import ProductInKind, check_product_in_kind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.product_config_in import ProductConfigIn


T = TypeVar("T", bound="ProductIn")


@_attrs_define
class ProductIn:
    code: str
    kind: ProductInKind
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    config: ProductConfigIn | Unset = UNSET
    """ A product's settings; each has a default. """

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        kind: str = self.kind

        currency: str = self.currency

        config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.config, Unset):
            config = self.config.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "kind": kind,
                "currency": currency,
            }
        )
        if config is not UNSET:
            field_dict["config"] = config

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.product_config_in import ProductConfigIn  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        kind = check_product_in_kind(d.pop("kind"))

        currency = check_currency(d.pop("currency"))

        _config = d.pop("config", UNSET)
        config: ProductConfigIn | Unset
        if isinstance(_config, Unset):
            config = UNSET
        else:
            config = ProductConfigIn.from_dict(_config)

        product_in = cls(
            code=code,
            kind=kind,
            currency=currency,
            config=config,
        )

        return product_in
