"""The reports API: anonymous intake and follow-up by receipt under /api/v1/reports, and the
handlers' endpoints under /api/v1/cases.

The reporter's side knows nothing about the caller: the middleware has removed the address and the
browser before this code runs, the throttles share one budget among everyone (no per-address
counters), and the receipt travels only in the ``X-Receipt`` header, never in an address.

No ``from __future__ import annotations`` here: django-ninja reads the annotations of the paginated
view through its own wrapper, where postponed names such as ``Query`` cannot be resolved.
"""

import base64
import binascii
import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.throttling import SimpleRateThrottle

from pamong.cases import crypto, facts, keyring, services
from pamong.cases.downloads import attachment_download, download
from pamong.cases.models import (
    DisciplineSanction,
    ElectionStage,
    EthicsSanction,
    Examiner,
    ForwardTarget,
    Kind,
    Outcome,
    Report,
    Stage,
    Track,
    Transition,
)
from pamong.core.api_auth import staff_auth
from pamong.organisation.forms import canonical_username
from pamong.organisation.identity import mask_identity_number
from pamong.organisation.models import OPD, Employee, User

router = Router(tags=["Laporan rahasia"])
HANDLING = ["Penanganan laporan"]
RECEIPT_HEADER = "X-Receipt"


class GlobalRateThrottle(SimpleRateThrottle):
    """One budget shared by every caller of the endpoints that use it.

    The cache key names the budget and nothing about the client: addresses are never looked at on
    the reporting paths (they are gone by now anyway), so a per-address limit could not exist.
    """

    def __init__(self, scope: str, rate: str) -> None:
        self.scope = scope
        super().__init__(rate)  # parses "30/m", "30/min", "120/5m" and the like

    def get_cache_key(self, request: HttpRequest) -> str:
        return f"throttle_{self.scope}_all"


# The receipt checks of status, reply and file download share one budget: each costs an Argon2id run.
INTAKE_THROTTLE = GlobalRateThrottle("report_intake", settings.PAMONG_REPORT_RATE)
RECEIPT_THROTTLE = GlobalRateThrottle("report_receipt", settings.PAMONG_RECEIPT_RATE)
STATISTICS_THROTTLE = GlobalRateThrottle("report_statistics", settings.PAMONG_API_RATE_ANON)


# --- shared shapes and helpers --------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str


class FieldError(Schema):
    field: str
    message: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldError]


class ChoiceOut(Schema):
    code: str
    label: str


def _enum(values: Any) -> dict[str, Any]:
    return {"enum": list(values)}


def _choice(enum: Any, value: str) -> dict[str, str] | None:
    if not value:
        return None
    return {"code": value, "label": str(dict(enum.choices).get(value, value))}


class AttachmentIn(Schema):
    name: str = Field("", max_length=200, description="Nama berkas asli (hanya dipakai untuk nama yang disimpan)")
    content_base64: str = Field(..., description="Isi berkas dalam base64 standar (RFC 4648)")


class FileOut(Schema):
    id: int
    name: str


def _invalid(errors: list[dict[str, str]]) -> Status:
    return Status(
        422, {"detail": _("Permintaan belum bisa diproses: periksa isian yang disebut di 'errors'."), "errors": errors}
    )


def _errors_of(exc: ValidationError, fields: dict[str, str] | None = None) -> list[dict[str, str]]:
    """A service's ValidationError as [{"field", "message"}], with the service's names mapped to the
    request's (``what`` → ``answers.what``, ``files`` → ``attachments``)."""
    fields = fields or {}
    if not hasattr(exc, "error_dict"):
        return [{"field": "", "message": message} for message in exc.messages]
    out: list[dict[str, str]] = []
    for name, messages in exc.message_dict.items():
        where = "" if name == "__all__" else fields.get(name, name)
        out.extend({"field": where, "message": message} for message in messages)
    return out


def _decode(attachments: list[AttachmentIn]) -> tuple[list[tuple[str, bytes]], list[dict[str, str]]]:
    """The files as (name, bytes), and the errors saying which one is not base64."""
    if len(attachments) > services.MAX_FILES:
        message = _("Paling banyak %(n)d berkas sekali kirim.") % {"n": services.MAX_FILES}
        return [], [{"field": "attachments", "message": message}]
    files: list[tuple[str, bytes]] = []
    errors: list[dict[str, str]] = []
    for index, item in enumerate(attachments):
        try:
            data = base64.b64decode("".join(item.content_base64.split()), validate=True)
        except (binascii.Error, ValueError):
            errors.append(
                {
                    "field": f"attachments.{index}.content_base64",
                    "message": _("Berkas ke-%(n)d bukan base64 yang sah: kirim isi berkas dalam base64 standar.")
                    % {"n": index + 1},
                }
            )
            continue
        if not data:
            errors.append(
                {
                    "field": f"attachments.{index}.content_base64",
                    "message": _("Berkas ke-%(n)d kosong.") % {"n": index + 1},
                }
            )
            continue
        files.append((item.name, data))
    return files, errors


def _files(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": row["id"], "name": row["name"]} for row in rows]


# --- anonymous intake ------------------------------------------------------------------------------------


def _facts_description() -> str:
    lines = ["Fakta per jenis laporan (nama isian: keterangan; * wajib):"]
    for kind in Kind:
        parts = []
        for fact in facts.facts_for(kind):
            text = f"{fact.name}{'*' if kind in fact.required else ''} ({fact.label}"
            if fact.choices:
                text += ": " + "|".join(code for code, _label in fact.choices)
            elif fact.kind == "date":
                text += ", TTTT-BB-HH"
            elif fact.kind == "amount":
                text += ", angka rupiah"
            parts.append(text + ")")
        lines.append(f"- {kind.value}: " + "; ".join(parts))
    return "\n".join(lines)


def _size_note() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if not limit:
        return ""
    megabytes = f"{limit / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0")
    return (
        f"Seluruh isi permintaan (termasuk base64) paling besar {megabytes} MB; bukti yang lebih besar "
        "dikirim satu per satu lewat POST /api/v1/reports/messages."
    )


class ReportIn(Schema):
    kind: str = Field(..., description="Jenis laporan", json_schema_extra=_enum(list(Kind.values)))
    answers: dict[str, Any] = Field(default_factory=dict, description="Fakta laporan menurut jenisnya")
    opd_code: str | None = Field(None, max_length=40, description="Kode OPD terlapor (lihat /api/v1/opd), opsional")
    reported_number: str = Field("", description="NIP/nomor pegawai terlapor, opsional")
    contact: str = Field("", description="Cara menghubungi pelapor, opsional; disimpan terenkripsi")
    attachments: list[AttachmentIn] = Field(
        default_factory=list, description=f"Bukti, paling banyak {services.MAX_FILES} berkas"
    )
    keep_from_mayor: bool = Field(
        False,
        description=(
            "Untuk laporan tekanan: Wali Kota atau orang dekatnya terlibat, jadi laporan tidak dibagikan "
            "kepadanya (Inspektorat menangani atau meneruskannya)"
        ),
    )


class ReceiptOut(Schema):
    receipt: str = Field(..., description="Kode tanda terima: hanya ditampilkan sekali, tidak disimpan Pamong")
    number: str = Field(..., description="Nomor laporan (acak)")
    stage: ChoiceOut
    received_on: dt.date
    status_url: str = Field(..., description="Alamat untuk melihat status; kirim kode di header X-Receipt")
    follow_up_url: str = Field(..., description="Halaman web untuk mengikuti laporan dengan kode yang sama")
    note: str


@router.post(
    "/reports",
    response={201: ReceiptOut, 422: ValidationErrorOut, 429: ErrorOut},
    auth=None,
    throttle=[INTAKE_THROTTLE],
    summary="Kirim laporan rahasia tanpa akun",
    description=(
        "Tanpa login dan tanpa jejak: alamat IP dan peramban pengirim tidak pernah disimpan atau dicatat. "
        "Jawaban 201 memuat kode tanda terima (receipt) SEKALI SAJA; Pamong hanya menyimpan hash "
        "Argon2id-nya, jadi kode yang hilang tidak bisa dipulihkan. Dengan kode itu, kirim header "
        f"`{RECEIPT_HEADER}` ke GET /api/v1/reports/status dan POST /api/v1/reports/messages. "
        f"Lampiran: paling banyak {services.MAX_FILES} berkas (JPEG, PNG, PDF, dokumen Office), "
        "diperiksa menurut isinya, dibersihkan dari metadata. 422 dengan pesan per isian bila ada yang "
        "harus diperbaiki; tidak ada yang tersimpan. Batas laju berlaku untuk semua pengirim bersama. "
        + _size_note()
        + "\n\n"
        + _facts_description()
    ),
    url_name="report_intake",
)
def submit(request: HttpRequest, body: ReportIn) -> Status:
    files, errors = _decode(body.attachments)
    opd = None
    if body.opd_code:
        opd = OPD.objects.filter(code=body.opd_code.strip(), is_active=True).first()
        if opd is None:
            errors.insert(0, {"field": "opd_code", "message": _("Tidak ada OPD dengan kode itu; lihat /api/v1/opd.")})
    if errors:
        return _invalid(errors)
    try:
        submitted = services.submit_report(
            kind=body.kind,
            answers=body.answers,
            opd=opd,
            reported_number=body.reported_number,
            contact=body.contact,
            files=files,
            keep_from_mayor=body.keep_from_mayor,
        )
    except ValidationError as exc:
        fact_names = {fact.name: f"answers.{fact.name}" for fact in facts.FACTS}
        return _invalid(_errors_of(exc, {**fact_names, "files": "attachments"}))
    report = submitted.report
    return Status(
        201,
        {
            "receipt": submitted.receipt,
            "number": report.number,
            "stage": _choice(Stage, report.stage),
            "received_on": report.received_on,
            "status_url": request.build_absolute_uri(reverse("api:report_status")),
            "follow_up_url": request.build_absolute_uri(reverse("cases:follow_up_login")),
            "note": _(
                "Simpan kode tanda terima ini sekarang: kode ini tidak ditampilkan lagi dan tidak bisa dipulihkan. "
                "Kirim kode di header X-Receipt, jangan di alamat."
            ),
        },
    )


# --- following a report with the receipt -----------------------------------------------------------------

_RECEIPT_DOC = (
    f"Kode tanda terima dikirim di header `{RECEIPT_HEADER}` (bukan di alamat). 401 bila header tidak ada; "
    "403 bila kode salah; 429 bila kode untuk tanda terima ini sudah terlalu sering salah (tunggu sesuai "
    "pesan) atau batas laju bersama terlampaui."
)


def _reporter(code: str | None) -> services.ReporterAccess:
    if not (code or "").strip():
        raise HttpError(401, _("Kirim kode tanda terima di header X-Receipt."))
    assert code is not None
    locator = crypto.receipt_locator(code)
    locked = (
        bool(locator)
        and Report.objects.filter(receipt_locator=locator, receipt_locked_until__gt=timezone.now()).exists()
    )
    try:
        return services.open_with_receipt(code)
    except services.ReceiptRefused as exc:
        raise HttpError(429 if locked else 403, str(exc)) from None


def _receipt_header() -> Any:
    return Header(None, alias=RECEIPT_HEADER, description="Kode tanda terima laporan")


class ReporterMessageOut(Schema):
    id: int
    author: str = Field(..., description="pelapor, petugas, atau sistem")
    author_label: str
    sent_on: dt.date
    body: str
    attachments: list[FileOut]


class StepOut(Schema):
    stage: ChoiceOut
    on: dt.date
    reason: str | None = Field(None, description="Alasan penolakan atau penutupan karena tidak terbukti")


class StatusOut(Schema):
    number: str
    kind: ChoiceOut
    stage: ChoiceOut
    received_on: dt.date
    due_on: dt.date | None = Field(None, description="Batas waktu tahap sekarang (hari kerja)")
    history: list[StepOut]
    files: list[FileOut] = Field(..., description="Berkas yang dikirim bersama laporan")
    messages: list[ReporterMessageOut]


def _step(report: Report, key: bytes, row: Transition) -> dict[str, Any]:
    reason = services.note_for_reporter(report, key, row) or None
    return {"stage": _choice(Stage, row.to_stage), "on": row.on, "reason": reason}


@router.get(
    "/reports/status",
    response={200: StatusOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut},
    auth=None,
    throttle=[RECEIPT_THROTTLE],
    summary="Status laporan dan pesan petugas, dengan kode tanda terima",
    description=_RECEIPT_DOC + " Catatan internal dan nama petugas tidak pernah ditampilkan.",
    url_name="report_status",
)
def report_status(request: HttpRequest, x_receipt: str | None = _receipt_header()) -> Status:
    access = _reporter(x_receipt)
    report = access.report
    view = services.read_report(report, access.key, internal=False)
    return Status(
        200,
        {
            "number": report.number,
            "kind": _choice(Kind, report.kind),
            "stage": _choice(Stage, report.stage),
            "received_on": report.received_on,
            "due_on": report.due_on,
            "history": [_step(report, access.key, row) for row in view.history],
            "files": _files(view.files),
            "messages": [
                {
                    "id": m.id,
                    "author": m.author,
                    "author_label": m.author_label,
                    "sent_on": m.sent_on,
                    "body": m.body,
                    "attachments": _files(m.attachments),
                }
                for m in view.messages
            ],
        },
    )


class MessageIn(Schema):
    body: str = Field("", description=f"Pesan, paling banyak {services.MAX_MESSAGE} karakter")
    attachments: list[AttachmentIn] = Field(
        default_factory=list, description=f"Bukti tambahan, paling banyak {services.MAX_FILES} berkas"
    )


class MessageOut(Schema):
    id: int
    sent_on: dt.date


@router.post(
    "/reports/messages",
    response={201: MessageOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut},
    auth=None,
    throttle=[RECEIPT_THROTTLE],
    summary="Balas petugas atau tambah bukti, dengan kode tanda terima",
    description=_RECEIPT_DOC,
)
def reporter_reply(request: HttpRequest, body: MessageIn, x_receipt: str | None = _receipt_header()) -> Status:
    access = _reporter(x_receipt)
    files, errors = _decode(body.attachments)
    if errors:
        return _invalid(errors)
    try:
        message = services.reporter_reply(access, body.body, files)
    except ValidationError as exc:
        return _invalid(_errors_of(exc, {"files": "attachments"}))
    return Status(201, {"id": message.pk, "sent_on": message.sent_on})


def _download(report: Report, key: bytes, attachment_id: int, *, internal: bool) -> HttpResponse | Status:
    try:
        meta, data = services.read_attachment(report, key, attachment_id, internal=internal)
    except Http404:
        return Status(404, {"detail": _("Berkas itu tidak ada di laporan ini.")})
    return attachment_download(meta, data)


_FILE_DOC: dict[str, Any] = {
    "responses": {200: {"description": "Isi berkas", "content": {"application/octet-stream": {"schema": {}}}}}
}


@router.get(
    "/reports/files/{attachment_id}",
    response={401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    auth=None,
    throttle=[RECEIPT_THROTTLE],
    summary="Unduh berkas laporan (bukti atau lampiran pesan petugas), dengan kode tanda terima",
    description=_RECEIPT_DOC,
    openapi_extra=_FILE_DOC,
)
def reporter_file(
    request: HttpRequest, attachment_id: int, x_receipt: str | None = _receipt_header()
) -> HttpResponse | Status:
    access = _reporter(x_receipt)
    return _download(access.report, access.key, attachment_id, internal=False)


class CountOut(Schema):
    key: int | str
    label: str
    count: int | str = Field(..., description='Jumlah; "<5" bila kurang dari 5')


class StatisticsOut(Schema):
    total: int | str
    open: int | str
    overdue: int | str
    by_kind: list[CountOut]
    by_stage: list[CountOut]
    by_outcome: list[CountOut]
    by_opd: list[CountOut]


@router.get(
    "/reports/statistics",
    response=StatisticsOut,
    auth=None,
    throttle=[STATISTICS_THROTTLE],
    summary='Statistik laporan menurut jenis, tahap, hasil, dan OPD (sel di bawah 5 ditulis "<5")',
)
def statistics(request: HttpRequest) -> dict[str, Any]:
    return services.statistics()


# --- handlers ----------------------------------------------------------------------------------------------


def _not_found() -> HttpError:
    return HttpError(404, _("Laporan tidak ditemukan."))


def _handler(request: HttpRequest, report_id: uuid.UUID) -> services.HandlerAccess:
    user = request.user
    assert isinstance(user, User)
    try:
        return services.open_as_handler(report_id, user, keyring.private_key(request))
    except Http404:
        raise _not_found() from None
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or _("Langkah ini bukan wewenang peran Anda.")) from None


class _CaseFields(Schema):
    id: uuid.UUID
    number: str
    kind: ChoiceOut
    stage: ChoiceOut
    received_on: dt.date
    stage_since: dt.date
    due_on: dt.date | None
    overdue: bool
    opd: str | None
    assigned_to_me: bool


class CaseSummaryOut(_CaseFields):
    @staticmethod
    def resolve_kind(obj: Report) -> dict[str, str] | None:
        return _choice(Kind, obj.kind)

    @staticmethod
    def resolve_stage(obj: Report) -> dict[str, str] | None:
        return _choice(Stage, obj.stage)

    @staticmethod
    def resolve_overdue(obj: Report) -> bool:
        return services.deadline_state(obj) == "late"

    @staticmethod
    def resolve_opd(obj: Report) -> str | None:
        return obj.opd.name if obj.opd_id and obj.opd else None

    @staticmethod
    def resolve_assigned_to_me(obj: Report) -> bool:
        return bool(getattr(obj, "assigned_to_me", False))


class CaseFilter(Schema):
    stage: Stage | None = Field(None, description="Tahap")
    kind: Kind | None = Field(None, description="Jenis laporan")
    mine: bool = Field(False, description="Hanya yang ditugaskan kepada saya")


class CasePagination(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1)
        page_size: int = Field(50, ge=1, le=200)

    def paginate_queryset(  # type: ignore[override]
        self, queryset: QuerySet[Report], pagination: Input, request: HttpRequest, **params: Any
    ) -> Any:
        self.page_size = pagination.page_size
        return super().paginate_queryset(queryset, pagination, request=request, **params)  # type: ignore[arg-type]


@router.get(
    "/cases",
    response=list[CaseSummaryOut],
    auth=staff_auth,
    tags=HANDLING,
    summary="Antrean laporan: metadata saja, tanpa isi",
    description=(
        "Inspektorat melihat seluruh antrean; BKPSDM dan Wali Kota hanya laporan yang ditugaskan kepadanya. "
        "Pengguna lain mendapat 404."
    ),
)
@paginate(CasePagination)
def list_cases(request: HttpRequest, filters: Query[CaseFilter]) -> object:
    user = request.user
    if not services.can_see_queue(user):
        raise HttpError(404, _("Antrean laporan tidak tersedia untuk Anda."))
    assert isinstance(user, User)
    # Received reports reach the ledger in shuffled batches, so no entry's time says when one was sent.
    services.flush_intake_entries()
    return services.queue(user, stage=filters.stage or "", kind=filters.kind or "", mine=filters.mine)


class FactOut(Schema):
    field: str
    label: str
    value: str | int


class HandlerFileOut(Schema):
    id: int
    name: str
    type: str
    size: int
    from_reporter: bool
    added_on: dt.date


class HandlerMessageOut(Schema):
    id: int
    author: str = Field(..., description="pelapor, petugas, catatan (internal), atau sistem")
    author_label: str
    by_name: str
    internal: bool
    sent_on: dt.date
    body: str
    attachments: list[HandlerFileOut]


class HandlerStepOut(Schema):
    from_stage: str
    to_stage: ChoiceOut
    on: dt.date
    by_name: str
    facts: dict[str, Any]
    note: str


class AssignmentOut(Schema):
    username: str
    full_name: str
    role: str
    assigned_on: dt.date


class ReportedOut(Schema):
    id: int
    name: str
    identity_masked: str
    opd: str


class CaseOut(_CaseFields):
    purged: bool
    reported_employee: ReportedOut | None
    examiner: ChoiceOut | None
    track: ChoiceOut | None
    ethics_sanction: ChoiceOut | None
    discipline_sanction: ChoiceOut | None
    election_stage: ChoiceOut | None
    outcome: ChoiceOut | None
    forwarded_to: ChoiceOut | None
    facts: list[FactOut]
    reported_number: str
    contact: str
    reporter: dict[str, str] | None = Field(None, description="Identitas pelapor bila ia melapor atas namanya")
    files: list[HandlerFileOut]
    messages: list[HandlerMessageOut]
    history: list[HandlerStepOut]
    assignments: list[AssignmentOut]


def _reported(employee: Employee | None) -> dict[str, Any] | None:
    if employee is None:
        return None
    return {
        "id": employee.pk,
        "name": employee.name,
        "identity_masked": mask_identity_number(employee.identity_number),
        "opd": employee.opd.name,
    }


def _case(access: services.HandlerAccess, user: User) -> dict[str, Any]:
    report = access.report
    base: dict[str, Any] = {
        "id": report.pk,
        "number": report.number,
        "kind": _choice(Kind, report.kind),
        "stage": _choice(Stage, report.stage),
        "received_on": report.received_on,
        "stage_since": report.stage_since,
        "due_on": report.due_on,
        "overdue": CaseSummaryOut.resolve_overdue(report),
        "opd": report.opd.name if report.opd else None,
        "assigned_to_me": True,
        "purged": report.is_purged,
        "reported_employee": _reported(report.reported_employee),
        "examiner": _choice(Examiner, report.examiner),
        "track": _choice(Track, report.track),
        "ethics_sanction": _choice(EthicsSanction, report.ethics_sanction),
        "discipline_sanction": _choice(DisciplineSanction, report.discipline_sanction),
        "election_stage": _choice(ElectionStage, report.election_stage),
        "outcome": _choice(Outcome, report.outcome),
        "forwarded_to": _choice(ForwardTarget, report.forwarded_to),
        "facts": [],
        "reported_number": "",
        "contact": "",
        "reporter": None,
        "files": [],
        "messages": [],
        "history": [],
        "assignments": [
            {"username": a.user.username, "full_name": a.user.full_name, "role": a.role, "assigned_on": a.assigned_on}
            for a in report.assignments.select_related("user").order_by("id")
        ],
    }
    if report.is_purged:
        return base
    view = services.read_report(report, access.key, internal=True)
    answers = view.content.get("facts", {})
    names = [fact.name for fact in facts.facts_for(report.kind) if fact.name in answers]
    base["facts"] = [
        {"field": name, "label": str(label), "value": value}
        for name, (label, value) in zip(names, view.rows, strict=True)
    ]
    base["reported_number"] = view.content.get("reported_number", "")
    base["contact"] = view.content.get("contact", "")
    base["reporter"] = view.content.get("reporter")
    base["files"] = view.files
    base["messages"] = [
        {
            "id": m.id,
            "author": m.author,
            "author_label": m.author_label,
            "by_name": m.by_name,
            "internal": m.author == "catatan",
            "sent_on": m.sent_on,
            "body": m.body,
            "attachments": m.attachments,
        }
        for m in view.messages
    ]
    base["history"] = [
        {
            "from_stage": t.from_stage,
            "to_stage": _choice(Stage, t.to_stage),
            "on": t.on,
            "by_name": t.by.full_name if t.by else "",
            "facts": t.facts,
            "note": services.transition_note(report, access.key, t),
        }
        for t in view.history
    ]
    return base


_CASE_DOC = (
    "Hanya untuk petugas yang ditugaskan pada laporan ini (dan Wali Kota bila laporan dibagikan kepadanya); "
    "selain itu 404. 403 bila kunci pribadi Anda belum terbuka: minta token baru dengan kata sandi."
)


@router.get(
    "/cases/{report_id}",
    response={200: CaseOut, 403: ErrorOut, 404: ErrorOut},
    auth=staff_auth,
    tags=HANDLING,
    summary="Buka laporan: isi, pesan, catatan internal, langkah, dan petugas",
    description=_CASE_DOC,
)
def get_case(request: HttpRequest, report_id: uuid.UUID) -> Status:
    access = _handler(request, report_id)
    assert isinstance(request.user, User)
    return Status(200, _case(access, request.user))


class HandlerMessageIn(Schema):
    body: str = Field("", description=f"Pesan, paling banyak {services.MAX_MESSAGE} karakter")
    internal: bool = Field(False, description="true: catatan internal yang tidak pernah dibaca pelapor")
    attachments: list[AttachmentIn] = Field(
        default_factory=list, description=f"Berkas, paling banyak {services.MAX_FILES}"
    )


class HandlerMessageCreated(Schema):
    id: int
    sent_on: dt.date
    internal: bool


@router.post(
    "/cases/{report_id}/messages",
    response={201: HandlerMessageCreated, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=staff_auth,
    tags=HANDLING,
    summary="Kirim pesan kepada pelapor atau tulis catatan internal",
    description=_CASE_DOC,
)
def post_message(request: HttpRequest, report_id: uuid.UUID, body: HandlerMessageIn) -> Status:
    access = _handler(request, report_id)
    files, errors = _decode(body.attachments)
    if errors:
        return _invalid(errors)
    try:
        message = services.post_message(access, body.body, internal=body.internal, files=files)
    except ValidationError as exc:
        return _invalid(_errors_of(exc, {"files": "attachments"}))
    return Status(201, {"id": message.pk, "sent_on": message.sent_on, "internal": message.internal})


class TransitionIn(Schema):
    action: str = Field(
        ...,
        description=(
            "verifikasi (mulai verifikasi); periksa (perlu examiner); rekomendasi (perlu track dan sanksi "
            "sesuai jalurnya; election_stage untuk netralitas); putus (Wali Kota sebagai PPK: approve true "
            "menjatuhkan sanksi, false mengembalikan ke pemeriksaan dengan note); tutup; tolak (perlu reason); "
            "teruskan (perlu to)"
        ),
        json_schema_extra=_enum(services.STEPS),
    )
    examiner: str = Field("", json_schema_extra=_enum(["", *Examiner.values]))
    track: str = Field("", json_schema_extra=_enum(["", *Track.values]))
    ethics_sanction: str = Field("", json_schema_extra=_enum(["", *EthicsSanction.values]))
    discipline_sanction: str = Field("", json_schema_extra=_enum(["", *DisciplineSanction.values]))
    election_stage: str = Field("", json_schema_extra=_enum(["", *ElectionStage.values]))
    approve: bool | None = Field(None, description="Untuk putus")
    note: str = Field("", description="Catatan langkah; disimpan terenkripsi")
    reason: str = Field("", description="Alasan penolakan (tolak); dibaca pelapor")
    to: str = Field("", description="Tujuan penerusan (teruskan)", json_schema_extra=_enum(["", *ForwardTarget.values]))


def _apply(access: services.HandlerAccess, body: TransitionIn) -> Report:
    if body.action == "putus" and body.approve is None:
        raise ValidationError(
            {"approve": _("Isi approve: true untuk menjatuhkan sanksi, false untuk mengembalikan ke pemeriksaan.")}
        )
    # A rejection's reason may come as ``note`` too.
    fields = {**body.model_dump(exclude={"action"}), "reason": body.reason or body.note}
    return services.perform(access, body.action, **fields)


@router.post(
    "/cases/{report_id}/transitions",
    response={201: CaseSummaryOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=staff_auth,
    tags=HANDLING,
    summary="Jalankan satu langkah kasus (verifikasi, pemeriksaan, rekomendasi, putusan, tutup, tolak, teruskan)",
    description=(
        _CASE_DOC
        + " Setiap langkah dicatat di buku besar (hash saja). 422 bila langkah tidak sesuai urutan atau isian "
        "kurang; 403 bila langkah bukan wewenang peran Anda (misalnya putusan hanya oleh Wali Kota)."
    ),
)
def transition(request: HttpRequest, report_id: uuid.UUID, body: TransitionIn) -> Status:
    access = _handler(request, report_id)
    try:
        report = _apply(access, body)
    except ValidationError as exc:
        return _invalid(_errors_of(exc, {"note": "reason"} if body.action == "tolak" else {}))
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc) or _("Langkah ini bukan wewenang peran Anda.")})
    report.assigned_to_me = 1  # type: ignore[attr-defined]
    return Status(201, report)


class AssignmentIn(Schema):
    username: str = Field(..., max_length=150, description="Nama pengguna (NIP) petugas Inspektorat atau BKPSDM")


def _user(username: str) -> User | None:
    return User.objects.filter(username=canonical_username(username), is_active=True).first()


@router.post(
    "/cases/{report_id}/assignments",
    response={201: AssignmentOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=staff_auth,
    tags=HANDLING,
    summary="Tugaskan petugas lain pada laporan (kunci laporan dibagikan kepadanya)",
    description=(
        _CASE_DOC + " 422 bila orang itu bukan petugas Inspektorat/BKPSDM, belum punya kunci, atau berada "
        "dalam garis komando terlapor."
    ),
)
def add_assignment(request: HttpRequest, report_id: uuid.UUID, body: AssignmentIn) -> Status:
    access = _handler(request, report_id)
    user = _user(body.username)
    if user is None:
        return _invalid([{"field": "username", "message": _("Tidak ada pengguna aktif dengan nama itu.")}])
    try:
        assignment = services.assign(access, user)
    except ValidationError as exc:
        return _invalid(_errors_of(exc, {"__all__": "username"}) or [])
    return Status(
        201,
        {
            "username": user.username,
            "full_name": user.full_name,
            "role": assignment.role,
            "assigned_on": assignment.assigned_on,
        },
    )


@router.delete(
    "/cases/{report_id}/assignments/{username}",
    response={204: None, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=staff_auth,
    tags=HANDLING,
    summary="Lepaskan petugas dari laporan (kuncinya dihapus)",
    description=_CASE_DOC + " 422 bila laporan akan tanpa petugas.",
)
def remove_assignment(request: HttpRequest, report_id: uuid.UUID, username: str) -> Status:
    access = _handler(request, report_id)
    user = _user(username)
    if user is None or not access.report.assignments.filter(user=user).exists():
        return Status(404, {"detail": _("Orang itu tidak ditugaskan pada laporan ini.")})
    try:
        services.unassign(access, user)
    except ValidationError as exc:
        return _invalid(_errors_of(exc))
    return Status(204, None)


class ReportedIn(Schema):
    identity_number: str = Field("", max_length=40, description="NIP/nomor pegawai terlapor; kosong: belum diketahui")
    opd_code: str = Field("", max_length=40, description="Kode OPD terlapor; bawaan: OPD pegawai itu")


class ReportedResult(Schema):
    reported_employee: ReportedOut | None
    opd: str | None
    removed: list[str] = Field(..., description="Petugas yang dilepas karena berada dalam garis komando terlapor")


@router.put(
    "/cases/{report_id}/reported",
    response={200: ReportedResult, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=staff_auth,
    tags=HANDLING,
    summary="Tetapkan pegawai dan OPD terlapor",
    description=(_CASE_DOC + " Petugas yang berada dalam garis komando terlapor langsung kehilangan akses ke laporan."),
)
def set_reported(request: HttpRequest, report_id: uuid.UUID, body: ReportedIn) -> Status:
    access = _handler(request, report_id)
    employee = opd = None
    if body.identity_number.strip():
        digits = "".join(ch for ch in body.identity_number if ch.isalnum())
        employee = Employee.objects.select_related("opd").filter(identity_number=digits).first()
        if employee is None:
            return _invalid(
                [{"field": "identity_number", "message": _("Tidak ada pegawai dengan nomor identitas itu.")}]
            )
    if body.opd_code.strip():
        opd = OPD.objects.filter(code=body.opd_code.strip(), is_active=True).first()
        if opd is None:
            return _invalid([{"field": "opd_code", "message": _("Tidak ada OPD dengan kode itu; lihat /api/v1/opd.")}])
    try:
        removed = services.identify(access, employee=employee, opd=opd)
    except ValidationError as exc:
        return _invalid(_errors_of(exc))
    report = access.report
    report.refresh_from_db()
    return Status(
        200,
        {
            "reported_employee": _reported(employee),
            "opd": report.opd.name if report.opd else None,
            "removed": [user.username for user in removed],
        },
    )


@router.get(
    "/cases/{report_id}/files/{attachment_id}",
    response={403: ErrorOut, 404: ErrorOut},
    auth=staff_auth,
    tags=HANDLING,
    summary="Unduh berkas laporan (bukti, lampiran pesan, atau lampiran catatan internal)",
    description=_CASE_DOC,
    openapi_extra=_FILE_DOC,
)
def handler_file(request: HttpRequest, report_id: uuid.UUID, attachment_id: int) -> HttpResponse | Status:
    access = _handler(request, report_id)
    return _download(access.report, access.key, attachment_id, internal=True)


@router.get(
    "/cases/{report_id}/package",
    response={403: ErrorOut, 404: ErrorOut},
    auth=staff_auth,
    tags=HANDLING,
    summary="Paket ekspor (ZIP) untuk BKN, Bawaslu, atau Kepolisian",
    description=_CASE_DOC + " Catatan internal dan identitas pelapor (kecuali ia melapor atas namanya) tidak ikut.",
    openapi_extra={"responses": {200: {"description": "Arsip ZIP", "content": {"application/zip": {"schema": {}}}}}},
)
def export_package(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse | Status:
    access = _handler(request, report_id)
    if access.report.is_purged:
        return Status(404, {"detail": _("Laporan ini sudah dimusnahkan sesuai masa simpan.")})
    return download(
        services.export_package(access), content_type="application/zip", filename=f"laporan-{access.report.number}.zip"
    )
