from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from pamong.core import ledger, merkle, queries, receipts
from pamong.core.forms import ReceiptCodeForm, ReceiptUploadForm
from pamong.core.http import PamongRequest
from pamong.core.models import LedgerEntry, Notification
from pamong.core.qr import qr_svg
from pamong.organisation.models import Kelurahan, Role

# Anonymous, and each check costs a proof (and maybe a signature): enough for a person, not for a scraper.
VERIFY_RATE = "30/m"


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and monitoring."""
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse(
        {
            "status": "ok",
            "database": connection.vendor,
            "database_ms": round((time.perf_counter() - started) * 1000, 2),
        }
    )


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = sorted(Role(r).label for r in user.roles) if user.is_authenticated else []
    context = {
        "user_roles": roles,
        "regions_loaded": Kelurahan.objects.exists(),
        "data_dir": settings.PAMONG_DATA_DIR,
    }
    return render(request, "core/home.html", context)


NOTIFICATIONS_SHOWN = 100


@login_required
@require_safe
def notifications(request: PamongRequest) -> HttpResponse:
    """The user's own notifications, newest first; opening the page marks them read."""
    rows = list(Notification.objects.filter(user=request.user)[:NOTIFICATIONS_SHOWN])
    unread = [n.pk for n in rows if n.read_at is None]
    if unread:
        Notification.objects.filter(pk__in=unread, read_at__isnull=True).update(read_at=timezone.now())
    items = [
        {
            "notification": n,
            "unread": n.pk in unread,
            # Only links inside Pamong: a notification never sends anyone elsewhere.
            "url": n.url if n.url.startswith("/") and url_has_allowed_host_and_scheme(n.url, None) else "",
        }
        for n in rows
    ]
    return render(request, "core/notifications.html", {"items": items, "unread_notifications": 0})


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler403: django-ratelimit signals a spent limit with Ratelimited, a PermissionDenied."""
    if isinstance(exception, Ratelimited):
        return render(request, "core/rate_limited.html", status=429)
    return defaults.permission_denied(request, exception)


# --- the transparency ledger's public face -------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key="ip", rate=VERIFY_RATE, method="POST", block=True)
def transparency(request: HttpRequest) -> HttpResponse:
    code_form = ReceiptCodeForm(request.GET if "kode" in request.GET else None)
    if code_form.is_bound and code_form.is_valid():
        return redirect("core:verify", code=code_form.cleaned_data["kode"])
    upload_form = ReceiptUploadForm(request.POST or None, request.FILES or None)
    check = None
    if request.method == "POST" and upload_form.is_valid():
        document = upload_form.cleaned_data["document"]
        check = receipts.check_receipt(document, trusted_log_key=queries.trusted_key_for(document), gettext=_)
    latest = ledger.latest_checkpoint()
    context = {
        "code_form": code_form,
        "upload_form": upload_form,
        "check": check,
        "check_cosigners": _cosigners(check) if check else [],
        "latest": latest,
        "note": ledger.signed_note(latest) if latest else "",
        "size": ledger.ledger_size(),
        "log_key": ledger.log_verifier_key(),
        "witnesses": queries.witness_overview(latest),
        "kinds": queries.entry_counts_by_kind(),
        "recent": [_entry_row(entry) for entry in queries.recent_entries()],
    }
    return render(request, "core/transparency.html", context)


def _cosigners(check: receipts.ReceiptCheck) -> list[tuple[str, str]]:
    """(key name, body) of each witness whose cosignature verified."""
    bodies = queries.witness_bodies(check.cosigned_by)
    return [(name, bodies.get(name, "")) for name in check.cosigned_by]


def _entry_row(entry: LedgerEntry) -> dict[str, Any]:
    return {
        "entry": entry,
        "label": queries.kind_label(entry.kind),
        "code": ledger.format_receipt_code(entry.receipt_code),
    }


def _receipt_not_found(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "core/receipt_not_found.html", {"code": code[:40]}, status=404)


@require_safe
@ratelimit(key="ip", rate=VERIFY_RATE, group="core.verify", block=True)
def verify(request: HttpRequest, code: str) -> HttpResponse:
    entry = ledger.entry_by_receipt(code)
    if entry is None:
        return _receipt_not_found(request, code)
    formatted = ledger.format_receipt_code(entry.receipt_code)
    page_url = request.build_absolute_uri(reverse("core:verify", args=[formatted]))
    context: dict[str, Any] = {
        "entry": entry,
        "label": queries.kind_label(entry.kind),
        "code": formatted,
        "payload": queries.public_payload(entry),
        "qr_svg": qr_svg(page_url, scale=4, dark="#111", light="#fff"),
        "page_url": page_url,
    }
    try:
        # Issues a checkpoint on demand when the entry is newer than the latest one.
        document = ledger.receipt_document(entry)
    except merkle.ProofError as exc:
        # Only a damaged stored tree gets here; say so instead of failing the page.
        context["problem"] = str(exc)
        return render(request, "core/verify.html", context)
    check = receipts.check_receipt(document, trusted_log_key=queries.trusted_key_for(document), gettext=_)
    context.update(
        {
            "check": check,
            "tree_size": document["inclusion_proof"]["tree_size"],
            "cosigners": _cosigners(check),
        }
    )
    return render(request, "core/verify.html", context)


@require_safe
@ratelimit(key="ip", rate=VERIFY_RATE, group="core.verify", block=True)
def receipt_file(request: HttpRequest, code: str) -> HttpResponse:
    entry = ledger.entry_by_receipt(code)
    if entry is None:
        return _receipt_not_found(request, code)
    try:
        document = ledger.receipt_document(entry)
    except merkle.ProofError:
        return redirect("core:verify", code=ledger.format_receipt_code(entry.receipt_code))
    response = JsonResponse(document, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="tanda-terima-{document["receipt_code"]}.json"'
    return response
