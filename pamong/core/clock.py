""" "Today" for the modules versus "now" for security.

The demo city lives on a business date (PAMONG_BUSINESS_DATE, e.g. 2024-10-17, the declaration
day) so that deadlines, quotas and the fiscal year behave as they did then. Sessions, one-time
codes, tokens and audit times always use the real clock (``django.utils.timezone.now``).
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


@cache
def _configured_business_date(raw: str) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"PAMONG_BUSINESS_DATE harus berformat TTTT-BB-HH (contoh 2024-10-17), bukan {raw!r}."
        ) from exc


def business_today() -> dt.date:
    """The date the modules treat as today (WITA)."""
    configured = _configured_business_date(settings.PAMONG_BUSINESS_DATE)
    return configured or timezone.localdate()


def is_business_date_fixed() -> bool:
    return _configured_business_date(settings.PAMONG_BUSINESS_DATE) is not None
