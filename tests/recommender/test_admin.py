"""The model registry in the Wagtail admin: who sees what, train now, activate."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from recommender.models import RecommenderModel

pytestmark = pytest.mark.django_db

PASSING = {
    "model": {"ndcg": 0.4, "precision": 0.2, "recall": 0.5, "map": 0.3, "coverage": 0.9},
    "popularity": {"ndcg": 0.2, "precision": 0.1, "recall": 0.3, "map": 0.1, "coverage": 0.5},
    "random": {"ndcg": 0.05, "precision": 0.01, "recall": 0.1, "map": 0.02, "coverage": 1.0},
}
FAILING = {**PASSING, "model": {**PASSING["model"], "ndcg": 0.15}}


def registry_model(workspace, version: str, *, status: str, metrics: dict, decision: str = ""):
    return RecommenderModel.objects.create(
        workspace=workspace,
        version=version,
        algorithm="als",
        hyperparameters={"algorithm": "als", "params": {"factors": 8}},
        status=status,
        data_until=timezone.now(),
        n_customers=60,
        n_columns=20,
        n_lessons=12,
        n_interactions=400,
        metrics=metrics,
        decision=decision,
        artifact_path="/nonexistent.npz",
        created_by="test",
    )


@pytest.fixture
def models_a(workspace):
    return {
        "active": registry_model(
            workspace,
            "a-active",
            status="active",
            metrics=PASSING,
            decision="NDCG@10 0.4000 beats popularity (0.2000)",
        ),
        "failed": registry_model(
            workspace,
            "a-failed",
            status="candidate",
            metrics=FAILING,
            decision="NDCG@10 0.1500 does not beat popularity (0.2000)",
        ),
        "retired": registry_model(
            workspace,
            "a-retired",
            status="retired",
            metrics=PASSING,
            decision="NDCG@10 0.4000 beats popularity (0.2000)",
        ),
    }


@pytest.fixture
def model_b(other_workspace):
    return registry_model(other_workspace, "b-secret", status="candidate", metrics=PASSING)


def author_of(workspace, name: str):
    user = get_user_model().objects.create_user(name, password="secret")
    user.groups.add(workspace.authors_group)
    return user


@pytest.fixture
def author_a(workspace):
    return author_of(workspace, "author-a")


@pytest.fixture
def author_b(other_workspace):
    return author_of(other_workspace, "author-b")


def statuses(*models):
    return [RecommenderModel.objects.get(pk=model.pk).status for model in models]


# --- Seeing ------------------------------------------------------------------------------


def test_authors_list_their_workspaces_models_with_metrics(client, author_a, models_a, model_b):
    client.force_login(author_a)

    html = client.get("/admin/recommender/models/").content.decode()

    assert "a-active" in html and "a-failed" in html and "a-retired" in html
    assert "b-secret" not in html
    assert "0.400" in html and "pop 0.200" in html and "rnd 0.050" in html
    assert "Did not pass" in html and "Passed" in html


def test_superusers_list_every_workspaces_models(client, models_a, model_b):
    client.force_login(get_user_model().objects.create_superuser("root", password="secret"))

    html = client.get("/admin/recommender/models/").content.decode()

    assert "a-active" in html and "b-secret" in html


def test_the_detail_page_has_every_metric_and_hyperparameter(client, author_a, models_a):
    client.force_login(author_a)

    html = client.get(f"/admin/recommender/models/{models_a['failed'].pk}/").content.decode()

    for figure in ("0.150", "0.200", "0.500", "0.300", "0.900", "0.050"):
        assert figure in html
    assert "params.factors" in html and "does not beat popularity" in html
    assert 'class="waypoint-chart"' in html
    assert "Activate" in html


def test_another_workspaces_model_is_not_found(client, author_b, models_a):
    client.force_login(author_b)
    model = models_a["failed"]

    assert client.get(f"/admin/recommender/models/{model.pk}/").status_code == 404
    assert client.get(f"/admin/recommender/models/{model.pk}/activate/").status_code == 404
    assert client.post(f"/admin/recommender/models/{model.pk}/activate/").status_code == 404
    assert statuses(models_a["active"], model) == ["active", "candidate"]


def test_users_who_author_nothing_see_no_registry(client, models_a):
    user = get_user_model().objects.create_user("nobody", password="secret")
    client.force_login(user)

    response = client.get("/admin/recommender/models/")

    assert response.status_code == 302 and "a-active" not in response.content.decode()


# --- Activating --------------------------------------------------------------------------


def test_activating_a_model_that_failed_the_gate_asks_first_and_records_force(
    client, author_a, models_a
):
    client.force_login(author_a)
    failed, active = models_a["failed"], models_a["active"]

    confirm = client.get(f"/admin/recommender/models/{failed.pk}/activate/").content.decode()
    response = client.post(f"/admin/recommender/models/{failed.pk}/activate/")

    assert "did not pass the gate" in confirm and "Activate anyway" in confirm
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == "active" and failed.forced
    assert failed.decision.startswith("activated by force")
    assert statuses(active) == ["retired"]


def test_activating_a_model_that_passed_is_not_forced(client, author_a, models_a):
    client.force_login(author_a)
    retired = models_a["retired"]

    client.post(f"/admin/recommender/models/{retired.pk}/activate/")

    retired.refresh_from_db()
    assert retired.status == "active" and not retired.forced
    assert statuses(models_a["active"]) == ["retired"]


def test_activation_needs_a_post_with_a_csrf_token(author_a, models_a):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(author_a)
    failed = models_a["failed"]

    response = client.post(f"/admin/recommender/models/{failed.pk}/activate/")

    assert response.status_code == 403
    assert statuses(failed) == ["candidate"]


# --- Training ----------------------------------------------------------------------------


class FakeTask:
    """Stands in for the Celery task: records what would have been enqueued."""

    def __init__(self, calls: list):
        self.calls = calls

    def delay(self, *args, **kwargs):
        self.calls.append((args, kwargs))


def test_train_now_enqueues_after_commit(
    client, author_a, workspace, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr("recommender.tasks.train_recommender_task", FakeTask(calls))
    client.force_login(author_a)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post("/admin/recommender/train/", {"workspace": workspace.pk})
    assert calls == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()

    assert response.status_code == 302
    assert calls == [((workspace.pk,), {"created_by": "author-a"})]


def test_train_now_for_another_workspace_is_not_found(
    client, author_b, workspace, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr("recommender.tasks.train_recommender_task", FakeTask(calls))
    client.force_login(author_b)

    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            client.post("/admin/recommender/train/", {"workspace": workspace.pk}),
            client.post("/admin/recommender/train/", {"workspace": "not-a-number"}),
            client.post("/admin/recommender/train/", {}),
        ]

    assert [response.status_code for response in responses] == [404, 404, 404]
    assert calls == []


def test_train_now_trains_a_model_with_eager_celery(
    client, ledger, author_a, django_capture_on_commit_callbacks
):
    client.force_login(author_a)

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/recommender/train/", {"workspace": ledger.workspace.pk})

    model = RecommenderModel.objects.get(workspace=ledger.workspace)
    assert model.created_by == "author-a" and model.status == "active"
    html = client.get("/admin/recommender/models/").content.decode()
    assert model.version in html


@pytest.mark.django_db(transaction=True)
def test_train_now_without_data_says_why_instead_of_failing(client, workspace):
    # transaction=True: on_commit runs at once, as in a local run with eager Celery.
    client.force_login(author_of(workspace, "author-a"))

    response = client.post("/admin/recommender/train/", {"workspace": workspace.pk}, follow=True)

    assert response.status_code == 200
    assert "Training could not start" in response.content.decode()
    assert not RecommenderModel.objects.exists()
