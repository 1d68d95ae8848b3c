from django.contrib import admin

from village.titlei.models import Requirement, RequirementDueDate


class DueDateInline(admin.TabularInline):
    model = RequirementDueDate
    extra = 0


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ("kind", "level", "due_month", "due_day", "is_active")
    list_filter = ("level", "is_active")
    inlines = [DueDateInline]
