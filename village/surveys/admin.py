from django.contrib import admin

from village.surveys.models import ReplyWord


@admin.register(ReplyWord)
class ReplyWordAdmin(admin.ModelAdmin):
    list_display = ["language", "word", "meaning"]
    list_filter = ["meaning", "language"]
    search_fields = ["word", "language"]
