from typing import Literal

ListDeliveriesV1WebhookDeliveriesGetStatusType0 = Literal["cancelled", "delivered", "failed", "pending"]

LIST_DELIVERIES_V1_WEBHOOK_DELIVERIES_GET_STATUS_TYPE_0_VALUES: set[ListDeliveriesV1WebhookDeliveriesGetStatusType0] = {
    "cancelled",
    "delivered",
    "failed",
    "pending",
}


def check_list_deliveries_v1_webhook_deliveries_get_status_type_0(
    value: str,
) -> ListDeliveriesV1WebhookDeliveriesGetStatusType0:
    if value in LIST_DELIVERIES_V1_WEBHOOK_DELIVERIES_GET_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_DELIVERIES_V1_WEBHOOK_DELIVERIES_GET_STATUS_TYPE_0_VALUES!r}"
    )
