from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

T = TypeVar("T", bound="ImportedStatementOut")


@_attrs_define
class ImportedStatementOut:
    id: None | UUID
    statement_id: str
    account: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    format_: str
    entries: int
    duplicate: bool
    """ already imported before: nothing was added """
    balance_mismatch: None | str
    """ opening + entries - closing, when the bank's balances disagree with its entries """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id: None | str
        if isinstance(self.id, UUID):
            id = str(self.id)
        else:
            id = self.id

        statement_id = self.statement_id

        account = self.account

        currency: str = self.currency

        format_ = self.format_

        entries = self.entries

        duplicate = self.duplicate

        balance_mismatch: None | str
        balance_mismatch = self.balance_mismatch

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "statement_id": statement_id,
                "account": account,
                "currency": currency,
                "format": format_,
                "entries": entries,
                "duplicate": duplicate,
                "balance_mismatch": balance_mismatch,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                id_type_0 = UUID(data)

                return id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        id = _parse_id(d.pop("id"))

        statement_id = d.pop("statement_id")

        account = d.pop("account")

        currency = check_currency(d.pop("currency"))

        format_ = d.pop("format")

        entries = d.pop("entries")

        duplicate = d.pop("duplicate")

        def _parse_balance_mismatch(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        balance_mismatch = _parse_balance_mismatch(d.pop("balance_mismatch"))

        imported_statement_out = cls(
            id=id,
            statement_id=statement_id,
            account=account,
            currency=currency,
            format_=format_,
            entries=entries,
            duplicate=duplicate,
            balance_mismatch=balance_mismatch,
        )

        imported_statement_out.additional_properties = d
        return imported_statement_out

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
