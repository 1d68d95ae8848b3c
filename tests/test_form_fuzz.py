"""Hostile input to every form of every app: no answer may be a 5xx.

The walk needs no list of forms. It takes every URL the resolver knows (Django's admin and the
API, which schemathesis covers in tests/api, aside), fills its parameters from the demo data,
and for each demo role and an anonymous visitor reads the page and the forms on it (their field
names, types, options and current values). Then hypothesis posts to every URL that takes a POST:
the form's own values with a few fields replaced by hostile ones (very long, empty, NUL bytes,
wrong types, huge and negative numbers, non-numeric ids, unicode edge cases, dates in year 1
and 9999), or, where no form was found, hostile values under the names views read by hand. A
new form is covered the day its page is linked into the URL configuration.

Every request runs in a savepoint that is rolled back, so each one meets the same demo data (and
a request that breaks the transaction on PostgreSQL cannot hide the next one's result). Runs on
SQLite and PostgreSQL (`DATABASE_URL`): only PostgreSQL enforces `max_length`.
`VILLAGE_FUZZ_EXAMPLES` sets the hypothesis posts per URL and role on top of the sweep (default 3).
"""

import os
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from village.orgs.models import Person

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("VILLAGE_FUZZ_EXAMPLES", "3"))
ROLES = [
    "admin@village.test",
    "state@village.test",
    "district@village.test",
    "liaison@village.test",  # (liaison2 has the same role at another school)
    "team@village.test",
    "reviewer@village.test",
    "family@village.test",
    None,  # anonymous
]
SKIPPED_NAMESPACES = {"admin", "api"}  # Django's own admin; the API has its own fuzzer
SIGN_OUT = {"orgs:logout", "families:family_sign_out"}  # would end the session mid-walk
# Names views read from request.POST without a form.
LOOSE_NAMES = [
    "action",
    "decision",
    "confirm",
    "present",
    "registration",
    "session",
    "guardian",
    "guardians",
    "guardian_ids",
    "ids",
    "id",
    "language",
    "next",
]

HOSTILE = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "0",
            "-1",
            "abc",
            "9" * 40,
            str(10**30),
            str(-(10**30)),
            "1e309",
            "NaN",
            "+",
            "12",
            "not@valid",
            "a" * 300 + "@example.org",
            "x@" + "b" * 300 + ".org",
            "0001-01-01",
            "0001-01-01T00:00",
            "1900-01-01T00:00",
            "9999-12-31T23:59",
            "2024-02-30",
            "\u202e\u0644\u0627",
            "e\u0301" * 200,
            "\ufeff",
            "０１２",
            "٣",
            "😀" * 300,
            "!!",
            "<script>alert(1)</script>",
            "%(x)s {0} %s",
            "../../etc/passwd",
        ]
    ),
    st.integers(min_value=201, max_value=12000).map(lambda n: "x" * n),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.text(
        alphabet=st.characters(exclude_categories=["Cs"]), min_size=0, max_size=40
    ),  # any unicode but lone surrogates (not encodable in a request)
)


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea", "button"
    value: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False


class FormReader(HTMLParser):
    """The POST forms of a page: where they post, and their fields."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, Field]]] = []
        self.current: dict[str, Field] | None = None
        self.select: Field | None = None
        self.textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self.current = {}
                self.forms.append((a.get("action", ""), self.current))
            return
        if tag == "option" and self.select is not None:
            self.select.options.append(a.get("value", ""))
            if "selected" in a or not self.select.value:
                self.select.value = a.get("value", "")
            return
        if self.current is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                found = self.current.setdefault(name, Field(name, kind))
                found.options.append(a.get("value", "on"))
                if "checked" in a:
                    found.value = a.get("value", "on")
            else:
                self.current[name] = Field(name, kind, a.get("value", ""))
        elif tag == "select":
            self.select = self.current[name] = Field(name, "select", multiple="multiple" in a)
        elif tag == "textarea":
            self.textarea = self.current[name] = Field(name, "textarea")
        elif tag == "button":
            found = self.current.setdefault(name, Field(name, "button"))
            found.options.append(a.get("value", ""))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


# A plausible value for a field left empty on the page, so that one hostile field at a time gets
# past the others' validation and reaches the view's deeper code.
PLAUSIBLE = {
    "email": "fuzz@example.org",
    "tel": "+16175550123",
    "number": "1",
    "date": "2031-03-04",
    "datetime-local": "2031-03-04T10:00",
    "time": "10:00",
    "url": "https://example.org/x",
    "password": "a long Fuzz passphrase 123",
}


def _plausible(f: Field) -> str | list[str]:
    if f.kind in ("checkbox",) and f.multiple:
        return f.options[:1]
    if f.kind in ("checkbox", "radio", "button"):
        return f.value or (f.options[0] if f.options else "on")
    if f.kind == "select":
        useful = [o for o in f.options if o]
        return useful[:1] if f.multiple else (f.value or (useful[0] if useful else ""))
    if f.value:
        return f.value
    name = f.name.lower()
    for hint, value in (
        ("email", PLAUSIBLE["email"]),
        ("mobile", PLAUSIBLE["tel"]),
        ("phone", PLAUSIBLE["tel"]),
        ("members", "Ana Silva, ana@example.org\nRui Silva, +16175550124"),
    ):
        if hint in name:
            return value
    return PLAUSIBLE.get(f.kind, "Fuzz text")


def _patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns in SKIPPED_NAMESPACES:
                continue
            yield from _patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def _model_for(kwarg: str):
    """The model a URL parameter names: `event_id` -> Event, `log_id` -> ContactLog, …"""
    stem = kwarg.removesuffix("_id").replace("_", "")
    aliases = {"other": "household", "log": "contactlog", "point": "contactpoint", "list": ""}
    stem = aliases.get(stem, stem)
    candidates = [
        m
        for m in apps.get_models()
        if m.__module__.startswith("village.")
        and (
            m._meta.model_name == stem
            or (kwarg == "list_id" and m._meta.model_name.endswith("list"))
            or (kwarg == "token_id" and m._meta.model_name.endswith("token"))
        )
    ]
    return candidates[0] if candidates else None


def _url_values(name: str, pattern: URLPattern) -> list[dict]:
    """Parameter sets for a URL: real ids from the demo data, and ids that exist nowhere
    (huge, for the 404 that must not be a 500)."""
    converters = pattern.pattern.converters
    if not converters:
        return [{}]
    real: dict = {}
    for kwarg, converter in converters.items():
        kind = type(converter).__name__
        if kind == "IntConverter":
            model = _model_for(kwarg)
            pk = (
                model.objects.order_by("pk").values_list("pk", flat=True).first() if model else None
            )
            real[kwarg] = pk or 1
        elif kind == "SlugConverter":
            from village.events.models import Event
            from village.orgs.models import Organisation
            from village.surveys.models import Survey

            source = (
                Event
                if name.startswith("events:")
                else Survey
                if name.startswith("surveys:")
                else Organisation
            )
            real[kwarg] = source.objects.order_by("pk").values_list("slug", flat=True).first()
        else:
            real[kwarg] = "fuzz-token"
    if "registration_id" in real and "event_id" in real:
        from village.events.models import Registration

        first = Registration.objects.order_by("pk").first()
        if first:
            real.update(event_id=first.event_id, registration_id=first.pk)
    # Ids that exist nowhere: huge numbers, and tokens whose "digits" int() refuses.
    odd = {"IntConverter": 10**30, "StringConverter": "²-" + "9" * 30}
    huge = {k: odd.get(type(c).__name__, real[k]) for k, c in converters.items()}
    return [real, huge]


def _client(email: str | None) -> Client:
    client = Client(raise_request_exception=False)
    if email:
        client.force_login(Person.objects.get(email=email))
    return client


def _request(client: Client, method: str, url: str, data=None):
    """One request inside a savepoint that is rolled back."""
    with transaction.atomic():
        response = getattr(client, method)(url, data or {})
        if response.streaming:
            b"".join(response.streaming_content)
        transaction.set_rollback(True)
    return response


def test_no_form_answers_hostile_input_with_a_server_error(settings_override):
    started = time.monotonic()
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    clients = {who: _client(who) for who in ROLES}
    targets: list[tuple[str, bool]] = []  # (url, whether its ids name real records)
    for name, pattern in _patterns():
        if name in SIGN_OUT:
            continue
        for number, kwargs in enumerate(_url_values(name, pattern)):
            try:
                targets.append((reverse(name, kwargs=kwargs), number == 0))
            except Exception:  # noqa: S112 - a parameter the demo data cannot fill
                continue
    assert len(targets) > 60, targets

    failures: list[str] = []
    # path -> the forms posting there (a page can hold several, e.g. check-in's code form and
    # its rows' forms), each kept apart so that each is posted whole.
    forms: dict[str, dict[frozenset, dict[str, Field]]] = {}
    for url, _real in targets:
        for who, client in clients.items():
            response = _request(client, "get", url)
            if response.status_code >= 500:
                failures.append(f"GET {url} as {who}: {response.status_code}")
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                # A search shows the forms that act on its results (check-in's rows, say).
                searched = _request(client, "get", url, {"q": "a"})
                for page in (response, searched):
                    if page.status_code != 200:
                        continue
                    reader = FormReader()
                    reader.feed(page.content.decode("utf-8", "replace"))
                    for action, fields in reader.forms:
                        path = urlsplit(urljoin(url, action or url)).path
                        forms.setdefault(path, {}).setdefault(frozenset(fields), fields)

    posted = 0
    for url, real in targets:
        found = list(forms.get(urlsplit(url).path, {}).values())
        for who, client in clients.items():
            probe = _request(client, "post", url)
            if probe.status_code >= 500:
                failures.append(f"POST {url} (empty) as {who}: {probe.status_code}")
            if probe.status_code == 405:
                break  # this view takes no POST, whoever asks
            # Where the role is turned away, or the ids name nothing, one hostile post says
            # the refusal holds; the examples go where forms are really processed.
            refused = probe.status_code in (403, 404) or (
                probe.status_code == 302 and "/accounts/" in probe.get("Location", "")
            )
            examples = 1 if refused or not real else EXAMPLES
            posted += _fuzz(client, url, who, found, examples, failures)
    print(  # noqa: T201 - the walk's size and cost, for `pytest -s`
        f"form fuzz: {len(targets)} URLs, {len(forms)} forms read, {posted} hostile posts, "
        f"{time.monotonic() - started:.0f} s"
    )
    assert posted > 200
    assert not failures, "\n".join(sorted(set(failures))[:60])


# Field kinds whose value is stored as text (a column with a length), and dates.
TEXT_KINDS = {"text", "textarea", "email", "tel", "url", "search", "hidden", "password", "number"}
DATE_KINDS = {"date", "datetime-local", "time"}
LONG = {"email": "a" * 300 + "@example.org", "tel": "9" * 40, "number": "9" * 40}


def _sweep(fields: dict[str, Field] | None) -> list[dict]:
    """Posts every URL gets whatever hypothesis draws, one hostile class at a time, so that no
    class depends on luck: every hand-read name at once as a word, a huge number and a digit
    int() refuses (with and without the form around them); each text field over any column's
    length while the rest of the form is valid; each date in year 1 and year 9999."""
    baseline = {f.name: _plausible(f) for f in (fields or {}).values() if f.kind != "file"}
    posts = []
    for bad in ("abc", str(10**30), "²"):
        loose = dict.fromkeys(LOOSE_NAMES, bad)
        posts.append({**baseline, **loose} if fields else loose)
    for f in (fields or {}).values():
        if f.kind in TEXT_KINDS:
            posts.append({**baseline, f.name: LONG.get(f.kind, "x" * 10_000)})
        elif f.kind in DATE_KINDS:
            for year in ("0001", "9999"):
                value = {"date": f"{year}-01-01", "time": "25:61"}.get(
                    f.kind, f"{year}-01-01T10:00"
                )
                posts.append({**baseline, f.name: value})
    return posts


def _fuzz(client, url, who, found, examples, failures) -> int:
    sent = []

    def send(values: dict, shown: dict) -> None:
        response = _request(client, "post", url, values)
        sent.append(1)
        if response.status_code >= 500:
            shown = {k: repr(v)[:60] for k, v in shown.items()}
            failures.append(f"POST {url} as {who}: {response.status_code} with {shown}")

    if examples > 1:
        for fields in [None, *found]:
            for values in _sweep(fields):
                send(values, values)

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def post(data):
        fields = data.draw(st.sampled_from(found)) if found else None
        # The form as the page fills it with a few fields made hostile; or that plus names views
        # read by hand (ids added by a picker, say); or those names alone.
        mode = data.draw(st.sampled_from(["form", "form+loose", "loose"])) if fields else "loose"
        values = {}
        if mode != "loose":
            values = {f.name: _plausible(f) for f in fields.values() if f.kind != "file"}
        names = {
            "form": sorted(fields or {}),
            "form+loose": sorted({*(fields or {}), *LOOSE_NAMES}),
            "loose": LOOSE_NAMES,
        }[mode]
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True))
        for name in chosen:
            if fields and name in fields and fields[name].kind == "file":
                values[name] = SimpleUploadedFile(
                    data.draw(st.sampled_from(["a.csv", "a.zip", "../x.csv", "a.exe"])),
                    data.draw(st.binary(max_size=2000)),
                )
            elif data.draw(st.integers(0, 5)) == 0:
                values[name] = data.draw(st.lists(HOSTILE, min_size=2, max_size=3))
            else:
                values[name] = data.draw(HOSTILE)
        send(values, {k: v for k, v in values.items() if k in chosen})

    post()
    return len(sent)


@pytest.fixture
def settings_override(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # The anonymous registration limit would answer most posts with 429; it has its own test.
    settings.VILLAGE_REGISTRATION_RATE = "100000/m"
    settings.VILLAGE_STAFF_OTP_REQUIRED = False
    return settings


def test_the_walk_reads_forms_from_pages():
    reader = FormReader()
    reader.feed(
        '<form method="post" action="/x/"><input name="a" type="email" value="v">'
        '<select name="s"><option value="1">1</option><option value="2" selected>2</option>'
        '</select><textarea name="t">hi</textarea><button name="action" value="go">Go</button>'
        '</form><form method="get"><input name="q"></form>'
    )
    ((action, fields),) = reader.forms
    assert action == "/x/"
    assert (fields["a"].kind, fields["a"].value) == ("email", "v")
    assert fields["s"].value == "2" and fields["s"].options == ["1", "2"]
    assert fields["t"].value == "hi" and fields["action"].options == ["go"]
