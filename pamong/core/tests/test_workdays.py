"""Working days (hari kerja): weekends, Indonesia's national holidays, the joint-leave days a deployment
adds, and the two functions that count them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from pamong.core.workdays import add_working_days, is_holiday, is_working_day, working_days_between


def no_extra() -> override_settings:
    return override_settings(PAMONG_EXTRA_HOLIDAYS=[])


DAYS = st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2026, 12, 31))


@pytest.fixture(autouse=True)
def _no_extra_holidays():
    # Whatever the shell's PAMONG_EXTRA_HOLIDAYS says, these tests start from the national list alone.
    with no_extra():
        yield


def test_weekdays_are_working_days_and_weekends_are_not() -> None:
    week = [dt.date(2024, 10, 21) + dt.timedelta(days=n) for n in range(7)]  # Monday 21 to Sunday 27 Oct 2024
    assert [is_working_day(day) for day in week] == [True, True, True, True, True, False, False]
    assert not any(is_holiday(day) for day in week)


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (dt.date(2024, 8, 17), "Hari Kemerdekaan (a Saturday in 2024)"),
        (dt.date(2024, 12, 25), "Natal"),
        (dt.date(2024, 11, 27), "Pilkada serentak 2024"),
        (dt.date(2024, 1, 1), "Tahun Baru"),
        (dt.date(2024, 4, 10), "Idulfitri"),
    ],
)
def test_national_holidays_of_2024_are_not_working_days(day: dt.date, why: str) -> None:
    assert is_holiday(day), why
    assert not is_working_day(day), why


def test_the_day_before_and_after_the_pilkada_are_working_days() -> None:
    assert is_working_day(dt.date(2024, 11, 26))
    assert is_working_day(dt.date(2024, 11, 28))


def test_adding_working_days_skips_the_weekend() -> None:
    friday = dt.date(2024, 10, 25)
    assert add_working_days(friday, 1) == dt.date(2024, 10, 28)  # Monday
    assert add_working_days(friday, 2) == dt.date(2024, 10, 29)  # Tuesday
    assert add_working_days(friday, 5) == dt.date(2024, 11, 1)
    assert add_working_days(friday, 0) == friday


def test_adding_working_days_skips_the_pilkada_and_christmas() -> None:
    assert add_working_days(dt.date(2024, 11, 26), 1) == dt.date(2024, 11, 28)
    assert add_working_days(dt.date(2024, 11, 25), 7) == dt.date(2024, 12, 5)
    assert add_working_days(dt.date(2024, 12, 24), 1) == dt.date(2024, 12, 26)
    # 16 Aug 2024 is a Friday; the 17th falls on Saturday anyway.
    assert add_working_days(dt.date(2024, 8, 16), 1) == dt.date(2024, 8, 19)


def test_joint_leave_days_from_the_setting_are_holidays_too() -> None:
    christmas_eve, boxing_day = dt.date(2024, 12, 24), dt.date(2024, 12, 26)
    assert is_working_day(christmas_eve) and is_working_day(boxing_day)
    assert add_working_days(dt.date(2024, 12, 23), 1) == christmas_eve
    with override_settings(PAMONG_EXTRA_HOLIDAYS=["2024-12-24", "2024-12-26", ""]):
        assert is_holiday(christmas_eve) and is_holiday(boxing_day)
        assert not is_working_day(christmas_eve)
        assert add_working_days(dt.date(2024, 12, 23), 1) == dt.date(2024, 12, 27)
        assert working_days_between(dt.date(2024, 12, 23), dt.date(2024, 12, 27)) == 1
    # The cache is keyed by the setting's value: once the override ends, the days work again.
    assert is_working_day(christmas_eve)
    assert add_working_days(dt.date(2024, 12, 23), 1) == christmas_eve


def test_counting_working_days_between_two_dates() -> None:
    friday, tuesday = dt.date(2024, 10, 25), dt.date(2024, 10, 29)
    assert working_days_between(friday, tuesday) == 2
    assert working_days_between(tuesday, friday) == -2
    assert working_days_between(friday, friday) == 0
    assert working_days_between(friday, dt.date(2024, 10, 27)) == 0  # only the weekend
    assert working_days_between(dt.date(2024, 11, 26), dt.date(2024, 11, 28)) == 1  # the Pilkada skipped


@hypothesis_settings(max_examples=300, deadline=None)
@given(start=DAYS, days=st.integers(min_value=0, max_value=60))
def test_counting_undoes_adding(start: dt.date, days: int) -> None:
    with no_extra():
        end = add_working_days(start, days)
        assert working_days_between(start, end) == days
        assert working_days_between(end, start) == -days
        if days:
            assert end > start and is_working_day(end)


@hypothesis_settings(max_examples=300, deadline=None)
@given(start=DAYS, end=DAYS)
def test_adding_the_count_lands_on_the_last_working_day_up_to_the_end(start: dt.date, end: dt.date) -> None:
    with no_extra():
        count = working_days_between(start, end)
        assert count == -working_days_between(end, start)
        if end <= start:
            return
        landed = add_working_days(start, count)
        assert landed <= end
        assert all(not is_working_day(landed + dt.timedelta(days=n)) for n in range(1, (end - landed).days + 1))
        if is_working_day(end):
            assert landed == end
