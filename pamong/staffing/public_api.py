"""The public, read-only staffing API under /api/v1/staffing/public/ (the transparency page's data).

No login, throttled per address like the ledger's public API. Everything comes from
``pamong.staffing.public``, the query behind /transparansi/jabatan/: proposals once submitted (never
drafts), their steps with the ledger receipts, the periods' rules and the use of each quota, and the
acting officials serving today. The only names are the appointee's, once the decree is recorded,
and the acting officials', whose assignments are official acts.

No ``from __future__ import annotations`` here: django-ninja reads the annotations of the views
through its own wrapper, where postponed names cannot be resolved.
"""

import datetime as dt
import math
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.throttling import AnonRateThrottle

from pamong.core.clock import business_today
from pamong.organisation.models import Position
from pamong.staffing import public
from pamong.staffing.models import Proposal

router = Router(tags=["transparansi jabatan"])

PUBLIC: dict[str, Any] = {"auth": None, "throttle": [AnonRateThrottle(settings.PAMONG_API_RATE_ANON)]}
PublicStatus = Proposal.Status  # for the filter's documentation; "draf" is refused below


class ErrorOut(Schema):
    detail: str


class ChoiceOut(Schema):
    code: str
    label: str


class LetterOut(Schema):
    number: str
    date: dt.date | None


class StepOut(Schema):
    status: str = Field(..., description="Status usulan sesudah langkah ini")
    status_label: str
    label: str = Field(..., description="Apa yang terjadi, dalam kata-kata")
    on: dt.date
    role: str = Field(..., description="Peran yang mengambil langkah, seperti tercatat di buku besar")
    role_label: str
    receipt_code: str | None = Field(None, description="Kode tanda terima buku besar")
    verify_url: str | None = Field(None, description="Halaman pemeriksaan tanda terima")

    @staticmethod
    def resolve_verify_url(obj: public.PublicStep, context: dict[str, Any]) -> str | None:
        if not obj.receipt_code:
            return None
        path = reverse("core:verify", args=[obj.receipt_code])
        request = context.get("request") if context else None
        return request.build_absolute_uri(path) if request is not None else path


class PositionOut(Schema):
    name: str
    level: str
    level_label: str


class OpdOut(Schema):
    id: int
    name: str


class PeriodRefOut(Schema):
    code: str
    name: str


class ProposalOut(Schema):
    id: int
    position: PositionOut
    opd: OpdOut
    status: ChoiceOut
    period: PeriodRefOut
    quota: ChoiceOut | None = Field(None, description="Kelompok kuota; kosong bila jenjangnya tanpa kuota")
    counts_against_quota: bool = Field(..., description="Masih memakai satu tempat kuota")
    urgency: list[ChoiceOut] = Field(..., description="Alasan penting dan mendesak yang dicentang")
    justification_summary: str = Field(..., description="Awal uraian alasan (paling banyak ±200 huruf)")
    vacant_since: dt.date
    submitted_on: dt.date | None
    request_letter_number: str = Field(..., description="Nomor surat usulan Wali Kota ke Kemendagri")
    mendagri_letter: LetterOut | None = Field(None, description="Surat keputusan Kemendagri, setelah dicatat")
    decree: LetterOut | None = Field(None, description="SK pengangkatan, setelah dicatat")
    appointee_name: str | None = Field(None, description="Nama pejabat yang diangkat; hanya setelah SK terbit")
    reported_on: dt.date | None = Field(None, description="Tanggal pengangkatan dilaporkan ke Kemendagri")
    steps: list[StepOut]
    url: str = Field(..., description="Halaman publik usulan ini")

    @staticmethod
    def resolve_position(obj: public.PublicProposal) -> dict[str, str]:
        return {"name": obj.position_name, "level": obj.level, "level_label": obj.level_label}

    @staticmethod
    def resolve_opd(obj: public.PublicProposal) -> dict[str, Any]:
        return {"id": obj.opd_id, "name": obj.opd_name}

    @staticmethod
    def resolve_status(obj: public.PublicProposal) -> dict[str, str]:
        return {"code": obj.status, "label": obj.status_label}

    @staticmethod
    def resolve_period(obj: public.PublicProposal) -> dict[str, str]:
        return {"code": obj.period_code, "name": obj.period_name}

    @staticmethod
    def resolve_url(obj: public.PublicProposal, context: dict[str, Any]) -> str:
        path = reverse("staffing_public:detail", args=[obj.id])
        request = context.get("request") if context else None
        return request.build_absolute_uri(path) if request is not None else path


class ProposalPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[ProposalOut]


class ProposalFilter(Schema):
    period: str | None = Field(None, description="Kode periode kebijakan, mis. pra-pilkada-2024")
    status: PublicStatus | None = Field(None, description="Status usulan (draf tidak pernah publik)")
    opd: int | None = Field(None, description="ID OPD")
    level: Position.Level | None = Field(None, description="Jenjang jabatan")
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=200)


@router.get(
    "/proposals",
    response={200: ProposalPageOut},
    summary="Usulan pengisian jabatan dan keputusannya (publik)",
    description=(
        "Setiap usulan yang sudah diajukan BKPSDM (draf tidak pernah tampil), terbaru dulu: jabatan, OPD, "
        "jenjang, status, setiap langkah dengan tanggal, peran dan kode tanda terima buku besar, alasan "
        "penting dan mendesak, ringkasan alasan, kuota, surat Kemendagri dan SK pengangkatan. Nama hanya "
        "nama pejabat yang diangkat, setelah SK terbit. Tanpa login; dibatasi per alamat."
    ),
    **PUBLIC,
)
def list_proposals(request: HttpRequest, filters: Query[ProposalFilter]) -> Status:
    queryset = public.filtered(
        public.proposals(),
        period=filters.period,
        status=filters.status,
        opd=filters.opd,
        level=filters.level,
    )
    if filters.status == Proposal.Status.DRAFT:
        queryset = queryset.none()
    count = queryset.count()
    pages = max(math.ceil(count / filters.page_size), 1)
    start = (filters.page - 1) * filters.page_size
    items = public.present(list(queryset[start : start + filters.page_size])) if start < count else []
    return Status(200, {"count": count, "page": filters.page, "pages": pages, "items": items})


@router.get(
    "/proposals/{proposal_id}",
    response={200: ProposalOut, 404: ErrorOut},
    summary="Satu usulan pengisian jabatan dengan seluruh langkahnya (publik)",
    description="404 bila usulan tidak ada atau masih draf.",
    **PUBLIC,
)
def get_proposal(request: HttpRequest, proposal_id: int) -> Status:
    found = public.proposal(proposal_id)
    if found is None:
        return Status(404, {"detail": _("Usulan tidak ditemukan.")})
    return Status(200, found)


class QuotaOut(Schema):
    code: str
    label: str
    levels: list[ChoiceOut]
    limit: int
    used: int = Field(..., description="Usulan yang memakai kuota ini")
    left: int


class PeriodOut(Schema):
    code: str
    version: int = Field(..., description="Versi terbaru periode ini")
    name: str
    starts_on: dt.date
    ends_on: dt.date | None = Field(None, description="Kosong: sampai kepala daerah baru dilantik")
    in_force: bool = Field(..., description="Berlaku hari ini")
    approval_levels: list[ChoiceOut] = Field(..., description="Jenjang yang penggantiannya perlu persetujuan Mendagri")
    quotas: list[QuotaOut]
    quota_source: str
    others_from: dt.date | None = Field(None, description="Lowongan tanpa alasan mendesak diusulkan mulai tanggal ini")
    frees_on_withdrawal: bool
    frees_on_rejection: bool
    reason: str = Field(..., description="Alasan perubahan versi terbaru")


@router.get(
    "/periods",
    response=list[PeriodOut],
    summary="Periode kebijakan: aturan dan pemakaian kuota (publik)",
    description="Versi terbaru setiap periode, yang berlaku hari ini lebih dulu. Tanpa login; dibatasi per alamat.",
    **PUBLIC,
)
def list_periods(request: HttpRequest) -> list[public.PublicPeriod]:
    return public.periods()


class ActingOut(Schema):
    id: int
    position: PositionOut
    opd: OpdOut
    kind: ChoiceOut
    official_name: str = Field(..., description="Pejabat yang ditugaskan (penugasan Plt/Plh adalah tindakan resmi)")
    starts_on: dt.date
    ends_on: dt.date
    extended: bool

    @staticmethod
    def resolve_position(obj: public.PublicActing) -> dict[str, str]:
        return {"name": obj.position_name, "level": obj.level, "level_label": obj.level_label}

    @staticmethod
    def resolve_opd(obj: public.PublicActing) -> dict[str, Any]:
        return {"id": obj.opd_id, "name": obj.opd_name}

    @staticmethod
    def resolve_kind(obj: public.PublicActing) -> dict[str, str]:
        return {"code": obj.kind, "label": obj.kind_label}


class ActingOverviewOut(Schema):
    on: dt.date
    open: int = Field(..., description="Jabatan lowong pada tanggal itu")
    covered: int = Field(..., description="Di antaranya yang dijabat Plt/Plh dari pejabat yang ada")
    assignments: list[ActingOut]


@router.get(
    "/acting",
    response=ActingOverviewOut,
    summary="Plt/Plh yang menjabat hari ini dan berapa lowongan yang mereka isi (publik)",
    **PUBLIC,
)
def acting_in_force(request: HttpRequest) -> public.ActingOverview:
    return public.acting_in_force(business_today())
