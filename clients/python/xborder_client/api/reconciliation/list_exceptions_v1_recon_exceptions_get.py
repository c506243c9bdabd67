import datetime
from http import HTTPStatus
from typing import Any, cast
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.exception_list import ExceptionList
from ...models.list_exceptions_v1_recon_exceptions_get_side_type_0 import (
    ListExceptionsV1ReconExceptionsGetSideType0,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    side: ListExceptionsV1ReconExceptionsGetSideType0 | None | Unset = UNSET,
    recon_account_id: None | Unset | UUID = UNSET,
    as_of: datetime.date | None | Unset = UNSET,
    limit: int | Unset = 200,
    offset: int | Unset = 0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_side: None | str | Unset
    if isinstance(side, Unset):
        json_side = UNSET
    elif isinstance(side, str):
        json_side = side
    else:
        json_side = side
    params["side"] = json_side

    json_recon_account_id: None | str | Unset
    if isinstance(recon_account_id, Unset):
        json_recon_account_id = UNSET
    elif isinstance(recon_account_id, UUID):
        json_recon_account_id = str(recon_account_id)
    else:
        json_recon_account_id = recon_account_id
    params["recon_account_id"] = json_recon_account_id

    json_as_of: None | str | Unset
    if isinstance(as_of, Unset):
        json_as_of = UNSET
    elif isinstance(as_of, datetime.date):
        json_as_of = as_of.isoformat()
    else:
        json_as_of = as_of
    params["as_of"] = json_as_of

    params["limit"] = limit

    params["offset"] = offset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/recon/exceptions",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ExceptionList | None:
    if response.status_code == 200:
        response_200 = ExceptionList.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | ExceptionList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    side: ListExceptionsV1ReconExceptionsGetSideType0 | None | Unset = UNSET,
    recon_account_id: None | Unset | UUID = UNSET,
    as_of: datetime.date | None | Unset = UNSET,
    limit: int | Unset = 200,
    offset: int | Unset = 0,
) -> Response[Any | ExceptionList]:
    """Unmatched statement lines and ledger entries, oldest first, with age

    Args:
        side (ListExceptionsV1ReconExceptionsGetSideType0 | None | Unset):
        recon_account_id (None | Unset | UUID):
        as_of (datetime.date | None | Unset):
        limit (int | Unset):  Default: 200.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ExceptionList]
    """

    kwargs = _get_kwargs(
        side=side,
        recon_account_id=recon_account_id,
        as_of=as_of,
        limit=limit,
        offset=offset,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    side: ListExceptionsV1ReconExceptionsGetSideType0 | None | Unset = UNSET,
    recon_account_id: None | Unset | UUID = UNSET,
    as_of: datetime.date | None | Unset = UNSET,
    limit: int | Unset = 200,
    offset: int | Unset = 0,
) -> Any | ExceptionList | None:
    """Unmatched statement lines and ledger entries, oldest first, with age

    Args:
        side (ListExceptionsV1ReconExceptionsGetSideType0 | None | Unset):
        recon_account_id (None | Unset | UUID):
        as_of (datetime.date | None | Unset):
        limit (int | Unset):  Default: 200.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ExceptionList
    """

    return sync_detailed(
        client=client,
        side=side,
        recon_account_id=recon_account_id,
        as_of=as_of,
        limit=limit,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    side: ListExceptionsV1ReconExceptionsGetSideType0 | None | Unset = UNSET,
    recon_account_id: None | Unset | UUID = UNSET,
    as_of: datetime.date | None | Unset = UNSET,
    limit: int | Unset = 200,
    offset: int | Unset = 0,
) -> Response[Any | ExceptionList]:
    """Unmatched statement lines and ledger entries, oldest first, with age

    Args:
        side (ListExceptionsV1ReconExceptionsGetSideType0 | None | Unset):
        recon_account_id (None | Unset | UUID):
        as_of (datetime.date | None | Unset):
        limit (int | Unset):  Default: 200.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ExceptionList]
    """

    kwargs = _get_kwargs(
        side=side,
        recon_account_id=recon_account_id,
        as_of=as_of,
        limit=limit,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    side: ListExceptionsV1ReconExceptionsGetSideType0 | None | Unset = UNSET,
    recon_account_id: None | Unset | UUID = UNSET,
    as_of: datetime.date | None | Unset = UNSET,
    limit: int | Unset = 200,
    offset: int | Unset = 0,
) -> Any | ExceptionList | None:
    """Unmatched statement lines and ledger entries, oldest first, with age

    Args:
        side (ListExceptionsV1ReconExceptionsGetSideType0 | None | Unset):
        recon_account_id (None | Unset | UUID):
        as_of (datetime.date | None | Unset):
        limit (int | Unset):  Default: 200.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ExceptionList
    """

    return (
        await asyncio_detailed(
            client=client,
            side=side,
            recon_account_id=recon_account_id,
            as_of=as_of,
            limit=limit,
            offset=offset,
        )
    ).parsed
