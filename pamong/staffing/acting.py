"""Acting officials (Plt/Plh) in vacant posts: "maximise existing officials" before the Pilkada.

The limits are those of SE Kepala BKN Nomor 1/SE/I/2021 (which replaced SE 2/SE/VII/2019), kept as
configuration: a term of at most ``PAMONG_PLT_MAX_MONTHS`` (3) months, extendable once by at most
``PAMONG_PLT_EXTENSION_MONTHS`` (3); only an active official holding a definitive structural post of
the same level or one level higher (JPT Pratama > Administrator > Pengawas); and an acting official
may not appoint, transfer or dismiss staff or take strategic decisions (``acting_powers_refused``).
The limits are applied to Plh as to Plt: a Plh stands in for a temporary absence, so it should never
run longer than a Plt may.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pamong.core import ledger
from pamong.core.clock import business_today
from pamong.organisation.models import Employee, Position, Role, User
from pamong.staffing.models import ActingAssignment, ActingExtension, Vacancy

SOURCE_ACTING = "SE Kepala BKN Nomor 1/SE/I/2021"
# Higher number, higher level. Only structural posts take (and give) acting officials.
LEVEL_ORDER: dict[str, int] = {
    Position.Level.PENGAWAS: 1,
    Position.Level.ADMINISTRATOR: 2,
    Position.Level.JPT_PRATAMA: 3,
}
# The acts an acting official may not take, and those the SE leaves them (daily tasks, SKP and
# appraisals, KGB, leave other than CLTN and leave abroad, surat tugas, light discipline, proposing
# a mutation within the agency). An action outside both lists is a programming error.
REFUSED_ACTIONS = {
    "appoint": gettext_lazy("mengangkat pegawai dalam jabatan"),
    "transfer": gettext_lazy("memindahkan (memutasi) pegawai"),
    "dismiss": gettext_lazy("memberhentikan pegawai"),
    "strategic": gettext_lazy("mengambil keputusan atau tindakan strategis"),
}
ALLOWED_ACTIONS = frozenset(
    {"daily_tasks", "skp", "kgb", "leave", "assignment_letter", "light_discipline", "propose_mutation"}
)


def plt_max_months() -> int:
    return int(getattr(settings, "PAMONG_PLT_MAX_MONTHS", 3))


def plt_extension_months() -> int:
    return int(getattr(settings, "PAMONG_PLT_EXTENSION_MONTHS", 3))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_day_of_term(starts_on: dt.date, months: int) -> dt.date:
    """A term of three months that starts on 1 October ends on 31 December."""
    return add_months(starts_on, months) - dt.timedelta(days=1)


def _long(day: dt.date) -> str:
    return date_format(day, "j F Y")


def _require_bkpsdm(user: User | None) -> None:
    if user is not None and not user.has_role(Role.BKPSDM):
        raise PermissionDenied(_("Penugasan Plt/Plh ditetapkan oleh BKPSDM."))


def _check_official(vacancy: Vacancy, employee: Employee) -> None:
    vacant_post = vacancy.position
    if vacant_post.level not in LEVEL_ORDER:
        raise ValidationError(
            {"vacancy": _("Plt/Plh hanya ditugaskan pada jabatan struktural (JPT Pratama, Administrator, Pengawas).")}
        )
    if employee.status != Employee.Status.AKTIF:
        raise ValidationError(
            {
                "employee": _(
                    "%(name)s berstatus %(status)s; Plt/Plh hanya dapat ditugaskan kepada pejabat yang aktif."
                )
                % {"name": employee.full_name, "status": employee.get_status_display()}
            }
        )
    own = employee.position
    if own is None or own.level not in LEVEL_ORDER:
        raise ValidationError(
            {
                "employee": _(
                    "%(name)s tidak memegang jabatan struktural definitif; Plt/Plh ditugaskan kepada pejabat "
                    "yang ada (%(source)s)."
                )
                % {"name": employee.full_name, "source": SOURCE_ACTING}
            }
        )
    if own.pk == vacant_post.pk:
        raise ValidationError({"employee": _("Pejabat tidak dapat menjadi Plt/Plh jabatannya sendiri.")})
    gap = LEVEL_ORDER[own.level] - LEVEL_ORDER[vacant_post.level]
    if gap not in (0, 1):
        raise ValidationError(
            {
                "employee": _(
                    "Plt/Plh %(post)s (%(level)s) harus pejabat setingkat atau satu tingkat lebih tinggi; "
                    "%(name)s menjabat %(own_level)s (%(source)s)."
                )
                % {
                    "post": vacant_post.name,
                    "level": vacant_post.get_level_display(),
                    "name": employee.full_name,
                    "own_level": own.get_level_display(),
                    "source": SOURCE_ACTING,
                }
            }
        )


@transaction.atomic
def assign_acting(
    vacancy: Vacancy,
    employee: Employee,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date,
    *,
    by: User | None,
) -> ActingAssignment:
    """Assign an existing official as Plt or Plh of a vacant post, for a term within the limit."""
    _require_bkpsdm(by)
    # The vacancy's row serialises assignments to it, so two clerks cannot both cover the same dates.
    vacancy = Vacancy.objects.select_for_update(of=("self",)).select_related("position").get(pk=vacancy.pk)
    employee = Employee.objects.select_related("position").get(pk=employee.pk)
    if kind not in ActingAssignment.Kind.values:
        raise ValidationError({"kind": _("Pilih Plt atau Plh.")})
    if vacancy.filled_on is not None:
        raise ValidationError({"vacancy": _("Jabatan ini sudah terisi definitif; tidak perlu Plt/Plh.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("Tanggal berakhir tidak boleh sebelum tanggal mulai.")})
    if starts_on < vacancy.since:
        raise ValidationError(
            {"starts_on": _("Jabatan ini baru lowong sejak %(date)s.") % {"date": _long(vacancy.since)}}
        )
    months = plt_max_months()
    latest_end = last_day_of_term(starts_on, months)
    if ends_on > latest_end:
        raise ValidationError(
            {
                "ends_on": _(
                    "Masa Plt/Plh paling lama %(months)d bulan, jadi paling lambat berakhir %(date)s (%(source)s); "
                    "sesudahnya dapat diperpanjang satu kali."
                )
                % {"months": months, "date": _long(latest_end), "source": SOURCE_ACTING}
            }
        )
    _check_official(vacancy, employee)
    overlapping = (
        ActingAssignment.objects.filter(vacancy=vacancy, starts_on__lte=ends_on, ends_on__gte=starts_on)
        .select_related("employee")
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            _("%(post)s sudah dijabat %(kind)s %(name)s dari %(start)s sampai %(end)s.")
            % {
                "post": vacancy.position.name,
                "kind": overlapping.get_kind_display(),
                "name": overlapping.employee.full_name,
                "start": _long(overlapping.starts_on),
                "end": _long(overlapping.ends_on),
            }
        )
    assignment = ActingAssignment(
        vacancy=vacancy,
        employee=employee,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        first_ends_on=ends_on,
        created_by=by,
    )
    assignment.full_clean()
    assignment.save()
    ledger.append_entry("staffing.acting", assignment, by=by)
    return assignment


@transaction.atomic
def extend_acting(
    assignment: ActingAssignment, ends_on: dt.date, *, by: User | None, today: dt.date | None = None
) -> ActingAssignment:
    """Extend a term once, before it ends, by at most the configured months."""
    _require_bkpsdm(by)
    today = today or business_today()
    # Lock the vacancy first, as assign_acting does, so an extension and a new assignment to the
    # same post queue one behind the other.
    vacancy_id = ActingAssignment.objects.values_list("vacancy_id", flat=True).get(pk=assignment.pk)
    list(Vacancy.objects.select_for_update().filter(pk=vacancy_id).values_list("pk", flat=True))
    assignment = (
        ActingAssignment.objects.select_for_update(of=("self",))
        .select_related("vacancy__position", "employee__position")
        .get(pk=assignment.pk)
    )
    if assignment.extended:
        raise ValidationError(
            _("Masa Plt/Plh ini sudah pernah diperpanjang; perpanjangan hanya satu kali (%(source)s).")
            % {"source": SOURCE_ACTING}
        )
    if today > assignment.ends_on:
        raise ValidationError(
            _("Masa Plt/Plh ini sudah berakhir %(date)s; perpanjangan ditetapkan sebelum masa berakhir.")
            % {"date": _long(assignment.ends_on)}
        )
    if assignment.vacancy.filled_on is not None:
        raise ValidationError(_("Jabatan ini sudah terisi definitif; Plt/Plh tidak diperpanjang."))
    if ends_on <= assignment.ends_on:
        raise ValidationError(
            {"ends_on": _("Perpanjangan harus berakhir sesudah %(date)s.") % {"date": _long(assignment.ends_on)}}
        )
    months = plt_extension_months()
    latest_end = last_day_of_term(assignment.ends_on + dt.timedelta(days=1), months)
    if ends_on > latest_end:
        raise ValidationError(
            {
                "ends_on": _(
                    "Perpanjangan Plt/Plh paling lama %(months)d bulan, jadi paling lambat berakhir %(date)s "
                    "(%(source)s)."
                )
                % {"months": months, "date": _long(latest_end), "source": SOURCE_ACTING}
            }
        )
    # The official must still qualify on the day of the extension.
    _check_official(assignment.vacancy, assignment.employee)
    clash = (
        ActingAssignment.objects.filter(
            vacancy_id=assignment.vacancy_id, starts_on__lte=ends_on, ends_on__gte=assignment.ends_on
        )
        .exclude(pk=assignment.pk)
        .exists()
    )
    if clash:
        raise ValidationError(_("Masa perpanjangan bertumpuk dengan penugasan Plt/Plh lain pada jabatan ini."))
    extension = ActingExtension.objects.create(
        assignment=assignment, from_ends_on=assignment.ends_on, ends_on=ends_on, on=today, created_by=by
    )
    ledger.append_entry("staffing.acting_extension", extension, by=by)
    assignment.ends_on = ends_on
    assignment.extended = True
    assignment.save(update_fields=["ends_on", "extended"])
    return assignment


def active_assignments(employee: Employee, on: dt.date) -> list[ActingAssignment]:
    return list(
        ActingAssignment.objects.filter(employee=employee, starts_on__lte=on, ends_on__gte=on)
        .select_related("vacancy__position")
        .order_by("starts_on", "id")
    )


def acting_powers_refused(
    user_or_employee: User | Employee | None, action: str, *, on: dt.date | None = None, post: Position | None = None
) -> None:
    """Raise PermissionDenied when an acting official would take an act the SE refuses them.

    With ``post``, only acting in that post counts (the act is taken as its holder); without it,
    any acting assignment on ``on`` counts, because the software cannot tell in which capacity a
    person acts and the SE protects staff from acts taken without definitive authority.
    """
    if action not in REFUSED_ACTIONS and action not in ALLOWED_ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if action in ALLOWED_ACTIONS or user_or_employee is None:
        return
    if isinstance(user_or_employee, User):
        if user_or_employee.employee_id is None:
            return
        employee = user_or_employee.employee
        assert employee is not None
    else:
        employee = user_or_employee
    on = on or business_today()
    assignments = [a for a in active_assignments(employee, on) if post is None or a.vacancy.position_id == post.pk]
    if not assignments:
        return
    acting = assignments[0]
    raise PermissionDenied(
        _("%(name)s adalah %(kind)s %(post)s sampai %(date)s. Pejabat Plt/Plh tidak berwenang %(action)s (%(source)s).")
        % {
            "name": employee.full_name,
            "kind": acting.get_kind_display(),
            "post": acting.vacancy.position.name,
            "date": _long(acting.ends_on),
            "action": REFUSED_ACTIONS[action],
            "source": SOURCE_ACTING,
        }
    )


@dataclass(frozen=True)
class CoverageRow:
    opd_id: int
    opd_name: str
    level: str
    level_label: str
    open: int
    covered: int

    @property
    def uncovered(self) -> int:
        return self.open - self.covered


@dataclass(frozen=True)
class CoverageReport:
    """How many open vacancies an existing official covers as Plt/Plh, per OPD and level."""

    on: dt.date
    rows: list[CoverageRow] = field(default_factory=list)

    @property
    def open(self) -> int:
        return sum(row.open for row in self.rows)

    @property
    def covered(self) -> int:
        return sum(row.covered for row in self.rows)

    @property
    def share(self) -> float:
        return self.covered / self.open if self.open else 0.0


def coverage_report(on: dt.date | None = None) -> CoverageReport:
    """Vacancies open on ``on`` (default today) and how many an acting official covers that day."""
    on = on or business_today()
    active = ActingAssignment.objects.filter(vacancy=OuterRef("pk"), starts_on__lte=on, ends_on__gte=on)
    grouped = (
        Vacancy.objects.filter(since__lte=on)
        .filter(Q(filled_on__isnull=True) | Q(filled_on__gt=on))
        .annotate(is_covered=Exists(active))
        .values("position__opd_id", "position__opd__name", "position__level")
        .annotate(open=Count("id"), covered=Count("id", filter=Q(is_covered=True)))
        .order_by("position__opd__name", "position__level")
    )
    labels = dict(Position.Level.choices)
    order = {level: -rank for level, rank in LEVEL_ORDER.items()}
    rows = [
        CoverageRow(
            opd_id=row["position__opd_id"],
            opd_name=row["position__opd__name"],
            level=row["position__level"],
            level_label=str(labels.get(row["position__level"], row["position__level"])),
            open=row["open"],
            covered=row["covered"],
        )
        for row in grouped
    ]
    rows.sort(key=lambda r: (r.opd_name, order.get(r.level, 0), r.level))
    return CoverageReport(on=on, rows=rows)
