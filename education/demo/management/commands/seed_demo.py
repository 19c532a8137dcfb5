"""manage.py seed_demo: the Ledgerly demo workspace, with lessons and simulated customers."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand

from education.demo.seeding import (
    ADMIN_PASSWORD,
    ADMIN_USERNAME,
    AUTHOR_PASSWORD,
    AUTHOR_USERNAME,
    seed_demo,
)


class Command(BaseCommand):
    help = "Create the Ledgerly demo workspace (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=2400)

    def handle(self, *args, **options):
        result = seed_demo(customers=options["customers"], report=self.stdout.write)
        if result.keys is not None:
            # Local demo convenience: `make run` prints these again on later starts.
            keys_file = settings.DATA_DIR / "demo_keys.json"
            keys_file.parent.mkdir(parents=True, exist_ok=True)
            keys_file.write_text(
                json.dumps(
                    {
                        "workspace": result.workspace.slug,
                        "write_key": result.keys.write_key,
                        "publishable_key": result.keys.publishable_key,
                    }
                )
            )
            keys_file.chmod(0o600)
            self.stdout.write(f"Demo keys written to {keys_file}")
        self.stdout.write(
            f"Admin: {ADMIN_USERNAME} / {ADMIN_PASSWORD}; author of Ledgerly only: "
            f"{AUTHOR_USERNAME} / {AUTHOR_PASSWORD}"
        )
