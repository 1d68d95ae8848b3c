from django.contrib import admin

from village.messaging.models import (
    Conversation,
    Delivery,
    Message,
    MessageTemplate,
    QuietHours,
    Reply,
    Suppression,
)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organisation", "category", "status", "recipients", "created_at"]
    list_filter = ["status", "category"]
    raw_id_fields = ["organisation", "author"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only: delivery state changes only through the outbox."""

    list_display = ["id", "message", "channel", "language", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel"]
    raw_id_fields = ["message"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ["from_address", "channel", "keyword", "message", "received_at"]
    raw_id_fields = ["message", "delivery"]


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    list_display = ["channel", "address", "reason", "created_at"]
    search_fields = ["address"]


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    raw_id_fields = ["organisation"]


@admin.register(QuietHours)
class QuietHoursAdmin(admin.ModelAdmin):
    list_display = ["organisation", "starts", "ends"]
    raw_id_fields = ["organisation"]


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    """Read-only: conversations change through replies and answers."""

    list_display = ["guardian_name", "message", "last_activity_at", "awaiting_answer", "unread"]
    list_filter = ["awaiting_answer"]
    raw_id_fields = ["message"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
