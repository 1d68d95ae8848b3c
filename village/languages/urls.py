from django.urls import path

from village.languages import views

app_name = "languages"

urlpatterns = [
    path("", views.language_choose, name="choose"),
    path("<str:code>/", views.language_set, name="set"),
]
