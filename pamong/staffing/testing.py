"""Officials with a record that meets (or, changed one field at a time, fails) a level's requirements."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pamong.core.testing import make_employee
from pamong.organisation.models import OPD, Employee
from pamong.staffing.models import PerformanceRating, ServiceRecord

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
