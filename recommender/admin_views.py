"""The model registry in the Wagtail admin: list, detail, train now, activate.

Superusers see every workspace's models; authors only their workspaces' (a model of
another workspace is a 404, whatever the request). Training is enqueued after the
request's transaction commits; activation goes through ``model_activate``, and activating
a model that did not pass the governance gate is recorded as forced.
"""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.views.generic import TemplateView, View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin

from cms.reports.charts import Bar, horizontal_bar_chart
from cms.selectors import workspaces_of_user
from education.errors import ApplicationError
from recommender.governance import model_passed_gate
from recommender.models import ModelStatus, RecommenderModel
from recommender.services import model_activate

METRICS = [
    ("ndcg", "NDCG@10"),
    ("precision", "Precision@10"),
    ("recall", "Recall@10"),
    ("map", "MAP@10"),
    ("coverage", "Coverage"),
]
BASELINES = [
    ("model", "This model"),
    ("popularity", "Popularity baseline"),
    ("random", "Random baseline"),
    ("active", "Model active at training time"),
]


def models_of_user(user) -> QuerySet[RecommenderModel]:
    return RecommenderModel.objects.filter(workspace__in=workspaces_of_user(user)).select_related(
        "workspace"
    )


def _metric(model: RecommenderModel, group: str, name: str) -> float | None:
    return (model.metrics.get(group) or {}).get(name)


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _metric_cell(name: str):
    """The model's value, with popularity and random underneath for comparison."""

    def cell(model: RecommenderModel):
        value = _metric(model, "model", name)
        popularity, random = _metric(model, "popularity", name), _metric(model, "random", name)
        return format_html(
            '<strong>{}</strong><br><small class="w-text-text-meta w-whitespace-nowrap">'
            "pop {}<br>rnd {}</small>",
            _number(value),
            _number(popularity),
            _number(random),
        )

    return cell


def _flat(parameters: dict, prefix: str = "") -> list[tuple[str, object]]:
    """Nested hyper-parameters as (dotted name, value) pairs, sorted."""
    pairs = []
    for name, value in sorted(parameters.items()):
        if isinstance(value, dict):
            pairs += _flat(value, prefix=f"{prefix}{name}.")
        else:
            pairs.append((f"{prefix}{name}", value))
    return pairs


class AuthorOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not workspaces_of_user(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ModelFilterSet(WagtailFilterSet):
    workspace = django_filters.ModelChoiceFilter(
        label="Workspace",
        queryset=lambda request: workspaces_of_user(request.user),
        empty_label="All your workspaces",
    )
    status = django_filters.ChoiceFilter(choices=ModelStatus.choices, empty_label="Any status")

    class Meta:
        model = RecommenderModel
        fields = ["workspace", "status"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is None or workspaces_of_user(request.user).count() < 2:
            del self.filters["workspace"]


class ModelListView(AuthorOnlyMixin, BaseListingView):
    template_name = "recommender/admin/model_list.html"
    page_title = "Recommender models"
    header_icon = "cogs"
    index_url_name = "recommender_admin:models"
    index_results_url_name = "recommender_admin:models_results"
    filterset_class = ModelFilterSet
    default_ordering = "-created_at"
    paginate_by = 25
    verbose_name_plural = "models"

    def get_base_queryset(self):
        return models_of_user(self.request.user)

    @cached_property
    def workspaces(self):
        return list(workspaces_of_user(self.request.user))

    @cached_property
    def columns(self):
        columns = [
            Column(
                "version",
                label="Version",
                sort_key="version",
                accessor=lambda model: format_html(
                    '<a href="{}"><strong>{}</strong></a><br>'
                    '<small class="w-text-text-meta">{}</small>',
                    reverse("recommender_admin:model", args=[model.pk]),
                    model.version,
                    model.algorithm,
                ),
            ),
            StatusTagColumn(
                "status",
                label="Status",
                sort_key="status",
                accessor="get_status_display",
                primary=lambda model: model.status == ModelStatus.ACTIVE,
            ),
            Column(
                "created_at",
                label="Created",
                sort_key="created_at",
                accessor=lambda model: format_html(
                    '{}<br><small class="w-text-text-meta">by {}</small>',
                    date_format(localtime(model.created_at), "j M Y H:i"),
                    model.created_by,
                ),
            ),
            Column(
                "data",
                label="Data",
                accessor=lambda model: format_html(
                    '{} customers<br><small class="w-text-text-meta">{} interactions</small>',
                    f"{model.n_customers:,}",
                    f"{model.n_interactions:,}",
                ),
            ),
            *[Column(name, label=label, accessor=_metric_cell(name)) for name, label in METRICS],
            Column(
                "gate",
                label="Gate",
                accessor=lambda model: format_html(
                    '<span title="{}">{}</span>{}',
                    model.decision,
                    "Passed" if model_passed_gate(model) else "Did not pass",
                    format_html('<br><small class="w-text-critical-200">forced</small>')
                    if model.forced
                    else "",
                ),
            ),
        ]
        if len(self.workspaces) > 1:
            columns.insert(1, Column("workspace", label="Workspace", sort_key="workspace__name"))
        return columns

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["train_workspaces"] = self.workspaces
        context["train_url"] = reverse("recommender_admin:train")
        return context


class ModelDetailView(AuthorOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "recommender/admin/model_detail.html"
    header_icon = "cogs"

    @cached_property
    def model(self) -> RecommenderModel:
        return get_object_or_404(models_of_user(self.request.user), pk=self.kwargs["pk"])

    def get_page_title(self):
        return self.model.version

    def get_page_subtitle(self):
        return "Recommender model"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("recommender_admin:models"), "label": "Recommender models"},
            {"url": "", "label": self.model.version},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        model = self.model
        groups = [(key, label) for key, label in BASELINES if model.metrics.get(key)]
        context.update(
            model=model,
            passed=model_passed_gate(model),
            metric_labels=[label for _name, label in METRICS],
            metric_rows=[
                (
                    label + (f" ({model.metrics[key]['version']})" if key == "active" else ""),
                    [_number(_metric(model, key, name)) for name, _label in METRICS],
                )
                for key, label in groups
            ],
            ndcg_chart=horizontal_bar_chart(
                [
                    Bar(
                        label,
                        _metric(model, key, "ndcg") or 0.0,
                        _number(_metric(model, key, "ndcg")),
                        tone="good" if key == "model" else "muted",
                    )
                    for key, label in groups
                ],
                title=f"NDCG@10 of {model.version} against its baselines",
                description="Ranking quality on the holdout: higher is better.",
                label_width=220,
                width=620,
            ),
            hyperparameters=_flat(model.hyperparameters),
            can_activate=model.status != ModelStatus.ACTIVE,
            activate_url=reverse("recommender_admin:activate", args=[model.pk]),
        )
        return context


class ModelActivateView(ModelDetailView):
    """GET: a confirmation page. POST: make the model the one that serves."""

    template_name = "recommender/admin/model_activate.html"

    def get_page_subtitle(self):
        return "Activate"

    def post(self, request, *args, **kwargs):
        model = self.model
        detail_url = reverse("recommender_admin:model", args=[model.pk])
        if model.status == ModelStatus.ACTIVE:
            messages.info(request, f"{model.version} is already the active model.")
            return redirect(detail_url)
        # A model that failed the gate is activated by force; one already forced stays so.
        forced = not model_passed_gate(model) and not model.forced
        model = model_activate(model=model, forced=forced)
        messages.success(
            request,
            f"{model.version} is now the active model"
            + (" (activated by force: it did not pass the gate)." if model.forced else "."),
        )
        return redirect(detail_url)


class ModelTrainView(AuthorOnlyMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        workspace_id = request.POST.get("workspace", "")
        if not workspace_id.isdigit():
            raise Http404
        workspace = get_object_or_404(workspaces_of_user(request.user), pk=workspace_id)
        from recommender.tasks import train_recommender_task

        workspace_id, user = workspace.pk, request.user.get_username()
        try:
            transaction.on_commit(
                lambda: train_recommender_task.delay(workspace_id, created_by=user)
            )
        except ApplicationError as error:
            # With eager Celery (local runs) the task runs right here and its refusal lands here.
            messages.error(request, f"Training could not start: {error.message}")
        else:
            messages.success(
                request,
                f"Training queued for {workspace.name}. The new model appears below when it is "
                "done; it becomes active only if it passes the gate.",
            )
        return redirect(reverse("recommender_admin:models"))
