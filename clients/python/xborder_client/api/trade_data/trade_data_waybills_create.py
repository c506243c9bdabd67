from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.ingest_report_out import IngestReportOut
from ...models.problem import Problem
from ...models.waybill_record import WaybillRecord
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: WaybillRecord,
    platform: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    json_platform: None | str | Unset
    if isinstance(platform, Unset):
        json_platform = UNSET
    else:
        json_platform = platform
    params["platform"] = json_platform

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/trade-data/waybills",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> IngestReportOut | Problem | None:
    if response.status_code == 200:
        response_200 = IngestReportOut.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = IngestReportOut.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[IngestReportOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: WaybillRecord,
    platform: None | str | Unset = UNSET,
) -> Response[IngestReportOut | Problem]:
    """Push one logistics waybill (201 when new, 200 when already known)

     **Access**: roles `platform`, `system`; an API key needs the scope `tradedata:write` (else 403
    `forbidden_scope`).

    Args:
        platform (None | str | Unset): the platform: required with an institution's system key
            (without it 422 `platform_required`); a platform key is its own platform (another one is
            403)
        body (WaybillRecord):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[IngestReportOut | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        platform=platform,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: WaybillRecord,
    platform: None | str | Unset = UNSET,
) -> IngestReportOut | Problem | None:
    """Push one logistics waybill (201 when new, 200 when already known)

     **Access**: roles `platform`, `system`; an API key needs the scope `tradedata:write` (else 403
    `forbidden_scope`).

    Args:
        platform (None | str | Unset): the platform: required with an institution's system key
            (without it 422 `platform_required`); a platform key is its own platform (another one is
            403)
        body (WaybillRecord):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        IngestReportOut | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        platform=platform,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: WaybillRecord,
    platform: None | str | Unset = UNSET,
) -> Response[IngestReportOut | Problem]:
    """Push one logistics waybill (201 when new, 200 when already known)

     **Access**: roles `platform`, `system`; an API key needs the scope `tradedata:write` (else 403
    `forbidden_scope`).

    Args:
        platform (None | str | Unset): the platform: required with an institution's system key
            (without it 422 `platform_required`); a platform key is its own platform (another one is
            403)
        body (WaybillRecord):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[IngestReportOut | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        platform=platform,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: WaybillRecord,
    platform: None | str | Unset = UNSET,
) -> IngestReportOut | Problem | None:
    """Push one logistics waybill (201 when new, 200 when already known)

     **Access**: roles `platform`, `system`; an API key needs the scope `tradedata:write` (else 403
    `forbidden_scope`).

    Args:
        platform (None | str | Unset): the platform: required with an institution's system key
            (without it 422 `platform_required`); a platform key is its own platform (another one is
            403)
        body (WaybillRecord):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        IngestReportOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            platform=platform,
        )
    ).parsed
