"""manage.py workspace_origins SLUG [--add O ...] [--remove O ...] [--set O ...]."""

from django.core.management.base import BaseCommand, CommandError

from education.errors import ApplicationError
from education.workspaces.models import Workspace
from education.workspaces.services import workspace_origins_set


class Command(BaseCommand):
    help = (
        "Show or change the origins (scheme://host[:port]) the widget may be embedded on. "
        "Without options, lists them."
    )

    def add_arguments(self, parser):
        parser.add_argument("workspace", help="the workspace's slug")
        parser.add_argument("--add", nargs="+", default=[], metavar="ORIGIN")
        parser.add_argument("--remove", nargs="+", default=[], metavar="ORIGIN")
        parser.add_argument("--set", nargs="*", metavar="ORIGIN", help="replace the whole list")

    def handle(self, *args, **options):
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"No workspace {options['workspace']!r}.")
        origins = list(workspace.allowed_origins or [])
        if options["set"] is not None:
            origins = options["set"]
        origins += options["add"]
        removed = {origin.strip().rstrip("/").lower() for origin in options["remove"]}
        origins = [origin for origin in origins if origin.rstrip("/").lower() not in removed]
        if options["set"] is not None or options["add"] or options["remove"]:
            try:
                origins = workspace_origins_set(workspace=workspace, origins=origins)
            except ApplicationError as error:
                raise CommandError(error.message) from error
        for origin in origins:
            self.stdout.write(origin)
        if not origins:
            self.stdout.write("(no origins: the widget works only on Waypoint's own pages)")
