from django.urls import path

from . import views

app_name = "emulation"
urlpatterns = [
    # The app's first page: the commendations (the navigation links here).
    path("", views.commendations, name="commendations"),
    path("new/", views.commendation_new, name="commendation_new"),
    path("<int:commendation_id>/", views.commendation_detail, name="commendation"),
    path("<int:commendation_id>/action/", views.commendation_action, name="commendation_action"),
    path("<int:commendation_id>/file/", views.commendation_file, name="commendation_file"),
    path("<int:commendation_id>/certificate/", views.certificate, name="certificate"),
    path("ceremony/", views.ceremony, name="ceremony"),
    path("movements/", views.movements, name="movements"),
    path("movements/new/", views.movement_new, name="movement_new"),
    path("movements/<int:movement_id>/", views.movement_detail, name="movement"),
    path("movements/<int:movement_id>/edit/", views.movement_edit, name="movement_edit"),
]
