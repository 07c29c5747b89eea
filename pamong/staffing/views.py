"""The staffing pages under /kepegawaian/ (issue 6): the overview, vacancies, acting officials (Plt/Plh),
proposals and policy periods, for BKPSDM, the Sekda, the Wali Kota, the Inspektorat and OPD leaders.

Who sees what is ``pamong.staffing.access``: anyone else gets 404, as does an object outside the
person's scope; candidates (people not yet appointed) are shown only where ``can_see_candidates``.
Every change is one call of a service in ``services.py`` or ``acting.py``; only BKPSDM is offered the
forms that change data, the Sekda and the Wali Kota the approval at their step. A change answers with
a redirect and a flash message; a refusal re-renders the page with the service's own words at the top
and the person's input kept; a step beyond the person's role answers 403 with the reason.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from pamong.core import ledger
from pamong.core.clock import business_today
from pamong.core.forms import add_service_errors
from pamong.core.http import PamongRequest
from pamong.core.paging import paginate
from pamong.organisation.identity import mask_identity_number
from pamong.organisation.models import OPD, Employee, Position, Role, User
from pamong.staffing import access, acting, eligibility, services
from pamong.staffing.forms import (
    ActingFilterForm,
    ActingForm,
    AppointmentForm,
    ApproveForm,
    CandidateForm,
    DecisionForm,
    DraftProposalForm,
    EmptyForm,
    ExtendForm,
    PeriodForm,
    ProposalFilterForm,
    RemoveCandidateForm,
    ReportForm,
    SearchForm,
    SendForm,
    VacancyFilterForm,
    VacancyForm,
    WithdrawForm,
)
from pamong.staffing.models import (
    FINISHED,
    LETTER_STATUSES,
    NOT_LIVE,
    WAITING_IN_QUEUE,
    ActingAssignment,
    ActingExtension,
    Field,
    PolicyPeriod,
    Proposal,
    ProposalCandidate,
    ProposalStep,
    Vacancy,
)

S = Proposal.Status
PER_PAGE = 50
SEARCH_LIMIT = 30
QUEUE_SHOWN = 20
STRUCTURAL = tuple(acting.LEVEL_ORDER)
# Who takes the next step, for those who only watch.
NEXT_STEP: dict[str, Any] = {
    S.DRAFT: gettext_lazy("BKPSDM melengkapi calon lalu mengajukan usulan."),
    S.SUBMITTED: gettext_lazy("Menunggu persetujuan Sekda."),
    S.SEKDA: gettext_lazy("Menunggu persetujuan Wali Kota."),
    S.WALI_KOTA: gettext_lazy("BKPSDM mengirim surat usulan ke Kemendagri."),
    S.SENT: gettext_lazy("Menunggu keputusan Kemendagri; BKPSDM mencatatnya."),
    S.APPROVED: gettext_lazy("BKPSDM mencatat SK pengangkatan."),
    S.REJECTED: gettext_lazy("Selesai: Kemendagri menolak usulan ini."),
    S.APPOINTED: gettext_lazy("Selesai: SK pengangkatan terbit."),
    S.WITHDRAWN: gettext_lazy("Selesai: usulan ditarik."),
}


# --- access and refusals --------------------------------------------------------------------------------


def _viewer(request: PamongRequest) -> User:
    access.require_view(request.user)
    return request.user


def _require_bkpsdm(user: User) -> None:
    if not access.runs_staffing(user):
        raise PermissionDenied(_("Data kepegawaian diubah oleh BKPSDM; peran Anda hanya melihat."))


def _refusals(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A step beyond the person's role (or taken by an acting official who may not take it): a page
    that says so, with status 403. Nothing was changed: the service's transaction rolled back."""

    @wraps(view)
    def wrapper(request: PamongRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            context = {"message": str(exc) or _("Anda tidak berwenang melakukan ini."), "back": request.path}
            return render(request, "staffing/denied.html", context, status=403)

    return wrapper


def _error_messages(error: ValidationError | None) -> list[str]:
    return [str(m) for m in error.messages] if error is not None else []


def _invalid(form: forms.Form) -> ValidationError:
    """A form the browser sent incomplete, said at the top of the page as a refusal is: each field's
    label with what to fix, so a long page need not be searched for the red line."""
    said: list[str] = [str(m) for m in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        label = form.fields[name].label if name in form.fields else ""
        said += [f"{label}: {m}" if label else str(m) for m in errors]
    return ValidationError(said or [_("Periksa isian yang ditandai.")])


def _opds_for(user: User) -> QuerySet[OPD]:
    opds = OPD.objects.order_by("name").only("id", "name", "abbreviation")
    if access.sees_all(user):
        return opds.filter(is_active=True)
    return opds.filter(pk__in=access.opd_ids(user))


def _receipts(model: Any, ids: list[int]) -> dict[int, str]:
    """The ledger receipt code of each row recorded by ``ledger.append_entry`` (subject = the row)."""
    return {int(pk): entry.receipt_code for pk, entry in ledger.entries_for(model, ids).items()}


def _vacancy_row(vacancy: Vacancy, today: dt.date) -> dict[str, Any]:
    current = getattr(vacancy, "current_acting", [])
    live = getattr(vacancy, "live_proposals", [])
    return {
        "vacancy": vacancy,
        "days_empty": vacancy.days_empty(today),
        "acting": current[0] if current else None,
        "proposal": live[0] if live else None,
        "waiting": vacancy.waiting_in_queue,
    }


# --- the overview --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuotaUse:
    code: str
    label: str
    levels: list[str]
    limit: int
    holders: list[Proposal] = field(default_factory=list)

    @property
    def used(self) -> int:
        return len(self.holders)

    @property
    def left(self) -> int:
        return max(self.limit - self.used, 0)

    @property
    def full(self) -> bool:
        return self.used >= self.limit

    @property
    def meter(self) -> int:
        """The share used, rounded to the 10 % steps the stylesheet draws."""
        if self.limit <= 0:
            return 100
        return min(100, round(self.used * 10 / self.limit) * 10)


def quota_use(period: PolicyPeriod) -> list[QuotaUse]:
    """Each quota group of ``period`` with the proposals holding a place in it (what the submission
    counts), in one query."""
    holders: dict[str, list[Proposal]] = {}
    taken = services.places_taken(period.code).select_related("vacancy__position__opd").order_by("submitted_on", "id")
    for proposal in taken:
        holders.setdefault(proposal.quota_group, []).append(proposal)
    labels = dict(Position.Level.choices)
    return [
        QuotaUse(
            code=quota.get("code", ""),
            label=quota.get("label") or quota.get("code", ""),
            levels=[str(labels.get(level, level)) for level in quota.get("levels", [])],
            limit=int(quota.get("limit", 0)),
            holders=holders.get(quota.get("code", ""), []),
        )
        for quota in period.quotas or []
    ]


def _coverage(user: User, today: dt.date) -> acting.CoverageReport:
    report = acting.coverage_report(today)
    if access.sees_all(user):
        return report
    ids = access.opd_ids(user)
    return acting.CoverageReport(on=report.on, rows=[row for row in report.rows if row.opd_id in ids])


def _waiting_for(user: User) -> list[dict[str, Any]]:
    """The proposals waiting for this person's step, grouped by what that step is."""
    labels = [
        (S.SUBMITTED, gettext_lazy("Menunggu persetujuan Anda sebagai Sekda")),
        (S.SEKDA, gettext_lazy("Menunggu persetujuan Anda sebagai Wali Kota")),
        (S.DRAFT, gettext_lazy("Draf: lengkapi calon lalu ajukan")),
        (S.WALI_KOTA, gettext_lazy("Disetujui Wali Kota: kirim surat usulan ke Kemendagri")),
        (S.SENT, gettext_lazy("Dikirim ke Kemendagri: catat keputusannya bila sudah ada")),
        (S.APPROVED, gettext_lazy("Disetujui Kemendagri: catat SK pengangkatan")),
    ]
    wanted = [(status, label) for status, label in labels if user.has_role(services.NEXT_BY[status])]
    if not wanted:
        return []
    found: dict[str, list[Proposal]] = {}
    for proposal in access.proposals_for(user).filter(status__in=[s for s, _label in wanted]).order_by("id"):
        found.setdefault(proposal.status, []).append(proposal)
    return [{"status": status, "label": label, "proposals": found.get(status, [])} for status, label in wanted]


@login_required
@require_safe
def overview(request: PamongRequest) -> HttpResponse:
    user = _viewer(request)
    today = business_today()
    period = services.period_on(today)
    coverage = _coverage(user, today)
    quotas = quota_use(period) if period else []
    holder_ids = [p.pk for q in quotas for p in q.holders]
    visible_ids = set(access.proposals_for(user).filter(pk__in=holder_ids).values_list("pk", flat=True))
    queued = access.vacancies_for(user).filter(WAITING_IN_QUEUE).order_by("queued_until", "since", "id")
    context = {
        "nav": "overview",
        "today": today,
        "coverage": coverage,
        "covered_percent": round(coverage.share * 100),
        "uncovered": coverage.open - coverage.covered,
        "period": period,
        "quotas": quotas,
        "quotas_apply": period is not None and period.quotas_apply_on(today),
        "visible_ids": visible_ids,
        "waiting": _waiting_for(user),
        "queued": list(queued[:QUEUE_SHOWN]),
        "queued_count": queued.count(),
        "overdue_reports": list(services.overdue_reports(today)) if access.runs_staffing(user) else [],
        "runs_staffing": access.runs_staffing(user),
        "sees_all": access.sees_all(user),
    }
    return render(request, "staffing/overview.html", context)


# --- vacancies ------------------------------------------------------------------------------------------------


def _postable_positions() -> QuerySet[Position]:
    """Structural posts of active OPDs without an open vacancy: what a new vacancy may be recorded for."""
    open_vacancy = Vacancy.objects.filter(position=OuterRef("pk"), filled_on__isnull=True)
    return (
        Position.objects.filter(level__in=STRUCTURAL, opd__is_active=True)
        .exclude(Exists(open_vacancy))
        .select_related("opd")
        .order_by("opd__name", "grade", "name")
    )


@login_required
@require_http_methods(["GET", "POST"])
@_refusals
def vacancy_list(request: PamongRequest) -> HttpResponse:
    user = _viewer(request)
    create_form: VacancyForm | None = None
    error: ValidationError | None = None
    if request.method == "POST":
        _require_bkpsdm(user)
        create_form = VacancyForm(request.POST, positions=_postable_positions())
        if create_form.is_valid():
            posted = create_form.cleaned_data
            try:
                vacancy = services.open_vacancy(
                    posted["position"], by=user, since=posted["since"], reason=posted["reason"], field=posted["field"]
                )
            except ValidationError as exc:
                add_service_errors(create_form, exc)
                error = exc
            else:
                messages.success(request, _("Lowongan %(post)s tercatat.") % {"post": vacancy.position.name})
                return redirect("staffing:vacancy", pk=vacancy.pk)
        else:
            error = _invalid(create_form)
    today = business_today()
    opds = _opds_for(user)
    filters = VacancyFilterForm(request.GET or None, opds=opds)
    data: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    rows = access.vacancies_for(user)
    if data.get("opd"):
        rows = rows.filter(position__opd=data["opd"])
    if data.get("level"):
        rows = rows.filter(position__level=data["level"])
    state = data.get("keadaan") or VacancyFilterForm.OPEN
    if state == VacancyFilterForm.OPEN:
        rows = rows.filter(filled_on__isnull=True)
    elif state == VacancyFilterForm.FILLED:
        rows = rows.filter(filled_on__isnull=False)
    queue = data.get("antrean")
    if queue == VacancyFilterForm.WAITING:
        rows = rows.filter(WAITING_IN_QUEUE)
    elif queue == VacancyFilterForm.RELEASED:
        rows = rows.filter(released_on__isnull=False)
    page, query = paginate(request, access.with_state(rows, today).order_by("since", "id"), PER_PAGE)
    runs = access.runs_staffing(user)
    if runs and create_form is None:
        create_form = VacancyForm(positions=_postable_positions(), initial={"since": today, "field": Field.UMUM})
    context = {
        "nav": "vacancies",
        "filters": filters,
        "several_opds": len(opds) > 1,
        "page": page,
        "rows": [_vacancy_row(v, today) for v in page.object_list],
        "query": query,
        "queue": queue,
        "create_form": create_form,
        "error_messages": _error_messages(error),
        "runs_staffing": runs,
    }
    return render(request, "staffing/vacancy_list.html", context)


def _vacancy_for(user: User, pk: int) -> Vacancy:
    vacancy = access.with_state(access.vacancies_for(user), business_today()).filter(pk=pk).first()
    if vacancy is None:
        raise Http404
    return vacancy


def _officials() -> QuerySet[Employee]:
    """Who may be chosen as Plt/Plh: active officials holding a structural post (the service checks the rest)."""
    return Employee.objects.filter(status=Employee.Status.AKTIF, position__level__in=STRUCTURAL).select_related(
        "position", "opd"
    )


def _matching(queryset: QuerySet[Employee], term: str) -> QuerySet[Employee]:
    """By name, identity number or the name of the post held ("kepala bidang", "sekretaris")."""
    term = term.strip()
    number = term.replace(" ", "")
    condition = Q(name__icontains=term) | Q(position__name__icontains=term)
    if number.isdigit() or number.upper().startswith("PTT"):
        condition |= Q(identity_number__icontains=number)
    return queryset.filter(condition)


def _acting_suggestions(vacancy: Vacancy, term: str) -> list[Employee]:
    """The search results, or, before any search, the officials of the same OPD who may act in the post
    (same level or one level higher): usually the secretary or a head of division."""
    officials = _officials().exclude(position=vacancy.position)
    if term.strip():
        found = _matching(officials, term)
    else:
        rank = acting.LEVEL_ORDER.get(vacancy.position.level, 0)
        levels = [level for level, r in acting.LEVEL_ORDER.items() if r in (rank, rank + 1)]
        found = officials.filter(opd_id=vacancy.position.opd_id, position__level__in=levels)
    return list(found.order_by("name", "id")[:SEARCH_LIMIT])


def _render_vacancy(
    request: PamongRequest,
    vacancy: Vacancy,
    *,
    failed: tuple[str, forms.Form] | None = None,
    error: ValidationError | None = None,
) -> HttpResponse:
    user = request.user
    today = business_today()
    assignments = list(
        vacancy.acting_assignments.select_related("employee__position", "extension").order_by("starts_on", "id")
    )
    acting_receipts = _receipts(ActingAssignment, [a.pk for a in assignments])
    extensions = {a.pk: ext for a in assignments if (ext := _extension(a)) is not None}
    extension_receipts = _receipts(ActingExtension, [e.pk for e in extensions.values()])
    history: list[dict[str, Any]] = []
    for a in assignments:
        extension = extensions.get(a.pk)
        history.append(
            {
                "assignment": a,
                "extension": extension,
                "receipt": acting_receipts.get(a.pk, ""),
                "extension_receipt": extension_receipts.get(extension.pk, "") if extension else "",
                "current": a.starts_on <= today <= a.ends_on,
            }
        )
    proposals = list(vacancy.proposals.order_by("-id"))
    live = next((p for p in proposals if p.status not in NOT_LIVE), None)
    runs = access.runs_staffing(user) and vacancy.filled_on is None
    failed_slug, failed_form = failed if failed else ("", None)
    context: dict[str, Any] = {
        "nav": "vacancies",
        "vacancy": vacancy,
        "days_empty": vacancy.days_empty(today),
        "waiting": vacancy.waiting_in_queue,
        "history": history,
        "proposals": proposals,
        "live": live,
        "runs_staffing": runs,
        "error_messages": _error_messages(error),
        "failed": failed_slug,
        "today": today,
    }
    if runs:
        search = SearchForm(request.GET or None)
        term = search.cleaned_data.get("cari", "") if search.is_valid() else ""
        offered = _acting_suggestions(vacancy, term)
        months = acting.plt_max_months()
        # A new term starts today, or the day after the term in force (or planned) ends.
        start = max([today, *[a.ends_on + dt.timedelta(days=1) for a in assignments if a.ends_on >= today]])
        covered = any(row["current"] for row in history)
        context.update(
            {
                "search": search,
                "searched": bool(term.strip()),
                "offered": offered,
                "acting_form": failed_form
                if failed_slug == "plt"
                else ActingForm(
                    officials=_officials(),
                    offered=offered,
                    initial={"starts_on": start, "ends_on": acting.last_day_of_term(start, months)},
                ),
                "assign_open": failed_slug == "plt" or not covered,
                "plt_months": months,
                "extension_months": acting.plt_extension_months(),
                "draft_form": failed_form if failed_slug == "usulan" else DraftProposalForm(),
                "can_queue": _can_queue(vacancy, live, today),
            }
        )
        for row in history:
            assignment: ActingAssignment = row["assignment"]
            if assignment.extended or assignment.ends_on < today:
                continue
            slug = f"perpanjang-{assignment.pk}"
            row["extend_open"] = failed_slug == slug
            row["extend_form"] = (
                failed_form
                if failed_slug == slug
                else ExtendForm(
                    auto_id=f"id_{slug}_%s",
                    initial={
                        "ends_on": acting.last_day_of_term(
                            assignment.ends_on + dt.timedelta(days=1), acting.plt_extension_months()
                        )
                    },
                )
            )
    return render(request, "staffing/vacancy_detail.html", context)


def _extension(assignment: ActingAssignment) -> ActingExtension | None:
    try:
        return assignment.extension
    except ActingExtension.DoesNotExist:
        return None


def _can_queue(vacancy: Vacancy, live: Proposal | None, today: dt.date) -> dict[str, Any] | None:
    """When the queue may take this vacancy, the period and date it waits for (the service decides)."""
    if vacancy.filled_on is not None or live is not None or vacancy.waiting_in_queue:
        return None
    period = services.holding_back(today)
    return {"period": period, "until": period.others_from} if period else None


@login_required
@require_safe
def vacancy_detail(request: PamongRequest, pk: int) -> HttpResponse:
    user = _viewer(request)
    return _render_vacancy(request, _vacancy_for(user, pk))


@login_required
@require_POST
@_refusals
def vacancy_assign_acting(request: PamongRequest, pk: int) -> HttpResponse:
    user = _viewer(request)
    vacancy = _vacancy_for(user, pk)
    _require_bkpsdm(user)
    form = ActingForm(request.POST, officials=_officials(), offered=[])
    if not form.is_valid():
        return _render_vacancy(request, vacancy, failed=("plt", form), error=_invalid(form))
    data = form.cleaned_data
    try:
        assignment = acting.assign_acting(
            vacancy, data["employee"], data["kind"], data["starts_on"], data["ends_on"], by=user
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _render_vacancy(request, _vacancy_for(user, pk), failed=("plt", form), error=exc)
    messages.success(
        request,
        _("%(name)s ditugaskan sebagai %(kind)s %(post)s sampai %(date)s.")
        % {
            "name": assignment.employee.full_name,
            "kind": assignment.get_kind_display(),
            "post": vacancy.position.name,
            "date": date_format(assignment.ends_on, "j F Y"),
        },
    )
    return redirect(reverse("staffing:vacancy", args=[vacancy.pk]) + "#plt")


@login_required
@require_POST
@_refusals
def vacancy_extend_acting(request: PamongRequest, pk: int, assignment_id: int) -> HttpResponse:
    user = _viewer(request)
    vacancy = _vacancy_for(user, pk)
    assignment = vacancy.acting_assignments.filter(pk=assignment_id).first()
    if assignment is None:
        raise Http404
    _require_bkpsdm(user)
    slug = f"perpanjang-{assignment.pk}"
    form = ExtendForm(request.POST, auto_id=f"id_{slug}_%s")
    if not form.is_valid():
        return _render_vacancy(request, vacancy, failed=(slug, form), error=_invalid(form))
    try:
        extended = acting.extend_acting(assignment, form.cleaned_data["ends_on"], by=user)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _render_vacancy(request, _vacancy_for(user, pk), failed=(slug, form), error=exc)
    messages.success(
        request,
        _("Masa %(kind)s %(name)s diperpanjang sampai %(date)s.")
        % {
            "kind": extended.get_kind_display(),
            "name": extended.employee.full_name,
            "date": date_format(extended.ends_on, "j F Y"),
        },
    )
    return redirect(reverse("staffing:vacancy", args=[vacancy.pk]) + "#plt")


@login_required
@require_POST
@_refusals
def vacancy_queue(request: PamongRequest, pk: int) -> HttpResponse:
    user = _viewer(request)
    vacancy = _vacancy_for(user, pk)
    _require_bkpsdm(user)
    try:
        queued = services.queue_vacancy(vacancy, by=user)
    except ValidationError as exc:
        return _render_vacancy(request, vacancy, failed=("antrean", EmptyForm()), error=exc)
    assert queued.queued_until is not None
    messages.success(
        request,
        _("Lowongan ini masuk antrean; boleh diusulkan mulai %(date)s. BKPSDM diberi tahu pada tanggal itu.")
        % {"date": date_format(queued.queued_until, "j F Y")},
    )
    return redirect("staffing:vacancy", pk=vacancy.pk)


@login_required
@require_POST
@_refusals
def vacancy_draft_proposal(request: PamongRequest, pk: int) -> HttpResponse:
    user = _viewer(request)
    vacancy = _vacancy_for(user, pk)
    _require_bkpsdm(user)
    form = DraftProposalForm(request.POST)
    if not form.is_valid():
        return _render_vacancy(request, vacancy, failed=("usulan", form), error=_invalid(form))
    try:
        proposal = services.draft_proposal(
            vacancy, by=user, urgency=form.cleaned_data["urgency"], justification=form.cleaned_data["justification"]
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _render_vacancy(request, vacancy, failed=("usulan", form), error=exc)
    messages.success(
        request,
        _("Draf usulan #%(id)d tersusun. Tambahkan calon yang memenuhi syarat, lalu ajukan.") % {"id": proposal.pk},
    )
    return redirect("staffing:proposal", pk=proposal.pk)


# --- proposals ------------------------------------------------------------------------------------------------


def _period_choices() -> list[tuple[str, str]]:
    return sorted(
        ((code, period.name) for code, period in services.latest_versions().items()), key=lambda item: item[1]
    )


@login_required
@require_safe
def proposal_list(request: PamongRequest) -> HttpResponse:
    user = _viewer(request)
    opds = _opds_for(user)
    filters = ProposalFilterForm(request.GET or None, opds=opds, periods=_period_choices())
    data: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    rows = access.proposals_for(user)
    if data.get("status"):
        rows = rows.filter(status=data["status"])
    if data.get("opd"):
        rows = rows.filter(vacancy__position__opd=data["opd"])
    if data.get("periode"):
        rows = rows.filter(period_code=data["periode"])
    page, query = paginate(request, rows.order_by("-id"), PER_PAGE)
    context = {
        "nav": "proposals",
        "filters": filters,
        "several_opds": len(opds) > 1,
        "page": page,
        "query": query,
        "period_names": dict(_period_choices()),
        "runs_staffing": access.runs_staffing(user),
    }
    return render(request, "staffing/proposal_list.html", context)


def _proposal_for(user: User, pk: int) -> Proposal:
    proposal = access.proposals_for(user).filter(pk=pk).first()
    if proposal is None:
        raise Http404
    return proposal


_FACT_LABELS = {
    "quota": gettext_lazy("Kelompok kuota"),
    "period_version": gettext_lazy("Versi periode"),
    "letter": gettext_lazy("Nomor surat"),
    "decree": gettext_lazy("Nomor SK"),
    "decree_date": gettext_lazy("Tanggal SK"),
    "appointee": gettext_lazy("Yang diangkat"),
    "reported_on": gettext_lazy("Dilaporkan ke Kemendagri"),
    "late": gettext_lazy("Terlambat"),
}


def _facts(facts: dict[str, Any], quota_labels: dict[str, str]) -> list[tuple[Any, Any]]:
    rows: list[tuple[Any, Any]] = []
    for name, value in facts.items():
        if name not in _FACT_LABELS or value in ("", None):
            continue
        if name == "quota":
            value = quota_labels.get(value, value)
        elif name in {"decree_date", "reported_on"}:
            with contextlib.suppress(TypeError, ValueError):
                value = date_format(dt.date.fromisoformat(value), "j F Y")
        elif name == "late":
            if not value:
                continue
            value = _("ya, lewat batas 7 hari kerja")
        rows.append((_FACT_LABELS[name], value))
    return rows


def _timeline(proposal: Proposal, period: PolicyPeriod | None) -> list[dict[str, Any]]:
    steps = list(proposal.steps.order_by("id"))
    entries = ledger.entries_for(ProposalStep, (step.pk for step in steps))
    roles: dict[str, Any] = {**dict(Role.choices), "sistem": _("Sistem")}
    statuses: dict[str, Any] = dict(S.choices)
    quota_labels = {q.get("code", ""): q.get("label") or q.get("code", "") for q in (period.quotas if period else [])}
    timeline = []
    for step in steps:
        entry = entries.get(str(step.pk))
        role = entry.actor_role if entry else ""
        report = step.from_status == step.to_status == S.APPOINTED
        timeline.append(
            {
                "step": step,
                "label": _("Pengangkatan dilaporkan ke Kemendagri") if report else statuses.get(step.to_status),
                "role": roles.get(role, role),
                "receipt": entry.receipt_code if entry else "",
                "facts": _facts(step.facts, quota_labels),
            }
        )
    return timeline


def _candidate_rows(proposal: Proposal) -> list[dict[str, Any]]:
    rows = []
    for candidate in proposal.candidates.select_related("employee__opd", "employee__position").order_by("id"):
        checks = candidate.checks or []
        rows.append(
            {
                "candidate": candidate,
                "masked": mask_identity_number(candidate.employee.identity_number),
                "checks": checks,
                "failed": sum(1 for c in checks if not c.get("passed")),
            }
        )
    return rows


# Where candidates for a level usually come from: the level below it.
FEEDER_LEVELS: dict[str, list[str]] = {
    Position.Level.JPT_PRATAMA: [Position.Level.ADMINISTRATOR],
    Position.Level.ADMINISTRATOR: [Position.Level.PENGAWAS],
    Position.Level.PENGAWAS: [Position.Level.PELAKSANA, Position.Level.FUNGSIONAL],
}


def _candidate_search(proposal: Proposal, term: str) -> list[Employee]:
    """The search results, or, before any search, the officials of the same OPD one level below the post."""
    people = (
        Employee.objects.filter(status=Employee.Status.AKTIF)
        .exclude(pk__in=proposal.candidates.values("employee_id"))
        .select_related("position", "opd")
    )
    position = proposal.vacancy.position
    if term.strip():
        found = _matching(people, term)
    else:
        found = people.filter(opd_id=position.opd_id, position__level__in=FEEDER_LEVELS.get(position.level, []))
    return list(found.order_by("name", "id")[:SEARCH_LIMIT])


def _preview(proposal: Proposal, employee_id: Any) -> dict[str, Any] | None:
    """What services.candidate_checks says of this employee, before BKPSDM adds them."""
    if not str(employee_id or "").isdigit():
        return None
    employee = eligibility.prefetch(Employee.objects.filter(pk=int(employee_id)).select_related("opd")).first()
    if employee is None:
        return None
    checks = services.candidate_checks(proposal, employee)
    return {
        "employee": employee,
        "masked": mask_identity_number(employee.identity_number),
        "checks": [c.as_dict() for c in checks],
        "eligible": eligibility.eligible(checks),
        "already": proposal.candidates.filter(employee=employee).exists(),
        "form": CandidateForm(initial={"employee": employee.pk}),
    }


def _forms_for(proposal: Proposal, user: User, today: dt.date) -> dict[str, forms.Form]:
    """The steps this person may take on this proposal now (services.actions_for), as unbound forms,
    keyed by the page's action slug."""
    actions = services.actions_for(proposal, user, today)
    makers: dict[str, tuple[str, Callable[[], forms.Form]]] = {
        "submit": ("ajukan", EmptyForm),
        "send": ("kirim", lambda: SendForm(auto_id="id_kirim_%s")),
        "decide": ("keputusan", lambda: DecisionForm(auto_id="id_keputusan_%s")),
        "appoint": (
            "sk",
            lambda: AppointmentForm(
                auto_id="id_sk_%s", candidates=_candidate_employees(proposal), initial=_single_candidate(proposal)
            ),
        ),
        "report": ("laporan", lambda: ReportForm(auto_id="id_laporan_%s", initial={"reported_on": today})),
        "withdraw": ("tarik", lambda: WithdrawForm(auto_id="id_tarik_%s")),
        "approve": ("setujui", lambda: ApproveForm(auto_id="id_setujui_%s")),
    }
    return {slug: make() for action, (slug, make) in makers.items() if action in actions}


def _candidate_employees(proposal: Proposal) -> QuerySet[Employee]:
    return Employee.objects.filter(
        pk__in=ProposalCandidate.objects.filter(proposal=proposal).values("employee_id")
    ).select_related("position", "opd")


def _single_candidate(proposal: Proposal) -> dict[str, Any]:
    ids = list(proposal.candidates.values_list("employee_id", flat=True)[:2])
    return {"appointee": ids[0]} if len(ids) == 1 else {}


def _render_proposal(
    request: PamongRequest,
    proposal: Proposal,
    *,
    failed: tuple[str, forms.Form] | None = None,
    error: ValidationError | None = None,
) -> HttpResponse:
    user = request.user
    today = business_today()
    period = services.current_version(proposal.period_code)
    quota = next((q for q in (period.quotas if period else []) if q.get("code") == proposal.quota_group), None)
    sees_candidates = access.can_see_candidates(user)
    offered = _forms_for(proposal, user, today)
    failed_slug, failed_form = failed if failed else ("", None)
    if failed_form is not None and failed_slug in offered:
        offered[failed_slug] = failed_form
    appointed = proposal.candidates.filter(appointed=True).select_related("employee").first()
    candidates_open = sees_candidates and access.runs_staffing(user) and proposal.status not in FINISHED
    context: dict[str, Any] = {
        "nav": "proposals",
        "proposal": proposal,
        "vacancy": proposal.vacancy,
        "position": proposal.vacancy.position,
        "period": period,
        "quota": quota,
        "urgency": [label for code, label in Proposal.Urgency.choices if code in (proposal.urgency or [])],
        "timeline": _timeline(proposal, period),
        "appointee": appointed.employee if appointed else None,
        "sees_candidates": sees_candidates,
        "candidates": _candidate_rows(proposal) if sees_candidates else [],
        "candidates_open": candidates_open,
        "letter_available": sees_candidates and proposal.status in LETTER_STATUSES,
        "forms": offered,
        "failed": failed_slug,
        "error_messages": _error_messages(error),
        "approval_needed": services.approval_period(proposal, today) is not None,
        "next_step": NEXT_STEP.get(proposal.status, ""),
        "approve_as": _("Sekda") if proposal.status == S.SUBMITTED else _("Wali Kota"),
        "today": today,
    }
    if candidates_open:
        search = SearchForm(request.GET or None)
        term = search.cleaned_data.get("cari", "") if search.is_valid() else ""
        chosen = request.GET.get("pratinjau")
        if failed_slug == "calon" and failed_form is not None:
            chosen = failed_form.data.get("employee")
        context.update(
            {
                "search": search,
                "term": term,
                "results": _candidate_search(proposal, term),
                "preview": _preview(proposal, chosen),
            }
        )
    return render(request, "staffing/proposal_detail.html", context)


@login_required
@never_cache
@require_safe
def proposal_detail(request: PamongRequest, pk: int) -> HttpResponse:
    user = _viewer(request)
    return _render_proposal(request, _proposal_for(user, pk))


@dataclass(frozen=True)
class Action:
    """One step on a proposal: who may take it, its form, the service call, and where the page returns."""

    form: Callable[[Proposal, Any], forms.Form]
    run: Callable[[Proposal, User, forms.Form], str]
    anchor: str
    roles: tuple[str, ...] = (Role.BKPSDM,)


def _add_candidate(proposal: Proposal, user: User, form: forms.Form) -> str:
    employee = form.cleaned_data["employee"]
    services.add_candidate(proposal, employee, by=user)
    return _("%(name)s ditambahkan sebagai calon: semua syarat terpenuhi.") % {"name": employee.full_name}


def _remove_candidate(proposal: Proposal, user: User, form: forms.Form) -> str:
    candidate = (
        proposal.candidates.select_related("employee").filter(pk=form.cleaned_data["candidate"]).first()
        if access.can_see_candidates(user)
        else None
    )
    if candidate is None:
        raise Http404
    services.remove_candidate(candidate, by=user)
    return _("%(name)s tidak lagi menjadi calon.") % {"name": candidate.employee.full_name}


def _submit(proposal: Proposal, user: User, form: forms.Form) -> str:
    submitted = services.submit_proposal(proposal, by=user)
    if submitted.counts_against_quota:
        return _("Usulan #%(id)d diajukan dan memakai satu tempat kuota; kini menunggu persetujuan Sekda.") % {
            "id": submitted.pk
        }
    return _("Usulan #%(id)d diajukan; kini menunggu persetujuan Sekda.") % {"id": submitted.pk}


def _approve(proposal: Proposal, user: User, form: forms.Form) -> str:
    if services.approve(proposal, by=user).status == S.SEKDA:
        return _("Usulan #%(id)d disetujui Sekda; kini menunggu persetujuan Wali Kota.") % {"id": proposal.pk}
    return _("Usulan #%(id)d disetujui Wali Kota; BKPSDM mengirim suratnya ke Kemendagri.") % {"id": proposal.pk}


def _send(proposal: Proposal, user: User, form: forms.Form) -> str:
    services.send_to_kemendagri(proposal, by=user, letter_number=form.cleaned_data["letter_number"])
    return _("Pengiriman surat usulan ke Kemendagri tercatat.")


def _decide(proposal: Proposal, user: User, form: forms.Form) -> str:
    assert isinstance(form, DecisionForm)
    services.record_decision(
        proposal,
        by=user,
        approved=form.approved,
        letter_number=form.cleaned_data["letter_number"],
        letter_date=form.cleaned_data["letter_date"],
    )
    if form.approved:
        return _("Persetujuan Kemendagri tercatat; SK pengangkatan kini dapat dicatat.")
    return _("Penolakan Kemendagri tercatat.")


def _appoint(proposal: Proposal, user: User, form: forms.Form) -> str:
    services.record_appointment(
        proposal,
        by=user,
        decree_number=form.cleaned_data["decree_number"],
        decree_date=form.cleaned_data["decree_date"],
        appointee=form.cleaned_data["appointee"],
    )
    return _("SK pengangkatan tercatat; jabatan ini kini terisi dan nama yang diangkat terbuka untuk publik.")


def _report(proposal: Proposal, user: User, form: forms.Form) -> str:
    services.record_report_to_kemendagri(
        proposal,
        by=user,
        reported_on=form.cleaned_data["reported_on"],
        letter_number=form.cleaned_data["letter_number"],
    )
    return _("Laporan pengangkatan ke Kemendagri tercatat.")


def _withdraw(proposal: Proposal, user: User, form: forms.Form) -> str:
    withdrawn = services.withdraw(proposal, by=user, reason=form.cleaned_data["reason"])
    if proposal.counts_against_quota and not withdrawn.counts_against_quota:
        return _("Usulan #%(id)d ditarik; tempat kuotanya kembali.") % {"id": proposal.pk}
    return _("Usulan #%(id)d ditarik.") % {"id": proposal.pk}


ACTIONS: dict[str, Action] = {
    "calon": Action(lambda p, data: CandidateForm(data), _add_candidate, "calon"),
    "hapus-calon": Action(lambda p, data: RemoveCandidateForm(data), _remove_candidate, "calon"),
    "ajukan": Action(lambda p, data: EmptyForm(data), _submit, "langkah"),
    "setujui": Action(
        lambda p, data: ApproveForm(data, auto_id="id_setujui_%s"), _approve, "langkah", (Role.SEKDA, Role.WALI_KOTA)
    ),
    "kirim": Action(lambda p, data: SendForm(data, auto_id="id_kirim_%s"), _send, "surat"),
    "keputusan": Action(lambda p, data: DecisionForm(data, auto_id="id_keputusan_%s"), _decide, "surat"),
    "sk": Action(
        lambda p, data: AppointmentForm(data, auto_id="id_sk_%s", candidates=_candidate_employees(p)), _appoint, "surat"
    ),
    "laporan": Action(lambda p, data: ReportForm(data, auto_id="id_laporan_%s"), _report, "surat"),
    "tarik": Action(lambda p, data: WithdrawForm(data, auto_id="id_tarik_%s"), _withdraw, "langkah"),
}


@login_required
@never_cache
@require_POST
@_refusals
def proposal_action(request: PamongRequest, pk: int, action: str) -> HttpResponse:
    chosen = ACTIONS.get(action)
    if chosen is None:
        raise Http404
    user = _viewer(request)
    proposal = _proposal_for(user, pk)
    if not user.has_role(*chosen.roles):
        raise PermissionDenied(
            _("Langkah ini dilakukan oleh %(roles)s; peran Anda tidak mengubah usulan.")
            % {"roles": _(" atau ").join(str(Role(r).label) for r in chosen.roles)}
        )
    form = chosen.form(proposal, request.POST)
    if not form.is_valid():
        return _render_proposal(request, proposal, failed=(action, form), error=_invalid(form))
    try:
        done = chosen.run(proposal, user, form)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _render_proposal(request, _proposal_for(user, pk), failed=(action, form), error=exc)
    messages.success(request, done)
    return redirect(reverse("staffing:proposal", args=[proposal.pk]) + f"#{chosen.anchor}")


@login_required
@never_cache
@require_safe
def request_letter(request: PamongRequest, pk: int) -> HttpResponse:
    """The request letter to Kemendagri as PDF. It names the candidates, so only those who see them get it."""
    user = _viewer(request)
    proposal = _proposal_for(user, pk)
    if not access.can_see_candidates(user) or proposal.status not in LETTER_STATUSES:
        raise Http404
    # Imported here: the PDF library is needed only by this view.
    from pamong.staffing import letters

    try:
        data = letters.request_letter_pdf(proposal)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(reverse("staffing:proposal", args=[proposal.pk]) + "#surat")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"usulan-{proposal.pk}-kemendagri.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- policy periods ---------------------------------------------------------------------------------------


def _display(name: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, dt.date):
        return date_format(value, "j F Y")
    labels = dict(Position.Level.choices)
    if name == "approval_levels":
        return ", ".join(str(labels.get(level, level)) for level in value)
    if name == "quotas":
        return "; ".join(
            _("%(label)s (%(levels)s) paling banyak %(limit)s")
            % {
                "label": q.get("label") or q.get("code"),
                "levels": ", ".join(str(labels.get(level, level)) for level in q.get("levels", [])),
                "limit": q.get("limit"),
            }
            for q in value
        )
    return str(value)


def _changes(before: PolicyPeriod, after: PolicyPeriod) -> list[dict[str, str]]:
    """What a version changed from the one before it, field by field, in words."""
    changed = []
    for name in services.PERIOD_FIELDS:
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            changed.append(
                {
                    "label": capfirst(str(getattr(PolicyPeriod._meta.get_field(name), "verbose_name", name))),
                    "old": _display(name, old),
                    "new": _display(name, new),
                }
            )
    return changed


def _period_groups(today: dt.date) -> list[dict[str, Any]]:
    versions: dict[str, list[PolicyPeriod]] = {}
    for period in PolicyPeriod.objects.select_related("created_by").order_by("code", "-version"):
        versions.setdefault(period.code, []).append(period)
    in_force = services.period_on(today)
    groups: list[dict[str, Any]] = []
    for _code, rows in versions.items():
        latest = rows[0]
        history = []
        for i, version in enumerate(rows):
            previous = rows[i + 1] if i + 1 < len(rows) else None
            history.append({"period": version, "changes": _changes(previous, version) if previous else []})
        groups.append(
            {
                "latest": latest,
                "history": history,
                "in_force": in_force is not None and in_force.pk == latest.pk,
                "quotas": quota_use(latest),
                "approval_levels": _display("approval_levels", latest.approval_levels),
            }
        )
    groups.sort(key=lambda g: (not g["in_force"], -g["latest"].starts_on.toordinal()))
    return groups


def _render_periods(
    request: PamongRequest, form: PeriodForm | None = None, error: ValidationError | None = None
) -> HttpResponse:
    user = request.user
    runs = access.runs_staffing(user)
    if runs and form is None:
        form = PeriodForm(initial={"frees_on_withdrawal": True})
    context = {
        "nav": "periods",
        "groups": _period_groups(business_today()),
        "form": form if runs else None,
        "runs_staffing": runs,
        "error_messages": _error_messages(error),
    }
    return render(request, "staffing/period_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@_refusals
def period_list(request: PamongRequest) -> HttpResponse:
    user = _viewer(request)
    if request.method == "GET":
        return _render_periods(request)
    _require_bkpsdm(user)
    form = PeriodForm(request.POST)
    if not form.is_valid():
        return _render_periods(request, form, _invalid(form))
    try:
        period = services.create_period(
            by=user, code=form.cleaned_data["code"], reason=form.cleaned_data["reason"], **form.period_fields()
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _render_periods(request, form, exc)
    messages.success(request, _("Periode kebijakan %(name)s ditetapkan (versi 1).") % {"name": period.name})
    return redirect(reverse("staffing:periods") + f"#periode-{period.code}")


@login_required
@require_http_methods(["GET", "POST"])
@_refusals
def period_revise(request: PamongRequest, code: str) -> HttpResponse:
    user = _viewer(request)
    latest = services.current_version(code)
    if latest is None:
        raise Http404
    _require_bkpsdm(user)
    error: ValidationError | None = None
    if request.method == "POST":
        form = PeriodForm(request.POST, revising=True)
        if form.is_valid():
            try:
                period = services.revise_period(
                    code, by=user, reason=form.cleaned_data["reason"], **form.period_fields()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                error = exc
            else:
                messages.success(
                    request,
                    _("Periode kebijakan %(name)s diubah: versi %(version)d berlaku; versi lama tetap tersimpan.")
                    % {"name": period.name, "version": period.version},
                )
                return redirect(reverse("staffing:periods") + f"#periode-{code}")
        else:
            error = _invalid(form)
    else:
        form = PeriodForm(initial=PeriodForm.initial_for(latest), revising=True)
    context = {
        "nav": "periods",
        "period": latest,
        "form": form,
        "error_messages": _error_messages(error),
    }
    return render(request, "staffing/period_revise.html", context)


# --- acting officials -----------------------------------------------------------------------------------------


@login_required
@require_safe
def acting_list(request: PamongRequest) -> HttpResponse:
    user = _viewer(request)
    today = business_today()
    opds = _opds_for(user)
    filters = ActingFilterForm(request.GET or None, opds=opds)
    data: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    rows = access.acting_for(user).select_related("employee__position", "extension")
    if (data.get("keadaan") or ActingFilterForm.NOW) == ActingFilterForm.NOW:
        rows = rows.filter(starts_on__lte=today, ends_on__gte=today)
    if data.get("opd"):
        rows = rows.filter(vacancy__position__opd=data["opd"])
    page, query = paginate(request, rows.order_by("ends_on", "id"), PER_PAGE)
    coverage = _coverage(user, today)
    context = {
        "nav": "acting",
        "today": today,
        "filters": filters,
        "several_opds": len(opds) > 1,
        "page": page,
        "query": query,
        "coverage": coverage,
        "uncovered": coverage.open - coverage.covered,
        "rows": [
            {"assignment": a, "current": a.starts_on <= today <= a.ends_on, "extension": _extension(a)}
            for a in page.object_list
        ],
    }
    return render(request, "staffing/acting_list.html", context)
