"""``manage.py evaluate_recommender --interactions FILE.csv [--json]``.

A thin wrapper: the evaluation itself lives in ``recommender.evaluation_cli`` and imports
no Django, so it also runs as ``python -m recommender.evaluation_cli FILE.csv``.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from recommender.evaluation_cli import InteractionsFileError, run_evaluation


class Command(BaseCommand):
    help = (
        "Evaluate the default recommender, each alternative algorithm and the popularity and "
        "random baselines on a user_id,item_id,timestamp,weight CSV (time-based holdout)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interactions", required=True, help="path to the CSV file")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
        try:
            run_evaluation(options["interactions"], as_json=options["json"], stdout=self.stdout)
        except (OSError, InteractionsFileError) as error:
            raise CommandError(str(error)) from error
