"""Crypto helpers on audited primitives (``cryptography``): AES-GCM with the
key id in the ciphertext, keyed blind indexes (HMAC-SHA256), scrypt password
hashes, and HMAC-signed short tokens.

Keys come from configuration: ``XBORDER_SECRET_KEY`` is the current key
(base64, 32 bytes); ``XBORDER_OLD_SECRET_KEYS`` (comma separated) are keys
that can still decrypt, so keys can be rotated without re-encrypting first.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from .config import Settings

_VERSION = b"x1"


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b64e(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def key_id(key: bytes) -> str:
    return hashlib.sha256(b"xborder-key-id" + key).hexdigest()[:8]


class DecryptionError(Exception):
    """Ciphertext altered, or encrypted under a key this process lacks."""


@dataclass
class Keyring:
    """The current secret key and older ones kept for decryption."""

    current: bytes
    old: tuple[bytes, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings) -> Keyring:
        raw = settings.secret_key
        if not raw:
            path = Path(settings.data_dir) / "secret-key"
            if path.exists():
                raw = path.read_text().strip()
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                raw = base64.b64encode(os.urandom(32)).decode()
                path.write_text(raw)
                path.chmod(0o600)
        current = base64.b64decode(raw)
        if len(current) != 32:
            raise ValueError("XBORDER_SECRET_KEY must be base64 of 32 bytes")
        old = tuple(base64.b64decode(k) for k in (settings.old_secret_keys or "").split(",") if k.strip())
        return cls(current, old)

    def _subkey(self, key: bytes, purpose: str) -> bytes:
        return hmac.new(key, purpose.encode(), hashlib.sha256).digest()

    def _by_id(self) -> dict[str, bytes]:
        return {key_id(k): k for k in (self.current, *self.old)}

    # -- AES-GCM ---------------------------------------------------------

    def encrypt(self, plaintext: str, *, context: str = "") -> str:
        """``x1.<key id>.<nonce+ciphertext>``; ``context`` is bound as
        associated data (e.g. the column name), so a value cannot be moved."""
        key = self._subkey(self.current, "aes-gcm")
        nonce = os.urandom(12)
        ct = AESGCM(key).encrypt(nonce, plaintext.encode(), context.encode())
        return f"{_VERSION.decode()}.{key_id(self.current)}.{_b64e(nonce + ct)}"

    def decrypt(self, token: str, *, context: str = "") -> str:
        try:
            version, kid, body = token.split(".", 2)
            if version != _VERSION.decode():
                raise ValueError
            master = self._by_id()[kid]
            raw = _b64d(body)
            key = self._subkey(master, "aes-gcm")
            return AESGCM(key).decrypt(raw[:12], raw[12:], context.encode()).decode()
        except (ValueError, KeyError, InvalidTag) as exc:
            raise DecryptionError("cannot decrypt value") from exc

    def needs_rotation(self, token: str) -> bool:
        return token.split(".", 2)[1] != key_id(self.current)

    # -- blind index ------------------------------------------------------

    def blind_index(self, value: str, *, purpose: str = "id-number") -> str:
        """Keyed HMAC of a normalised value: equal inputs give equal indexes,
        the index reveals nothing without the key.  Computed with the current
        key (rotate indexes together with the key)."""
        norm = "".join(value.split()).upper()
        return hmac.new(self._subkey(self.current, "blind:" + purpose), norm.encode(), hashlib.sha256).hexdigest()

    # -- signed tokens ------------------------------------------------------

    def sign_token(self, claims: dict[str, Any], ttl_seconds: int) -> str:
        body = dict(claims, exp=int(time.time()) + ttl_seconds)
        payload = _b64e(json.dumps(body, separators=(",", ":"), sort_keys=True).encode())
        sig = _b64e(hmac.new(self._subkey(self.current, "token"), payload.encode(), hashlib.sha256).digest())
        return f"xbt.{payload}.{sig}"

    def verify_token(self, token: str) -> dict[str, Any] | None:
        """The claims of a valid, unexpired token, else None."""
        try:
            tag, payload, sig = token.split(".")
            if tag != "xbt":
                return None
            expected = _b64e(hmac.new(self._subkey(self.current, "token"), payload.encode(), hashlib.sha256).digest())
            if not hmac.compare_digest(expected, sig):
                return None
            claims = json.loads(_b64d(payload))
        except (ValueError, json.JSONDecodeError):
            return None
        if not isinstance(claims, dict) or int(claims.get("exp", 0)) < time.time():
            return None
        return claims


# -- passwords (memory-hard KDF) ----------------------------------------------

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


def hash_password(password: str) -> str:
    """``scrypt$N$r$p$salt$hash``."""
    salt = os.urandom(16)
    digest = Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(password.encode())
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64e(salt)}${_b64e(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        tag, n, r, p, salt, digest = stored.split("$")
        if tag != "scrypt":
            return False
        Scrypt(salt=_b64d(salt), length=32, n=int(n), r=int(r), p=int(p)).verify(password.encode(), _b64d(digest))
        return True
    except Exception:  # noqa: BLE001 - any failure is "wrong password"
        return False


def new_secret(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
