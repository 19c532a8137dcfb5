from django.urls import include, path

from education.emails import views

app_name = "emails"

urlpatterns = [
    path("l/<str:token>/", views.lesson_link, name="lesson-link"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    # Bounce and complaint webhooks of django-anymail providers, e.g. /e/provider/postmark/tracking/
    path("provider/", include("anymail.urls")),
]
