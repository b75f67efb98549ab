from django.urls import path

from . import views

app_name = "emulation"
urlpatterns = [
    path("", views.commendations, name="commendations"),
]
