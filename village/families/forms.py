from django import forms
from django.utils.translation import gettext_lazy as _

from village.families.models import ContactLog, Guardian
from village.ids import ModelIdsField
from village.languages.forms import LanguageField
from village.orgs.models import Organisation


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name, email or phone"), required=False, max_length=100)
    school = forms.ModelChoiceField(
        label=_("School"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = (
            schools if schools is not None else Organisation.objects.none()
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)]


class RosterUploadForm(forms.Form):
    district = forms.ModelChoiceField(label=_("District"), queryset=Organisation.objects.none())
    files = MultipleFileField(
        label=_("Roster file"),
        help_text=_("A OneRoster zip, the OneRoster CSV files, or the Village CSV template."),
        widget=MultipleFileInput(attrs={"accept": ".zip,.csv,text/csv"}),
    )
    full = forms.BooleanField(
        label=_("This is the full roster: mark families missing from it inactive"), required=False
    )

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = (
            districts if districts is not None else Organisation.objects.none()
        )
        if districts is not None and len(districts) == 1:
            self.fields["district"].empty_label = None


class ContactLogForm(forms.ModelForm):
    language = LanguageField(label=_("Language used"), initial="en")

    class Meta:
        model = ContactLog
        fields = [
            "at",
            "channel",
            "guardians",
            "language",
            "interpreter_used",
            "topics",
            "needs_identified",
            "referral",
            "notes",
            "follow_up_due",
        ]
        field_classes = {"guardians": ModelIdsField}
        widgets = {
            "at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "follow_up_due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "guardians": forms.CheckboxSelectMultiple,
            "needs_identified": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        # The model's many-to-many field has no translated name of its own.
        labels = {"guardians": _("Guardians")}

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardians"].queryset = household.guardians.filter(is_active=True)


class GuardianForm(forms.ModelForm):
    """Staff corrections to a guardian. Court-order flags come from the roster but may be set here
    when the office receives the order first."""

    written_language = LanguageField(label=_("Preferred written language"))
    spoken_language = LanguageField(label=_("Preferred spoken language"))

    class Meta:
        model = Guardian
        fields = [
            "given_name",
            "family_name",
            "display_name",
            "relationship",
            "written_language",
            "spoken_language",
            "needs_interpreter",
            "needs_large_print",
            "no_email",
            "no_smartphone",
            "prefers_digest",
            "lives_with_student",
            "has_custody",
            "is_primary_contact",
            "no_contact",
            "no_records_access",
            "restriction_note",
        ]


class FamilyDetailsForm(forms.Form):
    """What a family may correct themselves."""

    written_language = LanguageField(label=_("Language for reading messages"))
    spoken_language = LanguageField(label=_("Language for calls and meetings"))
    email = forms.EmailField(label=_("Email address"), required=False, max_length=254)
    mobile = forms.CharField(
        label=_("Mobile phone for text messages"), required=False, max_length=32
    )
    needs_interpreter = forms.BooleanField(label=_("I would like an interpreter"), required=False)
    needs_large_print = forms.BooleanField(label=_("I would like large print"), required=False)
    no_email = forms.BooleanField(label=_("I do not use email"), required=False)
    no_smartphone = forms.BooleanField(label=_("I do not have a smartphone"), required=False)
    prefers_digest = forms.BooleanField(
        label=_("Send me school news once a day, in one message"),
        help_text=_("Urgent messages still come at once."),
        required=False,
    )

    def clean_mobile(self):
        from village.families.contact_values import normalise_phone

        value = self.cleaned_data["mobile"].strip()
        if not value:
            return ""
        try:
            return normalise_phone(value)
        except ValueError:
            raise forms.ValidationError(_("This is not a phone number we can use.")) from None
