"""manage.py create_workspace NAME: create a workspace and print its keys once."""

import json

from django.core.management.base import BaseCommand

from education.workspaces.services import workspace_create


class Command(BaseCommand):
    help = "Create a workspace (one product) and print its keys. They are shown only once."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--slug", default="")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, **options):
        workspace, keys = workspace_create(name=options["name"], slug=options["slug"])
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "workspace": workspace.slug,
                        "write_key": keys.write_key,
                        "publishable_key": keys.publishable_key,
                        "signing_secret": keys.signing_secret,
                    }
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(f"Created workspace {workspace.name!r} ({workspace.slug})")
        )
        self.stdout.write("Store these now: they are not shown again.")
        self.stdout.write(f"  write key (server side, secret): {keys.write_key}")
        self.stdout.write(f"  publishable key (browser):       {keys.publishable_key}")
        self.stdout.write(f"  signing secret (customer tokens, webhooks): {keys.signing_secret}")
