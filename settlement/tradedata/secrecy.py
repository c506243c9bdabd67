"""Held records at rest: the raw text of a rejected trade-data record (a
malformed line is kept as it came, personal data included) is encrypted
with the personal-data key (AES-GCM, bound to the column and the
institution) and decrypted only to be shown to the institution's staff."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from ledger.crypto import DecryptionError, Keyring, deployment_keyring, is_ciphertext


def reject_context(institution_id: UUID | str) -> str:
    return f"trade_rejects.raw:{institution_id}"


def seal_reject(keyring: Keyring, institution_id: UUID | str, raw: str) -> str:
    """The stored form of a held record's raw text."""
    return keyring.encrypt(raw, context=reject_context(institution_id))


def open_reject(keyring: Keyring | None, institution_id: UUID | str, stored: str) -> str:
    """The raw text of a held record (rows written before 0024 are in clear
    until ``xborder keys rotate`` seals them)."""
    if not is_ciphertext(stored):
        return stored
    try:
        return (keyring or deployment_keyring()).decrypt(stored, context=reject_context(institution_id))
    except DecryptionError:
        return "(encrypted under a key this process does not hold)"


def open_rejects(keyring: Keyring | None, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "raw": open_reject(keyring, r["institution_id"], r["raw"])} for r in rows]
