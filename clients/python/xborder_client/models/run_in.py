from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RunIn")


@_attrs_define
class RunIn:
    recon_account_id: None | Unset | UUID = UNSET
    """ one account; default every reconciled account """

    def to_dict(self) -> dict[str, Any]:
        recon_account_id: None | str | Unset
        if isinstance(self.recon_account_id, Unset):
            recon_account_id = UNSET
        elif isinstance(self.recon_account_id, UUID):
            recon_account_id = str(self.recon_account_id)
        else:
            recon_account_id = self.recon_account_id

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if recon_account_id is not UNSET:
            field_dict["recon_account_id"] = recon_account_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_recon_account_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                recon_account_id_type_0 = UUID(data)

                return recon_account_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        recon_account_id = _parse_recon_account_id(d.pop("recon_account_id", UNSET))

        run_in = cls(
            recon_account_id=recon_account_id,
        )

        return run_in
