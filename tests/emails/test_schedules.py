from django_celery_beat.models import PeriodicTask

from education.emails.services import SCHEDULES, setup_schedules


def test_migrate_installs_the_beat_schedules(db):
    tasks = dict(PeriodicTask.objects.filter(name__in=SCHEDULES).values_list("name", "task"))
    assert tasks == {name: task for name, (task, _minute) in SCHEDULES.items()}
    digests = PeriodicTask.objects.get(task="emails.digests_plan")
    assert (digests.crontab.minute, digests.crontab.hour) == ("0", "*")


def test_setting_up_schedules_again_changes_nothing(db):
    setup_schedules()
    setup_schedules()
    assert PeriodicTask.objects.filter(name__in=SCHEDULES).count() == len(SCHEDULES)


def test_scheduled_task_names_are_registered():
    from education.celery import app

    app.loader.import_default_modules()
    for task, _minute in SCHEDULES.values():
        assert task in app.tasks
