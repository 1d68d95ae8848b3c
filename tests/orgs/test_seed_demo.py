import pytest
from django.core.management import call_command

from village.orgs.models import AuditEvent, Membership, Organisation, Person
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db


def counts():
    return (Organisation.objects.count(), Person.objects.count(), Membership.objects.count())


def test_seed_demo_is_idempotent_and_has_one_login_per_role():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == first
    assert Organisation.objects.filter(kind="district").count() >= 11
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    lowell = Organisation.objects.get(slug="lowell")
    assert lowell.children.count() >= 3
    assert Person.objects.get(email="liaison@village.test").check_password("village-demo-2026")
    assert AuditEvent.objects.filter(object_type="orgs.membership").count() == first[2]
