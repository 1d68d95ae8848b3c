from django.urls import path

from village.messaging import views

app_name = "messaging"

urlpatterns = [
    path("staff/messages/", views.message_list, name="list"),
    path("staff/messages/new/", views.message_compose, name="compose"),
    path("staff/messages/inbox/", views.unmatched_inbox, name="inbox"),
    path("staff/messages/templates/", views.template_list, name="templates"),
    path("staff/messages/lists/", views.list_index, name="lists"),
    path("staff/messages/lists/<int:list_id>/", views.list_detail, name="list_detail"),
    path("staff/messages/guardians/search/", views.guardian_search, name="guardian_search"),
    path("staff/messages/event-audience/", views.event_audience, name="event_audience"),
    path("staff/messages/<int:message_id>/", views.message_detail, name="detail"),
    path("staff/messages/<int:message_id>/progress/", views.message_progress, name="progress"),
    path("staff/messages/<int:message_id>/versions/", views.message_version_add, name="version_add"),
    path("staff/messages/<int:message_id>/send/", views.message_send, name="send"),
    path("staff/messages/<int:message_id>/export.csv", views.message_export, name="export"),
    path("messaging/webhooks/twilio/status/<str:token>/", views.twilio_status, name="twilio_status"),
    path("messaging/webhooks/twilio/inbound/", views.twilio_inbound, name="twilio_inbound"),
    path("m/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
