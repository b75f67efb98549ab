from django.urls import path

from . import views

app_name = "reception"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("open/", views.open_regular, name="open_regular"),
    path("lookup/", views.lookup, name="lookup"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/new/", views.session_new, name="session_new"),
    path("sessions/<int:session_id>/", views.session_detail, name="session"),
    path("sessions/<int:session_id>/visit/", views.visit_new, name="visit_new"),
    path("sessions/<int:session_id>/publish/", views.session_publish, name="session_publish"),
    path("sessions/<int:session_id>/hold/", views.session_hold, name="session_hold"),
    path("sessions/<int:session_id>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<int:session_id>/conclusions/new/", views.conclusion_new, name="conclusion_new"),
    path("directives/<int:directive_id>/done/", views.directive_done, name="directive_done"),
    path("visits/<int:visit_id>/", views.visit_detail, name="visit"),
    path("visits/<int:visit_id>/receipt/", views.receipt, name="receipt"),
    path("visits/<int:visit_id>/answer/", views.visit_answer, name="visit_answer"),
    path("visits/<int:visit_id>/identity/", views.visitor_identity, name="visitor_identity"),
    path("places/", views.place_list, name="places"),
    path("places/new/", views.place_new, name="place_new"),
    path("places/<int:place_id>/", views.place_edit, name="place_edit"),
    path("duties/", views.duty_list, name="duties"),
    path("duties/new/", views.duty_new, name="duty_new"),
    path("duties/<int:duty_id>/", views.duty_edit, name="duty_edit"),
    path("book/", views.book, name="book"),
    path("book/export/", views.book_export, name="book_export"),
    path("compliance/", views.compliance, name="compliance"),
    path("answers-due/", views.answers_due, name="answers_due"),
    # A unit's reception places, hours and the heads' published sessions: for anyone
    path("schedule/<int:unit_id>/", views.public_schedule, name="public_schedule"),
]
