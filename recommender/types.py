"""What the recommender hands to delivery (API, widget, email): plain dataclasses."""

from dataclasses import dataclass, field
from typing import Literal

from cms.models import LearningPathPage, LessonPage

ReasonKind = Literal[
    "feature_used",  # "Because you use Invoices"
    "feature_error",  # "You hit errors in Exports"
    "feature_ticket",  # "You asked support about Exports"
    "lesson_completed",  # "You completed Setting up SSO"
    "similar_customers",  # "Customers who use Exports found this helpful"
    "popular",  # "Popular with new accounts"
    "pinned",  # "Sent to you because of repeated errors in Exports"
    "path",  # "Next in Getting paid faster"
]
Source = Literal["personalised", "content", "popular", "pinned"]


@dataclass(frozen=True)
class Reason:
    kind: ReasonKind
    label: str


@dataclass(frozen=True)
class Recommendation:
    """One lesson for one customer. ``lesson`` is in the customer's locale when translated;
    ``lesson_id`` is the lesson's id in the workspace's default locale (the stable id)."""

    lesson: LessonPage
    lesson_id: int
    score: float
    source: Source
    reasons: list[Reason] = field(default_factory=list)


@dataclass(frozen=True)
class Recommendations:
    items: list[Recommendation]
    model_version: str | None


StepStatus = Literal["completed", "next", "upcoming"]


@dataclass(frozen=True)
class PathStepView:
    lesson: LessonPage
    lesson_id: int
    status: StepStatus
    reasons: list[Reason] = field(default_factory=list)


@dataclass(frozen=True)
class LearningPath:
    """The path shown to a customer: an author's path chosen for them, or an adaptive one."""

    kind: Literal["authored", "adaptive"]
    title: str
    path: LearningPathPage | None
    steps: list[PathStepView]
    model_version: str | None

    @property
    def completed_count(self) -> int:
        return sum(step.status == "completed" for step in self.steps)
