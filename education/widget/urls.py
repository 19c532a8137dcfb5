from django.urls import path

from education.widget.views import demo_page

app_name = "widget"

urlpatterns = [
    path("demo/", demo_page, name="demo"),
]
