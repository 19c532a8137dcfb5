"""The widget's routes (customer token) and their server-side twins."""

import pytest

from education.events.models import UsageEvent
from education.progress.models import LessonFeedback, LessonProgress, QuizAttempt
from tests.api.conftest import customer_client, server_client
from tests.factories import CustomerFactory, LessonPageFactory, UsageEventFactory

pytestmark = pytest.mark.django_db

MULTI_QUIZ = (
    "quiz",
    {
        "question": "Which are true?",
        "choices": [
            {"text": "A", "correct": True},
            {"text": "B", "correct": False},
            {"text": "C", "correct": True},
        ],
        "explanation": "A and C.",
    },
)


@pytest.fixture
def lesson(workspace):
    return LessonPageFactory(
        workspace=workspace,
        body=[
            ("paragraph", '<p>Hello <a href="/docs">docs</a></p>'),
            ("code", {"language": "python", "code": "print('<b>')"}),
            (
                "video",
                {"url": "https://youtu.be/dQw4w9WgXcQ", "caption": "Watch", "transcript": ""},
            ),
            MULTI_QUIZ,
        ],
    )


@pytest.fixture
def client(workspace):
    return customer_client(workspace, "user-1")


def _quiz_id(lesson) -> str:
    return next(block.id for block in lesson.body if block.block_type == "quiz")


def test_lesson_for_a_customer_never_carries_quiz_answers(client, lesson):
    response = client.get(f"/api/v1/me/lessons/{lesson.pk}")
    assert response.status_code == 200
    body = response.json()
    quiz = next(block for block in body["blocks"] if block["type"] == "quiz")
    assert quiz["value"] == {
        "question": "Which are true?",
        "choices": [
            {"index": 0, "text": "A"},
            {"index": 1, "text": "B"},
            {"index": 2, "text": "C"},
        ],
        "multiple": True,
    }
    text = response.content.decode()
    assert "correct" not in text
    assert "A and C." not in text


def test_lesson_detail_shape(client, lesson):
    body = client.get(f"/api/v1/me/lessons/{lesson.pk}").json()
    assert body["id"] == lesson.pk
    assert body["url"].startswith("http") and body["url"].endswith(f"/{lesson.slug}/")
    assert [block["type"] for block in body["blocks"]] == ["paragraph", "code", "video", "quiz"]
    paragraph, code, video, _quiz = (block["value"] for block in body["blocks"])
    assert 'href="http://' in paragraph  # relative links made absolute for the widget
    assert code == {"language": "python", "code": "print('<b>')"}
    assert video["embed_url"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert "<iframe" in body["html"] and "<script" not in body["html"]


def test_server_side_lesson_detail_reveals_answers(workspace, lesson):
    body = server_client(workspace).get(f"/api/v1/lessons/{lesson.pk}").json()
    quiz = next(block for block in body["blocks"] if block["type"] == "quiz")
    assert quiz["value"]["correct_answers"] == [0, 2]
    assert quiz["value"]["explanation"] == "A and C."


def test_draft_and_foreign_lessons_are_404(client, workspace, other_workspace):
    draft = LessonPageFactory(workspace=workspace, live=False)
    foreign = LessonPageFactory(workspace=other_workspace)
    for lesson_id in (draft.pk, foreign.pk, 999999999):
        response = client.get(f"/api/v1/me/lessons/{lesson_id}")
        assert response.status_code == 404
        assert response.json()["code"] == "lesson_not_found"


def test_quiz_is_scored_on_the_server_and_stored(client, lesson):
    url = f"/api/v1/me/lessons/{lesson.pk}/quiz/{_quiz_id(lesson)}"
    response = client.post(url, {"answers": [0, 2]}, format="json")
    assert response.json() == {
        "correct": True,
        "score": 1.0,
        "correct_answers": [0, 2],
        "explanation": "A and C.",
    }
    partial = client.post(url, {"answers": [0]}, format="json").json()
    assert partial["correct"] is False and partial["score"] == 0.5
    wrong = client.post(url, {"answers": [1]}, format="json").json()
    assert wrong["score"] == 0.0
    assert QuizAttempt.objects.filter(lesson=lesson).count() == 3


@pytest.mark.parametrize(
    "body", [{"answers": [5]}, {"answers": []}, {"answers": [0, 0]}, {"answers": "0"}, {}]
)
def test_invalid_quiz_answers_are_400(client, lesson, body):
    url = f"/api/v1/me/lessons/{lesson.pk}/quiz/{_quiz_id(lesson)}"
    response = client.post(url, body, format="json")
    assert response.status_code == 400
    assert set(response.json()) <= {"code", "message", "details"}
    assert not QuizAttempt.objects.exists()


def test_unknown_quiz_block_is_404(client, lesson):
    response = client.post(
        f"/api/v1/me/lessons/{lesson.pk}/quiz/nope", {"answers": [0]}, format="json"
    )
    assert response.status_code == 404


def test_start_then_complete_records_progress_and_lesson_signals(client, lesson):
    started = client.post(f"/api/v1/me/lessons/{lesson.pk}/start").json()
    assert started["status"] == "started" and started["completed_at"] is None
    completed = client.post(f"/api/v1/me/lessons/{lesson.pk}/complete").json()
    assert completed["status"] == "completed" and completed["completed_at"]
    again = client.post(f"/api/v1/me/lessons/{lesson.pk}/complete").json()
    assert again == completed
    events = UsageEvent.objects.filter(signal=f"lesson:{lesson.pk}").order_by("id")
    assert [(e.name, e.kind, e.weight) for e in events] == [
        ("Lesson Viewed", "lesson", 1.0),
        ("Lesson Completed", "lesson", 3.0),
    ]
    assert len({event.message_id for event in events}) == 2


def test_progress_list_is_paginated(client, workspace):
    lessons = [LessonPageFactory(workspace=workspace) for _ in range(3)]
    for lesson in lessons:
        client.post(f"/api/v1/me/lessons/{lesson.pk}/start")
    page = client.get("/api/v1/me/progress?limit=2").json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    assert set(page["results"][0]) == {"lesson_id", "status", "started_at", "completed_at"}


def test_feedback_is_an_upsert(client, lesson):
    url = f"/api/v1/me/lessons/{lesson.pk}/feedback"
    first = client.post(url, {"helpful": True, "effort_score": 2}, format="json")
    assert first.status_code == 200
    second = client.post(url, {"comment": "Clear."}, format="json").json()
    assert second["helpful"] is True and second["effort_score"] == 2
    assert second["comment"] == "Clear."
    assert LessonFeedback.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [{"effort_score": 8}, {"effort_score": 0}, {"helpful": "perhaps"}, {"comment": "x" * 2001}],
)
def test_invalid_feedback_is_400(client, lesson, body):
    response = client.post(f"/api/v1/me/lessons/{lesson.pk}/feedback", body, format="json")
    assert response.status_code == 400
    assert not LessonFeedback.objects.exists()


def test_help_request_returns_the_context(client, workspace, lesson):
    customer = client.get("/api/v1/me") and workspace.customers.get(external_id="user-1")
    customer.email, customer.plan = "ada@example.com", "pro"
    customer.save()
    UsageEventFactory(customer=customer, kind="error", feature_key="exports", name="Export Failed")
    UsageEventFactory(customer=customer, kind="used", name="Invoice Sent")
    client.post(f"/api/v1/me/lessons/{lesson.pk}/start")
    response = client.post(
        f"/api/v1/me/lessons/{lesson.pk}/help", {"message": "Still stuck"}, format="json"
    )
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "sent"
    context = body["context"]
    assert context["customer"]["id"] == "user-1"
    assert context["customer"]["email"] == "ada@example.com"
    assert context["lesson"]["id"] == lesson.pk
    assert context["message"] == "Still stuck"
    assert [row["lesson_id"] for row in context["recent_lessons"]] == [lesson.pk]
    assert [event["name"] for event in context["recent_errors"]] == ["Export Failed"]


def test_help_request_with_unknown_path_is_400(client, lesson):
    response = client.post(
        f"/api/v1/me/lessons/{lesson.pk}/help", {"path_id": 987654}, format="json"
    )
    assert response.status_code == 400


def test_preferences_patch_changes_only_the_two_consents(client, workspace, other_workspace):
    client.get("/api/v1/me")
    customer = workspace.customers.get(external_id="user-1")
    before = {
        field: getattr(customer, field)
        for field in ("workspace_id", "external_id", "email", "name", "plan", "traits")
    }
    response = client.patch(
        "/api/v1/me/preferences",
        {
            "email_consent": False,
            "personalisation_consent": False,
            "workspace": other_workspace.pk,
            "workspace_id": other_workspace.pk,
            "external_id": "someone-else",
            "email": "attacker@example.com",
            "plan": "enterprise",
            "traits": {"admin": True},
        },
        format="json",
    )
    assert response.json() == {"personalisation_consent": False, "email_consent": False}
    customer.refresh_from_db()
    assert not customer.email_consent and not customer.personalisation_consent
    assert {field: getattr(customer, field) for field in before} == before


def test_preferences_with_wrong_types_are_400(client):
    response = client.patch("/api/v1/me/preferences", {"email_consent": "maybe"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"


def test_server_side_twin_routes_use_the_product_user_id(workspace, lesson):
    customer = CustomerFactory(workspace=workspace, external_id="ada@example.com")
    client = server_client(workspace)
    base = "/api/v1/customers/ada@example.com"
    assert client.post(f"{base}/lessons/{lesson.pk}/complete").status_code == 200
    assert LessonProgress.objects.get(customer=customer).channel == "api"
    assert client.get(f"{base}/progress").json()["count"] == 1
    assert client.get("/api/v1/customers/nobody/progress").status_code == 404


def test_recommendations_limit_is_validated(client):
    for limit in ("0", "51", "abc", "-1"):
        response = client.get(f"/api/v1/me/recommendations?limit={limit}")
        assert response.status_code == 400, limit


def test_recommendations_shape(client, workspace):
    lessons = [LessonPageFactory(workspace=workspace) for _ in range(3)]
    body = client.get("/api/v1/me/recommendations?limit=2").json()
    assert set(body) == {"model_version", "results"}
    assert len(body["results"]) == 2
    for item in body["results"]:
        assert set(item) == {"lesson", "score", "source", "reasons"}
        assert item["lesson"]["id"] in {lesson.pk for lesson in lessons}
        assert set(item["lesson"]) == {
            "id", "title", "summary", "duration_minutes", "level", "locale", "features", "url"
        }  # fmt: skip


def test_path_shape_and_enrolment(client, workspace):
    from education.progress.models import PathEnrolment
    from tests.factories import LearningPathPageFactory

    first, second = LessonPageFactory(workspace=workspace), LessonPageFactory(workspace=workspace)
    path = LearningPathPageFactory(workspace=workspace, lessons=[first, second])
    body = client.get("/api/v1/me/path").json()
    assert body["kind"] == "authored" and body["path_id"] == path.pk
    assert body["total"] == 2 and body["completed"] == 0
    assert [step["status"] for step in body["steps"]] == ["next", "upcoming"]
    assert PathEnrolment.objects.filter(path=path).count() == 1
