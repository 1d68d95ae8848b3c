from django.contrib import admin

from village.families.models import (
    ContactLog,
    ContactPoint,
    Guardian,
    Household,
    RosterImport,
    Student,
)
from village.families.services import household_index_refresh


class IndexedAdmin(admin.ModelAdmin):
    """Edits made here keep the directory's search names and duplicate keys in step, as the
    services do."""

    @staticmethod
    def _household_ids(obj) -> list[int]:
        if isinstance(obj, Household):
            return [obj.pk]
        if isinstance(obj, ContactPoint):
            return [obj.guardian.household_id]
        return [obj.household_id]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        household_index_refresh(household_ids=self._household_ids(form.instance))

    def delete_model(self, request, obj):
        household_ids = self._household_ids(obj)
        super().delete_model(request, obj)
        household_index_refresh(household_ids=household_ids)


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
class HouseholdAdmin(IndexedAdmin):
    list_display = ["name", "organisation", "is_active", "merged_into"]
    list_filter = ["is_active"]
    search_fields = ["name", "guardians__family_name"]
    raw_id_fields = ["organisation", "merged_into"]
    inlines = [GuardianInline]


@admin.register(Guardian)
class GuardianAdmin(IndexedAdmin):
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
class StudentAdmin(IndexedAdmin):
    list_display = ["given_name", "family_name", "school", "grade", "is_active"]
    search_fields = ["given_name", "family_name", "source_id"]
    raw_id_fields = ["organisation", "household", "school"]


@admin.register(ContactPoint)
class ContactPointAdmin(IndexedAdmin):
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
