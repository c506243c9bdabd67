from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.currency import Currency, check_currency

T = TypeVar("T", bound="ReconMatchOut")


@_attrs_define
class ReconMatchOut:
    id: UUID
    recon_account_id: UUID
    rule: str
    status: str
    difference: str
    """ statement lines minus ledger entries (bank charges of a fee match), in `currency` """
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    line_ids: list[str]
    entry_ids: list[str]
    fee_transaction_id: None | UUID
    proposal_id: None | UUID
    created_by: str
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        recon_account_id = str(self.recon_account_id)

        rule = self.rule

        status = self.status

        difference = self.difference

        currency: str = self.currency

        line_ids = self.line_ids

        entry_ids = self.entry_ids

        fee_transaction_id: None | str
        if isinstance(self.fee_transaction_id, UUID):
            fee_transaction_id = str(self.fee_transaction_id)
        else:
            fee_transaction_id = self.fee_transaction_id

        proposal_id: None | str
        if isinstance(self.proposal_id, UUID):
            proposal_id = str(self.proposal_id)
        else:
            proposal_id = self.proposal_id

        created_by = self.created_by

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "recon_account_id": recon_account_id,
                "rule": rule,
                "status": status,
                "difference": difference,
                "currency": currency,
                "line_ids": line_ids,
                "entry_ids": entry_ids,
                "fee_transaction_id": fee_transaction_id,
                "proposal_id": proposal_id,
                "created_by": created_by,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        recon_account_id = UUID(d.pop("recon_account_id"))

        rule = d.pop("rule")

        status = d.pop("status")

        difference = d.pop("difference")

        currency = check_currency(d.pop("currency"))

        line_ids = cast(list[str], d.pop("line_ids"))

        entry_ids = cast(list[str], d.pop("entry_ids"))

        def _parse_fee_transaction_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                fee_transaction_id_type_0 = UUID(data)

                return fee_transaction_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        fee_transaction_id = _parse_fee_transaction_id(d.pop("fee_transaction_id"))

        def _parse_proposal_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                proposal_id_type_0 = UUID(data)

                return proposal_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        proposal_id = _parse_proposal_id(d.pop("proposal_id"))

        created_by = d.pop("created_by")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        recon_match_out = cls(
            id=id,
            recon_account_id=recon_account_id,
            rule=rule,
            status=status,
            difference=difference,
            currency=currency,
            line_ids=line_ids,
            entry_ids=entry_ids,
            fee_transaction_id=fee_transaction_id,
            proposal_id=proposal_id,
            created_by=created_by,
            created_at=created_at,
        )

        recon_match_out.additional_properties = d
        return recon_match_out

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
