from django.urls import path

from cms.reports import views

app_name = "cms_reports"
urlpatterns = [
    path("lessons/", views.LessonPerformanceView.as_view(), name="lesson_performance"),
    path(
        "lessons/results/",
        views.LessonPerformanceView.as_view(results_only=True),
        name="lesson_performance_results",
    ),
    path(
        "lessons/<int:lesson_id>/",
        views.LessonPerformanceDetailView.as_view(),
        name="lesson_detail",
    ),
    path("paths/", views.PathDropoffView.as_view(), name="path_dropoff"),
    path(
        "paths/results/",
        views.PathDropoffView.as_view(results_only=True),
        name="path_dropoff_results",
    ),
]
