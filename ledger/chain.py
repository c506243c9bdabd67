"""Tamper evidence: the canonical form of a transaction, its chained SHA-256,
and Ed25519-signed checkpoints of a ledger's chain head.

hash(tx) = SHA-256(prev_hash || canonical(tx)), where prev_hash is the hash
of the previous transaction (by ``seq``) of the same ledger and the first
transaction chains to :data:`GENESIS`.  Changing, removing or inserting any
stored transaction or posting breaks the chain from that point.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .config import Settings

GENESIS = "0" * 64


def utc_naive(ts: datetime) -> datetime:
    """``ts`` in UTC without tzinfo (naive values are taken as UTC)."""
    if ts.tzinfo is not None:
        ts = ts.astimezone(UTC).replace(tzinfo=None)
    return ts


def ts_text(ts: datetime | None) -> str:
    if ts is None:
        return ""
    return utc_naive(ts).isoformat(timespec="microseconds")


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_transaction(
    *,
    id: UUID | str,
    ledger_id: UUID | str,
    seq: int,
    kind: str,
    effective_date: date | str,
    recorded_at: datetime | str,
    description: str,
    metadata: dict[str, Any] | None,
    pending_id: UUID | str | None,
    reverses_id: UUID | str | None,
    expires_at: datetime | str | None,
    idempotency_key: str,
    postings: Iterable[tuple[int, UUID | str, str, int, str]],
    metadata_json: str | None = None,
) -> bytes:
    """The bytes hashed for a transaction.  ``postings`` are
    ``(line_no, account_id, currency, amount, phase)`` in line order.

    This is the one definition of the canonical form (the posting engine and
    :meth:`Ledger.verify` both call it).  A hot caller may pass any value
    already in its canonical text (ids as ``str(uuid)``, ``effective_date``
    as ISO text, timestamps as :func:`ts_text`): the bytes are the same."""
    parts = [
        "xb1",
        id if isinstance(id, str) else str(id),
        ledger_id if isinstance(ledger_id, str) else str(ledger_id),
        str(seq),
        kind,
        effective_date if isinstance(effective_date, str) else effective_date.isoformat(),
        recorded_at if isinstance(recorded_at, str) else ts_text(recorded_at),
        (pending_id if isinstance(pending_id, str) else str(pending_id)) if pending_id else "",
        (reverses_id if isinstance(reverses_id, str) else str(reverses_id)) if reverses_id else "",
        expires_at if isinstance(expires_at, str) else ts_text(expires_at),
        idempotency_key,
        description,
        metadata_json if metadata_json is not None else canonical_json(metadata),
    ]
    lines = ";".join([f"{n}:{a}:{c}:{amt}:{ph}" for n, a, c, amt, ph in postings])
    return ("|".join(parts) + "#" + lines).encode("utf-8")


def chain_hash(prev_hash: str, canonical: bytes) -> str:
    return hashlib.sha256(bytes.fromhex(prev_hash) + canonical).hexdigest()


class CheckpointSigner:
    """Signs chain heads with an Ed25519 key."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._key = private_key
        raw = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.public_key_hex = raw.hex()
        self.key_id = hashlib.sha256(raw).hexdigest()[:16]

    @classmethod
    def from_seed_b64(cls, seed_b64: str) -> CheckpointSigner:
        seed = base64.b64decode(seed_b64)
        if len(seed) != 32:
            raise ValueError("the ledger signing key must be a base64 32-byte Ed25519 seed")
        return cls(Ed25519PrivateKey.from_private_bytes(seed))

    @classmethod
    def from_settings(cls, settings: Settings) -> CheckpointSigner:
        """The configured key, or a development key kept in the data dir."""
        if settings.ledger_signing_key:
            return cls.from_seed_b64(settings.ledger_signing_key)
        path = Path(settings.data_dir) / "ledger-signing-key"
        if path.exists():
            return cls.from_seed_b64(path.read_text().strip())
        path.parent.mkdir(parents=True, exist_ok=True)
        seed = Ed25519PrivateKey.generate().private_bytes_raw()
        path.write_text(base64.b64encode(seed).decode())
        path.chmod(0o600)
        return cls.from_seed_b64(base64.b64encode(seed).decode())

    @staticmethod
    def message(ledger_id: UUID, seq: int, head_hash: str, created_at: datetime) -> bytes:
        return f"xborder-checkpoint|{ledger_id}|{seq}|{head_hash}|{ts_text(created_at)}".encode()

    def sign(self, ledger_id: UUID, seq: int, head_hash: str, created_at: datetime) -> str:
        return base64.b64encode(self._key.sign(self.message(ledger_id, seq, head_hash, created_at))).decode()

    @staticmethod
    def verify(public_key_hex: str, signature_b64: str, ledger_id: UUID, seq: int, head_hash: str, created_at: datetime) -> bool:
        try:
            pub = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
            pub.verify(base64.b64decode(signature_b64), CheckpointSigner.message(ledger_id, seq, head_hash, created_at))
        except Exception:  # noqa: BLE001 - any failure means "does not verify"
            return False
        return True
