from django.contrib import admin

from village.families.models import (
    ContactLog,
    ContactPoint,
    Guardian,
    Household,
    RosterImport,
    Student,
)


class GuardianInline(admin.TabularInline):
    model = Guardian
    fields = [
        "given_name",
        "family_name",
        "relationship",
        "no_contact",
        "no_records_access",
        "is_active",
    ]
    extra = 0
    show_change_link = True


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "is_active", "merged_into"]
    list_filter = ["is_active"]
    search_fields = ["name", "guardians__family_name"]
    raw_id_fields = ["organisation", "merged_into"]
    inlines = [GuardianInline]


@admin.register(Guardian)
class GuardianAdmin(admin.ModelAdmin):
    list_display = [
        "given_name",
        "family_name",
        "household",
        "written_language",
        "no_contact",
        "is_active",
    ]
    list_filter = ["no_contact", "no_records_access", "is_active"]
    search_fields = ["given_name", "family_name", "source_id"]
    raw_id_fields = ["organisation", "household", "students"]


@admin.register(Student)
class StudentAdmin(admin.ModelAdmin):
    list_display = ["given_name", "family_name", "school", "grade", "is_active"]
    search_fields = ["given_name", "family_name", "source_id"]
    raw_id_fields = ["organisation", "household", "school"]


@admin.register(ContactPoint)
class ContactPointAdmin(admin.ModelAdmin):
    list_display = ["value", "channel", "guardian", "opted_out_at", "bounced_at", "is_active"]
    list_filter = ["channel", "consent_source"]
    search_fields = ["value"]
    raw_id_fields = ["guardian"]


@admin.register(ContactLog)
class ContactLogAdmin(admin.ModelAdmin):
    list_display = ["at", "channel", "household", "staff", "follow_up_due", "follow_up_done_at"]
    raw_id_fields = ["household", "organisation", "staff", "guardians"]


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "organisation", "file_name", "status"]
    readonly_fields = ["problems", "counts"]
