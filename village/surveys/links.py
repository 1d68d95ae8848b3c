"""Links to a survey: the public one (anyone may answer an anonymous survey) and one per
recipient, signed, so an identified answer needs no login. A signed link names the survey and
the guardian ("g") or the event registration ("r") it was sent to; nobody can make another
family's link without the site's secret."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from village.ids import id_or_none

SALT = "village.surveys.respondent"
KINDS = {"g": "guardian", "r": "registration"}


@dataclass(frozen=True)
class Respondent:
    kind: str  # "guardian" or "registration"
    id: int

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


def _signature(survey_id: int, letter: str, number: int) -> str:
    return salted_hmac(SALT, f"{survey_id}:{letter}{number}").hexdigest()[:20]


def respondent_token(*, survey_id: int, respondent: Respondent) -> str:
    letter = next(k for k, v in KINDS.items() if v == respondent.kind)
    return f"{letter}{respondent.id}-{_signature(survey_id, letter, respondent.id)}"


def respondent_from_token(*, survey_id: int, token: str) -> Respondent | None:
    head, _, signature = (token or "").partition("-")
    letter, number = head[:1], id_or_none(head[1:])
    if letter not in KINDS or number is None:
        return None
    if not constant_time_compare(_signature(survey_id, letter, number), signature):
        return None
    return Respondent(kind=KINDS[letter], id=number)


def survey_url(survey, respondent: Respondent | None = None) -> str:
    """The full address (with the site's origin) of the survey, signed for `respondent`."""
    if respondent is None:
        path = reverse("surveys:answer", args=[survey.slug])
    else:
        token = respondent_token(survey_id=survey.pk, respondent=respondent)
        path = reverse("surveys:answer_signed", args=[survey.slug, token])
    return settings.SITE_URL.rstrip("/") + path
