from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from village.languages.content import text_in_language
from village.surveys.models import Question, ReplyWord, Survey
from village.surveys.services import LONG_TEXT_MAX, SHORT_TEXT_MAX

LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SurveyForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    template = forms.ChoiceField(label=_("Template"), choices=Survey.Template.choices)
    title = forms.CharField(
        label=_("Title (leave empty to use the template's, in every language)"),
        max_length=200,
        required=False,
    )
    language = forms.ChoiceField(label=_("Written in"), choices=[])
    identity = forms.ChoiceField(label=_("Answers are"), choices=Survey.Identity.choices)
    second_answer = forms.ChoiceField(
        label=_("A second answer from the same person"), choices=Survey.SecondAnswer.choices
    )
    event = forms.ModelChoiceField(
        label=_("Event it evaluates (its registrants get their own link after it ends)"),
        queryset=None,
        required=False,
    )
    opens_at = forms.DateTimeField(label=_("Opens (organisation's time)"), widget=LOCAL)
    closes_at = forms.DateTimeField(label=_("Closes (organisation's time)"), widget=LOCAL)

    def __init__(self, *args, organisations, languages, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["event"].queryset = events
        self.fields["language"].choices = languages

    def clean(self):
        data = super().clean()
        organisation = data.get("organisation")
        if organisation is not None:
            zone = ZoneInfo(organisation.time_zone)
            for name in ("opens_at", "closes_at"):
                if data.get(name):
                    naive = (
                        timezone.make_naive(data[name])
                        if timezone.is_aware(data[name])
                        else data[name]
                    )
                    data[name] = timezone.make_aware(naive, zone)
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("The survey must close after it opens."))
        return data


class AnswerForm(forms.Form):
    """The survey's questions in the reader's language; choices are sent as their ids."""

    def __init__(self, *args, survey: Survey, language: str, schools=(), **kwargs):
        super().__init__(*args, **kwargs)
        source = survey.source_language
        for question in survey.questions.all():
            label = text_in_language(question.text, language, source_language=source)
            name = f"q{question.pk}"
            choices = [
                (str(c.pk), text_in_language(c.text, language, source_language=source))
                for c in question.choices.all()
            ]
            if question.kind == Question.Kind.SINGLE:
                field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect)
            elif question.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=choices, widget=forms.CheckboxSelectMultiple
                )
            elif question.kind == Question.Kind.SCALE:
                field = forms.ChoiceField(
                    choices=[(str(n), str(n)) for n in range(1, 6)],
                    widget=forms.RadioSelect,
                    help_text=_("1 = not at all, 5 = very much"),
                )
            elif question.kind == Question.Kind.SHORT:
                field = forms.CharField(max_length=SHORT_TEXT_MAX)
            else:
                field = forms.CharField(
                    max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
                )
            field.label = label
            field.required = question.required
            self.fields[name] = field
        if schools:
            self.fields["school"] = forms.TypedChoiceField(
                label=_("Your child's school"),
                choices=[("", "—")] + [(str(s.pk), s.name) for s in schools],
                coerce=int,
                required=False,
                empty_value=None,
            )

    def values(self) -> dict[int, object]:
        return {
            int(name[1:]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("q") and name[1:].isdigit()
        }


class ResultsFilterForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), required=False, choices=[])
    school = forms.TypedChoiceField(
        label=_("School"), required=False, coerce=int, empty_value=None, choices=[]
    )

    def __init__(self, *args, languages, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("All languages"))] + [
            (c, n) for c, n in languages
        ]
        self.fields["school"].choices = [("", _("All schools"))] + [(str(p), n) for p, n in schools]


class InviteForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Send to the families of the organisation by"),
        choices=[("sms", _("Text message")), ("email", _("Email"))],
    )


class ReplyWordForm(forms.Form):
    language = forms.CharField(label=_("Language code"), max_length=16)
    word = forms.CharField(label=_("Word"), max_length=60)
    meaning = forms.ChoiceField(label=_("Meaning"), choices=ReplyWord.Meaning.choices)


class AskByTextForm(forms.Form):
    event = forms.ModelChoiceField(label=_("Event"), queryset=None)
    kind = forms.ChoiceField(
        label=_("Question"),
        choices=[
            ("rsvp", _("Would you like to come? (to the organisation's families)")),
            ("attendance", _("Are you coming? (to those registered by text)")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events
