from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from pamong.core.clock import business_today, is_business_date_fixed
from pamong.core.models import Notification


def pamong(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    context: dict[str, Any] = {
        "business_today": business_today(),
        "business_date_fixed": is_business_date_fixed(),
        "demo_mode": settings.DEMO_MODE,
        "unread_notifications": 0,
    }
    if user is not None and user.is_authenticated:
        # Lazy: one count query, and only when a template shows the badge (not for htmx partials).
        context["unread_notifications"] = SimpleLazyObject(
            lambda: Notification.objects.filter(user=user, read_at__isnull=True).count()
        )
    return context
