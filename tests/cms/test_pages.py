import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks import StructBlockValidationError

from cms.blocks import QuizBlock, TryItBlock, video_embed_url
from cms.models import LessonPrerequisite
from cms.selectors import lessons_live, paths_live
from tests.factories import (
    LearningPathPageFactory,
    LessonPageFactory,
    ProductFeatureFactory,
    WorkspaceFactory,
)

pytestmark = pytest.mark.django_db


def _quiz(choices):
    block = QuizBlock()
    return block.to_python({"question": "Q?", "choices": choices, "explanation": "Because."})


def test_a_quiz_with_a_correct_choice_is_valid():
    block = QuizBlock()
    value = _quiz([{"text": "A", "correct": True}, {"text": "B", "correct": False}])

    assert block.clean(value)["question"] == "Q?"


@pytest.mark.parametrize(
    "choices",
    [
        [{"text": "A", "correct": False}, {"text": "B", "correct": False}],
        [{"text": "A", "correct": True}],
    ],
    ids=["no correct answer", "one choice"],
)
def test_a_quiz_needs_two_choices_and_a_correct_one(choices):
    with pytest.raises((StructBlockValidationError, ValidationError)):
        QuizBlock().clean(_quiz(choices))


@pytest.mark.parametrize(
    "path", ["javascript:alert(1)", "//evil.example.com/x", "data:text/html,x"]
)
def test_try_it_links_cannot_carry_script_or_leave_for_another_host_implicitly(path):
    block = TryItBlock()
    with pytest.raises((StructBlockValidationError, ValidationError)):
        block.clean(block.to_python({"label": "Go", "path": path, "description": ""}))


def test_try_it_accepts_product_paths_and_https_urls():
    block = TryItBlock()
    for path in ("/settings/bank", "https://app.example.com/x"):
        assert block.clean(block.to_python({"label": "Go", "path": path, "description": ""}))


def test_video_links_become_privacy_friendly_embeds_without_a_network_call():
    assert video_embed_url("https://www.youtube.com/watch?v=dQw4w9WgXcQ") == (
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    )
    assert (
        video_embed_url("https://vimeo.com/123456789") == "https://player.vimeo.com/video/123456789"
    )
    assert video_embed_url("javascript:alert(1)") == ""


def test_duration_must_be_micro(workspace):
    lesson = LessonPageFactory(workspace=workspace)
    lesson.duration_minutes = 45
    with pytest.raises(ValidationError):
        lesson.full_clean()


def test_prerequisites_cannot_form_a_cycle(workspace):
    first = LessonPageFactory(workspace=workspace)
    second = LessonPageFactory(workspace=workspace, prerequisites=[first])

    first.prerequisite_links.add(LessonPrerequisite(prerequisite=second))
    with pytest.raises(ValidationError, match="cycle"):
        first.full_clean()


def test_a_lesson_cannot_require_itself(workspace):
    lesson = LessonPageFactory(workspace=workspace)
    lesson.prerequisite_links.add(LessonPrerequisite(prerequisite=lesson))

    with pytest.raises(ValidationError, match="own prerequisite"):
        lesson.full_clean()


def test_a_prerequisite_must_belong_to_the_same_workspace(workspace, other_workspace):
    foreign = LessonPageFactory(workspace=other_workspace)
    lesson = LessonPageFactory(workspace=workspace)
    lesson.prerequisite_links.add(LessonPrerequisite(prerequisite=foreign))

    with pytest.raises(ValidationError, match="another workspace"):
        lesson.full_clean()


def test_only_live_pages_of_the_workspace_are_listed(workspace, other_workspace):
    live = LessonPageFactory(workspace=workspace)
    LessonPageFactory(workspace=workspace, live=False)
    LessonPageFactory(workspace=other_workspace)
    path = LearningPathPageFactory(workspace=workspace, lessons=[live])
    unpublished = LearningPathPageFactory(workspace=workspace, lessons=[live])
    unpublished.unpublish()

    assert list(lessons_live(workspace=workspace)) == [live]
    assert list(paths_live(workspace=workspace)) == [path]


def test_the_hosted_page_escapes_script_in_rich_text_and_hides_quiz_answers(client, workspace):
    lesson = LessonPageFactory(
        workspace=workspace,
        body=[
            ("paragraph", '<p>Hello<script>alert(1)</script><a href="javascript:x">y</a></p>'),
            (
                "quiz",
                {
                    "question": "<b>Which?</b>",
                    "choices": [
                        {"text": "Right", "correct": True},
                        {"text": "Wrong", "correct": False},
                    ],
                    "explanation": "The secret explanation",
                },
            ),
        ],
    )

    html = client.get(lesson.url).content.decode()

    assert "Hello" in html
    assert "<script>alert(1)" not in html and "javascript:" not in html
    assert "&lt;b&gt;Which?&lt;/b&gt;" in html
    assert "The secret explanation" not in html and "(correct)" not in html


def test_lessons_are_exposed_in_the_wagtail_api_to_their_authors(client, workspace):
    from django.contrib.auth import get_user_model

    feature = ProductFeatureFactory(workspace=workspace, key="invoices")
    lesson = LessonPageFactory(workspace=workspace, features=[feature])
    author = get_user_model().objects.create_user("writer", password="x")
    author.groups.add(workspace.authors_group)
    WorkspaceFactory()  # another workspace's pages must not show up

    assert client.get("/cms/api/v2/pages/").status_code in (401, 403)
    client.force_login(author)
    listing = client.get("/cms/api/v2/pages/?type=cms.LessonPage&fields=summary,features,body")

    assert listing.status_code == 200
    items = listing.json()["items"]
    assert [item["id"] for item in items] == [lesson.pk]
    assert items[0]["features"] == [{"key": "invoices", "name": feature.name}]
    assert items[0]["body"][1]["type"] == "quiz"
