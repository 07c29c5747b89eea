"""The staffing API under /api/v1/staffing/ (issue 6): vacancies, policy periods, proposals and acting
officials, scoped by role through ``pamong.staffing.access`` exactly as the pages are.

Every state change is one call of a service in ``services.py`` or ``acting.py``; this module only
finds the objects the caller may see, turns the request into arguments and the service's refusal
into an answer:

* 404: the caller may not see staffing at all, or the object is outside their scope (or missing);
* 403: the caller sees the object but the step is not theirs (the service's ``PermissionDenied``);
* 409: the rules of the period or the state of the object refuse the step (quota full, queue date
  not reached, step out of order, no Mendagri approval yet): the service's ``ValidationError``
  that names no field;
* 422: the request itself is malformed or incomplete (a missing letter number, an unknown
  reason, an ineligible candidate): a ``ValidationError`` keyed by field, or a schema error.

No ``from __future__ import annotations`` here: django-ninja reads the annotations of the paginated
views through its own wrapper, where postponed names such as ``Query`` cannot be resolved.
"""

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from pamong.core import ledger
from pamong.core.api_auth import staff_auth
from pamong.core.clock import business_today
from pamong.core.ledger import format_receipt_code
from pamong.core.models import LedgerEntry
from pamong.organisation.identity import mask_identity_number
from pamong.organisation.models import Employee, Position, Role, User
from pamong.staffing import access, acting, eligibility, services
from pamong.staffing import models as staffing
from pamong.staffing.models import (
    LETTER_STATUSES,
    WAITING_IN_QUEUE,
    ActingAssignment,
    PolicyPeriod,
    Proposal,
    ProposalCandidate,
    ProposalStep,
    Vacancy,
)

router = Router(tags=["kepegawaian"], auth=staff_auth)

S = Proposal.Status
# The service's field names, as the request names them.
FIELD_NAMES = {
    "position": "position_id",
    "vacancy": "vacancy_id",
    "employee": "employee_id",
    "appointee": "appointee_employee_id",
}

_ERRORS_DOC = (
    " 404 bila Anda tidak berhak melihat data kepegawaian atau objek itu di luar lingkup Anda; "
    "403 bila langkah ini bukan wewenang peran Anda; 409 bila aturan periode kebijakan atau status "
    "usulan menolak langkah ini (kuota penuh, tanggal antrean belum tiba, urutan langkah, persetujuan "
    "Mendagri belum ada); 422 bila isian tidak sah atau kurang. Tidak ada yang tersimpan bila ditolak."
)


# --- shared shapes and helpers --------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str


class FieldError(Schema):
    field: str
    message: str


class RefusalOut(Schema):
    detail: str = Field(..., description="Pesan dari aturan yang menolak, dalam bahasa Indonesia")
    errors: list[FieldError]


class ChoiceOut(Schema):
    code: str
    label: str


def _enum(values: Any) -> dict[str, Any]:
    return {"enum": list(values)}


def _choice(choices: Any, value: str) -> dict[str, str] | None:
    if not value:
        return None
    return {"code": value, "label": str(dict(choices).get(value, value))}


def _refused(exc: ValidationError) -> Status:
    """A service's ValidationError as 422 (a field is wrong) or 409 (the rules or the state refuse)."""
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": "" if name == "__all__" else FIELD_NAMES.get(name, name), "message": message}
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
        return Status(422, {"detail": " ".join(e["message"] for e in errors), "errors": errors})
    messages = list(exc.messages)
    return Status(409, {"detail": " ".join(messages), "errors": [{"field": "", "message": m} for m in messages]})


def _invalid(field: str, message: str) -> Status:
    return Status(422, {"detail": message, "errors": [{"field": field, "message": message}]})


def _forbidden(exc: PermissionDenied) -> Status:
    return Status(403, {"detail": str(exc) or _("Langkah ini bukan wewenang peran Anda.")})


def _service_refusals(view: Callable[..., Any]) -> Callable[..., Any]:
    """Answer a service's refusal the same way at every endpoint: PermissionDenied → 403, ValidationError →
    409 or 422 (see _refused). Put it under the router's decorator."""

    @functools.wraps(view)
    def answer(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except PermissionDenied as exc:
            return _forbidden(exc)
        except ValidationError as exc:
            return _refused(exc)

    return answer


def _viewer(request: HttpRequest) -> User:
    """The caller, when they may see staffing at all; otherwise 404, as for anything they may not see."""
    user = request.user
    try:
        access.require_view(user)
    except Http404:
        raise HttpError(404, _("Data kepegawaian tidak tersedia untuk Anda.")) from None
    assert isinstance(user, User)
    return user


class StaffingPagination(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1)
        page_size: int = Field(50, ge=1, le=200)

    def paginate_queryset(  # type: ignore[override]
        self, queryset: Any, pagination: Input, request: HttpRequest, **params: Any
    ) -> Any:
        self.page_size = pagination.page_size
        return super().paginate_queryset(queryset, pagination, request=request, **params)  # type: ignore[arg-type]


class PositionOut(Schema):
    id: int
    name: str
    level: str
    level_label: str
    grade: str


class OpdOut(Schema):
    id: int
    name: str


def _position(position: Position) -> dict[str, Any]:
    return {
        "id": position.pk,
        "name": position.name,
        "level": position.level,
        "level_label": position.get_level_display(),
        "grade": position.grade,
    }


def _opd(position: Position) -> dict[str, Any]:
    return {"id": position.opd_id, "name": position.opd.name}


def _receipt(code: str | None) -> str | None:
    return format_receipt_code(code) if code else None


def _receipt_subquery(model: Any) -> Subquery:
    """The ledger receipt of a row recorded by ``ledger.append_entry`` (subject = the row itself)."""
    return Subquery(
        LedgerEntry.objects.filter(
            subject_type=model._meta.label_lower, subject_id=Cast(OuterRef("pk"), output_field=CharField())
        )
        .order_by("index")
        .values("receipt_code")[:1]
    )


# --- vacancies --------------------------------------------------------------------------------------------


class ActingNowOut(Schema):
    id: int
    kind: str = Field(..., description="plt atau plh")
    kind_label: str
    employee_name: str
    starts_on: dt.date
    ends_on: dt.date


class ProposalBriefOut(Schema):
    id: int
    status: str
    status_label: str


class _VacancyFields(Schema):
    id: int
    position: PositionOut
    opd: OpdOut
    field: ChoiceOut
    since: dt.date
    days_empty: int = Field(..., description="Hari sejak lowong sampai hari ini (atau sampai terisi)")
    reason: ChoiceOut
    filled_on: dt.date | None
    queued_until: dt.date | None = Field(None, description="Menunggu antrean sampai tanggal ini")
    released_on: dt.date | None = Field(None, description="Tanggal dilepas dari antrean")
    acting: ActingNowOut | None = Field(None, description="Plt/Plh yang menjabat hari ini")
    live_proposal: ProposalBriefOut | None = Field(None, description="Usulan yang sedang berjalan")


class VacancyOut(_VacancyFields):
    @staticmethod
    def resolve_position(obj: Vacancy) -> dict[str, Any]:
        return _position(obj.position)

    @staticmethod
    def resolve_opd(obj: Vacancy) -> dict[str, Any]:
        return _opd(obj.position)

    @staticmethod
    def resolve_field(obj: Vacancy) -> dict[str, str] | None:
        return _choice(staffing.Field.choices, obj.field)

    @staticmethod
    def resolve_reason(obj: Vacancy) -> dict[str, str] | None:
        return _choice(Vacancy.Reason.choices, obj.reason)

    @staticmethod
    def resolve_days_empty(obj: Vacancy) -> int:
        return obj.days_empty(business_today())

    @staticmethod
    def resolve_acting(obj: Vacancy) -> dict[str, Any] | None:
        current = getattr(obj, "current_acting", None)
        if not current:
            return None
        assignment = current[0]
        return {
            "id": assignment.pk,
            "kind": assignment.kind,
            "kind_label": assignment.get_kind_display(),
            "employee_name": assignment.employee.full_name,
            "starts_on": assignment.starts_on,
            "ends_on": assignment.ends_on,
        }

    @staticmethod
    def resolve_live_proposal(obj: Vacancy) -> dict[str, Any] | None:
        live = getattr(obj, "live_proposals", None)
        if not live:
            return None
        return {"id": live[0].pk, "status": live[0].status, "status_label": live[0].get_status_display()}


def _vacancies(user: User) -> QuerySet[Vacancy]:
    return access.with_state(access.vacancies_for(user), business_today())


def _vacancy_for(user: User, vacancy_id: int) -> Vacancy:
    vacancy = _vacancies(user).filter(pk=vacancy_id).first()
    if vacancy is None:
        raise HttpError(404, _("Lowongan tidak ditemukan."))
    return vacancy


class VacancyFilter(Schema):
    opd: int | None = Field(None, description="ID OPD")
    level: Position.Level | None = Field(None, description="Jenjang jabatan")
    open: bool | None = Field(None, description="true: yang masih lowong; false: yang sudah terisi")
    queued: bool | None = Field(None, description="true: yang menunggu antrean; false: yang tidak")


@router.get(
    "/vacancies",
    response=list[VacancyOut],
    summary="Daftar lowongan jabatan: berapa lama kosong, Plt/Plh, usulan yang berjalan",
    description=(
        "BKPSDM, Sekda, Wali Kota, dan Inspektorat melihat semua lowongan; kepala dan operator OPD hanya "
        "lowongan OPD-nya; pengguna lain mendapat 404. Urut dari yang paling lama lowong."
    ),
)
@paginate(StaffingPagination)
def list_vacancies(request: HttpRequest, filters: Query[VacancyFilter]) -> object:
    user = _viewer(request)
    queryset = _vacancies(user)
    if filters.opd is not None:
        queryset = queryset.filter(position__opd_id=filters.opd)
    if filters.level:
        queryset = queryset.filter(position__level=filters.level)
    if filters.open is not None:
        queryset = queryset.filter(filled_on__isnull=filters.open)
    if filters.queued is not None:
        queryset = queryset.filter(WAITING_IN_QUEUE) if filters.queued else queryset.exclude(WAITING_IN_QUEUE)
    return queryset.order_by("since", "id")


class VacancyDetailOut(_VacancyFields):
    proposals: list[ProposalBriefOut] = Field(..., description="Semua usulan untuk lowongan ini, terbaru dulu")


def _vacancy_detail(vacancy: Vacancy) -> dict[str, Any]:
    data = VacancyOut.from_orm(vacancy).model_dump()
    data["proposals"] = [
        {"id": p.pk, "status": p.status, "status_label": p.get_status_display()}
        for p in vacancy.proposals.order_by("-id")
    ]
    return data


@router.get(
    "/vacancies/{vacancy_id}",
    response={200: VacancyDetailOut, 404: ErrorOut},
    summary="Satu lowongan dengan semua usulannya",
    url_name="staffing_vacancy",
)
def get_vacancy(request: HttpRequest, vacancy_id: int) -> Status:
    user = _viewer(request)
    return Status(200, _vacancy_detail(_vacancy_for(user, vacancy_id)))


class VacancyIn(Schema):
    position_id: int = Field(..., description="ID jabatan struktural yang lowong")
    since: dt.date = Field(..., description="Lowong sejak (TTTT-BB-HH), tidak di masa depan")
    reason: str = Field(..., description="Sebab lowong", json_schema_extra=_enum(Vacancy.Reason.values))
    field: str = Field(
        staffing.Field.UMUM, description="Rumpun jabatan", json_schema_extra=_enum(staffing.Field.values)
    )


@router.post(
    "/vacancies",
    response={201: VacancyDetailOut, 403: ErrorOut, 404: ErrorOut, 409: RefusalOut, 422: RefusalOut},
    summary="Catat jabatan yang lowong (BKPSDM)",
    description="Hanya BKPSDM." + _ERRORS_DOC,
)
@_service_refusals
def create_vacancy(request: HttpRequest, body: VacancyIn) -> Status:
    user = _viewer(request)
    position = Position.objects.select_related("opd").filter(pk=body.position_id).first()
    if position is None:
        return _invalid("position_id", _("Jabatan tidak ditemukan."))
    vacancy = services.open_vacancy(position, by=user, since=body.since, reason=body.reason, field=body.field)
    return Status(201, _vacancy_detail(_vacancy_for(user, vacancy.pk)))


@router.post(
    "/vacancies/{vacancy_id}/queue",
    response={200: VacancyDetailOut, 403: ErrorOut, 404: ErrorOut, 409: RefusalOut, 422: RefusalOut},
    summary="Masukkan lowongan yang tidak mendesak ke antrean sampai tanggal periode kebijakan (BKPSDM)",
    description=(
        "Lowongan menunggu sampai tanggal 'lowongan lain boleh diusulkan' periode yang berlaku; pada tanggal "
        "itu antrean dilepas dan BKPSDM diberi tahu. 409 bila hari ini tidak ada antrean yang berlaku." + _ERRORS_DOC
    ),
)
@_service_refusals
def queue_vacancy(request: HttpRequest, vacancy_id: int) -> Status:
    user = _viewer(request)
    vacancy = _vacancy_for(user, vacancy_id)
    services.queue_vacancy(vacancy, by=user)
    return Status(200, _vacancy_detail(_vacancy_for(user, vacancy.pk)))


# --- policy periods ---------------------------------------------------------------------------------------


class QuotaOut(Schema):
    code: str
    label: str
    levels: list[str]
    limit: int
    used: int = Field(..., description="Usulan yang memakai kuota ini (semua versi periode)")
    left: int = Field(..., description="Sisa kuota")


class PeriodOut(Schema):
    id: int
    code: str
    version: int
    is_latest: bool
    name: str
    starts_on: dt.date
    ends_on: dt.date | None
    approval_levels: list[str] = Field(..., description="Jenjang yang perlu persetujuan tertulis Mendagri")
    quotas: list[QuotaOut]
    quota_source: str
    others_from: dt.date | None = Field(..., description="Lowongan lain boleh diusulkan mulai tanggal ini")
    frees_on_withdrawal: bool
    frees_on_rejection: bool
    reason: str
    created_at: dt.datetime


class PeriodDetailOut(PeriodOut):
    history: list[PeriodOut] = Field(..., description="Versi sebelumnya, terbaru dulu")


def _periods(periods: list[PolicyPeriod]) -> list[dict[str, Any]]:
    codes = {p.code for p in periods}
    used = services.quota_counts(codes)
    latest = {code: period.version for code, period in services.latest_versions().items()}
    out = []
    for period in periods:
        quotas = []
        for quota in period.quotas or []:
            limit = int(quota.get("limit", 0))
            count = used.get((period.code, quota.get("code", "")), 0)
            quotas.append(
                {
                    "code": quota.get("code", ""),
                    "label": quota.get("label") or quota.get("code", ""),
                    "levels": list(quota.get("levels", [])),
                    "limit": limit,
                    "used": count,
                    "left": max(limit - count, 0),
                }
            )
        out.append(
            {
                "id": period.pk,
                "code": period.code,
                "version": period.version,
                "is_latest": latest.get(period.code) == period.version,
                "name": period.name,
                "starts_on": period.starts_on,
                "ends_on": period.ends_on,
                "approval_levels": list(period.approval_levels or []),
                "quotas": quotas,
                "quota_source": period.quota_source,
                "others_from": period.others_from,
                "frees_on_withdrawal": period.frees_on_withdrawal,
                "frees_on_rejection": period.frees_on_rejection,
                "reason": period.reason,
                "created_at": period.created_at,
            }
        )
    return out


def _period_detail(code: str) -> dict[str, Any]:
    versions = list(PolicyPeriod.objects.filter(code=code).order_by("-version"))
    if not versions:
        raise HttpError(404, _("Periode kebijakan tidak ditemukan."))
    rows = _periods(versions)
    return {**rows[0], "history": rows[1:]}


class PeriodFilter(Schema):
    code: str | None = Field(None, max_length=40, description="Hanya versi-versi periode berkode ini")


@router.get(
    "/periods",
    response=list[PeriodOut],
    summary="Periode kebijakan, semua versi, terbaru dulu, dengan kuota terpakai dan sisanya",
    description="Setiap perubahan periode adalah versi baru dengan alasannya; versi lama tetap ada." + _ERRORS_DOC,
)
@paginate(StaffingPagination)
def list_periods(request: HttpRequest, filters: Query[PeriodFilter]) -> object:
    _viewer(request)
    queryset = PolicyPeriod.objects.order_by("-starts_on", "code", "-version")
    if filters.code:
        queryset = queryset.filter(code=filters.code)
    return _periods(list(queryset))


@router.get(
    "/periods/{code}",
    response={200: PeriodDetailOut, 404: ErrorOut},
    summary="Versi terbaru satu periode kebijakan dan riwayat versinya",
)
def get_period(request: HttpRequest, code: str) -> Status:
    _viewer(request)
    return Status(200, _period_detail(code))


class QuotaIn(Schema):
    code: str = Field(..., max_length=40, description="Kode kelompok kuota, misalnya eselon_ii")
    label: str = Field("", max_length=100, description="Nama kelompok, misalnya 'eselon II'")
    levels: list[str] = Field(
        ..., description="Jenjang dalam kelompok", json_schema_extra={"items": _enum(Position.Level.values)}
    )
    limit: int = Field(..., ge=0, description="Batas usulan")


_PERIOD_FIELDS_DOC = {
    "approval_levels": "Jenjang yang perlu persetujuan tertulis Mendagri sebelum penggantian",
    "quotas": "Kuota usulan per kelompok jenjang; satu jenjang hanya di satu kelompok",
    "others_from": "Lowongan tanpa alasan penting dan mendesak boleh diusulkan mulai tanggal ini",
}


class PeriodIn(Schema):
    code: str = Field(..., max_length=40, description="Kode periode (huruf, angka, tanda hubung)")
    name: str = Field(..., max_length=200)
    starts_on: dt.date
    ends_on: dt.date | None = Field(None, description="Kosong: sampai kepala daerah baru dilantik")
    approval_levels: list[str] = Field(default_factory=list, description=_PERIOD_FIELDS_DOC["approval_levels"])
    quotas: list[QuotaIn] = Field(default_factory=list, description=_PERIOD_FIELDS_DOC["quotas"])
    quota_source: str = Field("", max_length=300, description="Dasar kuota")
    others_from: dt.date | None = Field(None, description=_PERIOD_FIELDS_DOC["others_from"])
    frees_on_withdrawal: bool = True
    frees_on_rejection: bool = False
    reason: str = Field("", description="Catatan")


@router.post(
    "/periods",
    response={201: PeriodDetailOut, 403: ErrorOut, 404: ErrorOut, 409: RefusalOut, 422: RefusalOut},
    summary="Tetapkan periode kebijakan baru (BKPSDM)",
    description="Hanya BKPSDM. Kode dipakai sekali; perubahan sesudahnya lewat /revisions." + _ERRORS_DOC,
)
@_service_refusals
def create_period(request: HttpRequest, body: PeriodIn) -> Status:
    user = _viewer(request)
    fields = body.model_dump(exclude={"code", "reason"})
    period = services.create_period(by=user, code=body.code, reason=body.reason, **fields)
    return Status(201, _period_detail(period.code))


class PeriodRevisionIn(Schema):
    reason: str = Field(..., description="Alasan perubahan (wajib), misalnya nomor surat arahan baru")
    name: str | None = Field(None, max_length=200)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    approval_levels: list[str] | None = Field(None, description=_PERIOD_FIELDS_DOC["approval_levels"])
    quotas: list[QuotaIn] | None = Field(None, description=_PERIOD_FIELDS_DOC["quotas"])
    quota_source: str | None = Field(None, max_length=300)
    others_from: dt.date | None = Field(None, description=_PERIOD_FIELDS_DOC["others_from"])
    frees_on_withdrawal: bool | None = None
    frees_on_rejection: bool | None = None


@router.post(
    "/periods/{code}/revisions",
    response={201: PeriodDetailOut, 403: ErrorOut, 404: ErrorOut, 409: RefusalOut, 422: RefusalOut},
    summary="Ubah periode kebijakan: versi baru dengan alasan (BKPSDM)",
    description=(
        "Hanya isian yang dikirim yang berubah; yang lain diambil dari versi terbaru. ends_on atau "
        "others_from yang dikirim null dikosongkan. Versi lama tetap tersimpan." + _ERRORS_DOC
    ),
)
@_service_refusals
def revise_period(request: HttpRequest, code: str, body: PeriodRevisionIn) -> Status:
    user = _viewer(request)
    if not PolicyPeriod.objects.filter(code=code).exists():
        raise HttpError(404, _("Periode kebijakan tidak ditemukan."))
    sent = body.model_dump(exclude_unset=True, exclude={"reason"})
    # null means "clear" only where the field may be empty; elsewhere it means "unchanged".
    fields = {k: v for k, v in sent.items() if v is not None or k in {"ends_on", "others_from"}}
    services.revise_period(code, by=user, reason=body.reason, **fields)
    return Status(201, _period_detail(code))


# --- proposals --------------------------------------------------------------------------------------------


class _ProposalFields(Schema):
    id: int
    status: ChoiceOut
    vacancy_id: int
    position: PositionOut
    opd: OpdOut
    period_code: str
    quota_group: str = Field(..., description="Kelompok kuota yang dipakai (kosong bila tidak ada)")
    counts_against_quota: bool
    urgency: list[ChoiceOut] = Field(..., description="Alasan penting dan mendesak")
    submitted_on: dt.date | None
    created_at: dt.datetime


class ProposalSummaryOut(_ProposalFields):
    @staticmethod
    def resolve_status(obj: Proposal) -> dict[str, str] | None:
        return _choice(S.choices, obj.status)

    @staticmethod
    def resolve_position(obj: Proposal) -> dict[str, Any]:
        return _position(obj.vacancy.position)

    @staticmethod
    def resolve_opd(obj: Proposal) -> dict[str, Any]:
        return _opd(obj.vacancy.position)

    @staticmethod
    def resolve_urgency(obj: Proposal) -> list[dict[str, str]]:
        return _urgency(obj)


def _urgency(proposal: Proposal) -> list[dict[str, str]]:
    labels = dict(Proposal.Urgency.choices)
    return [{"code": code, "label": str(labels.get(code, code))} for code in proposal.urgency or []]


class StepOut(Schema):
    from_status: ChoiceOut | None
    to_status: ChoiceOut
    on: dt.date
    by_role: ChoiceOut | None = Field(None, description="Peran yang mengambil langkah (dari buku besar)")
    facts: dict[str, Any]
    receipt_code: str | None = Field(None, description="Kode tanda terima buku besar, XXXX-XXXX-XXXX-XXXX")


class CheckOut(Schema):
    code: str
    label: str
    passed: bool
    detail: str
    source: str = Field(..., description="Dasar aturan")


class CandidateOut(Schema):
    id: int
    employee_id: int
    name: str
    identity_masked: str
    opd: str
    position: str | None = Field(None, description="Jabatan definitif sekarang")
    eligible: bool
    checked_on: dt.date
    appointed: bool
    checks: list[CheckOut]


class LettersOut(Schema):
    request_letter_number: str = Field(..., description="Nomor surat usulan ke Kemendagri")
    request_letter_url: str | None = Field(None, description="PDF surat usulan, setelah Wali Kota menyetujui")
    mendagri_letter_number: str = Field(..., description="Nomor surat keputusan Kemendagri")
    mendagri_letter_date: dt.date | None


class DecreeOut(Schema):
    number: str
    date: dt.date | None
    appointee: str | None = Field(None, description="Nama yang diangkat (terbuka sejak SK terbit)")
    report_due_on: dt.date | None = Field(
        None, description="Batas lapor pengangkatan ke Kemendagri (7 hari kerja sesudah SK), bila perlu persetujuan"
    )
    reported_on: dt.date | None = Field(None, description="Tanggal laporan ke Kemendagri")
    report_letter_number: str = Field("", description="Nomor surat laporan ke Kemendagri")
    report_overdue: bool = Field(False, description="Batas lapor sudah lewat dan laporan belum dicatat")


class ProposalOut(_ProposalFields):
    justification: str
    steps: list[StepOut]
    letters: LettersOut
    decree: DecreeOut
    candidates: list[CandidateOut] | None = Field(
        None, description="Calon dan pemeriksaan syaratnya; hanya untuk BKPSDM, Sekda, Wali Kota, Inspektorat"
    )


def _candidate(candidate: ProposalCandidate) -> dict[str, Any]:
    employee = candidate.employee
    return {
        "id": candidate.pk,
        "employee_id": employee.pk,
        "name": employee.full_name,
        "identity_masked": mask_identity_number(employee.identity_number),
        "opd": employee.opd.name,
        "position": employee.position.name if employee.position else None,
        "eligible": candidate.eligible,
        "checked_on": candidate.checked_on,
        "appointed": candidate.appointed,
        "checks": candidate.checks,
    }


def _proposal_detail(request: HttpRequest, proposal: Proposal, user: User) -> dict[str, Any]:
    data = ProposalSummaryOut.from_orm(proposal).model_dump()
    steps = list(proposal.steps.order_by("id"))
    entries = ledger.entries_for(ProposalStep, (step.pk for step in steps))
    roles = [*Role.choices, ("sistem", _("Sistem"))]
    data["steps"] = []
    for step in steps:
        entry = entries.get(str(step.pk))
        data["steps"].append(
            {
                "from_status": _choice(S.choices, step.from_status),
                "to_status": _choice(S.choices, step.to_status),
                "on": step.on,
                "by_role": _choice(roles, entry.actor_role if entry else ""),
                "facts": step.facts,
                "receipt_code": entry.receipt_code if entry else None,
            }
        )
    data["justification"] = proposal.justification
    letter_url = None
    if proposal.status in LETTER_STATUSES and access.can_see_candidates(user):
        letter_url = request.build_absolute_uri(reverse("api:staffing_request_letter", args=[proposal.pk]))
    data["letters"] = {
        "request_letter_number": proposal.request_letter_number,
        "request_letter_url": letter_url,
        "mendagri_letter_number": proposal.mendagri_letter_number,
        "mendagri_letter_date": proposal.mendagri_letter_date,
    }
    candidates = list(proposal.candidates.select_related("employee__opd", "employee__position").order_by("id"))
    appointed = next((c for c in candidates if c.appointed), None)
    data["decree"] = {
        "number": proposal.decree_number,
        "date": proposal.decree_date,
        # The decree is public, so everyone who sees the proposal reads the appointee's name.
        "appointee": appointed.employee.full_name if appointed else None,
        "report_due_on": proposal.report_due_on,
        "reported_on": proposal.reported_on,
        "report_letter_number": proposal.report_letter_number,
        "report_overdue": bool(
            proposal.report_due_on and proposal.reported_on is None and proposal.report_due_on < business_today()
        ),
    }
    if access.can_see_candidates(user):
        data["candidates"] = [_candidate(c) for c in candidates]
    return data


def _proposal_for(user: User, proposal_id: int) -> Proposal:
    proposal = access.proposals_for(user).filter(pk=proposal_id).first()
    if proposal is None:
        raise HttpError(404, _("Usulan tidak ditemukan."))
    return proposal


def _proposal_answer(request: HttpRequest, user: User, proposal_id: int, status: int = 200) -> Status:
    return Status(status, _proposal_detail(request, _proposal_for(user, proposal_id), user))


class ProposalFilter(Schema):
    status: Proposal.Status | None = Field(None, description="Status usulan")
    period: str | None = Field(None, max_length=40, description="Kode periode kebijakan")
    opd: int | None = Field(None, description="ID OPD")
    vacancy: int | None = Field(None, description="ID lowongan")


@router.get(
    "/proposals",
    response=list[ProposalSummaryOut],
    summary="Daftar usulan pengisian jabatan, terbaru dulu",
    description=(
        "BKPSDM, Sekda, Wali Kota, dan Inspektorat melihat semua usulan; kepala dan operator OPD hanya usulan "
        "untuk jabatan di OPD-nya; pengguna lain mendapat 404."
    ),
)
@paginate(StaffingPagination)
def list_proposals(request: HttpRequest, filters: Query[ProposalFilter]) -> object:
    user = _viewer(request)
    queryset = access.proposals_for(user)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.period:
        queryset = queryset.filter(period_code=filters.period)
    if filters.opd is not None:
        queryset = queryset.filter(vacancy__position__opd_id=filters.opd)
    if filters.vacancy is not None:
        queryset = queryset.filter(vacancy_id=filters.vacancy)
    return queryset.order_by("-id")


_DETAIL_DOC = (
    " Jawaban berisi langkah-langkah dengan kode tanda terima buku besar. Kunci 'candidates' hanya ada "
    "untuk BKPSDM, Sekda, Wali Kota, dan Inspektorat; OPD tidak melihat calon sebelum SK terbit."
)


@router.get(
    "/proposals/{proposal_id}",
    response={200: ProposalOut, 404: ErrorOut},
    exclude_unset=True,
    summary="Satu usulan: langkah, alasan, surat, SK, dan (untuk yang berhak) calon",
    description=_DETAIL_DOC.strip(),
    url_name="staffing_proposal",
)
def get_proposal(request: HttpRequest, proposal_id: int) -> Status:
    user = _viewer(request)
    return _proposal_answer(request, user, proposal_id)


_WRITE: dict[str, Any] = {
    "response": {200: ProposalOut, 403: ErrorOut, 404: ErrorOut, 409: RefusalOut, 422: RefusalOut},
    "exclude_unset": True,
}


class ProposalIn(Schema):
    vacancy_id: int
    urgency: list[str] = Field(
        default_factory=list,
        description="Alasan penting dan mendesak (kosong: lowongan menunggu tanggal antrean periode)",
        json_schema_extra={"items": _enum(Proposal.Urgency.values)},
    )
    justification: str = Field("", description="Uraian alasan")


@router.post(
    "/proposals",
    response={201: ProposalOut, 403: ErrorOut, 404: ErrorOut, 409: RefusalOut, 422: RefusalOut},
    exclude_unset=True,
    summary="Susun draf usulan untuk satu lowongan (BKPSDM)",
    description="Hanya BKPSDM. Draf belum memakai kuota; kuota diperiksa saat diajukan (/submit)." + _ERRORS_DOC,
)
@_service_refusals
def create_proposal(request: HttpRequest, body: ProposalIn) -> Status:
    user = _viewer(request)
    vacancy = access.vacancies_for(user).filter(pk=body.vacancy_id).first()
    if vacancy is None:
        return _invalid("vacancy_id", _("Lowongan tidak ditemukan."))
    proposal = services.draft_proposal(vacancy, by=user, urgency=body.urgency, justification=body.justification)
    return _proposal_answer(request, user, proposal.pk, 201)


class CandidateIn(Schema):
    employee_id: int = Field(..., description="ID pegawai yang dicalonkan")


@router.post(
    "/proposals/{proposal_id}/candidates",
    response={201: ProposalOut, 403: ErrorOut, 404: ErrorOut, 409: RefusalOut, 422: RefusalOut},
    exclude_unset=True,
    summary="Tambah calon yang memenuhi syarat (BKPSDM)",
    description=(
        "Syarat diperiksa satu per satu (pendidikan, masa jabatan di rumpun terkait, usia, pangkat, predikat "
        "kinerja dua tahun terakhir, hukuman disiplin, kasus netralitas). Calon yang tidak memenuhi syarat "
        "ditolak dengan 422 yang menyebut syarat yang gagal dan dasarnya." + _ERRORS_DOC
    ),
)
@_service_refusals
def add_candidate(request: HttpRequest, proposal_id: int, body: CandidateIn) -> Status:
    user = _viewer(request)
    proposal = _proposal_for(user, proposal_id)
    employee = Employee.objects.filter(pk=body.employee_id).first()
    if employee is None:
        return _invalid("employee_id", _("Pegawai tidak ditemukan."))
    services.add_candidate(proposal, employee, by=user)
    return _proposal_answer(request, user, proposal.pk, 201)


@router.delete(
    "/proposals/{proposal_id}/candidates/{candidate_id}",
    response={204: None, 403: ErrorOut, 404: ErrorOut, 409: RefusalOut, 422: RefusalOut},
    summary="Hapus calon dari usulan (BKPSDM)",
    description=_ERRORS_DOC.strip(),
)
@_service_refusals
def remove_candidate(request: HttpRequest, proposal_id: int, candidate_id: int) -> Status:
    user = _viewer(request)
    proposal = _proposal_for(user, proposal_id)
    candidate = proposal.candidates.filter(pk=candidate_id).first() if access.can_see_candidates(user) else None
    if candidate is None:
        raise HttpError(404, _("Calon tidak ditemukan pada usulan ini."))
    services.remove_candidate(candidate, by=user)
    return Status(204, None)


class EligibilityOut(Schema):
    employee_id: int
    name: str
    eligible: bool
    message: str = Field(..., description="Syarat yang belum terpenuhi, kosong bila memenuhi semua")
    checks: list[CheckOut]


class EligibilityQuery(Schema):
    employee_id: int = Field(..., description="ID pegawai yang hendak dicalonkan")


@router.get(
    "/proposals/{proposal_id}/eligibility",
    response={200: EligibilityOut, 403: ErrorOut, 404: ErrorOut, 422: RefusalOut},
    summary="Periksa syarat seorang pegawai untuk usulan ini tanpa menyimpannya (BKPSDM)",
    description="Hanya BKPSDM; syarat diperiksa pada hari ini.",
)
def check_eligibility(request: HttpRequest, proposal_id: int, query: Query[EligibilityQuery]) -> Status:
    user = _viewer(request)
    proposal = _proposal_for(user, proposal_id)
    if not access.runs_staffing(user):
        return Status(403, {"detail": _("Pemeriksaan syarat calon hanya untuk BKPSDM.")})
    employee = eligibility.prefetch(Employee.objects.filter(pk=query.employee_id)).first()
    if employee is None:
        return _invalid("employee_id", _("Pegawai tidak ditemukan."))
    checks = services.candidate_checks(proposal, employee)
    passed = eligibility.eligible(checks)
    return Status(
        200,
        {
            "employee_id": employee.pk,
            "name": employee.full_name,
            "eligible": passed,
            "message": "" if passed else eligibility.failures_message(employee, checks),
            "checks": [c.as_dict() for c in checks],
        },
    )


@router.post(
    "/proposals/{proposal_id}/submit",
    summary="Ajukan usulan: di sinilah kuota periode ditegakkan (BKPSDM)",
    description=(
        "Panggilan yang menegakkan kuota. Pengajuan dihitung terhadap kuota kelompok jenjangnya pada periode "
        "kebijakan usulan, di bawah kunci periode, sehingga pengajuan serentak dari mana pun tidak pernah "
        "melampaui kuota. 409 bila kuota penuh (pesan menyebut kuotanya, jumlah terpakai, dan usulan yang "
        "memakainya) atau bila lowongan tanpa alasan mendesak belum boleh diusulkan (tanggal antrean)." + _ERRORS_DOC
    ),
    **_WRITE,
)
@_service_refusals
def submit_proposal(request: HttpRequest, proposal_id: int) -> Status:
    user = _viewer(request)
    proposal = _proposal_for(user, proposal_id)
    services.submit_proposal(proposal, by=user)
    return _proposal_answer(request, user, proposal.pk)


@router.post(
    "/proposals/{proposal_id}/approve",
    summary="Setujui usulan: Sekda pada status diajukan, Wali Kota pada status disetujui Sekda",
    description=(
        "Langkah dipilih menurut status usulan dan peran pemanggil. Selain Sekda dan Wali Kota: 403. "
        "Pejabat Plt/Plh tidak berwenang menyetujui pengangkatan (403)." + _ERRORS_DOC
    ),
    **_WRITE,
)
@_service_refusals
def approve_proposal(request: HttpRequest, proposal_id: int) -> Status:
    user = _viewer(request)
    proposal = _proposal_for(user, proposal_id)
    services.approve(proposal, by=user)
    return _proposal_answer(request, user, proposal.pk)


class SendIn(Schema):
    letter_number: str = Field("", max_length=100, description="Nomor surat usulan ke Kemendagri (opsional)")


@router.post(
    "/proposals/{proposal_id}/send",
    summary="Catat bahwa surat usulan dikirim ke Kemendagri (BKPSDM)",
    description="Setelah Wali Kota menyetujui. Surat: GET /proposals/{id}/letter.pdf." + _ERRORS_DOC,
    **_WRITE,
)
@_service_refusals
def send_proposal(request: HttpRequest, proposal_id: int, body: SendIn) -> Status:
    user = _viewer(request)
    proposal = _proposal_for(user, proposal_id)
    services.send_to_kemendagri(proposal, by=user, letter_number=body.letter_number)
    return _proposal_answer(request, user, proposal.pk)


@router.get(
    "/proposals/{proposal_id}/letter.pdf",
    response={403: ErrorOut, 404: ErrorOut, 409: RefusalOut},
    summary="Surat usulan ke Kemendagri (PDF)",
    description=(
        "Untuk BKPSDM, Sekda, Wali Kota, dan Inspektorat (surat menyebut calon); 403 untuk OPD. 409 sebelum "
        "Wali Kota menyetujui usulan."
    ),
    openapi_extra={"responses": {200: {"description": "PDF", "content": {"application/pdf": {"schema": {}}}}}},
    url_name="staffing_request_letter",
)
@_service_refusals
def request_letter(request: HttpRequest, proposal_id: int) -> HttpResponse | Status:
    user = _viewer(request)
    proposal = _proposal_for(user, proposal_id)
    if not access.can_see_candidates(user):
        return Status(
            403,
            {
                "detail": _(
                    "Surat usulan memuat nama calon; hanya BKPSDM, Sekda, Wali Kota, dan Inspektorat "
                    "yang dapat mengunduhnya."
                )
            },
        )
    # Imported here: the PDF library is needed only by this endpoint. letters.py refuses a proposal the
    # Wali Kota has not approved, or one withdrawn, with a ValidationError naming no field: a 409.
    from pamong.staffing import letters

    data = letters.request_letter_pdf(proposal)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"usulan-{proposal.pk}-kemendagri.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


class DecisionIn(Schema):
    approved: bool = Field(..., description="true: disetujui Kemendagri; false: ditolak")
    letter_number: str = Field("", max_length=100, description="Nomor surat Kemendagri (wajib)")
    letter_date: dt.date | None = Field(None, description="Tanggal surat Kemendagri (wajib)")


@router.post(
    "/proposals/{proposal_id}/decision",
    summary="Catat keputusan Kemendagri dengan nomor dan tanggal suratnya (BKPSDM)",
    description=(
        "Setelah usulan dikirim ke Kemendagri. Usulan yang ditolak mengembalikan kuota hanya bila periode "
        "kebijakan mengaturnya." + _ERRORS_DOC
    ),
    **_WRITE,
)
@_service_refusals
def record_decision(request: HttpRequest, proposal_id: int, body: DecisionIn) -> Status:
    user = _viewer(request)
    proposal = _proposal_for(user, proposal_id)
    services.record_decision(
        proposal, by=user, approved=body.approved, letter_number=body.letter_number, letter_date=body.letter_date
    )
    return _proposal_answer(request, user, proposal.pk)


class AppointmentIn(Schema):
    decree_number: str = Field("", max_length=100, description="Nomor SK pengangkatan (wajib)")
    decree_date: dt.date | None = Field(None, description="Tanggal SK (wajib)")
    appointee_employee_id: int | None = Field(
        None, description="ID pegawai yang diangkat; wajib bila calon lebih dari satu"
    )


@router.post(
    "/proposals/{proposal_id}/appointment",
    summary="Catat SK pengangkatan (BKPSDM)",
    description=(
        "Bila periode kebijakan mewajibkan persetujuan tertulis Mendagri untuk jenjang ini, hanya usulan yang "
        "disetujui Kemendagri yang dapat diangkat (409 bila belum). Yang diangkat harus salah satu calon dan "
        "masih memenuhi syarat pada tanggal SK. Nama yang diangkat menjadi terbuka." + _ERRORS_DOC
    ),
    **_WRITE,
)
@_service_refusals
def record_appointment(request: HttpRequest, proposal_id: int, body: AppointmentIn) -> Status:
    user = _viewer(request)
    proposal = _proposal_for(user, proposal_id)
    appointee = None
    if body.appointee_employee_id is not None:
        appointee = Employee.objects.filter(pk=body.appointee_employee_id).first()
        if appointee is None:
            return _invalid("appointee_employee_id", _("Pegawai tidak ditemukan."))
    services.record_appointment(
        proposal, by=user, decree_number=body.decree_number, decree_date=body.decree_date, appointee=appointee
    )
    return _proposal_answer(request, user, proposal.pk)


class ReportIn(Schema):
    letter_number: str = Field("", max_length=100, description="Nomor surat laporan ke Kemendagri (wajib)")
    reported_on: dt.date | None = Field(
        None, description="Tanggal surat laporan (wajib), antara tanggal SK dan hari ini"
    )


@router.post(
    "/proposals/{proposal_id}/report",
    summary="Catat laporan pengangkatan ke Kemendagri (BKPSDM)",
    description=(
        "Pengangkatan yang memerlukan persetujuan Mendagri dilaporkan paling lambat 7 hari kerja sesudah SK "
        "(SE Mendagri 100.2.1.3/1575/SJ). Laporan yang terlambat tetap dicatat dan ditandai terlambat di buku "
        "besar. 409 bila usulan belum dilantik, tidak perlu dilaporkan, atau sudah dilaporkan." + _ERRORS_DOC
    ),
    **_WRITE,
)
@_service_refusals
def report_appointment(request: HttpRequest, proposal_id: int, body: ReportIn) -> Status:
    user = _viewer(request)
    proposal = _proposal_for(user, proposal_id)
    services.record_report_to_kemendagri(
        proposal, by=user, reported_on=body.reported_on, letter_number=body.letter_number
    )
    return _proposal_answer(request, user, proposal.pk)


class WithdrawIn(Schema):
    reason: str = Field("", description="Alasan penarikan (wajib)")


@router.post(
    "/proposals/{proposal_id}/withdraw",
    summary="Tarik usulan (BKPSDM)",
    description="Usulan yang ditarik mengembalikan kuota hanya bila periode kebijakan mengaturnya." + _ERRORS_DOC,
    **_WRITE,
)
@_service_refusals
def withdraw_proposal(request: HttpRequest, proposal_id: int, body: WithdrawIn) -> Status:
    user = _viewer(request)
    proposal = _proposal_for(user, proposal_id)
    services.withdraw(proposal, by=user, reason=body.reason)
    return _proposal_answer(request, user, proposal.pk)


# --- acting officials -------------------------------------------------------------------------------------


class ActingEmployeeOut(Schema):
    id: int
    name: str
    position: str | None = Field(None, description="Jabatan definitifnya")


class ExtensionOut(Schema):
    from_ends_on: dt.date
    ends_on: dt.date
    on: dt.date


class ActingOut(Schema):
    id: int
    kind: ChoiceOut
    vacancy_id: int
    position: PositionOut
    opd: OpdOut
    employee: ActingEmployeeOut
    starts_on: dt.date
    ends_on: dt.date = Field(..., description="Berakhir, termasuk perpanjangan")
    first_ends_on: dt.date = Field(..., description="Berakhir menurut penugasan awal")
    extended: bool
    extension: ExtensionOut | None
    current: bool = Field(..., description="Menjabat hari ini")
    receipt_code: str | None = Field(None, description="Kode tanda terima buku besar penugasan")

    @staticmethod
    def resolve_kind(obj: ActingAssignment) -> dict[str, str] | None:
        return _choice(ActingAssignment.Kind.choices, obj.kind)

    @staticmethod
    def resolve_position(obj: ActingAssignment) -> dict[str, Any]:
        return _position(obj.vacancy.position)

    @staticmethod
    def resolve_opd(obj: ActingAssignment) -> dict[str, Any]:
        return _opd(obj.vacancy.position)

    @staticmethod
    def resolve_employee(obj: ActingAssignment) -> dict[str, Any]:
        own = obj.employee.position
        return {"id": obj.employee_id, "name": obj.employee.full_name, "position": own.name if own else None}

    @staticmethod
    def resolve_extension(obj: ActingAssignment) -> dict[str, Any] | None:
        if not obj.extended:
            return None
        extension = obj.extension
        return {"from_ends_on": extension.from_ends_on, "ends_on": extension.ends_on, "on": extension.on}

    @staticmethod
    def resolve_current(obj: ActingAssignment) -> bool:
        return obj.starts_on <= business_today() <= obj.ends_on

    @staticmethod
    def resolve_receipt_code(obj: ActingAssignment) -> str | None:
        return _receipt(getattr(obj, "receipt", None))


def _acting(user: User) -> QuerySet[ActingAssignment]:
    return (
        access.acting_for(user)
        .select_related("employee__position", "extension")
        .annotate(receipt=_receipt_subquery(ActingAssignment))
    )


def _acting_for(user: User, assignment_id: int) -> ActingAssignment:
    assignment = _acting(user).filter(pk=assignment_id).first()
    if assignment is None:
        raise HttpError(404, _("Penugasan Plt/Plh tidak ditemukan."))
    return assignment


class ActingFilter(Schema):
    opd: int | None = Field(None, description="ID OPD")
    level: Position.Level | None = Field(None, description="Jenjang jabatan yang dijabat")
    kind: ActingAssignment.Kind | None = Field(None, description="plt atau plh")
    current: bool | None = Field(None, description="true: yang menjabat hari ini; false: yang tidak (lalu/akan datang)")
    vacancy: int | None = Field(None, description="ID lowongan")


@router.get(
    "/acting",
    response=list[ActingOut],
    summary="Penugasan Plt/Plh, sekarang dan yang lalu, terbaru dulu",
    description="Lingkup sama dengan lowongan: semua untuk peran tingkat kota, OPD sendiri untuk OPD; lainnya 404.",
)
@paginate(StaffingPagination)
def list_acting(request: HttpRequest, filters: Query[ActingFilter]) -> object:
    user = _viewer(request)
    queryset = _acting(user)
    if filters.opd is not None:
        queryset = queryset.filter(vacancy__position__opd_id=filters.opd)
    if filters.level:
        queryset = queryset.filter(vacancy__position__level=filters.level)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.vacancy is not None:
        queryset = queryset.filter(vacancy_id=filters.vacancy)
    if filters.current is not None:
        today = business_today()
        now = Q(starts_on__lte=today, ends_on__gte=today)
        queryset = queryset.filter(now) if filters.current else queryset.exclude(now)
    return queryset.order_by("-starts_on", "-id")


class ActingIn(Schema):
    vacancy_id: int
    employee_id: int = Field(..., description="Pejabat definitif yang ditugaskan")
    kind: str = Field(..., description="plt atau plh", json_schema_extra=_enum(ActingAssignment.Kind.values))
    starts_on: dt.date
    ends_on: dt.date


_ACTING_DOC = (
    " Batas masa dan perpanjangan menurut konfigurasi (SE Kepala BKN Nomor 1/SE/I/2021); Plt/Plh harus "
    "pejabat aktif setingkat atau satu tingkat lebih tinggi. 409 bila masa bertumpuk dengan penugasan lain."
)


@router.post(
    "/acting",
    response={201: ActingOut, 403: ErrorOut, 404: ErrorOut, 409: RefusalOut, 422: RefusalOut},
    summary="Tugaskan pejabat yang ada sebagai Plt/Plh jabatan yang lowong (BKPSDM)",
    description="Hanya BKPSDM." + _ACTING_DOC + _ERRORS_DOC,
)
@_service_refusals
def assign_acting(request: HttpRequest, body: ActingIn) -> Status:
    user = _viewer(request)
    vacancy = access.vacancies_for(user).filter(pk=body.vacancy_id).first()
    if vacancy is None:
        return _invalid("vacancy_id", _("Lowongan tidak ditemukan."))
    employee = Employee.objects.filter(pk=body.employee_id).first()
    if employee is None:
        return _invalid("employee_id", _("Pegawai tidak ditemukan."))
    assignment = acting.assign_acting(vacancy, employee, body.kind, body.starts_on, body.ends_on, by=user)
    return Status(201, _acting_for(user, assignment.pk))


class ExtendIn(Schema):
    ends_on: dt.date = Field(..., description="Berakhir yang baru")


@router.post(
    "/acting/{assignment_id}/extend",
    response={200: ActingOut, 403: ErrorOut, 404: ErrorOut, 409: RefusalOut, 422: RefusalOut},
    summary="Perpanjang masa Plt/Plh satu kali, sebelum masanya berakhir (BKPSDM)",
    description="Hanya BKPSDM. 409 bila sudah pernah diperpanjang atau masanya sudah berakhir." + _ERRORS_DOC,
)
@_service_refusals
def extend_acting(request: HttpRequest, assignment_id: int, body: ExtendIn) -> Status:
    user = _viewer(request)
    assignment = _acting_for(user, assignment_id)
    acting.extend_acting(assignment, body.ends_on, by=user)
    return Status(200, _acting_for(user, assignment.pk))


class CoverageRowOut(Schema):
    opd: OpdOut
    level: str
    level_label: str
    open: int = Field(..., description="Lowongan terbuka pada tanggal itu")
    covered: int = Field(..., description="Yang dijabat Plt/Plh pejabat yang ada")
    uncovered: int
    share: float = Field(..., description="covered / open, 0 sampai 1")


class CoverageTotalsOut(Schema):
    open: int
    covered: int
    uncovered: int
    share: float


class CoverageOut(Schema):
    on: dt.date
    rows: list[CoverageRowOut]
    totals: CoverageTotalsOut


class CoverageQuery(Schema):
    on: dt.date | None = Field(None, description="Tanggal (bawaan: hari ini)")


@router.get(
    "/coverage",
    response=CoverageOut,
    summary="Berapa lowongan yang dijabat Plt/Plh pejabat yang ada, per OPD dan jenjang",
    description="Laporan 'memaksimalkan pejabat yang ada'. OPD hanya melihat baris OPD-nya.",
)
def coverage(request: HttpRequest, query: Query[CoverageQuery]) -> dict[str, Any]:
    user = _viewer(request)
    report = acting.coverage_report(query.on)
    rows = report.rows
    if not access.sees_all(user):
        mine = access.opd_ids(user)
        rows = [row for row in rows if row.opd_id in mine]
    open_total = sum(row.open for row in rows)
    covered_total = sum(row.covered for row in rows)
    return {
        "on": report.on,
        "rows": [
            {
                "opd": {"id": row.opd_id, "name": row.opd_name},
                "level": row.level,
                "level_label": row.level_label,
                "open": row.open,
                "covered": row.covered,
                "uncovered": row.uncovered,
                "share": round(row.covered / row.open, 4) if row.open else 0.0,
            }
            for row in rows
        ],
        "totals": {
            "open": open_total,
            "covered": covered_total,
            "uncovered": open_total - covered_total,
            "share": round(covered_total / open_total, 4) if open_total else 0.0,
        },
    }
