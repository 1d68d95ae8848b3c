from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from village.events.models import Event, Registration, Session
from village.events.services import Answers, Registrant
from village.families.contact_values import normalise_email, normalise_phone
from village.languages.catalog import INTERFACE_LANGUAGES
from village.languages.content import text_in_language
from village.languages.forms import interface_language_choices
from village.languages.names import language_label
from village.orgs.models import Organisation


def _districts():
    return Organisation.objects.filter(
        kind__in=[Organisation.Kind.DISTRICT, Organisation.Kind.CHARTER]
    ).order_by("name")


def _phone_or_error(text: str) -> str:
    """A typed mobile number as E.164 (the one normaliser, so it matches itself everywhere),
    or a form error; empty stays empty."""
    if not (text or "").strip():
        return ""
    try:
        return normalise_phone(text)
    except ValueError:
        raise forms.ValidationError(
            _("“%(value)s” is not a phone number.") % {"value": text[:40]}, code="phone"
        ) from None


# How far from today an event's or session's times may be: editing last year's event works, a
# typo'd year 0001 or 9999 (which no time zone conversion survives) is refused.
YEARS_OF_REACH = 10


def _check_reach(form: forms.Form, data: dict, names: tuple[str, ...]) -> None:
    now = timezone.now()
    reach = timedelta(days=365 * YEARS_OF_REACH)
    for name in names:
        value = data.get(name)
        if value is not None and not (now - reach <= value <= now + reach):
            form.add_error(
                name,
                _("Choose a time within %(years)s years of today.") % {"years": YEARS_OF_REACH},
            )


class CalendarFilterForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("For"), required=False, choices=[("", _("Everyone"))] + Event.Audience.choices[:2]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds"))] + Event.Kind.choices
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=lambda: [("", _("Any language")), *interface_language_choices()],
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        required=False,
        queryset=_districts(),
        empty_label=_("All districts"),
        to_field_name="slug",
    )
    format = forms.ChoiceField(
        label=_("Where"),
        required=False,
        choices=[
            ("", _("Online or in person")),
            ("online", _("Online")),
            ("in_person", _("In person")),
        ],
    )
    starting = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class RegistrationForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Email"), required=False, max_length=254)
    mobile = forms.CharField(label=_("Mobile number"), max_length=32, required=False)
    language = forms.ChoiceField(label=_("Language for messages"))
    district = forms.ModelChoiceField(
        label=_("District"),
        required=False,
        queryset=_districts(),
        empty_label="—",
        to_field_name="slug",
    )

    def __init__(self, *args, event: Event, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["language"].initial = language
        self.fields["language"].choices = interface_language_choices()
        self.fields["district"].queryset = _districts()
        self.slot_fields: list[str] = []
        sessions = list(event.sessions.all())
        slots = {s.time_slot_id: s.time_slot for s in sessions if s.time_slot_id}
        for slot in sorted(slots.values(), key=lambda slot: (slot.starts_at, slot.pk)):
            choices = [("", _("No workshop in this slot"))] + [
                (
                    str(s.pk),
                    text_in_language(s.title, language, source_language=event.source_language),
                )
                for s in sessions
                if s.time_slot_id == slot.pk
            ]
            name = f"slot_{slot.pk}"
            self.fields[name] = forms.ChoiceField(
                label=text_in_language(slot.label, language)
                or timezone.localtime(slot.starts_at).strftime("%H:%M"),
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.slot_fields.append(name)
        if event.asks_interpretation and event.interpretation_offered:
            self.fields["interpretation_language"] = forms.ChoiceField(
                label=_("I need interpretation into"),
                required=False,
                choices=[("", _("No interpretation needed"))] + interface_language_choices(),
            )
        if event.asks_access_needs:
            self.fields["access_needs"] = forms.CharField(
                label=_("Access needs"),
                required=False,
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        if event.asks_childcare:
            self.fields["childcare"] = forms.IntegerField(
                label=_("Children who need childcare"),
                required=False,
                min_value=0,
                max_value=20,
            )
        if event.asks_dietary:
            self.fields["dietary"] = forms.CharField(
                label=_("Dietary needs"), required=False, max_length=300
            )

    def clean_mobile(self) -> str:
        return _phone_or_error(self.cleaned_data["mobile"])

    def clean(self):
        data = super().clean()
        if not data.get("email") and not (data.get("mobile") or "").strip():
            raise forms.ValidationError(_("Please give an email address or a mobile number."))
        return data

    def registrant(self) -> Registrant:
        d = self.cleaned_data
        return Registrant(
            full_name=d["full_name"],
            email=d.get("email") or "",
            mobile=d.get("mobile") or "",
            language=d["language"],
            district=d.get("district"),
        )

    def session_ids(self) -> list[int]:
        return [
            int(self.cleaned_data[name]) for name in self.slot_fields if self.cleaned_data.get(name)
        ]

    def workshops_mark(self, seats_left: dict[int, int | None]) -> None:
        """Say beside each workshop how many seats are left, and which ones are full (a
        family choosing it joins its waiting list), before anyone submits."""
        for name in self.slot_fields:
            field = self.fields[name]
            marked = []
            for value, label in field.choices:
                left = seats_left.get(int(value)) if value else None
                if left == 0:
                    label = _("%(workshop)s (full: you will join the waiting list)") % {
                        "workshop": label
                    }
                elif left is not None:
                    label = ngettext(
                        "%(workshop)s (%(count)s seat left)",
                        "%(workshop)s (%(count)s seats left)",
                        left,
                    ) % {"workshop": label, "count": left}
                marked.append((value, label))
            field.choices = marked

    def answers(self) -> Answers:
        d = self.cleaned_data
        return Answers(
            interpretation_language=d.get("interpretation_language") or "",
            access_needs=d.get("access_needs") or "",
            childcare=d.get("childcare") or 0,
            dietary=d.get("dietary") or "",
        )


class TeamForm(RegistrationForm):
    members = forms.CharField(
        label=_("Team members"),
        help_text=_("One person a line: name, then email or mobile number, separated by a comma."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean_members(self) -> list[Registrant]:
        people = []
        lines = [line for line in self.cleaned_data["members"].splitlines() if line.strip()]
        if len(lines) > settings.VILLAGE_TEAM_MAX_MEMBERS:
            raise forms.ValidationError(
                _("A team can have at most %(limit)s members.")
                % {"limit": settings.VILLAGE_TEAM_MAX_MEMBERS}
            )
        for number, line in enumerate(self.cleaned_data["members"].splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, contact = (part.strip() for part in line.partition(","))
            if not name or not contact:
                raise forms.ValidationError(
                    _("Line %(number)s needs a name and an email or mobile number.")
                    % {"number": number}
                )
            # The limits of the registration's own fields (PostgreSQL would refuse longer).
            if len(name) > Registration._meta.get_field("full_name").max_length:
                raise forms.ValidationError(
                    _("Line %(number)s: the name is too long.") % {"number": number}
                )
            try:
                if "@" in contact:
                    email, mobile = normalise_email(contact), ""
                    if len(email) > Registration._meta.get_field("email").max_length:
                        raise ValueError(email)
                else:
                    email, mobile = "", normalise_phone(contact)
            except ValueError:
                raise forms.ValidationError(
                    _("Line %(number)s: “%(contact)s” is not an email address or a mobile number.")
                    % {"number": number, "contact": contact[:60]}
                ) from None
            people.append(
                Registrant(
                    full_name=name,
                    email=email,
                    mobile=mobile,
                    language=self.data.get("language") or "en",
                )
            )
        if not people:
            raise forms.ValidationError(_("Please list at least one team member."))
        return people


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False, max_length=100)


class CheckInForm(forms.Form):
    """A code typed at the door, or read from the registrant's QR code by the camera."""

    code = forms.CharField(label=_("Code"), max_length=40)
    session = forms.TypedChoiceField(
        label=_("Session"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.sessions = {s.pk: s for s in sessions}
        self.fields["session"].choices = [("", _("Their session now or next"))] + [
            (s.pk, text_in_language(s.title) or str(s)) for s in sessions
        ]
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        )

    def chosen_session(self):
        return self.sessions.get(self.cleaned_data.get("session"))


class EventForm(forms.ModelForm):
    """The event's details; title and description are edited in its source language (texts in
    other languages are kept as they are)."""

    title_text = forms.CharField(label=_("Title"), max_length=200)
    description_text = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    source_language = forms.ChoiceField(label=_("Written in"), choices=interface_language_choices)
    languages = forms.MultipleChoiceField(
        label=_("Held in"), choices=interface_language_choices, widget=forms.CheckboxSelectMultiple
    )
    join_link = forms.URLField(
        label=_("Link to join online"), required=False, assume_scheme="https"
    )
    survey_url = forms.URLField(
        label=_("Evaluation survey link"), required=False, assume_scheme="https"
    )

    class Meta:
        model = Event
        fields = [
            "organisation",
            "slug",
            "kind",
            "audience",
            "format",
            "source_language",
            "languages",
            "interpretation_offered",
            "address",
            "join_link",
            "starts_at",
            "ends_at",
            "registration_closes_at",
            "capacity",
            "asks_interpretation",
            "asks_access_needs",
            "asks_childcare",
            "asks_dietary",
            "pd_hours",
            "completion_min_sessions",
            "survey_url",
            "is_published",
        ]
        widgets = {
            name: forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
            for name in ("starts_at", "ends_at", "registration_closes_at")
        }
        labels = {
            "organisation": _("Organisation"),
            "slug": _("Short name in addresses"),
            "kind": _("Kind"),
            "audience": _("For"),
            "format": _("Where"),
            "interpretation_offered": _("Interpretation offered"),
            "address": _("Address"),
            "starts_at": _("Starts"),
            "ends_at": _("Ends"),
            "registration_closes_at": _("Registration closes"),
            "capacity": _("Seats (empty: no limit)"),
            "asks_interpretation": _("Ask about interpretation"),
            "asks_access_needs": _("Ask about access needs"),
            "asks_childcare": _("Ask about childcare"),
            "asks_dietary": _("Ask about dietary needs"),
            "pd_hours": _("Professional development hours"),
            "completion_min_sessions": _("Sessions needed to complete (empty: all)"),
            "is_published": _("Published"),
        }

    # As staff think of an event: what, when, where, who, seats; then the finer points.
    field_order = [
        "title_text",
        "description_text",
        "kind",
        "source_language",
        "starts_at",
        "ends_at",
        "registration_closes_at",
        "format",
        "address",
        "join_link",
        "organisation",
        "audience",
        "languages",
        "interpretation_offered",
        "capacity",
        "asks_interpretation",
        "asks_access_needs",
        "asks_childcare",
        "asks_dietary",
        "pd_hours",
        "completion_min_sessions",
        "survey_url",
        "slug",
        "is_published",
    ]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if not self.instance.pk:
            # A new event: written and held in the language its author works in, at the one
            # organisation they can hold it at when there is only one.
            here = get_language()
            self.fields["source_language"].initial = here
            self.fields["languages"].initial = [here]
            if len(organisations) == 1:
                self.fields["organisation"].initial = organisations[0].pk
        if self.instance.pk:
            language = self.instance.source_language
            self.fields["title_text"].initial = self.instance.title.get(language, "")
            self.fields["description_text"].initial = self.instance.description.get(language, "")

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The end must be after the start."))
        _check_reach(self, data, ("starts_at", "ends_at", "registration_closes_at"))
        return data

    def save(self, commit=True):
        event = super().save(commit=False)
        language = self.cleaned_data["source_language"]
        event.title = {**event.title, language: self.cleaned_data["title_text"]}
        event.description = {**event.description, language: self.cleaned_data["description_text"]}
        if commit:
            event.save()
        return event


class SessionForm(forms.ModelForm):
    title_text = forms.CharField(label=_("Title"), max_length=200)
    # Ticked by default (for conferences: see the view): an unticked workshop cannot be chosen.
    workshop = forms.BooleanField(
        label=_("Workshop: registrants choose one per time slot"), required=False, initial=True
    )
    field_order = [
        "title_text",
        "starts_at",
        "ends_at",
        "room",
        "presenters",
        "strand",
        "workshop",
        "capacity",
    ]

    class Meta:
        model = Session
        fields = ["starts_at", "ends_at", "room", "strand", "presenters", "capacity"]
        widgets = {
            name: forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
            for name in ("starts_at", "ends_at")
        }
        labels = {
            "starts_at": _("Starts"),
            "ends_at": _("Ends"),
            "room": _("Room"),
            "strand": _("Strand"),
            "presenters": _("Presenters"),
            "capacity": _("Seats (empty: no limit)"),
        }

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The end must be after the start."))
        _check_reach(self, data, ("starts_at", "ends_at"))
        return data


class EventTranslationsForm(forms.Form):
    """The title and description in every interface language, for families who read them."""

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        for code, _name in INTERFACE_LANGUAGES:
            name = language_label(code)
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": name},
                required=False,
                max_length=200,
                initial=event.title.get(code, ""),
            )
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("Description (%(language)s)") % {"language": name},
                required=False,
                initial=event.description.get(code, ""),
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def clean(self):
        data = super().clean()
        if not data.get(f"title_{self.event.source_language}"):
            raise forms.ValidationError(_("The title in the language it was written in is needed."))
        return data

    def texts(self, prefix: str) -> dict[str, str]:
        return {
            code: self.cleaned_data[f"{prefix}_{code}"].strip()
            for code, _name in INTERFACE_LANGUAGES
            if self.cleaned_data.get(f"{prefix}_{code}", "").strip()
        }


class LinksRequestForm(forms.Form):
    """A family asks for its links again: one address, email or mobile."""

    address = forms.CharField(
        label=_("Your email address or mobile number"),
        help_text=_("The one you gave when you registered, or the one your school has."),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "email"}),
    )


class StaffRegistrationForm(RegistrationForm):
    """Staff registering someone else: the form speaks about that person, not "you"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].label = _("Name")
        self.fields["language"].label = _("Their language for messages")
