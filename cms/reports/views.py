"""Admin reports for authors, scoped to the workspaces they author (all for superusers)."""

from datetime import datetime

import django_filters
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView

from cms.reports.charts import Bar, funnel_chart, horizontal_bar_chart
from cms.selectors import workspaces_of_user
from education.analytics.selectors import (
    TICKET_WINDOW,
    LessonPerformance,
    PathDropoff,
    lesson_feedback_comments,
    lesson_funnel,
    lesson_performance,
    path_dropoff,
)
from education.workspaces.models import Workspace

# Fewer measured learners than this and "tickets saved" is shown greyed out as noise.
MIN_LEARNERS_FOR_TICKETS = 30


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def decimal(value: float | None, places: int = 1) -> str:
    return "–" if value is None else f"{value:.{places}f}"


def signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.1f}"


def _rounded(value: float) -> float:
    return round(value, 4)


class WorkspaceFilterSet(WagtailFilterSet):
    """Offers a workspace choice to users who author more than one."""

    workspace = django_filters.ModelChoiceFilter(
        label="Workspace",
        queryset=lambda request: workspaces_of_user(request.user),
        empty_label="All your workspaces",
        method="filter_nothing",
    )

    class Meta:
        model = Workspace
        fields: list[str] = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is None or workspaces_of_user(request.user).count() < 2:
            del self.filters["workspace"]

    def filter_nothing(self, queryset, name, value):
        return queryset  # the view reads the choice itself; the rows are not a queryset


class AuthorReportMixin:
    """Only users who author a workspace get in; rows are computed, sorted in Python."""

    template_name = "cms/admin/report.html"
    filterset_class = WorkspaceFilterSet
    # Rates are fractions; four decimals are plenty in a spreadsheet.
    custom_value_preprocess = {
        **ReportView.custom_value_preprocess,
        float: {ReportView.FORMAT_CSV: _rounded, ReportView.FORMAT_XLSX: _rounded},
    }

    def dispatch(self, request, *args, **kwargs):
        if not workspaces_of_user(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def workspaces(self) -> list[Workspace]:
        workspaces = workspaces_of_user(self.request.user)
        if self.filters and self.filters.is_valid():
            chosen = self.filters.form.cleaned_data.get("workspace")
            if chosen is not None:
                workspaces = workspaces.filter(pk=chosen.pk)
        return list(workspaces)

    def filter_queryset(self, queryset):
        return queryset

    def order_queryset(self, rows):
        if not self.ordering:
            return rows
        key = self.ordering.lstrip("-")
        descending = self.ordering.startswith("-")
        known = [row for row in rows if getattr(row, key) is not None]
        unknown = [row for row in rows if getattr(row, key) is None]
        known.sort(
            key=lambda row: (
                getattr(row, key).lower()
                if isinstance(getattr(row, key), str)
                else getattr(row, key)
            ),
            reverse=descending,
        )
        return known + unknown  # unmeasured rows last either way

    def get_filename(self) -> str:
        return f"{self.export_filename}-{datetime.now():%Y-%m-%d}"


def _tickets_saved_cell(row: LessonPerformance) -> str:
    if row.tickets_saved is None:
        return "–"
    return format_html(
        '{} <small class="w-text-text-meta">({} learners)</small>',
        signed(row.tickets_saved),
        row.tickets.learners,
    )


def _lesson_detail_url(row: LessonPerformance) -> str:
    return reverse("cms_reports:lesson_detail", args=[row.lesson.pk])


class LessonPerformanceView(AuthorReportMixin, ReportView):
    page_title = "Lesson performance"
    header_icon = "pick"
    index_url_name = "cms_reports:lesson_performance"
    index_results_url_name = "cms_reports:lesson_performance_results"
    results_template_name = "cms/admin/lesson_performance_results.html"
    default_ordering = "-views"
    paginate_by = 50
    export_filename = "lesson-performance"
    export_headings = {
        "title": "Lesson",
        "workspace_name": "Workspace",
        "lesson.pk": "Lesson id",
        "views": "Views",
        "completions": "Completions",
        "completion_rate": "Completion rate",
        "quiz_answers": "Quiz first answers",
        "quiz_pass_rate": "Quiz pass rate",
        "helpful_votes": "Helpful votes",
        "helpful_rate": "Helpful rate",
        "effort_ratings": "Effort ratings",
        "effort_average": "Effort average (1-7)",
        "tickets.learners": "Learners measured",
        "tickets.learner_tickets_before": "Learner tickets before",
        "tickets.learner_tickets_after": "Learner tickets after",
        "tickets.comparison_customers": "Comparison customers measured",
        "tickets.comparison_tickets_before": "Comparison tickets before",
        "tickets.comparison_tickets_after": "Comparison tickets after",
        "tickets_saved": "Tickets saved per 100 learners",
    }
    list_export = list(export_headings)

    @cached_property
    def columns(self):
        columns = [
            TitleColumn("title", label="Lesson", sort_key="title", get_url=_lesson_detail_url),
            Column("views", label="Views", sort_key="views"),
            Column("completions", label="Completions", sort_key="completions"),
            Column(
                "completion_rate",
                label="Completion rate",
                sort_key="completion_rate",
                accessor=lambda row: percent(row.completion_rate),
            ),
            Column(
                "quiz_pass_rate",
                label="Quiz pass rate",
                sort_key="quiz_pass_rate",
                accessor=lambda row: percent(row.quiz_pass_rate),
            ),
            Column(
                "helpful_rate",
                label="Helpful",
                sort_key="helpful_rate",
                accessor=lambda row: percent(row.helpful_rate),
            ),
            Column(
                "effort_average",
                label="Effort (1–7)",
                sort_key="effort_average",
                accessor=lambda row: decimal(row.effort_average),
            ),
            Column(
                "tickets_saved",
                label="Tickets saved / 100 learners",
                sort_key="tickets_saved",
                accessor=_tickets_saved_cell,
            ),
        ]
        if len(self.workspaces) > 1:
            columns.insert(
                1, Column("workspace_name", label="Workspace", sort_key="workspace_name")
            )
        return columns

    @cached_property
    def rows(self) -> list[LessonPerformance]:
        return lesson_performance(workspaces=self.workspaces)

    def get_queryset(self):
        return self.order_queryset(list(self.rows))

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["tickets_chart"] = tickets_saved_chart(self.rows)
        context["funnel_chart"] = funnel_chart(
            lesson_funnel(self.rows),
            title="Lesson funnel: customers at each stage, all lessons",
            description=(
                "How many customer–lesson pairs reached each stage: viewed, completed, "
                "answered the quiz, gave feedback."
            ),
            width=640,
            label_width=150,
        )
        context["window_days"] = TICKET_WINDOW.days
        context["min_learners"] = MIN_LEARNERS_FOR_TICKETS
        return context


def tickets_saved_chart(rows: list[LessonPerformance]) -> str:
    measured = [row for row in rows if row.tickets_saved is not None]
    measured.sort(key=lambda row: row.tickets_saved, reverse=True)
    bars = []
    for row in measured:
        few = row.tickets.learners < MIN_LEARNERS_FOR_TICKETS
        bars.append(
            Bar(
                row.title,
                row.tickets_saved,
                signed(row.tickets_saved),
                tone="muted" if few else ("good" if row.tickets_saved >= 0 else "bad"),
                detail=f"{row.tickets.learners} learners measured"
                + (", too few to tell" if few else ""),
            )
        )
    return horizontal_bar_chart(
        bars,
        title="Tickets saved per 100 learners, by lesson",
        description=(
            "For each lesson, support tickets avoided per 100 learners compared with similar "
            "customers who did not take it. Bars right of the line are tickets saved; left "
            "of it, more tickets than the comparison group. Grey bars rest on few learners."
        ),
    )


class LessonPerformanceDetailView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "cms/admin/lesson_performance_detail.html"
    header_icon = "pick"

    def dispatch(self, request, *args, **kwargs):
        rows = lesson_performance(
            workspaces=workspaces_of_user(request.user), lesson_ids=[kwargs["lesson_id"]]
        )
        if not rows:
            raise Http404
        self.row = rows[0]
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.row.title

    def get_page_subtitle(self):
        return "Lesson performance"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("cms_reports:lesson_performance"), "label": "Lesson performance"},
            {"url": "", "label": self.row.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        row = self.row
        tickets = row.tickets
        context.update(
            row=row,
            tickets=tickets,
            window_days=TICKET_WINDOW.days,
            min_learners=MIN_LEARNERS_FOR_TICKETS,
            edit_url=reverse("wagtailadmin_pages:edit", args=[row.lesson.pk]),
            comments=lesson_feedback_comments(lesson=row.lesson),
            figures=[
                (row.views, "Views (customers)"),
                (row.completions, "Completions"),
                (percent(row.completion_rate), "Completion rate"),
                (percent(row.quiz_pass_rate), f"Quiz pass rate ({row.quiz_answers} first answers)"),
                (percent(row.helpful_rate), f"Found it helpful ({row.helpful_votes} votes)"),
                (
                    decimal(row.effort_average),
                    f"Effort, 1 easy – 7 hard ({row.effort_ratings} ratings)",
                ),
                (signed(row.tickets_saved), "Tickets saved per 100 learners"),
            ],
            ticket_rows=[
                (
                    "Learners",
                    tickets.learners,
                    tickets.learner_tickets_before,
                    tickets.learner_tickets_after,
                    signed(_per_100(tickets.learner_change)),
                ),
                (
                    "Comparison group",
                    tickets.comparison_customers,
                    tickets.comparison_tickets_before,
                    tickets.comparison_tickets_after,
                    signed(_per_100(tickets.comparison_change)),
                ),
            ],
            offset_days=decimal(tickets.reference_offset_days, 0),
            funnel_chart=funnel_chart(
                [
                    ("Viewed", row.views),
                    ("Completed", row.completions),
                    ("Answered the quiz", row.quiz_takers),
                    ("Gave feedback", row.feedback_givers),
                ],
                title=f"Funnel for {row.title}",
                description="Customers who viewed, completed, answered the quiz, gave feedback.",
                width=640,
                label_width=150,
            ),
            tickets_chart=before_after_chart(row),
        )
        return context


def _per_100(change: float | None) -> float | None:
    return None if change is None else change * 100


def before_after_chart(row: LessonPerformance) -> str:
    tickets = row.tickets
    days = TICKET_WINDOW.days
    figures = [
        ("Learners, before", tickets.learner_tickets_before, tickets.learners, "neutral"),
        ("Learners, after", tickets.learner_tickets_after, tickets.learners, "good"),
        (
            "Comparison, before",
            tickets.comparison_tickets_before,
            tickets.comparison_customers,
            "muted",
        ),
        (
            "Comparison, after",
            tickets.comparison_tickets_after,
            tickets.comparison_customers,
            "muted-strong",
        ),
    ]
    bars = [
        Bar(
            label,
            tickets.per_100(count, customers) or 0.0,
            decimal(tickets.per_100(count, customers)),
            tone=tone,
            detail=f"{count} tickets, {customers} customers",
        )
        for label, count, customers, tone in figures
    ]
    return horizontal_bar_chart(
        bars,
        title=f"Tickets per 100 customers, {days} days before and after",
        description=(
            f"Support tickets on the lesson's features per 100 customers in the {days} days "
            "before and after the lesson (learners) or a matched date (comparison group)."
        ),
        label_width=170,
        width=620,
    )


# --- Path drop-off -----------------------------------------------------------------------


class PathDropoffView(AuthorReportMixin, ReportView):
    page_title = "Path drop-off"
    header_icon = "list-ol"
    index_url_name = "cms_reports:path_dropoff"
    index_results_url_name = "cms_reports:path_dropoff_results"
    results_template_name = "cms/admin/path_dropoff_results.html"
    default_ordering = "title"
    paginate_by = 20
    export_filename = "path-drop-off"
    list_export = ["title", "workspace_name", "learners", "finished", "finish_rate", "drop_step"]
    export_headings = {
        "title": "Path",
        "workspace_name": "Workspace",
        "learners": "Learners",
        "finished": "Finished",
        "finish_rate": "Finish rate",
        "drop_step": "Most learners stop after",
    }

    @cached_property
    def columns(self):
        columns = [
            TitleColumn(
                "title",
                label="Path",
                sort_key="title",
                get_url=lambda row: f"#path-{row.path.pk}",
            ),
            Column("learners", label="Learners", sort_key="learners"),
            Column("finished", label="Finished", sort_key="finished"),
            Column(
                "finish_rate",
                label="Finish rate",
                sort_key="finish_rate",
                accessor=lambda row: percent(row.finish_rate),
            ),
            Column("drop_step", label="Most learners stop after"),
        ]
        if len(self.workspaces) > 1:
            columns.insert(
                1, Column("workspace_name", label="Workspace", sort_key="workspace_name")
            )
        return columns

    def get_queryset(self):
        rows = [PathRow(report) for report in path_dropoff(workspaces=self.workspaces)]
        return self.order_queryset(rows)

    def decorate_paginated_queryset(self, rows):
        for row in rows:
            row.chart = funnel_chart(
                [("Started", row.learners)]
                + [
                    (f"{step.position}. {step.title}", step.completed_so_far)
                    for step in row.report.steps
                ],
                title=f"Drop-off along {row.title}",
                description=(
                    "Customers who started the path, then who completed each step and every "
                    "step before it."
                ),
            )
        return rows


class PathRow:
    """A path's drop-off as a listing row."""

    def __init__(self, report: PathDropoff):
        self.report = report
        self.path = report.path
        self.title = report.title
        self.workspace_name = report.workspace.name
        self.learners = report.learners
        self.finished = report.finished
        self.finish_rate = report.finished / report.learners if report.learners else None
        drop = report.biggest_drop
        self.drop_step = f"{drop.position}. {drop.title}" if drop else "–"
        self.steps = []
        reached = report.learners
        for step in report.steps:
            self.steps.append(
                {
                    "position": step.position,
                    "title": step.title,
                    "completed": step.completed,
                    "completed_so_far": step.completed_so_far,
                    "share": percent(step.completed_so_far / report.learners)
                    if report.learners
                    else "–",
                    "lost": reached - step.completed_so_far,
                }
            )
            reached = step.completed_so_far
