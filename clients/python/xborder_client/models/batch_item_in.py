from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.batch_item_in_metadata import BatchItemInMetadata
    from ..models.posting_in import PostingIn


T = TypeVar("T", bound="BatchItemIn")


@_attrs_define
class BatchItemIn:
    postings: list[PostingIn]
    effective_date: datetime.date | None | Unset = UNSET
    """ value date (YYYY-MM-DD); default: today in the institution's business time zone """
    description: str | Unset = ""
    metadata: BatchItemInMetadata | Unset = UNSET
    """ Free JSON object (at most 8 KiB) """
    pending: bool | Unset = False
    """ hold the amounts (two-phase transfer) until posted or voided """
    expires_at: datetime.datetime | None | Unset = UNSET
    """ a pending transaction voids itself after this instant (RFC 3339 with offset) """
    idempotency_key: None | str | Unset = UNSET
    """ per-transaction key; default: '<Idempotency-Key>:<index>' """
    linked: bool | Unset = False
    """ link to the next item: the chain posts all-or-nothing """

    def to_dict(self) -> dict[str, Any]:
        postings = []
        for postings_item_data in self.postings:
            postings_item = postings_item_data.to_dict()
            postings.append(postings_item)

        effective_date: None | str | Unset
        if isinstance(self.effective_date, Unset):
            effective_date = UNSET
        elif isinstance(self.effective_date, datetime.date):
            effective_date = self.effective_date.isoformat()
        else:
            effective_date = self.effective_date

        description = self.description

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        pending = self.pending

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        idempotency_key: None | str | Unset
        if isinstance(self.idempotency_key, Unset):
            idempotency_key = UNSET
        else:
            idempotency_key = self.idempotency_key

        linked = self.linked

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "postings": postings,
            }
        )
        if effective_date is not UNSET:
            field_dict["effective_date"] = effective_date
        if description is not UNSET:
            field_dict["description"] = description
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if pending is not UNSET:
            field_dict["pending"] = pending
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if idempotency_key is not UNSET:
            field_dict["idempotency_key"] = idempotency_key
        if linked is not UNSET:
            field_dict["linked"] = linked

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_item_in_metadata import BatchItemInMetadata  # noqa: PLC0415
        from ..models.posting_in import PostingIn  # noqa: PLC0415

        d = dict(src_dict)
        postings = []
        _postings = d.pop("postings")
        for postings_item_data in _postings:
            postings_item = PostingIn.from_dict(postings_item_data)

            postings.append(postings_item)

        def _parse_effective_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                effective_date_type_0 = datetime.date.fromisoformat(data)

                return effective_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        effective_date = _parse_effective_date(d.pop("effective_date", UNSET))

        description = d.pop("description", UNSET)

        _metadata = d.pop("metadata", UNSET)
        metadata: BatchItemInMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = BatchItemInMetadata.from_dict(_metadata)

        pending = d.pop("pending", UNSET)

        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))

        def _parse_idempotency_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        idempotency_key = _parse_idempotency_key(d.pop("idempotency_key", UNSET))

        linked = d.pop("linked", UNSET)

        batch_item_in = cls(
            postings=postings,
            effective_date=effective_date,
            description=description,
            metadata=metadata,
            pending=pending,
            expires_at=expires_at,
            idempotency_key=idempotency_key,
            linked=linked,
        )

        return batch_item_in
