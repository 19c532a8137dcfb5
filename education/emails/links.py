"""Signed links in emails: lesson clicks and one-click unsubscribe.

Tokens are signed with django.core.signing (the server's SECRET_KEY, with
SECRET_KEY_FALLBACKS during a rotation) rather than the workspace signing secret: links in
an inbox must keep working for months, longer than an old workspace secret survives a
rotation. They carry ids only: the delivery, the customer's pseudonymous id, the lesson.
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core import signing
from django.urls import reverse

_LESSON_SALT = "waypoint.emails.lesson-link"
_UNSUBSCRIBE_SALT = "waypoint.emails.unsubscribe"


class InvalidLink(Exception):
    """A token that was tampered with, truncated or made for something else."""


@dataclass(frozen=True)
class LessonLink:
    delivery_id: int
    customer_public_id: str
    lesson_id: int


@dataclass(frozen=True)
class UnsubscribeLink:
    delivery_id: int
    customer_public_id: str


@cache
def _url_prefix(name: str) -> str:
    # A digest carries several links: resolve the route once per process, not per link.
    return reverse(name, args=["-"]).removesuffix("-/")


def _absolute(name: str, token: str) -> str:
    return f"{settings.WAYPOINT_BASE_URL}{_url_prefix(name)}{token}/"


def lesson_link_url(*, delivery_id: int, customer_public_id: str, lesson_id: int) -> str:
    token = signing.Signer(salt=_LESSON_SALT).sign_object(
        [delivery_id, customer_public_id, lesson_id]
    )
    return _absolute("emails:lesson-link", token)


def unsubscribe_url(*, delivery_id: int, customer_public_id: str) -> str:
    token = signing.Signer(salt=_UNSUBSCRIBE_SALT).sign_object([delivery_id, customer_public_id])
    return _absolute("emails:unsubscribe", token)


def _load(token: str, salt: str, size: int) -> list:
    try:
        value = signing.Signer(salt=salt).unsign_object(token)
    except (signing.BadSignature, ValueError, UnicodeDecodeError) as error:
        raise InvalidLink from error
    if not isinstance(value, list) or len(value) != size:
        raise InvalidLink
    return value


def lesson_link_parse(token: str) -> LessonLink:
    delivery_id, customer_public_id, lesson_id = _load(token, _LESSON_SALT, 3)
    if not (isinstance(delivery_id, int) and isinstance(lesson_id, int)):
        raise InvalidLink
    return LessonLink(delivery_id, str(customer_public_id), lesson_id)


def unsubscribe_link_parse(token: str) -> UnsubscribeLink:
    delivery_id, customer_public_id = _load(token, _UNSUBSCRIBE_SALT, 2)
    if not isinstance(delivery_id, int):
        raise InvalidLink
    return UnsubscribeLink(delivery_id, str(customer_public_id))
