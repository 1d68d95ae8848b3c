from django.urls import path

from village.portal.views import public, staff

app_name = "portal"

urlpatterns = [
    path("", public.home, name="home"),
    path("resources/", public.library, name="library"),
    path("resources/<slug:slug>/", public.resource_detail, name="resource"),
    path("resources/<slug:slug>/file/<str:language>/", public.resource_file, name="resource_file"),
    path("directory/", public.directory, name="directory"),
    path("staff/portal/", staff.index, name="staff_index"),
    path("staff/portal/pages/new/", staff.page_edit, name="staff_page_new"),
    path("staff/portal/pages/<int:page_id>/", staff.page_edit, name="staff_page"),
    path("staff/portal/resources/new/", staff.resource_new, name="staff_resource_new"),
    path("staff/portal/resources/<int:resource_id>/", staff.resource_edit, name="staff_resource"),
    path("staff/portal/directory/", staff.profile, name="staff_profile"),
]

# Public homes of organisations: /<district>/ and /<district>/<school>/. This module is
# included last in village/urls.py and these come last in it, so no fixed address can be
# shadowed; organisation_create refuses slugs that are one of those addresses
# (address_prefixes_taken).
urlpatterns += [
    path("<slug:organisation_slug>/", public.organisation_home, name="organisation_home"),
    path("<slug:organisation_slug>/pages/<slug:page_slug>/", public.page_detail, name="page"),
    path("<slug:organisation_slug>/<slug:school_slug>/", public.school_home, name="school_home"),
    path(
        "<slug:organisation_slug>/<slug:school_slug>/pages/<slug:page_slug>/",
        public.school_page_detail,
        name="school_page",
    ),
]
