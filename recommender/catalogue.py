"""The deliverable lessons and paths of a workspace, held in memory for serving.

Built from the CMS in a few queries and kept per process; publishing, unpublishing,
moving or deleting any page bumps a version in the shared cache, so every process
rebuilds on its next request and only live pages are ever delivered.
"""

import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.core.cache import cache
from django.db.models import Count

from cms.models import LearningPathPage, LessonPage, LessonPrerequisite, PathStep
from cms.selectors import default_locale_code
from education.local_cache import LocalCache
from education.progress.models import LessonProgress, LessonStatus
from education.workspaces.models import Workspace
from recommender.freshness import served_local

_VERSION_KEY = "recommender:catalogue-version"
# A safety net in case a cache bump is lost (e.g. the cache restarted).
_MAX_AGE_SECONDS = 300
_VERSION_LOCAL_SECONDS = 2
_version_local = LocalCache(seconds=_VERSION_LOCAL_SECONDS, size=1)
LEVEL_RANK = {"beginner": 0, "intermediate": 1, "advanced": 2}


@dataclass
class CatalogueLesson:
    """A lesson across its translations; ``id`` is its page id in the default locale."""

    id: int
    level: str
    duration_minutes: int
    feature_keys: tuple[str, ...]
    prerequisite_ids: tuple[int, ...]
    pages: dict[str, LessonPage] = field(default_factory=dict)  # locale -> live page

    @property
    def level_rank(self) -> int:
        return LEVEL_RANK.get(self.level, 1)

    @cached_property
    def column(self) -> str:
        return f"lesson:{self.id}"


@dataclass
class CataloguePath:
    id: int
    lesson_ids: tuple[int, ...]
    audience_plan: str
    audience_feature_key: str
    pages: dict[str, LearningPathPage] = field(default_factory=dict)


@dataclass
class Catalogue:
    workspace_id: int
    default_locale: str
    lessons: dict[int, CatalogueLesson]
    paths: list[CataloguePath]
    feature_names: dict[str, str]
    completions: dict[int, int]  # lesson id -> customers who completed it
    built_at: float = field(default_factory=time.monotonic)
    version: int = 0
    _deliverable: dict[str, list[int]] = field(default_factory=dict, repr=False)

    @cached_property
    def knowable_by_usage(self) -> frozenset[int]:
        """Beginner lessons on features: the ones a customer can know by using the product."""
        return frozenset(
            lesson_id
            for lesson_id, lesson in self.lessons.items()
            if lesson.level == "beginner" and lesson.feature_keys
        )

    def deliverable_ids(self, locale: str) -> list[int]:
        """Lessons with a live page for a reader of ``locale`` (see ``page_for``)."""
        ids = self._deliverable.get(locale)
        if ids is None:
            ids = [
                lesson_id
                for lesson_id in self.lessons
                if self.page_for(lesson_id, locale) is not None
            ]
            self._deliverable[locale] = ids
        return ids

    def page_for(self, lesson_id: int, locale: str) -> LessonPage | None:
        """The live page in the customer's locale, else in the workspace's default locale.

        A lesson that exists only in some other locale is not delivered.
        """
        lesson = self.lessons.get(lesson_id)
        if lesson is None:
            return None
        return lesson.pages.get(locale) or lesson.pages.get(self.default_locale)

    def path_page_for(self, path: CataloguePath, locale: str) -> LearningPathPage | None:
        return path.pages.get(locale) or path.pages.get(self.default_locale)


def _canonical_ids(pages, default_locale: str) -> dict[int, int]:
    """Page id -> the id of the same page in the default locale (translations share it)."""
    by_key: dict = defaultdict(list)
    for page in pages:
        by_key[page.translation_key].append(page)
    mapping = {}
    for group in by_key.values():
        source = next((p for p in group if p.locale.language_code == default_locale), None)
        canonical = source.pk if source else min(p.pk for p in group)
        for page in group:
            mapping[page.pk] = canonical
    return mapping


def _build(workspace_id: int) -> Catalogue:
    from cms.selectors import features_for_workspace, lessons_live, paths_live

    workspace = Workspace.objects.get(pk=workspace_id)
    default_locale = default_locale_code()
    hub_paths = list(workspace.hubs.values_list("path", flat=True))
    all_lessons = [
        page
        for page in LessonPage.objects.select_related("locale")
        if any(page.path.startswith(hub) for hub in hub_paths)
    ]
    canonical = _canonical_ids(all_lessons, default_locale)
    live = lessons_live(workspace=workspace).select_related("locale").prefetch_related("features")
    live_by_lesson: dict[int, list[LessonPage]] = defaultdict(list)
    for page in live:
        live_by_lesson[canonical[page.pk]].append(page)

    prerequisites: dict[int, list[int]] = defaultdict(list)
    for lesson_id, prerequisite_id in (
        LessonPrerequisite.objects.filter(
            lesson_id__in={page.pk for pages in live_by_lesson.values() for page in pages}
            | set(live_by_lesson)
        )
        .order_by("sort_order")
        .values_list("lesson_id", "prerequisite_id")
    ):
        if prerequisite_id in canonical:
            prerequisites[lesson_id].append(canonical[prerequisite_id])

    lessons: dict[int, CatalogueLesson] = {}
    for lesson_id, pages in live_by_lesson.items():
        # Level, features and prerequisites are the default-locale page's when it is live.
        source = next((page for page in pages if page.pk == lesson_id), pages[0])
        lessons[lesson_id] = CatalogueLesson(
            id=lesson_id,
            level=source.level,
            duration_minutes=source.duration_minutes,
            feature_keys=tuple(feature.key for feature in source.features.all()),
            prerequisite_ids=tuple(
                prerequisites.get(lesson_id) or prerequisites.get(source.pk, ())
            ),
            pages={page.locale.language_code: page for page in pages},
        )

    path_pages = list(paths_live(workspace=workspace).select_related("locale", "audience_feature"))
    path_canonical = _canonical_ids(path_pages, default_locale)
    steps: dict[int, list[int]] = defaultdict(list)
    for path_id, lesson_id in (
        PathStep.objects.filter(path_id__in=path_canonical)
        .order_by("sort_order")
        .values_list("path_id", "lesson_id")
    ):
        if lesson_id in canonical:
            steps[path_id].append(canonical[lesson_id])
    paths: dict[int, CataloguePath] = {}
    for page in path_pages:
        path_id = path_canonical[page.pk]
        path = paths.setdefault(
            path_id,
            CataloguePath(
                id=path_id,
                lesson_ids=(),
                audience_plan="",
                audience_feature_key="",
            ),
        )
        if page.pk == path_id or not path.lesson_ids:
            path.lesson_ids = tuple(i for i in steps.get(page.pk, ()) if i in lessons)
            path.audience_plan = page.audience_plan
            path.audience_feature_key = page.audience_feature.key if page.audience_feature else ""
        path.pages[page.locale.language_code] = page

    completions = dict(
        LessonProgress.objects.filter(lesson_id__in=lessons, status=LessonStatus.COMPLETED)
        .values_list("lesson_id")
        .annotate(count=Count("id"))
        .values_list("lesson_id", "count")
    )
    return Catalogue(
        workspace_id=workspace_id,
        default_locale=default_locale,
        lessons=lessons,
        paths=[path for path in paths.values() if path.lesson_ids],
        feature_names=dict(features_for_workspace(workspace=workspace).values_list("key", "name")),
        completions=completions,
    )


_catalogues: dict[int, Catalogue] = {}
_lock = threading.Lock()


def catalogue_version() -> int:
    """Bumped whenever any page is published, unpublished, moved or deleted (seen by other
    processes within ``_VERSION_LOCAL_SECONDS``, by this one at once)."""
    return _version_local.get(_VERSION_KEY, lambda: cache.get(_VERSION_KEY, 0))


def catalogue_for(workspace_id: int) -> Catalogue:
    """The workspace's catalogue, rebuilt when any page changed since it was built."""
    version = catalogue_version()
    current = _catalogues.get(workspace_id)
    if (
        current is None
        or current.version != version
        or time.monotonic() - current.built_at > _MAX_AGE_SECONDS
    ):
        with _lock:
            current = _build(workspace_id)
            current.version = version
            _catalogues[workspace_id] = current
    return current


def catalogue_invalidate(**_kwargs) -> None:
    """Signal receiver: any page change makes every process rebuild its catalogues."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, None)
    _version_local.forget()
    served_local.forget()
    _catalogues.clear()
