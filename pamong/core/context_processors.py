from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from pamong.core.clock import business_today, is_business_date_fixed


def pamong(request: HttpRequest) -> dict[str, Any]:
    return {
        "business_today": business_today(),
        "business_date_fixed": is_business_date_fixed(),
        "demo_mode": settings.DEMO_MODE,
    }
