"""Load the Ledgerly demo workspace: features, mappings, lessons, paths, customers, events.

Idempotent: each part is created only when missing, so running it twice changes nothing.
Simulated product traffic goes through Waypoint's own Segment-compatible endpoint (in
process), so the demo exercises the same ingestion path a real product uses.
"""

import base64
import json
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
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
from education.demo import content
from education.demo.simulation import SimulatedCustomer, simulate_customers
from education.progress.models import (
    LessonFeedback,
    LessonProgress,
    LessonStatus,
    PathEnrolment,
    QuizAttempt,
)
from education.workspaces.models import CredentialKind, Workspace
from education.workspaces.services import (
    IssuedKeys,
    workspace_create,
    workspace_credential_rotate,
)

DEMO_WORKSPACE_SLUG = "ledgerly"
DEMO_CUSTOMER_ID = "ledgerly-u-00002"
ADMIN_USERNAME, ADMIN_PASSWORD = "admin", "waypoint"
AUTHOR_USERNAME, AUTHOR_PASSWORD = "author", "waypoint"
BATCH_SIZE = 100
DEMO_SEED = 7

Report = Callable[[str], None]


@dataclass
class SeedResult:
    workspace: Workspace
    keys: IssuedKeys | None  # only when the workspace was created by this run
    lessons_created: int
    customers_created: int
    events_sent: int


def _users(workspace: Workspace) -> None:
    User = get_user_model()
    if not User.objects.filter(username=ADMIN_USERNAME).exists():
        User.objects.create_superuser(ADMIN_USERNAME, "admin@example.com", ADMIN_PASSWORD)
    author, created = User.objects.get_or_create(
        username=AUTHOR_USERNAME, defaults={"email": "author@example.com"}
    )
    if created:
        author.set_password(AUTHOR_PASSWORD)
        author.save()
    author.groups.add(workspace.authors_group)


def _features_and_mappings(workspace: Workspace) -> dict[str, ProductFeature]:
    features = {}
    for feature in content.FEATURES:
        features[feature["key"]], _ = ProductFeature.objects.get_or_create(
            workspace=workspace,
            key=feature["key"],
            defaults={"name": feature["name"], "description": feature["description"]},
        )
    for mapping in content.EVENT_MAPPINGS:
        if mapping["kind"] == "lesson":
            continue  # lesson signals are keyed by lesson id, not by feature
        EventMapping.objects.get_or_create(
            workspace=workspace,
            event_name=mapping["event_name"],
            property_name=mapping["property_name"],
            property_value=mapping["property_value"],
            defaults={
                "feature": features[mapping["feature"]],
                "kind": mapping["kind"],
                "weight": mapping["weight"],
            },
        )
    return features


def _publish(page) -> None:
    page.save_revision().publish()


def _lessons(workspace: Workspace, features: dict[str, ProductFeature]) -> tuple[dict, int]:
    hub = _hub(workspace)
    existing = {page.slug: page for page in LessonPage.objects.child_of(hub)}
    created = 0
    for spec in content.LESSONS:
        if spec["slug"] in existing:
            continue
        lesson = LessonPage(
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            duration_minutes=spec["duration_minutes"],
            level=spec["level"],
            body=spec["body"],
        )
        for slug in spec["prerequisites"]:
            lesson.prerequisite_links.add(LessonPrerequisite(prerequisite=existing[slug]))
        hub.add_child(instance=lesson)
        lesson.features.set([features[key] for key in spec["features"]])
        _publish(lesson)
        existing[spec["slug"]] = lesson
        created += 1
    return existing, created


def _paths(workspace: Workspace, lessons: dict, features: dict) -> dict:
    hub = _hub(workspace)
    existing = {page.slug: page for page in LearningPathPage.objects.child_of(hub)}
    for spec in content.PATHS:
        if spec["slug"] in existing:
            continue
        path = LearningPathPage(
            title=spec["title"],
            slug=spec["slug"],
            intro=f"<p>{spec['intro']}</p>",
            audience_plan=spec["audience_plan"],
            audience_feature=features.get(spec["audience_feature"]),
        )
        for slug in spec["lessons"]:
            path.steps.add(PathStep(lesson=lessons[slug]))
        hub.add_child(instance=path)
        _publish(path)
        existing[spec["slug"]] = path
    return existing


def _translations(lessons: dict, paths: dict) -> None:
    for language_code, translated in content.TRANSLATIONS.items():
        locale, _ = Locale.objects.get_or_create(language_code=language_code)
        for slug, fields in translated.get("lessons", {}).items():
            source = lessons[slug]
            if source.get_translation_or_none(locale) is not None:
                continue
            page = source.copy_for_translation(locale)
            page.title, page.summary, page.body = fields["title"], fields["summary"], fields["body"]
            _publish(page)
        for slug, fields in translated.get("paths", {}).items():
            source = paths[slug]
            if source.get_translation_or_none(locale) is not None:
                continue
            page = source.copy_for_translation(locale)
            page.title, page.intro = fields["title"], f"<p>{fields['intro']}</p>"
            _publish(page)


def _segment_messages(customer: SimulatedCustomer, lesson_ids: dict[str, int]) -> Iterable[dict]:
    traits = {key: value for key, value in customer.traits.items() if key != "account_id"}
    yield {
        "type": "identify",
        "userId": customer.user_id,
        "traits": traits,
        "messageId": f"identify-{customer.user_id}",
        "timestamp": customer.traits.get("created_at"),
    }
    yield {
        "type": "group",
        "userId": customer.user_id,
        "groupId": customer.traits["account_id"],
        "traits": {"name": customer.traits.get("company", ""), "plan": customer.traits["plan"]},
        "messageId": f"group-{customer.user_id}",
    }
    for event in customer.events:
        properties = dict(event["properties"])
        if "lesson" in properties:
            properties["lesson"] = lesson_ids[properties["lesson"]]
        yield {
            "type": "track",
            "userId": customer.user_id,
            "event": event["event"],
            "properties": properties,
            "messageId": event["messageId"],
            "timestamp": event["timestamp"].isoformat(),
        }


def _send(client: Client, write_key: str, batch: list[dict]) -> None:
    auth = base64.b64encode(f"{write_key}:".encode()).decode()
    response = client.post(
        "/v1/batch",
        data=json.dumps({"batch": batch, "sentAt": datetime.now(UTC).isoformat()}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {auth}",
    )
    if response.status_code != 200:
        raise RuntimeError(
            f"ingestion refused the demo batch: {response.status_code} {response.content[:300]!r}"
        )


# How the simulated learners answered and rated lessons (seeded, so the demo is stable).
QUIZ_PASS_RATE = {"beginner": 0.9, "intermediate": 0.78, "advanced": 0.65}
FEEDBACK_SHARE, HELPFUL_SHARE = 0.55, 0.85
COMMENTS = (
    "Clear and short, thanks.",
    "The steps matched what I saw in the app.",
    "I wish there was a video for this one.",
    "Solved my problem with the bank feed.",
)


def _completions(simulated: SimulatedCustomer) -> dict[str, tuple[datetime, str]]:
    """Lesson slug -> (completed at, channel) for one simulated customer."""
    return {
        event["properties"]["lesson"]: (
            event["timestamp"],
            event["properties"].get("source", "widget"),
        )
        for event in simulated.events
        if event["event"] == "Lesson Completed"
    }


def _quiz_attempts(rng, customer_id: int, lesson: LessonPage, at: datetime) -> list[QuizAttempt]:
    attempts = []
    for block in lesson.body:
        if block.block_type != "quiz":
            continue
        correct = [i for i, choice in enumerate(block.value["choices"]) if choice["correct"]]
        wrong = [i for i, choice in enumerate(block.value["choices"]) if not choice["correct"]]
        passed = rng.random() < QUIZ_PASS_RATE.get(lesson.level, 0.75) or not wrong
        attempts.append(
            QuizAttempt(
                customer_id=customer_id,
                lesson=lesson,
                block_id=block.id,
                answers=correct if passed else [rng.choice(wrong)],
                is_correct=passed,
                score=1.0 if passed else 0.0,
                created_at=at,
            )
        )
    return attempts


def _progress(workspace: Workspace, customers: list[SimulatedCustomer], lessons: dict) -> None:
    """What the widget would have recorded: completions, quiz answers, feedback, paths."""
    rng = random.Random(DEMO_SEED)
    ids = dict(Customer.objects.filter(workspace=workspace).values_list("external_id", "pk"))
    paths = [
        (path, [step.lesson_id for step in path.steps.all()])
        for path in LearningPathPage.objects.child_of(_hub(workspace)).prefetch_related("steps")
    ]
    progress, attempts, feedback, enrolments = [], [], [], []
    for simulated in customers:
        customer_id = ids[simulated.user_id]
        completions = _completions(simulated)
        for slug, (at, channel) in completions.items():
            lesson = lessons[slug]
            progress.append(
                LessonProgress(
                    customer_id=customer_id,
                    lesson=lesson,
                    status=LessonStatus.COMPLETED,
                    started_at=at,
                    completed_at=at,
                    channel=channel,
                )
            )
            attempts += _quiz_attempts(rng, customer_id, lesson, at)
            if rng.random() < FEEDBACK_SHARE:
                feedback.append(
                    LessonFeedback(
                        customer_id=customer_id,
                        lesson=lesson,
                        helpful=rng.random() < HELPFUL_SHARE,
                        effort_score=rng.choice((1, 2, 2, 3, 3, 3, 4, 5)),
                        comment=rng.choice(COMMENTS) if rng.random() < 0.1 else "",
                        created_at=at,
                    )
                )
        done = {lessons[slug].pk: at for slug, (at, _channel) in completions.items()}
        best = max(paths, key=lambda item: sum(i in done for i in item[1]), default=None)
        if best and any(i in done for i in best[1]):
            path, steps = best
            finished = all(i in done for i in steps)
            enrolments.append(
                PathEnrolment(
                    customer_id=customer_id,
                    path=path,
                    started_at=min(done[i] for i in steps if i in done),
                    completed_at=max(done[i] for i in steps) if finished else None,
                )
            )
    LessonProgress.objects.bulk_create(progress, ignore_conflicts=True, batch_size=2000)
    QuizAttempt.objects.bulk_create(attempts, batch_size=2000)
    LessonFeedback.objects.bulk_create(feedback, ignore_conflicts=True, batch_size=2000)
    PathEnrolment.objects.bulk_create(enrolments, ignore_conflicts=True, batch_size=2000)


def _analyze() -> None:
    """Fresh statistics after a bulk load, so PostgreSQL plans the next queries well."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _hub(workspace: Workspace) -> LearningHubPage:
    return LearningHubPage.objects.get(workspace=workspace, locale=Locale.get_default())


def seed_demo(
    *, customers: int = 2400, now: datetime | None = None, report: Report = print
) -> SeedResult:
    """Create (or complete) the Ledgerly demo workspace."""
    now = now or datetime.now(UTC)
    workspace = Workspace.objects.filter(slug=DEMO_WORKSPACE_SLUG).first()
    keys = None
    if workspace is None:
        workspace, keys = workspace_create(
            name="Ledgerly",
            slug=DEMO_WORKSPACE_SLUG,
            brand_name="Ledgerly",
            brand_color="#0f766e",
            support_email="support@ledgerly.example.com",
            allowed_origins=["http://127.0.0.1:8000", "http://localhost:8000"],
        )
        report(f"Created workspace {workspace.slug}")
    with transaction.atomic():
        _users(workspace)
        features = _features_and_mappings(workspace)
        lessons, created = _lessons(workspace, features)
        paths = _paths(workspace, lessons, features)
        _translations(lessons, paths)
    report(f"Lessons: {len(lessons)} ({created} new), paths: {len(paths)}")

    known = set(Customer.objects.filter(workspace=workspace).values_list("external_id", flat=True))
    simulated = [c for c in simulate_customers(customers, now=now) if c.user_id not in known]
    sent = 0
    if simulated:
        # An interrupted earlier run: issue a fresh write key to finish with.
        write_key = (
            keys.write_key
            if keys
            else workspace_credential_rotate(workspace=workspace, kind=CredentialKind.WRITE_KEY)
        )
        client = Client()
        lesson_ids = {slug: page.pk for slug, page in lessons.items()}
        batch: list[dict] = []
        for customer in simulated:
            for message in _segment_messages(customer, lesson_ids):
                batch.append(message)
                if len(batch) == BATCH_SIZE:
                    _send(client, write_key, batch)
                    sent += len(batch)
                    batch = []
        if batch:
            _send(client, write_key, batch)
            sent += len(batch)
        _progress(workspace, simulated, lessons)
        _analyze()
    report(
        f"Customers: {len(known) + len(simulated)} ({len(simulated)} new), messages sent: {sent}"
    )
    return SeedResult(workspace, keys, created, len(simulated), sent)
