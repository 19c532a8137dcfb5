"""manage.py remap_events --workspace SLUG: re-apply event mappings to stored events."""

from django.core.management.base import BaseCommand, CommandError

from education.events.services import usage_events_remap
from education.workspaces.models import Workspace


class Command(BaseCommand):
    help = "Re-apply a workspace's event mappings to the events it already holds."

    def add_arguments(self, parser):
        parser.add_argument("--workspace", required=True, help="The workspace's slug.")

    def handle(self, *args, **options):
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"No workspace with slug {options['workspace']!r}.")
        changed = usage_events_remap(workspace=workspace)
        self.stdout.write(f"{changed} event(s) remapped in {workspace.slug}.")
