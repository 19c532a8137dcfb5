"""JSON bodies with a size limit, so an oversize or hostile body is a clean 400."""

import json

from django.conf import settings
from rest_framework.parsers import JSONParser

from education.errors import ApplicationError


class LimitedJSONParser(JSONParser):
    """Reads at most ``API_MAX_BODY_BYTES``; anything larger or not JSON is a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_BODY_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise ApplicationError(
                f"The request body is larger than {limit} bytes.", code="body_too_large"
            )
        if not raw.strip():
            return {}
        try:
            return json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
        except (UnicodeDecodeError, ValueError) as exc:
            raise ApplicationError(
                f"The body is not valid JSON: {exc}", code="invalid_json"
            ) from exc
        except RecursionError as exc:
            raise ApplicationError("The body is nested too deeply.", code="invalid_json") from exc


def _reject_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")
