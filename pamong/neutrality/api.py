"""The declaration API under /api/v1/declarations/: sign, follow the progress, list the signatures.

No ``from __future__ import annotations`` here: django-ninja reads the annotations of the paginated
view through its own wrapper, where postponed names such as ``Query`` cannot be resolved.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.throttling import AnonRateThrottle

from pamong.core import ledger
from pamong.core.api_auth import staff_auth
from pamong.neutrality import queries, services
from pamong.neutrality.models import Campaign, Signature
from pamong.organisation.identity import mask_identity_number
from pamong.organisation.models import User

router = Router(tags=["deklarasi"])


class ErrorOut(Schema):
    detail: str


def _campaign(campaign_id: int) -> Campaign:
    campaign = queries.find_campaign(campaign_id)
    if campaign is None:
        raise HttpError(404, _("Kampanye deklarasi %(id)d tidak ada.") % {"id": campaign_id})
    return campaign


class SignIn(Schema):
    text_sha256: str = Field(
        ..., max_length=64, description="SHA-256 (heksadesimal) teks deklarasi yang dibaca penanda tangan"
    )
    drawing: str = Field(
        "", max_length=services.MAX_DRAWING, description="Tanda tangan digambar sebagai path SVG (opsional)"
    )


class SignatureOut(Schema):
    id: int
    campaign: int = Field(..., description="ID kampanye")
    capacity: str = Field(..., description="pegawai, wali_kota, sekda, atau saksi")
    witness_body: str
    signer_name: str
    identity_masked: str
    opd: str | None
    signed_at: dt.datetime
    receipt_code: str = Field(..., description="Kode tanda terima buku besar, XXXX-XXXX-XXXX-XXXX")
    verify_url: str = Field(..., description="Halaman publik untuk memeriksa tanda tangan ini")

    @staticmethod
    def resolve_campaign(obj: Signature) -> int:
        return obj.campaign_id

    @staticmethod
    def resolve_identity_masked(obj: Signature) -> str:
        return mask_identity_number(obj.identity_number)

    @staticmethod
    def resolve_opd(obj: Signature) -> str | None:
        return obj.opd.name if obj.opd is not None else None

    @staticmethod
    def resolve_receipt_code(obj: Signature) -> str:
        return ledger.format_receipt_code(obj.receipt_code) if obj.receipt_code else ""

    @staticmethod
    def resolve_verify_url(obj: Signature, context: dict[str, Any]) -> str:
        if not obj.receipt_code:
            return ""
        path = reverse("core:verify", args=[ledger.format_receipt_code(obj.receipt_code)])
        return str(context["request"].build_absolute_uri(path))


@router.post(
    "/{campaign_id}/signatures",
    response={200: SignatureOut, 201: SignatureOut, 400: ErrorOut, 404: ErrorOut},
    auth=staff_auth,
    summary="Tanda tangani deklarasi atas nama sendiri",
    description=(
        "201 bila tanda tangan dibuat sekarang; 200 dengan tanda tangan yang sama bila Anda sudah "
        "menandatangani (aman diulang). 400 dengan pesan berbahasa Indonesia bila di luar masa "
        "penandatanganan, teks berbeda, atau Anda tidak wajib/tidak boleh menandatangani."
    ),
)
def sign(request: HttpRequest, campaign_id: int, body: SignIn) -> Status:
    campaign = _campaign(campaign_id)
    assert isinstance(request.user, User)
    try:
        signature, created = services.sign_declaration(
            campaign, by=request.user, text_sha256=body.text_sha256.strip().lower(), drawing=body.drawing
        )
    except ValidationError as exc:
        return Status(400, {"detail": " ".join(exc.messages)})
    return Status(201 if created else 200, signature)


class OpdProgressOut(Schema):
    opd_id: int
    name: str
    eligible: int
    signed: int


class StatusProgressOut(Schema):
    kind: str = Field(..., description="pns, pppk, atau ptt")
    eligible: int
    signed: int


class ProgressOut(Schema):
    eligible: int
    signed: int
    percent: float
    by_opd: list[OpdProgressOut]
    by_status: list[StatusProgressOut]


@router.get(
    "/{campaign_id}/progress",
    response={200: ProgressOut, 404: ErrorOut},
    auth=None,
    throttle=[AnonRateThrottle(settings.PAMONG_API_RATE_ANON)],
    summary="Kemajuan penandatanganan: jumlah wajib dan sudah, per OPD dan per status kepegawaian",
)
def progress(request: HttpRequest, campaign_id: int) -> Status:
    counts = queries.progress(_campaign(campaign_id))
    return Status(
        200,
        {
            "eligible": counts["eligible"],
            "signed": counts["signed"],
            "percent": counts["percent"],
            "by_opd": counts["by_opd"],
            "by_status": counts["by_kind"],
        },
    )


class SignatureFilter(Schema):
    opd: int | None = Field(None, description="ID OPD")
    capacity: Signature.Capacity | None = Field(None, description="pegawai, wali_kota, sekda, atau saksi")


class SignaturePagination(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1)
        page_size: int = Field(50, ge=1, le=200)

    def paginate_queryset(  # type: ignore[override]
        self, queryset: QuerySet[Signature], pagination: Input, request: HttpRequest, **params: Any
    ) -> Any:
        self.page_size = pagination.page_size
        return super().paginate_queryset(queryset, pagination, request=request, **params)  # type: ignore[arg-type]


@router.get(
    "/{campaign_id}/signatures",
    response=list[SignatureOut],
    auth=staff_auth,
    summary="Tanda tangan yang boleh Anda lihat (nomor identitas disamarkan)",
    description=(
        "Wali Kota, Sekda, BKPSDM, dan Inspektorat melihat semua; kepala dan operator OPD melihat "
        "OPD-nya; pegawai lain hanya tanda tangannya sendiri."
    ),
)
@paginate(SignaturePagination)
def list_signatures(request: HttpRequest, campaign_id: int, filters: Query[SignatureFilter]) -> object:
    rows = queries.signatures_visible_to(request.user, _campaign(campaign_id))
    if filters.opd:
        rows = rows.filter(opd_id=filters.opd)
    if filters.capacity:
        rows = rows.filter(capacity=filters.capacity)
    return rows.order_by("signed_at", "pk")
