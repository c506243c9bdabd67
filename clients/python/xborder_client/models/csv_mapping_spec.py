from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.csv_mapping_spec_decimal_separator import (
    CsvMappingSpecDecimalSeparator,
    check_csv_mapping_spec_decimal_separator,
)
from ..models.csv_mapping_spec_thousands_separator import (
    CsvMappingSpecThousandsSeparator,
    check_csv_mapping_spec_thousands_separator,
)
from ..models.currency import Currency, check_currency
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.csv_mapping_spec_columns import CsvMappingSpecColumns


T = TypeVar("T", bound="CsvMappingSpec")


@_attrs_define
class CsvMappingSpec:
    """How to read a bank's CSV export.  Rules across settings (422 `csv_mapping_inconsistent` when broken): map `amount`,
    or both
    `debit` and `credit`; a `currency` column or `fixed_currency` (exactly one); an `account` column or `fixed_account`
    (exactly one);
    `booking_date` or `value_date`; header names when `has_header` is true, 0-based column indexes when false;
    `delimiter` differs from
    `quotechar` and `thousands_separator` from `decimal_separator`; `encoding` is a known codec; `date_format` round-
    trips a date.

    """

    columns: CsvMappingSpecColumns
    """ field -> header name (or 0-based column index without a header row) """
    delimiter: str | Unset = ","
    quotechar: str | Unset = '\\"'
    encoding: str | Unset = "utf-8"
    has_header: bool | Unset = True
    date_format: str | Unset = "%Y-%m-%d"
    decimal_separator: CsvMappingSpecDecimalSeparator | Unset = "."
    thousands_separator: CsvMappingSpecThousandsSeparator | Unset = ""
    fixed_currency: Currency | None | Unset = UNSET
    """ the currency of every line, when no column gives it """
    fixed_account: None | str | Unset = UNSET
    """ the bank account of every line, when no column gives it """
    statement_id: None | str | Unset = UNSET
    skip_blank_rows: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        columns = self.columns.to_dict()

        delimiter = self.delimiter

        quotechar = self.quotechar

        encoding = self.encoding

        has_header = self.has_header

        date_format = self.date_format

        decimal_separator: str | Unset = UNSET
        if not isinstance(self.decimal_separator, Unset):
            decimal_separator = self.decimal_separator

        thousands_separator: str | Unset = UNSET
        if not isinstance(self.thousands_separator, Unset):
            thousands_separator = self.thousands_separator

        fixed_currency: None | str | Unset
        if isinstance(self.fixed_currency, Unset):
            fixed_currency = UNSET
        elif isinstance(self.fixed_currency, str):
            fixed_currency = self.fixed_currency
        else:
            fixed_currency = self.fixed_currency

        fixed_account: None | str | Unset
        if isinstance(self.fixed_account, Unset):
            fixed_account = UNSET
        else:
            fixed_account = self.fixed_account

        statement_id: None | str | Unset
        if isinstance(self.statement_id, Unset):
            statement_id = UNSET
        else:
            statement_id = self.statement_id

        skip_blank_rows = self.skip_blank_rows

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "columns": columns,
            }
        )
        if delimiter is not UNSET:
            field_dict["delimiter"] = delimiter
        if quotechar is not UNSET:
            field_dict["quotechar"] = quotechar
        if encoding is not UNSET:
            field_dict["encoding"] = encoding
        if has_header is not UNSET:
            field_dict["has_header"] = has_header
        if date_format is not UNSET:
            field_dict["date_format"] = date_format
        if decimal_separator is not UNSET:
            field_dict["decimal_separator"] = decimal_separator
        if thousands_separator is not UNSET:
            field_dict["thousands_separator"] = thousands_separator
        if fixed_currency is not UNSET:
            field_dict["fixed_currency"] = fixed_currency
        if fixed_account is not UNSET:
            field_dict["fixed_account"] = fixed_account
        if statement_id is not UNSET:
            field_dict["statement_id"] = statement_id
        if skip_blank_rows is not UNSET:
            field_dict["skip_blank_rows"] = skip_blank_rows

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.csv_mapping_spec_columns import CsvMappingSpecColumns  # noqa: PLC0415

        d = dict(src_dict)
        columns = CsvMappingSpecColumns.from_dict(d.pop("columns"))

        delimiter = d.pop("delimiter", UNSET)

        quotechar = d.pop("quotechar", UNSET)

        encoding = d.pop("encoding", UNSET)

        has_header = d.pop("has_header", UNSET)

        date_format = d.pop("date_format", UNSET)

        _decimal_separator = d.pop("decimal_separator", UNSET)
        decimal_separator: CsvMappingSpecDecimalSeparator | Unset
        if isinstance(_decimal_separator, Unset):
            decimal_separator = UNSET
        else:
            decimal_separator = check_csv_mapping_spec_decimal_separator(_decimal_separator)

        _thousands_separator = d.pop("thousands_separator", UNSET)
        thousands_separator: CsvMappingSpecThousandsSeparator | Unset
        if isinstance(_thousands_separator, Unset):
            thousands_separator = UNSET
        else:
            thousands_separator = check_csv_mapping_spec_thousands_separator(_thousands_separator)

        def _parse_fixed_currency(data: object) -> Currency | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                fixed_currency_type_0 = check_currency(data)

                return fixed_currency_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Currency | None | Unset, data)

        fixed_currency = _parse_fixed_currency(d.pop("fixed_currency", UNSET))

        def _parse_fixed_account(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        fixed_account = _parse_fixed_account(d.pop("fixed_account", UNSET))

        def _parse_statement_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        statement_id = _parse_statement_id(d.pop("statement_id", UNSET))

        skip_blank_rows = d.pop("skip_blank_rows", UNSET)

        csv_mapping_spec = cls(
            columns=columns,
            delimiter=delimiter,
            quotechar=quotechar,
            encoding=encoding,
            has_header=has_header,
            date_format=date_format,
            decimal_separator=decimal_separator,
            thousands_separator=thousands_separator,
            fixed_currency=fixed_currency,
            fixed_account=fixed_account,
            statement_id=statement_id,
            skip_blank_rows=skip_blank_rows,
        )

        return csv_mapping_spec
