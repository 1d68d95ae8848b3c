from django.urls import path

from village.families.views import family, imports, staff

app_name = "families"

urlpatterns = [
    path("staff/families/", staff.household_list, name="households"),
    path("staff/families/export.csv", staff.household_export, name="export"),
    path("staff/families/caseload/", staff.caseload, name="caseload"),
    path("staff/families/duplicates/", staff.duplicates, name="duplicates"),
    path("staff/families/households/<int:household_id>/", staff.household_detail, name="household"),
    path(
        "staff/families/households/<int:household_id>/contacts/new/",
        staff.contact_log_create,
        name="contact_log_create",
    ),
    path(
        "staff/families/households/<int:household_id>/merge/<int:other_id>/",
        staff.household_merge,
        name="household_merge",
    ),
    path(
        "staff/families/guardians/<int:guardian_id>/edit/",
        staff.guardian_edit,
        name="guardian_edit",
    ),
    path(
        "staff/families/guardians/<int:guardian_id>/link/",
        staff.guardian_send_link,
        name="guardian_send_link",
    ),
    path("staff/families/contacts/<int:log_id>/done/", staff.follow_up_done, name="follow_up_done"),
    path("staff/families/imports/", imports.import_list, name="imports"),
    path("staff/families/imports/template.csv", imports.import_template, name="import_template"),
    path("staff/families/imports/<int:import_id>/", imports.import_detail, name="import"),
    path(
        "staff/families/imports/<int:import_id>/decide/",
        imports.import_decide,
        name="import_decide",
    ),
    path(
        "staff/families/imports/<int:import_id>/problems.csv",
        imports.import_problems_csv,
        name="import_problems",
    ),
    path("family/", family.family_home, name="family_home"),
    path("family/account/", family.family_account, name="family_account"),
    path("family/sign-out/", family.family_sign_out, name="family_sign_out"),
    path("family/link/<str:token>/", family.family_link, name="family_link"),
    path("family/contact-points/<int:point_id>/", family.family_opt_out, name="family_opt_out"),
]
