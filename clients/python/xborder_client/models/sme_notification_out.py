from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.sme_notification_out_data import SmeNotificationOutData


T = TypeVar("T", bound="SmeNotificationOut")


@_attrs_define
class SmeNotificationOut:
    id: UUID
    kind: str
    """ sme.offer_ready | sme.payment_due | sme.overdue | sme.margin_call (the webhook event of the same type
    carries the same data) """
    loan_id: None | UUID
    data: SmeNotificationOutData
    """ what happened: amounts as decimal strings with their `currency`, dates ISO """
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        kind = self.kind

        loan_id: None | str
        if isinstance(self.loan_id, UUID):
            loan_id = str(self.loan_id)
        else:
            loan_id = self.loan_id

        data = self.data.to_dict()

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "loan_id": loan_id,
                "data": data,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sme_notification_out_data import SmeNotificationOutData  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        kind = d.pop("kind")

        def _parse_loan_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                loan_id_type_0 = UUID(data)

                return loan_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        loan_id = _parse_loan_id(d.pop("loan_id"))

        data = SmeNotificationOutData.from_dict(d.pop("data"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        sme_notification_out = cls(
            id=id,
            kind=kind,
            loan_id=loan_id,
            data=data,
            created_at=created_at,
        )

        sme_notification_out.additional_properties = d
        return sme_notification_out

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
