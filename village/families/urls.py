from django.urls import path

from village.families import views

app_name = "families"

urlpatterns = [
    path("staff/families/", views.household_list, name="households"),
    path("staff/families/export.csv", views.household_export, name="export"),
    path("staff/families/caseload/", views.caseload, name="caseload"),
    path("staff/families/duplicates/", views.duplicates, name="duplicates"),
    path("staff/families/households/<int:household_id>/", views.household_detail, name="household"),
    path(
        "staff/families/households/<int:household_id>/contacts/new/",
        views.contact_log_create,
        name="contact_log_create",
    ),
    path(
        "staff/families/households/<int:household_id>/merge/<int:other_id>/",
        views.household_merge,
        name="household_merge",
    ),
    path(
        "staff/families/guardians/<int:guardian_id>/edit/",
        views.guardian_edit,
        name="guardian_edit",
    ),
    path(
        "staff/families/guardians/<int:guardian_id>/link/",
        views.guardian_send_link,
        name="guardian_send_link",
    ),
    path("staff/families/contacts/<int:log_id>/done/", views.follow_up_done, name="follow_up_done"),
    path("staff/families/imports/", views.import_list, name="imports"),
    path("staff/families/imports/template.csv", views.import_template, name="import_template"),
    path("staff/families/imports/<int:import_id>/", views.import_detail, name="import"),
    path(
        "staff/families/imports/<int:import_id>/problems.csv",
        views.import_problems_csv,
        name="import_problems",
    ),
    path("family/", views.family_home, name="family_home"),
    path("family/sign-out/", views.family_sign_out, name="family_sign_out"),
    path("family/link/<str:token>/", views.family_link, name="family_link"),
    path("family/contact-points/<int:point_id>/", views.family_opt_out, name="family_opt_out"),
]
