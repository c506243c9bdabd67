from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..models.models_statement_line_out_side import ModelsStatementLineOutSide, check_models_statement_line_out_side

T = TypeVar("T", bound="ModelsStatementLineOut")


@_attrs_define
class ModelsStatementLineOut:
    account_id: UUID
    account_version: int
    """ the line's position in the account's history """
    transaction_id: UUID
    kind: str
    phase: str
    side: ModelsStatementLineOutSide
    amount: str
    """ Decimal amount in major units with the currency's decimals """
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    balance_after: str
    """ posted balance after this line, on the account's normal side """
    effective_date: datetime.date
    recorded_at: datetime.datetime
    description: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account_id = str(self.account_id)

        account_version = self.account_version

        transaction_id = str(self.transaction_id)

        kind = self.kind

        phase = self.phase

        side: str = self.side

        amount = self.amount

        currency: str = self.currency

        balance_after = self.balance_after

        effective_date = self.effective_date.isoformat()

        recorded_at = self.recorded_at.isoformat()

        description = self.description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "account_id": account_id,
                "account_version": account_version,
                "transaction_id": transaction_id,
                "kind": kind,
                "phase": phase,
                "side": side,
                "amount": amount,
                "currency": currency,
                "balance_after": balance_after,
                "effective_date": effective_date,
                "recorded_at": recorded_at,
                "description": description,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        account_id = UUID(d.pop("account_id"))

        account_version = d.pop("account_version")

        transaction_id = UUID(d.pop("transaction_id"))

        kind = d.pop("kind")

        phase = d.pop("phase")

        side = check_models_statement_line_out_side(d.pop("side"))

        amount = d.pop("amount")

        currency = check_currency(d.pop("currency"))

        balance_after = d.pop("balance_after")

        effective_date = datetime.date.fromisoformat(d.pop("effective_date"))

        recorded_at = datetime.datetime.fromisoformat(d.pop("recorded_at"))

        description = d.pop("description")

        models_statement_line_out = cls(
            account_id=account_id,
            account_version=account_version,
            transaction_id=transaction_id,
            kind=kind,
            phase=phase,
            side=side,
            amount=amount,
            currency=currency,
            balance_after=balance_after,
            effective_date=effective_date,
            recorded_at=recorded_at,
            description=description,
        )

        models_statement_line_out.additional_properties = d
        return models_statement_line_out

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
