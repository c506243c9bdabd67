from typing import Literal

PaymentsPaymentOutStatus = Literal["held", "paid", "released"]

PAYMENTS_PAYMENT_OUT_STATUS_VALUES: set[PaymentsPaymentOutStatus] = {
    "held",
    "paid",
    "released",
}


def check_payments_payment_out_status(value: str) -> PaymentsPaymentOutStatus:
    if value in PAYMENTS_PAYMENT_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PAYMENTS_PAYMENT_OUT_STATUS_VALUES!r}")
