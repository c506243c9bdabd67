from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WarehouseReceiptOut")


@_attrs_define
class WarehouseReceiptOut:
    id: UUID
    customer_id: UUID
    warehouse_code: None | str
    issuer: str
    receipt_number: str
    goods_type: str
    quantity: str
    unit: str
    location: str
    status: str
    verified_by: None | str
    verified_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        customer_id = str(self.customer_id)

        warehouse_code: None | str
        warehouse_code = self.warehouse_code

        issuer = self.issuer

        receipt_number = self.receipt_number

        goods_type = self.goods_type

        quantity = self.quantity

        unit = self.unit

        location = self.location

        status = self.status

        verified_by: None | str
        verified_by = self.verified_by

        verified_at: None | str
        if isinstance(self.verified_at, datetime.datetime):
            verified_at = self.verified_at.isoformat()
        else:
            verified_at = self.verified_at

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "customer_id": customer_id,
                "warehouse_code": warehouse_code,
                "issuer": issuer,
                "receipt_number": receipt_number,
                "goods_type": goods_type,
                "quantity": quantity,
                "unit": unit,
                "location": location,
                "status": status,
                "verified_by": verified_by,
                "verified_at": verified_at,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        customer_id = UUID(d.pop("customer_id"))

        def _parse_warehouse_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        warehouse_code = _parse_warehouse_code(d.pop("warehouse_code"))

        issuer = d.pop("issuer")

        receipt_number = d.pop("receipt_number")

        goods_type = d.pop("goods_type")

        quantity = d.pop("quantity")

        unit = d.pop("unit")

        location = d.pop("location")

        status = d.pop("status")

        def _parse_verified_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        verified_by = _parse_verified_by(d.pop("verified_by"))

        def _parse_verified_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                verified_at_type_0 = datetime.datetime.fromisoformat(data)

                return verified_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        verified_at = _parse_verified_at(d.pop("verified_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        warehouse_receipt_out = cls(
            id=id,
            customer_id=customer_id,
            warehouse_code=warehouse_code,
            issuer=issuer,
            receipt_number=receipt_number,
            goods_type=goods_type,
            quantity=quantity,
            unit=unit,
            location=location,
            status=status,
            verified_by=verified_by,
            verified_at=verified_at,
            created_at=created_at,
            updated_at=updated_at,
        )

        warehouse_receipt_out.additional_properties = d
        return warehouse_receipt_out

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
