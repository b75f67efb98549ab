from django.urls import path

from . import views

app_name = "practices"
urlpatterns = [
    path("", views.list, name="list"),
]
