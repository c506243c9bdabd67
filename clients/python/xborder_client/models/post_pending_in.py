from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.post_pending_in_metadata import PostPendingInMetadata
    from ..models.posting_in import PostingIn


T = TypeVar("T", bound="PostPendingIn")


@_attrs_define
class PostPendingIn:
    postings: list[PostingIn] | None | Unset = UNSET
    """ amounts to post per leg (partial post); omit to post everything held """
    effective_date: datetime.date | None | Unset = UNSET
    """ value date (YYYY-MM-DD) """
    description: str | Unset = ""
    metadata: PostPendingInMetadata | Unset = UNSET
    """ Free JSON object (at most 8 KiB) """

    def to_dict(self) -> dict[str, Any]:
        postings: list[dict[str, Any]] | None | Unset
        if isinstance(self.postings, Unset):
            postings = UNSET
        elif isinstance(self.postings, list):
            postings = []
            for postings_type_0_item_data in self.postings:
                postings_type_0_item = postings_type_0_item_data.to_dict()
                postings.append(postings_type_0_item)

        else:
            postings = self.postings

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

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if postings is not UNSET:
            field_dict["postings"] = postings
        if effective_date is not UNSET:
            field_dict["effective_date"] = effective_date
        if description is not UNSET:
            field_dict["description"] = description
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.post_pending_in_metadata import PostPendingInMetadata  # noqa: PLC0415
        from ..models.posting_in import PostingIn  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_postings(data: object) -> list[PostingIn] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                postings_type_0 = []
                _postings_type_0 = data
                for postings_type_0_item_data in _postings_type_0:
                    postings_type_0_item = PostingIn.from_dict(postings_type_0_item_data)

                    postings_type_0.append(postings_type_0_item)

                return postings_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[PostingIn] | None | Unset, data)

        postings = _parse_postings(d.pop("postings", UNSET))

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
        metadata: PostPendingInMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = PostPendingInMetadata.from_dict(_metadata)

        post_pending_in = cls(
            postings=postings,
            effective_date=effective_date,
            description=description,
            metadata=metadata,
        )

        return post_pending_in
