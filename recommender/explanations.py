"""Human labels for why a lesson was recommended."""

from recommender.catalogue import Catalogue
from recommender.core.explain import Contribution, explain_recommendation
from recommender.scoring import CustomerContext, Pick
from recommender.types import Reason

# How many history columns an explanation names.
EXPLANATION_SIZE = 2


def _feature(catalogue: Catalogue, key: str) -> str:
    return catalogue.feature_names.get(key) or key.replace("-", " ").replace("_", " ").title()


def signal_reason(column: str, catalogue: Catalogue, locale: str) -> Reason | None:
    """The reason a history column gives: ``used:invoices`` → "Because you use Invoices"."""
    kind, _, key = column.partition(":")
    if kind == "used":
        return Reason("feature_used", f"Because you use {_feature(catalogue, key)}")
    if kind == "error":
        return Reason("feature_error", f"You hit errors in {_feature(catalogue, key)}")
    if kind == "ticket":
        return Reason("feature_ticket", f"You asked support about {_feature(catalogue, key)}")
    if kind == "lesson" and key.isdigit():
        page = catalogue.page_for(int(key), locale)
        if page is not None:
            return Reason("lesson_completed", f"You completed “{page.title}”")
    if kind == "event":
        return Reason("feature_used", f"Because you use “{key}”")
    return None


def contribution_reasons(
    contributions: list[Contribution], catalogue: Catalogue, locale: str
) -> list[Reason]:
    reasons = []
    for contribution in contributions:
        reason = signal_reason(contribution.column_id, catalogue, locale)
        if reason is not None and reason not in reasons:
            reasons.append(reason)
    return reasons


def similar_customers_reason(feature_keys: tuple[str, ...], used: set[str], catalogue) -> Reason:
    shared = [key for key in feature_keys if key in used]
    if shared:
        return Reason(
            "similar_customers",
            f"Customers who use {_feature(catalogue, shared[0])} found this helpful",
        )
    return Reason("similar_customers", "Customers with similar usage completed this")


def popular_reason(*, is_new_customer: bool) -> Reason:
    if is_new_customer:
        return Reason("popular", "Popular with new accounts")
    return Reason("popular", "Popular with other customers")


def explain_pick(context: CustomerContext, pick: Pick) -> None:
    """Add the model's reasons to a personalised pick (from ALS ``explain()`` shares)."""
    if pick.source != "personalised" or pick.reasons:
        return
    lesson = context.catalogue.lessons[pick.lesson_id]
    contributions = explain_recommendation(
        context.loaded.model, lesson.column, row=context.row, n=EXPLANATION_SIZE
    )
    pick.reasons.extend(contribution_reasons(contributions, context.catalogue, context.locale))
    pick.reasons.append(
        similar_customers_reason(lesson.feature_keys, context.used_features, context.catalogue)
    )
