"""The governance gate: when a newly trained model may replace the one that serves."""

from recommender.models import RecommenderModel


def gate(metrics: dict) -> tuple[bool, str]:
    """(passes, why): it must beat popularity and match or beat the active model's NDCG@10."""
    model = metrics.get("model", {}).get("ndcg")
    popularity = metrics.get("popularity", {}).get("ndcg")
    active = metrics.get("active", {}).get("ndcg")
    if model is None or popularity is None:
        return False, "not enough data for a holdout evaluation"
    if model <= popularity:
        return False, f"NDCG@10 {model:.4f} does not beat popularity ({popularity:.4f})"
    if active is not None and model < active:
        return False, f"NDCG@10 {model:.4f} is below the active model's ({active:.4f})"
    return True, f"NDCG@10 {model:.4f} beats popularity ({popularity:.4f})" + (
        f" and matches or beats the active model ({active:.4f})" if active is not None else ""
    )


def model_passed_gate(model: RecommenderModel) -> bool:
    return gate(model.metrics)[0]
