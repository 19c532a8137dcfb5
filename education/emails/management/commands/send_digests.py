"""Plan and send digests in the foreground, through the same services as the schedule."""

from django.core.management.base import BaseCommand, CommandError

from education.emails.models import EmailDelivery
from education.emails.services import digests_plan, email_deliveries_send
from education.workspaces.models import Workspace


class Command(BaseCommand):
    help = (
        "Send the digests that are due now and print what was sent and suppressed. "
        "--now ignores the local send hour (never consent, erasure or frequency caps)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workspace", help="Only this workspace (slug).")
        parser.add_argument(
            "--now", action="store_true", help="Send now, whatever the customers' local time."
        )

    def handle(self, *args, workspace=None, now=False, **options):
        workspaces = Workspace.objects.order_by("pk")
        if workspace:
            workspaces = workspaces.filter(slug=workspace)
            if not workspaces.exists():
                raise CommandError(f"No workspace with slug {workspace!r}.")
        totals: dict[str, int] = {}
        for each in workspaces:
            plan = digests_plan(workspace=each, ignore_send_hour=now, enqueue=False)
            email_deliveries_send(delivery_ids=plan.queued_ids)
            rows = (
                EmailDelivery.objects.filter(plan_token__in=plan.plan_tokens)
                .select_related("customer")
                .order_by("pk")
            )
            for row in rows:
                totals[row.status] = totals.get(row.status, 0) + 1
                detail = f" ({row.reason})" if row.reason else ""
                self.stdout.write(
                    f"{each.slug}\t{row.status}\t{row.customer.email or row.customer.external_id}"
                    f"\t{row.period}{detail}"
                )
        summary = ", ".join(f"{count} {status}" for status, count in sorted(totals.items()))
        self.stdout.write(self.style.SUCCESS(summary or "No digest was due."))
