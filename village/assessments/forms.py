from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from village.assessments.models import Assessment, Level, Rubric, Step
from village.languages.catalog import INTERFACE_LANGUAGES
from village.languages.content import text_in_language
from village.orgs.models import Organisation, Person


def _year_choices(years: list[int]) -> list[tuple[int, str]]:
    return [(year, f"{year}–{(year + 1) % 100:02d}") for year in years]


def current_school_year() -> int:
    today = timezone.localdate()
    return today.year if today.month >= 7 else today.year - 1


class RubricChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Rubric) -> str:
        return (
            f"{text_in_language(obj.title, source_language=obj.source_language)} · v{obj.version}"
        )


class AssessmentForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Team of"), queryset=Organisation.objects.none(), to_field_name="slug"
    )
    rubric = RubricChoiceField(label=_("Rubric"), queryset=Rubric.objects.none())
    school_year = forms.TypedChoiceField(label=_("School year"), coerce=int)

    def __init__(self, *args, organisations, rubrics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["rubric"].queryset = rubrics
        year = current_school_year()
        self.fields["school_year"].choices = _year_choices([year + 1, year, year - 1, year - 2])
        self.fields["school_year"].initial = year


class MemberAddForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Staff member"), queryset=Person.objects.none())

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class MemberInviteForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email address"), max_length=254)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why reopen it?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(one, initial) for one in data if one]
        return [super().clean(data, initial)] if data else []


class ConsensusForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Consensus level"), choices=Level.choices, coerce=int, widget=forms.RadioSelect
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    links = forms.CharField(
        label=_("Links (one per line)"),
        required=False,
        max_length=5500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    files = MultipleFileField(
        label=_("Files (PDF, images, Word, Excel, PowerPoint, text; up to 10 MB each)"),
        required=False,
    )

    def link_list(self) -> list[str]:
        return self.cleaned_data["links"].splitlines()


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Goal"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    target = forms.ChoiceField(label=_("Component or indicator"), required=False)

    def __init__(self, *args, components, **kwargs):
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [("", "—")]
        for component in components:
            choices.append((f"c{component.pk}", str(component)))
            for indicator in component.indicators.all():
                choices.append((f"i{indicator.pk}", f"· {indicator}"))
        self.fields["target"].choices = choices


class StepForm(forms.Form):
    text = forms.CharField(label=_("Step"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Person.objects.none(), required=False)
    due_on = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class StepUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Step.Status.choices)
    progress = forms.CharField(
        label=_("Evidence of progress"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CarryForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Carry into"), queryset=Assessment.objects.none())

    def __init__(self, *args, later, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = later


class RollupFilterForm(forms.Form):
    rubric = RubricChoiceField(
        label=_("Rubric"), queryset=Rubric.objects.none(), required=False, empty_label=None
    )
    year = forms.TypedChoiceField(label=_("School year"), coerce=int, required=False)

    def __init__(self, *args, rubrics, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rubric"].queryset = rubrics
        self.fields["year"].choices = _year_choices(years)


class QuickSelect(forms.Select):
    """A select built in Python: Django's widget templates cost a millisecond per option, and
    the state's filter lists hundreds of districts."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(key), " selected" if str(key) == chosen else "", label)
                for key, label in self.choices
            ),
        )
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}</select>", flatatt(final), options)


class StateFilterForm(RollupFilterForm):
    district = forms.ModelChoiceField(
        widget=QuickSelect,
        label=_("District"),
        queryset=Organisation.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("All districts"),
    )

    def __init__(self, *args, districts, district_list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        # The options from the list the page already read (not a second query of hundreds).
        self.fields["district"].widget.choices = [("", self.fields["district"].empty_label)] + [
            (d.slug, d.name) for d in district_list
        ]


class IndicatorEditForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=INTERFACE_LANGUAGES)
    text = forms.CharField(label=_("Indicator"), max_length=1000)
    level_1 = forms.CharField(label=Level.NOT_YET.label, max_length=1000)
    level_2 = forms.CharField(label=Level.EMERGING.label, max_length=1000)
    level_3 = forms.CharField(label=Level.PROFICIENT.label, max_length=1000)
    level_4 = forms.CharField(label=Level.EXEMPLARY.label, max_length=1000)

    def levels(self) -> list[str]:
        return [self.cleaned_data[f"level_{n}"] for n in range(1, 5)]
