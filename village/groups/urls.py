from django.urls import path

from village.groups import views

app_name = "groups"

urlpatterns = [
    path("groups/", views.group_list, name="list"),
    path("groups/<slug:slug>/", views.group_detail, name="detail"),
    path("groups/<slug:slug>/minutes/<int:meeting_id>/", views.minutes, name="minutes"),
    path("staff/groups/", views.staff_groups, name="staff_list"),
    path("staff/groups/new/", views.staff_group_new, name="staff_new"),
    path("staff/groups/<int:group_id>/", views.staff_group, name="staff_detail"),
    path("staff/groups/requests/<int:request_id>/", views.request_decide, name="request_decide"),
    path("staff/groups/members/<int:member_id>/remove/", views.member_remove, name="member_remove"),
    path(
        "staff/groups/meetings/<int:meeting_id>/minutes/",
        views.minutes_upload,
        name="minutes_upload",
    ),
]
