"""The directory's derived index: the names a household is found by (`HouseholdName`) and the
blocking keys duplicates are found by (`HouseholdMatchKey`), kept in step with every write.

Every service that changes names, students, guardians or contact points calls
`household_index_refresh` for the households it touched, in its own transaction; the roster
import calls it once for the district after its bulk writes. The refresh compares what the index
holds with what it should hold and writes only the difference, so a re-import that changes
nothing writes nothing here either. It is not audit-logged: it records nothing new, only what
the audited write that called it already changed.
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q

from village.bulk import rows_insert
from village.families.contact_values import normalise_name
from village.families.models import (
    ContactPoint,
    Guardian,
    Household,
    HouseholdMatchKey,
    HouseholdName,
    Student,
)
from village.orgs.models import Organisation

BATCH = 900  # under SQLite's limit of bound parameters per statement


def _batches(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _full_name(given: str, family: str) -> str:
    return f"{normalise_name(given)} {normalise_name(family)}".strip()


def _wanted(
    households: Q,
) -> tuple[set[tuple[int, str]], dict[tuple[int, str], str], dict[int, int]]:
    """What the index should hold for the households matching `households` (a filter on
    Household): (household, folded name) pairs, {(household, key): label}, and each live
    household's owning organisation."""
    live = Household.objects.filter(households, is_active=True, merged_into__isnull=True)
    live_ids = live.values("pk")
    names: set[tuple[int, str]] = set()
    keys: dict[tuple[int, str], str] = {}
    owner: dict[int, int] = {}
    for pk, name, organisation_id in live.values_list("pk", "name", "organisation_id").iterator(
        chunk_size=5000
    ):
        owner[pk] = organisation_id
        if text := normalise_name(name):
            names.add((pk, text))
    for household_id, given, family, display in (
        Guardian.objects.filter(household_id__in=live_ids, is_active=True)
        .values_list("household_id", "given_name", "family_name", "display_name")
        .iterator(chunk_size=5000)
    ):
        if text := _full_name(given, family):
            names.add((household_id, text))
        # The name as the family writes it ("王伟") is found too.
        if display and (text := normalise_name(display)):
            names.add((household_id, text))
    for household_id, school_id, given, family in (
        Student.objects.filter(household_id__in=live_ids, is_active=True)
        .values_list("household_id", "school_id", "given_name", "family_name")
        .iterator(chunk_size=5000)
    ):
        if text := _full_name(given, family):
            names.add((household_id, text))
            keys[(household_id, f"student:{school_id}:{text}")] = f"{given} {family}".strip()
    for household_id, channel, value in (
        ContactPoint.objects.filter(
            guardian__household_id__in=live_ids, guardian__is_active=True, is_active=True
        )
        .values_list("guardian__household_id", "channel", "value")
        .iterator(chunk_size=5000)
    ):
        # A mobile and a voice line with one number are one phone.
        kind = "email" if channel == ContactPoint.Channel.EMAIL else "phone"
        keys[(household_id, f"{kind}:{value}")] = value
    return names, keys, owner


def _refresh(households: Q, scope: Q) -> None:
    """`households` selects the households to refresh; `scope` the same as a filter on the
    index tables (through `household__`)."""
    wanted_names, wanted_keys, owner = _wanted(households)
    have_names = {
        (household_id, text): pk
        for pk, household_id, text in HouseholdName.objects.filter(scope)
        .values_list("pk", "household_id", "text")
        .iterator(chunk_size=5000)
    }
    have_keys = {
        (household_id, key): pk
        for pk, household_id, key in HouseholdMatchKey.objects.filter(scope)
        .values_list("pk", "household_id", "key")
        .iterator(chunk_size=5000)
    }
    stale_names = [pk for pair, pk in have_names.items() if pair not in wanted_names]
    for batch in _batches(stale_names):
        HouseholdName.objects.filter(pk__in=batch).delete()
    rows_insert(
        HouseholdName,
        [{"household_id": h, "text": t} for h, t in wanted_names - have_names.keys()],
    )
    stale_keys = [pair for pair in have_keys if pair not in wanted_keys]
    new_keys = [pair for pair in wanted_keys if pair not in have_keys]
    for batch in _batches([have_keys[pair] for pair in stale_keys]):
        HouseholdMatchKey.objects.filter(pk__in=batch).delete()
    rows_insert(
        HouseholdMatchKey,
        [
            {
                "household_id": h,
                "organisation_id": owner[h],
                "key": k,
                "label": wanted_keys[(h, k)][:401],
                "shared": False,
            }
            for h, k in new_keys
        ],
    )
    _mark_shared({key for _, key in stale_keys} | {key for _, key in new_keys})


def _mark_shared(keys: set[str]) -> None:
    """Set `shared` on every row of these keys: true while another household holds the key.
    Rows of other households (other districts too) are updated as well."""
    other = HouseholdMatchKey.objects.filter(key=OuterRef("key")).exclude(
        household_id=OuterRef("household_id")
    )
    for batch in _batches(sorted(keys)):
        rows = HouseholdMatchKey.objects.filter(key__in=batch)
        rows.filter(shared=False).filter(Exists(other)).update(shared=True)
        rows.filter(shared=True).exclude(Exists(other)).update(shared=False)


def household_index_refresh(*, household_ids: Iterable[int]) -> None:
    """Bring the index of these households up to date (call inside the writing transaction)."""
    ids = sorted(set(household_ids))
    for batch in _batches(ids):
        _refresh(Q(pk__in=batch), Q(household_id__in=batch))


def household_index_refresh_organisation(*, organisation: Organisation) -> None:
    """The same for every household a district owns (after a roster import's bulk writes)."""
    _refresh(Q(organisation=organisation), Q(household__organisation=organisation))
