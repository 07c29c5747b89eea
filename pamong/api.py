"""The JSON API under /api/v1/; its OpenAPI document is /api/v1/openapi.json."""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from pamong.cases.api import router as reports_router
from pamong.core.api import router as ledger_router
from pamong.neutrality.api import router as declarations_router
from pamong.organisation.api import router as organisation_router
from pamong.staffing.api import router as staffing_router
from pamong.staffing.public_api import router as public_staffing_router

api = NinjaAPI(
    title="Pamong API",
    version="1",
    description="API Pamong Pemerintah Kota Kupang. Pesan galat berbahasa Indonesia.",
    urls_namespace="api",
    # The bundled Swagger UI sets inline styles; allow them on the docs page only.
    docs_decorator=csp_update({"style-src": [SELF, UNSAFE_INLINE]}),
)


@api.exception_handler(ValidationError)
def invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    for error in exc.errors:
        where = ".".join(str(part) for part in error.get("loc", ()) if part not in {"body", "query", "path"})
        problems.append({"field": where, "message": error.get("msg", "")})
    return api.create_response(
        request,
        {"detail": _("Permintaan tidak sah: periksa isian yang disebut di 'errors'."), "errors": problems},
        status=422,
    )


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": _("Perlu masuk: kirim header 'Authorization: Bearer <token>' dari /api/v1/auth/token.")},
        status=401,
    )


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("Terlalu banyak permintaan; coba lagi sebentar lagi.")}, status=429
    )


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return api.create_response(
        request,
        {
            "detail": _(
                "Isi permintaan terlalu besar: paling besar %(mb).1f MB. Kirim berkas besar lewat formulir "
                "di /lapor/ atau satu per satu sebagai balasan."
            )
            % {"mb": limit_mb}
        },
        status=413,
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = str(exc)
    if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        detail = _("Isi permintaan bukan JSON yang sah.")
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


api.add_router("/", organisation_router)
api.add_router("/ledger/", ledger_router)
api.add_router("/declarations/", declarations_router)
api.add_router("/", reports_router)
api.add_router("/staffing/public/", public_staffing_router)
api.add_router("/staffing/", staffing_router)
