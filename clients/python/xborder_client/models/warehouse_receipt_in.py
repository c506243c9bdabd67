from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="WarehouseReceiptIn")


@_attrs_define
class WarehouseReceiptIn:
    customer_id: UUID
    warehouse_code: str
    """ the warehouse operator's 18-character unified social credit code (GB 32100-2015, check character verified):
    with the receipt number, the receipt's identity """
    issuer: str
    """ the warehouse's name (display only) """
    receipt_number: str
    """ printable characters (ASCII, Latin-1 letters, CJK punctuation and ideographs, full-width forms), not blank;
    leading and trailing spaces are dropped """
    goods_type: str
    """ printable characters (ASCII, Latin-1 letters, CJK punctuation and ideographs, full-width forms), not blank;
    leading and trailing spaces are dropped """
    quantity: str
    """ Positive decimal quantity of goods, as a string """
    unit: str
    location: str

    def to_dict(self) -> dict[str, Any]:
        customer_id = str(self.customer_id)

        warehouse_code = self.warehouse_code

        issuer = self.issuer

        receipt_number = self.receipt_number

        goods_type = self.goods_type

        quantity = self.quantity

        unit = self.unit

        location = self.location

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "customer_id": customer_id,
                "warehouse_code": warehouse_code,
                "issuer": issuer,
                "receipt_number": receipt_number,
                "goods_type": goods_type,
                "quantity": quantity,
                "unit": unit,
                "location": location,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        customer_id = UUID(d.pop("customer_id"))

        warehouse_code = d.pop("warehouse_code")

        issuer = d.pop("issuer")

        receipt_number = d.pop("receipt_number")

        goods_type = d.pop("goods_type")

        quantity = d.pop("quantity")

        unit = d.pop("unit")

        location = d.pop("location")

        warehouse_receipt_in = cls(
            customer_id=customer_id,
            warehouse_code=warehouse_code,
            issuer=issuer,
            receipt_number=receipt_number,
            goods_type=goods_type,
            quantity=quantity,
            unit=unit,
            location=location,
        )

        return warehouse_receipt_in
