from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="VerificationOut")


@_attrs_define
class VerificationOut:
    ledger_id: UUID
    ok: bool
    transactions_checked: int
    head_seq: int
    first_bad_seq: int | None
    first_bad_transaction: None | UUID
    problem: None | str
    checkpoints_checked: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ledger_id = str(self.ledger_id)

        ok = self.ok

        transactions_checked = self.transactions_checked

        head_seq = self.head_seq

        first_bad_seq: int | None
        first_bad_seq = self.first_bad_seq

        first_bad_transaction: None | str
        if isinstance(self.first_bad_transaction, UUID):
            first_bad_transaction = str(self.first_bad_transaction)
        else:
            first_bad_transaction = self.first_bad_transaction

        problem: None | str
        problem = self.problem

        checkpoints_checked = self.checkpoints_checked

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ledger_id": ledger_id,
                "ok": ok,
                "transactions_checked": transactions_checked,
                "head_seq": head_seq,
                "first_bad_seq": first_bad_seq,
                "first_bad_transaction": first_bad_transaction,
                "problem": problem,
                "checkpoints_checked": checkpoints_checked,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ledger_id = UUID(d.pop("ledger_id"))

        ok = d.pop("ok")

        transactions_checked = d.pop("transactions_checked")

        head_seq = d.pop("head_seq")

        def _parse_first_bad_seq(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        first_bad_seq = _parse_first_bad_seq(d.pop("first_bad_seq"))

        def _parse_first_bad_transaction(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                first_bad_transaction_type_0 = UUID(data)

                return first_bad_transaction_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        first_bad_transaction = _parse_first_bad_transaction(d.pop("first_bad_transaction"))

        def _parse_problem(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        problem = _parse_problem(d.pop("problem"))

        checkpoints_checked = d.pop("checkpoints_checked")

        verification_out = cls(
            ledger_id=ledger_id,
            ok=ok,
            transactions_checked=transactions_checked,
            head_seq=head_seq,
            first_bad_seq=first_bad_seq,
            first_bad_transaction=first_bad_transaction,
            problem=problem,
            checkpoints_checked=checkpoints_checked,
        )

        verification_out.additional_properties = d
        return verification_out

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
