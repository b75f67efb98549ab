from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.LoginView.as_view(), name="login"),
    path("sign-out/", views.LogoutView.as_view(), name="logout"),
    path("sign-in/code/", views.two_factor, name="two_factor"),
    path("language/", views.set_language, name="set_language"),
    path("current-unit/", views.set_current_unit, name="set_current_unit"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/new/", views.token_create, name="token_create"),
    path("profile/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("profile/two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("profile/two-factor/off/", views.two_factor_disable, name="two_factor_disable"),
    path(
        "profile/two-factor/recovery-codes/",
        views.recovery_codes_regenerate,
        name="recovery_codes_regenerate",
    ),
    path("users/two-factor-off/", views.two_factor_reset, name="two_factor_reset"),
    path("audit/", views.audit, name="audit"),
    path("files/<int:file_id>/", views.record_file, name="record_file"),
]
