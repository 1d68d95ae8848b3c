from django.contrib import admin

from village.programs.models import Application, Cohort, Criterion, Program, Question


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("slug", "kind", "organisation", "opens_at", "due_at", "late_policy")
    raw_id_fields = ("organisation", "training_event")
    inlines = [QuestionInline, CriterionInline]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "status", "decision", "submitted_at")
    list_filter = ("status", "decision")
    raw_id_fields = ("program", "organisation", "contact", "updated_by", "decided_by")


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("program", "year")
