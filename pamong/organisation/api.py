import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate
from ninja.throttling import AnonRateThrottle

from pamong.core.api_auth import staff_auth
from pamong.organisation import queries, services, signals
from pamong.organisation.forms import canonical_username
from pamong.organisation.models import OPD, Employee, User

router = Router(tags=["organisasi"])


class TokenRequest(Schema):
    identity_number: str = Field(..., max_length=40, description="NIP, NI PPPK, nomor PTT, atau nama pengguna saksi")
    password: str = Field(..., max_length=200)
    otp_token: str | None = Field(
        None, max_length=6, description="Kode TOTP 6 digit; wajib bagi Wali Kota, Sekda, Inspektorat, BKPSDM, BKAD"
    )


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"  # noqa: S105 - the scheme name, not a secret
    expires_at: dt.datetime


class ErrorOut(Schema):
    detail: str


@router.post(
    "/auth/token",
    response={200: TokenOut, 401: ErrorOut, 429: ErrorOut},
    auth=None,
    throttle=[AnonRateThrottle(settings.PAMONG_API_RATE_AUTH_TOKEN)],
    summary="Minta token API dengan nomor identitas dan kata sandi",
)
def issue_token(request: HttpRequest, body: TokenRequest) -> Status:
    user = authenticate(request, username=canonical_username(body.identity_number), password=body.password)
    if getattr(request, "axes_locked_out", False):
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        return Status(
            429,
            {
                "detail": _("Terlalu banyak percobaan gagal. Akun dikunci sementara %(menit)d menit.")
                % {"menit": minutes}
            },
        )
    if user is None:
        return Status(401, {"detail": _("Nomor identitas atau kata sandi salah.")})
    assert isinstance(user, User)
    if services.requires_two_factor(user):
        devices = list(devices_for_user(user, confirmed=True))
        if not devices:
            return Status(
                401,
                {
                    "detail": _(
                        "Peran Anda wajib verifikasi dua langkah; daftarkan aplikasi autentikator lewat peramban dulu."
                    )
                },
            )
        if not body.otp_token or not any(d.verify_token(body.otp_token) for d in devices):
            return Status(401, {"detail": _("Kode verifikasi dua langkah (otp_token) wajib dan harus benar.")})
    with transaction.atomic():
        issued = services.issue_api_token(user)
        signals.password_verified.send(
            sender=User,
            user=user,
            password=body.password,
            request=request,
            api_token=issued.api_token,
            token_secret=issued.token,
        )
    return Status(200, {"token": issued.token, "expires_at": issued.expires_at})


class KelurahanOut(Schema):
    code: str
    name: str
    kecamatan_code: str = Field(..., alias="kecamatan.code")
    kecamatan: str = Field(..., alias="kecamatan.name")


@router.get(
    "/kelurahan",
    response=list[KelurahanOut],
    auth=None,
    summary="Daftar kelurahan dengan kode Kemendagri",
    throttle=[AnonRateThrottle(settings.PAMONG_API_RATE_ANON)],
)
def list_kelurahan(request: HttpRequest) -> object:
    return queries.kelurahan_list()


class OPDOut(Schema):
    id: int
    code: str
    name: str
    abbreviation: str
    kind: str
    parent_id: int | None


@router.get(
    "/opd",
    response=list[OPDOut],
    auth=None,
    summary="Daftar OPD",
    throttle=[AnonRateThrottle(settings.PAMONG_API_RATE_ANON)],
)
def list_opd(request: HttpRequest) -> object:
    return OPD.objects.filter(is_active=True).order_by("name")


class EmployeeOut(Schema):
    id: int
    identity_number: str
    kind: str
    name: str
    full_name: str
    sex: str
    rank: str
    status: str
    opd_id: int
    opd: str = Field(..., alias="opd.name")
    position: str | None = Field(None, alias="position.name")


class EmployeeFilter(Schema):
    q: str | None = Field(None, max_length=100, description="Bagian nama atau nomor identitas")
    opd: int | None = Field(None, description="ID OPD")
    kind: Employee.Kind | None = Field(None, description="pns, pppk, atau ptt")


class EmployeePagination(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1)
        page_size: int = Field(50, ge=1, le=200)

    def paginate_queryset(  # type: ignore[override]
        self, queryset: QuerySet[Employee], pagination: Input, request: HttpRequest, **params: Any
    ) -> Any:
        self.page_size = pagination.page_size
        return super().paginate_queryset(queryset, pagination, request=request, **params)  # type: ignore[arg-type]


@router.get("/employees", response=list[EmployeeOut], auth=staff_auth, summary="Pegawai yang boleh Anda lihat")
@paginate(EmployeePagination)
def list_employees(request: HttpRequest, filters: Query[EmployeeFilter]) -> object:
    rows = queries.employees_visible_to(request.user)
    if filters.q:
        rows = rows.filter(Q(name__icontains=filters.q) | Q(identity_number__icontains=filters.q.replace(" ", "")))
    if filters.opd:
        rows = rows.filter(opd_id=filters.opd)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    return rows.order_by("name", "id")
