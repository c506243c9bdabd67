from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.aggregate_balance_out import AggregateBalanceOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    ledger_id: UUID,
    *,
    owner_ref: None | str | Unset = UNSET,
    meta_key: None | str | Unset = UNSET,
    meta_value: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_owner_ref: None | str | Unset
    if isinstance(owner_ref, Unset):
        json_owner_ref = UNSET
    else:
        json_owner_ref = owner_ref
    params["owner_ref"] = json_owner_ref

    json_meta_key: None | str | Unset
    if isinstance(meta_key, Unset):
        json_meta_key = UNSET
    else:
        json_meta_key = meta_key
    params["meta_key"] = json_meta_key

    json_meta_value: None | str | Unset
    if isinstance(meta_value, Unset):
        json_meta_value = UNSET
    else:
        json_meta_value = meta_value
    params["meta_value"] = json_meta_value

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/ledgers/{ledger_id}/balances".format(
            ledger_id=quote(str(ledger_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | list[AggregateBalanceOut] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = AggregateBalanceOut.from_dict(response_200_item_data)

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
) -> Response[Any | list[AggregateBalanceOut]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    ledger_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    owner_ref: None | str | Unset = UNSET,
    meta_key: None | str | Unset = UNSET,
    meta_value: None | str | Unset = UNSET,
) -> Response[Any | list[AggregateBalanceOut]]:
    """Balances summed over accounts selected by owner or metadata

    Args:
        ledger_id (UUID):
        owner_ref (None | str | Unset):
        meta_key (None | str | Unset):
        meta_value (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | list[AggregateBalanceOut]]
    """

    kwargs = _get_kwargs(
        ledger_id=ledger_id,
        owner_ref=owner_ref,
        meta_key=meta_key,
        meta_value=meta_value,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    ledger_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    owner_ref: None | str | Unset = UNSET,
    meta_key: None | str | Unset = UNSET,
    meta_value: None | str | Unset = UNSET,
) -> Any | list[AggregateBalanceOut] | None:
    """Balances summed over accounts selected by owner or metadata

    Args:
        ledger_id (UUID):
        owner_ref (None | str | Unset):
        meta_key (None | str | Unset):
        meta_value (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | list[AggregateBalanceOut]
    """

    return sync_detailed(
        ledger_id=ledger_id,
        client=client,
        owner_ref=owner_ref,
        meta_key=meta_key,
        meta_value=meta_value,
    ).parsed


async def asyncio_detailed(
    ledger_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    owner_ref: None | str | Unset = UNSET,
    meta_key: None | str | Unset = UNSET,
    meta_value: None | str | Unset = UNSET,
) -> Response[Any | list[AggregateBalanceOut]]:
    """Balances summed over accounts selected by owner or metadata

    Args:
        ledger_id (UUID):
        owner_ref (None | str | Unset):
        meta_key (None | str | Unset):
        meta_value (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | list[AggregateBalanceOut]]
    """

    kwargs = _get_kwargs(
        ledger_id=ledger_id,
        owner_ref=owner_ref,
        meta_key=meta_key,
        meta_value=meta_value,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    ledger_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    owner_ref: None | str | Unset = UNSET,
    meta_key: None | str | Unset = UNSET,
    meta_value: None | str | Unset = UNSET,
) -> Any | list[AggregateBalanceOut] | None:
    """Balances summed over accounts selected by owner or metadata

    Args:
        ledger_id (UUID):
        owner_ref (None | str | Unset):
        meta_key (None | str | Unset):
        meta_value (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | list[AggregateBalanceOut]
    """

    return (
        await asyncio_detailed(
            ledger_id=ledger_id,
            client=client,
            owner_ref=owner_ref,
            meta_key=meta_key,
            meta_value=meta_value,
        )
    ).parsed
