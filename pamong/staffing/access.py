"""Who sees what of staffing, one rule for pages and API.

BKPSDM runs staffing; the Sekda and the Wali Kota approve; the Inspektorat audits: these four see
every vacancy, acting assignment, period and proposal, and the candidates. The head and operators
of an OPD see their own agency's vacancies, acting officials and proposals, never the candidates
(names and records of people not yet appointed). Everyone else gets a 404, as for anything they may
not see; the public reads the transparency page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from pamong.organisation.models import OPD_SCOPED_ROLES, Role, User
from pamong.staffing.models import NOT_LIVE, ActingAssignment, Proposal, Vacancy

CITYWIDE = (Role.BKPSDM, Role.SEKDA, Role.WALI_KOTA, Role.INSPEKTORAT)


def sees_all(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_role(*CITYWIDE))


def opd_ids(user: Any) -> set[int]:
    return user.opd_ids_for(OPD_SCOPED_ROLES) if user.is_authenticated else set()


def can_view(user: Any) -> bool:
    return sees_all(user) or bool(opd_ids(user))


def require_view(user: Any) -> None:
    if not can_view(user):
        raise Http404


def can_see_candidates(user: Any) -> bool:
    return sees_all(user)


def runs_staffing(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_role(Role.BKPSDM))


def vacancies_for(user: User) -> QuerySet[Vacancy]:
    queryset = Vacancy.objects.select_related("position__opd")
    if sees_all(user):
        return queryset
    return queryset.filter(position__opd_id__in=opd_ids(user))


def proposals_for(user: User) -> QuerySet[Proposal]:
    queryset = Proposal.objects.select_related("vacancy__position__opd")
    if sees_all(user):
        return queryset
    return queryset.filter(vacancy__position__opd_id__in=opd_ids(user))


def acting_for(user: User) -> QuerySet[ActingAssignment]:
    queryset = ActingAssignment.objects.select_related("vacancy__position__opd", "employee")
    if sees_all(user):
        return queryset
    return queryset.filter(vacancy__position__opd_id__in=opd_ids(user))


def with_state(queryset: QuerySet[Vacancy], today: dt.date) -> QuerySet[Vacancy]:
    """Vacancies with today's acting official (``current_acting``) and their live proposal
    (``live_proposals``, newest first), in two extra queries."""
    return queryset.select_related("position__opd").prefetch_related(
        Prefetch(
            "acting_assignments",
            queryset=ActingAssignment.objects.filter(starts_on__lte=today, ends_on__gte=today)
            .select_related("employee")
            .order_by("starts_on", "id"),
            to_attr="current_acting",
        ),
        Prefetch(
            "proposals",
            queryset=Proposal.objects.exclude(status__in=NOT_LIVE).order_by("-id"),
            to_attr="live_proposals",
        ),
    )
