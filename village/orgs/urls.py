from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from village.orgs import views

app_name = "orgs"

urlpatterns = [
    path("accounts/sign-in/", views.SignInView.as_view(), name="login"),
    path("accounts/sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/verify/", views.otp_verify, name="otp_verify"),
    path("accounts/me/", views.account, name="account"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(
            template_name="orgs/password_change.html", success_url=reverse_lazy("orgs:account")
        ),
        name="password_change",
    ),
    path("accounts/authenticator/", views.otp_setup, name="otp_setup"),
    path("accounts/password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="orgs/password_reset_sent.html"),
        name="password_reset_sent",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="orgs/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("staff/", views.dashboard, name="dashboard"),
    path("staff/audit-log/", views.audit_log, name="audit_log"),
    path("staff/organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path(
        "staff/organisations/<slug:slug>/people/",
        views.organisation_people,
        name="organisation_people",
    ),
    path(
        "staff/organisations/<slug:slug>/people/add/",
        views.membership_add,
        name="membership_add",
    ),
    path(
        "staff/organisations/<slug:slug>/people/<int:membership_id>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
]
