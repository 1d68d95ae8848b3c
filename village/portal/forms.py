from django import forms
from django.utils.translation import gettext_lazy as _

from village.languages.catalog import INTERFACE_LANGUAGES
from village.languages.content import is_language_tag, normalise_language_code
from village.portal.models import AgeBand, Audience, Resource, Topic

# Long enough for any real question; a 10,000-character paste gets a clear message instead.
SEARCH_MAX_LENGTH = 200


class LibraryForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=SEARCH_MAX_LENGTH)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind"))] + Resource.Kind.choices
    )
    language = forms.ChoiceField(
        label=_("Available in"),
        required=False,
        choices=[("", _("Any language"))] + INTERFACE_LANGUAGES,
    )
    topic = forms.MultipleChoiceField(
        label=_("Topic"), required=False, choices=Topic.choices, widget=forms.CheckboxSelectMultiple
    )
    audience = forms.MultipleChoiceField(
        label=_("For"),
        required=False,
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    age = forms.MultipleChoiceField(
        label=_("Age"), required=False, choices=AgeBand.choices, widget=forms.CheckboxSelectMultiple
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=100000)


class DirectoryForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=None,
        label=_("Office or district"),
        required=False,
        to_field_name="slug",
        empty_label=_("Everywhere"),
    )
    language = forms.ChoiceField(
        label=_("Speaks"), required=False, choices=[("", _("Any language"))] + INTERFACE_LANGUAGES
    )
    q = forms.CharField(label=_("Name or role"), required=False, max_length=100)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


def _language_field() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Language of this version"), choices=INTERFACE_LANGUAGES)


class PageForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"), empty_label=None)
    language = _language_field()
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(label=_("Short name in addresses"), max_length=80)
    parent = forms.ModelChoiceField(
        queryset=None, label=_("Sits under"), required=False, empty_label=_("Top of the menu")
    )
    position = forms.IntegerField(
        label=_("Position in the menu"), min_value=0, max_value=999, initial=0
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Markdown: ## for a heading, * for a list, [words](https://…) for a link. "
            "HTML is removed."
        ),
    )
    is_published = forms.BooleanField(label=_("Published"), required=False, initial=True)

    def __init__(self, *args, organisations, pages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["parent"].queryset = pages


class ResourceForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"), empty_label=None)
    language = _language_field()
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(label=_("Short name in addresses"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Resource.Kind.choices)
    summary = forms.CharField(
        label=_("Summary"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    url = forms.URLField(label=_("Link"), required=False, max_length=200, assume_scheme="https")
    topics = forms.MultipleChoiceField(
        label=_("Topic"), required=False, choices=Topic.choices, widget=forms.CheckboxSelectMultiple
    )
    audiences = forms.MultipleChoiceField(
        label=_("For"),
        required=False,
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    age_bands = forms.MultipleChoiceField(
        label=_("Age"), required=False, choices=AgeBand.choices, widget=forms.CheckboxSelectMultiple
    )
    is_public = forms.BooleanField(label=_("Public"), required=False, initial=True)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ResourceFileForm(forms.Form):
    language = _language_field()
    file = forms.FileField(label=_("File"))


class ModuleStepForm(forms.Form):
    language = _language_field()
    title = forms.CharField(label=_("Step title"), max_length=200)
    body = forms.CharField(
        label=_("What to do"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class StaffProfileForm(forms.Form):
    listed = forms.BooleanField(label=_("Show me in the staff directory"), required=False)
    languages = forms.CharField(
        label=_("Languages I speak"),
        required=False,
        max_length=200,
        help_text=_("Language codes separated by commas, e.g. en, ht, pt."),
    )
    public_email = forms.EmailField(label=_("Email for families"), required=False, max_length=254)
    public_phone = forms.CharField(label=_("Phone for families"), required=False, max_length=32)

    def clean_languages(self):
        codes = [
            normalise_language_code(c)
            for c in self.cleaned_data["languages"].split(",")
            if c.strip()
        ]
        wrong = [c for c in codes if not is_language_tag(c)]
        if wrong:
            raise forms.ValidationError(
                _("“%(code)s” is not a language code.") % {"code": wrong[0]}
            )
        return codes
