"""Encryption at rest for secrets the server must read back (workspace signing secrets).

Keys come from ``FIELD_ENCRYPTION_KEYS`` (Fernet keys, newest first): encrypting uses the
first, decrypting tries each, so keys can be rotated without losing data.
"""

import base64
import hashlib
import secrets
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _fernet_key(raw: str) -> bytes:
    # Accept any string from the environment: derive a proper 32-byte Fernet key from it.
    digest = hashlib.sha256(raw.encode()).digest()
    return base64.urlsafe_b64encode(digest)


@lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_fernet_key(key)) for key in keys])


def encrypt(plaintext: str) -> str:
    return _cipher(tuple(settings.FIELD_ENCRYPTION_KEYS)).encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    return _cipher(tuple(settings.FIELD_ENCRYPTION_KEYS)).decrypt(token.encode()).decode()


def hash_secret(value: str) -> str:
    """One-way hash for high-entropy keys (a fast hash suffices: keys are 256-bit random)."""
    return hashlib.sha256(value.encode()).hexdigest()


def new_token(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"
