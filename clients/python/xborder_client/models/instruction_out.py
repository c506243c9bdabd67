from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..models.instruction_out_direction import InstructionOutDirection, check_instruction_out_direction

T = TypeVar("T", bound="InstructionOut")


@_attrs_define
class InstructionOut:
    seq: int
    account_id: UUID
    account_code: None | str
    owner_ref: None | str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    direction: InstructionOutDirection
    """ pay: the participant pays the central account; receive: the central account pays it """
    amount: str
    """ Decimal amount in major units with the currency's decimals """
    from_account_id: UUID
    to_account_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        seq = self.seq

        account_id = str(self.account_id)

        account_code: None | str
        account_code = self.account_code

        owner_ref: None | str
        owner_ref = self.owner_ref

        currency: str = self.currency

        direction: str = self.direction

        amount = self.amount

        from_account_id = str(self.from_account_id)

        to_account_id = str(self.to_account_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "seq": seq,
                "account_id": account_id,
                "account_code": account_code,
                "owner_ref": owner_ref,
                "currency": currency,
                "direction": direction,
                "amount": amount,
                "from_account_id": from_account_id,
                "to_account_id": to_account_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        seq = d.pop("seq")

        account_id = UUID(d.pop("account_id"))

        def _parse_account_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        account_code = _parse_account_code(d.pop("account_code"))

        def _parse_owner_ref(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        owner_ref = _parse_owner_ref(d.pop("owner_ref"))

        currency = check_currency(d.pop("currency"))

        direction = check_instruction_out_direction(d.pop("direction"))

        amount = d.pop("amount")

        from_account_id = UUID(d.pop("from_account_id"))

        to_account_id = UUID(d.pop("to_account_id"))

        instruction_out = cls(
            seq=seq,
            account_id=account_id,
            account_code=account_code,
            owner_ref=owner_ref,
            currency=currency,
            direction=direction,
            amount=amount,
            from_account_id=from_account_id,
            to_account_id=to_account_id,
        )

        instruction_out.additional_properties = d
        return instruction_out

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
