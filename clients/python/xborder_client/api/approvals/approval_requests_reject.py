from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.approval_reject_in import ApprovalRejectIn
from ...models.approval_request_out import ApprovalRequestOut
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    request_id: UUID,
    *,
    body: ApprovalRejectIn | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/approval-requests/{request_id}/reject".format(
            request_id=quote(str(request_id), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ApprovalRequestOut | Problem | None:
    if response.status_code == 200:
        response_200 = ApprovalRequestOut.from_dict(response.json())

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
) -> Response[ApprovalRequestOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    request_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ApprovalRejectIn | Unset = UNSET,
) -> Response[ApprovalRequestOut | Problem]:
    """Reject a request (a checker), or withdraw it (its maker)

     A pending request is rejected by a person with a checker role of its action, or withdrawn by its
    maker; it can then never be approved. 403 problems naming the rule: `four_eyes_person_required` (an
    API key), `four_eyes_same_person` (the maker, also through a key he issued or the person behind the
    maker's key), `four_eyes_checker_role`, `four_eyes_linked_checker` (a user the maker created,
    enabled or gave the role within the cooling period, `XBORDER_FOUR_EYES_COOLING_HOURS`, default 24).
    Each refusal is audited (`four_eyes.refused`).

    **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `approvals:read` (else 403 `forbidden_scope`).

    Args:
        request_id (UUID):
        body (ApprovalRejectIn | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApprovalRequestOut | Problem]
    """

    kwargs = _get_kwargs(
        request_id=request_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    request_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ApprovalRejectIn | Unset = UNSET,
) -> ApprovalRequestOut | Problem | None:
    """Reject a request (a checker), or withdraw it (its maker)

     A pending request is rejected by a person with a checker role of its action, or withdrawn by its
    maker; it can then never be approved. 403 problems naming the rule: `four_eyes_person_required` (an
    API key), `four_eyes_same_person` (the maker, also through a key he issued or the person behind the
    maker's key), `four_eyes_checker_role`, `four_eyes_linked_checker` (a user the maker created,
    enabled or gave the role within the cooling period, `XBORDER_FOUR_EYES_COOLING_HOURS`, default 24).
    Each refusal is audited (`four_eyes.refused`).

    **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `approvals:read` (else 403 `forbidden_scope`).

    Args:
        request_id (UUID):
        body (ApprovalRejectIn | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApprovalRequestOut | Problem
    """

    return sync_detailed(
        request_id=request_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    request_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ApprovalRejectIn | Unset = UNSET,
) -> Response[ApprovalRequestOut | Problem]:
    """Reject a request (a checker), or withdraw it (its maker)

     A pending request is rejected by a person with a checker role of its action, or withdrawn by its
    maker; it can then never be approved. 403 problems naming the rule: `four_eyes_person_required` (an
    API key), `four_eyes_same_person` (the maker, also through a key he issued or the person behind the
    maker's key), `four_eyes_checker_role`, `four_eyes_linked_checker` (a user the maker created,
    enabled or gave the role within the cooling period, `XBORDER_FOUR_EYES_COOLING_HOURS`, default 24).
    Each refusal is audited (`four_eyes.refused`).

    **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `approvals:read` (else 403 `forbidden_scope`).

    Args:
        request_id (UUID):
        body (ApprovalRejectIn | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApprovalRequestOut | Problem]
    """

    kwargs = _get_kwargs(
        request_id=request_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    request_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ApprovalRejectIn | Unset = UNSET,
) -> ApprovalRequestOut | Problem | None:
    """Reject a request (a checker), or withdraw it (its maker)

     A pending request is rejected by a person with a checker role of its action, or withdrawn by its
    maker; it can then never be approved. 403 problems naming the rule: `four_eyes_person_required` (an
    API key), `four_eyes_same_person` (the maker, also through a key he issued or the person behind the
    maker's key), `four_eyes_checker_role`, `four_eyes_linked_checker` (a user the maker created,
    enabled or gave the role within the cooling period, `XBORDER_FOUR_EYES_COOLING_HOURS`, default 24).
    Each refusal is audited (`four_eyes.refused`).

    **Access**: roles `admin`, `approver`, `finance`, `system`; an API key needs the scope
    `approvals:read` (else 403 `forbidden_scope`).

    Args:
        request_id (UUID):
        body (ApprovalRejectIn | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApprovalRequestOut | Problem
    """

    return (
        await asyncio_detailed(
            request_id=request_id,
            client=client,
            body=body,
        )
    ).parsed
