from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.quota_out import QuotaOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    customer_id: UUID,
    *,
    year: int | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_year: int | None | Unset
    if isinstance(year, Unset):
        json_year = UNSET
    else:
        json_year = year
    params["year"] = json_year

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/customers/{customer_id}/quota".format(
            customer_id=quote(str(customer_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | QuotaOut | None:
    if response.status_code == 200:
        response_200 = QuotaOut.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | QuotaOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    customer_id: UUID,
    *,
    client: AuthenticatedClient,
    year: int | None | Unset = UNSET,
) -> Response[Problem | QuotaOut]:
    """An individual's annual quota: used and remaining per direction

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `settlement:read` (else 403 `forbidden_scope`).

    Args:
        customer_id (UUID):
        year (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | QuotaOut]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        year=year,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    customer_id: UUID,
    *,
    client: AuthenticatedClient,
    year: int | None | Unset = UNSET,
) -> Problem | QuotaOut | None:
    """An individual's annual quota: used and remaining per direction

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `settlement:read` (else 403 `forbidden_scope`).

    Args:
        customer_id (UUID):
        year (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | QuotaOut
    """

    return sync_detailed(
        customer_id=customer_id,
        client=client,
        year=year,
    ).parsed


async def asyncio_detailed(
    customer_id: UUID,
    *,
    client: AuthenticatedClient,
    year: int | None | Unset = UNSET,
) -> Response[Problem | QuotaOut]:
    """An individual's annual quota: used and remaining per direction

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `settlement:read` (else 403 `forbidden_scope`).

    Args:
        customer_id (UUID):
        year (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | QuotaOut]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        year=year,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    customer_id: UUID,
    *,
    client: AuthenticatedClient,
    year: int | None | Unset = UNSET,
) -> Problem | QuotaOut | None:
    """An individual's annual quota: used and remaining per direction

     **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `settlement:read` (else 403 `forbidden_scope`).

    Args:
        customer_id (UUID):
        year (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | QuotaOut
    """

    return (
        await asyncio_detailed(
            customer_id=customer_id,
            client=client,
            year=year,
        )
    ).parsed
