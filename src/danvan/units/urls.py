from django.urls import path

from . import views

app_name = "units"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("new/", views.create, name="create"),
    path("<int:unit_id>/", views.detail, name="detail"),
    path("<int:unit_id>/children/", views.children, name="children"),
    path("<int:unit_id>/edit/", views.edit, name="edit"),
    path("<int:unit_id>/successions/new/", views.succession_create, name="succession_create"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<str:day>/remove/", views.calendar_remove, name="calendar_remove"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:user_id>/roles/new/", views.role_assign, name="role_assign"),
    path("roles/<int:assignment_id>/revoke/", views.role_revoke, name="role_revoke"),
]
