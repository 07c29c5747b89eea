"""The reporting paths forget who is calling before anything else can look.

Placed first in MIDDLEWARE: on ``/lapor/`` and ``/api/v1/reports`` the client's address, browser and
forwarding headers are removed from the request, so no later middleware, log, rate limiter or audit
record can store them. Responses there are not cached, send no referrer to other sites and ask for no sensors.
The handlers' key cookie is set here after a login (see keyring).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from pamong.cases import keyring
from pamong.cases.paths import is_reporter_path

_IDENTIFYING = (
    "HTTP_USER_AGENT",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_REFERER",
    "HTTP_SEC_CH_UA",
    "HTTP_SEC_CH_UA_PLATFORM",
    "HTTP_SEC_CH_UA_MOBILE",
    "REMOTE_HOST",
)


class ReporterPrivacyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reporter = is_reporter_path(request.path)
        if reporter:
            request.META["REMOTE_ADDR"] = "0.0.0.0"  # noqa: S104 - not a bind address: the forgotten client
            for name in _IDENTIFYING:
                request.META.pop(name, None)
        response = self.get_response(request)
        if reporter:
            response["Cache-Control"] = "no-store"
            # Not "no-referrer": with it browsers send "Origin: null" on the pages' own POSTs, which
            # CSRF protection must refuse. "same-origin" still tells no other site where the visitor was.
            response["Referrer-Policy"] = "same-origin"
            response["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        keyring.remember_handler_key(request, response)
        return response
