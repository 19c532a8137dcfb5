"""Reading Segment-style request bodies: decoding, limits, validation and normalisation.

Nothing here touches the database: a request body becomes a list of valid ``Message``
objects and a list of ``Rejection`` objects (invalid events keep their raw payload and a
reason), or a ``PayloadError`` when the request as a whole cannot be read.

An event's size is the length in bytes of its compact JSON encoding, UTF-8, without
escaping non-ASCII characters (``json.dumps(event, separators=(",", ":"),
ensure_ascii=False)``), of the event object as it appears in the request: an item of
``batch``, or the whole body without its ``writeKey`` member for the single-event
endpoints. Batch-level ``context`` merged in later does not count.
"""

from __future__ import annotations

import hashlib
import json
import math
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from education.errors import ApplicationError

MESSAGE_TYPES = frozenset({"track", "identify", "page", "screen", "group", "alias"})
EVENT_TYPES = frozenset({"track", "page", "screen"})
PROFILE_TYPES = frozenset({"identify", "group", "alias"})

# Column sizes of UsageEvent / Customer that incoming values must fit.
MAX_MESSAGE_ID_LENGTH = 100
MAX_IDENTITY_LENGTH = 255
MAX_EVENT_NAME_LENGTH = 200
# Rejected raw text is kept for diagnosis, not as an archive of abuse.
MAX_STORED_RAW_CHARS = 4096

# Members that differ between retries of the same call, so they cannot be part of a
# derived messageId.
_VOLATILE_MEMBERS = ("sentAt", "writeKey", "messageId")


class PayloadError(ApplicationError):
    """The request as a whole is unreadable or over a limit: a final 400 for the SDK."""

    def __init__(self, message: str, *, code: str, message_id: str = "") -> None:
        super().__init__(message, code=code, status_code=400)
        self.message_id = message_id


@dataclass(frozen=True, slots=True)
class Message:
    """One valid call, normalised: identities as strings, times corrected, context merged."""

    type: str
    user_id: str
    anonymous_id: str
    message_id: str
    timestamp: datetime
    original_timestamp: datetime | None
    context: dict[str, Any]
    # track/page/screen: the event name and its properties.
    event: str = ""
    properties: dict[str, Any] | None = None
    # identify/group: traits; group: the account id; alias: the id being merged away.
    traits: dict[str, Any] | None = None
    group_id: str = ""
    previous_id: str = ""

    @property
    def customer_external_id(self) -> str:
        return self.user_id or self.anonymous_id


@dataclass(frozen=True, slots=True)
class Rejection:
    """An invalid event of a valid request, kept with its reason."""

    reason: str
    message_id: str
    payload: Any
    raw: str = ""


@dataclass(frozen=True, slots=True)
class ParsedRequest:
    messages: list[Message]
    rejections: list[Rejection]

    @property
    def count(self) -> int:
        return len(self.messages) + len(self.rejections)


class _Invalid(Exception):
    """Internal: one event fails validation (becomes a Rejection)."""


# --- Request body -------------------------------------------------------------------


def body_decode(raw: bytes, *, content_encoding: str, max_bytes: int) -> bytes:
    """The JSON bytes of a request, gunzipped when needed, refusing more than ``max_bytes``."""
    encoding = content_encoding.strip().lower()
    if encoding in ("", "identity"):
        data = raw
    elif encoding in ("gzip", "x-gzip"):
        # Bounded inflation: a small gzip bomb must not become a large allocation.
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            data = inflater.decompress(raw, max_bytes + 1)
        except zlib.error as exc:
            raise PayloadError(
                "The body is not valid gzip.", code="invalid_content_encoding"
            ) from exc
        if len(data) <= max_bytes and not inflater.eof:
            raise PayloadError("The gzip body is truncated.", code="invalid_content_encoding")
    else:
        raise PayloadError(
            f"Content-Encoding {content_encoding!r} is not supported; use gzip or none.",
            code="unsupported_content_encoding",
        )
    if len(data) > max_bytes:
        raise PayloadError(
            f"The request body is over the limit of {max_bytes} bytes.", code="batch_too_large"
        )
    return data


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        # JSON has no infinities and the JSON columns cannot store them.
        raise ValueError(f"number out of range: {text}")
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def body_parse(data: bytes) -> dict[str, Any]:
    """The request body as a JSON object (a final 400 for anything else)."""
    try:
        body = json.loads(data, parse_float=_finite_float, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise PayloadError(f"The body is not valid JSON: {exc}", code="invalid_json") from exc
    if not isinstance(body, dict):
        raise PayloadError("The body must be a JSON object.", code="invalid_request")
    return body


def body_write_key(body: dict[str, Any]) -> str:
    key = body.get("writeKey")
    return key if isinstance(key, str) else ""


def body_items(body: dict[str, Any], *, message_type: str | None) -> list[Any]:
    """The event objects of a body: ``batch`` for /v1/batch, the body for the others."""
    if message_type is None:
        items = body.get("batch")
        if not isinstance(items, list):
            raise PayloadError("A batch body needs a `batch` array.", code="invalid_request")
        return items
    return [{key: value for key, value in body.items() if key != "writeKey"}]


def event_size(item: Any) -> int:
    """An event's size as the limit measures it (see the module docstring)."""
    return _encoded_size(_compact(item))


def _encoded_size(text: str) -> int:
    # surrogatepass: a lone surrogate still has a size; _storable() refuses it separately.
    return len(text.encode("utf-8", "surrogatepass"))


def _compact(item: Any) -> str:
    return json.dumps(item, separators=(",", ":"), ensure_ascii=False)


def _storable(text: str) -> bool:
    """Whether a JSON text can be stored: PostgreSQL refuses NUL and lone surrogates."""
    if "\\u0000" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# --- Events ---------------------------------------------------------------------------


def request_parse(
    body: dict[str, Any],
    *,
    data: bytes,
    message_type: str | None,
    received_at: datetime,
    max_event_bytes: int,
) -> ParsedRequest:
    """Validate and normalise every event of a decoded body."""
    items = body_items(body, message_type=message_type)
    batch_context = body.get("context") if message_type is None else None
    if not isinstance(batch_context, dict):
        batch_context = {}
    batch_sent_at = body.get("sentAt") if message_type is None else None
    # A body this small cannot hold an oversize or unstorable event (floats re-encode at
    # most ~5x longer; NUL and lone surrogates can only arrive as \u escapes).
    check_each = len(data) * 5 > max_event_bytes or b"\\u" in data or b"\\U" in data

    messages: list[Message] = []
    rejections: list[Rejection] = []
    for item in items:
        storable = True
        if check_each:
            text = _compact(item)
            if _encoded_size(text) > max_event_bytes:
                raise PayloadError(
                    f"An event is over the limit of {max_event_bytes} bytes.",
                    code="event_too_large",
                    message_id=_message_id_of(item),
                )
            storable = _storable(text)
        if not storable:
            rejections.append(
                rejection_of(item, "The event holds NUL characters or invalid Unicode.")
            )
            continue
        try:
            messages.append(
                _message(
                    item,
                    message_type=message_type,
                    batch_context=batch_context,
                    batch_sent_at=batch_sent_at,
                    received_at=received_at,
                )
            )
        except _Invalid as exc:
            rejections.append(rejection_of(item, str(exc)))
    return ParsedRequest(messages=messages, rejections=rejections)


def rejection_of(item: Any, reason: str) -> Rejection:
    text = json.dumps(item, separators=(",", ":"), ensure_ascii=True)
    if _storable(text):
        return Rejection(reason=reason, message_id=_message_id_of(item), payload=item)
    # Kept as escaped text: the JSON column cannot hold it as it is.
    return Rejection(
        reason=reason,
        message_id=_message_id_of(item),
        payload=None,
        raw=text[:MAX_STORED_RAW_CHARS],
    )


def _message_id_of(item: Any) -> str:
    if isinstance(item, dict) and isinstance(item.get("messageId"), str):
        return item["messageId"][:200].replace("\x00", "")
    return ""


def _identity(item: dict[str, Any], member: str) -> str:
    value = item.get(member)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _Invalid(f"`{member}` must be a string or a number.")
    value = str(value).strip()
    if len(value) > MAX_IDENTITY_LENGTH:
        raise _Invalid(f"`{member}` is longer than {MAX_IDENTITY_LENGTH} characters.")
    return value


def _object(item: dict[str, Any], member: str) -> dict[str, Any]:
    value = item.get(member)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _Invalid(f"`{member}` must be an object.")
    return value


def _text(item: dict[str, Any], member: str) -> str:
    value = item.get(member)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _Invalid(f"`{member}` must be a string.")
    return value.strip()


def _time(value: Any, member: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Invalid(f"`{member}` must be an ISO-8601 string.")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise _Invalid(f"`{member}` is not an ISO-8601 date-time.") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _derived_message_id(item: dict[str, Any], message_type: str) -> str:
    # Deterministic, so an SDK's retry of a call without messageId still dedupes.
    canonical = {k: v for k, v in item.items() if k not in _VOLATILE_MEMBERS}
    canonical["type"] = message_type
    digest = hashlib.sha256(
        json.dumps(canonical, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    return f"wp-{digest}"


def _named_view(item: dict[str, Any], properties: dict[str, Any], noun: str) -> tuple[str, dict]:
    name = _text(item, "name")
    category = _text(item, "category")
    event = f"Viewed {name} {noun}" if name else f"Loaded a {noun}"
    if len(event) > MAX_EVENT_NAME_LENGTH:
        raise _Invalid(f"`name` is too long for an event name ({MAX_EVENT_NAME_LENGTH}).")
    extra = {key: value for key, value in (("name", name), ("category", category)) if value}
    return event, ({**extra, **properties} if extra else properties)


def _message(
    item: Any,
    *,
    message_type: str | None,
    batch_context: dict[str, Any],
    batch_sent_at: Any,
    received_at: datetime,
) -> Message:
    if not isinstance(item, dict):
        raise _Invalid("An event must be a JSON object.")
    kind = message_type or item.get("type")
    if kind not in MESSAGE_TYPES:
        raise _Invalid(f"Unknown type {kind!r}; expected one of {sorted(MESSAGE_TYPES)}.")

    user_id = _identity(item, "userId")
    anonymous_id = _identity(item, "anonymousId")
    if kind != "alias" and not user_id and not anonymous_id:
        raise _Invalid("`userId` or `anonymousId` is required.")

    message_id = item.get("messageId")
    if message_id is None or message_id == "":
        message_id = _derived_message_id(item, kind)
    elif not isinstance(message_id, str):
        raise _Invalid("`messageId` must be a string.")
    elif len(message_id) > MAX_MESSAGE_ID_LENGTH:
        raise _Invalid(f"`messageId` is longer than {MAX_MESSAGE_ID_LENGTH} characters.")

    original = _time(item.get("timestamp"), "timestamp")
    sent_at = _time(item.get("sentAt", batch_sent_at), "sentAt")
    if original is None:
        timestamp = received_at
    elif sent_at is None:
        timestamp = original
    else:
        # Segment's skew correction: the client's clock is trusted for intervals only.
        try:
            timestamp = received_at - (sent_at - original)
        except OverflowError as exc:
            raise _Invalid("`timestamp` and `sentAt` are too far apart.") from exc

    context = _object(item, "context")
    if batch_context:
        context = {**batch_context, **context}

    fields: dict[str, Any] = {}
    if kind == "track":
        event = _text(item, "event")
        if not event:
            raise _Invalid("A track call needs an `event` name.")
        if len(event) > MAX_EVENT_NAME_LENGTH:
            raise _Invalid(f"`event` is longer than {MAX_EVENT_NAME_LENGTH} characters.")
        fields = {"event": event, "properties": _object(item, "properties")}
    elif kind in ("page", "screen"):
        event, properties = _named_view(
            item, _object(item, "properties"), "Page" if kind == "page" else "Screen"
        )
        fields = {"event": event, "properties": properties}
    elif kind == "identify":
        # RudderStack's SDKs send identify traits in context.traits only.
        context_traits = context.get("traits")
        traits = _object(item, "traits")
        if isinstance(context_traits, dict) and context_traits:
            traits = {**context_traits, **traits}
        fields = {"traits": traits}
    elif kind == "group":
        group_id = _identity(item, "groupId")
        if not group_id:
            raise _Invalid("A group call needs a `groupId`.")
        fields = {"traits": _object(item, "traits"), "group_id": group_id}
    else:  # alias
        previous_id = _identity(item, "previousId")
        if not user_id or not previous_id:
            raise _Invalid("An alias call needs `userId` and `previousId`.")
        fields = {"previous_id": previous_id}

    return Message(
        type=kind,
        user_id=user_id,
        anonymous_id=anonymous_id,
        message_id=message_id,
        timestamp=timestamp,
        original_timestamp=original,
        context=context,
        **fields,
    )
