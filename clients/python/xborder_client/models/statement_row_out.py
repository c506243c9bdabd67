from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

T = TypeVar("T", bound="StatementRowOut")


@_attrs_define
class StatementRowOut:
    id: UUID
    recon_account_id: UUID
    bank_account: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    format_: str
    statement_id: str
    entry_count: int
    credits_: str
    debits: str
    opening_balance: None | str
    closing_balance: None | str
    balance_mismatch: None | str
    filename: str
    imported_by: str
    imported_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        recon_account_id = str(self.recon_account_id)

        bank_account = self.bank_account

        currency: str = self.currency

        format_ = self.format_

        statement_id = self.statement_id

        entry_count = self.entry_count

        credits_ = self.credits_

        debits = self.debits

        opening_balance: None | str
        opening_balance = self.opening_balance

        closing_balance: None | str
        closing_balance = self.closing_balance

        balance_mismatch: None | str
        balance_mismatch = self.balance_mismatch

        filename = self.filename

        imported_by = self.imported_by

        imported_at = self.imported_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "recon_account_id": recon_account_id,
                "bank_account": bank_account,
                "currency": currency,
                "format": format_,
                "statement_id": statement_id,
                "entry_count": entry_count,
                "credits": credits_,
                "debits": debits,
                "opening_balance": opening_balance,
                "closing_balance": closing_balance,
                "balance_mismatch": balance_mismatch,
                "filename": filename,
                "imported_by": imported_by,
                "imported_at": imported_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        recon_account_id = UUID(d.pop("recon_account_id"))

        bank_account = d.pop("bank_account")

        currency = check_currency(d.pop("currency"))

        format_ = d.pop("format")

        statement_id = d.pop("statement_id")

        entry_count = d.pop("entry_count")

        credits_ = d.pop("credits")

        debits = d.pop("debits")

        def _parse_opening_balance(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        opening_balance = _parse_opening_balance(d.pop("opening_balance"))

        def _parse_closing_balance(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        closing_balance = _parse_closing_balance(d.pop("closing_balance"))

        def _parse_balance_mismatch(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        balance_mismatch = _parse_balance_mismatch(d.pop("balance_mismatch"))

        filename = d.pop("filename")

        imported_by = d.pop("imported_by")

        imported_at = datetime.datetime.fromisoformat(d.pop("imported_at"))

        statement_row_out = cls(
            id=id,
            recon_account_id=recon_account_id,
            bank_account=bank_account,
            currency=currency,
            format_=format_,
            statement_id=statement_id,
            entry_count=entry_count,
            credits_=credits_,
            debits=debits,
            opening_balance=opening_balance,
            closing_balance=closing_balance,
            balance_mismatch=balance_mismatch,
            filename=filename,
            imported_by=imported_by,
            imported_at=imported_at,
        )

        statement_row_out.additional_properties = d
        return statement_row_out

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
