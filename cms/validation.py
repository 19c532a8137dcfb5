"""Checks on lessons that span several pages: prerequisites."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cms.models import LessonPage


def hub_workspace_id(page) -> int | None:
    """The workspace of the hub a lesson or path sits in (lessons are children of hubs)."""
    from cms.models import LearningHubPage

    if not page.path or page.depth < 2:
        return None
    parent_path = page.path[: -page.steplen]
    return (
        LearningHubPage.objects.filter(path=parent_path)
        .values_list("workspace_id", flat=True)
        .first()
    )


def prerequisite_errors(lesson: LessonPage) -> dict[str, str]:
    """Errors in a lesson's prerequisites: itself, another workspace's lesson, or a cycle."""
    from cms.models import LessonPrerequisite

    prerequisites = [
        link.prerequisite for link in lesson.prerequisite_links.all() if link.prerequisite_id
    ]
    if not prerequisites:
        return {}
    if lesson.pk and any(p.pk == lesson.pk for p in prerequisites):
        return {"__all__": "A lesson cannot be its own prerequisite."}
    own_workspace = hub_workspace_id(lesson)
    if own_workspace is not None:
        for prerequisite in prerequisites:
            if hub_workspace_id(prerequisite) not in (None, own_workspace):
                return {"__all__": f"“{prerequisite.title}” belongs to another workspace."}
    if lesson.pk is None:
        return {}
    # Walk the stored prerequisite graph from the new prerequisites; reaching this lesson
    # again means the change would close a cycle.
    seen: set[int] = set()
    frontier = [p.pk for p in prerequisites]
    while frontier:
        if lesson.pk in frontier:
            return {"__all__": "These prerequisites would form a cycle."}
        seen.update(frontier)
        frontier = [
            pk
            for pk in LessonPrerequisite.objects.filter(lesson_id__in=frontier).values_list(
                "prerequisite_id", flat=True
            )
            if pk not in seen or pk == lesson.pk
        ]
    return {}
