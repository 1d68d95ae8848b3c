from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from village.orgs.outbound import email_queue


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("That email address and password do not match an account."),
        "inactive": _("This account has been switched off."),
    }

    def clean_username(self) -> str:
        # Addresses are stored lower-cased; TEAM@village.test is the same account (and the same
        # name for the sign-in lockout, which sees what the form passes on).
        return self.cleaned_data["username"].strip().lower()


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the email leaves through messaging's outbox (one way out)."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        person = context["user"]
        language = person.preferred_language or translation.get_language() or "en"
        with translation.override(language):
            subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
            body = loader.render_to_string(email_template_name, context)
        email_queue(
            recipient_kind="person",
            recipient_id=person.pk,
            address=to_email,
            name=person.full_name,
            language=language,
            source="orgs.password_reset",
            key=f"{person.pk}:{context['token']}",
            subject=subject,
            body=body,
        )


class AuthenticatorCodeForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = self.cleaned_data["token"].strip().replace(" ", "")
        if self.device is not None and not self.device.verify_is_allowed()[0]:
            raise forms.ValidationError(
                _("Too many wrong codes. Wait a few seconds, then try again.")
            )
        if self.device is None or not self.device.verify_token(token):
            raise forms.ValidationError(
                _("That code is not right, or it has expired. Try the newest one.")
            )
        return token


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name or email"), required=False, max_length=100)


class MembershipInviteForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"))
    title = forms.CharField(label=_("Job title"), max_length=200, required=False)

    def __init__(self, *args, roles: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles


class AccountForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    preferred_language = forms.ChoiceField(label=_("Language of Village's pages and emails"))

    def __init__(self, *args, **kwargs):
        from django.conf import settings
        from django.utils.translation import get_language_info

        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].choices = [
            (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
        ]
