"""Asset identity, not spelling (F5).

A financed asset is identified by registry codes and numbers, never by a
name: a warehouse receipt by the warehouse operator's unified social credit
code (统一社会信用代码, GB 32100-2015) and the receipt number; an insured
receivable by the buyer's registry code and the invoice number; a policy by
the insurer's code and the policy number; an order by platform and order id.
Names are display data.

Numbers and codes are compared in their normalized form
(:func:`normalize_number`): Unicode NFKC (full-width letters and digits
become ASCII), case-folded, every character that is not a letter or a digit
(spaces, punctuation, dashes, symbols) removed.  So ``"WR-001"``,
``"wr 001"`` and ``"ＷＲ００１"`` are one receipt number.
"""

from __future__ import annotations

import unicodedata

from ledger.errors import InvalidInput

#: the 31 characters of a unified social credit code, by value (no I, O, Z, S, V)
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: the weights of the first 17 characters (3^i mod 31)
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}


class InvalidRegistryCode(InvalidInput):
    code = "invalid_registry_code"
    title = "Invalid unified social credit code"


def uscc_check_character(first17: str) -> str:
    """The check character of the first 17 characters of a unified social
    credit code: C18 = 31 − (Σ value(Ci) × Wi mod 31), 31 written as 0."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc(value: str, field: str = "warehouse_code") -> str:
    """A valid 18-character unified social credit code, normalized (NFKC,
    upper case, spaces and dashes removed); :class:`InvalidRegistryCode`
    (422, naming ``field``) otherwise."""
    if not isinstance(value, str):
        raise InvalidRegistryCode(f"{field} must be an 18-character unified social credit code", field=field)
    code = "".join(ch for ch in unicodedata.normalize("NFKC", value).upper() if not ch.isspace() and ch != "-")
    if len(code) != 18 or any(c not in _VALUE for c in code):
        raise InvalidRegistryCode(
            f"{field} must be an 18-character unified social credit code (characters 0-9 A-H J-N P-R T-U W-Y)", field=field, value=value[:40]
        )
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        raise InvalidRegistryCode(f"{field} fails its check character (GB 32100-2015)", field=field, value=code, expected_check_character=expected)
    return code


def normalize_number(value: str, field: str = "number") -> str:
    """NFKC, case-folded, only letters and digits kept; an empty result is
    refused (422 naming ``field``)."""
    text = unicodedata.normalize("NFKC", value if isinstance(value, str) else "").casefold()
    out = "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")
    if not out:
        raise InvalidInput(f"{field} must contain letters or digits", field=field)
    return out
