from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.account_in_type import AccountInType, check_account_in_type
from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.account_in_metadata import AccountInMetadata


T = TypeVar("T", bound="AccountIn")


@_attrs_define
class AccountIn:
    code: str
    currency: Currency
    """ ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not) """
    type_: AccountInType
    name: str | Unset = ""
    owner_ref: None | str | Unset = UNSET
    metadata: AccountInMetadata | Unset = UNSET
    """ Free JSON object (at most 8 KiB) """
    debits_must_not_exceed_credits: bool | Unset = False
    """ refuse a debit that would take the balance below zero """
    credits_must_not_exceed_debits: bool | Unset = False
    """ refuse a credit that would take the balance above zero """

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        currency: str = self.currency

        type_: str = self.type_

        name = self.name

        owner_ref: None | str | Unset
        if isinstance(self.owner_ref, Unset):
            owner_ref = UNSET
        else:
            owner_ref = self.owner_ref

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        debits_must_not_exceed_credits = self.debits_must_not_exceed_credits

        credits_must_not_exceed_debits = self.credits_must_not_exceed_debits

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "currency": currency,
                "type": type_,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if owner_ref is not UNSET:
            field_dict["owner_ref"] = owner_ref
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if debits_must_not_exceed_credits is not UNSET:
            field_dict["debits_must_not_exceed_credits"] = debits_must_not_exceed_credits
        if credits_must_not_exceed_debits is not UNSET:
            field_dict["credits_must_not_exceed_debits"] = credits_must_not_exceed_debits

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.account_in_metadata import AccountInMetadata  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        currency = check_currency(d.pop("currency"))

        type_ = check_account_in_type(d.pop("type"))

        name = d.pop("name", UNSET)

        def _parse_owner_ref(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        owner_ref = _parse_owner_ref(d.pop("owner_ref", UNSET))

        _metadata = d.pop("metadata", UNSET)
        metadata: AccountInMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = AccountInMetadata.from_dict(_metadata)

        debits_must_not_exceed_credits = d.pop("debits_must_not_exceed_credits", UNSET)

        credits_must_not_exceed_debits = d.pop("credits_must_not_exceed_debits", UNSET)

        account_in = cls(
            code=code,
            currency=currency,
            type_=type_,
            name=name,
            owner_ref=owner_ref,
            metadata=metadata,
            debits_must_not_exceed_credits=debits_must_not_exceed_credits,
            credits_must_not_exceed_debits=credits_must_not_exceed_debits,
        )

        return account_in
