from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.user_submitted_status import UserSubmittedStatus, check_user_submitted_status

if TYPE_CHECKING:
    from ..models.approval_actor_out import ApprovalActorOut
    from ..models.user_out import UserOut
    from ..models.user_submitted_params import UserSubmittedParams
    from ..models.user_submitted_result_type_0 import UserSubmittedResultType0


T = TypeVar("T", bound="UserSubmitted")


@_attrs_define
class UserSubmitted:
    id: UUID
    action: str
    """ the policy of the action (see the README's four-eyes table), e.g. `user.create` """
    status: UserSubmittedStatus
    summary: str
    object_type: str
    object_id: None | str
    params: UserSubmittedParams
    """ what will be executed (never a password or a secret) """
    maker: ApprovalActorOut
    checker: ApprovalActorOut | None
    """ who approved or rejected it (the maker, when he withdrew it) """
    reason: None | str
    """ why it was rejected, or why its execution failed """
    result: None | UserSubmittedResultType0
    """ the executed action's response body (a problem document when it failed) """
    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    user: UserOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.approval_actor_out import ApprovalActorOut  # noqa: PLC0415
        from ..models.user_submitted_result_type_0 import UserSubmittedResultType0  # noqa: PLC0415

        id = str(self.id)

        action = self.action

        status: str = self.status

        summary = self.summary

        object_type = self.object_type

        object_id: None | str
        object_id = self.object_id

        params = self.params.to_dict()

        maker = self.maker.to_dict()

        checker: dict[str, Any] | None
        if isinstance(self.checker, ApprovalActorOut):
            checker = self.checker.to_dict()
        else:
            checker = self.checker

        reason: None | str
        reason = self.reason

        result: dict[str, Any] | None
        if isinstance(self.result, UserSubmittedResultType0):
            result = self.result.to_dict()
        else:
            result = self.result

        created_at = self.created_at.isoformat()

        decided_at: None | str
        if isinstance(self.decided_at, datetime.datetime):
            decided_at = self.decided_at.isoformat()
        else:
            decided_at = self.decided_at

        user = self.user.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "action": action,
                "status": status,
                "summary": summary,
                "object_type": object_type,
                "object_id": object_id,
                "params": params,
                "maker": maker,
                "checker": checker,
                "reason": reason,
                "result": result,
                "created_at": created_at,
                "decided_at": decided_at,
                "user": user,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.approval_actor_out import ApprovalActorOut  # noqa: PLC0415
        from ..models.user_out import UserOut  # noqa: PLC0415
        from ..models.user_submitted_params import UserSubmittedParams  # noqa: PLC0415
        from ..models.user_submitted_result_type_0 import UserSubmittedResultType0  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        action = d.pop("action")

        status = check_user_submitted_status(d.pop("status"))

        summary = d.pop("summary")

        object_type = d.pop("object_type")

        def _parse_object_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        object_id = _parse_object_id(d.pop("object_id"))

        params = UserSubmittedParams.from_dict(d.pop("params"))

        maker = ApprovalActorOut.from_dict(d.pop("maker"))

        def _parse_checker(data: object) -> ApprovalActorOut | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                checker_type_0 = ApprovalActorOut.from_dict(data)

                return checker_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ApprovalActorOut | None, data)

        checker = _parse_checker(d.pop("checker"))

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        def _parse_result(data: object) -> None | UserSubmittedResultType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0 = UserSubmittedResultType0.from_dict(data)

                return result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UserSubmittedResultType0, data)

        result = _parse_result(d.pop("result"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_decided_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                decided_at_type_0 = datetime.datetime.fromisoformat(data)

                return decided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        decided_at = _parse_decided_at(d.pop("decided_at"))

        user = UserOut.from_dict(d.pop("user"))

        user_submitted = cls(
            id=id,
            action=action,
            status=status,
            summary=summary,
            object_type=object_type,
            object_id=object_id,
            params=params,
            maker=maker,
            checker=checker,
            reason=reason,
            result=result,
            created_at=created_at,
            decided_at=decided_at,
            user=user,
        )

        user_submitted.additional_properties = d
        return user_submitted

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
