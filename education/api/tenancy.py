"""The one place tenancy is enforced: every /api/v1/ view derives from ``TenantAPIView``.

The workspace always comes from the credential, never from the request's data. Customer
routes exist twice: under ``/api/v1/me/`` for the customer holding a token (the customer
is the token's subject) and under ``/api/v1/customers/{customer_id}/`` for the product's
backend holding the secret key (the customer is looked up inside that workspace only).
"""

from enum import StrEnum
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission

from education.api.authentication import (
    CustomerPrincipal,
    CustomerTokenAuthentication,
    ServerPrincipal,
    WriteKeyAuthentication,
)
from education.api.cors import normalise_origin, workspace_allows_origin
from education.api.parsers import LimitedJSONParser
from education.api.schema import WaypointAutoSchema
from education.customers.models import Customer
from education.customers.selectors import (
    customer_get,
    customer_id_get,
    customer_is_suppressed,
)
from education.customers.services import customer_upsert
from education.errors import ApplicationError
from education.workspaces.models import Workspace

_UNLOADED = object()


class Scope(StrEnum):
    SERVER = "server"  # secret key; workspace-wide routes
    ME = "me"  # customer token; /api/v1/me/...
    CUSTOMER = "customer"  # secret key; /api/v1/customers/{customer_id}/...


class HasPrincipal(BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.user, ServerPrincipal | CustomerPrincipal)


class TenantAPIView(GenericAPIView):
    """Base of every API view: authenticates, then pins ``workspace`` and ``customer``.

    ``scope`` is set per route (``View.as_view(scope=Scope.ME)``); a view may only be
    routed in the scopes it lists in ``scopes``.
    """

    scope: Scope = Scope.SERVER
    scopes: tuple[Scope, ...] = (Scope.SERVER,)
    # Methods for which a missing customer is not an error (erasure is idempotent).
    customer_optional_methods: tuple[str, ...] = ()
    parser_classes = [LimitedJSONParser]
    permission_classes = [HasPrincipal]
    schema = WaypointAutoSchema()

    workspace: Workspace
    customer_id: int | None = None
    _customer: Customer | None | object = _UNLOADED

    def get_authenticators(self):
        if self.scope == Scope.ME:
            return [CustomerTokenAuthentication()]
        return [WriteKeyAuthentication()]

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if response.status_code == 401 and "WWW-Authenticate" not in response:
            response["WWW-Authenticate"] = self.get_authenticate_header(self.request)
        return response

    def initial(self, request, *args, **kwargs) -> None:
        if self.scope not in self.scopes:  # a routing mistake, caught by the tests
            raise RuntimeError(f"{type(self).__name__} is not meant for scope {self.scope}")
        if any(isinstance(value, str) and "\x00" in value for value in kwargs.values()):
            # No id holds a NUL character (and PostgreSQL refuses to compare with one).
            raise ApplicationError("Not found.", code="not_found", status_code=404)
        super().initial(request, *args, **kwargs)
        principal = request.user
        self.workspace = principal.workspace
        if self.scope == Scope.ME:
            self._check_origin(request)
        if self.scope in (Scope.ME, Scope.CUSTOMER):
            self.customer_id = customer_id_get(
                workspace_id=self.workspace.pk, external_id=self.customer_external_id
            )
            if self.customer_id is None:
                self.customer = self._customer_absent()

    @property
    def customer(self) -> Customer | None:
        """The route's customer, read from the database when a handler first needs it.

        ``initial`` only resolves its id (cached), so a response served from the cache
        (``recommender.response_cache``) costs no query.
        """
        if self._customer is _UNLOADED:
            found = Customer.objects.filter(pk=self.customer_id, workspace=self.workspace).first()
            # Deleted since the id was cached (by another process): decide as if new.
            self._customer = found if found is not None else self._customer_absent()
        return self._customer

    @customer.setter
    def customer(self, customer: Customer | None) -> None:
        self._customer = customer
        self.customer_id = customer.pk if customer is not None else None

    def _customer_absent(self) -> Customer | None:
        """No row for the route's customer id: not found, erased, or created now."""
        if self.scope == Scope.ME:
            return self._customer_of_token()
        if self.customer_required:
            raise ApplicationError(
                "No customer with this id in the workspace.",
                code="customer_not_found",
                status_code=404,
            )
        return None

    @property
    def customer_required(self) -> bool:
        return self.request.method not in self.customer_optional_methods

    @property
    def customer_external_id(self) -> str:
        if self.scope == Scope.ME:
            return self.request.user.external_id
        return self.kwargs["customer_id"]

    def _check_origin(self, request) -> None:
        # Browsers send Origin on cross-origin calls: refuse the ones the workspace does
        # not list, even though CORS alone would only hide the response.
        origin = request.headers.get("Origin")
        if not origin or workspace_allows_origin(self.workspace, origin):
            return
        own = {normalise_origin(settings.WAYPOINT_BASE_URL)}
        parts = urlsplit(request.build_absolute_uri("/"))
        own.add(normalise_origin(f"{parts.scheme}://{parts.netloc}"))
        if normalise_origin(origin) not in own:
            raise ApplicationError(
                "This origin is not allowed for the workspace.",
                code="origin_not_allowed",
                status_code=403,
            )

    def _customer_of_token(self) -> Customer | None:
        external_id = self.customer_external_id
        customer = customer_get(workspace=self.workspace, external_id=external_id)
        if customer is not None:
            return customer
        if customer_is_suppressed(workspace_id=self.workspace.pk, external_id=external_id):
            if not self.customer_required:
                return None
            raise ApplicationError(
                "This customer's data was erased.", code="erased", status_code=403
            )
        if not self.customer_required:
            return None
        # A product may embed the widget before it sends identify(): create on first use.
        try:
            return customer_upsert(workspace=self.workspace, external_id=external_id)
        except IntegrityError:  # a concurrent first request created it
            return customer_get(workspace=self.workspace, external_id=external_id)
