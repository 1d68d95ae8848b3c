from django.contrib import admin

from village.groups.models import Group, GroupMember, JoinRequest, Meeting


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organisation", "kind", "is_public", "accepts_requests")
    list_filter = ("kind", "is_public")
    search_fields = ("slug", "organisation__name", "contact_name")
    raw_id_fields = ("organisation", "contact_person")


@admin.register(GroupMember)
class GroupMemberAdmin(admin.ModelAdmin):
    list_display = ("full_name", "group", "role", "language", "is_active")
    list_filter = ("role", "is_active")
    raw_id_fields = ("group", "guardian", "person")


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ("full_name", "group", "status", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("group", "decided_by")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("__str__", "group", "visibility")
    raw_id_fields = ("group", "event")
    readonly_fields = ("minutes", "minutes_type")
