"""Working days (hari kerja): Monday to Friday, minus Indonesia's national holidays.

The national holidays come from the ``holidays`` package (Indonesia, including election days such as
the 27 November 2024 Pilkada). Joint leave days (cuti bersama) are set each year by a joint decree
and are not in it; list them in ``PAMONG_EXTRA_HOLIDAYS`` (comma-separated dates).
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import holidays
from django.conf import settings


@cache
def _national(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("ID", years=year).keys())


@cache
def _extra(raw: tuple[str, ...]) -> frozenset[dt.date]:
    return frozenset(dt.date.fromisoformat(item) for item in raw if item)


def is_holiday(day: dt.date) -> bool:
    return day in _national(day.year) or day in _extra(tuple(settings.PAMONG_EXTRA_HOLIDAYS))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
    day = start
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end``; negative when ``end`` is earlier."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for offset in range(1, (end - start).days + 1) if is_working_day(start + dt.timedelta(days=offset)))
