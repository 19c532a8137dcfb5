"""Hashing of user ids for the suppression list and the erasure audit."""

import hashlib


def identity_hash(*, workspace_id: int, external_id: str) -> str:
    return hashlib.sha256(f"{workspace_id}:{external_id}".encode()).hexdigest()
