"""Reads about lessons as delivered to customers, and about their progress.

Lessons are identified by their page id in the default locale (the stable id); a
customer reads the translation in their language when one is live.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db.models import QuerySet
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

from cms.models import LearningPathPage, LessonPage
from cms.selectors import lessons_live, paths_live
from education.customers.models import Customer
from education.events.models import SignalKind, UsageEvent
from education.progress.models import LessonProgress, LessonStatus
from education.workspaces.models import Workspace

_LANGUAGE_CODES = {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}


def completed_lesson_ids(*, customer: Customer) -> set[int]:
    return set(
        LessonProgress.objects.filter(customer=customer, status=LessonStatus.COMPLETED).values_list(
            "lesson_id", flat=True
        )
    )


def started_lesson_ids(*, customer: Customer) -> set[int]:
    return set(LessonProgress.objects.filter(customer=customer).values_list("lesson_id", flat=True))


def default_language() -> str:
    """The default content language (Wagtail's default locale), without a query."""
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def customer_language(customer: Customer | None) -> str:
    """The content language a customer reads ("fr-CA" → "fr"), else the default."""
    language = ((customer and customer.locale) or "").replace("_", "-").split("-")[0].lower()
    return language if language in _LANGUAGE_CODES else default_language()


def lessons_deliverable(*, workspace: Workspace) -> QuerySet[LessonPage]:
    """Live lessons of the workspace in the default locale: the ones with a stable id."""
    return lessons_live(workspace=workspace, locale=default_language())


def paths_deliverable(*, workspace: Workspace) -> QuerySet[LearningPathPage]:
    return paths_live(workspace=workspace, locale=default_language())


def lesson_deliverable_get(*, workspace: Workspace, lesson_id: int) -> LessonPage | None:
    return lessons_deliverable(workspace=workspace).filter(pk=lesson_id).first()


def path_deliverable_get(*, workspace: Workspace, path_id: int) -> LearningPathPage | None:
    return paths_deliverable(workspace=workspace).filter(pk=path_id).first()


def page_translation(page: Page, language: str) -> Page:
    """The live translation of ``page`` in ``language``, else ``page`` itself."""
    if page.locale_id and locale_code(page.locale_id) == language:
        return page
    translated = (
        type(page)
        .objects.live()
        .filter(translation_key=page.translation_key, locale__language_code=language)
        .first()
    )
    return translated or page


def stable_page_ids(pages: Iterable[Page]) -> dict[int, int]:
    """Page id → the id of the same page in the default locale (itself when none)."""
    pages = list(pages)
    default_code = default_language()
    foreign = [page for page in pages if locale_code(page.locale_id) != default_code]
    mapping = {page.pk: page.pk for page in pages}
    if foreign:
        sources = dict(
            Page.objects.filter(
                translation_key__in={page.translation_key for page in foreign},
                locale__language_code=default_code,
            ).values_list("translation_key", "pk")
        )
        for page in foreign:
            mapping[page.pk] = sources.get(page.translation_key, page.pk)
    return mapping


# Locales are a handful of rows; their codes are kept per process (reloaded when an
# unknown one shows up).
_LOCALE_CODES: dict[int, str] = {}


def locale_code(locale_id: int) -> str:
    code = _LOCALE_CODES.get(locale_id)
    if code is None:
        _LOCALE_CODES.clear()
        _LOCALE_CODES.update(Locale.objects.values_list("pk", "language_code"))
        code = _LOCALE_CODES.get(locale_id, "")
    return code


def paths_lesson_ids(*, paths: Iterable[LearningPathPage]) -> dict[int, list[int]]:
    """For each path, the stable ids of its live lessons in order (two queries in all)."""
    from cms.models import PathStep

    steps = list(
        PathStep.objects.filter(path__in=list(paths))
        .select_related("lesson")
        .only(
            "path_id", "sort_order", "lesson__live", "lesson__locale_id", "lesson__translation_key"
        )
        .order_by("path_id", "sort_order", "pk")
    )
    mapping = stable_page_ids(step.lesson for step in steps)
    result: dict[int, list[int]] = {path.pk: [] for path in paths}
    for step in steps:
        if step.lesson.live:
            result[step.path_id].append(mapping[step.lesson_id])
    return result


def path_lesson_ids(*, path: LearningPathPage) -> list[int]:
    """The stable ids of the live lessons of a path, in order."""
    return paths_lesson_ids(paths=[path])[path.pk]


def progress_for(*, customer: Customer) -> QuerySet[LessonProgress]:
    return LessonProgress.objects.filter(customer=customer).order_by("-started_at", "-id")


def recent_progress(*, customer: Customer, limit: int = 5) -> list[LessonProgress]:
    return list(progress_for(customer=customer).select_related("lesson")[:limit])


def recent_struggles(*, customer: Customer, limit: int = 10) -> list[UsageEvent]:
    """The customer's newest errors and support tickets (context for a help request)."""
    return list(
        UsageEvent.objects.filter(
            customer=customer, kind__in=[SignalKind.ERROR, SignalKind.TICKET]
        ).order_by("-timestamp", "-id")[:limit]
    )
