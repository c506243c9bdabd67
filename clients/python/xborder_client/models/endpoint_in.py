from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="EndpointIn")


@_attrs_define
class EndpointIn:
    url: str
    """ http or https URL of the receiver (a host name, an IPv4 address or a bracketed IPv6 address, an optional
    port, printable ASCII, no spaces). Only https in production. The host is resolved and refused (422
    `webhook_destination_refused`, naming the reason class) when any of its addresses is not globally routable
    (loopback, private, link-local, unspecified, multicast, reserved, shared), is a cloud metadata address or the
    service's own, unless the deployment allow-lists it (XBORDER_WEBHOOK_ALLOW_PRIVATE); it is checked again before
    every delivery. """
    event_types: list[str] | Unset = UNSET
    """ event types to deliver: `*` for all, `prefix.*` for a family """

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        event_types: list[str] | Unset = UNSET
        if not isinstance(self.event_types, Unset):
            event_types = self.event_types

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
            }
        )
        if event_types is not UNSET:
            field_dict["event_types"] = event_types

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url")

        event_types = cast(list[str], d.pop("event_types", UNSET))

        endpoint_in = cls(
            url=url,
            event_types=event_types,
        )

        return endpoint_in
