from django import forms
from django.utils.translation import gettext_lazy as _

from village.api.models import WebhookEndpoint

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


class WebhookForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("District"), queryset=None)
    url = forms.URLField(
        label=_("URL to call"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "Village sends a signed POST here. Addresses inside private networks are refused."
        ),
    )
    topics = forms.MultipleChoiceField(
        label=_("Tell about"),
        choices=WebhookEndpoint.Topic.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:  # one district: chosen already
            self.fields["organisation"].initial = organisations[0].pk
            self.fields["organisation"].empty_label = None
