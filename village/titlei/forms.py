"""Staff forms for each item of evidence. They check shape (lengths, dates, numbers, files);
the services check meaning (dates within the school year, the event's owner) before any write."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from village.events.models import Event
from village.languages.forms import LanguageField, interface_language_choices
from village.languages.names import language_label
from village.titlei.sources import survey_choices

CURRENCIES = [("USD", "USD"), ("EUR", "EUR"), ("CAD", "CAD"), ("GBP", "GBP")]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label):
    return forms.DateField(label=label, widget=DATE)


class EventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, event: Event) -> str:
        from django.utils import timezone

        starts = timezone.localtime(event.starts_at)
        return f"{event} · {starts:%Y-%m-%d}"


class DocumentForm(forms.Form):
    language = LanguageField(label=_("Language of this version"))
    agreed_on = _date_field(_("Date agreed with families"))
    text = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    file = forms.FileField(
        label=_("Document (PDF or office document)"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("file") and not self.has_file:
            raise forms.ValidationError(_("Give the text, a file, or both."))
        return data

    def __init__(self, *args, has_file=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_file = has_file
        self.fields["file"].help_text = _(
            "PDF, an image or an office document, up to %(mb)s MB."
        ) % {"mb": settings.VILLAGE_UPLOAD_MAX_MB}


class EvaluationForm(forms.Form):
    held_on = _date_field(_("Date of the evaluation"))
    meeting_event = EventChoiceField(
        queryset=Event.objects.none(), required=False, label=_("Meeting with families (event)")
    )
    survey = forms.ChoiceField(label=_("Survey in Village"), required=False, choices=())
    survey_title = forms.CharField(
        label=_("Or another survey: its title"), required=False, max_length=200
    )
    survey_url = forms.URLField(
        label=_("Its address"), required=False, max_length=500, assume_scheme="https"
    )
    findings = forms.CharField(
        label=_("What families said and what will change"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, events, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting_event"].queryset = events
        self.fields["survey"].choices = [("", "—")] + [
            (value, title) for value, title, _url in survey_choices(organisation)
        ]
        if len(self.fields["survey"].choices) == 1:
            del self.fields["survey"]

    def clean(self):
        data = super().clean()
        if data.get("survey_url") and not (data.get("survey_title") or "").strip():
            self.add_error("survey_title", _("Give the survey a title."))
        linked = data.get("meeting_event") or data.get("survey") or data.get("survey_title")
        if not linked and not self.errors:
            raise forms.ValidationError(
                _("Link the meeting, the survey, or both, where families evaluated the policy.")
            )
        return data


class MeetingForm(forms.Form):
    event = EventChoiceField(queryset=Event.objects.none(), label=_("Event"))
    invitation_sent_on = forms.DateField(label=_("Invitation sent on"), required=False, widget=DATE)
    agenda = forms.CharField(
        label=_("Agenda"), max_length=50_000, widget=forms.Textarea(attrs={"rows": 6})
    )
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages offered"),
        required=False,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Left empty, the languages of the event and of the interpretation asked for are taken."
        ),
    )

    def __init__(self, *args, events, extra_languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events
        choices = interface_language_choices()
        known = {code for code, _label in choices}
        choices += [(code, language_label(code)) for code in extra_languages if code not in known]
        self.fields["languages"].choices = choices


class SetAsideForm(forms.Form):
    decided_on = _date_field(_("Date decided"))
    consultation = forms.CharField(
        label=_("How families were consulted"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    amount = forms.DecimalField(
        label=_("Amount"), min_value=0, max_digits=12, decimal_places=2, localize=True
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCIES, initial="USD")
