from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.proposal_in_kind import ProposalInKind, check_proposal_in_kind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.adjustment_in import AdjustmentIn
    from ..models.split_part import SplitPart


T = TypeVar("T", bound="ProposalIn")


@_attrs_define
class ProposalIn:
    kind: ProposalInKind
    line_ids: list[str] | Unset = UNSET
    """ statement lines (ids from GET /v1/recon/lines) """
    entry_ids: list[str] | Unset = UNSET
    """ ledger entries as '<transaction id>:<line number>' """
    parts: list[SplitPart] | Unset = UNSET
    adjustment: AdjustmentIn | None | Unset = UNSET
    note: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        from ..models.adjustment_in import AdjustmentIn  # noqa: PLC0415

        kind: str = self.kind

        line_ids: list[str] | Unset = UNSET
        if not isinstance(self.line_ids, Unset):
            line_ids = self.line_ids

        entry_ids: list[str] | Unset = UNSET
        if not isinstance(self.entry_ids, Unset):
            entry_ids = self.entry_ids

        parts: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.parts, Unset):
            parts = []
            for parts_item_data in self.parts:
                parts_item = parts_item_data.to_dict()
                parts.append(parts_item)

        adjustment: dict[str, Any] | None | Unset
        if isinstance(self.adjustment, Unset):
            adjustment = UNSET
        elif isinstance(self.adjustment, AdjustmentIn):
            adjustment = self.adjustment.to_dict()
        else:
            adjustment = self.adjustment

        note = self.note

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
            }
        )
        if line_ids is not UNSET:
            field_dict["line_ids"] = line_ids
        if entry_ids is not UNSET:
            field_dict["entry_ids"] = entry_ids
        if parts is not UNSET:
            field_dict["parts"] = parts
        if adjustment is not UNSET:
            field_dict["adjustment"] = adjustment
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.adjustment_in import AdjustmentIn  # noqa: PLC0415
        from ..models.split_part import SplitPart  # noqa: PLC0415

        d = dict(src_dict)
        kind = check_proposal_in_kind(d.pop("kind"))

        line_ids = cast(list[str], d.pop("line_ids", UNSET))

        entry_ids = cast(list[str], d.pop("entry_ids", UNSET))

        _parts = d.pop("parts", UNSET)
        parts: list[SplitPart] | Unset = UNSET
        if _parts is not UNSET:
            parts = []
            for parts_item_data in _parts:
                parts_item = SplitPart.from_dict(parts_item_data)

                parts.append(parts_item)

        def _parse_adjustment(data: object) -> AdjustmentIn | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                adjustment_type_0 = AdjustmentIn.from_dict(data)

                return adjustment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AdjustmentIn | None | Unset, data)

        adjustment = _parse_adjustment(d.pop("adjustment", UNSET))

        note = d.pop("note", UNSET)

        proposal_in = cls(
            kind=kind,
            line_ids=line_ids,
            entry_ids=entry_ids,
            parts=parts,
            adjustment=adjustment,
            note=note,
        )

        return proposal_in
