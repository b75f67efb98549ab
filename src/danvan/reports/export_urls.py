"""Addresses of report exports. Included by the reports pages' urls under the namespace "reports"."""

from django.urls import path

from . import export_views

urlpatterns = [
    path("exports/", export_views.export_start, name="export_start"),
    path("exports/<str:job_id>/", export_views.export_status, name="export_status"),
    path("exports/<str:job_id>/download", export_views.export_download, name="export_download"),
]
