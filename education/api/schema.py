"""OpenAPI: the two security schemes, and the one error shape on every operation."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

from education.api.serializers import ErrorSerializer

_ERRORS = {
    "400": "Invalid input (malformed JSON, oversize body, wrong types).",
    "401": "Missing, unknown, expired or invalid credentials.",
    "403": "Not allowed (erased customer, foreign origin).",
    "404": "Not found in this workspace.",
}


class WaypointAutoSchema(AutoSchema):
    """Documents the error responses every route can give, in the one error shape."""

    def get_description(self):
        # View docstrings are written for Waypoint's developers; API users get the
        # summaries and descriptions given with ``extend_schema``.
        return ""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        error = self._get_response_for_code(ErrorSerializer, "400", direction=direction)
        for code, description in _ERRORS.items():
            if code not in responses:
                responses[code] = {**error, "description": description}
        return responses


class WriteKeyScheme(OpenApiAuthenticationExtension):
    target_class = "education.api.authentication.WriteKeyAuthentication"
    name = "writeKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "The workspace's secret write key (`wk_...`), server side only. "
                "HTTP Basic with the write key as user name and an empty password also works."
            ),
        }


class CustomerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "education.api.authentication.CustomerTokenAuthentication"
    name = ["publishableKey", "customerToken"]

    def get_security_definition(self, auto_schema):
        return [
            {
                "type": "apiKey",
                "in": "header",
                "name": "X-Waypoint-Key",
                "description": "The workspace's publishable key (`pk_...`).",
            },
            {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "JWT",
                "description": (
                    "A customer token minted by the product's backend: HS256 with the "
                    "workspace signing secret, `sub` = the product's user id, `exp` at most "
                    "24 hours after `iat`."
                ),
            },
        ]
