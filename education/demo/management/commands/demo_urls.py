"""Print where the local demo lives (used by `make run`)."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand

from education.demo.seeding import ADMIN_PASSWORD, ADMIN_USERNAME


class Command(BaseCommand):
    help = "Print the URLs of the admin, the API docs and the widget demo."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, **options):
        base = f"http://{options['host']}:{options['port']}"
        lines = [
            "",
            "Waypoint is starting:",
            f"  Admin (Wagtail):   {base}/admin/   ({ADMIN_USERNAME} / {ADMIN_PASSWORD})",
            f"  API docs:          {base}/api/docs/",
            f"  Widget demo:       {base}/demo/",
            f"  Segment endpoint:  {base}/v1/batch",
        ]
        keys_file = settings.DATA_DIR / "demo_keys.json"
        if keys_file.exists():
            keys = json.loads(keys_file.read_text())
            lines.append(f"  Demo write key:    {keys['write_key']}")
            lines.append(f"  Publishable key:   {keys['publishable_key']}")
        self.stdout.write("\n".join(lines) + "\n")
