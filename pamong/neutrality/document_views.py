"""Downloads of a declaration's documents: the signer's certificate and the berita acara (PDF, Excel).

Who may download what is decided in queries.py; a forbidden document answers 404, like a missing one.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from pamong.core.http import PamongRequest
from pamong.neutrality import documents, queries
from pamong.neutrality.models import Campaign, Signature
from pamong.organisation.models import OPD

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROSTER_TITLE = "Berita Acara Penandatanganan Deklarasi Komitmen Netralitas"


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _certificate_response(request: PamongRequest, signature: Signature) -> HttpResponse:
    base_url = request.build_absolute_uri("/").rstrip("/")
    content = documents.certificate_pdf(signature, base_url=base_url)
    name = slugify(signature.signer_name)[:60] or "penanda-tangan"
    return _attachment(content, PDF, f"sertifikat-{signature.campaign.slug}-{name}.pdf")


@login_required
@require_safe
@never_cache
def certificate(request: PamongRequest, slug: str) -> HttpResponse:
    """The logged-in signer's own certificate."""
    campaign = queries.get_campaign(slug)
    signature = queries.own_signature(request.user, campaign)
    if signature is None:
        raise Http404
    signature.campaign = campaign
    return _certificate_response(request, signature)


@login_required
@require_safe
@never_cache
def certificate_of(request: PamongRequest, slug: str, signature_id: int) -> HttpResponse:
    """Someone's certificate, for those who may see that signature (their OPD head, citywide roles)."""
    campaign = queries.get_campaign(slug)
    return _certificate_response(request, queries.get_signature_for(request.user, campaign, signature_id))


def _roster_scope(request: PamongRequest, slug: str) -> tuple[Campaign, OPD | None]:
    campaign = queries.get_campaign(slug)
    raw = request.GET.get("opd", "").strip()
    try:
        opd_id = int(raw) if raw else None
    except ValueError:
        raise Http404 from None
    return campaign, queries.roster_scope(request.user, opd_id)


def _roster_filename(campaign: Campaign, opd: OPD | None, extension: str) -> str:
    scope = slugify(opd.abbreviation or opd.name)[:50] if opd is not None else "seluruh-kota"
    return f"berita-acara-{campaign.slug}-{scope or 'opd'}.{extension}"


@login_required
@require_safe
@never_cache
def roster_pdf(request: PamongRequest, slug: str) -> HttpResponse:
    campaign, opd = _roster_scope(request, slug)
    signatures = queries.roster_signatures(request.user, campaign, opd)
    content = documents.roster_pdf(campaign, signatures, title=ROSTER_TITLE, opd=opd)
    return _attachment(content, PDF, _roster_filename(campaign, opd, "pdf"))


@login_required
@require_safe
@never_cache
def roster_xlsx(request: PamongRequest, slug: str) -> HttpResponse:
    campaign, opd = _roster_scope(request, slug)
    signatures = queries.roster_signatures(request.user, campaign, opd)
    content = documents.roster_xlsx(campaign, signatures, title=ROSTER_TITLE, opd=opd)
    return _attachment(content, XLSX, _roster_filename(campaign, opd, "xlsx"))
