from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.order_assets import OrderAssets


T = TypeVar("T", bound="SmeApplicationIn")


@_attrs_define
class SmeApplicationIn:
    """An application for the caller's own merchant (no customer to name)."""

    product_id: UUID
    amount: str
    """ in the product's currency, at most its decimals; not zero """
    tenor_days: int
    orders: None | OrderAssets | Unset = UNSET
    """ platform orders offered as collateral (order financing): see `GET /v1/sme/assets` """

    def to_dict(self) -> dict[str, Any]:
        from ..models.order_assets import OrderAssets  # noqa: PLC0415

        product_id = str(self.product_id)

        amount = self.amount

        tenor_days = self.tenor_days

        orders: dict[str, Any] | None | Unset
        if isinstance(self.orders, Unset):
            orders = UNSET
        elif isinstance(self.orders, OrderAssets):
            orders = self.orders.to_dict()
        else:
            orders = self.orders

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "product_id": product_id,
                "amount": amount,
                "tenor_days": tenor_days,
            }
        )
        if orders is not UNSET:
            field_dict["orders"] = orders

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.order_assets import OrderAssets  # noqa: PLC0415

        d = dict(src_dict)
        product_id = UUID(d.pop("product_id"))

        amount = d.pop("amount")

        tenor_days = d.pop("tenor_days")

        def _parse_orders(data: object) -> None | OrderAssets | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                orders_type_0 = OrderAssets.from_dict(data)

                return orders_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OrderAssets | Unset, data)

        orders = _parse_orders(d.pop("orders", UNSET))

        sme_application_in = cls(
            product_id=product_id,
            amount=amount,
            tenor_days=tenor_days,
            orders=orders,
        )

        return sme_application_in
