"""Reading request bodies: limits, validation, normalisation (no database)."""

import gzip
import json
from datetime import UTC, datetime, timedelta

import pytest

from education.events.payloads import (
    PayloadError,
    body_decode,
    body_parse,
    event_size,
    request_parse,
)

RECEIVED = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def parse(body: dict, *, message_type=None, max_event_bytes=32768):
    data = json.dumps(body).encode()
    return request_parse(
        body,
        data=data,
        message_type=message_type,
        received_at=RECEIVED,
        max_event_bytes=max_event_bytes,
    )


def one(item: dict, **kwargs):
    parsed = parse({"batch": [item]}, **kwargs)
    assert len(parsed.messages) + len(parsed.rejections) == 1
    return parsed.messages[0] if parsed.messages else parsed.rejections[0]


def test_timestamp_is_corrected_for_the_senders_clock_skew():
    message = one(
        {
            "type": "track",
            "userId": "u",
            "event": "E",
            "timestamp": "2026-01-05T09:00:00Z",
            "sentAt": "2026-01-05T09:00:30Z",
        }
    )
    assert message.timestamp == RECEIVED - timedelta(seconds=30)
    assert message.original_timestamp == datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_batch_sent_at_applies_to_every_event_and_no_timestamp_means_received_at():
    parsed = parse(
        {
            "batch": [
                {"type": "track", "userId": "u", "event": "E", "timestamp": "2026-01-01T00:00:00"},
                {"type": "track", "userId": "u", "event": "E"},
            ],
            "sentAt": "2026-01-01T00:01:00+00:00",
        }
    )
    assert parsed.messages[0].timestamp == RECEIVED - timedelta(minutes=1)
    assert parsed.messages[1].timestamp == RECEIVED


def test_batch_context_is_merged_into_each_event_and_the_events_own_wins():
    message = parse(
        {
            "batch": [{"type": "track", "userId": "u", "event": "E", "context": {"ip": "1.2.3.4"}}],
            "context": {"ip": "9.9.9.9", "library": {"name": "analytics-python"}},
        }
    ).messages[0]
    assert message.context == {"ip": "1.2.3.4", "library": {"name": "analytics-python"}}


def test_a_missing_message_id_is_derived_deterministically_ignoring_sent_at():
    item = {"type": "track", "userId": "u", "event": "E", "timestamp": "2026-01-01T00:00:00Z"}
    first = one({**item, "sentAt": "2026-01-01T00:00:01Z"})
    retry = one({**item, "sentAt": "2026-01-01T00:05:00Z"})
    other = one({**item, "event": "F"})
    assert first.message_id == retry.message_id
    assert first.message_id != other.message_id
    assert len(first.message_id) <= 100


def test_single_event_endpoint_takes_its_type_from_the_path():
    message = parse({"userId": 42, "traits": {"plan": "pro"}}, message_type="identify").messages[0]
    assert (message.type, message.user_id, message.traits) == ("identify", "42", {"plan": "pro"})


@pytest.mark.parametrize(
    ("item", "noun"),
    [
        ({"type": "page", "userId": "u", "name": "Invoices"}, "Viewed Invoices Page"),
        ({"type": "page", "userId": "u"}, "Loaded a Page"),
        ({"type": "screen", "userId": "u", "name": "Home"}, "Viewed Home Screen"),
    ],
)
def test_page_and_screen_calls_are_named_like_segment_names_them(item, noun):
    assert one(item).event == noun


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        ({"type": "track", "event": "E"}, "userId"),
        ({"type": "track", "userId": "u"}, "event"),
        ({"type": "track", "userId": "u", "event": "E", "properties": []}, "properties"),
        ({"type": "track", "userId": True, "event": "E"}, "userId"),
        ({"type": "track", "userId": "u", "event": "E", "timestamp": 1700000000}, "timestamp"),
        ({"type": "track", "userId": "u", "event": "E", "timestamp": "yesterday"}, "timestamp"),
        ({"type": "track", "userId": "u", "event": "E", "messageId": 7}, "messageId"),
        ({"type": "track", "userId": "u", "event": "E", "messageId": "m" * 101}, "messageId"),
        ({"type": "track", "userId": "u" * 256, "event": "E"}, "userId"),
        ({"type": "track", "userId": "u", "event": "E", "context": "web"}, "context"),
        ({"type": "identify", "userId": "u", "traits": "vip"}, "traits"),
        ({"type": "group", "userId": "u"}, "groupId"),
        ({"type": "alias", "userId": "u"}, "previousId"),
        ({"type": "purchase", "userId": "u"}, "Unknown type"),
        ({"userId": "u", "event": "E"}, "Unknown type"),
        ("track", "JSON object"),
    ],
)
def test_invalid_events_are_rejected_with_a_reason_and_their_payload(item, reason):
    rejection = one(item)
    assert reason in rejection.reason
    assert rejection.payload == item


def test_an_event_holding_nul_is_rejected_and_kept_as_escaped_text():
    rejection = one({"type": "track", "userId": "u", "event": "E\u0000"})
    assert rejection.payload is None
    assert "\\u0000" in rejection.raw


def test_event_size_is_the_compact_utf8_json_encoding():
    assert event_size({"a": "é", "b": [1, 2]}) == len('{"a":"é","b":[1,2]}'.encode())


def _event_of_size(size: int) -> dict:
    item = {"type": "track", "userId": "u", "event": "E", "properties": {"pad": ""}}
    item["properties"]["pad"] = "x" * (size - event_size(item))
    assert event_size(item) == size
    return item


def test_an_event_at_the_limit_is_accepted_and_one_byte_more_is_refused():
    assert parse({"batch": [_event_of_size(32768)]}).messages
    with pytest.raises(PayloadError) as refused:
        parse({"batch": [_event_of_size(32769)]})
    assert refused.value.code == "event_too_large"


def test_gzip_bodies_are_inflated_within_the_limit():
    data = json.dumps({"batch": []}).encode()
    assert body_decode(gzip.compress(data), content_encoding="gzip", max_bytes=100) == data
    bomb = gzip.compress(b" " * 10_000)
    with pytest.raises(PayloadError, match="over the limit"):
        body_decode(bomb, content_encoding="gzip", max_bytes=1000)


@pytest.mark.parametrize(
    ("raw", "encoding", "code"),
    [
        (b"not gzip at all", "gzip", "invalid_content_encoding"),
        (gzip.compress(b'{"batch": []}')[:-12], "gzip", "invalid_content_encoding"),
        (b"{}", "br", "unsupported_content_encoding"),
    ],
)
def test_unreadable_encodings_are_refused(raw, encoding, code):
    with pytest.raises(PayloadError) as refused:
        body_decode(raw, content_encoding=encoding, max_bytes=1000)
    assert refused.value.code == code


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"{", "invalid_json"),
        (b'{"batch": [NaN]}', "invalid_json"),
        (b'{"x": 1e999}', "invalid_json"),
        (b"\xff\xfe", "invalid_json"),
        (b"[" * 100_000, "invalid_json"),
        (b"[]", "invalid_request"),
        (b'"text"', "invalid_request"),
        (b"null", "invalid_request"),
    ],
)
def test_bodies_that_are_not_json_objects_are_refused(data, code):
    with pytest.raises(PayloadError) as refused:
        body_parse(data)
    assert refused.value.code == code


def test_a_batch_body_needs_a_batch_array():
    with pytest.raises(PayloadError):
        parse({"batch": {"type": "track"}})


def test_identify_traits_sent_in_the_context_count_as_traits():
    message = one(
        {
            "type": "identify",
            "userId": "u",
            "traits": {"plan": "pro"},
            "context": {"traits": {"plan": "free", "email": "a@example.com"}},
        }
    )
    assert message.traits == {"plan": "pro", "email": "a@example.com"}
