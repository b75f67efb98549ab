from importlib import util

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.chooser, name="chooser"),
    path("form/<str:code>/", views.form_page, name="form"),
    path("records/", views.records, name="records"),
    path("compare/", views.compare, name="compare"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("review/", views.review, name="review"),
]

# The downloads (export_start, export_status, export_download) live in their own module.
if util.find_spec("danvan.reports.export_urls") is not None:
    from . import export_urls

    urlpatterns += export_urls.urlpatterns
