"""The language list is written without Django's per-option templates: the same markup."""

import re

import pytest
from django import forms
from django.utils import translation

from village.languages.forms import LanguageField, LanguageSelect


class PickForm(forms.Form):
    language = LanguageField(label="Language", initial="so")
    optional = LanguageField(label="Optional", required=False, help_text="If any")


def _options(html: str) -> list[tuple[str, str, str]]:
    return re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)


def _attributes(html: str) -> list[tuple[str, str]]:
    return sorted(re.findall(r'(\S+?)="([^"]*)"', html.split(">", 1)[0]))


@pytest.mark.parametrize("reader", ["en", "ar", "zh-hans"])
@pytest.mark.parametrize("data", [None, {"language": "so"}, {"language": '"><script>'}])
def test_the_list_is_djangos_select_markup(reader, data):
    with translation.override(reader):
        form = PickForm(data=data)
        if data:
            form.is_valid()
        for name in ("language", "optional"):
            ours = str(form[name])
            plain = forms.Select(attrs=dict(form.fields[name].widget.attrs))
            plain.choices = form.fields[name].widget.choices
            django_markup = form[name].as_widget(widget=plain)
            assert _options(ours) == _options(django_markup)
            assert _attributes(ours) == _attributes(django_markup)
            assert "<script>" not in ours


def test_labels_and_values_are_escaped():
    widget = LanguageSelect()
    widget.choices = [('x"><b>', "<i>Évé's</i>")]
    html = widget.render("pick", 'x"><b>')
    assert "<b>" not in html and "<i>" not in html
    assert (
        '<option value="x&quot;&gt;&lt;b&gt;" selected>&lt;i&gt;Évé&#x27;s&lt;/i&gt;</option>'
        in html
    )
