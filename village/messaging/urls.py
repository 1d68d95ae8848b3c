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
    path("staff/messages/templates/<int:template_id>/", views.template_edit, name="template"),
    path(
        "staff/messages/templates/<int:template_id>/remove/",
        views.template_version_remove,
        name="template_version_remove",
    ),
    path("staff/messages/quiet-hours/", views.quiet_hours_list, name="quiet_hours"),
    path(
        "staff/messages/quiet-hours/<int:organisation_id>/",
        views.quiet_hours_edit,
        name="quiet_hours_edit",
    ),
    path("staff/messages/conversations/", views.conversation_list, name="conversations"),
    path(
        "staff/messages/conversations/<int:conversation_id>/",
        views.conversation_detail,
        name="conversation",
    ),
    path("staff/messages/<int:message_id>/", views.message_detail, name="detail"),
    path("staff/messages/<int:message_id>/progress/", views.message_progress, name="progress"),
    path(
        "staff/messages/<int:message_id>/versions/", views.message_version_add, name="version_add"
    ),
    path("staff/messages/<int:message_id>/send/", views.message_send, name="send"),
    path("staff/messages/<int:message_id>/export.csv", views.message_export, name="export"),
    path(
        "messaging/webhooks/twilio/status/<str:token>/", views.twilio_status, name="twilio_status"
    ),
    path("messaging/webhooks/twilio/inbound/", views.twilio_inbound, name="twilio_inbound"),
    path("m/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
