"""Choosing a customer's learning path.

An authors' path is chosen by its value to the customer: how highly the recommender ranks
the lessons still ahead in it, plus a bonus when its audience matches. Without a path
worth following, an adaptive path orders the customer's top lessons by prerequisites
and level.
"""

from recommender.catalogue import CataloguePath
from recommender.explanations import explain_pick
from recommender.scoring import CustomerContext, Pick
from recommender.types import LearningPath, PathStepView, Reason

ADAPTIVE_PATH_LENGTH = 6
AUDIENCE_FEATURE_BONUS = 0.5
AUDIENCE_PLAN_BONUS = 0.25


def _path_value(context: CustomerContext, path: CataloguePath, rank: dict[int, int]) -> float:
    ahead = [i for i in path.lesson_ids if not context.is_known(i) and i in rank]
    if not ahead:
        return float("-inf")
    value = sum(1.0 / (1 + rank[i]) for i in ahead) / len(ahead)
    if path.audience_feature_key and path.audience_feature_key in context.used_features:
        value += AUDIENCE_FEATURE_BONUS
    if path.audience_plan and path.audience_plan == context.customer.plan:
        value += AUDIENCE_PLAN_BONUS
    return value


def _eligible(context: CustomerContext) -> list[CataloguePath]:
    plan = context.customer.plan
    return [
        path
        for path in context.catalogue.paths
        if (not path.audience_plan or path.audience_plan == plan)
        and context.catalogue.path_page_for(path, context.locale) is not None
    ]


def _enrolled(context: CustomerContext, paths: list[CataloguePath]) -> CataloguePath | None:
    for path in paths:
        if context.enrolled_path_ids & {page.pk for page in path.pages.values()}:
            return path
    return None


def _authored_steps(
    context: CustomerContext, path: CataloguePath, picks: dict[int, Pick]
) -> list[PathStepView]:
    steps, next_found = [], False
    for lesson_id in path.lesson_ids:
        page = context.catalogue.page_for(lesson_id, context.locale)
        if page is None:
            continue
        if lesson_id in context.completed:
            steps.append(PathStepView(page, lesson_id, "completed"))
        elif context.is_known(lesson_id):
            reason = Reason("path", "Skipped: you already use this feature confidently")
            steps.append(PathStepView(page, lesson_id, "completed", [reason]))
        elif not next_found:
            next_found = True
            pick = picks.get(lesson_id)
            if pick is not None:
                explain_pick(context, pick)
            steps.append(PathStepView(page, lesson_id, "next", list(pick.reasons) if pick else []))
        else:
            steps.append(PathStepView(page, lesson_id, "upcoming"))
    return steps


def _adaptive_order(context: CustomerContext, picks: list[Pick]) -> list[Pick]:
    """Top picks, each after its prerequisites among them, easier levels first on ties."""
    chosen = {pick.lesson_id: pick for pick in picks[:ADAPTIVE_PATH_LENGTH]}
    position = {lesson_id: i for i, lesson_id in enumerate(chosen)}
    lessons = context.catalogue.lessons
    ordered, placed = [], set()

    def place(lesson_id: int, visiting: frozenset[int]) -> None:
        if lesson_id in placed:
            return
        for prerequisite_id in lessons[lesson_id].prerequisite_ids:
            if prerequisite_id in chosen and prerequisite_id not in visiting:
                place(prerequisite_id, visiting | {lesson_id})
        placed.add(lesson_id)
        ordered.append(chosen[lesson_id])

    for lesson_id in sorted(chosen, key=lambda i: (lessons[i].level_rank, position[i])):
        place(lesson_id, frozenset())
    return ordered


def choose_learning_path(context: CustomerContext, ranked: list[Pick]) -> LearningPath:
    picks = {pick.lesson_id: pick for pick in ranked}
    rank = {pick.lesson_id: i for i, pick in enumerate(ranked)}
    eligible = _eligible(context)
    model_version = context.loaded.version if context.personalised else None

    if not context.customer.personalisation_consent:
        # The same path for everyone: the first authors' path meant for all plans.
        path = next((p for p in sorted(eligible, key=lambda p: p.id) if not p.audience_plan), None)
    else:
        path = _enrolled(context, eligible)
        if path is None and eligible:
            path = max(eligible, key=lambda p: (_path_value(context, p, rank), -p.id))
            if _path_value(context, path, rank) == float("-inf"):
                path = None
    if path is not None:
        page = context.catalogue.path_page_for(path, context.locale)
        return LearningPath(
            kind="authored",
            title=page.title,
            path=page,
            steps=_authored_steps(context, path, picks),
            model_version=model_version,
        )

    steps = []
    for i, pick in enumerate(_adaptive_order(context, ranked)):
        explain_pick(context, pick)
        page = context.catalogue.page_for(pick.lesson_id, context.locale)
        steps.append(
            # A copy: the same picks may also feed the customer's recommendations.
            PathStepView(page, pick.lesson_id, "next" if i == 0 else "upcoming", list(pick.reasons))
        )
    return LearningPath(
        kind="adaptive",
        title="Your next steps",
        path=None,
        steps=steps,
        model_version=model_version,
    )
