"""Customer tokens, minted the way a product's backend mints them (see docs/embedding.md)."""

from datetime import UTC, datetime, timedelta

import jwt

TOKEN_ALGORITHM = "HS256"  # noqa: S105 (an algorithm name, not a secret)


def customer_token_mint(
    *, signing_secret: str, external_id: str, lifetime: timedelta = timedelta(hours=1)
) -> str:
    """A JWT for one customer: ``sub`` is the product's own user id."""
    now = datetime.now(UTC)
    claims = {
        "sub": external_id,
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
    }
    return jwt.encode(claims, signing_secret, algorithm=TOKEN_ALGORITHM)
