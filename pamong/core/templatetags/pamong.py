from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import formats, timezone

from pamong.core.money import format_rupiah

register = template.Library()


@register.filter
def rupiah(amount: Decimal | int | float | str | None) -> str:
    """``{{ amount|rupiah }}`` → "Rp 1.234.567"."""
    return format_rupiah(amount)


@register.filter
def tanggal(value: dt.date | dt.datetime | None) -> str:
    """Long date in the active language: "27 November 2024"."""
    if value is None:
        return "–"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return formats.date_format(value, "DATE_FORMAT")


@register.filter
def waktu(value: dt.datetime | None) -> str:
    """Date and time in Kupang time: "17 Oktober 2024, 07.00 WITA"."""
    if value is None:
        return "–"
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} WITA"
