from django.contrib import admin

from village.events.models import Event, Registration, Session, TimeSlot


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["slug", "kind", "organisation", "starts_at", "capacity"]
    list_filter = ["kind", "audience", "format"]


admin.site.register(TimeSlot)
admin.site.register(Session)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["full_name", "event", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["event", "person", "team_leader", "district"]
