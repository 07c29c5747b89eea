"""Who may be proposed for a post: the requirements per level, checked one by one and shown in words.

JPT Pratama (eselon II) follows PP 11/2017 as amended by PP 17/2020, Pasal 107 huruf c, encoded
here: at least S-1/D-IV; at least 5 years, cumulatively, in posts of the related field; now or before
an Administrator or a JF Ahli Madya for at least 2 years; at most 56 years old. Administrator and
Pengawas requirements (PP 11/2017 Pasal 54–55, not read at source) and any minimum rank are
configuration (``PAMONG_STAFFING_REQUIREMENTS``), because the table of pangkat per eselon is not
confirmed to bind after PP 11/2017. Every level also needs a performance rating of at least "Baik"
in each of the last two years, no discipline sanction in force (PP 94/2021), and no open neutrality
case. A neutrality report counts as an open case from its examination onwards: an unverified report
must not be enough to block someone's career.

Competence, integrity and health (Pasal 107 huruf c angka 2, 5, 7) are assessed by the selection
committee, not by data Pamong holds; the checks say so instead of pretending to know.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pamong.organisation.models import Employee, Position
from pamong.organisation.ranks import PNS_RANKS, pns_rank_order
from pamong.staffing.models import PerformanceRating, ServiceRecord

SOURCE_JPT = "PP 11/2017 jo. PP 17/2020 Pasal 107 huruf c"
SOURCE_DEFAULT = "PP 11/2017 Pasal 54–55 (konfigurasi)"
SOURCE_PERFORMANCE = "PP 11/2017 jo. PP 17/2020; PermenPANRB 6/2022"
SOURCE_DISCIPLINE = "PP 94/2021"
SOURCE_NEUTRALITY = "SKB netralitas ASN 2022; PP 94/2021 Pasal 5 huruf n"

# D-IV and S-1 are the same step for these rules.
EDUCATION_RANK = {"sd": 0, "smp": 1, "sma": 2, "d3": 3, "d4": 4, "s1": 4, "s2": 5, "s3": 6}
EDUCATION_LABEL = {"d3": "D-III", "d4": "D-IV", "s1": "S-1/D-IV", "s2": "S-2", "s3": "S-3", "sma": "SMA/SMK"}

# JPT Pratama is the law, encoded; the other levels are defaults a Pemda may override in settings.
JPT_PRATAMA: dict[str, Any] = {
    "min_education": "s1",
    "related_years": 5,
    "prior_posts": [{"level": "administrator"}, {"level": "fungsional", "functional_grade": "ahli_madya"}],
    "prior_years": 2,
    "max_age": 56,
    "min_rank": "",
    "source": SOURCE_JPT,
}
DEFAULT_REQUIREMENTS: dict[str, dict[str, Any]] = {
    "administrator": {
        "min_education": "s1",
        "related_years": 0,
        "prior_posts": [{"level": "pengawas"}, {"level": "fungsional", "functional_grade": "ahli_muda"}],
        "prior_years": 3,
        "max_age": None,
        "min_rank": "",
        "source": SOURCE_DEFAULT,
    },
    "pengawas": {
        "min_education": "d3",
        "related_years": 0,
        "prior_posts": [{"level": "pelaksana"}, {"level": "fungsional"}],
        "prior_years": 4,
        "max_age": None,
        "min_rank": "",
        "source": SOURCE_DEFAULT,
    },
}
NEUTRALITY_OPEN_STAGES = ("pemeriksaan", "rekomendasi", "diputus")


@dataclass(frozen=True)
class Check:
    code: str
    label: str
    passed: bool
    detail: str
    source: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def requirements_for(level: str) -> dict[str, Any] | None:
    """The requirements of a level, or None where Pamong checks no level-specific requirement."""
    if level == Position.Level.JPT_PRATAMA:
        return dict(JPT_PRATAMA)
    configured = getattr(settings, "PAMONG_STAFFING_REQUIREMENTS", None) or {}
    base = DEFAULT_REQUIREMENTS.get(level)
    if level in configured:
        return {**(base or {}), **configured[level]}
    return dict(base) if base else None


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _years(days: int) -> float:
    return days / 365.25


def _served_days(records: list[ServiceRecord], day: dt.date, wanted: Any) -> int:
    """Days served up to ``day`` in the records ``wanted`` accepts, overlaps counted once."""
    spans = sorted((r.starts_on, min(r.ends_on or day, day)) for r in records if wanted(r) and r.starts_on <= day)
    total, current_end = 0, None
    for start, end in spans:
        if current_end is not None and start <= current_end:
            if end > current_end:
                total += (end - current_end).days
                current_end = end
            continue
        total += (end - start).days
        current_end = end
    return total


def _matches(record: ServiceRecord, post: dict[str, str]) -> bool:
    if record.level != post.get("level"):
        return False
    grade = post.get("functional_grade")
    return not grade or record.functional_grade == grade


def _long(day: dt.date) -> str:
    return date_format(day, "j F Y")


def open_neutrality_case(employee: Employee) -> bool:
    """Whether a neutrality case against the employee is under examination or awaiting a decision."""
    if not apps.is_installed("pamong.cases"):
        return False
    report_model = apps.get_model("cases", "Report")
    return bool(
        report_model.objects.filter(
            reported_employee=employee, kind="netralitas", stage__in=NEUTRALITY_OPEN_STAGES
        ).exists()
    )


def check_candidate(employee: Employee, position: Position, field: str, *, on: dt.date) -> list[Check]:
    """Every requirement for ``employee`` to fill ``position`` (of ``field``) on ``on``, passed or not."""
    checks: list[Check] = []
    rules = requirements_for(position.level)
    source = rules["source"] if rules else SOURCE_DEFAULT

    active = employee.status == Employee.Status.AKTIF and employee.kind == Employee.Kind.PNS
    checks.append(
        Check(
            "status",
            _("PNS aktif"),
            active,
            _("%(kind)s, %(status)s") % {"kind": employee.get_kind_display(), "status": employee.get_status_display()},
            "UU 20/2023 Pasal 19",
        )
    )
    if rules:
        wanted_education = rules.get("min_education") or ""
        if wanted_education:
            has = employee.education or ""
            passed = bool(has) and EDUCATION_RANK.get(has, -1) >= EDUCATION_RANK[wanted_education]
            checks.append(
                Check(
                    "education",
                    _("Pendidikan paling rendah %(level)s")
                    % {"level": EDUCATION_LABEL.get(wanted_education, wanted_education)},
                    passed,
                    employee.get_education_display() if has else _("Pendidikan belum tercatat."),
                    source,
                )
            )
        records = list(employee.service_records.all())
        related_years = rules.get("related_years") or 0
        if related_years:
            days = _served_days(records, on, lambda r: r.field == field)
            checks.append(
                Check(
                    "related_years",
                    _("Paling singkat %(years)d tahun pada jabatan di bidang terkait") % {"years": related_years},
                    _years(days) >= related_years,
                    _("%(years).1f tahun tercatat di riwayat jabatan") % {"years": _years(days)},
                    source,
                )
            )
        prior_posts = rules.get("prior_posts") or []
        prior_years = rules.get("prior_years") or 0
        if prior_posts and prior_years:
            days = _served_days(records, on, lambda r: any(_matches(r, post) for post in prior_posts))
            names = ", ".join(_post_label(post) for post in prior_posts)
            checks.append(
                Check(
                    "prior_post",
                    _("Sedang atau pernah menjabat %(posts)s paling singkat %(years)d tahun")
                    % {"posts": names, "years": prior_years},
                    _years(days) >= prior_years,
                    _("%(years).1f tahun tercatat") % {"years": _years(days)},
                    source,
                )
            )
        max_age = rules.get("max_age")
        if max_age:
            if employee.birth_date is None:
                checks.append(
                    Check(
                        "age",
                        _("Usia paling tinggi %(age)d tahun") % {"age": max_age},
                        False,
                        _("Tanggal lahir belum tercatat."),
                        source,
                    )
                )
            else:
                age = age_on(employee.birth_date, on)
                checks.append(
                    Check(
                        "age",
                        _("Usia paling tinggi %(age)d tahun") % {"age": max_age},
                        age <= max_age,
                        _("%(age)d tahun pada %(date)s") % {"age": age, "date": _long(on)},
                        source,
                    )
                )
        min_rank = rules.get("min_rank") or ""
        if min_rank and min_rank in PNS_RANKS:
            has_rank = employee.rank if employee.rank in PNS_RANKS else ""
            checks.append(
                Check(
                    "rank",
                    _("Golongan paling rendah %(rank)s") % {"rank": min_rank},
                    bool(has_rank) and pns_rank_order(has_rank) >= pns_rank_order(min_rank),
                    has_rank or _("Golongan belum tercatat."),
                    _("konfigurasi Pemda"),
                )
            )
    checks.append(_performance(employee, on))
    checks.append(_discipline(employee, on))
    open_case = open_neutrality_case(employee)
    checks.append(
        Check(
            "neutrality",
            _("Tidak sedang diperiksa dalam kasus netralitas"),
            not open_case,
            _("Ada kasus netralitas yang sedang diperiksa.") if open_case else _("Tidak ada."),
            SOURCE_NEUTRALITY,
        )
    )
    return checks


def _post_label(post: dict[str, str]) -> str:
    label = str(dict(Position.Level.choices).get(post.get("level", ""), post.get("level", "")))
    grade = post.get("functional_grade")
    if grade:
        label = _("JF %(grade)s") % {"grade": grade.replace("_", " ").title()}
    return label


def _performance(employee: Employee, on: dt.date) -> Check:
    years = [on.year - 1, on.year - 2]
    ratings = {r.year: r for r in employee.performance_ratings.all() if r.year in years}
    parts, passed = [], True
    for year in years:
        rating = ratings.get(year)
        if rating is None:
            parts.append(_("%(year)d: belum tercatat") % {"year": year})
            passed = False
        else:
            parts.append(f"{year}: {rating.get_rating_display()}")
            passed = passed and rating.rating in PerformanceRating.GOOD
    return Check(
        "performance",
        _("Predikat kinerja paling rendah Baik dalam 2 tahun terakhir"),
        passed,
        "; ".join(parts),
        SOURCE_PERFORMANCE,
    )


def _discipline(employee: Employee, on: dt.date) -> Check:
    in_force = [
        r for r in employee.discipline_records.all() if r.starts_on <= on and (r.ends_on is None or r.ends_on >= on)
    ]
    if in_force:
        record = in_force[0]
        detail = _("Sedang menjalani hukuman disiplin %(level)s (%(decree)s)") % {
            "level": record.get_level_display().lower(),
            "decree": record.decree_number,
        }
    else:
        detail = _("Tidak ada hukuman yang berlaku.")
    return Check(
        "discipline",
        _("Tidak sedang menjalani hukuman disiplin"),
        not in_force,
        detail,
        SOURCE_DISCIPLINE,
    )


def eligible(checks: list[Check]) -> bool:
    return all(check.passed for check in checks)


def failures_message(employee: Employee, checks: list[Check]) -> str:
    failed = [c for c in checks if not c.passed]
    listed = "; ".join(f"{c.label} — {c.detail} ({c.source})" for c in failed)
    return _("%(name)s belum memenuhi syarat: %(listed)s.") % {"name": employee.full_name, "listed": listed}


def prefetch(queryset: Any) -> Any:
    """Employees with everything check_candidate reads, in three extra queries."""
    return queryset.select_related("position").prefetch_related(
        "service_records", "performance_ratings", "discipline_records"
    )
