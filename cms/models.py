"""Lessons, learning paths and the product vocabulary authors tag them with."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from rest_framework import serializers
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.blocks import RICH_TEXT_FEATURES, LessonStreamBlock
from cms.validation import prerequisite_errors
from education.workspaces.models import Workspace


class SignalKind(models.TextChoices):
    USED = "used", "Feature used"
    ERROR = "error", "Error seen"
    TICKET = "ticket", "Support ticket"
    LESSON = "lesson", "Lesson activity"


class ProductFeature(models.Model):
    """A feature of the product that events, lessons and paths refer to."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="features")
    key = models.SlugField(max_length=80, help_text="Stable id used in events, e.g. 'invoices'.")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)

    panels = [
        FieldPanel("workspace"),
        FieldPanel("key"),
        FieldPanel("name"),
        FieldPanel("description"),
    ]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="feature_unique_key")
        ]

    def __str__(self) -> str:
        return self.name


class EventMapping(models.Model):
    """Maps a product event (optionally with one property value) to a usage signal."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="event_mappings"
    )
    event_name = models.CharField(max_length=200)
    property_name = models.CharField(max_length=100, blank=True)
    property_value = models.CharField(max_length=200, blank=True)
    feature = models.ForeignKey(ProductFeature, on_delete=models.CASCADE, related_name="mappings")
    kind = models.CharField(max_length=10, choices=SignalKind.choices, default=SignalKind.USED)
    weight = models.FloatField(
        default=1.0, validators=[MinValueValidator(0.0), MaxValueValidator(100.0)]
    )

    panels = [
        FieldPanel("workspace"),
        FieldPanel("event_name"),
        MultiFieldPanel(
            [FieldPanel("property_name"), FieldPanel("property_value")],
            heading="Only when a property has this value (optional)",
        ),
        FieldPanel("feature"),
        FieldPanel("kind"),
        FieldPanel("weight"),
    ]

    class Meta:
        ordering = ["event_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "event_name", "property_name", "property_value"],
                name="event_mapping_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_name} → {self.kind}:{self.feature.key}"

    def clean(self) -> None:
        if self.feature_id and self.workspace_id and self.feature.workspace_id != self.workspace_id:
            raise ValidationError({"feature": "Choose a feature of the same workspace."})


class LearningHubPage(Page):
    """The root of one workspace's lessons and paths (one per workspace and locale)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.PROTECT, related_name="hubs")
    intro = RichTextField(features=RICH_TEXT_FEATURES, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.LessonPage", "cms.LearningPathPage"]

    class Meta:
        verbose_name = "learning hub"


class WorkspaceScopedPageForm(WagtailAdminPageForm):
    """Offers only the product features of the workspace the page is created in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        page = self.instance if self.instance.pk else kwargs.get("parent_page")
        hub = page and LearningHubPage.objects.ancestor_of(page, inclusive=True).first()
        for field_name in ("features", "audience_feature"):
            if hub and field_name in self.fields:
                self.fields[field_name].queryset = ProductFeature.objects.filter(
                    workspace_id=hub.workspace_id
                )


class FeatureSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductFeature
        fields = ["key", "name"]


class LessonLevel(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


class LessonPage(Page):
    """A micro-lesson: a few minutes of instruction with a quiz and a link into the product."""

    summary = models.TextField(max_length=400)
    duration_minutes = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    level = models.CharField(
        max_length=20, choices=LessonLevel.choices, default=LessonLevel.BEGINNER
    )
    features = ParentalManyToManyField(ProductFeature, blank=True, related_name="lessons")
    body = StreamField(LessonStreamBlock())

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("duration_minutes"), FieldPanel("level"), FieldPanel("features")],
            heading="Audience",
        ),
        InlinePanel("prerequisite_links", label="Prerequisites"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("level"),
        index.RelatedFields("features", [index.SearchField("name")]),
    ]
    api_fields = [
        APIField("summary"),
        APIField("duration_minutes"),
        APIField("level"),
        APIField("features", serializer=FeatureSerializer(many=True)),
        APIField("prerequisite_ids"),
        APIField("body"),
    ]
    base_form_class = WorkspaceScopedPageForm
    parent_page_types = ["cms.LearningHubPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "lesson"

    @property
    def prerequisite_ids(self) -> list[int]:
        return [link.prerequisite_id for link in self.prerequisite_links.all()]

    def clean(self) -> None:
        super().clean()
        errors = prerequisite_errors(self)
        if errors:
            raise ValidationError(errors)


class LessonPrerequisite(Orderable):
    """A lesson that should be done before another."""

    lesson = ParentalKey(LessonPage, on_delete=models.CASCADE, related_name="prerequisite_links")
    prerequisite = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("prerequisite", page_type="cms.LessonPage")]


class LearningPathPage(Page):
    """An ordered list of lessons towards one goal, optionally for an audience."""

    intro = RichTextField(features=RICH_TEXT_FEATURES, blank=True)
    audience_plan = models.CharField(
        max_length=60, blank=True, help_text="Only for customers on this plan (empty: everyone)."
    )
    audience_feature = models.ForeignKey(
        ProductFeature,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Best for customers who use this feature.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("audience_plan"), FieldPanel("audience_feature")], "Audience"),
        InlinePanel("steps", label="Lessons", min_num=1),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [
        APIField("intro"),
        APIField("audience_plan"),
        APIField("lesson_ids"),
    ]
    base_form_class = WorkspaceScopedPageForm
    parent_page_types = ["cms.LearningHubPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "learning path"

    @property
    def lesson_ids(self) -> list[int]:
        return [step.lesson_id for step in self.steps.all()]


class PathStep(Orderable):
    path = ParentalKey(LearningPathPage, on_delete=models.CASCADE, related_name="steps")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("lesson", page_type="cms.LessonPage")]
