"""The nightly retraining schedule, kept in django-celery-beat's tables."""

from django.conf import settings


def schedule_retraining(**_kwargs) -> None:
    """Create or update the beat entry (runs after every migrate; idempotent)."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour=str(settings.RECOMMENDER_RETRAIN_HOUR_UTC),
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="UTC",
    )
    PeriodicTask.objects.update_or_create(
        name="Retrain recommender models",
        defaults={"task": "recommender.retrain_all", "crontab": crontab, "interval": None},
    )
