"""The handlers' pages under /kasus/: the queue, one case with its thread and steps, and recovery.

Who may see what is decided in ``services`` (``can_see_queue``, ``visible_reports``,
``open_as_handler``): a person not assigned to a report gets 404 whatever they try. Every change goes
through one service function; a refused step re-renders the case with the service's own words, and
a step beyond the person's role answers 403 with the reason. No page of a case may be cached: the
report's content is decrypted for this request alone.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from pamong.cases import attachments, keyring, services
from pamong.cases.downloads import attachment_download, download
from pamong.cases.forms import EvidenceUploadHandler
from pamong.cases.handler_forms import (
    AssignForm,
    CloseForm,
    DecideForm,
    EmptyForm,
    ExamineForm,
    ForwardForm,
    IdentifyForm,
    MessageForm,
    QueueFilterForm,
    RecommendForm,
    RecoveryRestoreForm,
    RejectForm,
    UnassignForm,
)
from pamong.cases.models import (
    Assignment,
    DisciplineLevel,
    DisciplineSanction,
    ElectionStage,
    EthicsSanction,
    Examiner,
    ForwardTarget,
    Outcome,
    RecoveryKey,
    Report,
    Stage,
    Track,
)
from pamong.core.clock import business_today
from pamong.core.forms import add_service_errors
from pamong.core.http import PamongRequest
from pamong.core.paging import paginate
from pamong.organisation.identity import format_identity_number
from pamong.organisation.models import Role, User

PER_PAGE = 25
RECOVERY_NONCE = "cases_recovery_nonce"


# --- access and refusals --------------------------------------------------------------------------------


class KeyLocked(PermissionDenied):
    """The person is assigned, but their key cannot open the report (not unlocked, or an old key)."""


def _refusals(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A PermissionDenied from the key or from a step beyond the person's role: a page that says what
    to do, with status 403. (Nothing was changed: the service's transaction rolled back.)"""

    @wraps(view)
    def wrapper(request: PamongRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            context = {
                "message": str(exc) or _("Anda tidak berwenang melakukan ini."),
                "report_id": None if isinstance(exc, KeyLocked) else kwargs.get("report_id"),
                "key_problem": isinstance(exc, KeyLocked),
            }
            return render(request, "cases/handler/denied.html", context, status=403)

    return wrapper


def _access(request: PamongRequest, report_id: Any) -> services.HandlerAccess:
    try:
        return services.open_as_handler(report_id, request.user, keyring.private_key(request))
    except PermissionDenied as exc:
        raise KeyLocked(*exc.args) from None


def _case_url(report: Report, anchor: str = "") -> str:
    return reverse("cases:case", args=[report.pk]) + (f"#{anchor}" if anchor else "")


def _error_messages(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


# --- the queue ----------------------------------------------------------------------------------------------


@login_required
@never_cache
@require_safe
def queue(request: PamongRequest) -> HttpResponse:
    user = request.user
    if not services.can_see_queue(user):
        raise Http404
    services.flush_intake_entries()
    today = business_today()
    form = QueueFilterForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    rows = services.queue(
        user, stage=filters.get("stage") or "", kind=filters.get("kind") or "", mine=bool(filters.get("mine"))
    )
    if filters.get("late"):
        rows = services.overdue(rows, today)
    page, query = paginate(request, rows, PER_PAGE)
    items = []
    for report in page:
        state = services.deadline_state(report, today)
        items.append(
            {
                "report": report,
                "mine": bool(report.assigned_to_me),
                "late": state == "late",
                "soon": state == "soon",
            }
        )
    visible = services.visible_reports(user)
    context = {
        "form": form,
        "page": page,
        "items": items,
        "query": query,
        "statistics": services.statistics(visible),
        "overdue_count": services.overdue(visible, today).count(),
        "sees_all": user.has_role(Role.INSPEKTORAT),
        "is_mayor": user.has_role(Role.WALI_KOTA),
        "can_recover": user.has_role(Role.INSPEKTORAT),
        "today": today,
    }
    return render(request, "cases/handler/queue.html", context)


# --- the steps of a case --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    slug: str
    to_stage: str
    roles: frozenset[str]
    title: Any
    button: Any
    done: Any
    form: Callable[[Report, Any], forms.Form]


def _fields(form: forms.Form) -> dict[str, Any]:
    """The step form's answers as ``services.perform`` names them (the Wali Kota's choice is ``approve``)."""
    fields = dict(form.cleaned_data)
    if isinstance(form, DecideForm):
        fields["approve"] = form.approve
    return fields


def _decide_form(report: Report, data: Any) -> DecideForm:
    initial = {"ethics_sanction": report.ethics_sanction, "discipline_sanction": report.discipline_sanction}
    return DecideForm(data, track=report.track, initial=initial)


HANDLING = frozenset(services.HANDLING_ROLES)
ACTIONS: dict[str, Action] = {
    action.slug: action
    for action in [
        Action(
            "verifikasi",
            Stage.VERIFIKASI,
            HANDLING,
            gettext_lazy("Mulai verifikasi"),
            gettext_lazy("Mulai verifikasi"),
            gettext_lazy("Laporan %(number)s masuk tahap verifikasi."),
            lambda report, data: EmptyForm(data),
        ),
        Action(
            "periksa",
            Stage.PEMERIKSAAN,
            HANDLING,
            gettext_lazy("Mulai pemeriksaan"),
            gettext_lazy("Mulai pemeriksaan"),
            gettext_lazy("Laporan %(number)s masuk tahap pemeriksaan."),
            lambda report, data: ExamineForm(data),
        ),
        Action(
            "rekomendasi",
            Stage.REKOMENDASI,
            HANDLING,
            gettext_lazy("Rekomendasikan sanksi"),
            gettext_lazy("Kirim rekomendasi ke Wali Kota"),
            gettext_lazy("Rekomendasi untuk laporan %(number)s dikirim ke Wali Kota."),
            lambda report, data: RecommendForm(data),
        ),
        Action(
            "putus",
            Stage.DIPUTUS,
            frozenset({Role.WALI_KOTA}),
            gettext_lazy("Keputusan Wali Kota (PPK)"),
            gettext_lazy("Simpan keputusan"),
            gettext_lazy("Keputusan atas laporan %(number)s tersimpan."),
            _decide_form,
        ),
        Action(
            "tutup",
            Stage.SELESAI,
            HANDLING,
            gettext_lazy("Tutup laporan"),
            gettext_lazy("Tutup laporan"),
            gettext_lazy("Laporan %(number)s ditutup."),
            lambda report, data: CloseForm(data),
        ),
        Action(
            "tolak",
            Stage.DITOLAK,
            HANDLING,
            gettext_lazy("Tolak laporan"),
            gettext_lazy("Tolak laporan"),
            gettext_lazy("Laporan %(number)s ditolak."),
            lambda report, data: RejectForm(data),
        ),
        Action(
            "teruskan",
            Stage.DITERUSKAN,
            HANDLING,
            gettext_lazy("Teruskan ke instansi lain"),
            gettext_lazy("Teruskan"),
            gettext_lazy("Laporan %(number)s diteruskan. Unduh paket ekspornya untuk dikirim."),
            lambda report, data: ForwardForm(data),
        ),
    ]
}


def _action_form(action: Action, report: Report, data: Any) -> forms.Form:
    form = action.form(report, data)
    form.auto_id = f"id_{action.slug}_%s"  # several step forms share a page: their ids must differ
    return form


def available_actions(report: Report, user: User) -> list[Action]:
    """The steps this person may take now: what ``services.NEXT_STAGES`` allows and their role holds.
    (From a recommendation, back to examination is the Wali Kota's decision, not a step of its own.)"""
    if report.is_purged:
        return []
    allowed = services.NEXT_STAGES.get(report.stage, frozenset())
    return [
        action
        for action in ACTIONS.values()
        if action.to_stage in allowed
        and user.has_role(*action.roles)
        and not (action.slug == "periksa" and report.stage == Stage.REKOMENDASI)
    ]


# --- the case page ----------------------------------------------------------------------------------------------

_FACT_LABELS: dict[str, tuple[Any, dict[Any, Any]]] = {
    "examiner": (gettext_lazy("Pemeriksa"), dict(Examiner.choices)),
    "track": (gettext_lazy("Jalur"), dict(Track.choices)),
    "ethics_sanction": (gettext_lazy("Sanksi moral"), dict(EthicsSanction.choices)),
    "discipline_sanction": (gettext_lazy("Hukuman disiplin"), dict(DisciplineSanction.choices)),
    "discipline_level": (gettext_lazy("Tingkat hukuman"), dict(DisciplineLevel.choices)),
    "election_stage": (gettext_lazy("Tahap pemilihan"), dict(ElectionStage.choices)),
    "to": (gettext_lazy("Diteruskan ke"), dict(ForwardTarget.choices)),
    "outcome": (gettext_lazy("Hasil"), dict(Outcome.choices)),
}


def _step_facts(facts: dict[str, Any]) -> list[tuple[Any, Any]]:
    rows: list[tuple[Any, Any]] = []
    for name, value in facts.items():
        if name == "returned" and value:
            rows.append((gettext_lazy("Keputusan"), gettext_lazy("Dikembalikan untuk diperiksa lagi")))
        elif name in _FACT_LABELS and value:
            label, choices = _FACT_LABELS[name]
            rows.append((label, choices.get(value, value)))
    return rows


def _render_case(
    request: PamongRequest,
    access: services.HandlerAccess,
    *,
    error: ValidationError | None = None,
    failed: tuple[str, forms.Form] | None = None,
    message_form: MessageForm | None = None,
    assign_form: AssignForm | None = None,
    identify_form: IdentifyForm | None = None,
) -> HttpResponse:
    report = access.report
    if error is not None or failed is not None:
        report.refresh_from_db()  # whatever the refused call touched in memory, show what is stored
    user = request.user
    view = services.read_report(report, access.key, internal=True)
    today = business_today()
    assignments = list(report.assignments.select_related("user").order_by("role", "user__full_name"))
    assigned_ids = {a.user_id for a in assignments}
    eligible = [] if report.is_purged else [u for u in services.eligible_handlers(report) if u.pk not in assigned_ids]
    actions = []
    for action in available_actions(report, user):
        form = failed[1] if failed and failed[0] == action.slug else _action_form(action, report, None)
        actions.append({"action": action, "form": form, "open": bool(failed and failed[0] == action.slug)})
    history = [
        {
            "transition": t,
            "facts": _step_facts(t.facts),
            "note": services.transition_note(report, access.key, t) if access.key else "",
        }
        for t in view.history
    ]
    deadline = services.deadline_state(report, today)
    context = {
        "report": report,
        "view": view,
        "rows": view.rows,
        "reporter": view.content.get("reporter"),
        "contact": view.content.get("contact") or "",
        "reported_number": view.content.get("reported_number") or "",
        "reported_employee_number": (
            format_identity_number(report.reported_employee.identity_number) if report.reported_employee else ""
        ),
        "history": history,
        "assignments": assignments,
        "me": user,
        "eligible": eligible,
        "assign_form": assign_form or AssignForm(eligible=eligible),
        "identify_form": identify_form
        or IdentifyForm(
            initial={
                "number": report.reported_employee.identity_number if report.reported_employee else "",
                "opd": report.opd_id,
            }
        ),
        "message_form": message_form or MessageForm(),
        "actions": actions,
        "error_messages": _error_messages(error) if error is not None else [],
        "failed_action": failed[0] if failed else "",
        "late": deadline == "late",
        "soon": deadline == "soon",
        "can_export": not report.is_purged and user.has_role(*services.HANDLING_ROLES),
        "forwarded": report.stage == Stage.DITERUSKAN,
        "is_petugas": any(a.user_id == user.pk and a.role == Assignment.Role.PETUGAS for a in assignments),
    }
    return render(request, "cases/handler/case.html", context)


@login_required
@never_cache
@require_safe
@_refusals
def case(request: PamongRequest, report_id: Any) -> HttpResponse:
    return _render_case(request, _access(request, report_id))


@login_required
@never_cache
@require_POST
@_refusals
def step(request: PamongRequest, report_id: Any, action: str) -> HttpResponse:
    chosen = ACTIONS.get(action)
    if chosen is None:
        raise Http404
    access = _access(request, report_id)
    form = _action_form(chosen, access.report, request.POST)
    if not form.is_valid():
        return _render_case(request, access, failed=(chosen.slug, form))
    try:
        report = services.perform(access, chosen.slug, **_fields(form))
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _render_case(request, access, error=exc, failed=(chosen.slug, form))
    messages.success(request, str(chosen.done) % {"number": report.number})
    return redirect(_case_url(report))


@login_required
@never_cache
@csrf_exempt  # checked by _message, once the upload handlers are in place
@require_POST
def message(request: PamongRequest, report_id: Any) -> HttpResponse:
    # Evidence stays in memory until it is cleaned and sealed, as on the reporter's side.
    request.upload_handlers = [EvidenceUploadHandler(request)]
    return _message(request, report_id)


@csrf_protect
@_refusals
def _message(request: PamongRequest, report_id: Any) -> HttpResponse:
    access = _access(request, report_id)
    form = MessageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_case(request, access, message_form=form)
    # Read one byte past the limit so the service can say the file is too big without reading all of it.
    files = [(f.name or "", f.read(attachments.MAX_BYTES + 1)) for f in form.cleaned_data["uploads"]]
    internal = form.cleaned_data["internal"]
    try:
        services.post_message(access, form.cleaned_data["body"], internal=internal, files=files)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _render_case(request, access, error=exc, message_form=form)
    if internal:
        messages.success(request, _("Catatan internal tersimpan; pelapor tidak melihatnya."))
    else:
        messages.success(request, _("Pesan terkirim. Pelapor membacanya saat membuka laporan dengan tanda terimanya."))
    return redirect(_case_url(access.report, "percakapan"))


@login_required
@never_cache
@require_POST
@_refusals
def assign(request: PamongRequest, report_id: Any) -> HttpResponse:
    access = _access(request, report_id)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _render_case(request, access, assign_form=form)
    user = form.cleaned_data["user"]
    try:
        services.assign(access, user)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _render_case(request, access, error=exc, assign_form=form)
    messages.success(request, _("%(name)s ditugasi laporan ini.") % {"name": user.full_name})
    return redirect(_case_url(access.report, "petugas"))


@login_required
@never_cache
@require_POST
@_refusals
def unassign(request: PamongRequest, report_id: Any) -> HttpResponse:
    access = _access(request, report_id)
    form = UnassignForm(request.POST)
    if not form.is_valid():
        raise Http404
    user = form.cleaned_data["user"]
    try:
        services.unassign(access, user)
    except ValidationError as exc:
        return _render_case(request, access, error=exc)
    if user == request.user:
        messages.success(request, _("Anda tidak lagi menangani laporan %(number)s.") % {"number": access.report.number})
        return redirect("cases:queue")
    messages.success(request, _("%(name)s tidak lagi menangani laporan ini.") % {"name": user.full_name})
    return redirect(_case_url(access.report, "petugas"))


@login_required
@never_cache
@require_POST
@_refusals
def identify(request: PamongRequest, report_id: Any) -> HttpResponse:
    access = _access(request, report_id)
    form = IdentifyForm(request.POST)
    if not form.is_valid():
        return _render_case(request, access, identify_form=form)
    try:
        removed = services.identify(access, employee=form.cleaned_data["employee"], opd=form.cleaned_data["opd"])
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _render_case(request, access, error=exc, identify_form=form)
    messages.success(request, _("Terlapor laporan %(number)s tercatat.") % {"number": access.report.number})
    if removed:
        names = ", ".join(u.full_name for u in removed)
        messages.warning(
            request,
            ngettext(
                "Akses dicabut dari %(names)s: berada dalam garis komando terlapor.",
                "Akses dicabut dari %(names)s: mereka berada dalam garis komando terlapor.",
                len(removed),
            )
            % {"names": names},
        )
    return redirect(_case_url(access.report, "terlapor"))


@login_required
@never_cache
@require_safe
@_refusals
def attachment(request: PamongRequest, report_id: Any, attachment_id: int) -> HttpResponse:
    access = _access(request, report_id)
    meta, data = services.read_attachment(access.report, access.key, attachment_id)
    return attachment_download(meta, data)


@login_required
@never_cache
@require_safe
@_refusals
def export(request: PamongRequest, report_id: Any) -> HttpResponse:
    access = _access(request, report_id)
    if access.report.is_purged:
        raise Http404
    return download(
        services.export_package(access), content_type="application/zip", filename=f"laporan-{access.report.number}.zip"
    )


# --- recovery ---------------------------------------------------------------------------------------------------


def _recovery_handlers() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, role_grants__role__in=services.HANDLING_ROLES, case_key__isnull=False)
        .distinct()
        .order_by("full_name")
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def recovery(request: PamongRequest) -> HttpResponse:
    user = request.user
    if not user.has_role(Role.INSPEKTORAT):
        raise Http404
    restore_form = RecoveryRestoreForm(handlers=_recovery_handlers())
    created = ""
    repeated = False
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "buat":
        # The key is shown in this response only. A reload re-sends the form; the one-time token
        # makes that harmless instead of silently replacing the key just printed.
        expected = request.session.pop(RECOVERY_NONCE, None)
        if expected and secrets.compare_digest(expected, request.POST.get("nonce", "")):
            created = services.create_recovery_key(user)
        else:
            repeated = True
    elif action == "pulihkan":
        restore_form = RecoveryRestoreForm(request.POST, handlers=_recovery_handlers())
        if restore_form.is_valid():
            target = restore_form.cleaned_data["user"]
            try:
                count = services.recover_access(restore_form.cleaned_data["text"], for_user=target)
            except ValidationError as exc:
                add_service_errors(restore_form, exc)
            else:
                if count:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d laporan kini dibagikan kepada %(name)s.",
                            "%(count)d laporan kini dibagikan kepada %(name)s.",
                            count,
                        )
                        % {"count": count, "name": target.full_name},
                    )
                else:
                    messages.warning(
                        request,
                        _(
                            "Tidak ada laporan yang dibagikan kepada %(name)s: kunci ini tidak membuka laporan mana "
                            "pun yang boleh ia tangani. Periksa tulisannya, atau pakai kunci pemulihan yang lebih baru."
                        )
                        % {"name": target.full_name},
                    )
                return redirect("cases:recovery")
    nonce = secrets.token_urlsafe(16)
    request.session[RECOVERY_NONCE] = nonce
    active = RecoveryKey.objects.filter(active=True).select_related("created_by").first()
    kept = Report.objects.filter(purged_on__isnull=True)
    protected = kept.filter(recovery_key=active).exclude(recovery_wrapped=b"").count() if active else 0
    context = {
        "created": created,
        "repeated": repeated,
        "nonce": nonce,
        "active": active,
        "protected_count": protected,
        # Reports received before the current key: only a handler who holds them can share them on.
        "unprotected_count": kept.count() - protected,
        "restore_form": restore_form,
        # Only the Inspektur makes a key (a forged request is refused by the service: 403).
        "can_create": services.is_inspectorate_head(user),
    }
    return render(request, "cases/handler/recovery.html", context)
