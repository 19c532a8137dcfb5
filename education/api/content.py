"""Lessons and paths as the API shows them: summaries, blocks and sanitised HTML.

Everything a customer reads goes through ``cms.html.sanitise_html``, whatever the CMS already
filtered, and quiz answers are left out unless the caller is the product's backend.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import prefetch_related_objects
from wagtail.models import Page

from cms.blocks import video_embed_url
from cms.html import sanitise_html
from cms.models import LearningPathPage, LessonPage
from education.progress.selectors import locale_code


def absolute_url(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.WAYPOINT_BASE_URL + ("" if url.startswith("/") else "/") + url


class UrlCache:
    """Holds Wagtail's site root paths for the pages of one response (one cache lookup)."""


def page_url(page: Page, cache: UrlCache | None = None) -> str:
    """The hosted page's absolute URL."""
    parts = page.get_url_parts(cache)
    return absolute_url(parts[2]) if parts and parts[2] else ""


def features_prefetch(pages: Iterable[LessonPage]) -> None:
    pages = [
        page for page in pages if "features" not in getattr(page, "_prefetched_objects_cache", {})
    ]
    if pages:
        prefetch_related_objects(pages, "features")


def lesson_summary(
    page: LessonPage, lesson_id: int, urls: UrlCache | None = None
) -> dict[str, Any]:
    """``page`` in the language shown; ``lesson_id`` the stable (default-locale) id."""
    return {
        "id": lesson_id,
        "title": page.title,
        "summary": page.summary,
        "duration_minutes": page.duration_minutes,
        "level": page.level,
        "locale": locale_code(page.locale_id),
        "features": [{"key": feature.key, "name": feature.name} for feature in page.features.all()],
        "url": page_url(page, urls),
    }


def path_summary(page: LearningPathPage, path_id: int, lesson_ids: list[int]) -> dict[str, Any]:
    return {
        "id": path_id,
        "title": page.title,
        "intro": sanitise_html(str(page.intro)),
        "audience_plan": page.audience_plan,
        "locale": locale_code(page.locale_id),
        "lesson_ids": lesson_ids,
        "url": page_url(page),
    }


def _richtext(value) -> str:
    return sanitise_html(str(value.__html__() if hasattr(value, "__html__") else value or ""))


def _image_value(value) -> dict[str, Any]:
    image = value.get("image")
    url = ""
    if image is not None:
        url = absolute_url(image.get_rendition("max-800x600").url)
    return {"url": url, "alt": value.get("alt_text", ""), "caption": value.get("caption", "")}


def block_value(block, *, reveal_answers: bool) -> dict[str, Any] | str:
    kind, value = block.block_type, block.value
    if kind == "paragraph":
        return _richtext(value)
    if kind == "callout":
        return {"style": value["style"], "text": _richtext(value["text"])}
    if kind == "steps":
        return {
            "title": value["title"],
            "steps": [
                {"title": step["title"], "text": _richtext(step["text"])} for step in value["steps"]
            ],
        }
    if kind == "code":
        return {"language": value["language"], "code": value["code"]}
    if kind == "video":
        return {
            "url": value["url"],
            "embed_url": video_embed_url(value["url"]),
            "caption": value["caption"],
            "transcript": value["transcript"],
        }
    if kind == "image":
        return _image_value(value)
    if kind == "quiz":
        choices = list(value["choices"])
        quiz: dict[str, Any] = {
            "question": value["question"],
            "choices": [{"index": i, "text": choice["text"]} for i, choice in enumerate(choices)],
            "multiple": sum(bool(choice["correct"]) for choice in choices) > 1,
        }
        if reveal_answers:
            quiz["correct_answers"] = [i for i, choice in enumerate(choices) if choice["correct"]]
            quiz["explanation"] = value["explanation"]
        return quiz
    if kind == "try_it":
        return {
            "label": value["label"],
            "path": value["path"],
            "description": value["description"],
        }
    return {}


def lesson_blocks(page: LessonPage, *, reveal_answers: bool) -> list[dict[str, Any]]:
    return [
        {
            "id": block.id,
            "type": block.block_type,
            "value": block_value(block, reveal_answers=reveal_answers),
        }
        for block in page.body
    ]


def lesson_html(page: LessonPage) -> str:
    """The whole body as the hosted page shows it (without answers), sanitised."""
    return sanitise_html("".join(str(block.render(context={"page": page})) for block in page.body))


def lesson_detail(
    page: LessonPage, lesson_id: int, prerequisite_ids: list[int], *, reveal_answers: bool
) -> dict[str, Any]:
    return {
        **lesson_summary(page, lesson_id),
        "prerequisites": prerequisite_ids,
        "blocks": lesson_blocks(page, reveal_answers=reveal_answers),
        "html": lesson_html(page),
    }
