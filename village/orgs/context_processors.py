from django.utils.functional import SimpleLazyObject

from village.orgs.permissions import is_staff_member


def staff(request):
    """`is_staff_member` for the navigation (evaluated only when a template asks)."""
    return {"is_staff_member": SimpleLazyObject(lambda: is_staff_member(request.user))}
