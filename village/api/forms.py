from django import forms
from django.utils.translation import gettext_lazy as _

EXPIRY_CHOICES = [
    ("30", _("30 days")),
    ("90", _("90 days")),
    ("365", _("One year")),
    ("", _("Never")),
]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("What is this token for?"),
        max_length=100,
        help_text=_("For example: “Nightly roster sync from the student information system”."),
    )
    expires_in_days = forms.ChoiceField(
        label=_("Expires after"), choices=EXPIRY_CHOICES, required=False
    )
    read_only = forms.BooleanField(
        label=_("Read-only"),
        required=False,
        help_text=_("The token can read but never change anything (recommended for reports)."),
    )
