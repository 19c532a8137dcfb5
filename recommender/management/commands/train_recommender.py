"""manage.py train_recommender [--workspace SLUG] [--force] [--algorithm NAME]"""

from django.core.management.base import BaseCommand, CommandError

from education.errors import ApplicationError
from education.workspaces.models import Workspace
from recommender.services import model_train


class Command(BaseCommand):
    help = "Train, evaluate and (if it passes the gate) activate a model per workspace."

    def add_arguments(self, parser):
        parser.add_argument("--workspace", help="Workspace slug (default: all).")
        parser.add_argument("--force", action="store_true", help="Activate even if worse.")
        parser.add_argument(
            "--algorithm",
            choices=["auto", "als", "als_bm25", "bpr", "item_knn_cosine", "item_knn_bm25"],
            help="Default: the RECOMMENDER_ALGORITHM setting.",
        )

    def handle(self, *args, **options):
        workspaces = Workspace.objects.all()
        if options["workspace"]:
            workspaces = workspaces.filter(slug=options["workspace"])
            if not workspaces.exists():
                raise CommandError(f"No workspace {options['workspace']!r}.")
        for workspace in workspaces:
            try:
                record = model_train(
                    workspace=workspace,
                    force=options["force"],
                    created_by="command",
                    algorithm=options["algorithm"],
                )
            except ApplicationError as error:
                self.stdout.write(f"{workspace.slug}: skipped: {error.message}")
                continue
            metrics = record.metrics.get("model", {})
            self.stdout.write(
                f"{workspace.slug}: {record.version} {record.algorithm} status={record.status} "
                f"ndcg@10={metrics.get('ndcg', float('nan')):.4f} "
                f"({record.n_customers} customers x {record.n_columns} columns, "
                f"{record.train_seconds:.1f}s): {record.decision}"
            )
