from typing import Literal

PaymentBodyPurpose = Literal["buyer_refund", "goods", "logistics", "overseas_warehousing", "service_fees"]

PAYMENT_BODY_PURPOSE_VALUES: set[PaymentBodyPurpose] = {
    "buyer_refund",
    "goods",
    "logistics",
    "overseas_warehousing",
    "service_fees",
}


def check_payment_body_purpose(value: str) -> PaymentBodyPurpose:
    if value in PAYMENT_BODY_PURPOSE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PAYMENT_BODY_PURPOSE_VALUES!r}")
