"""Queue failed deliveries again, after a person checked they never arrived."""

from django.core.management.base import BaseCommand

from education.emails.models import EmailDelivery
from education.emails.services import email_delivery_resend


class Command(BaseCommand):
    help = "Queue failed email deliveries again (same Message-ID), by id."

    def add_arguments(self, parser):
        parser.add_argument("delivery_ids", nargs="+", type=int)

    def handle(self, *args, delivery_ids, **options):
        for delivery in EmailDelivery.objects.filter(pk__in=delivery_ids).order_by("pk"):
            if email_delivery_resend(delivery=delivery):
                self.stdout.write(f"{delivery.pk}\tqueued again")
            else:
                self.stdout.write(f"{delivery.pk}\tleft as {delivery.status} (only failed rows)")
        found = set(EmailDelivery.objects.filter(pk__in=delivery_ids).values_list("pk", flat=True))
        for missing in sorted(set(delivery_ids) - found):
            self.stderr.write(f"{missing}\tno such delivery")
