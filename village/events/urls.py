from django.urls import path

from village.events import views

app_name = "events"

urlpatterns = [
    # Short links in text messages, where every character counts.
    path("r/<str:short>", views.manage_short, name="manage_short"),
    path("events/", views.calendar, name="calendar"),
    path("my-links/", views.links_request, name="links_request"),
    path("events/calendar.ics", views.calendar_feed, name="calendar_feed"),
    path("events/my/<str:token>/calendar.ics", views.person_feed, name="person_feed"),
    path("events/registration/<str:token>/", views.manage, name="manage"),
    path("events/<slug:slug>/", views.detail, name="detail"),
    path("events/<slug:slug>/team/", views.team, name="team"),
    path("events/<slug:slug>/event.ics", views.event_ics, name="event_ics"),
    path("staff/events/", views.staff_events, name="staff_events"),
    path("staff/events/new/", views.staff_event_new, name="staff_event_new"),
    path("staff/events/<int:event_id>/", views.staff_event, name="staff_event"),
    path("staff/events/<int:event_id>/edit/", views.staff_event_edit, name="staff_event_edit"),
    path(
        "staff/events/<int:event_id>/translations/",
        views.staff_event_translations,
        name="staff_event_translations",
    ),
    path(
        "staff/events/<int:event_id>/sessions/new/",
        views.staff_session_new,
        name="staff_session_new",
    ),
    path(
        "staff/events/<int:event_id>/registrations/<int:registration_id>/",
        views.staff_registration,
        name="staff_registration",
    ),
    path(
        "staff/events/<int:event_id>/registrations/<int:registration_id>/certificate.pdf",
        views.certificate,
        name="certificate",
    ),
    path("staff/events/<int:event_id>/check-in/", views.check_in, name="check_in"),
    path("staff/events/<int:event_id>/registrations.csv", views.export, name="export"),
]
