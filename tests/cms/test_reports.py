"""Authors' reports: lesson performance (with tickets before/after) and path drop-off.

The dataset below is small enough to work the right answers out by hand; each number in
the assertions is derived in the comments next to the data.
"""

import csv
import io
import itertools
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone
from wagtail.models import Locale

from cms.reports.charts import Bar, horizontal_bar_chart
from education.analytics.selectors import lesson_performance, path_dropoff
from education.events.models import UsageEvent
from education.progress.models import LessonFeedback, LessonProgress, PathEnrolment, QuizAttempt
from tests.factories import (
    CustomerFactory,
    LearningPathPageFactory,
    LessonPageFactory,
    ProductFeatureFactory,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()
_message_ids = itertools.count()


def days_ago(days: float):
    return NOW - timedelta(days=days)


def event(customer, *, kind: str, feature: str = "", at, name: str = "", signal: str = ""):
    UsageEvent.objects.create(
        workspace_id=customer.workspace_id,
        customer=customer,
        message_id=f"report-{next(_message_ids)}",
        name=name or kind,
        feature_key=feature,
        kind=kind,
        signal=signal or f"{kind}:{feature}",
        timestamp=at,
    )


def completed(customer, lesson, at):
    LessonProgress.objects.create(
        customer=customer, lesson=lesson, status="completed", started_at=at, completed_at=at
    )


def answer(customer, lesson, block_id: str, correct: bool, minutes: int):
    QuizAttempt.objects.create(
        customer=customer,
        lesson=lesson,
        block_id=block_id,
        answers=[0],
        is_correct=correct,
        score=1.0 if correct else 0.0,
        created_at=NOW - timedelta(minutes=minutes),
    )


def author_of(*workspaces, name: str):
    user = get_user_model().objects.create_user(name, password="secret")
    for workspace in workspaces:
        user.groups.add(workspace.authors_group)
    return user


@pytest.fixture
def dataset(workspace):
    """Lesson "Invoices 101" (feature invoices), its French translation, and customers.

    Learners (completed the lesson):
      c1  first used invoices 120 days ago, completed 100 days ago (offset 20 days);
          tickets on invoices 110 and 105 days ago (before), 90 days ago (after), and one on
          exports 95 days ago (another feature: ignored)            -> before 2, after 1
      c2  first use 110 days ago, completed 100 days ago (offset 10); ticket 101 days ago
                                                                     -> before 1, after 0
      c3  first use 40 days ago, completed 10 days ago on the French page (offset 30): its
          30 days after are not over yet, so it is not measured.
    Median offset (20, 10, 30) = 20 days. Learners measured: 2; change (1 − 3) / 2 = −1.

    Comparison group (use invoices, never completed it), reference = first use + 20 days:
      c0  first use 200 days ago (where the data begins) -> reference 180 days ago; its 30
          days before start before the data does: not measured.
      c4  first use 150 -> reference 130; tickets 140 (before), 125 and 120 (after)
                                                                     -> before 1, after 2
      c5  first use 100 -> reference 80; ticket 85 (before)          -> before 1, after 0
      c6  first use 30 -> reference 10: its 30 days after are not over: not measured.
      c8  started the lesson without completing it, first use 60 -> reference 40, no ticket
                                                                     -> before 0, after 0
      c7  uses exports only: not in the group.
    Comparison measured: 3; change (2 − 2) / 3 = 0.
    Tickets saved per 100 learners = (0 − (−1)) × 100 = 100.
    """
    invoices = ProductFeatureFactory(workspace=workspace, key="invoices", name="Invoices")
    lesson = LessonPageFactory(workspace=workspace, title="Invoices 101", features=[invoices])
    french = lesson.copy_for_translation(Locale.objects.get(language_code="fr"))
    french.save_revision().publish()
    untagged = LessonPageFactory(workspace=workspace, title="Untagged lesson")

    c = {n: CustomerFactory(workspace=workspace, external_id=f"c{n}") for n in range(10)}
    for n, first in [(0, 200), (1, 120), (2, 110), (3, 40), (4, 150), (5, 100), (6, 30), (8, 60)]:
        event(c[n], kind="used", feature="invoices", at=days_ago(first))
    event(c[7], kind="used", feature="exports", at=days_ago(150))

    completed(c[1], lesson, days_ago(100))
    completed(c[2], lesson, days_ago(100))
    completed(c[3], french, days_ago(10))
    LessonProgress.objects.create(customer=c[8], lesson=lesson, started_at=days_ago(5))

    for n, ago in [(1, 110), (1, 105), (1, 90), (2, 101), (4, 140), (4, 125), (4, 120), (5, 85)]:
        event(c[n], kind="ticket", feature="invoices", at=days_ago(ago))
    event(c[1], kind="ticket", feature="exports", at=days_ago(95))
    event(c[3], kind="ticket", feature="invoices", at=days_ago(5))
    event(c[6], kind="ticket", feature="invoices", at=days_ago(5))

    # Views: progress (c1, c2, c3, c8) plus a Lesson Viewed event on the French page (c9).
    event(c[1], kind="lesson", name="Lesson Viewed", signal=f"lesson:{lesson.pk}", at=NOW)
    event(c[9], kind="lesson", name="Lesson Viewed", signal=f"lesson:{french.pk}", at=NOW)

    # First answers: (c1, q1) wrong, (c2, q1) right, (c3, q1) right, (c1, q2) right -> 3 / 4.
    answer(c[1], lesson, "q1", False, minutes=30)
    answer(c[1], lesson, "q1", True, minutes=20)
    answer(c[2], lesson, "q1", True, minutes=30)
    answer(c[3], french, "q1", True, minutes=30)
    answer(c[1], lesson, "q2", True, minutes=10)

    # Helpful: 2 yes of 3 votes; effort 2, 5, 6 -> 13 / 3.
    LessonFeedback.objects.create(customer=c[1], lesson=lesson, helpful=True, effort_score=2)
    LessonFeedback.objects.create(customer=c[2], lesson=lesson, helpful=False, effort_score=5)
    LessonFeedback.objects.create(customer=c[3], lesson=french, helpful=True, comment="Clear!")
    LessonFeedback.objects.create(customer=c[8], lesson=lesson, effort_score=6)
    return lesson, untagged


@pytest.fixture
def other_lesson(other_workspace):
    lesson = LessonPageFactory(workspace=other_workspace, title="Secret lesson of B")
    customer = CustomerFactory(workspace=other_workspace)
    completed(customer, lesson, days_ago(3))
    return lesson


def rows_by_title(rows):
    return {row.title: row for row in rows}


# --- The numbers -------------------------------------------------------------------------


def test_views_completions_quiz_and_feedback_roll_translations_up(workspace, dataset):
    row = rows_by_title(lesson_performance(workspaces=[workspace], now=NOW))["Invoices 101"]

    assert row.views == 5  # c1, c2, c3, c8 from progress; c9 from a French Lesson Viewed
    assert row.completions == 3
    assert row.completion_rate == pytest.approx(3 / 5)
    assert (row.quiz_answers, row.quiz_correct, row.quiz_takers) == (4, 3, 3)
    assert row.quiz_pass_rate == pytest.approx(0.75)
    assert (row.helpful_votes, row.helpful_yes) == (3, 2)
    assert row.helpful_rate == pytest.approx(2 / 3)
    assert row.effort_ratings == 3
    assert row.effort_average == pytest.approx(13 / 3)
    assert row.feedback_givers == 4
    assert row.feature_names == ["Invoices"]


def test_tickets_before_and_after_against_the_comparison_group(workspace, dataset):
    tickets = rows_by_title(lesson_performance(workspaces=[workspace], now=NOW))[
        "Invoices 101"
    ].tickets

    assert tickets.reference_offset_days == pytest.approx(20)
    assert (tickets.learners, tickets.learner_tickets_before, tickets.learner_tickets_after) == (
        2,
        3,
        1,
    )
    assert (
        tickets.comparison_customers,
        tickets.comparison_tickets_before,
        tickets.comparison_tickets_after,
    ) == (3, 2, 2)
    assert tickets.learner_change == pytest.approx(-1.0)
    assert tickets.comparison_change == pytest.approx(0.0)
    assert tickets.saved_per_100_learners == pytest.approx(100.0)


def test_a_lesson_without_data_or_features_has_no_rates(workspace, dataset):
    row = rows_by_title(lesson_performance(workspaces=[workspace], now=NOW))["Untagged lesson"]

    assert (row.views, row.completions) == (0, 0)
    assert row.completion_rate is None and row.quiz_pass_rate is None
    assert row.helpful_rate is None and row.effort_average is None
    assert row.tickets_saved is None


def test_translations_are_not_listed_as_lessons_of_their_own(workspace, dataset):
    titles = [row.title for row in lesson_performance(workspaces=[workspace], now=NOW)]

    assert titles == ["Invoices 101", "Untagged lesson"]


# --- The pages ---------------------------------------------------------------------------


def test_an_author_sees_their_workspaces_lessons_with_figures(client, workspace, dataset):
    client.force_login(author_of(workspace, name="author-a"))

    html = client.get("/admin/reports/lessons/").content.decode()

    assert "Invoices 101" in html
    assert "60%" in html and "75%" in html and "67%" in html and "4.3" in html
    assert "+100.0" in html
    assert html.count('class="waypoint-chart"') == 2


def test_author_b_sees_none_of_workspace_as_lessons(
    client, workspace, other_workspace, dataset, other_lesson
):
    lesson, _untagged = dataset
    client.force_login(author_of(other_workspace, name="author-b"))

    html = client.get("/admin/reports/lessons/").content.decode()
    detail = client.get(f"/admin/reports/lessons/{lesson.pk}/")
    csv_export = b"".join(client.get("/admin/reports/lessons/?export=csv").streaming_content)

    assert "Secret lesson of B" in html
    assert "Invoices 101" not in html and "Untagged lesson" not in html
    assert detail.status_code == 404
    assert b"Invoices 101" not in csv_export


def test_a_workspace_in_the_filter_that_is_not_yours_changes_nothing(
    client, workspace, other_workspace, dataset, other_lesson
):
    client.force_login(author_of(other_workspace, name="author-b"))

    html = client.get(f"/admin/reports/lessons/?workspace={workspace.pk}").content.decode()

    assert "Invoices 101" not in html and "Secret lesson of B" in html


def test_superusers_see_every_workspace_and_can_filter_one(
    client, workspace, other_workspace, dataset, other_lesson
):
    client.force_login(get_user_model().objects.create_superuser("root", password="secret"))

    everything = client.get("/admin/reports/lessons/").content.decode()
    only_b = client.get(f"/admin/reports/lessons/?workspace={other_workspace.pk}").content.decode()

    assert "Invoices 101" in everything and "Secret lesson of B" in everything
    assert "Workspace" in everything  # the column appears with more than one workspace
    assert "Secret lesson of B" in only_b and "Invoices 101" not in only_b


def test_admin_users_who_author_no_workspace_are_refused(client, workspace, dataset):
    user = get_user_model().objects.create_user("editor", password="secret")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client.force_login(user)

    # Wagtail turns the refusal into a redirect to the dashboard with a message.
    for url in ("/admin/reports/lessons/", "/admin/reports/paths/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url == "/admin/"


def test_columns_sort_with_unmeasured_lessons_last(client, workspace, dataset):
    client.force_login(author_of(workspace, name="author-a"))

    ascending = client.get("/admin/reports/lessons/?ordering=tickets_saved").content.decode()
    descending = client.get("/admin/reports/lessons/?ordering=-tickets_saved").content.decode()

    for html in (ascending, descending):
        assert html.index("Invoices 101") < html.rindex("Untagged lesson")


def test_the_detail_page_shows_the_lessons_numbers_and_comments(client, workspace, dataset):
    lesson, _untagged = dataset
    client.force_login(author_of(workspace, name="author-a"))

    html = client.get(f"/admin/reports/lessons/{lesson.pk}/").content.decode()

    assert "Invoices 101" in html and "Clear!" in html
    assert "+100.0" in html and "75%" in html
    assert html.count('class="waypoint-chart"') == 2


def test_csv_export_has_the_raw_figures(client, workspace, dataset):
    client.force_login(author_of(workspace, name="author-a"))

    response = client.get("/admin/reports/lessons/?export=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))

    invoices = next(row for row in rows if row["Lesson"] == "Invoices 101")
    assert invoices["Views"] == "5" and invoices["Completion rate"] == "0.6"
    assert invoices["Learners measured"] == "2"
    assert float(invoices["Tickets saved per 100 learners"]) == pytest.approx(100.0)


def test_xlsx_export_downloads(client, workspace, dataset):
    client.force_login(author_of(workspace, name="author-a"))

    response = client.get("/admin/reports/lessons/?export=xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


# --- Charts ------------------------------------------------------------------------------


def test_a_chart_is_accessible_svg_with_titles():
    svg = horizontal_bar_chart(
        [Bar("Good lesson", 12.0, "+12.0", tone="good"), Bar("Bad lesson", -3.0, "-3.0")],
        title="Tickets saved",
    )

    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<title id=" in svg and "<desc" in svg
    assert "<title>Good lesson: +12.0</title>" in svg


def test_lesson_titles_are_escaped_in_charts_and_pages(client, workspace):
    feature = ProductFeatureFactory(workspace=workspace, key="invoices")
    lesson = LessonPageFactory(
        workspace=workspace, title="<script>alert(1)</script>", features=[feature]
    )
    LearningPathPageFactory(workspace=workspace, title="Path <b>bold</b>", lessons=[lesson])
    client.force_login(author_of(workspace, name="author-a"))

    svg = horizontal_bar_chart([Bar(lesson.title, 1.0, "1")], title=lesson.title)
    pages = [
        client.get("/admin/reports/lessons/").content.decode(),
        client.get(f"/admin/reports/lessons/{lesson.pk}/").content.decode(),
        client.get("/admin/reports/paths/").content.decode(),
    ]

    assert "<script>alert(1)</script>" not in svg and "&lt;script&gt;" in svg
    for html in pages:
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>bold</b>" not in pages[2]


# --- Query count -------------------------------------------------------------------------


def test_the_report_for_twenty_lessons_needs_a_bounded_number_of_queries(
    client, workspace, django_assert_max_num_queries
):
    feature = ProductFeatureFactory(workspace=workspace, key="invoices")
    customers = [CustomerFactory(workspace=workspace) for _ in range(3)]
    for i in range(20):
        lesson = LessonPageFactory(workspace=workspace, features=[feature])
        for customer in customers:
            completed(customer, lesson, days_ago(40 + i))
            answer(customer, lesson, "q1", True, minutes=i)
            LessonFeedback.objects.create(customer=customer, lesson=lesson, helpful=True)
    for customer in customers:
        event(customer, kind="used", feature="invoices", at=days_ago(120))
        event(customer, kind="ticket", feature="invoices", at=days_ago(50))
    client.force_login(author_of(workspace, name="author-a"))
    client.get("/admin/reports/lessons/")  # warm per-process caches (locales, content types)

    with django_assert_max_num_queries(10):
        rows = lesson_performance(workspaces=[workspace])
    # The report's ten, and the admin's own (session, user, permissions, menus).
    with django_assert_max_num_queries(30):
        response = client.get("/admin/reports/lessons/")

    assert len(rows) == 20 and all(row.completions == 3 for row in rows)
    assert response.status_code == 200


# --- Path drop-off -----------------------------------------------------------------------


@pytest.fixture
def path_dataset(workspace):
    """A three-step path. x1 completed 1, 2, 3; x2 1, 2; x3 1, 3; x4 started step 2 only;
    x5 enrolled without doing anything. Learners: 5. Completed step 1: 3 (x1, x2, x3), so far
    3; step 2: 2 (x1, x2), so far 2; step 3: 2 (x1, x3), so far 1 (x1). The most are lost
    at step 1 (5 -> 3)."""
    lessons = [LessonPageFactory(workspace=workspace, title=f"Step {n}") for n in (1, 2, 3)]
    path = LearningPathPageFactory(workspace=workspace, title="Getting paid", lessons=lessons)
    x = {n: CustomerFactory(workspace=workspace, external_id=f"x{n}") for n in range(1, 6)}
    for n, steps in [(1, [0, 1, 2]), (2, [0, 1]), (3, [0, 2])]:
        for step in steps:
            completed(x[n], lessons[step], days_ago(5))
    LessonProgress.objects.create(customer=x[4], lesson=lessons[1])
    PathEnrolment.objects.create(customer=x[5], path=path)
    return path


def test_path_dropoff_counts_who_got_how_far(workspace, path_dataset):
    (report,) = path_dropoff(workspaces=[workspace])

    assert report.learners == 5
    assert [(s.completed, s.completed_so_far) for s in report.steps] == [(3, 3), (2, 2), (2, 1)]
    assert report.finished == 1
    assert report.biggest_drop.title == "Step 1"


def test_the_path_page_shows_a_funnel_and_steps(client, workspace, other_workspace, path_dataset):
    LearningPathPageFactory(workspace=other_workspace, title="Secret path of B")
    client.force_login(author_of(workspace, name="author-a"))

    html = client.get("/admin/reports/paths/").content.decode()

    assert "Getting paid" in html and "Secret path of B" not in html
    assert 'class="waypoint-chart"' in html and "Drop-off along Getting paid" in html
    assert "1. Step 1" in html
