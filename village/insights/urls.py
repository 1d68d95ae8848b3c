from django.urls import path

from village.insights import views

app_name = "insights"

urlpatterns = [
    path("staff/insights/", views.dashboard, name="dashboard"),
    path("staff/insights/tables/<slug:key>.csv", views.table_csv, name="csv"),
    path("staff/insights/families/", views.families, name="families"),
]
