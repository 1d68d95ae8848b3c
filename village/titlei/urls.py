from django.urls import path

app_name = "titlei"
urlpatterns: list = []
