from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.product_config_in_lpr_tenor_type_0 import (
    ProductConfigInLprTenorType0,
    check_product_config_in_lpr_tenor_type_0,
)
from ..models.product_config_in_prepayment_rule_type_0 import (
    ProductConfigInPrepaymentRuleType0,
    check_product_config_in_prepayment_rule_type_0,
)
from ..models.product_config_in_schedule_method_type_0 import (
    ProductConfigInScheduleMethodType0,
    check_product_config_in_schedule_method_type_0,
)
from ..models.product_config_in_sweep_waterfall_type_0_item import (
    ProductConfigInSweepWaterfallType0Item,
    check_product_config_in_sweep_waterfall_type_0_item,
)
from ..models.product_config_in_waterfall_type_0_item import (
    ProductConfigInWaterfallType0Item,
    check_product_config_in_waterfall_type_0_item,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="ProductConfigIn")


@_attrs_define
class ProductConfigIn:
    """A product's settings; each has a default."""

    advance_rate: None | str | Unset = UNSET
    """ share of the collateral's value advanced (default 0.70) """
    max_ltv: None | str | Unset = UNSET
    min_tenor_days: int | None | Unset = UNSET
    max_tenor_days: int | None | Unset = UNSET
    fixed_rate: None | str | Unset = UNSET
    """ annual rate; or lpr_tenor + spread_bp (CNY) """
    lpr_tenor: None | ProductConfigInLprTenorType0 | Unset = UNSET
    spread_bp: int | None | Unset = UNSET
    day_count: None | str | Unset = UNSET
    arrangement_fee_bp: int | None | Unset = UNSET
    waterfall: list[ProductConfigInWaterfallType0Item] | None | Unset = UNSET
    sweep_waterfall: list[ProductConfigInSweepWaterfallType0Item] | None | Unset = UNSET
    sweep_rate: None | str | Unset = UNSET
    min_repayment_bp_per_30d: int | None | Unset = UNSET
    penalty_rate: None | str | Unset = UNSET
    dpd_buckets: list[list[int | None | str]] | None | Unset = UNSET
    npl_from_bucket: None | str | Unset = UNSET
    schedule_method: None | ProductConfigInScheduleMethodType0 | Unset = UNSET
    """ bullet (default; all at maturity), equal_principal (等额本金) or equal_instalment (等额本息, annuity): monthly,
    tenor_days // 30 instalments """
    prepayment_rule: None | ProductConfigInPrepaymentRuleType0 | Unset = UNSET
    """ after a partial or early repayment: keep the term and lower the instalments (default), or keep the
    instalment and end earlier """

    def to_dict(self) -> dict[str, Any]:
        advance_rate: None | str | Unset
        if isinstance(self.advance_rate, Unset):
            advance_rate = UNSET
        else:
            advance_rate = self.advance_rate

        max_ltv: None | str | Unset
        if isinstance(self.max_ltv, Unset):
            max_ltv = UNSET
        else:
            max_ltv = self.max_ltv

        min_tenor_days: int | None | Unset
        if isinstance(self.min_tenor_days, Unset):
            min_tenor_days = UNSET
        else:
            min_tenor_days = self.min_tenor_days

        max_tenor_days: int | None | Unset
        if isinstance(self.max_tenor_days, Unset):
            max_tenor_days = UNSET
        else:
            max_tenor_days = self.max_tenor_days

        fixed_rate: None | str | Unset
        if isinstance(self.fixed_rate, Unset):
            fixed_rate = UNSET
        else:
            fixed_rate = self.fixed_rate

        lpr_tenor: None | str | Unset
        if isinstance(self.lpr_tenor, Unset):
            lpr_tenor = UNSET
        elif isinstance(self.lpr_tenor, str):
            lpr_tenor = self.lpr_tenor
        else:
            lpr_tenor = self.lpr_tenor

        spread_bp: int | None | Unset
        if isinstance(self.spread_bp, Unset):
            spread_bp = UNSET
        else:
            spread_bp = self.spread_bp

        day_count: None | str | Unset
        if isinstance(self.day_count, Unset):
            day_count = UNSET
        else:
            day_count = self.day_count

        arrangement_fee_bp: int | None | Unset
        if isinstance(self.arrangement_fee_bp, Unset):
            arrangement_fee_bp = UNSET
        else:
            arrangement_fee_bp = self.arrangement_fee_bp

        waterfall: list[str] | None | Unset
        if isinstance(self.waterfall, Unset):
            waterfall = UNSET
        elif isinstance(self.waterfall, list):
            waterfall = []
            for waterfall_type_0_item_data in self.waterfall:
                waterfall_type_0_item: str = waterfall_type_0_item_data
                waterfall.append(waterfall_type_0_item)

        else:
            waterfall = self.waterfall

        sweep_waterfall: list[str] | None | Unset
        if isinstance(self.sweep_waterfall, Unset):
            sweep_waterfall = UNSET
        elif isinstance(self.sweep_waterfall, list):
            sweep_waterfall = []
            for sweep_waterfall_type_0_item_data in self.sweep_waterfall:
                sweep_waterfall_type_0_item: str = sweep_waterfall_type_0_item_data
                sweep_waterfall.append(sweep_waterfall_type_0_item)

        else:
            sweep_waterfall = self.sweep_waterfall

        sweep_rate: None | str | Unset
        if isinstance(self.sweep_rate, Unset):
            sweep_rate = UNSET
        else:
            sweep_rate = self.sweep_rate

        min_repayment_bp_per_30d: int | None | Unset
        if isinstance(self.min_repayment_bp_per_30d, Unset):
            min_repayment_bp_per_30d = UNSET
        else:
            min_repayment_bp_per_30d = self.min_repayment_bp_per_30d

        penalty_rate: None | str | Unset
        if isinstance(self.penalty_rate, Unset):
            penalty_rate = UNSET
        else:
            penalty_rate = self.penalty_rate

        dpd_buckets: list[list[int | None | str]] | None | Unset
        if isinstance(self.dpd_buckets, Unset):
            dpd_buckets = UNSET
        elif isinstance(self.dpd_buckets, list):
            dpd_buckets = []
            for dpd_buckets_type_0_item_data in self.dpd_buckets:
                dpd_buckets_type_0_item = []
                for dpd_buckets_type_0_item_item_data in dpd_buckets_type_0_item_data:
                    dpd_buckets_type_0_item_item: int | None | str
                    dpd_buckets_type_0_item_item = dpd_buckets_type_0_item_item_data
                    dpd_buckets_type_0_item.append(dpd_buckets_type_0_item_item)

                dpd_buckets.append(dpd_buckets_type_0_item)

        else:
            dpd_buckets = self.dpd_buckets

        npl_from_bucket: None | str | Unset
        if isinstance(self.npl_from_bucket, Unset):
            npl_from_bucket = UNSET
        else:
            npl_from_bucket = self.npl_from_bucket

        schedule_method: None | str | Unset
        if isinstance(self.schedule_method, Unset):
            schedule_method = UNSET
        elif isinstance(self.schedule_method, str):
            schedule_method = self.schedule_method
        else:
            schedule_method = self.schedule_method

        prepayment_rule: None | str | Unset
        if isinstance(self.prepayment_rule, Unset):
            prepayment_rule = UNSET
        elif isinstance(self.prepayment_rule, str):
            prepayment_rule = self.prepayment_rule
        else:
            prepayment_rule = self.prepayment_rule

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if advance_rate is not UNSET:
            field_dict["advance_rate"] = advance_rate
        if max_ltv is not UNSET:
            field_dict["max_ltv"] = max_ltv
        if min_tenor_days is not UNSET:
            field_dict["min_tenor_days"] = min_tenor_days
        if max_tenor_days is not UNSET:
            field_dict["max_tenor_days"] = max_tenor_days
        if fixed_rate is not UNSET:
            field_dict["fixed_rate"] = fixed_rate
        if lpr_tenor is not UNSET:
            field_dict["lpr_tenor"] = lpr_tenor
        if spread_bp is not UNSET:
            field_dict["spread_bp"] = spread_bp
        if day_count is not UNSET:
            field_dict["day_count"] = day_count
        if arrangement_fee_bp is not UNSET:
            field_dict["arrangement_fee_bp"] = arrangement_fee_bp
        if waterfall is not UNSET:
            field_dict["waterfall"] = waterfall
        if sweep_waterfall is not UNSET:
            field_dict["sweep_waterfall"] = sweep_waterfall
        if sweep_rate is not UNSET:
            field_dict["sweep_rate"] = sweep_rate
        if min_repayment_bp_per_30d is not UNSET:
            field_dict["min_repayment_bp_per_30d"] = min_repayment_bp_per_30d
        if penalty_rate is not UNSET:
            field_dict["penalty_rate"] = penalty_rate
        if dpd_buckets is not UNSET:
            field_dict["dpd_buckets"] = dpd_buckets
        if npl_from_bucket is not UNSET:
            field_dict["npl_from_bucket"] = npl_from_bucket
        if schedule_method is not UNSET:
            field_dict["schedule_method"] = schedule_method
        if prepayment_rule is not UNSET:
            field_dict["prepayment_rule"] = prepayment_rule

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_advance_rate(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        advance_rate = _parse_advance_rate(d.pop("advance_rate", UNSET))

        def _parse_max_ltv(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        max_ltv = _parse_max_ltv(d.pop("max_ltv", UNSET))

        def _parse_min_tenor_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        min_tenor_days = _parse_min_tenor_days(d.pop("min_tenor_days", UNSET))

        def _parse_max_tenor_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_tenor_days = _parse_max_tenor_days(d.pop("max_tenor_days", UNSET))

        def _parse_fixed_rate(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        fixed_rate = _parse_fixed_rate(d.pop("fixed_rate", UNSET))

        def _parse_lpr_tenor(data: object) -> None | ProductConfigInLprTenorType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                lpr_tenor_type_0 = check_product_config_in_lpr_tenor_type_0(data)

                return lpr_tenor_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProductConfigInLprTenorType0 | Unset, data)

        lpr_tenor = _parse_lpr_tenor(d.pop("lpr_tenor", UNSET))

        def _parse_spread_bp(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        spread_bp = _parse_spread_bp(d.pop("spread_bp", UNSET))

        def _parse_day_count(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        day_count = _parse_day_count(d.pop("day_count", UNSET))

        def _parse_arrangement_fee_bp(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        arrangement_fee_bp = _parse_arrangement_fee_bp(d.pop("arrangement_fee_bp", UNSET))

        def _parse_waterfall(data: object) -> list[ProductConfigInWaterfallType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                waterfall_type_0 = []
                _waterfall_type_0 = data
                for waterfall_type_0_item_data in _waterfall_type_0:
                    waterfall_type_0_item = check_product_config_in_waterfall_type_0_item(waterfall_type_0_item_data)

                    waterfall_type_0.append(waterfall_type_0_item)

                return waterfall_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ProductConfigInWaterfallType0Item] | None | Unset, data)

        waterfall = _parse_waterfall(d.pop("waterfall", UNSET))

        def _parse_sweep_waterfall(data: object) -> list[ProductConfigInSweepWaterfallType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                sweep_waterfall_type_0 = []
                _sweep_waterfall_type_0 = data
                for sweep_waterfall_type_0_item_data in _sweep_waterfall_type_0:
                    sweep_waterfall_type_0_item = check_product_config_in_sweep_waterfall_type_0_item(
                        sweep_waterfall_type_0_item_data
                    )

                    sweep_waterfall_type_0.append(sweep_waterfall_type_0_item)

                return sweep_waterfall_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ProductConfigInSweepWaterfallType0Item] | None | Unset, data)

        sweep_waterfall = _parse_sweep_waterfall(d.pop("sweep_waterfall", UNSET))

        def _parse_sweep_rate(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sweep_rate = _parse_sweep_rate(d.pop("sweep_rate", UNSET))

        def _parse_min_repayment_bp_per_30d(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        min_repayment_bp_per_30d = _parse_min_repayment_bp_per_30d(d.pop("min_repayment_bp_per_30d", UNSET))

        def _parse_penalty_rate(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        penalty_rate = _parse_penalty_rate(d.pop("penalty_rate", UNSET))

        def _parse_dpd_buckets(data: object) -> list[list[int | None | str]] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                dpd_buckets_type_0 = []
                _dpd_buckets_type_0 = data
                for dpd_buckets_type_0_item_data in _dpd_buckets_type_0:
                    dpd_buckets_type_0_item = []
                    _dpd_buckets_type_0_item = dpd_buckets_type_0_item_data
                    for dpd_buckets_type_0_item_item_data in _dpd_buckets_type_0_item:

                        def _parse_dpd_buckets_type_0_item_item(data: object) -> int | None | str:
                            if data is None:
                                return data
                            return cast(int | None | str, data)

                        dpd_buckets_type_0_item_item = _parse_dpd_buckets_type_0_item_item(
                            dpd_buckets_type_0_item_item_data
                        )

                        dpd_buckets_type_0_item.append(dpd_buckets_type_0_item_item)

                    dpd_buckets_type_0.append(dpd_buckets_type_0_item)

                return dpd_buckets_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[list[int | None | str]] | None | Unset, data)

        dpd_buckets = _parse_dpd_buckets(d.pop("dpd_buckets", UNSET))

        def _parse_npl_from_bucket(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        npl_from_bucket = _parse_npl_from_bucket(d.pop("npl_from_bucket", UNSET))

        def _parse_schedule_method(data: object) -> None | ProductConfigInScheduleMethodType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                schedule_method_type_0 = check_product_config_in_schedule_method_type_0(data)

                return schedule_method_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProductConfigInScheduleMethodType0 | Unset, data)

        schedule_method = _parse_schedule_method(d.pop("schedule_method", UNSET))

        def _parse_prepayment_rule(data: object) -> None | ProductConfigInPrepaymentRuleType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                prepayment_rule_type_0 = check_product_config_in_prepayment_rule_type_0(data)

                return prepayment_rule_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProductConfigInPrepaymentRuleType0 | Unset, data)

        prepayment_rule = _parse_prepayment_rule(d.pop("prepayment_rule", UNSET))

        product_config_in = cls(
            advance_rate=advance_rate,
            max_ltv=max_ltv,
            min_tenor_days=min_tenor_days,
            max_tenor_days=max_tenor_days,
            fixed_rate=fixed_rate,
            lpr_tenor=lpr_tenor,
            spread_bp=spread_bp,
            day_count=day_count,
            arrangement_fee_bp=arrangement_fee_bp,
            waterfall=waterfall,
            sweep_waterfall=sweep_waterfall,
            sweep_rate=sweep_rate,
            min_repayment_bp_per_30d=min_repayment_bp_per_30d,
            penalty_rate=penalty_rate,
            dpd_buckets=dpd_buckets,
            npl_from_bucket=npl_from_bucket,
            schedule_method=schedule_method,
            prepayment_rule=prepayment_rule,
        )

        return product_config_in
