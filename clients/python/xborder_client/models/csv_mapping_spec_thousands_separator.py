from typing import Literal

CsvMappingSpecThousandsSeparator = Literal["", " ", "'", ",", ".", "\xa0"]

CSV_MAPPING_SPEC_THOUSANDS_SEPARATOR_VALUES: set[CsvMappingSpecThousandsSeparator] = {
    "",
    " ",
    "'",
    ",",
    ".",
    "\xa0",
}


def check_csv_mapping_spec_thousands_separator(value: str) -> CsvMappingSpecThousandsSeparator:
    if value in CSV_MAPPING_SPEC_THOUSANDS_SEPARATOR_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CSV_MAPPING_SPEC_THOUSANDS_SEPARATOR_VALUES!r}")
