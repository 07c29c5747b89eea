"""Every state change of staffing: one function, one transaction, one ledger entry per proposal step.

The quota rule cannot race: a submission locks every version row of its policy period before it
counts the proposals already holding a place, so concurrent submissions (clerks, browser tabs, the
API) queue one behind another on PostgreSQL, and SQLite's single writer does the same. The one that
would exceed the quota is refused with the quota, the count and the proposals that hold it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pamong.core import ledger
from pamong.core.clock import business_today
from pamong.core.models import Notification
from pamong.core.workdays import add_working_days
from pamong.organisation.models import Employee, Position, Role, User
from pamong.staffing import eligibility
from pamong.staffing.acting import acting_powers_refused
from pamong.staffing.models import (
    FINISHED,
    NOT_LIVE,
    WAITING_IN_QUEUE,
    Field,
    PolicyPeriod,
    Proposal,
    ProposalCandidate,
    ProposalStep,
    Vacancy,
)

S = Proposal.Status
PERIOD_FIELDS = (
    "name",
    "starts_on",
    "ends_on",
    "approval_levels",
    "quotas",
    "quota_source",
    "others_from",
    "frees_on_withdrawal",
    "frees_on_rejection",
)
SOURCE_PASAL_71 = "UU 10/2016 Pasal 71 ayat (2); SE Mendagri 100.2.1.3/1575/SJ"
SOURCE_REPORT = "SE Mendagri 100.2.1.3/1575/SJ"
REPORT_WORKING_DAYS = 7


def _require(user: User | None, *roles: str) -> None:
    if user is not None and not user.has_role(*roles):
        raise PermissionDenied(_("Langkah ini bukan wewenang peran Anda."))


# --- policy periods -------------------------------------------------------------------------------------


def _check_period(period: PolicyPeriod) -> None:
    if period.ends_on and period.ends_on < period.starts_on:
        raise ValidationError({"ends_on": _("Tanggal berakhir tidak boleh sebelum tanggal mulai.")})
    levels = set(Position.Level.values)
    if not set(period.approval_levels or []) <= levels:
        raise ValidationError({"approval_levels": _("Jenjang yang perlu persetujuan Mendagri tidak dikenal.")})
    seen: set[str] = set()
    for quota in period.quotas or []:
        if not quota.get("code") or not set(quota.get("levels", [])) <= levels or int(quota.get("limit", -1)) < 0:
            raise ValidationError(
                {"quotas": _("Setiap kuota perlu kode, jenjang yang dikenal, dan batas 0 atau lebih.")}
            )
        if seen & set(quota["levels"]):
            raise ValidationError({"quotas": _("Satu jenjang hanya boleh masuk satu kelompok kuota.")})
        seen |= set(quota["levels"])


@transaction.atomic
def create_period(*, by: User | None, code: str, reason: str = "", **fields: Any) -> PolicyPeriod:
    _require(by, Role.BKPSDM)
    if PolicyPeriod.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Kode periode sudah dipakai; ubah periode itu dengan versi baru.")})
    period = PolicyPeriod(
        code=code, version=1, reason=reason, created_by=by, **{k: fields[k] for k in PERIOD_FIELDS if k in fields}
    )
    _check_period(period)
    period.full_clean()
    period.save()
    ledger.append_entry("staffing.policy_period", period, by=by)
    return period


@transaction.atomic
def revise_period(code: str, *, by: User | None, reason: str, **fields: Any) -> PolicyPeriod:
    """A new version of a period; the old one stays for the record. A reason is required."""
    _require(by, Role.BKPSDM)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Tuliskan alasan perubahan periode kebijakan.")})
    versions = list(PolicyPeriod.objects.select_for_update().filter(code=code).order_by("-version"))
    if not versions:
        raise ValidationError({"code": _("Periode kebijakan tidak ditemukan.")})
    latest = versions[0]
    period = PolicyPeriod(code=code, version=latest.version + 1, reason=reason.strip(), created_by=by)
    for name in PERIOD_FIELDS:
        setattr(period, name, fields.get(name, getattr(latest, name)))
    _check_period(period)
    period.full_clean()
    period.save()
    ledger.append_entry("staffing.policy_period", period, by=by)
    return period


def current_version(code: str) -> PolicyPeriod | None:
    return PolicyPeriod.objects.filter(code=code).order_by("-version").first()


def latest_versions() -> dict[str, PolicyPeriod]:
    """The latest version of every policy period, by code (one query; periods are few)."""
    latest: dict[str, PolicyPeriod] = {}
    for period in PolicyPeriod.objects.order_by("code", "-version"):
        latest.setdefault(period.code, period)
    return latest


def period_on(day: dt.date) -> PolicyPeriod | None:
    """The latest version of the period in force on ``day`` (the latest-starting one if several)."""
    in_force = [
        period
        for period in latest_versions().values()
        if period.starts_on <= day and (period.ends_on is None or period.ends_on >= day)
    ]
    return max(in_force, key=lambda period: (period.starts_on, period.version), default=None)


# --- vacancies --------------------------------------------------------------------------------------------


@transaction.atomic
def open_vacancy(
    position: Position, *, by: User | None, since: dt.date, reason: str, field: str = Field.UMUM
) -> Vacancy:
    _require(by, Role.BKPSDM)
    if reason not in Vacancy.Reason.values:
        raise ValidationError({"reason": _("Pilih sebab jabatan lowong.")})
    if field not in Field.values:
        raise ValidationError({"field": _("Pilih rumpun jabatan.")})
    if not position.is_structural:
        raise ValidationError(
            {"position": _("Lowongan dicatat untuk jabatan struktural (JPT Pratama, Administrator, Pengawas).")}
        )
    if since > business_today():
        raise ValidationError({"since": _("Tanggal lowong tidak boleh di masa depan.")})
    if Vacancy.objects.filter(position=position, filled_on__isnull=True).exists():
        raise ValidationError({"position": _("Jabatan ini sudah tercatat lowong.")})
    return Vacancy.objects.create(position=position, since=since, reason=reason, field=field)


def holding_back(today: dt.date) -> PolicyPeriod | None:
    """The period in force when it still holds other vacancies back (today before its others_from):
    only then can a vacancy be queued."""
    period = period_on(today)
    return period if period is not None and period.holds_back_on(today) else None


@transaction.atomic
def queue_vacancy(vacancy: Vacancy, *, by: User | None, today: dt.date | None = None) -> Vacancy:
    """Put a vacancy without an important/urgent reason in the queue until its period lets it be proposed."""
    _require(by, Role.BKPSDM)
    today = today or business_today()
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.filled_on is not None:
        raise ValidationError({"vacancy": _("Jabatan ini sudah terisi.")})
    if _live_proposals(vacancy).exists():
        raise ValidationError({"vacancy": _("Lowongan ini sudah punya usulan yang berjalan; tarik dulu usulan itu.")})
    period = holding_back(today)
    if period is None:
        raise ValidationError(_("Tidak ada antrean yang berlaku hari ini: lowongan ini boleh langsung diusulkan."))
    assert period.others_from is not None
    vacancy.queued_until, vacancy.released_on = period.others_from, None
    vacancy.save(update_fields=["queued_until", "released_on"])
    return vacancy


@transaction.atomic
def release_queue(today: dt.date | None = None) -> list[Vacancy]:
    """Release every queued vacancy whose date has come and tell BKPSDM, once. Run daily (staffing_tick)."""
    today = today or business_today()
    due = list(
        Vacancy.objects.select_for_update(of=("self",))
        .select_related("position__opd")
        .filter(WAITING_IN_QUEUE, queued_until__lte=today)
        .order_by("queued_until", "id")
    )
    if not due:
        return []
    Vacancy.objects.filter(pk__in=[v.pk for v in due]).update(released_on=today)
    for vacancy in due:
        vacancy.released_on = today
    names = "; ".join(f"{v.position.name} ({v.position.opd})" for v in due[:10])
    more = len(due) - 10
    body = _("Lowongan yang kini boleh diusulkan: %(names)s.") % {"names": names}
    if more > 0:
        body += " " + ngettext("Dan %(n)d lowongan lain.", "Dan %(n)d lowongan lain.", more) % {"n": more}
    users = User.objects.filter(is_active=True, role_grants__role=Role.BKPSDM).distinct()
    title = ngettext(
        "Antrean lowongan dilepas: %(n)d jabatan boleh diusulkan",
        "Antrean lowongan dilepas: %(n)d jabatan boleh diusulkan",
        len(due),
    ) % {"n": len(due)}
    Notification.objects.bulk_create(
        [Notification(user=u, title=title, body=body, url="/kepegawaian/lowongan/?antrean=dilepas") for u in users]
    )
    return due


# --- proposals --------------------------------------------------------------------------------------------


def _step(proposal: Proposal, to_status: str, *, by: User | None, today: dt.date, **facts: Any) -> ProposalStep:
    step = ProposalStep.objects.create(
        proposal=proposal, from_status=proposal.status, to_status=to_status, by=by, on=today, facts=facts
    )
    proposal.status = to_status
    ledger.append_entry("staffing.proposal_step", step, by=by)
    return step


def _lock(proposal: Proposal) -> Proposal:
    # of=("self",): lock the proposal only, not the post and OPD rows it is read with.
    return Proposal.objects.select_for_update(of=("self",)).select_related("vacancy__position__opd").get(pk=proposal.pk)


def _out_of_order(proposal: Proposal, action: str) -> ValidationError:
    return ValidationError(
        _("Usulan ini berstatus %(status)s; %(action)s tidak bisa dilakukan sekarang.")
        % {"status": proposal.get_status_display(), "action": action}
    )


@transaction.atomic
def draft_proposal(
    vacancy: Vacancy, *, by: User | None, urgency: list[str], justification: str, today: dt.date | None = None
) -> Proposal:
    _require(by, Role.BKPSDM)
    today = today or business_today()
    if vacancy.filled_on is not None:
        raise ValidationError({"vacancy": _("Jabatan ini sudah terisi.")})
    if _live_proposals(vacancy).exists():
        raise ValidationError({"vacancy": _("Lowongan ini sudah punya usulan yang berjalan; tarik dulu usulan itu.")})
    unknown = set(urgency) - set(Proposal.Urgency.values)
    if unknown:
        raise ValidationError({"urgency": _("Alasan penting dan mendesak tidak dikenal.")})
    period = period_on(today)
    if period is None:
        raise ValidationError(_("Tidak ada periode kebijakan yang berlaku hari ini; BKPSDM perlu menetapkannya dulu."))
    return Proposal.objects.create(
        vacancy=vacancy,
        period_code=period.code,
        urgency=sorted(set(urgency)),
        justification=(justification or "").strip(),
        created_by=by,
    )


def candidate_checks(proposal: Proposal, employee: Employee, *, on: dt.date | None = None) -> list[eligibility.Check]:
    position = proposal.vacancy.position
    return eligibility.check_candidate(employee, position, proposal.vacancy.field, on=on or business_today())


@transaction.atomic
def add_candidate(
    proposal: Proposal, employee: Employee, *, by: User | None, today: dt.date | None = None
) -> ProposalCandidate:
    """Add a candidate who meets every requirement; an ineligible one is refused with the rules failed."""
    _require(by, Role.BKPSDM)
    today = today or business_today()
    proposal = _lock(proposal)
    if proposal.status in FINISHED:
        raise _out_of_order(proposal, _("penambahan calon"))
    if proposal.candidates.filter(employee=employee).exists():
        raise ValidationError({"employee": _("Pegawai ini sudah menjadi calon pada usulan ini.")})
    employee = eligibility.prefetch(Employee.objects.filter(pk=employee.pk)).get()
    checks = candidate_checks(proposal, employee, on=today)
    if not eligibility.eligible(checks):
        raise ValidationError({"employee": eligibility.failures_message(employee, checks)})
    return ProposalCandidate.objects.create(
        proposal=proposal,
        employee=employee,
        checks=[c.as_dict() for c in checks],
        eligible=True,
        checked_on=today,
    )


@transaction.atomic
def remove_candidate(candidate: ProposalCandidate, *, by: User | None) -> None:
    _require(by, Role.BKPSDM)
    proposal = _lock(candidate.proposal)
    if proposal.status in FINISHED:
        raise _out_of_order(proposal, _("penghapusan calon"))
    ProposalCandidate.objects.filter(pk=candidate.pk).delete()


def _live_proposals(vacancy: Vacancy) -> QuerySet[Proposal]:
    return Proposal.objects.filter(vacancy=vacancy).exclude(status__in=NOT_LIVE)


def places_taken(period_code: str, group: str | None = None) -> QuerySet[Proposal]:
    """The proposals holding a place in a period's quotas (in one group, or in all): what a submission counts."""
    taken = Proposal.objects.filter(period_code=period_code, counts_against_quota=True)
    return taken if group is None else taken.filter(quota_group=group)


def quota_counts(codes: Iterable[str]) -> dict[tuple[str, str], int]:
    """Places taken per (period code, quota group), in one query."""
    rows = (
        Proposal.objects.filter(period_code__in=list(codes), counts_against_quota=True)
        .values_list("period_code", "quota_group")
        .annotate(n=Count("id"))
    )
    return {(code, group): n for code, group, n in rows}


def _holders(period_code: str, group: str) -> list[Proposal]:
    return list(
        places_taken(period_code, group).select_related("vacancy__position__opd").order_by("submitted_on", "id")
    )


@transaction.atomic
def submit_proposal(proposal: Proposal, *, by: User | None, today: dt.date | None = None) -> Proposal:
    """Submit a draft: the queue date and the quota are checked here, under the period's lock."""
    _require(by, Role.BKPSDM)
    today = today or business_today()
    # Lock the period first, then the proposal: every submitter takes the locks in the same order.
    versions = list(PolicyPeriod.objects.select_for_update().filter(code=proposal.period_code).order_by("-version"))
    proposal = _lock(proposal)
    if proposal.status != S.DRAFT:
        raise _out_of_order(proposal, _("pengajuan"))
    if _live_proposals(proposal.vacancy).exclude(pk=proposal.pk).exclude(status=S.DRAFT).exists():
        raise ValidationError({"vacancy": _("Lowongan ini sudah punya usulan yang berjalan; tarik dulu usulan itu.")})
    if not versions:
        raise ValidationError(_("Periode kebijakan usulan ini tidak ditemukan."))
    period = versions[0]
    level = proposal.vacancy.position.level
    if period.holds_back_on(today) and not proposal.urgency:
        assert period.others_from is not None
        raise ValidationError(
            _(
                "Lowongan tanpa alasan penting dan mendesak baru dapat diusulkan mulai %(date)s "
                "(%(period)s). Centang alasannya bila memang mendesak, atau tunggu antrean."
            )
            % {"date": date_format(period.others_from, "j F Y"), "period": period.name}
        )
    quota = period.quota_for(level) if period.quotas_apply_on(today) else None
    group = ""
    if quota is not None:
        group = quota["code"]
        limit = int(quota["limit"])
        used = places_taken(period.code, group).count()
        if used >= limit:
            holders = _holders(period.code, group)  # listed only when refusing
            listed = "; ".join(f"#{p.pk} {p.vacancy.position.name} ({p.vacancy.position.opd})" for p in holders)
            raise ValidationError(
                _(
                    "Kuota %(label)s periode %(period)s sudah penuh: %(used)d dari %(limit)d usulan terpakai "
                    "(%(source)s). Usulan yang memakai kuota: %(listed)s."
                )
                % {
                    "label": quota.get("label", group),
                    "period": period.name,
                    "used": used,
                    "limit": limit,
                    "source": period.quota_source or _("periode kebijakan"),
                    "listed": listed or "-",
                }
            )
    proposal.quota_group = group
    proposal.counts_against_quota = bool(group)
    Vacancy.objects.filter(pk=proposal.vacancy_id, queued_until__isnull=False).update(queued_until=None)
    proposal.submitted_on = today
    _step(proposal, S.SUBMITTED, by=by, today=today, quota=group, period_version=period.version)
    proposal.save()
    return proposal


@transaction.atomic
def approve_by_sekda(proposal: Proposal, *, by: User | None, today: dt.date | None = None) -> Proposal:
    _require(by, Role.SEKDA)
    acting_powers_refused(by, "appoint", on=today)
    proposal = _lock(proposal)
    if proposal.status != S.SUBMITTED:
        raise _out_of_order(proposal, _("persetujuan Sekda"))
    _step(proposal, S.SEKDA, by=by, today=today or business_today())
    proposal.save()
    return proposal


@transaction.atomic
def approve_by_mayor(proposal: Proposal, *, by: User | None, today: dt.date | None = None) -> Proposal:
    _require(by, Role.WALI_KOTA)
    acting_powers_refused(by, "appoint", on=today)
    proposal = _lock(proposal)
    if proposal.status != S.SEKDA:
        raise _out_of_order(proposal, _("persetujuan Wali Kota"))
    _step(proposal, S.WALI_KOTA, by=by, today=today or business_today())
    proposal.save()
    return proposal


# Whose step each open status waits for.
NEXT_BY: dict[str, str] = {
    S.DRAFT: Role.BKPSDM,
    S.SUBMITTED: Role.SEKDA,
    S.SEKDA: Role.WALI_KOTA,
    S.WALI_KOTA: Role.BKPSDM,
    S.SENT: Role.BKPSDM,
    S.APPROVED: Role.BKPSDM,
}


def approve(proposal: Proposal, *, by: User, today: dt.date | None = None) -> Proposal:
    """The approval the caller's role gives: the Sekda's on a submitted proposal, the Wali Kota's on one
    the Sekda approved (someone holding both gives the one the proposal waits for)."""
    is_sekda, is_mayor = by.has_role(Role.SEKDA), by.has_role(Role.WALI_KOTA)
    if is_sekda and (proposal.status == S.SUBMITTED or not is_mayor):
        return approve_by_sekda(proposal, by=by, today=today)
    if is_mayor:
        return approve_by_mayor(proposal, by=by, today=today)
    raise PermissionDenied(
        _(
            "Usulan disetujui oleh Sekda (usulan yang diajukan) lalu oleh Wali Kota (usulan yang "
            "disetujui Sekda); peran Anda tidak menyetujui usulan."
        )
    )


def actions_for(proposal: Proposal, user: User, today: dt.date | None = None) -> set[str]:
    """The steps ``user`` may take on ``proposal`` now: submit, approve, send, decide, appoint, report,
    withdraw. Each service still checks its own step; this only says which to offer."""
    today = today or business_today()
    status = proposal.status
    actions: set[str] = set()
    if user.has_role(Role.BKPSDM):
        if status == S.DRAFT:
            actions.add("submit")
        if status == S.WALI_KOTA:
            actions.add("send")
        if status == S.SENT:
            actions.add("decide")
        if status == S.APPROVED or (status == S.WALI_KOTA and approval_period(proposal, today) is None):
            actions.add("appoint")
        if status == S.APPOINTED and proposal.report_due_on and proposal.reported_on is None:
            actions.add("report")
        if status not in FINISHED:
            actions.add("withdraw")
    if status in {S.SUBMITTED, S.SEKDA} and user.has_role(NEXT_BY[status]):
        actions.add("approve")
    return actions


@transaction.atomic
def send_to_kemendagri(
    proposal: Proposal, *, by: User | None, letter_number: str = "", today: dt.date | None = None
) -> Proposal:
    """Record that the request letter (see letters.py) went to Kemendagri, with its number."""
    _require(by, Role.BKPSDM)
    proposal = _lock(proposal)
    if proposal.status != S.WALI_KOTA:
        raise _out_of_order(proposal, _("pengiriman ke Kemendagri"))
    proposal.request_letter_number = (letter_number or "").strip()[:100]
    _step(proposal, S.SENT, by=by, today=today or business_today(), letter=proposal.request_letter_number)
    proposal.save()
    return proposal


@transaction.atomic
def record_decision(
    proposal: Proposal,
    *,
    by: User | None,
    approved: bool,
    letter_number: str,
    letter_date: dt.date | None,
    today: dt.date | None = None,
) -> Proposal:
    """Kemendagri's answer, with its letter number and date."""
    _require(by, Role.BKPSDM)
    proposal = _lock(proposal)
    if proposal.status != S.SENT:
        raise _out_of_order(proposal, _("pencatatan keputusan Kemendagri"))
    letter_number = (letter_number or "").strip()
    if not letter_number or letter_date is None:
        raise ValidationError(
            {"letter_number": _("Catat nomor dan tanggal surat Kemendagri (%(source)s).") % {"source": SOURCE_PASAL_71}}
        )
    proposal.mendagri_letter_number, proposal.mendagri_letter_date = letter_number, letter_date
    to_status = S.APPROVED if approved else S.REJECTED
    if not approved:
        period = current_version(proposal.period_code)
        if period is not None and period.frees_on_rejection:
            proposal.counts_against_quota = False
    _step(proposal, to_status, by=by, today=today or business_today(), letter=letter_number)
    proposal.save()
    return proposal


def approval_period(proposal: Proposal, on: dt.date) -> PolicyPeriod | None:
    """The period under which an appointment to the proposal's post dated ``on`` needs the Minister's
    written approval, or None when it needs none."""
    period = period_on(on)
    return period if period is not None and period.needs_approval(proposal.vacancy.position.level) else None


@transaction.atomic
def record_appointment(
    proposal: Proposal,
    *,
    by: User | None,
    decree_number: str,
    decree_date: dt.date | None,
    appointee: Employee | None = None,
    today: dt.date | None = None,
) -> Proposal:
    """The appointment decree. Where the period needs the Minister's approval for this level, only a
    proposal Kemendagri approved (letter number and date on record) can be appointed. The appointee is
    one of the proposal's candidates and must still meet every requirement on the decree's date; the
    decree is public, so the appointee's name enters the ledger here and nowhere before."""
    _require(by, Role.BKPSDM)
    acting_powers_refused(by, "appoint", on=today)
    proposal = _lock(proposal)
    decree_number = (decree_number or "").strip()
    if not decree_number or decree_date is None:
        raise ValidationError({"decree_number": _("Catat nomor dan tanggal SK pengangkatan.")})
    period = approval_period(proposal, decree_date)
    needs_approval = period is not None
    allowed = {S.APPROVED} if needs_approval else {S.APPROVED, S.WALI_KOTA}
    if proposal.status not in allowed:
        if needs_approval:
            raise ValidationError(
                _(
                    "Penggantian pejabat %(level)s pada %(period)s perlu persetujuan tertulis Mendagri (%(source)s); "
                    "catat dulu surat persetujuan Kemendagri."
                )
                % {
                    "level": proposal.vacancy.position.get_level_display(),
                    "period": period.name if period else "",
                    "source": SOURCE_PASAL_71,
                }
            )
        raise _out_of_order(proposal, _("pencatatan SK pengangkatan"))
    candidate = _appointee(proposal, appointee, decree_date)
    proposal.decree_number, proposal.decree_date = decree_number, decree_date
    if needs_approval:
        proposal.report_due_on = add_working_days(decree_date, REPORT_WORKING_DAYS)
    _step(
        proposal,
        S.APPOINTED,
        by=by,
        today=today or business_today(),
        decree=decree_number,
        decree_date=decree_date.isoformat(),
        appointee=candidate.employee.full_name,
    )
    proposal.save()
    ProposalCandidate.objects.filter(pk=candidate.pk).update(appointed=True)
    Vacancy.objects.filter(pk=proposal.vacancy_id).update(filled_on=decree_date)
    return proposal


@transaction.atomic
def record_report_to_kemendagri(
    proposal: Proposal,
    *,
    by: User | None,
    reported_on: dt.date | None,
    letter_number: str,
    today: dt.date | None = None,
) -> Proposal:
    """The report of the appointment to Kemendagri, due within 7 working days of the decree. A late
    report is still recorded (the fact must be on file), marked late in its ledger entry."""
    _require(by, Role.BKPSDM)
    today = today or business_today()
    proposal = _lock(proposal)
    if proposal.status != S.APPOINTED or proposal.report_due_on is None:
        raise ValidationError(
            _("Hanya pengangkatan yang memerlukan persetujuan Mendagri yang dilaporkan ke Kemendagri (%(source)s).")
            % {"source": SOURCE_REPORT}
        )
    if proposal.reported_on is not None:
        raise ValidationError(_("Laporan ke Kemendagri untuk usulan ini sudah dicatat."))
    letter_number = (letter_number or "").strip()
    if not letter_number or reported_on is None:
        raise ValidationError({"letter_number": _("Catat nomor dan tanggal surat laporan ke Kemendagri.")})
    assert proposal.decree_date is not None
    if reported_on < proposal.decree_date or reported_on > today:
        raise ValidationError({"reported_on": _("Tanggal laporan harus antara tanggal SK dan hari ini.")})
    proposal.reported_on, proposal.report_letter_number = reported_on, letter_number[:100]
    late = reported_on > proposal.report_due_on
    step = ProposalStep.objects.create(
        proposal=proposal,
        from_status=S.APPOINTED,
        to_status=S.APPOINTED,
        by=by,
        on=today,
        facts={"reported_on": reported_on.isoformat(), "letter": proposal.report_letter_number, "late": late},
    )
    ledger.append_entry("staffing.proposal_step", step, by=by)
    proposal.save()
    return proposal


def overdue_reports(today: dt.date | None = None) -> Any:
    """Appointments whose report to Kemendagri is past its last day and not on file."""
    today = today or business_today()
    return Proposal.objects.filter(
        status=S.APPOINTED, reported_on__isnull=True, report_due_on__lt=today
    ).select_related("vacancy__position__opd")


def _appointee(proposal: Proposal, appointee: Employee | None, decree_date: dt.date) -> ProposalCandidate:
    candidates = list(proposal.candidates.select_related("employee"))
    if not candidates:
        raise ValidationError({"appointee": _("Usulan ini belum punya calon; tambahkan calon yang memenuhi syarat.")})
    if appointee is None:
        if len(candidates) > 1:
            raise ValidationError({"appointee": _("Pilih calon yang diangkat dalam SK.")})
        candidate = candidates[0]
    else:
        found = next((c for c in candidates if c.employee_id == appointee.pk), None)
        if found is None:
            raise ValidationError({"appointee": _("Yang diangkat harus salah satu calon dalam usulan ini.")})
        candidate = found
    employee = eligibility.prefetch(Employee.objects.filter(pk=candidate.employee_id)).get()
    checks = candidate_checks(proposal, employee, on=decree_date)
    if not eligibility.eligible(checks):
        raise ValidationError({"appointee": eligibility.failures_message(employee, checks)})
    return candidate


@transaction.atomic
def withdraw(proposal: Proposal, *, by: User | None, reason: str, today: dt.date | None = None) -> Proposal:
    _require(by, Role.BKPSDM)
    proposal = _lock(proposal)
    if proposal.status in FINISHED:
        raise _out_of_order(proposal, _("penarikan usulan"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Tuliskan alasan penarikan usulan.")})
    period = current_version(proposal.period_code)
    if period is not None and period.frees_on_withdrawal:
        proposal.counts_against_quota = False
    _step(proposal, S.WITHDRAWN, by=by, today=today or business_today(), reason=reason.strip())
    proposal.save()
    return proposal
