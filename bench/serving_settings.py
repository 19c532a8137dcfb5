"""Settings for bench/serving.py's gunicorn: the product's settings, plus a baseline URL.

Only the benchmark loads this module (``DJANGO_SETTINGS_MODULE=bench.serving_settings``);
the product's own URLs never carry the baseline endpoint.
"""

from education.settings import *  # noqa: F403

ROOT_URLCONF = "bench.serving_urls"
