from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("template.xlsx", views.template, name="template"),
    path("export/", views.export, name="export"),
    path("<int:batch_id>/", views.batch_detail, name="batch"),
    path("<int:batch_id>/roll-back/", views.rollback, name="rollback"),
    path("<int:batch_id>/file/", views.batch_file, name="batch_file"),
]
