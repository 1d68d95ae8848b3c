from django.urls import path

from village.assessments import views

app_name = "assessments"

urlpatterns = [
    path("staff/assessments/", views.assessment_list, name="list"),
    path("staff/assessments/new/", views.assessment_new, name="new"),
    path("staff/assessments/state/", views.state, name="state"),
    path("staff/assessments/districts/<slug:slug>/", views.district, name="district"),
    path("staff/assessments/rubrics/", views.rubrics, name="rubrics"),
    path("staff/assessments/rubrics/<int:rubric_id>/", views.rubric, name="rubric"),
    path(
        "staff/assessments/indicators/<int:indicator_id>/edit/",
        views.indicator_edit,
        name="indicator_edit",
    ),
    path("staff/assessments/<int:assessment_id>/", views.assessment_detail, name="detail"),
    path("staff/assessments/<int:assessment_id>/members/", views.member_add, name="member_add"),
    path("staff/assessments/<int:assessment_id>/submit/", views.assessment_submit, name="submit"),
    path("staff/assessments/<int:assessment_id>/reopen/", views.assessment_reopen, name="reopen"),
    path("staff/assessments/<int:assessment_id>/rate/", views.rate, name="rate"),
    path(
        "staff/assessments/<int:assessment_id>/rate/<int:indicator_id>/",
        views.rating_save,
        name="rating_save",
    ),
    path(
        "staff/assessments/<int:assessment_id>/rate/hand-in/",
        views.ratings_hand_in,
        name="hand_in",
    ),
    path("staff/assessments/<int:assessment_id>/team/", views.team_ratings, name="team_ratings"),
    path("staff/assessments/<int:assessment_id>/spread/", views.spread, name="spread"),
    path(
        "staff/assessments/<int:assessment_id>/consensus/<int:indicator_id>/",
        views.consensus_save,
        name="consensus_save",
    ),
    path(
        "staff/assessments/<int:assessment_id>/evidence/<int:file_id>/",
        views.evidence_file,
        name="evidence_file",
    ),
    path("staff/assessments/<int:assessment_id>/results/", views.results, name="results"),
    path(
        "staff/assessments/<int:assessment_id>/results.csv", views.results_csv, name="results_csv"
    ),
    path(
        "staff/assessments/<int:assessment_id>/ratings.csv", views.ratings_csv, name="ratings_csv"
    ),
    path("staff/assessments/<int:assessment_id>/report.pdf", views.report_pdf, name="report_pdf"),
    path("staff/assessments/<int:assessment_id>/plan/", views.plan, name="plan"),
    path("staff/assessments/<int:assessment_id>/plan/goals/", views.goal_new, name="goal_new"),
    path(
        "staff/assessments/<int:assessment_id>/plan/goals/<int:goal_id>/steps/",
        views.step_new,
        name="step_new",
    ),
    path(
        "staff/assessments/<int:assessment_id>/plan/goals/<int:goal_id>/carry/",
        views.goal_carry,
        name="goal_carry",
    ),
    path(
        "staff/assessments/<int:assessment_id>/plan/steps/<int:step_id>/",
        views.step_update,
        name="step_update",
    ),
]
