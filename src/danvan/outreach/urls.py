from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("", views.activities, name="activities"),
    path("activities/new/", views.activity_new, name="activity_new"),
    path("activities/<int:activity_id>/", views.activity_detail, name="activity"),
    path("activities/<int:activity_id>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:activity_id>/attendance/", views.attendance_page, name="attendance"),
    path("activities/<int:activity_id>/files/", views.activity_file, name="activity_file"),
    path("attendance/template.xlsx", views.attendance_template, name="attendance_template"),
    path("documents/", views.documents, name="documents"),
    path("documents/new/", views.document_new, name="document_new"),
    path("documents/<int:document_id>/", views.document_detail, name="document"),
    path("documents/<int:document_id>/edit/", views.document_edit, name="document_edit"),
    path("documents/<int:document_id>/files/", views.document_file, name="document_file"),
    path("dialogue-missing/", views.dialogue_missing, name="dialogue_missing"),
]
