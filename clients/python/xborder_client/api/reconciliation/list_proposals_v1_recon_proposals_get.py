from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_proposals_v1_recon_proposals_get_status_type_0 import (
    ListProposalsV1ReconProposalsGetStatusType0,
)
from ...models.proposal_list import ProposalList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: ListProposalsV1ReconProposalsGetStatusType0 | None | Unset = "pending",
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

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/recon/proposals",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ProposalList | None:
    if response.status_code == 200:
        response_200 = ProposalList.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | ProposalList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    status: ListProposalsV1ReconProposalsGetStatusType0 | None | Unset = "pending",
) -> Response[Any | ProposalList]:
    """Proposals awaiting approval (or decided ones)

    Args:
        status (ListProposalsV1ReconProposalsGetStatusType0 | None | Unset):  Default: 'pending'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ProposalList]
    """

    kwargs = _get_kwargs(
        status=status,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    status: ListProposalsV1ReconProposalsGetStatusType0 | None | Unset = "pending",
) -> Any | ProposalList | None:
    """Proposals awaiting approval (or decided ones)

    Args:
        status (ListProposalsV1ReconProposalsGetStatusType0 | None | Unset):  Default: 'pending'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ProposalList
    """

    return sync_detailed(
        client=client,
        status=status,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    status: ListProposalsV1ReconProposalsGetStatusType0 | None | Unset = "pending",
) -> Response[Any | ProposalList]:
    """Proposals awaiting approval (or decided ones)

    Args:
        status (ListProposalsV1ReconProposalsGetStatusType0 | None | Unset):  Default: 'pending'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ProposalList]
    """

    kwargs = _get_kwargs(
        status=status,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    status: ListProposalsV1ReconProposalsGetStatusType0 | None | Unset = "pending",
) -> Any | ProposalList | None:
    """Proposals awaiting approval (or decided ones)

    Args:
        status (ListProposalsV1ReconProposalsGetStatusType0 | None | Unset):  Default: 'pending'.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ProposalList
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
        )
    ).parsed
