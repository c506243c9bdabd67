from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

if TYPE_CHECKING:
    from ..models.proposal_out_payload import ProposalOutPayload


T = TypeVar("T", bound="ProposalOut")


@_attrs_define
class ProposalOut:
    id: UUID
    recon_account_id: UUID
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    kind: str
    status: str
    maker_id: str
    maker_name: str
    approver_id: None | str
    approver_name: None | str
    decided_at: datetime.datetime | None
    line_ids: list[str]
    entry_ids: list[str]
    payload: ProposalOutPayload
    """ what is proposed; amounts are decimal strings in `currency` (difference, fee, parts[].amount,
    adjustment.amount) """
    note: str
    reason: None | str
    transaction_id: None | UUID
    match_id: None | UUID
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        recon_account_id = str(self.recon_account_id)

        currency: str = self.currency

        kind = self.kind

        status = self.status

        maker_id = self.maker_id

        maker_name = self.maker_name

        approver_id: None | str
        approver_id = self.approver_id

        approver_name: None | str
        approver_name = self.approver_name

        decided_at: None | str
        if isinstance(self.decided_at, datetime.datetime):
            decided_at = self.decided_at.isoformat()
        else:
            decided_at = self.decided_at

        line_ids = self.line_ids

        entry_ids = self.entry_ids

        payload = self.payload.to_dict()

        note = self.note

        reason: None | str
        reason = self.reason

        transaction_id: None | str
        if isinstance(self.transaction_id, UUID):
            transaction_id = str(self.transaction_id)
        else:
            transaction_id = self.transaction_id

        match_id: None | str
        if isinstance(self.match_id, UUID):
            match_id = str(self.match_id)
        else:
            match_id = self.match_id

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "recon_account_id": recon_account_id,
                "currency": currency,
                "kind": kind,
                "status": status,
                "maker_id": maker_id,
                "maker_name": maker_name,
                "approver_id": approver_id,
                "approver_name": approver_name,
                "decided_at": decided_at,
                "line_ids": line_ids,
                "entry_ids": entry_ids,
                "payload": payload,
                "note": note,
                "reason": reason,
                "transaction_id": transaction_id,
                "match_id": match_id,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.proposal_out_payload import ProposalOutPayload  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        recon_account_id = UUID(d.pop("recon_account_id"))

        currency = check_currency(d.pop("currency"))

        kind = d.pop("kind")

        status = d.pop("status")

        maker_id = d.pop("maker_id")

        maker_name = d.pop("maker_name")

        def _parse_approver_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        approver_id = _parse_approver_id(d.pop("approver_id"))

        def _parse_approver_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        approver_name = _parse_approver_name(d.pop("approver_name"))

        def _parse_decided_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                decided_at_type_0 = datetime.datetime.fromisoformat(data)

                return decided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        decided_at = _parse_decided_at(d.pop("decided_at"))

        line_ids = cast(list[str], d.pop("line_ids"))

        entry_ids = cast(list[str], d.pop("entry_ids"))

        payload = ProposalOutPayload.from_dict(d.pop("payload"))

        note = d.pop("note")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

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

        def _parse_match_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                match_id_type_0 = UUID(data)

                return match_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        match_id = _parse_match_id(d.pop("match_id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        proposal_out = cls(
            id=id,
            recon_account_id=recon_account_id,
            currency=currency,
            kind=kind,
            status=status,
            maker_id=maker_id,
            maker_name=maker_name,
            approver_id=approver_id,
            approver_name=approver_name,
            decided_at=decided_at,
            line_ids=line_ids,
            entry_ids=entry_ids,
            payload=payload,
            note=note,
            reason=reason,
            transaction_id=transaction_id,
            match_id=match_id,
            created_at=created_at,
        )

        proposal_out.additional_properties = d
        return proposal_out

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
