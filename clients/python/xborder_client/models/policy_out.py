from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

if TYPE_CHECKING:
    from ..models.policy_out_buyer_limits import PolicyOutBuyerLimits


T = TypeVar("T", bound="PolicyOut")


@_attrs_define
class PolicyOut:
    id: UUID
    customer_id: UUID
    insurer_code: None | str
    insurer: str
    policy_number: str
    coverage_ratio: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    valid_until: datetime.date | None
    buyer_limits: PolicyOutBuyerLimits
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        customer_id = str(self.customer_id)

        insurer_code: None | str
        insurer_code = self.insurer_code

        insurer = self.insurer

        policy_number = self.policy_number

        coverage_ratio = self.coverage_ratio

        currency: str = self.currency

        valid_until: None | str
        if isinstance(self.valid_until, datetime.date):
            valid_until = self.valid_until.isoformat()
        else:
            valid_until = self.valid_until

        buyer_limits = self.buyer_limits.to_dict()

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "customer_id": customer_id,
                "insurer_code": insurer_code,
                "insurer": insurer,
                "policy_number": policy_number,
                "coverage_ratio": coverage_ratio,
                "currency": currency,
                "valid_until": valid_until,
                "buyer_limits": buyer_limits,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.policy_out_buyer_limits import PolicyOutBuyerLimits  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        customer_id = UUID(d.pop("customer_id"))

        def _parse_insurer_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        insurer_code = _parse_insurer_code(d.pop("insurer_code"))

        insurer = d.pop("insurer")

        policy_number = d.pop("policy_number")

        coverage_ratio = d.pop("coverage_ratio")

        currency = check_currency(d.pop("currency"))

        def _parse_valid_until(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_until_type_0 = datetime.date.fromisoformat(data)

                return valid_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        valid_until = _parse_valid_until(d.pop("valid_until"))

        buyer_limits = PolicyOutBuyerLimits.from_dict(d.pop("buyer_limits"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        policy_out = cls(
            id=id,
            customer_id=customer_id,
            insurer_code=insurer_code,
            insurer=insurer,
            policy_number=policy_number,
            coverage_ratio=coverage_ratio,
            currency=currency,
            valid_until=valid_until,
            buyer_limits=buyer_limits,
            created_at=created_at,
        )

        policy_out.additional_properties = d
        return policy_out

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
