from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.sme_margin_call_margin_call import SmeMarginCallMarginCall


T = TypeVar("T", bound="SmeMarginCall")


@_attrs_define
class SmeMarginCall:
    notice_id: str
    """ the notification (as listed for the SME user) """
    customer_id: str
    """ the merchant told """
    margin_call: SmeMarginCallMarginCall
    """ the margin call as in `collateral.margin_call_opened` (shortfall, collateral, cure_by) """
    loan_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        notice_id = self.notice_id

        customer_id = self.customer_id

        margin_call = self.margin_call.to_dict()

        loan_id: None | str | Unset
        if isinstance(self.loan_id, Unset):
            loan_id = UNSET
        else:
            loan_id = self.loan_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "notice_id": notice_id,
                "customer_id": customer_id,
                "margin_call": margin_call,
            }
        )
        if loan_id is not UNSET:
            field_dict["loan_id"] = loan_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sme_margin_call_margin_call import SmeMarginCallMarginCall  # noqa: PLC0415

        d = dict(src_dict)
        notice_id = d.pop("notice_id")

        customer_id = d.pop("customer_id")

        margin_call = SmeMarginCallMarginCall.from_dict(d.pop("margin_call"))

        def _parse_loan_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        loan_id = _parse_loan_id(d.pop("loan_id", UNSET))

        sme_margin_call = cls(
            notice_id=notice_id,
            customer_id=customer_id,
            margin_call=margin_call,
            loan_id=loan_id,
        )

        sme_margin_call.additional_properties = d
        return sme_margin_call

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
