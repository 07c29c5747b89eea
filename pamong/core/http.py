"""Request types for views: what the middleware stack adds to a request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from pamong.organisation.models import User


class PamongRequest(HttpRequest):
    """A request behind ``login_required``: the user is a real, logged-in Pamong user."""

    user: User
    htmx: HtmxDetails
