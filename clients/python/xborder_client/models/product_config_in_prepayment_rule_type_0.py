from typing import Literal

ProductConfigInPrepaymentRuleType0 = Literal["reduce_instalment", "shorten_term"]

PRODUCT_CONFIG_IN_PREPAYMENT_RULE_TYPE_0_VALUES: set[ProductConfigInPrepaymentRuleType0] = {
    "reduce_instalment",
    "shorten_term",
}


def check_product_config_in_prepayment_rule_type_0(value: str) -> ProductConfigInPrepaymentRuleType0:
    if value in PRODUCT_CONFIG_IN_PREPAYMENT_RULE_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PRODUCT_CONFIG_IN_PREPAYMENT_RULE_TYPE_0_VALUES!r}")
