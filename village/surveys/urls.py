from django.urls import path

from village.surveys import views

app_name = "surveys"

urlpatterns = [
    path("s/<slug:slug>/", views.answer, name="answer"),
    path("s/<slug:slug>/<str:token>/", views.answer, name="answer_signed"),
    path("staff/surveys/", views.staff_list, name="staff_list"),
    path("staff/surveys/new/", views.staff_new, name="staff_new"),
    path("staff/surveys/reply-words/", views.reply_words, name="reply_words"),
    path("staff/surveys/ask-by-text/", views.ask_by_text, name="ask_by_text"),
    path("staff/surveys/<int:survey_id>/", views.staff_detail, name="staff_detail"),
    path("staff/surveys/<int:survey_id>/export.csv", views.staff_export, name="staff_export"),
    path(
        "staff/surveys/answers/<int:answer_id>/translate/",
        views.answer_translate,
        name="answer_translate",
    ),
]
