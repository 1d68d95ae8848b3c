from django.contrib import admin

from village.titlei.models import Participation, Requirement, RequirementDueDate


class DueDateInline(admin.TabularInline):
    model = RequirementDueDate
    extra = 0


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ("kind", "level", "due_month", "due_day", "is_active")
    list_filter = ("level", "is_active")
    inlines = [DueDateInline]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ("organisation", "school_year", "is_title_i", "updated_at")
    list_filter = ("school_year", "is_title_i")
    raw_id_fields = ("organisation", "recorded_by")
