from django.contrib import admin

from village.portal.models import Page, Resource, ResourceFile, StaffProfile


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organisation", "slug", "is_published", "updated_at")
    list_filter = ("is_published",)
    search_fields = ("slug", "organisation__name")
    raw_id_fields = ("organisation", "parent", "updated_by")
    # The HTML is rendered from the Markdown by the service; never typed here.
    readonly_fields = ("body_html",)


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organisation", "kind", "is_public", "updated_at")
    list_filter = ("kind", "is_public")
    search_fields = ("slug", "organisation__name")
    raw_id_fields = ("organisation",)


@admin.register(ResourceFile)
class ResourceFileAdmin(admin.ModelAdmin):
    list_display = ("original_name", "resource", "language", "content_type", "size")
    raw_id_fields = ("resource",)
    readonly_fields = ("file", "content_type", "size")


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("person", "listed", "languages")
    raw_id_fields = ("person",)
