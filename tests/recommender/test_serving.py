import pytest

from cms.models import LessonPage
from recommender.services import model_train
from recommender.serving import learning_path, recommend_lessons
from tests.factories import CustomerFactory, LessonPageFactory, WorkspaceFactory
from tests.recommender.conftest import add_events, complete

pytestmark = pytest.mark.django_db


def _ids(recommendations):
    return [item.lesson_id for item in recommendations.items]


def test_a_customer_without_events_gets_popular_lessons(ledger):
    customer = CustomerFactory(workspace=ledger.workspace)

    result = recommend_lessons(customer=customer, n=3)

    assert len(result.items) == 3
    assert {item.source for item in result.items} == {"popular"}
    assert result.model_version is None
    assert all(item.reasons and item.reasons[0].kind == "popular" for item in result.items)


def test_cold_start_picks_lessons_on_the_features_a_customer_struggles_with(ledger):
    customer = CustomerFactory(workspace=ledger.workspace)
    add_events(customer, [("error:exports", "error", 2.0)])

    result = recommend_lessons(customer=customer, n=2)

    export_ids = {lesson.pk for lesson in ledger.export_lessons}
    assert set(_ids(result)) <= export_ids
    assert result.items[0].source == "content"
    assert result.items[0].reasons[0].label == "You hit errors in Exports"


def test_a_new_customer_is_personalised_from_a_few_events_without_retraining(ledger):
    model = model_train(workspace=ledger.workspace, created_by="test")
    assert model.status == "active", model.decision
    customer = CustomerFactory(workspace=ledger.workspace)  # created after training
    add_events(
        customer,
        [("used:invoices", "used", 1.0)] * 2
        + [(f"lesson:{ledger.invoice_lessons[0].pk}", "lesson", 3.0)],
    )

    result = recommend_lessons(customer=customer, n=3)

    assert result.model_version == model.version
    assert {item.source for item in result.items} == {"personalised"}
    invoice_ids = {lesson.pk for lesson in ledger.invoice_lessons}
    assert set(_ids(result)) <= invoice_ids
    labels = [reason.label for reason in result.items[0].reasons]
    assert "Because you use Invoices" in labels or any("You completed" in x for x in labels)
    assert any(reason.kind == "similar_customers" for reason in result.items[0].reasons)


def test_recommendations_are_live_lessons_of_the_workspace_never_signals(ledger):
    model_train(workspace=ledger.workspace, created_by="test")
    LessonPageFactory(workspace=WorkspaceFactory(), title="Someone else's lesson")
    draft = LessonPageFactory(workspace=ledger.workspace, live=False, features=[ledger.invoices])
    customer = CustomerFactory(workspace=ledger.workspace)
    add_events(customer, [("used:invoices", "used", 1.0)] * 4)

    result = recommend_lessons(customer=customer, n=20)

    live_ids = set(
        LessonPage.objects.live()
        .filter(pk__in=[x.pk for x in ledger.invoice_lessons + ledger.export_lessons])
        .values_list("pk", flat=True)
    )
    assert set(_ids(result)) == live_ids
    assert draft.pk not in _ids(result)
    assert all(isinstance(item.lesson, LessonPage) for item in result.items)


def test_completed_lessons_are_dropped(ledger):
    customer = CustomerFactory(workspace=ledger.workspace)
    add_events(customer, [("used:invoices", "used", 1.0)])
    complete(customer, ledger.invoice_lessons[0])

    assert ledger.invoice_lessons[0].pk not in _ids(recommend_lessons(customer=customer, n=10))


def test_unpublishing_a_lesson_removes_it_at_once(ledger):
    customer = CustomerFactory(workspace=ledger.workspace)
    add_events(customer, [("used:invoices", "used", 1.0)])
    first = recommend_lessons(customer=customer, n=1).items[0]

    LessonPage.objects.get(pk=first.lesson_id).unpublish()

    assert first.lesson_id not in _ids(recommend_lessons(customer=customer, n=10))


def test_unmet_prerequisites_come_before_the_lesson(ledger):
    basics = LessonPageFactory(workspace=ledger.workspace, title="Basics")
    advanced = LessonPageFactory(
        workspace=ledger.workspace,
        title="Advanced",
        features=[ledger.exports],
        prerequisites=[basics],
    )
    customer = CustomerFactory(workspace=ledger.workspace)
    add_events(customer, [("ticket:exports", "ticket", 3.0)] * 3)
    for lesson in ledger.export_lessons:
        complete(customer, lesson)

    ids = _ids(recommend_lessons(customer=customer, n=3))

    assert ids.index(basics.pk) < ids.index(advanced.pk)
    reasons = recommend_lessons(customer=customer, n=3).items[ids.index(basics.pk)].reasons
    assert reasons[0].label == "Needed before “Advanced”"


def test_opted_out_customers_all_get_the_same_non_personalised_list(ledger):
    model_train(workspace=ledger.workspace, created_by="test")
    invoicer = CustomerFactory(workspace=ledger.workspace, personalisation_consent=False)
    add_events(invoicer, [("used:invoices", "used", 1.0)] * 5)
    exporter = CustomerFactory(workspace=ledger.workspace, personalisation_consent=False)
    add_events(exporter, [("error:exports", "error", 1.0)] * 5)

    first = recommend_lessons(customer=invoicer, n=5)
    second = recommend_lessons(customer=exporter, n=5)

    assert _ids(first) == _ids(second)
    assert {item.source for item in first.items} == {"popular"}
    assert first.model_version is None


def test_lessons_come_in_the_customers_locale_and_other_locales_are_dropped(ledger):
    from wagtail.models import Locale

    french = Locale.objects.get(language_code="fr")
    source = ledger.export_lessons[0]
    translated = source.copy_for_translation(french)
    translated.title = "Exporter vos données"
    translated.save_revision().publish()
    french_only = LessonPageFactory(
        workspace=ledger.workspace,
        locale="fr",
        title="Seulement en français",
        features=[ledger.exports],
    )
    french_customer = CustomerFactory(workspace=ledger.workspace, locale="fr-FR")
    english_customer = CustomerFactory(workspace=ledger.workspace, locale="en")
    for customer in (french_customer, english_customer):
        add_events(customer, [("error:exports", "error", 2.0)])

    french_items = {
        x.lesson_id: x.lesson for x in recommend_lessons(customer=french_customer, n=10).items
    }
    english_ids = _ids(recommend_lessons(customer=english_customer, n=10))

    assert french_items[source.pk].title == "Exporter vos données"
    assert french_only.pk in french_items
    assert french_only.pk not in english_ids


def test_learning_path_picks_the_authors_path_worth_most_and_marks_steps(ledger):
    model_train(workspace=ledger.workspace, created_by="test")
    customer = CustomerFactory(workspace=ledger.workspace)
    add_events(customer, [("used:exports", "used", 1.0)] * 3 + [("error:exports", "error", 2.0)])
    complete(customer, ledger.export_lessons[0])

    path = learning_path(customer=customer)

    assert path.kind == "authored"
    assert path.path.pk == ledger.export_path.pk
    assert [step.status for step in path.steps] == ["completed", "next", "upcoming"]
    assert path.completed_count == 1


def test_adaptive_path_when_every_authors_path_is_done(ledger):
    customer = CustomerFactory(workspace=ledger.workspace)
    add_events(customer, [("used:invoices", "used", 1.0)])
    for lesson in ledger.invoice_lessons[:3] + ledger.export_lessons[:3]:
        complete(customer, lesson)

    path = learning_path(customer=customer)

    assert path.kind == "adaptive"
    assert path.steps[0].status == "next"
    assert {step.lesson_id for step in path.steps} == {
        lesson.pk for lesson in ledger.invoice_lessons[3:] + ledger.export_lessons[3:]
    }


def _mixed_customers(ledger) -> list:
    """One customer of each kind serving tells apart, after the model is trained."""
    from education.customers.models import Customer
    from education.progress.models import PathEnrolment, PinnedLesson

    invoice_events = [("used:invoices", "used", 1.0)] * 2 + [
        (f"lesson:{ledger.invoice_lessons[0].pk}", "lesson", 3.0)
    ]
    personalised = CustomerFactory(workspace=ledger.workspace)
    add_events(personalised, invoice_events)
    content = CustomerFactory(workspace=ledger.workspace)
    add_events(content, [("error:exports", "error", 2.0)])
    without_events = CustomerFactory(workspace=ledger.workspace)
    opted_out = CustomerFactory(workspace=ledger.workspace, personalisation_consent=False)
    add_events(opted_out, invoice_events)
    pinned = CustomerFactory(workspace=ledger.workspace)
    add_events(pinned, invoice_events)
    PinnedLesson.objects.create(
        customer=pinned, lesson=ledger.export_lessons[4], reason="Because of errors in Exports"
    )
    completed = CustomerFactory(workspace=ledger.workspace)
    add_events(completed, [("used:exports", "used", 1.0)] * 3)
    for lesson in ledger.export_lessons[:2]:
        complete(completed, lesson)
    enrolled = CustomerFactory(workspace=ledger.workspace)
    add_events(enrolled, [("used:exports", "used", 1.0)] * 3)
    PathEnrolment.objects.create(customer=enrolled, path=ledger.invoice_path)
    trained = list(Customer.objects.filter(workspace=ledger.workspace).order_by("pk")[:2])
    return [personalised, content, without_events, opted_out, pinned, completed, enrolled] + trained


def test_the_batch_gives_each_customer_what_the_single_calls_give(ledger, monkeypatch):
    from recommender import scoring
    from recommender.serving import recommend_lessons_and_paths_many

    model_train(workspace=ledger.workspace, created_by="test")
    customers = _mixed_customers(ledger)
    # Fold-in decays events by age: one clock for both ways, so scores match to the bit.
    monkeypatch.setattr(scoring, "time", type("Clock", (), {"time": staticmethod(lambda: 2e9)}))

    batch = recommend_lessons_and_paths_many(customers=customers, n=3)

    single = {
        customer.pk: (recommend_lessons(customer=customer, n=3), learning_path(customer=customer))
        for customer in customers
    }
    assert batch == single
    sources = {
        item.source for recommendations, _path in batch.values() for item in recommendations.items
    }
    assert sources == {"personalised", "content", "popular", "pinned"}
    assert batch[customers[6].pk][1].path.pk == ledger.invoice_path.pk  # the enrolled one


def test_the_batch_reads_as_many_queries_for_ten_customers_as_for_three(
    ledger, django_assert_max_num_queries
):
    from education.customers.models import Customer
    from recommender.serving import recommend_lessons_and_paths_many

    model_train(workspace=ledger.workspace, created_by="test")
    customers = list(Customer.objects.filter(workspace=ledger.workspace).order_by("pk")[:10])
    recommend_lessons_and_paths_many(customers=customers[:1])  # catalogue and model loaded

    # Lesson state (completions, pins, enrolments) and recent events: one query each.
    with django_assert_max_num_queries(2):
        three = recommend_lessons_and_paths_many(customers=customers[:3])
    with django_assert_max_num_queries(2):
        ten = recommend_lessons_and_paths_many(customers=customers)

    assert len(three) == 3
    assert len(ten) == 10
