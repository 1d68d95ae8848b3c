from django import forms
from django.utils.translation import gettext_lazy as _

from village.groups.models import Group, Meeting
from village.languages.catalog import INTERFACE_LANGUAGES


class JoinForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.CharField(label=_("Email"), required=False, max_length=254)
    mobile = forms.CharField(label=_("Mobile phone"), required=False, max_length=32)
    language = forms.ChoiceField(label=_("Your language"), choices=INTERFACE_LANGUAGES)
    note = forms.CharField(
        label=_("Anything you want the group to know (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if not (data.get("email") or "").strip() and not (data.get("mobile") or "").strip():
            raise forms.ValidationError(_("Give an email address or a mobile number."))
        return data


class GroupForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"), empty_label=None)
    language = forms.ChoiceField(label=_("Language of this version"), choices=INTERFACE_LANGUAGES)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Group.Kind.choices)
    description = forms.CharField(
        label=_("Description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact email"), max_length=254, required=False)
    is_public = forms.BooleanField(
        label=_("Shown on the public pages"), required=False, initial=True
    )
    accepts_requests = forms.BooleanField(
        label=_("Families may ask to join"), required=False, initial=True
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class MemberForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.CharField(label=_("Email"), required=False, max_length=254)
    mobile = forms.CharField(label=_("Mobile phone"), required=False, max_length=32)
    language = forms.ChoiceField(label=_("Language"), choices=INTERFACE_LANGUAGES)


class MeetingForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of this version"), choices=INTERFACE_LANGUAGES)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    join_link = forms.URLField(
        label=_("Link to join online"), max_length=200, required=False, assume_scheme="https"
    )
    visibility = forms.ChoiceField(label=_("Who can see it"), choices=Meeting.Visibility.choices)


class MinutesForm(forms.Form):
    file = forms.FileField(label=_("Minutes (PDF or office document)"))
