"""The public staffing page under /transparansi/jabatan/: every proposal and decision, anyone may read.

No login. The data comes from ``pamong.staffing.public``, the same query the public API uses, so the
page can show nothing that module does not release. Reading is rate-limited per address as the
ledger's public pages are; a spent limit gets a page in words and 429.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django_ratelimit.decorators import ratelimit

from pamong.core.clock import business_today
from pamong.core.paging import paginate
from pamong.organisation.models import Position
from pamong.staffing import public, services
from pamong.staffing.models import Proposal

# Each page costs a handful of queries: plenty for a reader, not for a scraper.
PUBLIC_RATE = "60/m"
PER_PAGE = 20


def _rate(group: str, request: HttpRequest) -> str:
    return PUBLIC_RATE  # read at request time, so a test can lower it


def _limited(request: HttpRequest) -> HttpResponse:
    return render(request, "staffing/public/rate_limited.html", status=429)


class FilterForm(forms.Form):
    periode = forms.ChoiceField(label=_("Periode"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    opd = forms.ChoiceField(label=_("OPD"), required=False)
    jenjang = forms.ChoiceField(label=_("Jenjang"), required=False)

    def __init__(self, *args: Any, periods: list[public.PublicPeriod], opds: list[public.Choice], **kwargs: Any):
        super().__init__(*args, **kwargs)
        everything = [("", _("Semua"))]
        labels = dict(Proposal.Status.choices)
        levels = dict(Position.Level.choices)
        choices: dict[str, list[tuple[str, Any]]] = {
            "periode": [(p.code, p.name) for p in periods],
            "status": [(s, labels[s]) for s in public.PUBLIC_STATUSES],
            "opd": [(o.code, o.label) for o in opds],
            "jenjang": [(lv, levels[lv]) for lv in public.STRUCTURAL_LEVELS],
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = everything + options


@require_safe
@ratelimit(key="ip", rate=_rate, group="staffing.public", block=False)
def proposal_list(request: HttpRequest) -> HttpResponse:
    if getattr(request, "limited", False):
        return _limited(request)
    index = services.latest_versions()
    periods = public.periods(index=index)
    form = FilterForm(request.GET or None, periods=periods, opds=public.opds_with_proposals())
    # A wrong value in one filter drops that filter only (and says so); the others still apply.
    chosen = {}
    if form.is_bound:
        form.is_valid()
        chosen = {name: value for name, value in form.cleaned_data.items() if value}
    queryset = public.filtered(
        public.proposals(),
        period=chosen.get("periode"),
        status=chosen.get("status"),
        opd=int(chosen["opd"]) if chosen.get("opd") else None,
        level=chosen.get("jenjang"),
    )
    page, query = paginate(request, queryset, PER_PAGE, param="halaman")
    context = {
        "form": form,
        "filtered": bool(chosen),
        "page": page,
        "proposals": public.present(list(page.object_list), index),
        "periods": periods,
        "acting": public.acting_in_force(business_today()),
        "query": query,
    }
    return render(request, "staffing/public/list.html", context)


@require_safe
@ratelimit(key="ip", rate=_rate, group="staffing.public", block=False)
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if getattr(request, "limited", False):
        return _limited(request)
    found = public.proposal(pk)
    if found is None:
        raise Http404
    period = next((p for p in public.periods() if p.code == found.period_code), None)
    quota = None
    if period is not None and found.quota is not None:
        quota = next((q for q in period.quotas if q.code == found.quota.code), None)
    return render(request, "staffing/public/detail.html", {"proposal": found, "period": period, "quota": quota})
