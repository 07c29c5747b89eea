from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from pamong.core import ledger
from pamong.core.clock import business_today
from pamong.core.forms import add_service_errors
from pamong.core.http import PamongRequest
from pamong.core.qr import qr_svg
from pamong.neutrality import queries, services
from pamong.neutrality.forms import CampaignForm, RemindForm, SignForm
from pamong.neutrality.models import Campaign, Signature
from pamong.organisation.models import Employee

# The assembly screen polls every 2 s; a hundred screens share one computation per second.
ASSEMBLY_CACHE_SECONDS = 1
ASSEMBLY_TOP_OPDS = 12


def _share(signed: int, eligible: int) -> float:
    return round(100 * signed / eligible, 1) if eligible else 0.0


# --- campaigns -----------------------------------------------------------------------------------


@login_required
@require_safe
def campaign_list(request: PamongRequest) -> HttpResponse:
    campaigns = list(Campaign.objects.all())
    signed_ids = set(
        Signature.objects.filter(signer=request.user, campaign__in=campaigns).values_list("campaign_id", flat=True)
    )
    today = business_today()
    rows = [{"campaign": c, "signed": c.pk in signed_ids, "open": c.is_open_on(today)} for c in campaigns]
    return render(
        request,
        "neutrality/campaign_list.html",
        {"rows": rows, "can_manage": queries.can_manage_campaigns(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request: PamongRequest) -> HttpResponse:
    if not queries.can_manage_campaigns(request.user):
        raise Http404
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.create_campaign(
                by=request.user, slug=form.cleaned_data["slug"], **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Kampanye %(title)s tersimpan.") % {"title": campaign.title})
            return redirect("neutrality:campaign_detail", slug=campaign.slug)
    return render(request, "neutrality/campaign_form.html", {"form": form, "campaign": None})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: PamongRequest, slug: str) -> HttpResponse:
    if not queries.can_manage_campaigns(request.user):
        raise Http404
    campaign = queries.get_campaign(slug)
    text_locked = Signature.objects.filter(campaign=campaign).exists()
    form = CampaignForm(request.POST or None, campaign=campaign, text_locked=text_locked)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_campaign(campaign, by=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Perubahan kampanye %(title)s tersimpan.") % {"title": campaign.title})
            return redirect("neutrality:campaign_detail", slug=campaign.slug)
    return render(request, "neutrality/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
@require_safe
def campaign_detail(request: PamongRequest, slug: str) -> HttpResponse:
    campaign = queries.get_campaign(slug)
    progress = queries.progress(campaign)
    follow_up_ids = set(queries.follow_up_opds(request.user).values_list("pk", flat=True))
    kind_labels = dict(Employee.Kind.choices)
    by_kind = [
        {**row, "label": kind_labels.get(row["kind"], row["kind"]), "percent": _share(row["signed"], row["eligible"])}
        for row in progress["by_kind"]
    ]
    by_opd = sorted(
        (
            {**row, "percent": _share(row["signed"], row["eligible"]), "may_follow_up": row["opd_id"] in follow_up_ids}
            for row in progress["by_opd"]
        ),
        key=lambda row: row["abbreviation"].casefold(),  # the table shows the short names
    )
    capacities = dict(Signature.Capacity.choices)
    officials = [{**row, "capacity_label": capacities.get(row["capacity"], "")} for row in progress["officials"]]
    context = {
        "campaign": campaign,
        "progress": progress,
        "by_kind": by_kind,
        "by_opd": by_opd,
        "officials": [row for row in officials if row["capacity"] != Signature.Capacity.SAKSI],
        "witnesses": [row for row in officials if row["capacity"] == Signature.Capacity.SAKSI],
        "eligible_opds": list(campaign.eligible_opds.order_by("name").values_list("name", flat=True)),
        "eligible_kinds": [kind_labels.get(k, k) for k in campaign.eligible_kinds],
        "own_signature": queries.own_signature(request.user, campaign),
        "is_open": campaign.is_open_on(business_today()),
        "can_manage": queries.can_manage_campaigns(request.user),
        "may_follow_up": bool(follow_up_ids),
    }
    return render(request, "neutrality/campaign_detail.html", context)


# --- signing -------------------------------------------------------------------------------------


def _signing_problem(campaign: Campaign, request: PamongRequest) -> tuple[str, str, str]:
    """Before the form is filled in: why this user cannot sign today, if they cannot; else their capacity."""
    try:
        services.check_window(campaign)
        capacity, body = services.capacity_for(campaign, request.user)
    except ValidationError as error:
        return " ".join(error.messages), "", ""
    return "", str(Signature.Capacity(capacity).label), body


@login_required
@require_http_methods(["GET", "POST"])
def sign(request: PamongRequest, slug: str) -> HttpResponse:
    campaign = queries.get_campaign(slug)
    if request.method == "POST":
        form = SignForm(request.POST)
        if form.is_valid():
            try:
                signature, _made = services.sign_declaration(
                    campaign,
                    by=request.user,
                    text_sha256=form.cleaned_data["text_sha256"],
                    drawing=form.cleaned_data["drawing"],
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                # New or repeated, the receipt says so: "Terima kasih" and the code. A phone running
                # htmx gets the receipt in this same response (one round trip fewer on a slow
                # network, one request fewer for the server at the assembly burst).
                if request.htmx:
                    response = render(
                        request,
                        "neutrality/receipt.html#receipt-card",
                        _receipt_context(request, campaign, signature),
                    )
                    response["HX-Push-Url"] = reverse("neutrality:receipt", args=[campaign.slug])
                    return response
                return redirect("neutrality:receipt", slug=campaign.slug)
    else:
        if queries.own_signature(request.user, campaign) is not None:
            return redirect("neutrality:receipt", slug=campaign.slug)
        form = SignForm()
    problem, capacity, witness_body = _signing_problem(campaign, request)
    context = {
        "campaign": campaign,
        "form": form,
        "problem": problem,
        "capacity": capacity,
        "witness_body": witness_body,
        "employee": request.user.employee,
    }
    return render(request, "neutrality/sign.html", context)


@login_required
@require_safe
def receipt(request: PamongRequest, slug: str) -> HttpResponse:
    campaign = queries.get_campaign(slug)
    signature = queries.own_signature(request.user, campaign)
    if signature is None:
        raise Http404
    return render(request, "neutrality/receipt.html", _receipt_context(request, campaign, signature))


def _receipt_context(request: HttpRequest, campaign: Campaign, signature: Signature) -> dict[str, Any]:
    code = ledger.format_receipt_code(signature.receipt_code) if signature.receipt_code else ""
    context: dict[str, Any] = {"campaign": campaign, "signature": signature, "code": code}
    if code:
        verify_url = request.build_absolute_uri(reverse("core:verify", args=[code]))
        context["verify_url"] = verify_url
        context["qr_svg"] = qr_svg(verify_url, scale=4, dark="#111", light="#fff")
    return context


# --- the assembly screen -------------------------------------------------------------------------


def _assembly_counts(campaign: Campaign) -> dict[str, Any]:
    progress = queries.progress(campaign)
    opds = [
        {
            "name": row["abbreviation"],
            "signed": row["signed"],
            "eligible": row["eligible"],
            "percent": _share(row["signed"], row["eligible"]),
        }
        for row in progress["by_opd"]
        if row["eligible"]
    ]
    opds.sort(key=lambda row: (-row["percent"], -row["signed"], row["name"]))
    return {
        "signed": progress["signed"],
        "eligible": progress["eligible"],
        "percent": progress["percent"],
        "unsigned": progress["eligible"] - progress["signed"],
        "top_opds": opds[:ASSEMBLY_TOP_OPDS],
        "more_opds": max(0, len(opds) - ASSEMBLY_TOP_OPDS),
        "officials": len(progress["officials"]),
    }


def _assembly_state(slug: str) -> dict[str, Any]:
    """The campaign's title and counts, computed at most once a second per process for all screens."""
    key = f"neutrality:assembly:{slug}"
    state: dict[str, Any] | None = cache.get(key)
    if state is None:
        campaign = queries.get_campaign(slug)
        state = {"slug": campaign.slug, "title": campaign.title, "counts": _assembly_counts(campaign)}
        cache.set(key, state, ASSEMBLY_CACHE_SECONDS)
    return state


@never_cache
@require_safe
def assembly(request: HttpRequest, slug: str) -> HttpResponse:
    """Public big-screen page for the assembly ground; htmx polls the counts partial every 2 s."""
    state = _assembly_state(slug)
    context: dict[str, Any] = {"campaign": state, "counts": state["counts"]}
    if getattr(request, "htmx", False):
        return render(request, "neutrality/assembly.html#counts", context)
    sign_url = request.build_absolute_uri(reverse("neutrality:sign", args=[state["slug"]]))
    context.update(
        {
            "sign_url": sign_url,
            "short_url": sign_url.split("://", 1)[-1],
            "qr_svg": qr_svg(sign_url, scale=10, dark="#000", light="#fff"),
        }
    )
    return render(request, "neutrality/assembly.html", context)


# --- follow-up by OPD ----------------------------------------------------------------------------


@login_required
@require_safe
def follow_up_index(request: PamongRequest, slug: str) -> HttpResponse:
    campaign = queries.get_campaign(slug)
    opds = list(queries.follow_up_opds(request.user).order_by("name"))
    if not opds:
        raise Http404
    if len(opds) == 1:
        return redirect("neutrality:follow_up", slug=campaign.slug, opd_id=opds[0].pk)
    counts = {row["opd_id"]: row for row in queries.progress(campaign)["by_opd"]}
    rows = []
    for opd in opds:
        row = counts.get(opd.pk)
        if row is None:
            continue  # nobody in this OPD has to sign
        unsigned = row["eligible"] - row["signed"]
        rows.append({"opd": opd, **row, "unsigned": unsigned, "percent": _share(row["signed"], row["eligible"])})
    rows.sort(key=lambda r: (-r["unsigned"], r["opd"].name))
    return render(request, "neutrality/follow_up_index.html", {"campaign": campaign, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def follow_up(request: PamongRequest, slug: str, opd_id: int) -> HttpResponse:
    campaign = queries.get_campaign(slug)
    opd = queries.get_follow_up_opd(request.user, opd_id)
    if request.method == "POST":
        form = RemindForm(request.POST)
        if form.is_valid():
            one = form.cleaned_data["employee"]
            try:
                count = services.remind_unsigned(campaign, opd, by=request.user, employee_ids=[one] if one else None)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, ngettext("%(n)d pegawai diingatkan.", "%(n)d pegawai diingatkan.", count) % {"n": count}
                )
        else:
            messages.error(request, _("Pilihan pegawai tidak dapat dibaca."))
        return redirect("neutrality:follow_up", slug=campaign.slug, opd_id=opd.pk)
    unsigned = [
        {"employee": e, "has_account": _has_account(e)}
        for e in queries.unsigned_employees(campaign, opd).select_related("user")
    ]
    context = {
        "campaign": campaign,
        "opd": opd,
        "unsigned": unsigned,
        "with_account": sum(1 for row in unsigned if row["has_account"]),
        "several_opds": queries.follow_up_opds(request.user).count() > 1,
    }
    return render(request, "neutrality/follow_up.html", context)


def _has_account(employee: Employee) -> bool:
    user = getattr(employee, "user", None)  # the reverse one-to-one raises when there is no account
    return user is not None and user.is_active
