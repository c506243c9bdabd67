from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.policy_in_buyer_limits import PolicyInBuyerLimits


T = TypeVar("T", bound="PolicyIn")


@_attrs_define
class PolicyIn:
    customer_id: UUID
    policy_number: str
    """ printable characters (ASCII, Latin-1 letters, CJK punctuation and ideographs, full-width forms), not blank;
    leading and trailing spaces are dropped """
    insurer_code: str
    """ the insurer's code: with the normalized policy number, the policy's identity """
    insurer: str
    """ the insurer's name (display only) """
    coverage_ratio: str
    """ Decimal ratio from 0 to 1, as a string """
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    buyer_limits: PolicyInBuyerLimits | Unset = UNSET
    """ buyer's registry code -> credit limit in `currency` """
    valid_until: datetime.date | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        customer_id = str(self.customer_id)

        policy_number = self.policy_number

        insurer_code = self.insurer_code

        insurer = self.insurer

        coverage_ratio = self.coverage_ratio

        currency: str = self.currency

        buyer_limits: dict[str, Any] | Unset = UNSET
        if not isinstance(self.buyer_limits, Unset):
            buyer_limits = self.buyer_limits.to_dict()

        valid_until: None | str | Unset
        if isinstance(self.valid_until, Unset):
            valid_until = UNSET
        elif isinstance(self.valid_until, datetime.date):
            valid_until = self.valid_until.isoformat()
        else:
            valid_until = self.valid_until

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "customer_id": customer_id,
                "policy_number": policy_number,
                "insurer_code": insurer_code,
                "insurer": insurer,
                "coverage_ratio": coverage_ratio,
                "currency": currency,
            }
        )
        if buyer_limits is not UNSET:
            field_dict["buyer_limits"] = buyer_limits
        if valid_until is not UNSET:
            field_dict["valid_until"] = valid_until

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.policy_in_buyer_limits import PolicyInBuyerLimits  # noqa: PLC0415

        d = dict(src_dict)
        customer_id = UUID(d.pop("customer_id"))

        policy_number = d.pop("policy_number")

        insurer_code = d.pop("insurer_code")

        insurer = d.pop("insurer")

        coverage_ratio = d.pop("coverage_ratio")

        currency = check_currency(d.pop("currency"))

        _buyer_limits = d.pop("buyer_limits", UNSET)
        buyer_limits: PolicyInBuyerLimits | Unset
        if isinstance(_buyer_limits, Unset):
            buyer_limits = UNSET
        else:
            buyer_limits = PolicyInBuyerLimits.from_dict(_buyer_limits)

        def _parse_valid_until(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_until_type_0 = datetime.date.fromisoformat(data)

                return valid_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        valid_until = _parse_valid_until(d.pop("valid_until", UNSET))

        policy_in = cls(
            customer_id=customer_id,
            policy_number=policy_number,
            insurer_code=insurer_code,
            insurer=insurer,
            coverage_ratio=coverage_ratio,
            currency=currency,
            buyer_limits=buyer_limits,
            valid_until=valid_until,
        )

        return policy_in
