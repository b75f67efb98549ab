from django.urls import path

from . import views

app_name = "practices"
urlpatterns = [
    # The app's first page: the main navigation links it.
    path("", views.practice_list, name="list"),
    path("new/", views.practice_new, name="new"),
    path("criteria/", views.criteria_sets, name="criteria"),
    path("<int:practice_id>/", views.detail, name="detail"),
    path("<int:practice_id>/edit/", views.edit, name="edit"),
    path("<int:practice_id>/evaluate/", views.evaluate, name="evaluate"),
    path("<int:practice_id>/evidence/", views.evidence, name="file"),
    path("<int:practice_id>/replicate/", views.replicate, name="replicate"),
    # One lifecycle step: report, submit, recognise, not_recognise, withdraw
    path("<int:practice_id>/<str:action>/", views.action, name="action"),
]
