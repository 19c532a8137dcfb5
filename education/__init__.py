"""Waypoint: the Django project and the core customer-education domain."""

from education.celery import app as celery_app

__all__ = ["celery_app"]
