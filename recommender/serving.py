"""The recommender's facade for delivery: the next lessons and the path of one customer.

Serving only reads: the CMS catalogue, the customer's progress and newest events, and the
active model artifact. Nothing here trains or builds matrices.
"""

from collections.abc import Sequence

from education.customers.models import Customer
from recommender.explanations import explain_pick, popular_reason, signal_reason
from recommender.paths import choose_learning_path
from recommender.scoring import (
    POPULARITY_BLEND,
    CustomerContext,
    Pick,
    content_scores,
    customer_context,
    customer_contexts,
    model_scores,
    popularity_scores,
    strongest_signal,
)
from recommender.types import LearningPath, Reason, Recommendation, Recommendations


def _ranked(picks: list[Pick]) -> list[Pick]:
    return sorted(picks, key=lambda pick: (-pick.score, pick.lesson_id))


def _popular_picks(context: CustomerContext, lesson_ids: list[int]) -> list[Pick]:
    reason = popular_reason(is_new_customer=context.is_new)
    return [
        Pick(lesson_id, score, "popular", [reason])
        for lesson_id, score in popularity_scores(context, lesson_ids).items()
    ]


def _content_picks(context: CustomerContext, lesson_ids: list[int]) -> list[Pick]:
    popularity = popularity_scores(context, lesson_ids)
    picks = []
    for lesson_id, interest in content_scores(context, lesson_ids).items():
        if interest <= 0:
            continue
        lesson = context.catalogue.lessons[lesson_id]
        column = strongest_signal(context, lesson.feature_keys)
        reason = column and signal_reason(column, context.catalogue, context.locale)
        picks.append(
            Pick(
                lesson_id,
                interest + POPULARITY_BLEND * popularity[lesson_id],
                "content",
                [reason] if reason else [],
            )
        )
    return picks


def _personalised_picks(context: CustomerContext, lesson_ids: list[int]) -> list[Pick]:
    return [
        Pick(lesson_id, score, "personalised")
        for lesson_id, score in model_scores(context, lesson_ids).items()
    ]


def ranked_picks(context: CustomerContext) -> list[Pick]:
    """Every deliverable lesson for the customer, best first, without explanations yet."""
    lesson_ids = context.deliverable()
    if not context.customer.personalisation_consent:
        return _ranked(_popular_picks(context, lesson_ids))
    picks: list[Pick] = []
    if context.personalised:
        picks = _ranked(_personalised_picks(context, lesson_ids))
    else:
        picks = _ranked(_content_picks(context, lesson_ids))
    # Lessons the first source cannot rank (new lessons, untouched features) come after.
    chosen = {pick.lesson_id for pick in picks}
    rest = [lesson_id for lesson_id in lesson_ids if lesson_id not in chosen]
    return picks + _ranked(_popular_picks(context, rest))


def _with_prerequisites(context: CustomerContext, picks: list[Pick], n: int) -> list[Pick]:
    """Put each pick's unmet prerequisites before it, so a path never skips a step."""
    catalogue, result, placed = context.catalogue, [], set()

    def place(pick: Pick, visiting: frozenset[int]) -> None:
        if pick.lesson_id in placed or len(result) >= n:
            return
        lesson = catalogue.lessons[pick.lesson_id]
        title = catalogue.page_for(pick.lesson_id, context.locale).title
        for prerequisite_id in lesson.prerequisite_ids:
            deliverable = catalogue.page_for(prerequisite_id, context.locale) is not None
            if (
                deliverable
                and not context.is_known(prerequisite_id)
                and prerequisite_id not in visiting
            ):
                reason = Reason("path", f"Needed before “{title}”")
                place(
                    Pick(prerequisite_id, pick.score, pick.source, [reason]),
                    visiting | {pick.lesson_id},
                )
        if len(result) < n and pick.lesson_id not in placed:
            placed.add(pick.lesson_id)
            result.append(pick)

    for pick in picks:
        if len(result) >= n:
            break
        place(pick, frozenset())
    return result


def _pinned_picks(context: CustomerContext) -> list[Pick]:
    return [
        Pick(lesson_id, float("inf"), "pinned", [Reason("pinned", reason)])
        for lesson_id, reason in context.pins
        if not context.is_known(lesson_id)
        and context.catalogue.page_for(lesson_id, context.locale) is not None
    ]


def _recommendation(context: CustomerContext, pick: Pick) -> Recommendation:
    explain_pick(context, pick)
    return Recommendation(
        lesson=context.catalogue.page_for(pick.lesson_id, context.locale),
        lesson_id=pick.lesson_id,
        score=pick.score if pick.score != float("inf") else 1.0,
        source=pick.source,
        # A copy: the same picks may also feed the customer's learning path.
        reasons=list(pick.reasons),
    )


def recommend_lessons(*, customer: Customer, n: int = 5) -> Recommendations:
    """The ``n`` lessons the customer should take next, each with its reasons.

    Lessons only (never signal columns); live, of the customer's workspace and in a
    locale they read; completed ones dropped; unmet prerequisites come first; lessons
    pinned by a trigger lead. Opted-out customers get the popular list everyone gets.
    """
    context = customer_context(customer)
    return _recommendations(context, ranked_picks(context), n)


def _recommendations(context: CustomerContext, ranked: list[Pick], n: int) -> Recommendations:
    pinned = _pinned_picks(context) if context.customer.personalisation_consent else []
    pinned_ids = {pick.lesson_id for pick in pinned}
    leading = pinned + [pick for pick in ranked if pick.lesson_id not in pinned_ids]
    picks = _with_prerequisites(context, leading, n)
    return Recommendations(
        items=[_recommendation(context, pick) for pick in picks],
        model_version=context.loaded.version if context.personalised else None,
    )


def learning_path(*, customer: Customer) -> LearningPath:
    """The customer's path: the authors' path worth most to them, or an adaptive one."""
    context = customer_context(customer)
    return choose_learning_path(context, ranked_picks(context))


def recommend_lessons_and_paths_many(
    *, customers: Sequence[Customer], n: int = 5
) -> dict[int, tuple[Recommendations, LearningPath]]:
    """``recommend_lessons`` and ``learning_path`` of many customers (keyed by pk), the
    same results as one call each, reading the customers' rows in a constant number of
    queries (for email digests, a chunk of recipients at a time)."""
    results = {}
    for customer_id, context in customer_contexts(customers).items():
        # One ranking for both: explaining a pick is deterministic and done at most once,
        # so a pick shared by the lessons and the path carries the same reasons in each.
        ranked = ranked_picks(context)
        results[customer_id] = (
            _recommendations(context, ranked, n),
            choose_learning_path(context, ranked),
        )
    return results
