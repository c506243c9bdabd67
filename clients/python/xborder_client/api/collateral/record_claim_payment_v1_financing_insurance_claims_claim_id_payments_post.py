from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.claim_payment_in import ClaimPaymentIn
from ...models.claim_payment_out import ClaimPaymentOut
from ...types import Response


def _get_kwargs(
    claim_id: UUID,
    *,
    body: ClaimPaymentIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/financing/insurance-claims/{claim_id}/payments".format(
            claim_id=quote(str(claim_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ClaimPaymentOut | None:
    if response.status_code == 200:
        response_200 = ClaimPaymentOut.from_dict(response.json())

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
) -> Response[Any | ClaimPaymentOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    claim_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ClaimPaymentIn,
) -> Response[Any | ClaimPaymentOut]:
    """The insurer paid the claim (the loans module posts it as a repayment of the assigned financing)

    Args:
        claim_id (UUID):
        body (ClaimPaymentIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ClaimPaymentOut]
    """

    kwargs = _get_kwargs(
        claim_id=claim_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    claim_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ClaimPaymentIn,
) -> Any | ClaimPaymentOut | None:
    """The insurer paid the claim (the loans module posts it as a repayment of the assigned financing)

    Args:
        claim_id (UUID):
        body (ClaimPaymentIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ClaimPaymentOut
    """

    return sync_detailed(
        claim_id=claim_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    claim_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ClaimPaymentIn,
) -> Response[Any | ClaimPaymentOut]:
    """The insurer paid the claim (the loans module posts it as a repayment of the assigned financing)

    Args:
        claim_id (UUID):
        body (ClaimPaymentIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ClaimPaymentOut]
    """

    kwargs = _get_kwargs(
        claim_id=claim_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    claim_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ClaimPaymentIn,
) -> Any | ClaimPaymentOut | None:
    """The insurer paid the claim (the loans module posts it as a repayment of the assigned financing)

    Args:
        claim_id (UUID):
        body (ClaimPaymentIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ClaimPaymentOut
    """

    return (
        await asyncio_detailed(
            claim_id=claim_id,
            client=client,
            body=body,
        )
    ).parsed
