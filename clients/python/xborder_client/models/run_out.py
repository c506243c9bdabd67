from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.run_out_matches_by_rule import RunOutMatchesByRule


T = TypeVar("T", bound="RunOut")


@_attrs_define
class RunOut:
    run_id: UUID
    recon_account_id: UUID
    lines_considered: int
    entries_considered: int
    matches_by_rule: RunOutMatchesByRule
    unmatched_lines: int
    unmatched_entries: int
    fee_proposals: int
    review_proposals: int | Unset = 0
    """ matches on amount and date alone below the account's review threshold, proposed for approval instead of
    applied """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        run_id = str(self.run_id)

        recon_account_id = str(self.recon_account_id)

        lines_considered = self.lines_considered

        entries_considered = self.entries_considered

        matches_by_rule = self.matches_by_rule.to_dict()

        unmatched_lines = self.unmatched_lines

        unmatched_entries = self.unmatched_entries

        fee_proposals = self.fee_proposals

        review_proposals = self.review_proposals

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "run_id": run_id,
                "recon_account_id": recon_account_id,
                "lines_considered": lines_considered,
                "entries_considered": entries_considered,
                "matches_by_rule": matches_by_rule,
                "unmatched_lines": unmatched_lines,
                "unmatched_entries": unmatched_entries,
                "fee_proposals": fee_proposals,
            }
        )
        if review_proposals is not UNSET:
            field_dict["review_proposals"] = review_proposals

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.run_out_matches_by_rule import RunOutMatchesByRule  # noqa: PLC0415

        d = dict(src_dict)
        run_id = UUID(d.pop("run_id"))

        recon_account_id = UUID(d.pop("recon_account_id"))

        lines_considered = d.pop("lines_considered")

        entries_considered = d.pop("entries_considered")

        matches_by_rule = RunOutMatchesByRule.from_dict(d.pop("matches_by_rule"))

        unmatched_lines = d.pop("unmatched_lines")

        unmatched_entries = d.pop("unmatched_entries")

        fee_proposals = d.pop("fee_proposals")

        review_proposals = d.pop("review_proposals", UNSET)

        run_out = cls(
            run_id=run_id,
            recon_account_id=recon_account_id,
            lines_considered=lines_considered,
            entries_considered=entries_considered,
            matches_by_rule=matches_by_rule,
            unmatched_lines=unmatched_lines,
            unmatched_entries=unmatched_entries,
            fee_proposals=fee_proposals,
            review_proposals=review_proposals,
        )

        run_out.additional_properties = d
        return run_out

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
