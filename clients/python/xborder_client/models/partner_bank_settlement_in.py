from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.partner_bank_settlement_in_reserve_account_ids_type_0 import (
        PartnerBankSettlementInReserveAccountIdsType0,
    )
    from ..models.partner_flow_in import PartnerFlowIn


T = TypeVar("T", bound="PartnerBankSettlementIn")


@_attrs_define
class PartnerBankSettlementIn:
    partner_bank_ref: str
    """ owner reference of a merchant or provider """
    business_date: datetime.date
    flows: list[PartnerFlowIn] | Unset = UNSET
    reserve_account_ids: None | PartnerBankSettlementInReserveAccountIdsType0 | Unset = UNSET
    """ per currency, the reserve account at the bank; default inst:nostro:<CUR> """

    def to_dict(self) -> dict[str, Any]:
        from ..models.partner_bank_settlement_in_reserve_account_ids_type_0 import (
            PartnerBankSettlementInReserveAccountIdsType0,  # noqa: PLC0415
        )

        partner_bank_ref = self.partner_bank_ref

        business_date = self.business_date.isoformat()

        flows: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.flows, Unset):
            flows = []
            for flows_item_data in self.flows:
                flows_item = flows_item_data.to_dict()
                flows.append(flows_item)

        reserve_account_ids: dict[str, Any] | None | Unset
        if isinstance(self.reserve_account_ids, Unset):
            reserve_account_ids = UNSET
        elif isinstance(self.reserve_account_ids, PartnerBankSettlementInReserveAccountIdsType0):
            reserve_account_ids = self.reserve_account_ids.to_dict()
        else:
            reserve_account_ids = self.reserve_account_ids

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "partner_bank_ref": partner_bank_ref,
                "business_date": business_date,
            }
        )
        if flows is not UNSET:
            field_dict["flows"] = flows
        if reserve_account_ids is not UNSET:
            field_dict["reserve_account_ids"] = reserve_account_ids

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.partner_bank_settlement_in_reserve_account_ids_type_0 import (
            PartnerBankSettlementInReserveAccountIdsType0,  # noqa: PLC0415
        )
        from ..models.partner_flow_in import PartnerFlowIn  # noqa: PLC0415

        d = dict(src_dict)
        partner_bank_ref = d.pop("partner_bank_ref")

        business_date = datetime.date.fromisoformat(d.pop("business_date"))

        _flows = d.pop("flows", UNSET)
        flows: list[PartnerFlowIn] | Unset = UNSET
        if _flows is not UNSET:
            flows = []
            for flows_item_data in _flows:
                flows_item = PartnerFlowIn.from_dict(flows_item_data)

                flows.append(flows_item)

        def _parse_reserve_account_ids(data: object) -> None | PartnerBankSettlementInReserveAccountIdsType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                reserve_account_ids_type_0 = PartnerBankSettlementInReserveAccountIdsType0.from_dict(data)

                return reserve_account_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PartnerBankSettlementInReserveAccountIdsType0 | Unset, data)

        reserve_account_ids = _parse_reserve_account_ids(d.pop("reserve_account_ids", UNSET))

        partner_bank_settlement_in = cls(
            partner_bank_ref=partner_bank_ref,
            business_date=business_date,
            flows=flows,
            reserve_account_ids=reserve_account_ids,
        )

        return partner_bank_settlement_in
