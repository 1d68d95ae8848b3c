from django.urls import path

from village.programs import views

app_name = "programs"

urlpatterns = [
    path("programs/<slug:slug>/trainers/", views.trainers, name="trainers"),
    path("staff/programs/", views.program_list, name="list"),
    path("staff/programs/new/", views.program_new, name="new"),
    path("staff/programs/<slug:slug>/", views.program_detail, name="detail"),
    path("staff/programs/<slug:slug>/setup/", views.program_setup, name="setup"),
    path("staff/programs/<slug:slug>/cohorts/<int:year>/", views.cohort, name="cohort"),
    path("staff/programs/<slug:slug>/training/", views.training, name="training"),
    path("staff/applications/<int:application_id>/", views.application, name="application"),
    path(
        "staff/applications/<int:application_id>/manage/",
        views.application_manage,
        name="manage",
    ),
    path("staff/applications/files/<int:file_id>/", views.application_file, name="file"),
    path("staff/reviews/<int:assignment_id>/", views.review, name="review"),
    path(
        "staff/certificates/<int:certification_id>/certificate.pdf",
        views.certificate,
        name="certificate",
    ),
    path(
        "staff/certificates/<int:certification_id>/listing/",
        views.certification_listing,
        name="listing",
    ),
]
