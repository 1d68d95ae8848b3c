from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from village.insights.services import month_first

# The longest range a dashboard adds up (its month rows keep even this quick).
MAX_RANGE_DAYS = 3 * 366


def default_range(today: date | None = None) -> tuple[date, date]:
    """The last twelve months: from the first day of the month eleven months ago to today."""
    today = today or timezone.localdate()
    start = month_first(today)
    for _month in range(11):
        start = month_first(start - timedelta(days=1))
    return start, today


class DashboardForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.slug, o.name) for o in organisations]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        default_start, default_end = default_range()
        start, end = start or default_start, end or default_end
        if start > end:
            raise forms.ValidationError(_("The range must start before it ends."))
        if (end - start).days > MAX_RANGE_DAYS:
            raise forms.ValidationError(_("Choose a range of at most three years."))
        data["start"], data["end"] = start, end
        return data


class FamiliesForm(forms.Form):
    """The drill-down's query: who is behind one flagged number."""

    organisation = forms.SlugField(max_length=80)
    language = forms.RegexField(regex=r"^[a-z]{2,3}(-[a-z0-9]{1,8})*$", max_length=35)
    kind = forms.RegexField(regex=r"^[a-z_]+(\.[a-z_]+)?$", max_length=40)
    month = forms.RegexField(regex=r"^\d{4}-(0[1-9]|1[0-2])$", max_length=7)

    def clean_month(self) -> date:
        year, month = self.cleaned_data["month"].split("-")
        try:
            return date(int(year), int(month), 1)
        except ValueError as error:
            raise forms.ValidationError(_("Enter a month.")) from error
