from django.urls import path

from village.titlei import views

app_name = "titlei"

urlpatterns = [
    path("staff/title-i/", views.index, name="index"),
    path("staff/title-i/<slug:slug>/", views.current, name="current"),
    path("staff/title-i/<slug:slug>/<int:year>/", views.checklist, name="checklist"),
    path("staff/title-i/<slug:slug>/<int:year>/record/<str:kind>/", views.record, name="record"),
    path(
        "staff/title-i/<slug:slug>/<int:year>/participation/",
        views.participation,
        name="participation",
    ),
    path(
        "staff/title-i/<slug:slug>/<int:year>/documents/<int:version_id>/",
        views.document_file,
        name="document_file",
    ),
    path(
        "staff/title-i/<slug:slug>/<int:year>/evidence-pack.pdf",
        views.evidence_pack,
        name="evidence_pack",
    ),
]
