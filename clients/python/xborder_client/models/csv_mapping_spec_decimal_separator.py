from typing import Literal

CsvMappingSpecDecimalSeparator = Literal[",", "."]

CSV_MAPPING_SPEC_DECIMAL_SEPARATOR_VALUES: set[CsvMappingSpecDecimalSeparator] = {
    ",",
    ".",
}


def check_csv_mapping_spec_decimal_separator(value: str) -> CsvMappingSpecDecimalSeparator:
    if value in CSV_MAPPING_SPEC_DECIMAL_SEPARATOR_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CSV_MAPPING_SPEC_DECIMAL_SEPARATOR_VALUES!r}")
