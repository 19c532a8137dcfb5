"""Helpers shared by the API views."""

from drf_spectacular.utils import OpenApiParameter

from education.errors import ApplicationError


def id_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        {"type": "integer", "minimum": 1, "maximum": 999999999999999999},
        OpenApiParameter.PATH,
        description=description,
    )


CUSTOMER_ID = OpenApiParameter(
    "customer_id",
    {"type": "string", "pattern": "^[^/]{1,255}$"},
    OpenApiParameter.PATH,
    description="The product's own user id (URL-encoded).",
)
LESSON_ID = id_parameter("lesson_id", "The lesson's stable id.")


def int_query_parameter(request, name: str, *, default: int, minimum: int, maximum: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not minimum <= value <= maximum:
        raise ApplicationError(
            f"{name} must be a whole number from {minimum} to {maximum}.",
            code="invalid_request",
            details={name: raw[:50]},
        )
    return value


def asks_for_fresh(request) -> bool:
    """``Cache-Control: no-cache`` (or ``max-age=0``): the caller just changed something
    and wants an answer that shows it, not a copy a few seconds old."""
    directives = request.headers.get("Cache-Control", "").replace(" ", "").lower().split(",")
    return "no-cache" in directives or "max-age=0" in directives
