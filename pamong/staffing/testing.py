"""Officials with a record that meets (or, changed one field at a time, fails) a level's requirements."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pamong.core.testing import make_employee
from pamong.organisation.models import OPD, Employee
from pamong.staffing import services
from pamong.staffing.models import PerformanceRating, PolicyPeriod, ServiceRecord

# Who qualifies for each level: the post held before it, and for how long.
PRIOR = {"jpt_pratama": "administrator", "administrator": "pengawas", "pengawas": "pelaksana"}


def qualified_official(
    opd: OPD,
    name: str,
    *,
    level: str = "jpt_pratama",
    field: str = "kesehatan",
    on: dt.date = dt.date(2024, 10, 17),
    ratings: tuple[str, str] = ("baik", "sangat_baik"),
    **extra: Any,
) -> Employee:
    """An active PNS who meets every requirement of ``level`` on ``on``: S-2, 50 years old, in the
    related field since 2012 and in the post below since 2016, rated well in the last two years."""
    extra.setdefault("birth_date", dt.date(on.year - 50, 1, 15))
    extra.setdefault("education", "s2")
    extra.setdefault("rank", "IV/b")
    employee = make_employee(opd, name, **extra)
    ServiceRecord.objects.create(
        employee=employee,
        position_name="Kepala Seksi",
        level="pengawas",
        field=field,
        starts_on=dt.date(2012, 1, 2),
        ends_on=dt.date(2015, 12, 31),
    )
    ServiceRecord.objects.create(
        employee=employee,
        position_name="Kepala Bidang",
        level=PRIOR.get(level, "administrator"),
        field=field,
        starts_on=dt.date(2016, 1, 4),
    )
    for year, rating in zip((on.year - 1, on.year - 2, on.year - 3), (*ratings, "baik"), strict=True):
        PerformanceRating.objects.create(employee=employee, year=year, rating=rating)
    return employee


CODE = "pra-pilkada-2024"
QUOTAS_2024: list[dict[str, Any]] = [
    {"code": "eselon_ii", "label": "eselon II", "levels": ["jpt_pratama"], "limit": 3},
    {"code": "eselon_iii_iv", "label": "eselon III dan IV", "levels": ["administrator", "pengawas"], "limit": 15},
]


def pre_election_period(by: Any, **overrides: Any) -> PolicyPeriod:
    """The 2024 pre-election period as the tests know it (from 22 March 2024; Mendagri approval for the
    three structural levels; eselon II ≤ 3, eselon III + IV ≤ 15; others from 1 December 2024), with any
    field overridden."""
    fields: dict[str, Any] = {
        "code": CODE,
        "name": "Masa pra-Pilkada 2024",
        "starts_on": dt.date(2024, 3, 22),
        "approval_levels": ["jpt_pratama", "administrator", "pengawas"],
        "quotas": QUOTAS_2024,
        "quota_source": "Arahan Kemendagri kepada Pemda, Juli 2024",
        "others_from": dt.date(2024, 12, 1),
        **overrides,
    }
    return services.create_period(by=by, **fields)
