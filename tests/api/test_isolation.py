"""No credential reads or changes another workspace's or customer's data, on any route.

The routes come from the URL resolver, so a new route without a row here fails
``test_every_route_has_a_row``.
"""

import base64
import json
import time

import jwt
import pytest
from django.urls import URLPattern
from rest_framework.test import APIClient

from education.api.tenancy import TenantAPIView
from education.api.urls import v1
from education.customers.identity import identity_hash
from education.customers.models import Customer, ErasureRecord, SuppressedIdentity
from education.privacy.selectors import customer_related_rows, row_document
from education.progress.models import LessonFeedback, LessonProgress, QuizAttempt
from education.webhooks.models import WebhookDelivery, WebhookEndpoint
from recommender.models import RecommenderModel
from tests.api.conftest import customer_client, mint_token, server_client
from tests.factories import UsageEventFactory

pytestmark = pytest.mark.django_db

# route name -> (scope, {method: body}, target). Scope "me": customer token routes;
# "customer": secret key, /customers/{customer_id}/...; "server": secret key, workspace.
ROUTES = {
    "me-customerprofile": ("me", {"GET": None, "DELETE": None}, None),
    "me-recommendations": ("me", {"GET": None}, None),
    "me-learningpath": ("me", {"GET": None}, None),
    "me-progresslist": ("me", {"GET": None}, None),
    "me-customerlesson": ("me", {"GET": None}, "lesson"),
    "me-lessonstart": ("me", {"POST": None}, "lesson"),
    "me-lessoncomplete": ("me", {"POST": None}, "lesson"),
    "me-quizanswer": ("me", {"POST": {"answers": [0]}}, "lesson"),
    "me-feedback": ("me", {"POST": {"helpful": True, "comment": "ok"}}, "lesson"),
    "me-helprequest": ("me", {"POST": {"message": "stuck"}}, "lesson"),
    "me-preferences": ("me", {"GET": None, "PATCH": {"email_consent": False}}, None),
    "me-export": ("me", {"GET": None}, None),
    "customer-customerprofile": ("customer", {"GET": None, "DELETE": None}, None),
    "customer-recommendations": ("customer", {"GET": None}, None),
    "customer-learningpath": ("customer", {"GET": None}, None),
    "customer-progresslist": ("customer", {"GET": None}, None),
    "customer-customerlesson": ("customer", {"GET": None}, "lesson"),
    "customer-lessonstart": ("customer", {"POST": None}, "lesson"),
    "customer-lessoncomplete": ("customer", {"POST": None}, "lesson"),
    "customer-quizanswer": ("customer", {"POST": {"answers": [0]}}, "lesson"),
    "customer-feedback": ("customer", {"POST": {"helpful": False}}, "lesson"),
    "customer-helprequest": ("customer", {"POST": {}}, "lesson"),
    "customer-preferences": ("customer", {"GET": None, "PATCH": {"email_consent": False}}, None),
    "customer-export": ("customer", {"GET": None}, None),
    "lessonlist": ("server", {"GET": None}, None),
    "lessondetail": ("server", {"GET": None}, "lesson"),
    "pathlist": ("server", {"GET": None}, None),
    "pathdetail": ("server", {"GET": None}, "path"),
    "modellist": ("server", {"GET": None}, None),
    "modeltrain": ("server", {"POST": {"force": False}}, None),
    "modelactivate": ("server", {"POST": None}, "model"),
    "webhookendpointlist": (
        "server",
        {"GET": None, "POST": {"url": "https://hooks.example.net/b", "events": ["help.requested"]}},
        None,
    ),
    "webhookendpointdetail": (
        "server",
        {"GET": None, "PATCH": {"active": False}, "DELETE": None},
        "webhook",
    ),
    "rejectedeventlist": ("server", {"GET": None}, None),
}
# Destructive methods run last, so the other requests still find what they look for.
_METHOD_ORDER = {"GET": 0, "POST": 1, "PATCH": 2, "DELETE": 3}
MARKER = "victim-a1-secret"


def _patterns() -> dict[str, URLPattern]:
    return {pattern.name: pattern for pattern in v1}


def test_every_route_has_a_row():
    assert set(_patterns()) == set(ROUTES)


def test_every_route_uses_the_tenancy_base_view():
    for pattern in v1:
        assert issubclass(pattern.callback.view_class, TenantAPIView), pattern.name


def test_every_route_method_is_in_its_row():
    for name, pattern in _patterns().items():
        view = pattern.callback.view_class
        methods = {m.upper() for m in view.http_method_names if hasattr(view, m) and m != "options"}
        assert methods == set(ROUTES[name][1]), name


@pytest.fixture
def victim(tenants):
    """Workspace A and its customer A1, with rows of every kind."""
    a = tenants["a"]
    customer = a.customer
    customer.traits = {"secret": MARKER}
    customer.save()
    LessonProgress.objects.create(customer=customer, lesson=a.lesson)
    block = next(block for block in a.lesson.body if block.block_type == "quiz")
    QuizAttempt.objects.create(
        customer=customer,
        lesson=a.lesson,
        block_id=block.id,
        answers=[1],
        is_correct=False,
        score=0,
    )
    LessonFeedback.objects.create(customer=customer, lesson=a.lesson, comment=MARKER)
    UsageEventFactory(customer=customer, properties={"note": MARKER})
    endpoint = WebhookEndpoint.objects.create(
        workspace=a.workspace, url="https://hooks.example.com/a", events=["lesson.completed"]
    )
    WebhookDelivery.objects.create(
        endpoint=endpoint, customer=customer, event="lesson.completed", payload={"x": MARKER}
    )
    model = RecommenderModel.objects.create(
        workspace=a.workspace,
        version="a-model-1",
        algorithm="als",
        data_until=customer.created_at,
        artifact_path="/nonexistent/a-model-1.npz",
        created_by="test",
    )
    return {"tenants": tenants, "endpoint": endpoint, "model": model, "quiz_block": block.id}


def _url(name: str, victim, *, customer_id: str = "a-1") -> str:
    a = victim["tenants"]["a"]
    values = {
        "customer_id": customer_id,
        "lesson_id": a.lesson.pk,
        "path_id": a.path.pk,
        "webhook_id": victim["endpoint"].pk,
        "version": victim["model"].version,
        "block_id": victim["quiz_block"],
    }
    return "/api/" + _fill(str(_patterns()[name].pattern), values)


def _fill(route: str, kwargs: dict) -> str:
    for key, value in kwargs.items():
        for converter in ("id", "str", "int"):
            route = route.replace(f"<{converter}:{key}>", str(value))
    return route


def _fingerprint(victim, *, customers: tuple[str, ...]) -> str:
    a = victim["tenants"]["a"]
    state = {"customers": {}}
    for external_id in customers:
        customer = Customer.objects.filter(workspace=a.workspace, external_id=external_id).first()
        state["customers"][external_id] = customer and {
            "row": {k: v for k, v in row_document(customer).items() if k != "last_seen_at"},
            "related": {
                label: sorted(json.dumps(row_document(row), sort_keys=True) for row in rows)
                for label, rows in customer_related_rows(customer=customer).items()
            },
        }
    state["endpoints"] = [
        row_document(e) for e in WebhookEndpoint.objects.filter(workspace=a.workspace)
    ]
    state["models"] = [
        row_document(m) for m in RecommenderModel.objects.filter(workspace=a.workspace)
    ]
    hashes = [identity_hash(workspace_id=a.workspace.pk, external_id=c) for c in customers]
    state["suppressed"] = SuppressedIdentity.objects.filter(identity_hash__in=hashes).count()
    state["erased"] = ErasureRecord.objects.filter(identity_hash__in=hashes).count()
    return json.dumps(state, sort_keys=True, default=str)


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _forged(header: dict, payload: dict, secret: str | None) -> str:
    import hashlib
    import hmac

    signing_input = f"{_b64(header)}.{_b64(payload)}"
    signature = b""
    if secret is not None:
        signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + base64.urlsafe_b64encode(signature).rstrip(b"=").decode()


def _invalid_token(kind: str, tenants) -> str:
    a, b = tenants["a"].workspace, tenants["b"].workspace
    secret = a.issued_keys.signing_secret
    now = int(time.time())
    claims = {"sub": "a-1", "iat": now, "exp": now + 600}
    if kind == "expired":
        return mint_token(secret, "a-1", lifetime=-3600)
    if kind == "tampered":
        header, _payload, signature = mint_token(secret, "a-2").split(".")
        return f"{header}.{_b64(claims)}.{signature}"
    if kind == "alg-none":
        return _forged({"alg": "none", "typ": "JWT"}, claims, None)
    if kind == "alg-hs512":
        return jwt.encode(claims, secret, algorithm="HS512")
    if kind == "alg-rs256":
        return _forged({"alg": "RS256", "typ": "JWT"}, claims, secret)
    if kind == "other-workspace-secret":
        return mint_token(b.issued_keys.signing_secret, "a-1")
    raise AssertionError(kind)


INVALID_ACTORS = [
    "expired",
    "tampered",
    "alg-none",
    "alg-hs512",
    "alg-rs256",
    "other-workspace-secret",
    "no-credential",
    "publishable-key-as-secret",
]


def _client_for(actor: str, tenants) -> APIClient:
    a = tenants["a"].workspace
    if actor == "no-credential":
        return APIClient()
    if actor == "publishable-key-as-secret":
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {a.issued_keys.publishable_key}")
        return client
    return customer_client(a, "a-1", token=_invalid_token(actor, tenants))


def _requests():
    for name in ROUTES:
        for method, body in ROUTES[name][1].items():
            yield name, method, body


def _ordered(requests):
    return sorted(requests, key=lambda r: _METHOD_ORDER[r[1]])


def _call(client: APIClient, method: str, url: str, body):
    return (
        getattr(client, method.lower())(url, body, format="json")
        if body is not None
        else (getattr(client, method.lower())(url))
    )


def test_invalid_credentials_get_401_everywhere_and_change_nothing(victim):
    before = _fingerprint(victim, customers=("a-1", "a-2"))
    for actor in INVALID_ACTORS:
        client = _client_for(actor, victim["tenants"])
        for name, method, body in _ordered(_requests()):
            response = _call(client, method, _url(name, victim), body)
            assert response.status_code == 401, (actor, name, method, response.content)
            assert set(response.json()) <= {"code", "message", "details"}
    assert _fingerprint(victim, customers=("a-1", "a-2")) == before


def _assert_no_leak(response, markers: tuple[str, ...], context) -> None:
    text = response.content.decode()
    for marker in markers:
        assert marker not in text, (context, marker)


def test_other_workspace_secret_key_reaches_nothing_of_workspace_a(victim):
    """Workspace B's key: A's customers and objects are not found, B's lists hold no A rows."""
    before = _fingerprint(victim, customers=("a-1", "a-2"))
    client = server_client(victim["tenants"]["b"].workspace)
    markers = (MARKER, "Lesson a", "Second a", "hooks.example.com/a", "a-model-1", "a-1@")
    for name, method, body in _ordered(_requests()):
        scope, _methods, target = ROUTES[name]
        response = _call(client, method, _url(name, victim), body)
        context = (name, method, response.status_code, response.content[:300])
        if scope == "me":
            assert response.status_code == 401, context
        elif scope == "customer" and method != "DELETE":
            assert response.status_code == 404, context
        elif scope == "customer":
            # Erasure is idempotent: B erasing "a-1" erases B's own (absent) customer only.
            assert response.status_code == 204, context
        elif target is not None:
            assert response.status_code == 404, context
        else:
            assert response.status_code < 300, context
        _assert_no_leak(response, markers, context)
    assert _fingerprint(victim, customers=("a-1", "a-2")) == before


@pytest.mark.parametrize("actor", ["a-2", "b-1"])
def test_customer_token_reaches_only_its_own_customer(actor, victim):
    """A2 (same workspace) and B1 (other workspace) never see or change A1's rows."""
    tenants = victim["tenants"]
    workspace = tenants[actor[0]].workspace
    guarded = ("a-1",) if actor == "a-2" else ("a-1", "a-2")
    before = _fingerprint(victim, customers=guarded)
    client = customer_client(workspace, actor)
    markers = (MARKER, "a-1@", '"a-1"') + (("Lesson a", "Second a") if actor == "b-1" else ())
    for name, method, body in _ordered(_requests()):
        scope, _methods, target = ROUTES[name]
        response = _call(client, method, _url(name, victim), body)
        context = (actor, name, method, response.status_code, response.content[:300])
        if scope != "me":
            assert response.status_code == 401, context
        elif target == "lesson" and actor == "b-1":
            assert response.status_code == 404, context
        elif name == "me-customerprofile" and method == "DELETE":
            assert response.status_code == 204, context
        else:
            assert response.status_code < 300, context
        _assert_no_leak(response, markers, context)
    assert _fingerprint(victim, customers=guarded) == before


def test_rightful_credentials_reach_every_route(victim):
    """The positive control: the same URLs work for A's key and A1's token."""
    a = victim["tenants"]["a"]
    key, token = server_client(a.workspace), customer_client(a.workspace, "a-1")
    for name, method, body in _ordered(_requests()):
        client = token if ROUTES[name][0] == "me" else key
        response = _call(client, method, _url(name, victim), body)
        assert response.status_code < 300, (name, method, response.status_code, response.content)
