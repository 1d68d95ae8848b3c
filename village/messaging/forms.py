import uuid
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from village.families.forms import LanguageField
from village.families.roster.records import grade_code
from village.messaging.models import Category, Channel

AUDIENCE_KINDS = [
    ("organisations", _("Families of the school, or some grades")),
    ("event", _("Registrants of an event")),
    ("list", _("A saved list")),
    ("guardians", _("Guardians I choose")),
    ("staff", _("Staff of the organisation and of those under it")),
]
REGISTRANTS = [
    ("seat", _("Everyone with a seat")),
    ("confirmed", _("Confirmed only")),
    ("all", _("Also the waitlist")),
]


class ComposeForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Send for"), empty_label=None)
    audience_kind = forms.ChoiceField(
        label=_("Who receives it"),
        choices=AUDIENCE_KINDS,
        initial="organisations",
        required=False,
        widget=forms.RadioSelect,
    )
    # Filled from the audience registry (the events app offers its events).
    event = forms.ModelChoiceField(queryset=None, label=_("Event"), required=False)
    registrants = forms.ChoiceField(
        label=_("Which registrants"), choices=REGISTRANTS, initial="seat", required=False
    )
    guardian_list = forms.ModelChoiceField(queryset=None, label=_("Saved list"), required=False)
    grades = forms.CharField(
        label=_("Only these grades"),
        required=False,
        help_text=_("Grade codes separated by commas, e.g. KG, 01, 02. Empty: every grade."),
    )
    source_language = LanguageField(label=_("Written in (language code)"), initial="en")
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Placeholders: {guardian_name}, {student_name}, {school_name}."),
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=Category.choices, initial=Category.GENERAL
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=Channel.choices,
        initial=[Channel.EMAIL, Channel.SMS],
        widget=forms.CheckboxSelectMultiple,
    )
    one_per_household = forms.BooleanField(
        label=_("One message per household"), required=False, initial=True
    )
    digest_ok = forms.BooleanField(
        label=_("May wait for the daily digest"),
        required=False,
        help_text=_(
            "Families who asked for one message a day get it in their digest. "
            "General messages only."
        ),
    )
    scheduled_for = forms.DateTimeField(
        label=_("Send at (leave empty to send when you press Send)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args, organisations, events, lists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if events is not None:
            self.fields["event"].queryset = events
        self.fields["guardian_list"].queryset = lists

    def clean_audience_kind(self):
        return self.cleaned_data["audience_kind"] or "organisations"

    def clean(self):
        data = super().clean()
        kind = data.get("audience_kind")
        if kind == "event" and not data.get("event"):
            self.add_error("event", _("Choose an event."))
        if kind == "list" and not data.get("guardian_list"):
            self.add_error("guardian_list", _("Choose a list."))
        if data.get("digest_ok") and data.get("category") != Category.GENERAL:
            self.add_error("digest_ok", _("Only general messages may wait for the daily digest."))
        return data

    def clean_grades(self):
        # As the roster stores them: "3" is grade 03.
        grades = [g.strip() for g in self.cleaned_data["grades"].split(",") if g.strip()]
        unknown = [g for g in grades if grade_code(g) is None]
        if unknown:
            raise forms.ValidationError(
                _("“%(value)s” is not a grade (use the OneRoster codes: PK, KG, 01 to 13).")
                % {"value": unknown[0][:20]}
            )
        return [grade_code(g) for g in grades]

    def clean_scheduled_for(self):
        # A time already gone (1900, or a typo) would send at once; a year ahead is plenty.
        value = self.cleaned_data["scheduled_for"]
        now = timezone.now()
        if value is not None and not (
            now - timedelta(minutes=5) <= value <= now + timedelta(days=366)
        ):
            raise forms.ValidationError(_("Choose a time from now to a year ahead."))
        return value


class VersionForm(forms.Form):
    language = LanguageField(label=_("Language code"))
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}))


class LanguageForm(forms.Form):
    language = LanguageField(label=_("Language code"))


class TemplateVersionForm(forms.Form):
    template = forms.ModelChoiceField(queryset=None, label=_("Template"))
    language = LanguageField(label=_("Language code"))

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates


class SendForm(forms.Form):
    fallback_language = forms.ChoiceField(
        label=_("Families whose language has no version get"),
        required=False,
    )

    def __init__(self, *args, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fallback_language"].choices = [("", _("nothing: do not send yet"))] + [
            (code, code) for code in languages
        ]


class TemplateForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"), empty_label=None)
    name = forms.CharField(label=_("Name"), max_length=200)
    language = LanguageField(label=_("Language code"), initial="en")
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class GuardianListForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"), empty_label=None)
    name = forms.CharField(label=_("Name"), max_length=200)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class TemplateEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    language = LanguageField(label=_("Language code"))
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Placeholders: {guardian_name}, {student_name}, {school_name}."),
    )


class QuietHoursForm(forms.Form):
    starts = forms.TimeField(
        label=capfirst(_("quiet from")),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    ends = forms.TimeField(
        label=capfirst(_("quiet until")),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )


class OrganisationChoiceForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"), empty_label=None)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class RenameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)


class AnswerForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}))
    # A double click posts twice: the same submission sends one answer.
    submission = forms.CharField(widget=forms.HiddenInput, required=False, max_length=36)
    language = LanguageField(label=_("Written in (language code)"))
    translation = forms.CharField(
        label=_("Machine translated, needs review"),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, translated: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].initial = uuid.uuid4().hex
        if translated:
            self.fields["translation"].widget = forms.Textarea(attrs={"rows": 4})
