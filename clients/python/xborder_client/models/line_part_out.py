from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="LinePartOut")


@_attrs_define
class LinePartOut:
    """One transaction of a batch entry (a camt ``TxDtls``); its amount is in the line's currency."""

    index: int
    amount: None | str
    """ signed like the line; null when the bank gives no amount in the line's currency """
    end_to_end_ref: None | str
    instruction_id: None | str
    tx_id: None | str
    bank_ref: None | str
    reference: None | str
    counterparty_name: None | str
    counterparty_account: None | str
    description: str
    entry_id: None | str
    """ the ledger entry the part matched (rule batch_reference); in the exceptions queue, the one it would match
    """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        index = self.index

        amount: None | str
        amount = self.amount

        end_to_end_ref: None | str
        end_to_end_ref = self.end_to_end_ref

        instruction_id: None | str
        instruction_id = self.instruction_id

        tx_id: None | str
        tx_id = self.tx_id

        bank_ref: None | str
        bank_ref = self.bank_ref

        reference: None | str
        reference = self.reference

        counterparty_name: None | str
        counterparty_name = self.counterparty_name

        counterparty_account: None | str
        counterparty_account = self.counterparty_account

        description = self.description

        entry_id: None | str
        entry_id = self.entry_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "index": index,
                "amount": amount,
                "end_to_end_ref": end_to_end_ref,
                "instruction_id": instruction_id,
                "tx_id": tx_id,
                "bank_ref": bank_ref,
                "reference": reference,
                "counterparty_name": counterparty_name,
                "counterparty_account": counterparty_account,
                "description": description,
                "entry_id": entry_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        index = d.pop("index")

        def _parse_amount(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        amount = _parse_amount(d.pop("amount"))

        def _parse_end_to_end_ref(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        end_to_end_ref = _parse_end_to_end_ref(d.pop("end_to_end_ref"))

        def _parse_instruction_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        instruction_id = _parse_instruction_id(d.pop("instruction_id"))

        def _parse_tx_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        tx_id = _parse_tx_id(d.pop("tx_id"))

        def _parse_bank_ref(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        bank_ref = _parse_bank_ref(d.pop("bank_ref"))

        def _parse_reference(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reference = _parse_reference(d.pop("reference"))

        def _parse_counterparty_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        counterparty_name = _parse_counterparty_name(d.pop("counterparty_name"))

        def _parse_counterparty_account(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        counterparty_account = _parse_counterparty_account(d.pop("counterparty_account"))

        description = d.pop("description")

        def _parse_entry_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        entry_id = _parse_entry_id(d.pop("entry_id"))

        line_part_out = cls(
            index=index,
            amount=amount,
            end_to_end_ref=end_to_end_ref,
            instruction_id=instruction_id,
            tx_id=tx_id,
            bank_ref=bank_ref,
            reference=reference,
            counterparty_name=counterparty_name,
            counterparty_account=counterparty_account,
            description=description,
            entry_id=entry_id,
        )

        line_part_out.additional_properties = d
        return line_part_out

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
