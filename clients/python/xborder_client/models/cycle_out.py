from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.cycle_out_status import CycleOutStatus, check_cycle_out_status

if TYPE_CHECKING:
    from ..models.currency_total_out import CurrencyTotalOut
    from ..models.cycle_out_central_accounts import CycleOutCentralAccounts
    from ..models.instruction_out import InstructionOut
    from ..models.position_out import PositionOut


T = TypeVar("T", bound="CycleOut")


@_attrs_define
class CycleOut:
    id: UUID
    ledger_id: UUID
    kind: str
    reference: None | str
    description: str
    status: CycleOutStatus
    business_date: datetime.date
    obligation_count: int
    opened_at: datetime.datetime
    closed_at: datetime.datetime | None
    transaction_id: None | UUID
    positions: list[PositionOut]
    instructions: list[InstructionOut]
    totals: list[CurrencyTotalOut]
    """ per currency: paid into and out of the central account """
    central_accounts: CycleOutCentralAccounts
    preview: bool
    """ true while open: positions and instructions as they would be if closed now """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        ledger_id = str(self.ledger_id)

        kind = self.kind

        reference: None | str
        reference = self.reference

        description = self.description

        status: str = self.status

        business_date = self.business_date.isoformat()

        obligation_count = self.obligation_count

        opened_at = self.opened_at.isoformat()

        closed_at: None | str
        if isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        transaction_id: None | str
        if isinstance(self.transaction_id, UUID):
            transaction_id = str(self.transaction_id)
        else:
            transaction_id = self.transaction_id

        positions = []
        for positions_item_data in self.positions:
            positions_item = positions_item_data.to_dict()
            positions.append(positions_item)

        instructions = []
        for instructions_item_data in self.instructions:
            instructions_item = instructions_item_data.to_dict()
            instructions.append(instructions_item)

        totals = []
        for totals_item_data in self.totals:
            totals_item = totals_item_data.to_dict()
            totals.append(totals_item)

        central_accounts = self.central_accounts.to_dict()

        preview = self.preview

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "ledger_id": ledger_id,
                "kind": kind,
                "reference": reference,
                "description": description,
                "status": status,
                "business_date": business_date,
                "obligation_count": obligation_count,
                "opened_at": opened_at,
                "closed_at": closed_at,
                "transaction_id": transaction_id,
                "positions": positions,
                "instructions": instructions,
                "totals": totals,
                "central_accounts": central_accounts,
                "preview": preview,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.currency_total_out import CurrencyTotalOut  # noqa: PLC0415
        from ..models.cycle_out_central_accounts import CycleOutCentralAccounts  # noqa: PLC0415
        from ..models.instruction_out import InstructionOut  # noqa: PLC0415
        from ..models.position_out import PositionOut  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        ledger_id = UUID(d.pop("ledger_id"))

        kind = d.pop("kind")

        def _parse_reference(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reference = _parse_reference(d.pop("reference"))

        description = d.pop("description")

        status = check_cycle_out_status(d.pop("status"))

        business_date = datetime.date.fromisoformat(d.pop("business_date"))

        obligation_count = d.pop("obligation_count")

        opened_at = datetime.datetime.fromisoformat(d.pop("opened_at"))

        def _parse_closed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)

                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        closed_at = _parse_closed_at(d.pop("closed_at"))

        def _parse_transaction_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                transaction_id_type_0 = UUID(data)

                return transaction_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        transaction_id = _parse_transaction_id(d.pop("transaction_id"))

        positions = []
        _positions = d.pop("positions")
        for positions_item_data in _positions:
            positions_item = PositionOut.from_dict(positions_item_data)

            positions.append(positions_item)

        instructions = []
        _instructions = d.pop("instructions")
        for instructions_item_data in _instructions:
            instructions_item = InstructionOut.from_dict(instructions_item_data)

            instructions.append(instructions_item)

        totals = []
        _totals = d.pop("totals")
        for totals_item_data in _totals:
            totals_item = CurrencyTotalOut.from_dict(totals_item_data)

            totals.append(totals_item)

        central_accounts = CycleOutCentralAccounts.from_dict(d.pop("central_accounts"))

        preview = d.pop("preview")

        cycle_out = cls(
            id=id,
            ledger_id=ledger_id,
            kind=kind,
            reference=reference,
            description=description,
            status=status,
            business_date=business_date,
            obligation_count=obligation_count,
            opened_at=opened_at,
            closed_at=closed_at,
            transaction_id=transaction_id,
            positions=positions,
            instructions=instructions,
            totals=totals,
            central_accounts=central_accounts,
            preview=preview,
        )

        cycle_out.additional_properties = d
        return cycle_out

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
