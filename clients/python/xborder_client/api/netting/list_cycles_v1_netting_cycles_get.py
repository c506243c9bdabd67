from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.cycle_summary_out import CycleSummaryOut
from ...models.list_cycles_v1_netting_cycles_get_kind_type_0 import (
    ListCyclesV1NettingCyclesGetKindType0,
)
from ...models.list_cycles_v1_netting_cycles_get_status_type_0 import (
    ListCyclesV1NettingCyclesGetStatusType0,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: ListCyclesV1NettingCyclesGetStatusType0 | None | Unset = UNSET,
    kind: ListCyclesV1NettingCyclesGetKindType0 | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, str):
        json_status = status
    else:
        json_status = status
    params["status"] = json_status

    json_kind: None | str | Unset
    if isinstance(kind, Unset):
        json_kind = UNSET
    elif isinstance(kind, str):
        json_kind = kind
    else:
        json_kind = kind
    params["kind"] = json_kind

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/netting/cycles",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | list[CycleSummaryOut] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = CycleSummaryOut.from_dict(response_200_item_data)

            response_200.append(response_200_item)

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
) -> Response[Any | list[CycleSummaryOut]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    status: ListCyclesV1NettingCyclesGetStatusType0 | None | Unset = UNSET,
    kind: ListCyclesV1NettingCyclesGetKindType0 | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[Any | list[CycleSummaryOut]]:
    """List netting cycles, newest first

    Args:
        status (ListCyclesV1NettingCyclesGetStatusType0 | None | Unset):
        kind (ListCyclesV1NettingCyclesGetKindType0 | None | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | list[CycleSummaryOut]]
    """

    kwargs = _get_kwargs(
        status=status,
        kind=kind,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    status: ListCyclesV1NettingCyclesGetStatusType0 | None | Unset = UNSET,
    kind: ListCyclesV1NettingCyclesGetKindType0 | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> Any | list[CycleSummaryOut] | None:
    """List netting cycles, newest first

    Args:
        status (ListCyclesV1NettingCyclesGetStatusType0 | None | Unset):
        kind (ListCyclesV1NettingCyclesGetKindType0 | None | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | list[CycleSummaryOut]
    """

    return sync_detailed(
        client=client,
        status=status,
        kind=kind,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    status: ListCyclesV1NettingCyclesGetStatusType0 | None | Unset = UNSET,
    kind: ListCyclesV1NettingCyclesGetKindType0 | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[Any | list[CycleSummaryOut]]:
    """List netting cycles, newest first

    Args:
        status (ListCyclesV1NettingCyclesGetStatusType0 | None | Unset):
        kind (ListCyclesV1NettingCyclesGetKindType0 | None | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | list[CycleSummaryOut]]
    """

    kwargs = _get_kwargs(
        status=status,
        kind=kind,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    status: ListCyclesV1NettingCyclesGetStatusType0 | None | Unset = UNSET,
    kind: ListCyclesV1NettingCyclesGetKindType0 | None | Unset = UNSET,
    limit: int | Unset = 100,
) -> Any | list[CycleSummaryOut] | None:
    """List netting cycles, newest first

    Args:
        status (ListCyclesV1NettingCyclesGetStatusType0 | None | Unset):
        kind (ListCyclesV1NettingCyclesGetKindType0 | None | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | list[CycleSummaryOut]
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            kind=kind,
            limit=limit,
        )
    ).parsed
