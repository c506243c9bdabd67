from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency
from ..models.recon_statement_line_out_status import ReconStatementLineOutStatus, check_recon_statement_line_out_status

if TYPE_CHECKING:
    from ..models.line_part_out import LinePartOut


T = TypeVar("T", bound="ReconStatementLineOut")


@_attrs_define
class ReconStatementLineOut:
    id: UUID
    recon_account_id: UUID
    statement_row_id: None | UUID
    index: int
    amount: str
    """ signed: + money in at the bank, - money out; in `currency` """
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    booking_date: datetime.date | None
    value_date: datetime.date
    end_to_end_ref: None | str
    bank_ref: None | str
    reference: None | str
    description: str
    counterparty_name: None | str
    counterparty_account: None | str
    status: ReconStatementLineOutStatus
    parts: list[LinePartOut]
    """ a batch entry (several TxDtls): one part per transaction; empty otherwise """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        recon_account_id = str(self.recon_account_id)

        statement_row_id: None | str
        if isinstance(self.statement_row_id, UUID):
            statement_row_id = str(self.statement_row_id)
        else:
            statement_row_id = self.statement_row_id

        index = self.index

        amount = self.amount

        currency: str = self.currency

        booking_date: None | str
        if isinstance(self.booking_date, datetime.date):
            booking_date = self.booking_date.isoformat()
        else:
            booking_date = self.booking_date

        value_date = self.value_date.isoformat()

        end_to_end_ref: None | str
        end_to_end_ref = self.end_to_end_ref

        bank_ref: None | str
        bank_ref = self.bank_ref

        reference: None | str
        reference = self.reference

        description = self.description

        counterparty_name: None | str
        counterparty_name = self.counterparty_name

        counterparty_account: None | str
        counterparty_account = self.counterparty_account

        status: str = self.status

        parts = []
        for parts_item_data in self.parts:
            parts_item = parts_item_data.to_dict()
            parts.append(parts_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "recon_account_id": recon_account_id,
                "statement_row_id": statement_row_id,
                "index": index,
                "amount": amount,
                "currency": currency,
                "booking_date": booking_date,
                "value_date": value_date,
                "end_to_end_ref": end_to_end_ref,
                "bank_ref": bank_ref,
                "reference": reference,
                "description": description,
                "counterparty_name": counterparty_name,
                "counterparty_account": counterparty_account,
                "status": status,
                "parts": parts,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.line_part_out import LinePartOut  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        recon_account_id = UUID(d.pop("recon_account_id"))

        def _parse_statement_row_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                statement_row_id_type_0 = UUID(data)

                return statement_row_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        statement_row_id = _parse_statement_row_id(d.pop("statement_row_id"))

        index = d.pop("index")

        amount = d.pop("amount")

        currency = check_currency(d.pop("currency"))

        def _parse_booking_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                booking_date_type_0 = datetime.date.fromisoformat(data)

                return booking_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        booking_date = _parse_booking_date(d.pop("booking_date"))

        value_date = datetime.date.fromisoformat(d.pop("value_date"))

        def _parse_end_to_end_ref(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        end_to_end_ref = _parse_end_to_end_ref(d.pop("end_to_end_ref"))

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

        description = d.pop("description")

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

        status = check_recon_statement_line_out_status(d.pop("status"))

        parts = []
        _parts = d.pop("parts")
        for parts_item_data in _parts:
            parts_item = LinePartOut.from_dict(parts_item_data)

            parts.append(parts_item)

        recon_statement_line_out = cls(
            id=id,
            recon_account_id=recon_account_id,
            statement_row_id=statement_row_id,
            index=index,
            amount=amount,
            currency=currency,
            booking_date=booking_date,
            value_date=value_date,
            end_to_end_ref=end_to_end_ref,
            bank_ref=bank_ref,
            reference=reference,
            description=description,
            counterparty_name=counterparty_name,
            counterparty_account=counterparty_account,
            status=status,
            parts=parts,
        )

        recon_statement_line_out.additional_properties = d
        return recon_statement_line_out

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
