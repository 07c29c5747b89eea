from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from pamong.organisation.services import requires_two_factor

# Paths a half-logged-in user (password yes, second factor not yet) may still reach.
# The API answers for itself: its session auth refuses unverified sessions with a 401.
_OPEN_PREFIXES = ("/static/", "/healthz", "/i18n/", "/masuk/", "/keluar/", "/api/")


class TwoFactorRequiredMiddleware:
    """Users whose role needs a second factor reach nothing else until they pass it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and requires_two_factor(user)
            and not user.is_verified()  # type: ignore[attr-defined]  # added by OTPMiddleware
        ):
            from django_otp import devices_for_user

            target = "organisation:otp_verify" if any(devices_for_user(user)) else "organisation:otp_enrol"
            return HttpResponseRedirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
