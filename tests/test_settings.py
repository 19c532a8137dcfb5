"""Settings come only from the environment, with embedded defaults."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 20 + "production-secret-key-with-enough-entropy-0123456789",
    "ALLOWED_HOSTS": "waypoint.example.com",
    "DATABASE_URL": "postgres://waypoint:pw@db.example.com:5432/waypoint",
    "REDIS_URL": "redis://cache.example.com:6379/0",
    "CELERY_BROKER_URL": "redis://cache.example.com:6379/1",
    "EMAIL_URL": "smtp+tls://user:pw@smtp.example.com:587",
    "FIELD_ENCRYPTION_KEYS": "a-production-encryption-key",
}
_PRINT = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "db = s.DATABASES['default']; "
    "print(json.dumps({'db': db['ENGINE'], 'host': db['HOST'], "
    "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'broker': s.CELERY_BROKER_URL, "
    "'cache': s.CACHES['default']['BACKEND'], 'email': s.EMAIL_BACKEND, "
    "'email_host': s.EMAIL_HOST, 'debug': s.DEBUG}))"
)


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    # Only what any process needs: the test run's own settings (CI's database, browser
    # tests' async flag...) must not leak into the process under test.
    kept = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV", "PYTHONPATH"}
    clean = {k: v for k, v in os.environ.items() if k in kept}
    clean.update(env, DJANGO_SETTINGS_MODULE="education.settings")
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def _settings(env: dict[str, str]) -> dict:
    result = _run(["-c", _PRINT], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_embedded_defaults_need_nothing_installed(tmp_path):
    values = _settings({"DATA_DIR": str(tmp_path)})

    assert values["db"] == "django.db.backends.sqlite3"
    assert values["eager"] is True and values["broker"] == "memory://"
    assert values["cache"].endswith("LocMemCache")
    assert values["email"].endswith("filebased.EmailBackend")


def test_production_parts_are_switched_on_by_the_environment():
    values = _settings(PRODUCTION_ENV)

    assert values["db"] == "django.db.backends.postgresql" and values["host"] == "db.example.com"
    assert values["eager"] is False and values["broker"] == "redis://cache.example.com:6379/1"
    assert values["cache"].endswith("RedisCache")
    assert (
        values["email"].endswith("smtp.EmailBackend") and values["email_host"] == "smtp.example.com"
    )
    assert values["debug"] is False


def test_the_deployment_check_passes_with_production_values():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
