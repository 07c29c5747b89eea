"""Who may see and do what in a declaration campaign, and the counts the assembly screen shows."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from pamong.neutrality.models import Campaign, Signature
from pamong.organisation.models import OPD, OPD_SCOPED_ROLES, Employee, Role, User

MANAGER_ROLES = frozenset({Role.BKPSDM, Role.SEKDA})
CITYWIDE_FOLLOW_UP = frozenset({Role.WALI_KOTA, Role.SEKDA, Role.BKPSDM, Role.INSPEKTORAT})


def _staff(user: object) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated and user.is_active else None


def can_manage_campaigns(user: object) -> bool:
    staff = _staff(user)
    return staff is not None and staff.has_role(*MANAGER_ROLES)


def get_campaign(slug: str) -> Campaign:
    """Campaigns are public (their text is what everyone signs); 404 for an unknown one."""
    try:
        return Campaign.objects.get(slug=slug)
    except Campaign.DoesNotExist:
        raise Http404 from None


def eligible_employees(campaign: Campaign) -> QuerySet[Employee]:
    rows = Employee.objects.filter(kind__in=campaign.eligible_kinds, status__in=list(Employee.ACTIVE_STATUSES))
    opd_ids = list(campaign.eligible_opds.values_list("pk", flat=True))
    if opd_ids:
        rows = rows.filter(opd_id__in=opd_ids)
    return rows


def signed_employee_ids(campaign: Campaign) -> QuerySet[Signature, Any]:
    return Signature.objects.filter(campaign=campaign, employee__isnull=False).values("employee_id")


def progress(campaign: Campaign) -> dict[str, Any]:
    """Eligible and signed, overall, per OPD and per status: three grouped queries, whatever the size."""
    eligible = eligible_employees(campaign)
    signed = Q(pk__in=signed_employee_ids(campaign))
    by_opd = (
        eligible.values("opd_id", "opd__name", "opd__abbreviation")
        .annotate(eligible=Count("pk"), signed=Count("pk", filter=signed))
        .order_by("opd__name")
    )
    by_kind = eligible.values("kind").annotate(eligible=Count("pk"), signed=Count("pk", filter=signed)).order_by("kind")
    opds = [
        {
            "opd_id": row["opd_id"],
            "name": row["opd__name"],
            "abbreviation": row["opd__abbreviation"] or row["opd__name"],
            "eligible": row["eligible"],
            "signed": row["signed"],
        }
        for row in by_opd
    ]
    total_eligible = sum(row["eligible"] for row in opds)
    total_signed = sum(row["signed"] for row in opds)
    return {
        "eligible": total_eligible,
        "signed": total_signed,
        "percent": round(100 * total_signed / total_eligible, 1) if total_eligible else 0.0,
        "by_opd": opds,
        "by_kind": [{"kind": r["kind"], "eligible": r["eligible"], "signed": r["signed"]} for r in by_kind],
        "officials": list(
            Signature.objects.filter(campaign=campaign)
            .exclude(capacity=Signature.Capacity.PEGAWAI)
            .values("capacity", "signer_name", "witness_body", "signed_at")
            .order_by("signed_at")
        ),
    }


def follow_up_opds(user: object) -> QuerySet[OPD]:
    """The OPD whose unsigned staff this user may see and remind."""
    staff = _staff(user)
    if staff is None:
        return OPD.objects.none()
    if staff.has_role(*CITYWIDE_FOLLOW_UP):
        return OPD.objects.filter(is_active=True)
    return OPD.objects.filter(pk__in=staff.opd_ids_for(OPD_SCOPED_ROLES), is_active=True)


def get_follow_up_opd(user: object, pk: int) -> OPD:
    try:
        return follow_up_opds(user).get(pk=pk)
    except (OPD.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def unsigned_employees(campaign: Campaign, opd: OPD) -> QuerySet[Employee]:
    return (
        eligible_employees(campaign)
        .filter(opd=opd)
        .exclude(pk__in=signed_employee_ids(campaign))
        .select_related("position")
        .order_by("name", "pk")
    )


def signatures_visible_to(user: object, campaign: Campaign) -> QuerySet[Signature]:
    """Citywide roles see every signature; OPD heads and operators their OPD's; anyone their own."""
    staff = _staff(user)
    rows = Signature.objects.filter(campaign=campaign).select_related("opd")
    if staff is None:
        return rows.none()
    if staff.has_role(*CITYWIDE_FOLLOW_UP):
        return rows
    return rows.filter(Q(opd_id__in=staff.opd_ids_for(OPD_SCOPED_ROLES)) | Q(signer=staff))


def own_signature(user: object, campaign: Campaign) -> Signature | None:
    staff = _staff(user)
    return Signature.objects.filter(campaign=campaign, signer=staff).first() if staff else None


# --- documents and the API (read helpers) ----------------------------------------------------


def find_campaign(pk: int) -> Campaign | None:
    return Campaign.objects.filter(pk=pk).first()


def official_signatures(campaign: Campaign) -> QuerySet[Signature]:
    """The Wali Kota's, the Sekda's and the witnesses' signatures, in the order they signed."""
    return (
        Signature.objects.filter(campaign=campaign)
        .exclude(capacity=Signature.Capacity.PEGAWAI)
        .order_by("signed_at", "pk")
    )


def has_citywide_roster(user: object) -> bool:
    staff = _staff(user)
    return staff is not None and staff.has_role(*CITYWIDE_FOLLOW_UP)


def roster_opds(user: object) -> QuerySet[OPD]:
    """The OPD whose roster an OPD head or operator may download (citywide roles: see has_citywide_roster)."""
    staff = _staff(user)
    if staff is None:
        return OPD.objects.none()
    return OPD.objects.filter(pk__in=staff.opd_ids_for(OPD_SCOPED_ROLES)).order_by("name")


def roster_scope(user: object, opd_id: int | None) -> OPD | None:
    """What a roster covers: an OPD, or None for the whole city. 404 when the user may not have it.

    Citywide roles get the city, or any OPD they ask for; OPD heads and operators get their own
    OPD (asked for or not); everyone else gets nothing.
    """
    if has_citywide_roster(user):
        if opd_id is None:
            return None
        try:
            return OPD.objects.get(pk=opd_id)
        except OPD.DoesNotExist:
            raise Http404 from None
    own = roster_opds(user)
    found = own.filter(pk=opd_id).first() if opd_id is not None else own.first()
    if found is None:
        raise Http404
    return found


def roster_signatures(user: object, campaign: Campaign, opd: OPD | None) -> QuerySet[Signature]:
    """The staff signatures a roster lists (by OPD, then name), within what the user may see."""
    rows = signatures_visible_to(user, campaign).filter(employee__isnull=False)
    if opd is not None:
        rows = rows.filter(opd=opd)
    return rows.only(
        "signer_name",
        "identity_number",
        "employee_kind",
        "signed_at",
        "opd__name",
        "opd__abbreviation",
    ).order_by("opd__name", "signer_name", "pk")


def unsigned_in_scope(campaign: Campaign, opd: OPD | None) -> QuerySet[Employee]:
    """Eligible people who have not signed, in one OPD or the whole city (by OPD, then name)."""
    rows = eligible_employees(campaign).exclude(pk__in=signed_employee_ids(campaign))
    if opd is not None:
        rows = rows.filter(opd=opd)
    return (
        rows.select_related("opd")
        .only("name", "front_title", "back_title", "identity_number", "kind", "opd__name")
        .order_by("opd__name", "name", "pk")
    )


def get_signature_for(user: object, campaign: Campaign, pk: int) -> Signature:
    """One signature the user may see; 404 for a missing one and a forbidden one alike."""
    found = signatures_visible_to(user, campaign).select_related("campaign").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
