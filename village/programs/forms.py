from django import forms
from django.utils.translation import gettext_lazy as _

from village.languages.catalog import INTERFACE_LANGUAGES
from village.languages.content import text_in_language
from village.orgs.models import Organisation
from village.programs.models import Application, OutcomeRating, Program, Question

INT_LIMIT = 10**9


def _label(question: Question) -> str:
    return text_in_language(question.label)


class ApplicationForm(forms.Form):
    """The program's text, choice and number questions; files and the team have their own forms."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=INT_LIMIT)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = []
        for question in program.questions.all():
            name = f"q{question.pk}"
            help_text = text_in_language(question.help)
            if question.kind == Question.Kind.SHORT:
                field = forms.CharField(max_length=300, required=False)
            elif question.kind == Question.Kind.LONG:
                field = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=20000
                )
                if question.word_limit:
                    help_text = " ".join(
                        part
                        for part in (
                            help_text,
                            str(_("At most %(limit)s words.") % {"limit": question.word_limit}),
                        )
                        if part
                    )
            elif question.kind == Question.Kind.CHOICE:
                field = forms.ChoiceField(
                    required=False,
                    choices=[("", "—")]
                    + [
                        (c.get("value"), text_in_language(c.get("label"))) for c in question.choices
                    ],
                )
            elif question.kind == Question.Kind.NUMBER:
                field = forms.IntegerField(
                    required=False, min_value=-INT_LIMIT, max_value=INT_LIMIT
                )
            else:
                continue
            field.label = _label(question) + (" *" if question.required else "")
            field.help_text = help_text
            self.fields[name] = field
            self.questions.append((name, question))

    def answers(self) -> dict:
        return {
            str(question.pk): self.cleaned_data.get(name)
            for name, question in self.questions
            if self.cleaned_data.get(name) not in (None, "")
        }


class TeamMemberForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.CharField(label=_("Role on the team"), max_length=120)
    email = forms.EmailField(label=_("Email (optional)"), required=False, max_length=254)


class UploadForm(forms.Form):
    question = forms.TypedChoiceField(label=_("Question"), coerce=int)
    upload = forms.FileField(label=_("File"))

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [
            (q.pk, _label(q)) for q in program.questions.all() if q.kind == Question.Kind.FILE
        ]


class StartForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Apply for"), coerce=int)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]


class ScoreForm(forms.Form):
    def __init__(self, *args, criteria, scores, **kwargs):
        super().__init__(*args, **kwargs)
        given = {s.criterion_id: s for s in scores}
        self.criteria = criteria
        for criterion in criteria:
            existing = given.get(criterion.pk)
            self.fields[f"points_{criterion.pk}"] = forms.IntegerField(
                label=_("%(criterion)s: points (0 to %(max)s)")
                % {"criterion": text_in_language(criterion.label), "max": criterion.max_points},
                help_text=text_in_language(criterion.guidance),
                required=False,
                min_value=-INT_LIMIT,
                max_value=INT_LIMIT,
                initial=existing.points if existing else None,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=existing.comment if existing else "",
            )

    def scores(self) -> dict:
        return {
            c.pk: (
                self.cleaned_data.get(f"points_{c.pk}"),
                self.cleaned_data.get(f"comment_{c.pk}") or "",
            )
            for c in self.criteria
        }


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("What is the conflict?"), max_length=300)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Application.Decision.choices)
    reason = forms.CharField(
        label=_("Reason (needed before all reviews are in)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssignForm(forms.Form):
    reviewer = forms.TypedChoiceField(label=_("Reviewer"), coerce=int)

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [(r.pk, r.full_name or r.email) for r in reviewers]


class CohortForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))
    join_link = forms.URLField(
        label=_("Online link"), required=False, max_length=200, assume_scheme="https"
    )


class MilestoneForm(forms.Form):
    member = forms.TypedChoiceField(label=_("Team"), coerce=int)
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.pk, m.organisation.name) for m in members]


class NoteForm(MilestoneForm):
    title = None
    due_on = None
    body = forms.CharField(
        label=_("Coach note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RatingForm(forms.Form):
    member = forms.TypedChoiceField(label=_("Team"), coerce=int)
    measure = forms.ChoiceField(label=_("Measure"))
    phase = forms.ChoiceField(label=_("When"), choices=OutcomeRating.Phase.choices)
    rating = forms.IntegerField(label=_("Rating (1 to 5)"), min_value=1, max_value=5)

    def __init__(self, *args, members, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.pk, m.organisation.name) for m in members]
        self.fields["measure"].choices = [(m, m) for m in measures]


class ModuleForm(forms.Form):
    registration = forms.IntegerField(min_value=1, max_value=INT_LIMIT)
    module = forms.IntegerField(min_value=1, max_value=100)
    done = forms.BooleanField(required=False)


class ProgramForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Run by"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind of program"), choices=Program.Kind.choices)
    language = forms.ChoiceField(label=_("Language of this version"), choices=INTERFACE_LANGUAGES)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Who may apply"),
        choices=[
            ("district", Organisation.Kind.DISTRICT.label),
            ("charter", Organisation.Kind.CHARTER.label),
            ("school", Organisation.Kind.SCHOOL.label),
        ],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]


class TextsForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of this version"), choices=INTERFACE_LANGUAGES)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class WindowForm(forms.Form):
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))
    due_time = forms.TimeField(
        label=_("Due at (state time)"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    late_policy = forms.ChoiceField(
        label=_("Late applications"), choices=Program.LatePolicy.choices
    )
    grace_minutes = forms.IntegerField(
        label=_("Grace period (minutes)"), required=False, min_value=0, max_value=60 * 24 * 14
    )

    def clean(self):
        data = super().clean()
        for name in ("opens_on", "due_on"):
            day = data.get(name)
            if day is not None and not 2000 <= day.year <= 2100:
                self.add_error(name, _("Give a year between 2000 and 2100."))
        return data


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=Question.Kind.choices)
    language = forms.ChoiceField(label=_("Language of this version"), choices=INTERFACE_LANGUAGES)
    label = forms.CharField(label=_("Question"), max_length=500)
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)
    word_limit = forms.IntegerField(
        label=_("Word limit (long answers)"), required=False, min_value=1, max_value=20000
    )
    choices = forms.CharField(
        label=_("Options (choices), one per line"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    min_value = forms.IntegerField(
        label=_("Smallest number"), required=False, min_value=-INT_LIMIT, max_value=INT_LIMIT
    )
    max_value = forms.IntegerField(
        label=_("Largest number"), required=False, min_value=-INT_LIMIT, max_value=INT_LIMIT
    )


class CriterionForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of this version"), choices=INTERFACE_LANGUAGES)
    label = forms.CharField(label=_("Criterion"), max_length=300)
    guidance = forms.CharField(
        label=_("Guidance for reviewers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    max_points = forms.IntegerField(label=_("Points"), min_value=1, max_value=100)
