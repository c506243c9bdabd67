"""Bank-statement personal data at rest: the counterparty's name and
account number of a statement line (and of the parts of a batch line), and
its free text (an MT940 :86: field carries the ordering party's name and
account) are encrypted with the personal-data key (AES-GCM, bound to the field and the
institution).  Matching never compares them; they are decrypted only to be
shown to the institution's staff (lines, exceptions, the console)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from ledger.crypto import DecryptionError, Keyring, is_ciphertext
from ledger.rekey import reseal_columns

from .tables import recon_line_parts, recon_lines

#: the personal-data fields of ``recon_lines`` and ``recon_line_parts``
SEALED = ("counterparty_name", "counterparty_account", "description")


def context(institution_id: UUID | str, field: str) -> str:
    return f"recon.{field}:{institution_id}"


def seal(keyring: Keyring, institution_id: UUID | str, field: str, value: str | None) -> str | None:
    return None if value is None else keyring.encrypt(value, context=context(institution_id, field))


def reveal(keyring: Keyring, institution_id: UUID | str, field: str, value: str | None) -> str | None:
    """The value in clear (a value stored before 0024 is in clear until
    ``xborder keys rotate`` seals it)."""
    if value is None or not is_ciphertext(value):
        return value
    try:
        return keyring.decrypt(value, context=context(institution_id, field))
    except DecryptionError:
        return "(encrypted under a key this process does not hold)"


def seal_row(keyring: Keyring, row: dict[str, Any]) -> dict[str, Any]:
    """A ``recon_lines`` / ``recon_line_parts`` row with its personal data sealed."""
    return {**row, **{f: seal(keyring, row["institution_id"], f, row.get(f)) for f in SEALED if f in row}}


async def rekey_recon(conn: AsyncConnection, keyring: Keyring) -> int:
    """Seal the counterparty fields written in clear before 0024 and
    re-encrypt the others under the current key, inside the caller's
    transaction (part of ``xborder keys rotate``).  Returns rows changed."""
    changed = 0
    for table in (recon_lines, recon_line_parts):
        changed += await reseal_columns(conn, keyring, table, SEALED, lambda row, field: context(row.institution_id, field), clear_ok=True)
    return changed
