from django.urls import path

from . import export_urls, views

app_name = "reports"
urlpatterns = [
    path("", views.chooser, name="chooser"),
    path("form/<str:code>/", views.form_page, name="form"),
    path("records/", views.records, name="records"),
    path("compare/", views.compare, name="compare"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("review/", views.review, name="review"),
    path("totals/", views.totals, name="totals"),
    path("totals/<int:pk>/keep/", views.total_keep, name="total_keep"),
    path("totals/<int:pk>/withdraw/", views.total_withdraw, name="total_withdraw"),
    path("totals/<int:pk>/records/", views.total_records, name="total_records"),
]

# The downloads: export_start, export_status, export_download
urlpatterns += export_urls.urlpatterns
