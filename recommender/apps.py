from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class RecommenderConfig(AppConfig):
    name = "recommender"
    label = "recommender"
    verbose_name = "Recommender"

    def ready(self) -> None:
        from wagtail.models import Page
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from recommender.catalogue import catalogue_invalidate
        from recommender.schedules import schedule_retraining

        # Only live pages are delivered: any change to the tree refreshes the catalogue.
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(catalogue_invalidate, dispatch_uid=f"catalogue-{id(signal)}")
        post_delete.connect(catalogue_invalidate, sender=Page, dispatch_uid="catalogue-delete")
        post_migrate.connect(schedule_retraining, sender=self)
        self._watch_customer_state()

    @staticmethod
    def _watch_customer_state() -> None:
        """Rows a customer's lessons depend on: saving or deleting one refreshes their token.

        Bulk inserts send no signals; ingestion refreshes its batch's customers itself.
        """
        from education.customers.models import Customer
        from education.events.models import UsageEvent
        from education.progress.models import LessonProgress, PathEnrolment, PinnedLesson
        from recommender.freshness import customer_changed_receiver

        for model in (Customer, UsageEvent, LessonProgress, PathEnrolment, PinnedLesson):
            for signal in (post_save, post_delete):
                signal.connect(
                    customer_changed_receiver,
                    sender=model,
                    dispatch_uid=f"customer-state-{model.__name__}-{id(signal)}",
                )
