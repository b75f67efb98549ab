from django.urls import path

from . import views

app_name = "petitions"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("new/", views.intake, name="intake"),
    path("new/duplicates/", views.duplicates, name="duplicates"),
    path("track/", views.track, name="track"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("<int:petition_id>/", views.detail, name="detail"),
    path("<int:petition_id>/receipt/", views.receipt, name="receipt"),
    path("<int:petition_id>/identity/", views.identity_view, name="identity"),
    path("<int:petition_id>/identity/grant/", views.identity_grant, name="identity_grant"),
    path("identity-grants/<int:grant_id>/revoke/", views.identity_revoke, name="identity_revoke"),
    # Every lifecycle step (lifecycle.TRANSITIONS): /petitions/12/accept/, /petitions/12/transfer/, ...
    path("<int:petition_id>/<str:action>/", views.action, name="action"),
]
