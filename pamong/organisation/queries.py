"""Who may see which organisation and people records. Views never filter by permission themselves."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from pamong.organisation.models import OPD, OPD_SCOPED_ROLES, Employee, Kelurahan, Role, User

# Roles that see the whole workforce of the city.
CITYWIDE_PEOPLE_ROLES = frozenset({Role.WALI_KOTA, Role.SEKDA, Role.INSPEKTORAT, Role.BKPSDM})
# Roles that may change any employee record; OPD heads and operators may change their own OPD's.
CITYWIDE_PEOPLE_EDITORS = frozenset({Role.BKPSDM})


def _is_staff_user(user: object) -> bool:
    return isinstance(user, User) and user.is_authenticated and user.is_active


def employees_visible_to(user: object) -> QuerySet[Employee]:
    base = Employee.objects.select_related("opd", "position", "unit")
    if not _is_staff_user(user):
        return base.none()
    assert isinstance(user, User)
    if user.has_role(*CITYWIDE_PEOPLE_ROLES):
        return base
    scope = Q(opd_id__in=user.opd_ids_for(OPD_SCOPED_ROLES))
    if user.employee_id is not None:
        scope |= Q(pk=user.employee_id)
    return base.filter(scope)


def opds_for_employee_filter(user: object) -> QuerySet[OPD]:
    """The OPD a user can filter the employee list by: all for citywide roles, else their own."""
    if not _is_staff_user(user):
        return OPD.objects.none()
    assert isinstance(user, User)
    if user.has_role(*CITYWIDE_PEOPLE_ROLES):
        return OPD.objects.filter(is_active=True)
    ids = user.opd_ids_for(OPD_SCOPED_ROLES)
    if user.employee_id is not None:
        ids |= set(Employee.objects.filter(pk=user.employee_id).values_list("opd_id", flat=True))
    return OPD.objects.filter(pk__in=ids)


def sees_several_opds(user: object) -> bool:
    """Whether the employee list spans more than one OPD for this user (answered without a query)."""
    if not _is_staff_user(user):
        return False
    assert isinstance(user, User)
    return user.has_role(*CITYWIDE_PEOPLE_ROLES) or len(user.opd_ids_for(OPD_SCOPED_ROLES)) > 1


def get_employee_for(user: object, pk: int) -> Employee:
    """The employee, or 404 both when it does not exist and when the user may not see it."""
    try:
        return employees_visible_to(user).get(pk=pk)
    except (Employee.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def opds_where_user_edits_people(user: object) -> QuerySet[OPD]:
    if not _is_staff_user(user):
        return OPD.objects.none()
    assert isinstance(user, User)
    if user.has_role(*CITYWIDE_PEOPLE_EDITORS):
        return OPD.objects.filter(is_active=True)
    return OPD.objects.filter(pk__in=user.opd_ids_for(OPD_SCOPED_ROLES), is_active=True)


def can_edit_people(user: object) -> bool:
    return opds_where_user_edits_people(user).exists()


def get_employee_editable_by(user: object, pk: int) -> Employee:
    """The employee if the user may change it; 404 otherwise (never 403, so nothing is probed)."""
    employee = get_employee_for(user, pk)
    if not opds_where_user_edits_people(user).filter(pk=employee.opd_id).exists():
        raise Http404
    return employee


def opds_with_counts() -> QuerySet[OPD]:
    """OPD with their active headcount; the list of agencies itself is public information."""
    active = Q(employees__status__in=list(Employee.ACTIVE_STATUSES))
    return OPD.objects.filter(is_active=True).annotate(headcount=Count("employees", filter=active))


def kelurahan_list() -> QuerySet[Kelurahan]:
    return Kelurahan.objects.select_related("kecamatan").order_by("code")
