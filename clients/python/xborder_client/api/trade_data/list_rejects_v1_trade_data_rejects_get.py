from http import HTTPStatus
from typing import Any, cast
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_rejects_v1_trade_data_rejects_get_kind_type_0 import (
    ListRejectsV1TradeDataRejectsGetKindType0,
)
from ...models.trade_reject_list import TradeRejectList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    kind: ListRejectsV1TradeDataRejectsGetKindType0 | None | Unset = UNSET,
    platform: None | str | Unset = UNSET,
    before: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_kind: None | str | Unset
    if isinstance(kind, Unset):
        json_kind = UNSET
    elif isinstance(kind, str):
        json_kind = kind
    else:
        json_kind = kind
    params["kind"] = json_kind

    json_platform: None | str | Unset
    if isinstance(platform, Unset):
        json_platform = UNSET
    else:
        json_platform = platform
    params["platform"] = json_platform

    json_before: None | str | Unset
    if isinstance(before, Unset):
        json_before = UNSET
    elif isinstance(before, UUID):
        json_before = str(before)
    else:
        json_before = before
    params["before"] = json_before

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/trade-data/rejects",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | TradeRejectList | None:
    if response.status_code == 200:
        response_200 = TradeRejectList.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = cast(Any, None)
        return response_400

    if response.status_code == 401:
        response_401 = cast(Any, None)
        return response_401

    if response.status_code == 403:
        response_403 = cast(Any, None)
        return response_403

    if response.status_code == 404:
        response_404 = cast(Any, None)
        return response_404

    if response.status_code == 409:
        response_409 = cast(Any, None)
        return response_409

    if response.status_code == 413:
        response_413 = cast(Any, None)
        return response_413

    if response.status_code == 422:
        response_422 = cast(Any, None)
        return response_422

    if response.status_code == 503:
        response_503 = cast(Any, None)
        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | TradeRejectList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    kind: ListRejectsV1TradeDataRejectsGetKindType0 | None | Unset = UNSET,
    platform: None | str | Unset = UNSET,
    before: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
) -> Response[Any | TradeRejectList]:
    """Held records that were rejected, with the reason, newest first

    Args:
        kind (ListRejectsV1TradeDataRejectsGetKindType0 | None | Unset):
        platform (None | str | Unset):
        before (None | Unset | UUID): id of the last reject of the previous page
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | TradeRejectList]
    """

    kwargs = _get_kwargs(
        kind=kind,
        platform=platform,
        before=before,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    kind: ListRejectsV1TradeDataRejectsGetKindType0 | None | Unset = UNSET,
    platform: None | str | Unset = UNSET,
    before: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
) -> Any | TradeRejectList | None:
    """Held records that were rejected, with the reason, newest first

    Args:
        kind (ListRejectsV1TradeDataRejectsGetKindType0 | None | Unset):
        platform (None | str | Unset):
        before (None | Unset | UUID): id of the last reject of the previous page
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | TradeRejectList
    """

    return sync_detailed(
        client=client,
        kind=kind,
        platform=platform,
        before=before,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    kind: ListRejectsV1TradeDataRejectsGetKindType0 | None | Unset = UNSET,
    platform: None | str | Unset = UNSET,
    before: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
) -> Response[Any | TradeRejectList]:
    """Held records that were rejected, with the reason, newest first

    Args:
        kind (ListRejectsV1TradeDataRejectsGetKindType0 | None | Unset):
        platform (None | str | Unset):
        before (None | Unset | UUID): id of the last reject of the previous page
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | TradeRejectList]
    """

    kwargs = _get_kwargs(
        kind=kind,
        platform=platform,
        before=before,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    kind: ListRejectsV1TradeDataRejectsGetKindType0 | None | Unset = UNSET,
    platform: None | str | Unset = UNSET,
    before: None | Unset | UUID = UNSET,
    limit: int | Unset = 100,
) -> Any | TradeRejectList | None:
    """Held records that were rejected, with the reason, newest first

    Args:
        kind (ListRejectsV1TradeDataRejectsGetKindType0 | None | Unset):
        platform (None | str | Unset):
        before (None | Unset | UUID): id of the last reject of the previous page
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | TradeRejectList
    """

    return (
        await asyncio_detailed(
            client=client,
            kind=kind,
            platform=platform,
            before=before,
            limit=limit,
        )
    ).parsed
