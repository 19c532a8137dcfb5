import numpy as np
import pytest
from django.core.management import call_command

from recommender.core.artifacts import load_model
from recommender.governance import gate
from recommender.models import RecommenderModel
from recommender.services import model_activate, model_forget_customer, model_train
from recommender.serving import recommend_lessons
from tests.factories import CustomerFactory
from tests.recommender.conftest import add_events

pytestmark = pytest.mark.django_db


def test_training_records_version_parameters_sizes_and_metrics(ledger):
    model = model_train(workspace=ledger.workspace, created_by="test")

    assert model.algorithm.startswith("als")
    assert model.hyperparameters["algorithm"] == "als"
    assert model.n_customers == 60 and model.n_lessons == 12
    for name in ("model", "popularity", "random"):
        assert {"precision", "recall", "ndcg", "map", "coverage"} <= set(model.metrics[name])
    assert model.metrics["model"]["ndcg"] > model.metrics["popularity"]["ndcg"]
    assert model.status == "active" and not model.forced


@pytest.mark.parametrize(
    ("metrics", "passes"),
    [
        ({"model": {"ndcg": 0.3}, "popularity": {"ndcg": 0.2}}, True),
        ({"model": {"ndcg": 0.2}, "popularity": {"ndcg": 0.2}}, False),
        ({"model": {"ndcg": 0.3}, "popularity": {"ndcg": 0.1}, "active": {"ndcg": 0.4}}, False),
        ({"model": {"ndcg": 0.4}, "popularity": {"ndcg": 0.1}, "active": {"ndcg": 0.4}}, True),
        ({}, False),
    ],
)
def test_the_gate_needs_popularity_beaten_and_the_active_model_matched(metrics, passes):
    assert gate(metrics)[0] is passes


def test_a_model_that_cannot_be_shown_better_stays_a_candidate_unless_forced(
    workspace, settings, tmp_path
):
    settings.MODEL_DIR = tmp_path
    from tests.factories import LessonPageFactory

    lesson = LessonPageFactory(workspace=workspace)
    for _ in range(5):  # too little history for a holdout: nothing proves the model
        add_events(CustomerFactory(workspace=workspace), [(f"lesson:{lesson.pk}", "lesson", 1.0)])

    candidate = model_train(workspace=workspace, created_by="test")
    forced = model_train(workspace=workspace, created_by="test", force=True)

    candidate.refresh_from_db()
    assert candidate.status == "candidate"
    assert forced.status == "active" and forced.forced
    assert forced.decision.startswith("activated by force")


def test_activation_retires_the_previous_model_and_serving_reloads_without_restart(
    ledger, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = model_train(workspace=ledger.workspace, created_by="test")
    customer = CustomerFactory(workspace=ledger.workspace)
    lesson = f"lesson:{ledger.invoice_lessons[0].pk}"
    add_events(customer, [("used:invoices", "used", 1.0), (lesson, "lesson", 3.0)])
    assert recommend_lessons(customer=customer).model_version == first.version

    with django_capture_on_commit_callbacks(execute=True):
        second = model_train(
            workspace=ledger.workspace, created_by="test", algorithm="item_knn_cosine"
        )
        model_activate(model=second)

    first.refresh_from_db()
    assert first.status == "retired"
    assert RecommenderModel.objects.filter(status="active").count() == 1
    assert recommend_lessons(customer=customer).model_version == second.version


def test_erasure_removes_the_customers_factors_from_the_stored_models(ledger):
    model = model_train(workspace=ledger.workspace, created_by="test")
    customer = ledger.workspace.customers.get(external_id="g0-1")
    key = str(customer.pk)
    assert key in load_model(model.artifact_path).customer_ids

    assert model_forget_customer(customer=customer) == 1

    reloaded = load_model(model.artifact_path)
    assert key not in reloaded.customer_ids
    assert reloaded.user_factors.shape[0] == reloaded.customer_ids.shape[0] == 59
    assert not np.isin(key, reloaded.customer_ids).any()
    model.refresh_from_db()
    assert model.artifact_revision == 1


def test_the_train_command_reports_each_workspace(ledger, capsys):
    call_command("train_recommender", "--workspace", ledger.workspace.slug)

    assert "status=active" in capsys.readouterr().out
