from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.posting_out import PostingOut
    from ..models.transaction_out_metadata import TransactionOutMetadata


T = TypeVar("T", bound="TransactionOut")


@_attrs_define
class TransactionOut:
    id: UUID
    ledger_id: UUID
    seq: int
    kind: str
    effective_date: datetime.date
    recorded_at: datetime.datetime
    description: str
    metadata: TransactionOutMetadata
    pending_id: None | UUID
    reverses_id: None | UUID
    expires_at: datetime.datetime | None
    pending_state: None | str
    """ for pending transactions: open, posted, voided or expired """
    reversed_by: None | UUID
    hash_: str
    postings: list[PostingOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        ledger_id = str(self.ledger_id)

        seq = self.seq

        kind = self.kind

        effective_date = self.effective_date.isoformat()

        recorded_at = self.recorded_at.isoformat()

        description = self.description

        metadata = self.metadata.to_dict()

        pending_id: None | str
        if isinstance(self.pending_id, UUID):
            pending_id = str(self.pending_id)
        else:
            pending_id = self.pending_id

        reverses_id: None | str
        if isinstance(self.reverses_id, UUID):
            reverses_id = str(self.reverses_id)
        else:
            reverses_id = self.reverses_id

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        pending_state: None | str
        pending_state = self.pending_state

        reversed_by: None | str
        if isinstance(self.reversed_by, UUID):
            reversed_by = str(self.reversed_by)
        else:
            reversed_by = self.reversed_by

        hash_ = self.hash_

        postings = []
        for postings_item_data in self.postings:
            postings_item = postings_item_data.to_dict()
            postings.append(postings_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "ledger_id": ledger_id,
                "seq": seq,
                "kind": kind,
                "effective_date": effective_date,
                "recorded_at": recorded_at,
                "description": description,
                "metadata": metadata,
                "pending_id": pending_id,
                "reverses_id": reverses_id,
                "expires_at": expires_at,
                "pending_state": pending_state,
                "reversed_by": reversed_by,
                "hash": hash_,
                "postings": postings,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.posting_out import PostingOut  # noqa: PLC0415
        from ..models.transaction_out_metadata import TransactionOutMetadata  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        ledger_id = UUID(d.pop("ledger_id"))

        seq = d.pop("seq")

        kind = d.pop("kind")

        effective_date = datetime.date.fromisoformat(d.pop("effective_date"))

        recorded_at = datetime.datetime.fromisoformat(d.pop("recorded_at"))

        description = d.pop("description")

        metadata = TransactionOutMetadata.from_dict(d.pop("metadata"))

        def _parse_pending_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                pending_id_type_0 = UUID(data)

                return pending_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        pending_id = _parse_pending_id(d.pop("pending_id"))

        def _parse_reverses_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reverses_id_type_0 = UUID(data)

                return reverses_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        reverses_id = _parse_reverses_id(d.pop("reverses_id"))

        def _parse_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expires_at = _parse_expires_at(d.pop("expires_at"))

        def _parse_pending_state(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        pending_state = _parse_pending_state(d.pop("pending_state"))

        def _parse_reversed_by(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reversed_by_type_0 = UUID(data)

                return reversed_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        reversed_by = _parse_reversed_by(d.pop("reversed_by"))

        hash_ = d.pop("hash")

        postings = []
        _postings = d.pop("postings")
        for postings_item_data in _postings:
            postings_item = PostingOut.from_dict(postings_item_data)

            postings.append(postings_item)

        transaction_out = cls(
            id=id,
            ledger_id=ledger_id,
            seq=seq,
            kind=kind,
            effective_date=effective_date,
            recorded_at=recorded_at,
            description=description,
            metadata=metadata,
            pending_id=pending_id,
            reverses_id=reverses_id,
            expires_at=expires_at,
            pending_state=pending_state,
            reversed_by=reversed_by,
            hash_=hash_,
            postings=postings,
        )

        transaction_out.additional_properties = d
        return transaction_out

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
