"""Crypto helpers on audited primitives (``cryptography``): AES-GCM with the
key id in the ciphertext, keyed blind indexes (HMAC-SHA256), scrypt password
hashes, and HMAC-signed short tokens.

Keys come from configuration: ``XBORDER_SECRET_KEY`` is the current
personal-data key (base64, 32 bytes: encryption, access tokens);
``XBORDER_OLD_SECRET_KEYS`` (comma separated) are keys that can still
decrypt, so keys can be rotated without re-encrypting first.
``XBORDER_REGISTRY_KEY`` is the deployment's registry key, independent of
the personal-data key: every blind index and registry key (customers' ID
number index, the national quota registry and watch list, the S6 registry,
the evidence registry) is an HMAC under it; ``XBORDER_OLD_REGISTRY_KEYS``
are former registry keys, needed only while ``xborder keys rotate``
recomputes the registries (settlement.rekey).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
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


_CIPHERTEXT = re.compile(r"^x1\.[0-9a-f]{8}\.[A-Za-z0-9_-]{38,}$")


def is_ciphertext(value: str | None) -> bool:
    """Whether a stored value has the form :meth:`Keyring.encrypt` writes
    (rows written in clear before encryption was introduced do not)."""
    return value is not None and _CIPHERTEXT.match(value) is not None


class DecryptionError(Exception):
    """Ciphertext altered, or encrypted under a key this process lacks."""


def read_key(configured: str | None, path: Path, name: str, *, generate: bool) -> bytes:
    """A 32-byte key from the environment, else from its file in the data
    directory (generated there when ``generate``: development only)."""
    raw = configured
    if not raw:
        if path.exists():
            raw = path.read_text().strip()
        elif generate:
            path.parent.mkdir(parents=True, exist_ok=True)
            raw = base64.b64encode(os.urandom(32)).decode()
            path.write_text(raw)
            path.chmod(0o600)
        else:
            raise ValueError(f"{name} is not set and {path} does not exist")
    key = base64.b64decode(raw)
    if len(key) != 32:
        raise ValueError(f"{name} must be base64 of 32 bytes")
    return key


def _key_list(text: str | None) -> tuple[bytes, ...]:
    return tuple(base64.b64decode(k) for k in (text or "").split(",") if k.strip())


#: the keyring of this process (set by :meth:`Keyring.install`): code that is
#: not handed one (trade-data intake, reconciliation) uses it
_installed: Keyring | None = None


def deployment_keyring() -> Keyring:
    """The keyring installed in this process (the latest services built)."""
    if _installed is None:
        raise RuntimeError("no keyring installed: build the services (Keyring.from_settings) first")
    return _installed


@dataclass
class Keyring:
    """The current personal-data key and older ones kept for decryption;
    the registry key (blind indexes, registry keys) and former ones."""

    current: bytes
    old: tuple[bytes, ...] = ()
    #: the deployment registry key, independent of ``current``
    registry: bytes | None = None
    old_registry: tuple[bytes, ...] = ()

    def __post_init__(self) -> None:
        if self.registry is None or len(self.registry) != 32:
            raise ValueError("the registry key must be 32 bytes")
        if self.registry == self.current or self.registry in self.old:
            raise ValueError("the registry key must be independent of the personal-data key (XBORDER_REGISTRY_KEY equals XBORDER_SECRET_KEY)")

    @classmethod
    def from_settings(cls, settings: Settings, *, generate: bool = True, install: bool = True) -> Keyring:
        """The keys of ``settings``; missing development keys are generated
        into the data directory when ``generate`` (``xborder doctor`` does
        not).  The keyring becomes this process's (``install``)."""
        data = Path(settings.data_dir)
        current = read_key(settings.secret_key, data / "secret-key", "XBORDER_SECRET_KEY", generate=generate)
        registry = read_key(settings.registry_key, data / "registry-key", "XBORDER_REGISTRY_KEY", generate=generate)
        ring = cls(current, _key_list(settings.old_secret_keys), registry, _key_list(settings.old_registry_keys))
        if install:
            ring.install()
        return ring

    def install(self) -> Keyring:
        """Make this the process's keyring (:func:`deployment_keyring`)."""
        global _installed
        _installed = self
        return self

    def registry_id(self) -> str:
        """The key id of the current registry key (reported by ``xborder doctor``)."""
        return key_id(self._reg())

    def _reg(self) -> bytes:
        assert self.registry is not None  # checked in __post_init__
        return self.registry

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

    def reseal(self, value: str | None, *, context: str, clear_ok: bool = False) -> str | None:
        """``value`` encrypted under the current key, or None when it already
        is (or is None).  A value in clear (written before it was encrypted)
        is sealed when ``clear_ok``; else :class:`DecryptionError`."""
        if value is None:
            return None
        if not is_ciphertext(value):
            if not clear_ok:
                raise DecryptionError("value in clear where ciphertext was expected")
            return self.encrypt(value, context=context)
        if not self.needs_rotation(value):
            return None
        return self.encrypt(self.decrypt(value, context=context), context=context)

    # -- blind index ------------------------------------------------------

    def blind_index(self, value: str, *, purpose: str = "id-number", key: bytes | None = None) -> str:
        """Keyed HMAC of a normalised value: equal inputs give equal indexes,
        the index reveals nothing without the key.  Computed with the
        registry key (``key``: a former one, to find rows while re-keying)."""
        norm = "".join(value.split()).upper()
        return self.registry_hmac(norm, purpose="blind:" + purpose, key=key)

    def registry_hmac(self, value: str, *, purpose: str, key: bytes | None = None) -> str:
        """HMAC-SHA256 (hex) of ``value`` under a purpose-bound subkey of the
        registry key (of ``key`` when given)."""
        return hmac.new(self._subkey(key or self._reg(), purpose), value.encode(), hashlib.sha256).hexdigest()

    def registry_keys(self) -> tuple[bytes, ...]:
        """The current registry key, then the former ones."""
        return (self._reg(), *self.old_registry)

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
