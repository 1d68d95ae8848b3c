from django.urls import path

from village.api import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.api_tokens, name="list"),
    path("<int:token_id>/revoke/", views.api_token_revoke, name="revoke"),
    path("webhooks/", views.webhooks, name="webhooks"),
    path("webhooks/<int:endpoint_id>/remove/", views.webhook_remove, name="webhook_remove"),
]
