"""factory_boy factories shared by the whole suite.

Workspaces are made through ``workspace_create`` (the production service), so every test
workspace has its keys, authors group and learning hubs; the plain-text keys are kept on
the instance as ``issued_keys`` for tests that authenticate.
"""

import datetime as dt

import factory
from django.utils import timezone
from wagtail.models import Locale

from cms.models import (
    EventMapping,
    LearningHubPage,
    LearningPathPage,
    LessonPage,
    LessonPrerequisite,
    PathStep,
    ProductFeature,
)
from education.customers.models import Customer
from education.events.models import UsageEvent
from education.workspaces.models import Workspace
from education.workspaces.services import workspace_create


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace

    name = factory.Sequence(lambda n: f"Product {n}")

    @classmethod
    def _create(cls, model_class, *args, name: str, **kwargs):
        workspace, keys = workspace_create(name=name, **kwargs)
        workspace.issued_keys = keys
        return workspace


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    workspace = factory.SubFactory(WorkspaceFactory)
    external_id = factory.Sequence(lambda n: f"user-{n}")
    email = factory.LazyAttribute(lambda o: f"{o.external_id}@example.com")
    name = factory.Faker("name")
    locale = "en"
    timezone = "Europe/Paris"
    email_consent = True


class ProductFeatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductFeature

    workspace = factory.SubFactory(WorkspaceFactory)
    key = factory.Sequence(lambda n: f"feature-{n}")
    name = factory.LazyAttribute(lambda o: o.key.replace("-", " ").title())


class EventMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventMapping

    workspace = factory.SubFactory(WorkspaceFactory)
    event_name = factory.Sequence(lambda n: f"Thing {n} Done")
    feature = factory.SubFactory(
        ProductFeatureFactory, workspace=factory.SelfAttribute("..workspace")
    )
    kind = "used"
    weight = 1.0


def hub_for(workspace: Workspace, locale: str = "") -> LearningHubPage:
    language = locale or Locale.get_default().language_code
    return LearningHubPage.objects.get(workspace=workspace, locale__language_code=language)


def _quiz_block() -> tuple[str, dict]:
    return (
        "quiz",
        {
            "question": "Which answer is right?",
            "choices": [
                {"text": "This one", "correct": True},
                {"text": "That one", "correct": False},
            ],
            "explanation": "Because this one is.",
        },
    )


class LessonPageFactory(factory.Factory):
    """Creates a live lesson under the workspace's hub (use ``live=False`` for a draft)."""

    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Lesson {n}")
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    summary = "A short lesson."
    duration_minutes = 3
    level = "beginner"
    body = factory.LazyFunction(lambda: [("paragraph", "<p>Learn this.</p>"), _quiz_block()])

    @classmethod
    def _create(
        cls,
        model_class,
        *args,
        workspace=None,
        features=(),
        prerequisites=(),
        live=True,
        locale="",
        **kwargs,
    ):
        workspace = workspace or WorkspaceFactory()
        lesson = model_class(**kwargs)
        for prerequisite in prerequisites:
            lesson.prerequisite_links.add(LessonPrerequisite(prerequisite=prerequisite))
        hub_for(workspace, locale).add_child(instance=lesson)
        if features:
            lesson.features.set(features)
        revision = lesson.save_revision()
        if live:
            revision.publish()
        else:
            lesson.live = False
            lesson.save(update_fields=["live"])
        return lesson


class LearningPathPageFactory(factory.Factory):
    class Meta:
        model = LearningPathPage

    title = factory.Sequence(lambda n: f"Path {n}")
    slug = factory.Sequence(lambda n: f"path-{n}")

    @classmethod
    def _create(cls, model_class, *args, workspace=None, lessons=(), locale="", **kwargs):
        workspace = workspace or WorkspaceFactory()
        path = model_class(**kwargs)
        for lesson in lessons:
            path.steps.add(PathStep(lesson=lesson))
        hub_for(workspace, locale).add_child(instance=path)
        path.save_revision().publish()
        return path


class UsageEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UsageEvent

    customer = factory.SubFactory(CustomerFactory)
    workspace = factory.SelfAttribute("customer.workspace")
    message_id = factory.Sequence(lambda n: f"msg-{n}")
    name = "Invoice Sent"
    feature_key = "invoices"
    kind = "used"
    signal = factory.LazyAttribute(lambda o: f"{o.kind}:{o.feature_key}")
    weight = 1.0
    timestamp = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
