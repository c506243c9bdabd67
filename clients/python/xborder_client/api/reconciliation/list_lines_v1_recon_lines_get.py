from http import HTTPStatus
from typing import Any, cast
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_lines_v1_recon_lines_get_status_type_0 import (
    ListLinesV1ReconLinesGetStatusType0,
)
from ...models.statement_line_list import StatementLineList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    statement: None | Unset | UUID = UNSET,
    recon_account_id: None | Unset | UUID = UNSET,
    status: ListLinesV1ReconLinesGetStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 200,
    offset: int | Unset = 0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_statement: None | str | Unset
    if isinstance(statement, Unset):
        json_statement = UNSET
    elif isinstance(statement, UUID):
        json_statement = str(statement)
    else:
        json_statement = statement
    params["statement"] = json_statement

    json_recon_account_id: None | str | Unset
    if isinstance(recon_account_id, Unset):
        json_recon_account_id = UNSET
    elif isinstance(recon_account_id, UUID):
        json_recon_account_id = str(recon_account_id)
    else:
        json_recon_account_id = recon_account_id
    params["recon_account_id"] = json_recon_account_id

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, str):
        json_status = status
    else:
        json_status = status
    params["status"] = json_status

    params["limit"] = limit

    params["offset"] = offset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/recon/lines",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | StatementLineList | None:
    if response.status_code == 200:
        response_200 = StatementLineList.from_dict(response.json())

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
) -> Response[Any | StatementLineList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    statement: None | Unset | UUID = UNSET,
    recon_account_id: None | Unset | UUID = UNSET,
    status: ListLinesV1ReconLinesGetStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 200,
    offset: int | Unset = 0,
) -> Response[Any | StatementLineList]:
    """Imported statement lines (of one statement, or all), each with its batch parts

    Args:
        statement (None | Unset | UUID): the statement's id (as GET /v1/recon/statements gives it)
        recon_account_id (None | Unset | UUID):
        status (ListLinesV1ReconLinesGetStatusType0 | None | Unset):
        limit (int | Unset):  Default: 200.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | StatementLineList]
    """

    kwargs = _get_kwargs(
        statement=statement,
        recon_account_id=recon_account_id,
        status=status,
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
    statement: None | Unset | UUID = UNSET,
    recon_account_id: None | Unset | UUID = UNSET,
    status: ListLinesV1ReconLinesGetStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 200,
    offset: int | Unset = 0,
) -> Any | StatementLineList | None:
    """Imported statement lines (of one statement, or all), each with its batch parts

    Args:
        statement (None | Unset | UUID): the statement's id (as GET /v1/recon/statements gives it)
        recon_account_id (None | Unset | UUID):
        status (ListLinesV1ReconLinesGetStatusType0 | None | Unset):
        limit (int | Unset):  Default: 200.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | StatementLineList
    """

    return sync_detailed(
        client=client,
        statement=statement,
        recon_account_id=recon_account_id,
        status=status,
        limit=limit,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    statement: None | Unset | UUID = UNSET,
    recon_account_id: None | Unset | UUID = UNSET,
    status: ListLinesV1ReconLinesGetStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 200,
    offset: int | Unset = 0,
) -> Response[Any | StatementLineList]:
    """Imported statement lines (of one statement, or all), each with its batch parts

    Args:
        statement (None | Unset | UUID): the statement's id (as GET /v1/recon/statements gives it)
        recon_account_id (None | Unset | UUID):
        status (ListLinesV1ReconLinesGetStatusType0 | None | Unset):
        limit (int | Unset):  Default: 200.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | StatementLineList]
    """

    kwargs = _get_kwargs(
        statement=statement,
        recon_account_id=recon_account_id,
        status=status,
        limit=limit,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    statement: None | Unset | UUID = UNSET,
    recon_account_id: None | Unset | UUID = UNSET,
    status: ListLinesV1ReconLinesGetStatusType0 | None | Unset = UNSET,
    limit: int | Unset = 200,
    offset: int | Unset = 0,
) -> Any | StatementLineList | None:
    """Imported statement lines (of one statement, or all), each with its batch parts

    Args:
        statement (None | Unset | UUID): the statement's id (as GET /v1/recon/statements gives it)
        recon_account_id (None | Unset | UUID):
        status (ListLinesV1ReconLinesGetStatusType0 | None | Unset):
        limit (int | Unset):  Default: 200.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | StatementLineList
    """

    return (
        await asyncio_detailed(
            client=client,
            statement=statement,
            recon_account_id=recon_account_id,
            status=status,
            limit=limit,
            offset=offset,
        )
    ).parsed
