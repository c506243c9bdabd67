from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.recon_matching_run_counts import ReconMatchingRunCounts


T = TypeVar("T", bound="ReconMatchingRun")


@_attrs_define
class ReconMatchingRun:
    run_id: str
    recon_account_id: str
    counts: ReconMatchingRunCounts
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        run_id = self.run_id

        recon_account_id = self.recon_account_id

        counts = self.counts.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "run_id": run_id,
                "recon_account_id": recon_account_id,
                "counts": counts,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.recon_matching_run_counts import ReconMatchingRunCounts  # noqa: PLC0415

        d = dict(src_dict)
        run_id = d.pop("run_id")

        recon_account_id = d.pop("recon_account_id")

        counts = ReconMatchingRunCounts.from_dict(d.pop("counts"))

        recon_matching_run = cls(
            run_id=run_id,
            recon_account_id=recon_account_id,
            counts=counts,
        )

        recon_matching_run.additional_properties = d
        return recon_matching_run

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
