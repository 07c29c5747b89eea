"""The reporter's pages under /lapor/: report, save the receipt, come back with it, read and answer.

Nothing here knows who the reporter is. The middleware has already removed their address and browser
from the request; rate limits count everyone together (a constant key), never per address; the report
key travels only in the reporter's own cookie (see ``keyring``), and no address names a report or
carries a receipt code.
"""

from __future__ import annotations

import hmac
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from pamong.cases import crypto, keyring, services
from pamong.cases.downloads import attachment_download
from pamong.cases.forms import EvidenceUploadHandler, ReceiptForm, ReplyForm, ReportForm
from pamong.cases.models import Kind, Message, Report, Stage
from pamong.core.forms import add_service_errors

STATISTICS_CACHE_SECONDS = 300

KIND_TEXT = {
    Kind.TEKANAN: gettext_lazy(
        "Anda diajak, diperintah, atau diancam soal pilkada: mutasi, kontrak tidak diperpanjang, "
        "wajib hadir kampanye, diminta mengumpulkan KTP."
    ),
    Kind.NETRALITAS: gettext_lazy(
        "Seorang ASN berpihak kepada calon: kampanye, media sosial, alat peraga, memakai fasilitas negara."
    ),
    Kind.CALO: gettext_lazy("Seseorang menjanjikan kelulusan CPNS atau PPPK, atau meminta uang untuk meluluskan."),
    Kind.INTEGRITAS: gettext_lazy(
        "Pungutan liar, suap, gratifikasi, atau penyalahgunaan wewenang oleh pegawai Pemerintah Kota."
    ),
}

# What happens at each stage, in the reporter's words.
STAGE_TEXT = {
    Stage.DITERIMA: gettext_lazy(
        "Laporan Anda sudah masuk dan hanya dapat dibuka oleh petugas yang ditugasi. Petugas akan "
        "membacanya lalu memulai verifikasi."
    ),
    Stage.VERIFIKASI: gettext_lazy(
        "Petugas memeriksa apakah laporan cukup jelas untuk ditindaklanjuti. Mereka mungkin mengirim "
        "pertanyaan di halaman ini: kembalilah beberapa hari sekali."
    ),
    Stage.PEMERIKSAAN: gettext_lazy(
        "Orang yang Anda laporkan diperiksa oleh atasan langsungnya atau oleh Inspektorat, menurut PP 94/2021."
    ),
    Stage.REKOMENDASI: gettext_lazy(
        "Pemeriksaan selesai dan sanksi sudah direkomendasikan. Wali Kota, sebagai Pejabat Pembina "
        "Kepegawaian, yang memutuskan."
    ),
    Stage.DIPUTUS: gettext_lazy("Wali Kota sudah memutuskan sanksi. Keputusan itu sedang dilaksanakan."),
    Stage.SELESAI: gettext_lazy("Penanganan laporan ini sudah selesai."),
    Stage.DITOLAK: gettext_lazy("Laporan ini tidak dapat ditindaklanjuti. Alasannya tertulis di bawah."),
    Stage.DITERUSKAN: gettext_lazy(
        "Laporan ini diteruskan kepada lembaga yang berwenang menanganinya, bersama bukti yang Anda kirim."
    ),
}


# --- rate limits: everyone together, never per address ----------------------------------------------------


def _everyone(group: str, request: HttpRequest) -> str:
    return "semua"


def _report_rate(group: str, request: HttpRequest) -> str:
    return str(settings.PAMONG_REPORT_RATE)


def _receipt_rate(group: str, request: HttpRequest) -> str:
    return str(settings.PAMONG_RECEIPT_RATE)


def _limited(request: HttpRequest) -> bool:
    return bool(getattr(request, "limited", False))


# --- the reporter's cookie -------------------------------------------------------------------------------


def _set_visit(response: HttpResponse, report: Report, key: bytes, code: str | None = None) -> HttpResponse:
    keyring.set_reporter_cookie(response, keyring.ReporterVisit(str(report.pk), key, unconfirmed_code=code))
    return response


def _open_visit(request: HttpRequest) -> services.ReporterAccess | HttpResponse:
    """The report of this visitor's cookie, or the page to send them to instead."""
    visit = keyring.reporter_visit(request)
    if visit is None:
        return redirect("cases:follow_up_login")
    if visit.unconfirmed_code:
        return redirect("cases:receipt")  # first the step that makes sure the code is written down
    try:
        access = services.reporter_access(visit.report_id, visit.report_key)
    except (ValueError, ValidationError):
        access = None
    if access is not None:
        return access
    purged = Report.objects.filter(pk=visit.report_id, purged_on__isnull=False).exists()
    response = render(request, "cases/reporter/purged.html") if purged else redirect("cases:follow_up_login")
    keyring.clear_reporter_cookie(response)
    return response


# --- pages ------------------------------------------------------------------------------------------------


def _start_page(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    kinds = [{"value": kind.value, "label": kind.label, "text": KIND_TEXT[kind]} for kind in Kind]
    context = {"kinds": kinds, "error": error, "left": request.GET.get("keluar") == "1"}
    return render(request, "cases/reporter/start.html", context, status=status)


@require_safe
def start(request: HttpRequest) -> HttpResponse:
    return _start_page(request)


@csrf_exempt  # checked by _submit, once the upload handlers are in place
@require_http_methods(["GET", "HEAD", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    request.upload_handlers = [EvidenceUploadHandler(request)]
    return _submit(request)


@csrf_protect
@ratelimit(group="cases.intake", key=_everyone, rate=_report_rate, method="POST", block=False)
def _submit(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    kind = (request.POST if posted else request.GET).get("jenis", "")
    if kind not in Kind.values:
        return _start_page(request, error=_("Pilih dulu jenis laporan di bawah."))
    named_allowed = bool(request.user.is_authenticated)
    context: dict[str, Any] = {"kind": kind, "kind_label": Kind(kind).label}
    if posted and _limited(request):
        # Keep what they typed (files must be chosen again) and ask them to wait.
        form = ReportForm(initial=request.POST.dict(), kind=kind, named_allowed=named_allowed)
        context.update(form=form, busy=True)
        return render(request, "cases/reporter/submit.html", context, status=429)
    form = ReportForm(
        request.POST if posted else None, request.FILES if posted else None, kind=kind, named_allowed=named_allowed
    )
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            submitted = services.submit_report(
                kind=kind,
                answers={name: data.get(name, "") for name in form.fact_names},
                opd=data.get("opd"),
                reported_number=data.get("reported_number", ""),
                contact=data.get("contact", ""),
                reporter=request.user if named_allowed and form.wants_name else None,  # type: ignore[arg-type]
                files=form.file_pairs(),
                keep_from_mayor=bool(data.get("keep_from_mayor")),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _set_visit(redirect("cases:receipt"), submitted.report, submitted.report_key, submitted.receipt)
    context.update(form=form, files_lost=posted and bool(request.FILES))
    return render(request, "cases/reporter/submit.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def receipt(request: HttpRequest) -> HttpResponse:
    visit = keyring.reporter_visit(request)
    if visit is None or not visit.unconfirmed_code:
        return render(request, "cases/reporter/receipt.html", {"state": "missing" if visit is None else "saved"})
    code = visit.unconfirmed_code
    form = ReceiptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        typed = crypto.normalise_receipt(form.cleaned_data["kode"])
        if hmac.compare_digest(typed.encode(), crypto.normalise_receipt(code).encode()):
            response = redirect("cases:follow_up")
            keyring.set_reporter_cookie(response, keyring.ReporterVisit(visit.report_id, visit.report_key))
            return response
        form.add_error(
            "kode", _("Kode yang Anda tulis tidak sama dengan kode di atas. Periksa lagi setiap huruf dan angkanya.")
        )
    context = {"state": "show", "code": code, "groups": code.split("-"), "form": form}
    return render(request, "cases/reporter/receipt.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(group="cases.receipt", key=_everyone, rate=_receipt_rate, method="POST", block=False)
def follow_up_login(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"retention_days": settings.PAMONG_CASE_RETENTION_DAYS}
    if request.method == "POST" and _limited(request):
        context.update(form=ReceiptForm(), busy=True)
        return render(request, "cases/reporter/follow_up_login.html", context, status=429)
    form = ReceiptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            access = services.open_with_receipt(form.cleaned_data["kode"])
        except services.ReceiptRefused as refused:
            form.add_error("kode", str(refused))
        else:
            return _set_visit(redirect("cases:follow_up"), access.report, access.key)
    context["form"] = form
    return render(request, "cases/reporter/follow_up_login.html", context)


def _case_page(
    request: HttpRequest, access: services.ReporterAccess, form: ReplyForm, status: int = 200
) -> HttpResponse:
    report = access.report
    view = services.read_report(report, access.key, internal=False)
    history = [
        {
            "label": Stage(step.to_stage).label,
            "on": step.on,
            "note": services.note_for_reporter(report, access.key, step),
        }
        for step in view.history
    ]
    thread = [
        {
            "mine": message.author == Message.Author.PELAPOR,
            # Handlers are "Petugas", never a name.
            "label": _("Anda") if message.author == Message.Author.PELAPOR else message.author_label,
            "sent_on": message.sent_on,
            "body": message.body,
            "files": message.attachments,
        }
        for message in view.messages
    ]
    content = view.content
    context = {
        "report": report,
        "stage_text": STAGE_TEXT.get(Stage(report.stage), ""),
        "history": history,
        "rows": view.rows,
        "files": view.files,
        "reported_number": content.get("reported_number", ""),
        "contact": content.get("contact", ""),
        "named": bool(content.get("reporter")),
        "thread": thread,
        "form": form,
        "files_lost": request.method == "POST" and bool(request.FILES) and bool(form.errors),
    }
    return render(request, "cases/reporter/case.html", context, status=status)


@require_safe
def follow_up(request: HttpRequest) -> HttpResponse:
    access = _open_visit(request)
    if isinstance(access, HttpResponse):
        return access
    return _case_page(request, access, ReplyForm())


@csrf_exempt  # checked by _reply, once the upload handlers are in place
@require_POST
# Replies share the intake's budget: both write encrypted text and files for anyone who can call them.
@ratelimit(group="cases.intake", key=_everyone, rate=_report_rate, method="POST", block=True)
def reply(request: HttpRequest) -> HttpResponse:
    request.upload_handlers = [EvidenceUploadHandler(request)]
    return _reply(request)


@csrf_protect
def _reply(request: HttpRequest) -> HttpResponse:
    access = _open_visit(request)
    if isinstance(access, HttpResponse):
        return access
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.reporter_reply(access, form.cleaned_data["body"], form.file_pairs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(reverse("cases:follow_up") + "#pesan")
    return _case_page(request, access, form)


@require_safe
def attachment(request: HttpRequest, attachment_id: int) -> HttpResponse:
    access = _open_visit(request)
    if isinstance(access, HttpResponse):
        return access
    meta, data = services.read_attachment(access.report, access.key, attachment_id, internal=False)
    return attachment_download(meta, data)


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    response = redirect(reverse("cases:start") + "?keluar=1")
    keyring.clear_reporter_cookie(response)
    return response


@require_safe
def protection(request: HttpRequest) -> HttpResponse:
    context = {
        "retention_days": settings.PAMONG_CASE_RETENTION_DAYS,
        "max_files": services.MAX_FILES,
    }
    return render(request, "cases/reporter/protection.html", context)


@require_safe
def statistics(request: HttpRequest) -> HttpResponse:
    # The same counts for everyone, recomputed at most every few minutes.
    key = f"cases:public-statistics:{get_language()}"
    counts = cache.get(key)
    if counts is None:
        counts = services.statistics()
        cache.set(key, counts, STATISTICS_CACHE_SECONDS)
    tables = [
        (_("Menurut jenis"), counts["by_kind"]),
        (_("Menurut tahap"), counts["by_stage"]),
        (_("Menurut hasil"), counts["by_outcome"]),
        (_("Menurut OPD terlapor"), counts["by_opd"]),
    ]
    return render(request, "cases/reporter/statistics.html", {"counts": counts, "tables": tables})
