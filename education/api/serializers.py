"""Shapes of the API's bodies: input validation and the documented output.

Views build plain dicts through ``education.api.content`` (cheap on the hot widget
routes); these serializers validate input and describe every response in the schema.
"""

from rest_framework import serializers

from education.webhooks.models import WebhookEvent

BLOCK_TYPES = ["paragraph", "callout", "steps", "code", "video", "image", "quiz", "try_it"]


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable machine-readable error code.")
    message = serializers.CharField()
    details = serializers.DictField(required=False)


class FeatureSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class ReasonSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()


class LessonSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(
        help_text="Stable id: the lesson's page id in the default locale."
    )
    title = serializers.CharField()
    summary = serializers.CharField()
    duration_minutes = serializers.IntegerField()
    level = serializers.ChoiceField(choices=["beginner", "intermediate", "advanced"])
    locale = serializers.CharField()
    features = FeatureSerializer(many=True)
    url = serializers.URLField(help_text="The lesson's hosted page.")


class BlockSerializer(serializers.Serializer):
    id = serializers.CharField()
    type = serializers.ChoiceField(choices=BLOCK_TYPES)
    value = serializers.JSONField(
        help_text="Sanitised HTML for paragraph; an object for the other types."
    )


class LessonDetailSerializer(LessonSummarySerializer):
    prerequisites = serializers.ListField(child=serializers.IntegerField())
    blocks = BlockSerializer(many=True)
    html = serializers.CharField(help_text="The whole body as sanitised HTML (no quiz answers).")


class RecommendationSerializer(serializers.Serializer):
    lesson = LessonSummarySerializer()
    score = serializers.FloatField()
    source = serializers.ChoiceField(choices=["personalised", "content", "popular", "pinned"])
    reasons = ReasonSerializer(many=True)


class RecommendationsSerializer(serializers.Serializer):
    model_version = serializers.CharField(allow_null=True)
    results = RecommendationSerializer(many=True)


class PathStepSerializer(serializers.Serializer):
    lesson = LessonSummarySerializer()
    status = serializers.ChoiceField(choices=["completed", "next", "upcoming"])
    reasons = ReasonSerializer(many=True)


class LearningPathSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["authored", "adaptive"])
    title = serializers.CharField()
    path_id = serializers.IntegerField(allow_null=True)
    model_version = serializers.CharField(allow_null=True)
    completed = serializers.IntegerField()
    total = serializers.IntegerField()
    steps = PathStepSerializer(many=True)


class ProgressSerializer(serializers.Serializer):
    lesson_id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["started", "completed"])
    started_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)


class QuizAnswerInputSerializer(serializers.Serializer):
    answers = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=100), min_length=1, max_length=8
    )


class QuizResultSerializer(serializers.Serializer):
    correct = serializers.BooleanField()
    score = serializers.FloatField(min_value=0.0, max_value=1.0)
    correct_answers = serializers.ListField(child=serializers.IntegerField())
    explanation = serializers.CharField(allow_blank=True)


class FeedbackInputSerializer(serializers.Serializer):
    helpful = serializers.BooleanField(required=False, allow_null=True)
    effort_score = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=7
    )
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, trim_whitespace=True
    )


class FeedbackSerializer(serializers.Serializer):
    lesson_id = serializers.IntegerField()
    helpful = serializers.BooleanField(allow_null=True)
    effort_score = serializers.IntegerField(allow_null=True)
    comment = serializers.CharField(allow_blank=True)
    updated_at = serializers.DateTimeField()


class HelpInputSerializer(serializers.Serializer):
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    path_id = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**62
    )


class HelpResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["sent"])
    context = serializers.DictField(
        help_text="customer, message, lesson, path, recent_lessons, recent_errors, requested_at"
    )


class PreferencesSerializer(serializers.Serializer):
    personalisation_consent = serializers.BooleanField(required=False)
    email_consent = serializers.BooleanField(required=False)


class AccountSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    plan = serializers.CharField(allow_blank=True)


class CustomerSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The product's own user id.")
    email = serializers.CharField(allow_blank=True)
    name = serializers.CharField(allow_blank=True)
    locale = serializers.CharField(allow_blank=True)
    timezone = serializers.CharField(allow_blank=True)
    plan = serializers.CharField(allow_blank=True)
    account = AccountSerializer(allow_null=True)
    traits = serializers.DictField()
    personalisation_consent = serializers.BooleanField()
    email_consent = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    last_seen_at = serializers.DateTimeField(allow_null=True)


class ExportSerializer(serializers.Serializer):
    exported_at = serializers.DateTimeField()
    customer = serializers.DictField()
    account = serializers.DictField(allow_null=True)
    related = serializers.DictField(
        child=serializers.ListField(child=serializers.DictField()),
        help_text="Every row that references the customer, by table.",
    )


class PathSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    intro = serializers.CharField(allow_blank=True)
    audience_plan = serializers.CharField(allow_blank=True)
    locale = serializers.CharField()
    lesson_ids = serializers.ListField(child=serializers.IntegerField())
    url = serializers.URLField()


class PathDetailSerializer(PathSerializer):
    lessons = LessonSummarySerializer(many=True)


class ModelSerializer(serializers.Serializer):
    version = serializers.CharField()
    algorithm = serializers.CharField()
    hyperparameters = serializers.DictField()
    metrics = serializers.DictField()
    status = serializers.ChoiceField(choices=["candidate", "active", "retired"])
    decision = serializers.CharField(allow_blank=True)
    forced = serializers.BooleanField()
    sizes = serializers.DictField(child=serializers.IntegerField())
    data_from = serializers.DateTimeField(allow_null=True)
    data_until = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    created_by = serializers.CharField()
    activated_at = serializers.DateTimeField(allow_null=True)


class TrainInputSerializer(serializers.Serializer):
    force = serializers.BooleanField(required=False, default=False)


class TrainQueuedSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["queued"])


class WebhookEndpointInputSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.values), min_length=1, max_length=3
    )
    active = serializers.BooleanField(required=False, default=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=200)


class WebhookEndpointSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    events = serializers.ListField(child=serializers.ChoiceField(choices=WebhookEvent.values))
    active = serializers.BooleanField()
    description = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class RejectedEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    message_id = serializers.CharField(allow_blank=True)
    reason = serializers.CharField()
    payload = serializers.JSONField(allow_null=True)
    raw = serializers.CharField(allow_blank=True)
    received_at = serializers.DateTimeField()
