from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate


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
